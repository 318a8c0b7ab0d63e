/** The error-signature collection: valid, complete against the real gateway, links that resolve. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DETAIL_CODES } from '../../src/signatures/schema.ts';
import { TRANSPORT_SIGNATURES } from '../../src/checker/core/classify.ts';
import { loadSignatures } from '../support/signatures.ts';
import { DIST } from '../support/site.ts';

const signatures = loadSignatures();
const ids = new Set(signatures.map((s) => s.id));

/** Reads an object of string constants (`const Name = { KEY: "value", … }`) out of the pinned package. */
function packageConstants(name: string): string[] {
  const dist = new URL('../openclaw/node_modules/openclaw/dist/', import.meta.url).pathname;
  assert.ok(existsSync(dist), 'the pinned openclaw package is installed (npm --prefix tests/openclaw ci)');
  const file = readdirSync(dist).find((f) => f.startsWith('connect-error-details-') && f.endsWith('.mjs'));
  assert.ok(file, 'connect-error-details-*.mjs exists in the pinned package');
  const source = readFileSync(join(dist, file), 'utf8');
  const body = new RegExp(`const ${name} = \\{([^}]*)\\}`).exec(source)?.[1];
  assert.ok(body, `${name} found in ${file}`);
  return [...body.matchAll(/:\s*"([^"]+)"/g)].map((m) => m[1]);
}

test('every signature file is valid and its id is kebab-case', () => {
  assert.ok(signatures.length >= 60, `expected the full collection, found ${signatures.length}`);
  for (const s of signatures) assert.match(s.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/, s.id);
});

test("the schema's detail codes are exactly the pinned gateway's ConnectErrorDetailCodes", () => {
  assert.deepEqual([...DETAIL_CODES].sort(), packageConstants('ConnectErrorDetailCodes').sort());
});

test('every gateway details.code has a signature', () => {
  const covered = new Set(signatures.map((s) => s.detailsCode).filter(Boolean));
  const missing = DETAIL_CODES.filter((code) => !covered.has(code));
  assert.deepEqual(missing, []);
});

test('every pairing reason of the gateway has its own signature', () => {
  for (const reason of packageConstants('ConnectPairingRequiredReasons')) {
    const hits = signatures.filter((s) => s.detailsCode === 'PAIRING_REQUIRED' && s.detailsMatch?.reason === reason);
    assert.equal(hits.length, 1, `PAIRING_REQUIRED reason ${reason}`);
  }
});

test('no two signatures claim the same details code and details', () => {
  const seen = new Map<string, string>();
  for (const s of signatures.filter((x) => x.detailsCode)) {
    const key = `${s.detailsCode} ${JSON.stringify(s.detailsMatch ?? {})}`;
    assert.ok(!seen.has(key), `${s.id} and ${seen.get(key)} both match ${key}`);
    seen.set(key, s.id);
  }
});

test('the outcomes the checker detects itself all have a signature', () => {
  const missing = Object.keys(TRANSPORT_SIGNATURES).filter((id) => !ids.has(id));
  assert.deepEqual(missing, []);
});

test('related ids name other signatures', () => {
  for (const s of signatures) {
    for (const r of s.related) {
      assert.ok(ids.has(r), `${s.id}: related "${r}" is not a signature`);
      assert.notEqual(r, s.id, `${s.id} lists itself as related`);
    }
  }
});

test('workflow links resolve to built pages and their headings', () => {
  assert.ok(existsSync(join(DIST, 'index.html')), 'the site is built (npm run build)');
  for (const s of signatures) {
    for (const link of s.workflow) {
      const [path, anchor] = link.split('#');
      const file = join(DIST, path, 'index.html');
      assert.ok(existsSync(file), `${s.id}: ${link} has no page`);
      if (anchor) assert.ok(readFileSync(file, 'utf8').includes(`id="${anchor}"`), `${s.id}: ${link} has no such heading`);
    }
  }
});

test('each signature has its page in the built reference', () => {
  for (const s of signatures) {
    assert.ok(existsSync(join(DIST, 'errors', s.id, 'index.html')), `/errors/${s.id}/`);
  }
});
