/**
 * Bad content fails the build, not the reader: each case copies the project to a temp folder,
 * breaks one thing and expects `astro build` to stop with a message that names it.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('../../', import.meta.url).pathname;
const temps: string[] = [];
after(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A copy of the sources (node_modules hard-linked: Astro does not follow a symlinked one). */
function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'build-check-'));
  temps.push(dir);
  for (const entry of ['astro.config.mjs', 'tsconfig.json', 'package.json', 'src', 'content', 'public']) {
    cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  }
  const linked = spawnSync('cp', ['-al', join(ROOT, 'node_modules'), join(dir, 'node_modules')]);
  assert.equal(linked.status, 0, String(linked.stderr));
  return dir;
}

function build(dir: string) {
  const run = spawnSync(join(dir, 'node_modules/.bin/astro'), ['build'], {
    cwd: dir,
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', PATH: `${join(dir, 'node_modules/.bin')}:${process.env.PATH}` },
    encoding: 'utf8',
    timeout: 240_000,
  });
  return { status: run.status, output: `${run.stdout}\n${run.stderr}` };
}

test('a guide page without its verifiedOn field fails the build', () => {
  const dir = copyProject();
  const file = join(dir, 'content/docs/faq.mdx');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^verifiedOn:.*\n/m, ''));
  const { status, output } = build(dir);
  assert.notEqual(status, 0);
  assert.match(output, /verifiedOn/);
  assert.match(output, /faq/);
});

test('a signature naming an unknown related signature fails the build', () => {
  const dir = copyProject();
  const file = join(dir, 'content/errors/auth-token-mismatch.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^related: \[/m, 'related: [no-such-signature, '));
  const { status, output } = build(dir);
  assert.notEqual(status, 0);
  assert.match(output, /related id "no-such-signature" is not a signature/);
});

test('a signature with an unknown gateway details.code fails the build', () => {
  const dir = copyProject();
  const file = join(dir, 'content/errors/auth-token-mismatch.yaml');
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^detailsCode: .*$/m, 'detailsCode: AUTH_TOKEN_MISMATCHED'));
  const { status, output } = build(dir);
  assert.notEqual(status, 0);
  assert.match(output, /auth-token-mismatch/);
  assert.match(output, /detailsCode/);
});

test('a broken internal link or anchor fails the build', () => {
  const dir = copyProject();
  const file = join(dir, 'content/docs/quick-fix.mdx');
  writeFileSync(file, `${readFileSync(file, 'utf8')}\n\nSee [the missing page](/errors/no-such-signature/) and [a missing step](/fix-workflow/#step-9).\n`);
  const { status, output } = build(dir);
  assert.notEqual(status, 0);
  assert.match(output, /quick-fix\/index\.html: \/errors\/no-such-signature\/ \(no such page\)/);
  assert.match(output, /\/fix-workflow\/#step-9 \(no such anchor\)/);
});
