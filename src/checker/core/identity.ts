/**
 * The checker's own device identity (Ed25519), as the gateway expects it:
 * `device.id` = hex sha256 of the raw 32-byte public key, key and signatures base64url.
 * The private key stays inside the identity object and its store: a non-extractable WebCrypto
 * key where the runtime has Ed25519, otherwise a @noble/ed25519 seed.
 */

export interface DeviceIdentity {
  readonly id: string;
  /** Raw 32-byte public key, base64url without padding. */
  readonly publicKey: string;
  readonly backend: 'webcrypto' | 'noble';
  readonly createdAtMs: number;
  /** Ed25519 signature of the UTF-8 payload, base64url without padding. */
  sign(payload: string): Promise<string>;
}

/** What a store keeps (structured-cloneable: CryptoKeys clone, they do not export). */
export type StoredKey =
  | { v: 1; backend: 'webcrypto'; keyPair: CryptoKeyPair; publicKeyRaw: Uint8Array; createdAtMs: number }
  | { v: 1; backend: 'noble'; seed: Uint8Array; publicKeyRaw: Uint8Array; createdAtMs: number };

export interface IdentityStore {
  /** The stored identity, or null. */
  load(): Promise<DeviceIdentity | null>;
  /** The stored identity, creating and storing one the first time. */
  loadOrCreate(): Promise<DeviceIdentity>;
  /** Deletes the key; the next check starts as a new device (the gateway sees a new id). */
  forget(): Promise<void>;
}

export interface KeyOptions {
  /** Use @noble/ed25519 even when WebCrypto has Ed25519 (tests). */
  forceNoble?: boolean;
}

function subtle(): SubtleCrypto {
  const s = globalThis.crypto?.subtle;
  if (!s) {
    throw new Error('This browser exposes no WebCrypto here (crypto.subtle). Open the checker over https:// or http://localhost (a secure context).');
  }
  return s;
}

const bytes = (b: ArrayBuffer | Uint8Array) => (b instanceof Uint8Array ? b : new Uint8Array(b));

export function base64url(data: Uint8Array): string {
  let bin = '';
  for (const b of data) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

const hex = (data: Uint8Array) => Array.from(data, (b) => b.toString(16).padStart(2, '0')).join('');

/** Lowercase hex sha256 of the raw public key: the gateway's device id. */
export async function deviceIdFromPublicKey(publicKeyRaw: Uint8Array): Promise<string> {
  return hex(bytes(await subtle().digest('SHA-256', publicKeyRaw as Uint8Array<ArrayBuffer>)));
}

let webCryptoEd25519: Promise<boolean> | undefined;
/** Whether this runtime's WebCrypto can generate and use Ed25519 keys. */
export function hasWebCryptoEd25519(): Promise<boolean> {
  webCryptoEd25519 ??= (async () => {
    try {
      const kp = (await subtle().generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
      await subtle().sign({ name: 'Ed25519' }, kp.privateKey, new Uint8Array(1));
      return true;
    } catch {
      return false;
    }
  })();
  return webCryptoEd25519;
}

const noble = () => import('@noble/ed25519');

export async function generateKey(opts: KeyOptions = {}): Promise<StoredKey> {
  const createdAtMs = Date.now();
  if (!opts.forceNoble && (await hasWebCryptoEd25519())) {
    const keyPair = (await subtle().generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as CryptoKeyPair;
    // Public keys stay exportable even when the pair is generated non-extractable.
    const publicKeyRaw = bytes(await subtle().exportKey('raw', keyPair.publicKey));
    return { v: 1, backend: 'webcrypto', keyPair, publicKeyRaw, createdAtMs };
  }
  const ed = await noble();
  const seed = ed.utils.randomSecretKey();
  const publicKeyRaw = await ed.getPublicKeyAsync(seed);
  return { v: 1, backend: 'noble', seed, publicKeyRaw, createdAtMs };
}

export async function identityFromKey(key: StoredKey): Promise<DeviceIdentity> {
  const id = await deviceIdFromPublicKey(key.publicKeyRaw);
  const publicKey = base64url(key.publicKeyRaw);
  const encode = (payload: string) => new TextEncoder().encode(payload);
  if (key.backend === 'webcrypto') {
    const privateKey = key.keyPair.privateKey;
    return {
      id,
      publicKey,
      backend: 'webcrypto',
      createdAtMs: key.createdAtMs,
      sign: async (payload) => base64url(bytes(await subtle().sign({ name: 'Ed25519' }, privateKey, encode(payload)))),
    };
  }
  const seed = key.seed;
  return {
    id,
    publicKey,
    backend: 'noble',
    createdAtMs: key.createdAtMs,
    sign: async (payload) => base64url(await (await noble()).signAsync(encode(payload), seed)),
  };
}

/** Verifies a base64url signature against a base64url raw public key (tests, diagnostics). */
export async function verifySignature(publicKey: string, payload: string, signature: string): Promise<boolean> {
  const ed = await noble();
  try {
    return await ed.verifyAsync(fromBase64url(signature), new TextEncoder().encode(payload), fromBase64url(publicKey));
  } catch {
    return false;
  }
}

/** Shared by both stores: one key per store, created once even under concurrent calls. */
function storeFrom(io: { read(): Promise<StoredKey | null>; write(k: StoredKey): Promise<void>; clear(): Promise<void> }, opts: KeyOptions): IdentityStore {
  let pending: Promise<DeviceIdentity> | null = null;
  const load = async () => {
    const key = await io.read();
    return key ? identityFromKey(key) : null;
  };
  return {
    load,
    loadOrCreate() {
      pending ??= (async () => {
        const existing = await load();
        if (existing) return existing;
        const key = await generateKey(opts);
        await io.write(key);
        return identityFromKey(key);
      })().finally(() => {
        pending = null;
      });
      return pending;
    },
    async forget() {
      await io.clear();
    },
  };
}

/** Keeps the key in memory (Node, tests). */
export function memoryStore(opts: KeyOptions = {}): IdentityStore {
  let key: StoredKey | null = null;
  return storeFrom(
    {
      read: async () => key,
      write: async (k) => {
        key = k;
      },
      clear: async () => {
        key = null;
      },
    },
    opts,
  );
}

export interface IndexedDbStoreOptions extends KeyOptions {
  dbName?: string;
  /** Defaults to globalThis.indexedDB. */
  indexedDB?: IDBFactory;
}

const STORE = 'identity';
const KEY = 'device';

/** Keeps the key in IndexedDB (browser): the CryptoKeyPair by structured clone, or the noble seed. */
export function indexedDbStore(opts: IndexedDbStoreOptions = {}): IdentityStore {
  const dbName = opts.dbName ?? 'openclaw-pairing-checker';
  const open = () =>
    new Promise<IDBDatabase>((resolve, reject) => {
      const factory = opts.indexedDB ?? globalThis.indexedDB;
      if (!factory) return reject(new Error('IndexedDB is not available in this browser (private mode?): the checker cannot remember its device key.'));
      const req = factory.open(dbName, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  const run = async <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> => {
    const db = await open();
    try {
      return await new Promise<T>((resolve, reject) => {
        const tx = db.transaction(STORE, mode);
        const req = fn(tx.objectStore(STORE));
        tx.oncomplete = () => resolve(req.result);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error);
      });
    } finally {
      db.close();
    }
  };
  return storeFrom(
    {
      read: async () => ((await run('readonly', (s) => s.get(KEY))) as StoredKey | undefined) ?? null,
      write: async (k) => {
        await run('readwrite', (s) => s.put(k, KEY));
      },
      clear: async () => {
        await run('readwrite', (s) => s.delete(KEY));
      },
    },
    opts,
  );
}

// ---- Signed payload -----------------------------------------------------------------------

export interface SignedPayloadFields {
  deviceId: string;
  clientId: string;
  clientMode: string;
  role: string;
  /** In the order sent (the gateway does not sort). */
  scopes: readonly string[];
  /** The challenge `ts`, epoch ms. */
  signedAtMs: number;
  /** `auth.token` (or deviceToken/bootstrapToken); never the password. Empty when none. */
  token?: string;
  nonce: string;
  platform: string;
  deviceFamily?: string;
}

/** The gateway trims and ASCII-lowercases platform and deviceFamily before verifying. */
const normalizeMeta = (s: string | undefined) => (s ?? '').trim().replace(/[A-Z]/g, (c) => c.toLowerCase());

/** `v3|deviceId|clientId|mode|role|scopes|signedAt|token|nonce|platform|deviceFamily` */
export function buildSignedPayloadV3(f: SignedPayloadFields): string {
  return [
    'v3',
    f.deviceId,
    f.clientId,
    f.clientMode,
    f.role,
    f.scopes.join(','),
    String(f.signedAtMs),
    f.token ?? '',
    f.nonce,
    normalizeMeta(f.platform),
    normalizeMeta(f.deviceFamily),
  ].join('|');
}
