#!/usr/bin/env node
/**
 * Entry point of `openclaw-pairing-check` (package.json "bin"; `npx openclaw-pairing-check` in
 * this project). The checker is TypeScript shared with the page, and its core imports its modules
 * without file extensions, which Node's own type stripping cannot resolve; so this plain-JS entry
 * registers tsx (a dev dependency of this project, installed by `npm install`) and imports
 * main.ts. No build step, nothing generated.
 *
 * It needs Node 24 (WebSocket, WebCrypto Ed25519). npx puts this project's node_modules/.bin
 * first on PATH, where the `node` dev dependency provides Node 24; started with an older node,
 * it runs itself again with that one.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  const local = fileURLToPath(new URL('../../node_modules/.bin/node', import.meta.url));
  if (existsSync(local) && !process.env.OPENCLAW_PAIRING_CHECK_REEXEC) {
    const r = spawnSync(local, [fileURLToPath(import.meta.url), ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, OPENCLAW_PAIRING_CHECK_REEXEC: '1' },
    });
    process.exit(r.status ?? 1);
  }
  process.stderr.write(`openclaw-pairing-check needs Node 24 or later (this is ${process.version}). Run it with npx inside the project after npm install.\n`);
  process.exit(1);
}

const { register } = await import('tsx/esm/api');
register();
const { main } = await import('./main.ts');

const controller = new AbortController();
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    controller.abort();
  });
}

const code = await main(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
  signal: controller.signal,
});
process.exitCode = code;
// Nothing should keep the process alive after the verdict; if something does, do not hang.
setTimeout(() => process.exit(code), 3000).unref();
