import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyHost, parseGatewayInput } from '../../src/checker/core/target.ts';

type Ok = { ws: string; kind: 'loopback' | 'private' | 'public'; token?: string; oneTime?: boolean; path?: string };
type Err = { error: RegExp };

const TABLE: [string, Ok | Err][] = [
  // Plain socket URLs
  ['ws://127.0.0.1:18789', { ws: 'ws://127.0.0.1:18789/', kind: 'loopback' }],
  ['ws://127.0.0.1:18789/', { ws: 'ws://127.0.0.1:18789/', kind: 'loopback' }],
  ['  ws://localhost:18789  ', { ws: 'ws://localhost:18789/', kind: 'loopback' }],
  ['WS://LOCALHOST:18789', { ws: 'ws://localhost:18789/', kind: 'loopback' }],
  ['wss://gateway.example.com', { ws: 'wss://gateway.example.com/', kind: 'public' }],
  ['wss://gateway.example.com:8443/openclaw', { ws: 'wss://gateway.example.com:8443/openclaw', kind: 'public', path: '/openclaw' }],
  ['ws://192.168.1.20', { ws: 'ws://192.168.1.20:18789/', kind: 'private' }],
  ['ws://gw:80', { ws: 'ws://gw/', kind: 'private' }],
  // Dashboard URLs
  ['http://127.0.0.1:18789/', { ws: 'ws://127.0.0.1:18789/', kind: 'loopback' }],
  ['http://127.0.0.1:18789/#token=abc123', { ws: 'ws://127.0.0.1:18789/', kind: 'loopback', token: 'abc123' }],
  ['http://127.0.0.1:18789/?token=q1', { ws: 'ws://127.0.0.1:18789/', kind: 'loopback', token: 'q1' }],
  ['https://box.tail1234.ts.net/', { ws: 'wss://box.tail1234.ts.net/', kind: 'private' }],
  ['https://gw.example.org/chat#token=t%2Bx', { ws: 'wss://gw.example.org/chat', kind: 'public', token: 't+x', path: '/chat' }],
  ['http://127.0.0.1:18789/#bootstrapToken=abc&bootstrapProfile=owner', { ws: 'ws://127.0.0.1:18789/', kind: 'loopback', oneTime: true }],
  [
    'http://127.0.0.1:18789/#bootstrapToken=abc&bootstrapProfile=owner&gatewayUrl=ws%3A%2F%2F127.0.0.1%3A18790',
    { ws: 'ws://127.0.0.1:18790/', kind: 'loopback', oneTime: true },
  ],
  ['http://nas.local:18789', { ws: 'ws://nas.local:18789/', kind: 'private' }],
  // Bare host[:port]
  ['localhost:18789', { ws: 'ws://localhost:18789/', kind: 'loopback' }],
  ['127.0.0.1', { ws: 'ws://127.0.0.1:18789/', kind: 'loopback' }],
  ['127.0.0.5:9000', { ws: 'ws://127.0.0.5:9000/', kind: 'loopback' }],
  ['10.0.0.5:18789', { ws: 'ws://10.0.0.5:18789/', kind: 'private' }],
  ['172.16.0.1:18789', { ws: 'ws://172.16.0.1:18789/', kind: 'private' }],
  ['172.32.0.1:18789', { ws: 'ws://172.32.0.1:18789/', kind: 'public' }],
  ['100.101.102.103', { ws: 'ws://100.101.102.103:18789/', kind: 'private' }],
  ['100.128.0.1', { ws: 'ws://100.128.0.1:18789/', kind: 'public' }],
  ['8.8.8.8:18789', { ws: 'ws://8.8.8.8:18789/', kind: 'public' }],
  ['gateway.example.com', { ws: 'ws://gateway.example.com:18789/', kind: 'public' }],
  ['//localhost:18789', { ws: 'ws://localhost:18789/', kind: 'loopback' }],
  // IPv6
  ['[::1]:18789', { ws: 'ws://[::1]:18789/', kind: 'loopback' }],
  ['ws://[::1]', { ws: 'ws://[::1]:18789/', kind: 'loopback' }],
  ['ws://[fd7a:115c:a1e0::1]:18789', { ws: 'ws://[fd7a:115c:a1e0::1]:18789/', kind: 'private' }],
  ['ws://[fe80::1]:18789', { ws: 'ws://[fe80::1]:18789/', kind: 'private' }],
  ['ws://[2001:db8::1]:18789', { ws: 'ws://[2001:db8::1]:18789/', kind: 'public' }],
  ['ws://[::ffff:127.0.0.1]:18789', { ws: 'ws://[::ffff:7f00:1]:18789/', kind: 'loopback' }],
  // Rejected
  ['', { error: /enter the address/i }],
  ['   ', { error: /enter the address/i }],
  ['ws://local host:18789', { error: /space/i }],
  ['ftp://example.com', { error: /"ftp:" addresses are not supported/ }],
  ['file:///etc/passwd', { error: /not supported/ }],
  ['javascript:alert(1)', { error: /not supported/ }],
  ['ws://user:pass@127.0.0.1:18789', { error: /user name or password/ }],
  ['http://token@gw.example.com', { error: /user name or password/ }],
  ['ws://127.0.0.1:99999', { error: /out of range/ }],
  ['ws://127.0.0.1:0', { error: /out of range/ }],
  ['ws://127.0.0.1:abc', { error: /not a port number/ }],
  ['localhost:', { error: /no port/ }],
  ['18789', { error: /only a port number/ }],
  ['ws://', { error: /no host/ }],
  ['http:gw', { error: /does not look like a URL/ }],
  ['ws://!!!', { error: /not a valid host/ }],
  ['ws://0.0.0.0:18789', { error: /listens on/ }],
  ['ws://[::1', { error: /square brackets/ }],
  ['::1:18789', { error: /square brackets/ }],
];

test(`parseGatewayInput: table of ${TABLE.length} inputs`, () => {
  assert.ok(TABLE.length >= 30);
  for (const [input, want] of TABLE) {
    const got = parseGatewayInput(input);
    if ('error' in want) {
      assert.equal(got.ok, false, `${JSON.stringify(input)} should be rejected`);
      if (!got.ok) assert.match(got.error, want.error, JSON.stringify(input));
      continue;
    }
    assert.ok(got.ok, `${JSON.stringify(input)} should parse: ${!got.ok ? got.error : ''}`);
    if (!got.ok) continue;
    assert.equal(got.target.wsUrl, want.ws, JSON.stringify(input));
    assert.equal(got.target.hostKind, want.kind, `${input} host kind`);
    assert.equal(got.token, want.token, `${input} token`);
    assert.equal(got.oneTimeLink, !!want.oneTime, `${input} one-time`);
    if (want.path) assert.equal(got.target.path, want.path);
    assert.ok(!got.sanitizedInput.includes('token='), `${input}: sanitized input keeps no token`);
  }
});

test('parseGatewayInput: ports, http urls and notes', () => {
  const https = parseGatewayInput('https://gw.example.com/');
  assert.ok(https.ok && https.target.port === 443 && !https.target.explicitPort && https.target.httpUrl === 'https://gw.example.com/');
  const explicit = parseGatewayInput('ws://gw.example.com:80');
  assert.ok(explicit.ok && explicit.target.port === 80 && explicit.target.explicitPort);
  const dflt = parseGatewayInput('gw.example.com');
  assert.ok(dflt.ok && dflt.target.port === 18789 && dflt.notes.some((n) => n.includes('18789')));
  const v6 = parseGatewayInput('[::1]:18789');
  assert.ok(v6.ok && v6.target.host === '::1' && v6.target.httpUrl === 'http://[::1]:18789/');
  const link = parseGatewayInput('http://127.0.0.1:18789/?x=1&token=abc#token=def');
  assert.ok(link.ok);
  assert.equal(link.token, 'def', 'fragment wins over query');
  assert.equal(link.sanitizedInput, 'http://127.0.0.1:18789/?x=1');
  const oneTime = parseGatewayInput('http://127.0.0.1:18789/#bootstrapToken=abc');
  assert.ok(oneTime.ok && oneTime.oneTimeLink && oneTime.notes.some((n) => /one-time/.test(n)));
  assert.ok(oneTime.ok && !JSON.stringify(oneTime).includes('abc'), 'the one-time code is not passed on');
});

test('classifyHost', () => {
  const cases: [string, string][] = [
    ['localhost', 'loopback'],
    ['app.localhost', 'loopback'],
    ['127.255.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['10.1.2.3', 'private'],
    ['192.168.0.1', 'private'],
    ['169.254.1.1', 'private'],
    ['fc00::1', 'private'],
    ['fdff::1', 'private'],
    ['fe80::abcd', 'private'],
    ['febf::1', 'private'],
    ['fec0::1', 'public'],
    ['printer.local', 'private'],
    ['example.com', 'public'],
    ['1.1.1.1', 'public'],
  ];
  for (const [host, kind] of cases) assert.equal(classifyHost(host), kind, host);
});
