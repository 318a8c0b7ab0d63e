import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attemptHandshake } from '../../src/checker/core/handshake.ts';
import { memoryStore, verifySignature } from '../../src/checker/core/identity.ts';
import { activeTimers, fakeWebSocket, gatewayScript, HELLO_OK } from './checker-fake-socket.ts';

const identity = await memoryStore().loadOrCreate();
const fast = { openMs: 200, challengeMs: 200, responseMs: 200, closeMs: 100 };
const settle = () => new Promise((r) => setTimeout(r, 5));

test('hello: signed connect, parsed hello-ok, socket closed with 1000, no timers left', async () => {
  const timersBefore = activeTimers();
  const WS = fakeWebSocket(gatewayScript(() => ({ ok: true })));
  const phases: string[] = [];
  const r = await attemptHandshake({ url: 'ws://gw/', identity, credentials: { token: 'tok' }, WebSocket: WS, timeouts: fast, onPhase: (p) => phases.push(p) });
  assert.equal(r.kind, 'hello');
  if (r.kind !== 'hello') return;
  assert.equal(r.hello.server?.version, '2026.9.6');
  assert.ok(!JSON.stringify(r).includes('DEVICE-TOKEN-SECRET'), 'device token dropped');
  assert.deepEqual(phases, ['opening', 'open', 'challenge', 'connect-sent', 'response']);
  assert.ok(r.timings.openMs! <= r.timings.challengeMs! && r.timings.challengeMs! <= r.timings.responseMs!);
  const sock = WS.sockets[0];
  assert.equal(sock.clientClose?.code, 1000);
  const connect = sock.sent[0] as any;
  assert.equal(connect.method, 'connect');
  assert.equal(connect.params.device.nonce, 'nonce-1');
  const payload = `v3|${identity.id}|openclaw-control-ui|webchat|operator|operator.read|${connect.params.device.signedAt}|tok|nonce-1|web|`;
  assert.ok(await verifySignature(identity.publicKey, payload, connect.params.device.signature));
  await settle();
  assert.equal(activeTimers(), timersBefore);
});

test('rejected: error frame plus the server close', async () => {
  const error = { code: 'INVALID_REQUEST', message: 'unauthorized: gateway token mismatch (x)', details: { code: 'AUTH_TOKEN_MISMATCH' } };
  const WS = fakeWebSocket(gatewayScript(() => ({ error, close: [1008, error.message] })));
  const r = await attemptHandshake({ url: 'ws://gw/', identity, credentials: { token: 'bad' }, WebSocket: WS, timeouts: fast });
  assert.equal(r.kind, 'rejected');
  if (r.kind !== 'rejected') return;
  assert.equal(r.error.details?.code, 'AUTH_TOKEN_MISMATCH');
  assert.deepEqual(r.close, { code: 1008, reason: error.message, wasClean: true });
});

test('rejected without a close frame: waits closeMs, then closes itself', async () => {
  const WS = fakeWebSocket((s) => {
    s.open();
    s.challenge();
    s.onClientMessage = (f) => s.serverSend({ type: 'res', id: f.id, ok: false, error: { code: 'INVALID_REQUEST', message: 'invalid role' } });
  });
  const r = await attemptHandshake({ url: 'ws://gw/', identity, WebSocket: WS, timeouts: fast });
  assert.equal(r.kind, 'rejected');
  assert.equal(r.kind === 'rejected' && r.close, null);
  assert.equal(WS.sockets[0].clientClose?.code, 1000);
});

test('transport outcomes: before open, open timeout, no challenge, no response, invalid frame, close before challenge', async () => {
  const run = (script: Parameters<typeof fakeWebSocket>[0]) => attemptHandshake({ url: 'ws://gw/', identity, WebSocket: fakeWebSocket(script), timeouts: fast });
  const timersBefore = activeTimers();
  assert.equal((await run((s) => s.fail())).kind, 'closed-before-open');
  assert.equal((await run(() => {})).kind, 'open-timeout');
  assert.equal((await run((s) => s.open())).kind, 'no-challenge-timeout');
  assert.equal((await run((s) => (s.open(), s.challenge()))).kind, 'no-response-timeout');
  const invalid = await run((s) => (s.open(), s.serverSend('<html>')));
  assert.ok(invalid.kind === 'invalid-frame' && invalid.phase === 'challenge');
  const restart = await run((s) => (s.open(), s.serverClose(1012, 'service restart')));
  assert.ok(restart.kind === 'closed-before-challenge' && restart.close.code === 1012);
  const dropped = await run((s) => {
    s.open();
    s.challenge();
    s.onClientMessage = () => s.serverClose(1008, 'invalid request frame');
  });
  assert.ok(dropped.kind === 'closed-before-response' && dropped.close.reason === 'invalid request frame');
  const throws = await attemptHandshake({
    url: 'ws://gw/',
    identity,
    WebSocket: class {
      constructor() {
        throw new Error('SecurityError: insecure WebSocket');
      }
    } as never,
  });
  assert.ok(throws.kind === 'closed-before-open' && /insecure/.test(throws.errorMessage ?? ''));
  await settle();
  assert.equal(activeTimers(), timersBefore, 'no timers left behind');
});

test('abort: resolves "aborted" and closes the socket', async () => {
  const controller = new AbortController();
  const WS = fakeWebSocket((s) => {
    s.open();
    setTimeout(() => controller.abort(), 10);
  });
  const r = await attemptHandshake({ url: 'ws://gw/', identity, WebSocket: WS, signal: controller.signal, timeouts: { ...fast, challengeMs: 5000 } });
  assert.equal(r.kind, 'aborted');
  assert.equal(WS.sockets[0].clientClose?.code, 1000);
  const pre = await attemptHandshake({ url: 'ws://gw/', identity, WebSocket: WS, signal: AbortSignal.abort() });
  assert.equal(pre.kind, 'aborted');
});

test('unrelated frames while waiting are ignored', async () => {
  const WS = fakeWebSocket((s) => {
    s.open();
    s.serverSend({ type: 'event', event: 'tick', payload: {} });
    s.challenge();
    s.onClientMessage = (f) => {
      s.serverSend({ type: 'event', event: 'health', payload: {} });
      s.serverSend({ type: 'res', id: 'other', ok: true, payload: {} });
      s.serverSend({ type: 'res', id: f.id, ok: true, payload: HELLO_OK });
    };
  });
  assert.equal((await attemptHandshake({ url: 'ws://gw/', identity, WebSocket: WS, timeouts: fast })).kind, 'hello');
});
