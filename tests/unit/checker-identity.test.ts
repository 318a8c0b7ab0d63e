import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createPublicKey, verify } from 'node:crypto';
import {
  base64url,
  buildSignedPayloadV3,
  deviceIdFromPublicKey,
  fromBase64url,
  generateKey,
  identityFromKey,
  memoryStore,
  verifySignature,
} from '../../src/checker/core/identity.ts';
import { buildConnectParams, CHECKER_VERSION, CLIENT_PROFILE } from '../../src/checker/core/handshake.ts';
import pkg from '../../package.json' with { type: 'json' };

/** Independent check with Node's own Ed25519 (JWK import of the raw key). */
function nodeVerify(publicKey: string, payload: string, signature: string) {
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
  return verify(null, Buffer.from(payload, 'utf8'), key, fromBase64url(signature));
}

test('signed payload v3: exact field order, token, lowercased platform', () => {
  const payload = buildSignedPayloadV3({
    deviceId: 'abc',
    clientId: 'openclaw-control-ui',
    clientMode: 'webchat',
    role: 'operator',
    scopes: ['operator.read', 'operator.admin'],
    signedAtMs: 1795930413399,
    token: 'tok',
    nonce: 'n-1',
    platform: ' Web ',
    deviceFamily: 'Desktop',
  });
  assert.equal(payload, 'v3|abc|openclaw-control-ui|webchat|operator|operator.read,operator.admin|1795930413399|tok|n-1|web|desktop');
  const noToken = buildSignedPayloadV3({ deviceId: 'a', clientId: 'c', clientMode: 'm', role: 'r', scopes: [], signedAtMs: 1, nonce: 'n', platform: 'web' });
  assert.equal(noToken, 'v3|a|c|m|r||1||n|web|');
});

for (const backend of ['webcrypto', 'noble'] as const) {
  test(`identity (${backend}): id = sha256(raw key), base64url key, signatures verify`, async () => {
    const key = await generateKey({ forceNoble: backend === 'noble' });
    assert.equal(key.backend, backend);
    const identity = await identityFromKey(key);
    const raw = fromBase64url(identity.publicKey);
    assert.equal(raw.length, 32);
    assert.match(identity.publicKey, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(identity.id, createHash('sha256').update(raw).digest('hex'));
    assert.equal(identity.id, await deviceIdFromPublicKey(raw));
    const payload = 'v3|x|y|z|operator|operator.read|1|tok|nonce|web|';
    const sig = await identity.sign(payload);
    assert.match(sig, /^[A-Za-z0-9_-]{86}$/);
    assert.ok(nodeVerify(identity.publicKey, payload, sig), 'node:crypto verifies');
    assert.ok(await verifySignature(identity.publicKey, payload, sig), 'noble verifies');
    assert.equal(await verifySignature(identity.publicKey, payload + 'x', sig), false);
    if (key.backend === 'webcrypto') assert.equal(key.keyPair.privateKey.extractable, false, 'private key is not extractable');
  });
}

test('memoryStore: one identity, created once, forget() makes a new one', async () => {
  const store = memoryStore();
  assert.equal(await store.load(), null);
  const [a, b] = await Promise.all([store.loadOrCreate(), store.loadOrCreate()]);
  assert.equal(a.id, b.id);
  assert.equal((await store.load())!.id, a.id);
  await store.forget();
  assert.equal(await store.load(), null);
  const c = await store.loadOrCreate();
  assert.notEqual(c.id, a.id);
});

test('base64url round trip', () => {
  for (const len of [0, 1, 2, 3, 31, 32, 64]) {
    const data = Uint8Array.from({ length: len }, (_, i) => (i * 37 + 250) & 0xff);
    const text = base64url(data);
    assert.doesNotMatch(text, /[+/=]/);
    assert.deepEqual(fromBase64url(text), data);
  }
});

test('connect params: profile, signature over v3 payload with the token, never the password', async () => {
  const identity = await memoryStore().loadOrCreate();
  const challenge = { nonce: 'nonce-1', ts: 1795930000000 };
  const withToken = await buildConnectParams(identity, challenge, { token: 'tok-1' });
  assert.deepEqual(withToken.client, {
    id: 'openclaw-control-ui',
    mode: 'webchat',
    version: CHECKER_VERSION,
    platform: 'web',
    displayName: 'OpenClaw pairing checker (read-only)',
  });
  assert.equal(withToken.minProtocol, 4);
  assert.equal(withToken.maxProtocol, 4);
  assert.equal(withToken.role, 'operator');
  assert.deepEqual(withToken.scopes, ['operator.read']);
  assert.deepEqual(withToken.auth, { token: 'tok-1' });
  assert.equal(withToken.device.signedAt, challenge.ts);
  assert.equal(withToken.device.nonce, challenge.nonce);
  const expected = `v3|${identity.id}|openclaw-control-ui|webchat|operator|operator.read|${challenge.ts}|tok-1|nonce-1|web|`;
  assert.ok(nodeVerify(identity.publicKey, expected, withToken.device.signature));

  const withPassword = await buildConnectParams(identity, challenge, { password: 'pw-1' });
  assert.deepEqual(withPassword.auth, { password: 'pw-1' });
  const pwPayload = `v3|${identity.id}|openclaw-control-ui|webchat|operator|operator.read|${challenge.ts}||nonce-1|web|`;
  assert.ok(nodeVerify(identity.publicKey, pwPayload, withPassword.device.signature), 'password is not in the signed payload');

  const none = await buildConnectParams(identity, challenge, {});
  assert.equal('auth' in none, false);
  assert.equal(CLIENT_PROFILE.scopes.length, 1);
});

test('checker version follows package.json', () => {
  assert.equal(CHECKER_VERSION, pkg.version);
});
