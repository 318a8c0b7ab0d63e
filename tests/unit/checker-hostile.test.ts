/**
 * The checker core against hostile and broken peers (the browser side is in
 * tests/browser/hostile.test.ts): bounded time, bounded text, specific verdicts, no flood.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipText, MAX_FRAME_CHARS, MAX_TEXT_CHARS, parseFrame } from '../../src/checker/core/frames.ts';
import { attemptHandshake, DEFAULT_TIMEOUTS } from '../../src/checker/core/handshake.ts';
import { classify } from '../../src/checker/core/classify.ts';
import { probeHttp } from '../../src/checker/core/probe.ts';
import { parseGatewayInput } from '../../src/checker/core/target.ts';
import { pairingInfo } from '../../src/checker/core/steps.ts';
import { DEFAULT_BACKOFF, runCheck } from '../../src/checker/core/run-check.ts';
import { summarizeHello } from '../../src/checker/core/summary.ts';
import { memoryStore } from '../../src/checker/core/identity.ts';
import type { HandshakeResult } from '../../src/checker/core/handshake.ts';
import { loadSignatureCatalog } from '../support/signatures.ts';
import { activeTimers, fakeWebSocket, gatewayScript } from './checker-fake-socket.ts';

const catalog = loadSignatureCatalog();
const identity = await memoryStore().loadOrCreate();
const timings = { totalMs: 10 };
const challenge = { ts: 1 };
const SCRIPT = '<img src=x onerror="window.__pwned=1">';

test('frames: an oversized frame is refused without being parsed; gateway text is clipped', () => {
  const huge = JSON.stringify({ type: 'res', id: 'x', ok: false, error: { code: 'INVALID_REQUEST', message: 'A'.repeat(MAX_FRAME_CHARS) } });
  const parse = JSON.parse;
  let parsed = 0;
  JSON.parse = ((...args: Parameters<typeof JSON.parse>) => (parsed++, parse(...args))) as typeof JSON.parse;
  try {
    const frame = parseFrame(huge);
    assert.deepEqual(frame, { kind: 'invalid', reason: 'frame too large (1.0 MB)' });
    assert.equal(parsed, 0, 'not parsed');
  } finally {
    JSON.parse = parse;
  }
  const long = parseFrame(JSON.stringify({ type: 'res', id: 'x', ok: false, error: { code: 'INVALID_REQUEST', message: 'B'.repeat(50_000) } }));
  assert.ok(long.kind === 'error');
  assert.equal(long.error.message.length, MAX_TEXT_CHARS + 1);
  assert.ok(long.error.message.endsWith('…'));
  const short = parseFrame(JSON.stringify({ type: 'res', id: 'x', ok: false, error: { code: 'INVALID_REQUEST', message: SCRIPT } }));
  assert.ok(short.kind === 'error' && short.error.message === SCRIPT, 'text is kept as it is, markup and all');
  assert.equal(clipText('abc', 2), 'ab…');
  // A real hello-ok is about 16 KB; far below the limit.
  assert.ok(MAX_FRAME_CHARS >= 64 * 16 * 1024);
});

test('frames: error details keep the gateway\'s flat shape; deep nesting and extra error fields are dropped', () => {
  const real = {
    code: 'PAIRING_REQUIRED',
    reason: 'not-paired',
    requestId: '94658e47-126d-4302-835f-a410240185fd',
    recommendedNextStep: 'wait_then_retry',
    retryable: true,
    pauseReconnect: false,
    deviceId: 'a'.repeat(64),
    requestedRole: 'operator',
    requestedScopes: ['operator.read', 'operator.admin'],
    clientMinProtocol: 1,
  };
  const frame = parseFrame(JSON.stringify({ type: 'res', id: 'c1', ok: false, error: { code: 'NOT_PAIRED', message: 'pairing required: device is not approved yet', details: real, retryable: true, retryAfterMs: 500 } }));
  assert.ok(frame.kind === 'error');
  assert.deepEqual(frame.error, { code: 'NOT_PAIRED', message: 'pairing required: device is not approved yet', details: real, retryable: true, retryAfterMs: 500 });

  const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
  const text = `{"type":"res","id":"c1","ok":false,"error":{"code":"INVALID_REQUEST","message":"m","trace":${deep},"details":{"code":"AUTH_TOKEN_MISMATCH","extra":${deep},"list":[1,"x",${deep}]}}}`;
  const hostile = parseFrame(text);
  assert.ok(hostile.kind === 'error');
  assert.deepEqual(Object.keys(hostile.error).sort(), ['code', 'details', 'message'], 'no extra error fields');
  assert.equal(hostile.error.details?.code, 'AUTH_TOKEN_MISMATCH');
  assert.deepEqual(hostile.error.details?.list, [1, 'x']);
  assert.doesNotThrow(() => structuredClone(hostile));
  assert.ok(JSON.stringify(hostile).length < 1000);
});

test('handshake: the defaults give a verdict within 10 s whatever the peer stalls', () => {
  const t = DEFAULT_TIMEOUTS;
  assert.ok(t.totalMs <= 8000, 'whole attempt');
  assert.ok(t.openMs + 3000 <= 8500, 'open timeout plus the reachability probe');
  assert.ok(t.responseMs > 5000 && t.totalMs > 5500, "room for the gateway's delayed auth failures (up to 5 s)");
});

test('handshake: an overall deadline ends an attempt whose phases each stay under their own limit', async () => {
  const timersBefore = activeTimers();
  const WS = fakeWebSocket((s) => {
    setTimeout(() => s.open(), 60);
    setTimeout(() => s.challenge(), 120); // then never answers
  });
  const t0 = performance.now();
  const r = await attemptHandshake({ url: 'ws://gw/', identity, WebSocket: WS, timeouts: { openMs: 100, challengeMs: 100, responseMs: 400, closeMs: 100, totalMs: 160 } });
  const ms = performance.now() - t0;
  assert.equal(r.kind, 'no-response-timeout');
  assert.ok(ms < 350, `ended by the overall deadline after ${Math.round(ms)} ms (phases alone: ~520 ms)`);
  assert.equal(WS.sockets[0].clientClose?.code, 1000, 'socket closed');
  await new Promise((res) => setTimeout(res, 5));
  assert.equal(activeTimers(), timersBefore, 'no timers left behind');
});

test('handshake: a 30 MB answer or a burst of frames', async () => {
  const big = await attemptHandshake({
    url: 'ws://gw/',
    identity,
    WebSocket: fakeWebSocket((s) => {
      s.open();
      s.challenge();
      s.onClientMessage = (f) => s.serverSend(JSON.stringify({ type: 'res', id: f.id, ok: false, error: { code: 'X', message: 'A'.repeat(30 * 1024 * 1024) } }));
    }),
    timeouts: { responseMs: 500, totalMs: 1000 },
  });
  assert.ok(big.kind === 'invalid-frame' && big.phase === 'response' && big.reason === 'frame too large (30.0 MB)', JSON.stringify(big).slice(0, 200));

  const burst = await attemptHandshake({
    url: 'ws://gw/',
    identity,
    WebSocket: fakeWebSocket((s) => {
      s.open();
      s.challenge();
      s.onClientMessage = (f) => {
        for (let i = 0; i < 10_000; i++) s.serverSend({ type: 'event', event: 'tick', payload: { seq: i } });
        s.serverSend({ type: 'res', id: f.id, ok: false, error: { code: 'INVALID_REQUEST', message: 'unauthorized: gateway token mismatch', details: { code: 'AUTH_TOKEN_MISMATCH' } } });
        s.serverClose(1008, 'unauthorized: gateway token mismatch');
      };
    }),
  });
  assert.equal(burst.kind, 'rejected');
});

const close = (code: number, reason = '') => ({ code, reason, wasClean: true });

test('classify: a close during the handshake is a 15 s timeout only when it looks like one (1000, no reason)', () => {
  const at = (code: number, reason = '') => classify({ kind: 'closed-before-response', close: close(code, reason), challenge, timings } as HandshakeResult, catalog);
  assert.equal(at(1000).signatureId, 'handshake-timeout');
  const odd = at(1011, 'upstream went away');
  assert.equal(odd.signatureId, null);
  assert.equal(odd.layer, 'protocol');
  assert.equal(odd.title, 'The connection was closed during the handshake, before any answer to connect (close 1011)');
  assert.deepEqual(odd.close, close(1011, 'upstream went away'));
  const hostile = at(1008, SCRIPT);
  assert.equal(hostile.signatureId, null);
  assert.equal(hostile.close?.reason, SCRIPT, 'the reason is kept as text for the page to show');
  // Known codes and texts still win.
  assert.equal(at(1006).signatureId, 'abnormal-close-1006');
  assert.equal(at(1012, 'service restart').signatureId, 'gateway-restarting');
  assert.equal(at(4001, 'device removed').signatureId, 'device-removed');
  assert.equal(at(1009, 'preauth payload too large').signatureId, 'preauth-payload-too-large');
  assert.equal(at(1008, 'invalid request frame').signatureId, 'invalid-handshake');
});

test('classify: a bad frame after the challenge names the answer, not a missing challenge', () => {
  const response = classify({ kind: 'invalid-frame', reason: 'not JSON', phase: 'response', timings }, catalog);
  assert.equal(response.signatureId, null);
  assert.equal(response.title, 'The answer to the connect request is not what an OpenClaw gateway sends (not JSON)');
  assert.equal(classify({ kind: 'invalid-frame', reason: 'not JSON', phase: 'challenge', timings }, catalog).signatureId, 'not-a-gateway');
});

test('classify: gateway strings taken from details are clipped', () => {
  const c = classify(
    { kind: 'rejected', error: { code: 'INVALID_REQUEST', message: 'm', details: { code: 'Z'.repeat(5000), recommendedNextStep: 'y'.repeat(5000) } }, close: null, challenge, timings },
    catalog,
  );
  assert.equal(c.detailsCode?.length, 201);
  assert.equal(c.recommendedNextStep?.length, 201);
});

test('pairing: a request id that is not a plain id is kept as text only, never in a command', () => {
  const result: HandshakeResult = {
    kind: 'rejected',
    error: { code: 'NOT_PAIRED', message: 'pairing required: device is not approved yet', details: { code: 'PAIRING_REQUIRED', reason: 'not-paired', requestId: SCRIPT } },
    close: close(1008, `pairing required: device is not approved yet (requestId: ${SCRIPT})`),
    challenge,
    timings,
  };
  const c = classify(result, catalog);
  const info = pairingInfo(result, c, identity);
  assert.equal(info.requestId, undefined);
  assert.equal(info.requestIdAsSent, SCRIPT);
  assert.equal(info.commands.approve, undefined);
  assert.equal(info.commands.previewLatest, 'openclaw devices approve --latest');
  const long = { ...result, error: { ...result.error, details: { ...result.error.details, requestId: 'x y'.repeat(1000) } } } as HandshakeResult;
  assert.equal(pairingInfo(long, classify(long, catalog), identity).requestIdAsSent?.length, 201);
  const safe = { ...result, error: { ...result.error, details: { ...result.error.details, requestId: '94658e47-126d-4302-835f-a410240185fd' } } } as HandshakeResult;
  const ok = pairingInfo(safe, classify(safe, catalog), identity);
  assert.equal(ok.requestIdAsSent, undefined);
  assert.equal(ok.commands.approve, 'openclaw devices approve 94658e47-126d-4302-835f-a410240185fd');
});

test('probe: one time budget for both requests, so a silent port cannot stretch the verdict', async () => {
  const parsed = parseGatewayInput('wss://127.0.0.1:18789/');
  assert.ok(parsed.ok);
  const urls: string[] = [];
  const hang = ((url: string, init?: RequestInit) => {
    urls.push(url);
    return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))));
  }) as typeof fetch;
  const t0 = performance.now();
  const r = await probeHttp(parsed.target, { fetch: hang, timeoutMs: 150 });
  const ms = performance.now() - t0;
  assert.equal(r.kind, 'network-error');
  assert.ok(ms < 250, `${Math.round(ms)} ms for a 150 ms budget`);
  // A fast failure leaves the plain-HTTP request its share of the budget.
  let n = 0;
  const tlsFails = (async (url: string) => {
    n++;
    if (url.startsWith('https:')) throw new TypeError('Failed to fetch');
    return new Response('page', { status: 200 });
  }) as typeof fetch;
  assert.equal((await probeHttp(parsed.target, { fetch: tlsFails, timeoutMs: 150 })).kind, 'plain-http-on-tls-port');
  assert.equal(n, 2);
});

test('waiting: reconnects follow the backoff, even when every attempt fails at once', async () => {
  let n = 0;
  const WS = fakeWebSocket((s) => {
    n++;
    if (n === 1) {
      return gatewayScript((f) => ({
        error: { code: 'NOT_PAIRED', message: 'pairing required: device is not approved yet', details: { code: 'PAIRING_REQUIRED', reason: 'not-paired', requestId: 'r-1', deviceId: f.params.device.id } },
        close: [1008, 'pairing required: device is not approved yet (requestId: r-1)'],
      }))(s);
    }
    s.fail(); // the gateway went away: refused at once, every time
  });
  const backoff = { initialMs: 20, maxMs: 60, factor: 1.5 };
  const budget = 400;
  const r = await runCheck('127.0.0.1:18789', {
    catalog,
    identityStore: memoryStore(),
    credentials: { token: 'tok' },
    WebSocket: WS,
    fetch: async () => {
      throw new TypeError('fetch failed');
    },
    waitForApproval: true,
    waitBudgetMs: budget,
    backoff,
  });
  assert.equal(r.verdict, 'pairing-pending');
  // Pauses 20, 30, 45, 60, 60, … ms: at most this many reconnects fit in the budget.
  let bound = 0;
  for (let spent = 0, d = backoff.initialMs; spent + d <= budget; spent += d, d = Math.min(d * backoff.factor, backoff.maxMs)) bound++;
  assert.ok(r.attempts - 1 <= bound, `${r.attempts - 1} reconnects, at most ${bound}`);
  assert.ok(r.attempts - 1 >= 3, 'kept trying');
  assert.equal(WS.sockets.length, r.attempts, 'one socket per attempt');
  assert.deepEqual(DEFAULT_BACKOFF, { initialMs: 1000, maxMs: 5000, factor: 1.5 });
});

test('hello-ok: gateway text shown on success is bounded', () => {
  const s = summarizeHello({ type: 'hello-ok', protocol: 4, server: { version: 'v'.repeat(100_000) }, auth: { method: 'm'.repeat(5000), role: 'operator', scopes: Array.from({ length: 1000 }, (_, i) => `scope.${i}`) } });
  assert.equal(s.version?.length, 201);
  assert.equal(s.authMethod?.length, 201);
  assert.equal(s.role, 'operator');
  assert.equal(s.scopes?.length, 50);
  const real = summarizeHello({ type: 'hello-ok', protocol: 4, server: { version: '2026.9.6', buildId: '2026.9.6-release-eb377ac59e6c-2026-09-23T16-33-12.144Z' }, auth: { method: 'token', role: 'operator', scopes: ['operator.read'] } });
  assert.deepEqual([real.version, real.buildId, real.authMethod, real.scopes], ['2026.9.6', '2026.9.6-release-eb377ac59e6c-2026-09-23T16-33-12.144Z', 'token', ['operator.read']]);
});
