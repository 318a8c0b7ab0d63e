import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseFrame, parseHelloOk } from '../../src/checker/core/frames.ts';
import { browserPrechecks } from '../../src/checker/core/browser-rules.ts';
import { parseGatewayInput, type GatewayTarget } from '../../src/checker/core/target.ts';
import { allowedOriginsCommands, pairingCommands, parseAllowedOriginsOutput, shellQuote } from '../../src/checker/core/commands.ts';
import { summarizeHello } from '../../src/checker/core/summary.ts';

test('parseFrame: challenge, ok, error, event, garbage; never throws', () => {
  assert.deepEqual(
    parseFrame('{"type":"event","event":"connect.challenge","payload":{"nonce":"n1","ts":1795930229470,"capabilities":["model-catalog-snapshot"]}}'),
    { kind: 'challenge', nonce: 'n1', ts: 1795930229470 },
  );
  const err = parseFrame(
    '{"type":"res","id":"c1","ok":false,"error":{"code":"INVALID_REQUEST","message":"unauthorized: too many failed authentication attempts (retry later)","retryable":true,"retryAfterMs":299750,"details":{"code":"AUTH_RATE_LIMITED","authReason":"rate_limited"}}}',
  );
  assert.equal(err.kind, 'error');
  if (err.kind === 'error') {
    assert.equal(err.id, 'c1');
    assert.equal(err.error.code, 'INVALID_REQUEST');
    assert.equal(err.error.retryAfterMs, 299750);
    assert.equal(err.error.retryable, true);
    assert.equal(err.error.details?.code, 'AUTH_RATE_LIMITED');
  }
  const noDetails = parseFrame('{"type":"res","id":"c1","ok":false,"error":{"code":"INVALID_REQUEST","message":"invalid role"}}');
  assert.ok(noDetails.kind === 'error' && noDetails.error.details === undefined);
  assert.equal(parseFrame('{"type":"res","id":"c1","ok":true,"payload":{"type":"hello-ok","protocol":4}}').kind, 'ok');
  assert.deepEqual(parseFrame('{"type":"event","event":"tick","payload":{}}'), { kind: 'event', event: 'tick', payload: {} });
  for (const bad of ['', 'not json', '[]', 'null', '42', '{"type":"res"}', '{"type":"event","event":"connect.challenge","payload":{"nonce":""}}', '{"type":"res","id":"c","ok":false,"error":{}}']) {
    assert.equal(parseFrame(bad).kind, 'invalid', bad);
  }
  assert.equal(parseFrame(new Uint8Array(3)).kind, 'invalid');
  assert.equal(parseFrame(undefined).kind, 'invalid');
});

const HELLO = {
  type: 'hello-ok',
  protocol: 4,
  server: { version: '2026.9.6', buildId: 'b', bootId: 'x', connId: 'y', controlUiBuildSource: 'bundled' },
  auth: { method: 'token', role: 'operator', scopes: ['operator.read'], recoveryScope: 'r', deviceToken: 'SECRET-DEVICE-TOKEN', issuedAtMs: 1 },
  snapshot: {
    health: { ok: true, plugins: { loaded: ['a', 'b'], errors: [], unavailable: [] }, channels: {}, agents: [{ agentId: 'main' }], eventLoop: { degraded: false } },
    uptimeMs: 301544,
  },
  policy: { tickIntervalMs: 30000 },
  features: { methods: ['health'] },
  somethingNew: { kept: true },
};

test('parseHelloOk: lenient, keeps unknown keys, drops the device token', () => {
  const hello = parseHelloOk(HELLO)!;
  assert.ok(hello);
  assert.equal(hello.server?.version, '2026.9.6');
  assert.deepEqual(hello.auth?.scopes, ['operator.read']);
  assert.deepEqual((hello as Record<string, unknown>).somethingNew, { kept: true });
  assert.ok(!JSON.stringify(hello).includes('SECRET-DEVICE-TOKEN'));
  assert.equal(parseHelloOk({ type: 'hello-ok' }), null, 'protocol is required');
  assert.ok(parseHelloOk({ type: 'hello-ok', protocol: 4 }), 'everything else is optional');
  const s = summarizeHello(hello);
  assert.equal(s.version, '2026.9.6');
  assert.equal(s.authMethod, 'token');
  assert.equal(s.health.text, 'Health ok · 2 plugins · 1 agent · 0 channels · up 5 min');
});

const target = (input: string): GatewayTarget => {
  const p = parseGatewayInput(input);
  assert.ok(p.ok);
  return p.target;
};

test('browser rules: mixed content, local network access, origin allowlist', () => {
  const get = (input: string, origin: string) => Object.fromEntries(browserPrechecks(target(input), { origin }).map((c) => [c.id, c]));

  const lan = get('ws://192.168.1.20:18789', 'https://pairing.example.org');
  assert.equal(lan['mixed-content'].status, 'fail');
  assert.equal(lan['mixed-content'].signatureId, 'mixed-content-blocked');
  assert.ok(lan['mixed-content'].fixes.some((f) => /wss/.test(f)) && lan['mixed-content'].fixes.some((f) => /localhost/.test(f)));
  assert.equal(lan['local-network-access'].status, 'warn');
  assert.equal(lan['local-network-access'].signatureId, 'local-network-access-blocked');

  const loop = get('ws://127.0.0.1:18789', 'https://pairing.example.org');
  assert.equal(loop['mixed-content'].status, 'pass', 'ws to loopback is not mixed content');
  assert.equal(loop['local-network-access'].status, 'warn');
  assert.equal(loop['origin-allowlist'].status, 'warn');

  const wss = get('wss://box.tail1234.ts.net', 'https://pairing.example.org');
  assert.equal(wss['mixed-content'].status, 'pass');
  assert.equal(wss['local-network-access'].status, 'warn');

  const publicGw = get('wss://gw.example.com', 'https://pairing.example.org');
  assert.equal(publicGw['local-network-access'].status, 'pass');

  const local = get('ws://127.0.0.1:18789', 'http://localhost:4321');
  assert.equal(local['mixed-content'].status, 'pass');
  assert.equal(local['local-network-access'].status, 'pass');
  assert.equal(local['origin-allowlist'].status, 'pass');

  const localToLan = get('ws://10.0.0.5:18789', 'http://localhost:4321');
  assert.equal(localToLan['mixed-content'].status, 'pass', 'http page: no mixed content');
  assert.equal(localToLan['local-network-access'].status, 'pass', 'loopback page to LAN is not more private');
  assert.equal(localToLan['origin-allowlist'].status, 'warn');

  assert.equal(get('ws://127.0.0.1:6000', 'http://localhost:4321')['blocked-port'].status, 'fail');
  assert.equal(get('ws://127.0.0.1:18789', 'http://localhost:4321')['blocked-port'], undefined);

  const lanPage = get('ws://127.0.0.1:18789', 'http://192.168.1.5:4321');
  assert.equal(lanPage['local-network-access'].status, 'warn', 'private page to loopback');
});

test('commands: approve only with a safe request id; allowedOrigins keep old entries', () => {
  assert.equal(pairingCommands('4f1c7e2a-1b2c-4d5e-8f90-0123456789ab').approve, 'openclaw devices approve 4f1c7e2a-1b2c-4d5e-8f90-0123456789ab');
  assert.equal(pairingCommands('x; rm -rf ~').approve, undefined);
  assert.equal(pairingCommands(undefined).approve, undefined);
  assert.equal(pairingCommands(undefined).previewLatest, 'openclaw devices approve --latest');

  const unknown = allowedOriginsCommands('https://pairing.example.org');
  assert.equal(unknown.exact, false);
  assert.equal(unknown.inspect, 'openclaw config get gateway.controlUi.allowedOrigins --json');
  const unset = allowedOriginsCommands('https://pairing.example.org', null);
  assert.equal(unset.add, `openclaw config set gateway.controlUi.allowedOrigins '["https://pairing.example.org"]' --expect-current-absent`);
  assert.equal(unset.undo, 'openclaw config unset gateway.controlUi.allowedOrigins');
  const some = allowedOriginsCommands('https://pairing.example.org', ['https://a.example']);
  assert.equal(
    some.add,
    `openclaw config set gateway.controlUi.allowedOrigins '["https://a.example","https://pairing.example.org"]' --expect-current-json '["https://a.example"]'`,
  );
  assert.equal(
    some.undo,
    `openclaw config set gateway.controlUi.allowedOrigins '["https://a.example"]' --expect-current-json '["https://a.example","https://pairing.example.org"]'`,
  );
  assert.equal(shellQuote("it's"), `'it'\\''s'`);
  assert.deepEqual(parseAllowedOriginsOutput('[\n  "https://a.example"\n]\n'), ['https://a.example']);
  assert.equal(parseAllowedOriginsOutput('{"ok":false,"error":{"type":"cli_error","message":"Config path is valid but unset: gateway.controlUi.allowedOrigins. …"}}'), null);
  assert.equal(parseAllowedOriginsOutput('whatever'), undefined);
});
