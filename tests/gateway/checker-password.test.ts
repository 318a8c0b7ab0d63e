/** The checker core against a real password-mode gateway (the password is never signed). */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheck, type CheckEnv } from '../../src/checker/core/run-check.ts';
import { memoryStore } from '../../src/checker/core/identity.ts';
import { renderReport } from '../../src/checker/core/report.ts';
import { sharedGateway, type Gateway } from '../support/gateway.ts';
import { catalog, expectSignature, originWebSocket } from './helpers.ts';

let gw: Gateway;
before(async () => {
  gw = await sharedGateway('password');
});

const env = (origin: string, password: string): CheckEnv => ({
  catalog,
  identityStore: memoryStore(),
  credentials: { password },
  page: { origin },
  WebSocket: originWebSocket(origin),
});

test('password gateway, right password → connected with auth method password', async () => {
  const r = await runCheck(gw.wsUrl, env('http://localhost:4331', gw.secret));
  assert.equal(r.verdict, 'connected', JSON.stringify(r.classification));
  assert.equal(r.server?.authMethod, 'password');
  assert.equal(r.server?.version, '2026.9.6');
});

test('password gateway, wrong password → auth-password-mismatch', async (t) => {
  const r = await runCheck(gw.wsUrl, env('http://localhost:4332', 'wrong-password'));
  assert.equal(r.verdict, 'failed');
  assert.equal(r.attempts, 1);
  expectSignature(t, r, 'auth-password-mismatch', 'AUTH_PASSWORD_MISMATCH');
  assert.match(r.classification?.message ?? '', /gateway password mismatch/);
  const report = renderReport(r, { redact: ['wrong-password', gw.secret] });
  assert.ok(!report.includes('wrong-password') && !report.includes(gw.secret));
  t.diagnostic(`message: ${r.classification?.message}; verdict in ${r.durationMs} ms`);
});
