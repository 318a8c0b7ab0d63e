import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheck, STEP_ORDER, type CheckEnv, type CheckStep } from '../../src/checker/core/run-check.ts';
import { renderReport } from '../../src/checker/core/report.ts';
import { memoryStore } from '../../src/checker/core/identity.ts';
import type { CatalogEntry } from '../../src/checker/core/catalog.ts';
import { activeTimers, fakeWebSocket, gatewayScript } from './checker-fake-socket.ts';

const CATALOG: CatalogEntry[] = [
  { id: 'auth-token-mismatch', title: 'Gateway token mismatch', layer: 'auth', detailsCode: 'AUTH_TOKEN_MISMATCH', messages: [{ text: 'unauthorized: gateway token mismatch' }] },
  { id: 'pairing-not-paired', title: 'Pairing required', layer: 'pairing', detailsCode: 'PAIRING_REQUIRED', detailsMatch: { reason: 'not-paired' }, messages: [{ text: 'pairing required: device is not approved yet' }] },
  { id: 'origin-not-allowed', title: 'Origin not allowed', layer: 'origin', detailsCode: 'CONTROL_UI_ORIGIN_NOT_ALLOWED', messages: [{ text: 'origin not allowed' }] },
];

const TOKEN = 'super-secret-token-123';
const REQUEST_ID = '94658e47-126d-4302-835f-a410240185fd';

const pairingError = (deviceId: string, requestId = REQUEST_ID) => ({
  error: {
    code: 'NOT_PAIRED',
    message: 'pairing required: device is not approved yet',
    details: { code: 'PAIRING_REQUIRED', reason: 'not-paired', requestId, recommendedNextStep: 'wait_then_retry', deviceId, requestedRole: 'operator', requestedScopes: ['operator.read'] },
  },
  close: [1008, `pairing required: device is not approved yet (requestId: ${requestId})`] as [number, string],
});

function env(overrides: Partial<CheckEnv>): CheckEnv & { events: CheckStep[] } {
  const events: CheckStep[] = [];
  return {
    catalog: CATALOG,
    identityStore: memoryStore(),
    credentials: { token: TOKEN },
    fetch: async () => {
      throw new TypeError('fetch failed');
    },
    timeouts: { openMs: 300, challengeMs: 300, responseMs: 300, closeMs: 100, probeMs: 300 },
    backoff: { initialMs: 5, maxMs: 20 },
    onStep: (s) => events.push(s),
    events,
    ...overrides,
  };
}

const final = (events: CheckStep[]) => Object.fromEntries(events.map((e) => [e.id, e]));

test('invalid input: one failing step, the rest skipped, no socket', async () => {
  const WS = fakeWebSocket(() => assert.fail('no socket expected'));
  const e = env({ WebSocket: WS });
  const r = await runCheck('ftp://x', e);
  assert.equal(r.verdict, 'invalid-input');
  assert.deepEqual(r.steps.map((s) => s.id), STEP_ORDER);
  assert.equal(r.steps[0].status, 'fail');
  assert.ok(r.steps.slice(1).every((s) => s.status === 'skip'));
  assert.equal(WS.sockets.length, 0);
});

test('connected: steps in order, server summary, timings', async () => {
  const e = env({ WebSocket: fakeWebSocket(gatewayScript(() => ({ ok: true }))), page: { origin: 'http://localhost:4321' } });
  const r = await runCheck('127.0.0.1:18789', e);
  assert.equal(r.verdict, 'connected');
  assert.equal(r.server?.version, '2026.9.6');
  assert.equal(r.attempts, 1);
  const firstSeen = [...new Set(e.events.map((s) => s.id))];
  assert.deepEqual(firstSeen, STEP_ORDER, 'steps are first emitted in order');
  const f = final(e.events);
  assert.deepEqual(
    STEP_ORDER.map((id) => f[id].status),
    ['pass', 'pass', 'pass', 'pass', 'pass', 'skip', 'pass'],
  );
  assert.ok(f.success.summary.includes('2026.9.6'));
  assert.ok(r.durationMs >= 0);
});

test('mixed content is decided before any socket is opened', async () => {
  const WS = fakeWebSocket(() => assert.fail('no socket expected'));
  const r = await runCheck('ws://192.168.1.20:18789', env({ WebSocket: WS, page: { origin: 'https://pairing.example.org' } }));
  assert.equal(r.verdict, 'failed');
  assert.equal(r.classification?.signatureId, 'mixed-content-blocked');
  assert.equal(WS.sockets.length, 0);
});

test('nothing listening → connection-refused; HTTP but no upgrade → upgrade-refused', async () => {
  const refused = await runCheck('127.0.0.1:1', env({ WebSocket: fakeWebSocket((s) => s.fail()) }));
  assert.equal(refused.classification?.signatureId, 'connection-refused');
  assert.equal(refused.steps.find((s) => s.id === 'reachability')?.status, 'fail');
  const calls: [string, RequestInit | undefined][] = [];
  const upgrade = await runCheck(
    'http://127.0.0.1:8080/',
    env({
      WebSocket: fakeWebSocket((s) => s.fail()),
      fetch: (async (url: string, init?: RequestInit) => {
        calls.push([url, init]);
        return new Response('hi', { status: 200 });
      }) as typeof fetch,
    }),
  );
  assert.equal(upgrade.classification?.signatureId, 'upgrade-refused');
  assert.equal(calls[0][0], 'http://127.0.0.1:8080/');
  assert.equal(calls[0][1]?.mode, 'no-cors');
  assert.equal(calls[0][1]?.credentials, 'omit');
});

test('auth failure: verdict failed, never retried even when waiting for approval', async () => {
  const WS = fakeWebSocket(gatewayScript(() => ({ error: { code: 'INVALID_REQUEST', message: 'unauthorized: gateway token mismatch (x)', details: { code: 'AUTH_TOKEN_MISMATCH' } }, close: [1008, 'unauthorized: gateway token mismatch (x)'] })));
  const r = await runCheck('127.0.0.1:18789', env({ WebSocket: WS, waitForApproval: true }));
  assert.equal(r.verdict, 'failed');
  assert.equal(r.classification?.signatureId, 'auth-token-mismatch');
  assert.equal(r.attempts, 1);
  assert.equal(WS.sockets.length, 1);
});

test('origin refused: page origin and allowlist commands in the verdict', async () => {
  const WS = fakeWebSocket(gatewayScript(() => ({ error: { code: 'INVALID_REQUEST', message: 'origin not allowed (x)', details: { code: 'CONTROL_UI_ORIGIN_NOT_ALLOWED', reason: 'origin not allowed' } }, close: [1008, 'origin not allowed (x)'] })));
  const r = await runCheck('127.0.0.1:18789', env({ WebSocket: WS, page: { origin: 'https://pairing.example.org' } }));
  assert.equal(r.classification?.signatureId, 'origin-not-allowed');
  assert.equal(r.origin?.pageOrigin, 'https://pairing.example.org');
  assert.match(r.origin!.commands.add, /allowedOrigins .*"https:\/\/pairing\.example\.org"/);
  assert.match(r.origin!.commands.inspect, /config get gateway\.controlUi\.allowedOrigins/);
});

test('pairing: request id and command; waits through restarts with the same identity until approved', async () => {
  let n = 0;
  const deviceIds = new Set<string>();
  const WS = fakeWebSocket((s) => {
    n++;
    if (n === 3) return s.fail(); // listener down during a restart
    if (n === 4) return (s.open(), s.serverClose(1013, 'gateway starting'));
    gatewayScript((frame) => {
      deviceIds.add(frame.params.device.id);
      return n >= 6 ? { ok: true } : pairingError(frame.params.device.id);
    })(s);
  });
  const timersBefore = activeTimers();
  const e = env({ WebSocket: WS, waitForApproval: true });
  const r = await runCheck('127.0.0.1:18789', e);
  assert.equal(r.verdict, 'connected');
  assert.equal(r.attempts, 6);
  assert.equal(deviceIds.size, 1, 'one identity for every attempt');
  assert.equal(r.pairing?.requestId, REQUEST_ID);
  assert.equal(r.pairing?.commands.approve, `openclaw devices approve ${REQUEST_ID}`);
  assert.equal(r.pairing?.deviceId, [...deviceIds][0]);
  assert.deepEqual(r.pairing?.requestedScopes, ['operator.read']);
  const outcome = e.events.find((s) => s.id === 'outcome')!;
  assert.equal(outcome.status, 'warn');
  assert.equal(outcome.signatureId, 'pairing-not-paired');
  assert.ok(e.events.some((s) => s.id === 'pairing-wait' && s.status === 'running' && s.data.transient === 'gateway-starting'));
  const f = final(e.events);
  assert.equal(f['pairing-wait'].status, 'pass');
  assert.equal(f.success.status, 'pass');
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(activeTimers(), timersBefore, 'no timers left behind');
});

test('pairing: without waiting → pairing-pending; budget runs out → pairing-pending; abort → aborted', async () => {
  const WS = () => fakeWebSocket(gatewayScript((f) => pairingError(f.params.device.id)));
  const noWait = await runCheck('127.0.0.1:18789', env({ WebSocket: WS() }));
  assert.equal(noWait.verdict, 'pairing-pending');
  assert.equal(noWait.attempts, 1);
  const budget = await runCheck('127.0.0.1:18789', env({ WebSocket: WS(), waitForApproval: true, waitBudgetMs: 60 }));
  assert.equal(budget.verdict, 'pairing-pending');
  assert.ok(budget.attempts > 1);
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 40);
  const aborted = await runCheck('127.0.0.1:18789', env({ WebSocket: WS(), waitForApproval: true, signal: controller.signal }));
  assert.equal(aborted.verdict, 'aborted');
});

test('pairing: a replaced request id is reported; a new failure stops the wait', async () => {
  let n = 0;
  const WS = fakeWebSocket(
    gatewayScript((f) => {
      n++;
      if (n === 1) return pairingError(f.params.device.id);
      if (n === 2) return pairingError(f.params.device.id, 'new-request-id');
      return { error: { code: 'INVALID_REQUEST', message: 'unauthorized: gateway token mismatch', details: { code: 'AUTH_TOKEN_MISMATCH' } }, close: [1008, 'x'] };
    }),
  );
  const e = env({ WebSocket: WS, waitForApproval: true });
  const r = await runCheck('127.0.0.1:18789', e);
  assert.equal(r.verdict, 'failed');
  assert.equal(r.pairing?.requestId, 'new-request-id');
  assert.equal(r.classification?.signatureId, 'auth-token-mismatch');
  assert.equal(r.attempts, 3, 'the auth failure is not retried');
});

test('report and step events never contain the token, password, signature or nonce', async () => {
  for (const credentials of [{ token: TOKEN }, { password: 'pass-word-secret' }]) {
    const sent: any[] = [];
    const WS = fakeWebSocket(
      gatewayScript((f) => {
        sent.push(f);
        return pairingError(f.params.device.id);
      }),
    );
    const e = env({ WebSocket: WS, credentials });
    const r = await runCheck('http://127.0.0.1:18789/#token=url-token-secret', e);
    const report = renderReport(r, { redact: [credentials.token ?? credentials.password] });
    const everything = report + JSON.stringify(e.events) + JSON.stringify(r);
    const { signature, nonce } = sent[0].params.device;
    for (const secret of [TOKEN, 'pass-word-secret', 'url-token-secret', signature, nonce]) {
      assert.ok(!everything.includes(secret), `leaked ${secret.slice(0, 6)}…`);
    }
    assert.match(report, /pairing-not-paired/);
    assert.match(report, new RegExp(REQUEST_ID));
    assert.match(report, /PAIRING_REQUIRED/);
  }
});

test('report: secret-named keys dropped anywhere, gateway text cannot break out of the JSON fence', () => {
  const report = renderReport({
    verdict: 'failed',
    steps: [{ id: 'handshake', status: 'fail', title: 'Handshake', summary: 'a | b `c`', durationMs: 1, data: { msg: 'x```y', token: 'T0KEN', nested: [{ password: 'PW', deviceToken: 'DT', nonce: 'NN', signature: 'SIG', keep: 1 }] } }],
    attempts: 1,
    startedAt: '2026-01-01T00:00:00.000Z',
    durationMs: 1,
  });
  for (const secret of ['T0KEN', 'PW', 'DT', 'NN', 'SIG']) assert.ok(!report.includes(`"${secret}"`), secret);
  assert.equal(report.split('```').length, 3, 'exactly one fenced block');
  assert.match(report, /"keep": 1/);
  assert.match(report, /a \\\| b 'c'/);
});
