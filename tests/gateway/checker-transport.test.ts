/** Failures the checker detects itself: nothing listening, not a gateway, TLS to a plain port. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheck, type CheckEnv } from '../../src/checker/core/run-check.ts';
import { memoryStore } from '../../src/checker/core/identity.ts';
import { freePort, sharedGateway } from '../support/gateway.ts';
import { catalog, originWebSocket, startPlainHttpServer } from './helpers.ts';

const ORIGIN = 'http://localhost:4341';
const env = (extra: Partial<CheckEnv> = {}): CheckEnv => ({
  catalog,
  identityStore: memoryStore(),
  credentials: { token: 'unused' },
  page: { origin: ORIGIN },
  WebSocket: originWebSocket(ORIGIN),
  timeouts: { challengeMs: 2000 },
  ...extra,
});

test('nothing listening → connection-refused', async (t) => {
  const port = await freePort();
  const r = await runCheck(`127.0.0.1:${port}`, env());
  assert.equal(r.verdict, 'failed');
  assert.equal(r.classification?.signatureId, 'connection-refused');
  const reach = r.steps.find((s) => s.id === 'reachability')!;
  assert.equal(reach.status, 'fail');
  assert.deepEqual(reach.data.probe, { kind: 'network-error' });
  assert.equal(r.steps.find((s) => s.id === 'handshake')?.status, 'skip');
  t.diagnostic(`verdict in ${r.durationMs} ms`);
});

test('a plain HTTP server → upgrade-refused', async (t) => {
  const server = await startPlainHttpServer();
  t.after(() => server.close());
  const r = await runCheck(`http://127.0.0.1:${server.port}/`, env());
  assert.equal(r.verdict, 'failed');
  assert.equal(r.classification?.signatureId, 'upgrade-refused');
  assert.match(r.steps.find((s) => s.id === 'reachability')!.summary, /refuses the WebSocket upgrade/);
});

test('a WebSocket that never sends the challenge → not-a-gateway', async () => {
  const gw = await sharedGateway('token');
  // The gateway's worker endpoint upgrades but speaks another protocol (no connect.challenge).
  const r = await runCheck(`ws://127.0.0.1:${gw.port}/__openclaw__/worker`, env());
  assert.equal(r.classification?.signatureId, 'not-a-gateway');
});

test('wss:// to the plain gateway port → tls-failed', async () => {
  const gw = await sharedGateway('token');
  const r = await runCheck(`wss://127.0.0.1:${gw.port}/`, env());
  assert.equal(r.classification?.signatureId, 'tls-failed');
});
