import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchDetails, matchText, matchTextAll, type CatalogEntry } from '../../src/checker/core/catalog.ts';
import { classify, TRANSPORT_SIGNATURES } from '../../src/checker/core/classify.ts';
import type { HandshakeResult } from '../../src/checker/core/handshake.ts';
import { loadSignatureCatalog } from '../support/signatures.ts';

/** A small catalog shaped like content/errors, to test the matching rules on their own. */
const FIXTURE: CatalogEntry[] = [
  {
    id: 'auth-token-mismatch',
    title: 'Gateway token mismatch',
    layer: 'auth',
    detailsCode: 'AUTH_TOKEN_MISMATCH',
    messages: [
      { text: 'unauthorized: gateway token mismatch (provide gateway auth token)' },
      { text: "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)" },
      { text: 'unauthorized: gateway token mismatch (open the dashboard URL and paste the token in Control UI settings)' },
    ],
  },
  {
    id: 'auth-token-missing',
    title: 'Gateway token missing',
    layer: 'auth',
    detailsCode: 'AUTH_TOKEN_MISSING',
    messages: [{ text: 'unauthorized: gateway token missing (provide gateway auth token)' }],
  },
  { id: 'auth-unauthorized', title: 'Unauthorized', layer: 'auth', detailsCode: 'AUTH_UNAUTHORIZED', messages: [{ text: 'unauthorized' }] },
  {
    id: 'pairing-not-paired',
    title: 'Pairing required: device not approved yet',
    layer: 'pairing',
    detailsCode: 'PAIRING_REQUIRED',
    detailsMatch: { reason: 'not-paired' },
    messages: [
      { text: 'pairing required: device is not approved yet' },
      { text: 'pairing required: device is not approved yet (requestId: <requestId>)' },
      { text: 'gateway connect failed: GatewayClientRequestError: device pairing required (requestId: <requestId>)', source: 'cli' },
    ],
  },
  {
    id: 'pairing-scope-upgrade',
    title: 'Pairing required: scope upgrade',
    layer: 'pairing',
    detailsCode: 'PAIRING_REQUIRED',
    detailsMatch: { reason: 'scope-upgrade' },
    messages: [{ text: 'pairing required: device is asking for more scopes than currently approved (requestId: <requestId>)' }],
  },
  { id: 'protocol-mismatch', title: 'Protocol mismatch', layer: 'protocol', detailsCode: 'PROTOCOL_MISMATCH', messages: [{ text: 'protocol mismatch' }] },
  {
    id: 'control-ui-updated',
    title: 'Control UI updated',
    layer: 'protocol',
    detailsCode: 'PROTOCOL_MISMATCH',
    detailsMatch: { reloadRequired: true },
    messages: [{ text: 'protocol mismatch: Control UI updated; reload this page to continue' }],
  },
  {
    id: 'origin-not-allowed',
    title: 'Origin not allowed',
    layer: 'origin',
    detailsCode: 'CONTROL_UI_ORIGIN_NOT_ALLOWED',
    messages: [{ text: 'origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)' }],
  },
  { id: 'invalid-role', title: 'Invalid role', layer: 'protocol', messages: [{ text: 'invalid role' }] },
  { id: 'gateway-starting', title: 'Gateway starting', layer: 'service', close: { code: 1013, reason: 'gateway starting' }, messages: [{ text: 'gateway starting; retry shortly' }] },
];

const challenge = { ts: 1 };
const timings = { totalMs: 10 };
const rejected = (error: { code: string; message: string; details?: Record<string, unknown> }, close: { code: number; reason: string } | null = { code: 1008, reason: error.message }): HandshakeResult => ({
  kind: 'rejected',
  error,
  close: close && { ...close, wasClean: true },
  challenge,
  timings,
});

test('classify: details.code first, detailsMatch picks the variant, fallback entry without detailsMatch', () => {
  const c = classify(rejected({ code: 'INVALID_REQUEST', message: 'unauthorized: gateway token mismatch (x)', details: { code: 'AUTH_TOKEN_MISMATCH' } }), FIXTURE);
  assert.equal(c.signatureId, 'auth-token-mismatch');
  assert.equal(c.via, 'details');
  assert.equal(c.layer, 'auth');

  const reload = classify(rejected({ code: 'UNAVAILABLE', message: 'protocol mismatch: Control UI updated; reload this page to continue', details: { code: 'PROTOCOL_MISMATCH', reloadRequired: true } }), FIXTURE);
  assert.equal(reload.signatureId, 'control-ui-updated');
  const version = classify(rejected({ code: 'INVALID_REQUEST', message: 'protocol mismatch', details: { code: 'PROTOCOL_MISMATCH', expectedProtocol: 4 } }, { code: 1002, reason: 'protocol mismatch' }), FIXTURE);
  assert.equal(version.signatureId, 'protocol-mismatch');

  const scope = classify(
    rejected({
      code: 'NOT_PAIRED',
      message: 'pairing required: device is asking for more scopes than currently approved',
      details: { code: 'PAIRING_REQUIRED', reason: 'scope-upgrade', requestId: 'a6bfbbb6-de9b-4929-afab-59006dde39ff', recommendedNextStep: 'wait_then_retry' },
    }, { code: 1008, reason: 'pairing required: device is asking for more scopes than currently approved (requestId: a6bfbbb6-de9b-4929-afab-59006dde3' }),
    FIXTURE,
  );
  assert.equal(scope.signatureId, 'pairing-scope-upgrade');
  assert.equal(scope.requestId, 'a6bfbbb6-de9b-4929-afab-59006dde39ff', 'full id from details, not the cut close reason');
  assert.equal(scope.pairingReason, 'scope-upgrade');
  assert.equal(scope.recommendedNextStep, 'wait_then_retry');

  assert.equal(matchDetails({ code: 'PAIRING_REQUIRED', reason: 'something-new' }, FIXTURE), null, 'no fallback entry for this code');
  const unknownReason = classify(rejected({ code: 'NOT_PAIRED', message: 'pairing required: device is not approved yet', details: { code: 'PAIRING_REQUIRED', reason: 'something-new' } }), FIXTURE);
  assert.equal(unknownReason.signatureId, 'pairing-not-paired', 'falls back to the message text');
  assert.equal(unknownReason.via, 'text');
});

test('classify: request id only from details, only when safe', () => {
  const fromReasonOnly = classify(rejected({ code: 'NOT_PAIRED', message: 'pairing required: device is not approved yet' }, { code: 1008, reason: 'pairing required: device is not approved yet (requestId: 94658e47-126d-4302-835f-a410240185fd)' }), FIXTURE);
  assert.equal(fromReasonOnly.signatureId, 'pairing-not-paired');
  assert.equal(fromReasonOnly.requestId, undefined);
  for (const bad of ['$(reboot)', 'a b', '-rf', '', 'x'.repeat(129), 'id;ls', "a'b"]) {
    const c = classify(rejected({ code: 'NOT_PAIRED', message: 'pairing required: device is not approved yet', details: { code: 'PAIRING_REQUIRED', reason: 'not-paired', requestId: bad } }), FIXTURE);
    assert.equal(c.requestId, undefined, bad);
  }
  const ok = classify(rejected({ code: 'NOT_PAIRED', message: '', details: { code: 'PAIRING_REQUIRED', reason: 'not-paired', requestId: 'req_1.2:3-4' } }), FIXTURE);
  assert.equal(ok.requestId, 'req_1.2:3-4');
});

test('classify: older gateways without details match by text; lifecycle close codes by code', () => {
  assert.equal(classify(rejected({ code: 'INVALID_REQUEST', message: 'invalid role' }), FIXTURE).signatureId, 'invalid-role');
  const old = classify(rejected({ code: 'INVALID_REQUEST', message: "unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)" }), FIXTURE);
  assert.equal(old.signatureId, 'auth-token-mismatch');
  assert.equal(old.via, 'text');
  const starting = classify(rejected({ code: 'UNAVAILABLE', message: 'gateway starting; retry shortly', details: { reason: 'startup-sidecars' } }, { code: 1013, reason: 'gateway starting' }), FIXTURE);
  assert.equal(starting.signatureId, 'gateway-starting');
  assert.equal(starting.via, 'close-code');
  const unknown = classify(rejected({ code: 'FORBIDDEN', message: 'something nobody has seen' }), FIXTURE);
  assert.equal(unknown.signatureId, null);
  assert.equal(unknown.message, 'something nobody has seen');
});

test('classify: transport outcomes use fixed ids', () => {
  const close = (code: number, reason = '') => ({ code, reason, wasClean: false });
  const cases: [HandshakeResult, Parameters<typeof classify>[2], string][] = [
    [{ kind: 'closed-before-open', close: close(1006), timings }, { kind: 'network-error' }, 'connection-refused'],
    [{ kind: 'closed-before-open', close: close(1006), timings }, { kind: 'http-answered', status: 200 }, 'upgrade-refused'],
    [{ kind: 'closed-before-open', close: close(1006), timings }, { kind: 'plain-http-on-tls-port' }, 'tls-failed'],
    [{ kind: 'open-timeout', timings }, { kind: 'network-error' }, 'connection-refused'],
    [{ kind: 'closed-before-challenge', close: close(1012, 'service restart'), timings }, undefined, 'gateway-restarting'],
    [{ kind: 'closed-before-challenge', close: close(1013, 'gateway starting'), timings }, undefined, 'gateway-starting'],
    [{ kind: 'closed-before-response', close: close(4001, 'device removed'), challenge, timings }, undefined, 'device-removed'],
    [{ kind: 'closed-before-challenge', close: close(1006), timings }, undefined, 'abnormal-close-1006'],
    [{ kind: 'closed-before-challenge', close: close(1000), timings }, undefined, 'not-a-gateway'],
    [{ kind: 'no-challenge-timeout', timings }, undefined, 'not-a-gateway'],
    [{ kind: 'invalid-frame', reason: 'not JSON', phase: 'challenge', timings }, undefined, 'not-a-gateway'],
    [{ kind: 'no-response-timeout', challenge, timings }, undefined, 'handshake-timeout'],
  ];
  for (const [result, probe, id] of cases) {
    const c = classify(result, FIXTURE, probe);
    assert.equal(c.signatureId, id, `${result.kind} ${JSON.stringify(probe)}`);
    assert.ok(c.layer, `${id} has a layer`);
  }
  assert.equal(classify({ kind: 'hello', hello: { type: 'hello-ok', protocol: 4 }, challenge, timings }, FIXTURE).signatureId, null);
});

test('matchText: pasted lines, case, surrounding text, cut-off ids, longest match', () => {
  const m = (line: string) => matchText(line, FIXTURE)?.id;
  assert.equal(m("disconnected (1008): unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)"), 'auth-token-mismatch');
  assert.equal(m('gateway closed (1008): pairing required: device is not approved yet (requestId: 4f1c…)'), 'pairing-not-paired');
  assert.equal(m('GATEWAY CLOSED (1008): PAIRING REQUIRED: DEVICE IS NOT APPROVED YET (REQUESTID: 4F1C'), 'pairing-not-paired');
  assert.equal(m('close 1008 "pairing required: device is asking for more scopes than currently approved (requestId: a6bfbbb6-de9b-4929-afab-59006dde3"'), 'pairing-scope-upgrade');
  assert.equal(m('2026-11-23T10:00:00Z warn gateway/ws closed before connect conn=x code=1008 reason=pairing required: device is not approved yet (requestId: 94658e47) phase=auth_validated'), 'pairing-not-paired');
  assert.equal(m('[openclaw] gateway connect failed: GatewayClientRequestError: device pairing required (requestId: 713a7297-5d7f-41cf-b58c-e03689d9e7df)'), 'pairing-not-paired');
  assert.equal(m('unauthorized'), 'auth-unauthorized');
  assert.equal(m('close 1008 "unauthorized"'), 'auth-unauthorized');
  assert.equal(m('unauthorized: gateway token missing (provide gateway auth token)'), 'auth-token-missing');
  assert.equal(m('unauthorized: gateway token mismatch (open the dashboard URL and paste the tok'), 'auth-token-mismatch', 'cut mid-text');
  assert.equal(m('gateway token mismatch'), 'auth-token-mismatch', 'a fragment');
  assert.equal(m('pairing required'), 'pairing-not-paired', 'legacy bare "pairing required"');
  assert.equal(m('protocol mismatch: Control UI updated; reload this page to continue'), 'control-ui-updated');
  assert.equal(m('disconnected (1002): protocol mismatch'), 'protocol-mismatch');
  assert.equal(m('origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOri'), 'origin-not-allowed');
  assert.equal(m('disconnected (4013): gateway starting'), 'gateway-starting', 'close reason text');
  assert.equal(m('hello world'), undefined);
  assert.equal(m(''), undefined);
  assert.equal(m('ab'), undefined);
  assert.equal(m('pairing req'), undefined, 'short fragments do not classify');
  assert.equal(matchText('pairing req', FIXTURE, { minFragment: 4 })?.id, 'pairing-not-paired', 'but can match for search');
  assert.deepEqual(matchTextAll('token mis', FIXTURE, 10, { minFragment: 4 }).map((r) => r.id).sort(), ['auth-token-mismatch', 'auth-token-missing']);
  assert.deepEqual(matchTextAll('token mism', FIXTURE, 10, { minFragment: 4 }).map((r) => r.id), ['auth-token-mismatch']);
  const all = matchTextAll('unauthorized: gateway token mismatch', FIXTURE).map((r) => r.id);
  assert.equal(all[0], 'auth-token-mismatch');
  assert.ok(all.includes('auth-unauthorized'));
});

// ---- The real collection -----------------------------------------------------------------

const REQUIRED_TRANSPORT_IDS = Object.keys(TRANSPORT_SIGNATURES);
const catalog = loadSignatureCatalog();
const fill = (text: string) => text.replace(/<requestId>/gi, '4f1c7e2a-1b2c-4d5e-8f90-0123456789ab').replace(/<[^<>]+>/g, 'x1');

test('content/errors: has every signature id the checker emits itself', () => {
  const ids = new Set(catalog.map((e) => e.id));
  const missing = REQUIRED_TRANSPORT_IDS.filter((id) => !ids.has(id));
  assert.deepEqual(missing, [], `missing in content/errors: ${missing.join(', ')}`);
});

test(`content/errors: every signature classifies to itself (${catalog.length} signatures)`, () => {
  for (const entry of catalog) {
    if (entry.detailsCode) {
      const message = fill(entry.messages.find((m) => (m.source ?? 'gateway') === 'gateway')?.text ?? entry.messages[0].text);
      const details: Record<string, unknown> = { code: entry.detailsCode, ...entry.detailsMatch };
      const c = classify(rejected({ code: entry.errorCode ?? 'INVALID_REQUEST', message, details }, { code: entry.close?.code ?? 1008, reason: message }), catalog);
      assert.equal(c.signatureId, entry.id, `${entry.id}: details ${JSON.stringify(details)} → ${c.signatureId}`);
    }
    for (const message of entry.messages) {
      const line = fill(message.text);
      const hit = matchText(line, catalog);
      assert.ok(hit, `${entry.id}: "${line}" matches nothing`);
      const ids = [hit.id, ...hit.alsoMatches];
      assert.ok(ids.includes(entry.id), `${entry.id}: "${line}" matches ${ids.join(', ')}`);
    }
  }
});

test('content/errors: the search examples from the brief', (t) => {
  const examples: [string, string, string?][] = [
    ["disconnected (1008): unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)", 'AUTH_TOKEN_MISMATCH'],
    ['gateway closed (1008): pairing required: device is not approved yet (requestId: 4f1c…)', 'PAIRING_REQUIRED', 'not-paired'],
    ['close 1008 "pairing required: device is asking for more scopes than currently approved (requestId: a6bfbbb6-de9b-4929-afab-59006dde3"', 'PAIRING_REQUIRED', 'scope-upgrade'],
    ['pairing required: device is asking for a higher role than currently approved (requestId: bcb22c83-489b-470b-b632-76ce922', 'PAIRING_REQUIRED', 'role-upgrade'],
  ];
  for (const [line, code, reason] of examples) {
    const expected = catalog.find((e) => e.detailsCode === code && (!reason || e.detailsMatch?.reason === reason));
    if (!expected) {
      t.diagnostic(`no signature for ${code}${reason ? ` ${reason}` : ''} in content/errors yet`);
      continue;
    }
    assert.equal(matchText(line, catalog)?.id, expected.id, line);
  }
});
