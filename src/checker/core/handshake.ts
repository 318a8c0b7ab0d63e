import { parseFrame, parseHelloOk, type ErrorShape, type HelloOk } from './frames';
import { buildSignedPayloadV3, type DeviceIdentity } from './identity';

export const CHECKER_VERSION = '0.1.0';

/** The connect profile: the gateway treats it exactly like the reader's dashboard in this browser. */
export const CLIENT_PROFILE = {
  id: 'openclaw-control-ui',
  mode: 'webchat',
  platform: 'web',
  displayName: 'OpenClaw pairing checker (read-only)',
  role: 'operator',
  scopes: ['operator.read'],
  protocol: 4,
} as const;

/** The subset of the WebSocket API used here (browser WebSocket and Node 24's global both fit). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  addEventListener(type: string, listener: (event: any) => void): void;
  removeEventListener(type: string, listener: (event: any) => void): void;
}
export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface Credentials {
  token?: string;
  password?: string;
}

export interface HandshakeTimeouts {
  /** Until the socket opens (TCP + TLS + HTTP upgrade). */
  openMs: number;
  /** From open until `connect.challenge`. */
  challengeMs: number;
  /** From sending `connect` until the response (loopback auth failures are delayed up to 5 s). */
  responseMs: number;
  /** From an error response until the server's close frame. */
  closeMs: number;
  /**
   * The whole attempt, whatever the phases take: a peer that stalls each phase just short of its
   * own limit still gets an answer within this (each phase's limit is cut to what is left).
   */
  totalMs: number;
}
/**
 * A reader gets a verdict within about 8 s even from a peer that stalls: 5 s to open (plus the
 * reachability probe, see probe.ts, 3 s), 5 s for the challenge, and 8 s in all, which leaves a
 * real gateway's delayed auth failures (up to 5 s on loopback) room to arrive.
 */
export const DEFAULT_TIMEOUTS: HandshakeTimeouts = { openMs: 5_000, challengeMs: 5_000, responseMs: 8_000, closeMs: 2_000, totalMs: 8_000 };

export type HandshakePhase = 'opening' | 'open' | 'challenge' | 'connect-sent' | 'response';

export interface HandshakeOptions {
  url: string;
  identity: DeviceIdentity;
  credentials?: Credentials;
  WebSocket?: WebSocketConstructor;
  signal?: AbortSignal;
  timeouts?: Partial<HandshakeTimeouts>;
  clientVersion?: string;
  /** Sent as client.buildId when set (e.g. "dev"; the gateway checks it only for same-origin pages). */
  buildId?: string;
  onPhase?: (phase: HandshakePhase, elapsedMs: number) => void;
}

/** Milliseconds from the start of the attempt; absent when that phase was not reached. */
export interface HandshakeTimings {
  openMs?: number;
  challengeMs?: number;
  responseMs?: number;
  totalMs: number;
}

export interface CloseInfo {
  code: number;
  reason: string;
  wasClean: boolean;
}

export interface ChallengeInfo {
  /** Gateway clock (epoch ms) when it sent the challenge. */
  ts: number;
}

export type HandshakeResult =
  | { kind: 'hello'; hello: HelloOk; challenge: ChallengeInfo; timings: HandshakeTimings }
  | { kind: 'rejected'; error: ErrorShape; close: CloseInfo | null; challenge: ChallengeInfo; timings: HandshakeTimings }
  | { kind: 'closed-before-open'; close: CloseInfo | null; errorMessage?: string; timings: HandshakeTimings }
  | { kind: 'open-timeout'; timings: HandshakeTimings }
  | { kind: 'closed-before-challenge'; close: CloseInfo; timings: HandshakeTimings }
  | { kind: 'no-challenge-timeout'; timings: HandshakeTimings }
  | { kind: 'closed-before-response'; close: CloseInfo; challenge: ChallengeInfo; timings: HandshakeTimings }
  | { kind: 'no-response-timeout'; challenge: ChallengeInfo; timings: HandshakeTimings }
  | { kind: 'invalid-frame'; reason: string; phase: 'challenge' | 'response'; timings: HandshakeTimings }
  | { kind: 'aborted'; timings: HandshakeTimings };

const OPEN = 1;
const CONNECTING = 0;

const now = () => globalThis.performance?.now() ?? Date.now();

export interface ConnectParams {
  minProtocol: number;
  maxProtocol: number;
  client: { id: string; mode: string; version: string; platform: string; displayName: string; buildId?: string };
  role: string;
  scopes: string[];
  device: { id: string; publicKey: string; signature: string; signedAt: number; nonce: string };
  auth?: { token?: string; password?: string };
}

/** The `connect` request params (without secrets in anything but `auth`). */
export async function buildConnectParams(
  identity: DeviceIdentity,
  challenge: { nonce: string; ts: number },
  credentials: Credentials = {},
  client: { version?: string; buildId?: string } = {},
): Promise<ConnectParams> {
  const token = credentials.token || undefined;
  const password = token ? undefined : credentials.password || undefined;
  const payload = buildSignedPayloadV3({
    deviceId: identity.id,
    clientId: CLIENT_PROFILE.id,
    clientMode: CLIENT_PROFILE.mode,
    role: CLIENT_PROFILE.role,
    scopes: CLIENT_PROFILE.scopes,
    signedAtMs: challenge.ts,
    token, // the password is never part of the signed payload
    nonce: challenge.nonce,
    platform: CLIENT_PROFILE.platform,
  });
  return {
    minProtocol: CLIENT_PROFILE.protocol,
    maxProtocol: CLIENT_PROFILE.protocol,
    client: {
      id: CLIENT_PROFILE.id,
      mode: CLIENT_PROFILE.mode,
      version: client.version ?? CHECKER_VERSION,
      platform: CLIENT_PROFILE.platform,
      displayName: CLIENT_PROFILE.displayName,
      ...(client.buildId ? { buildId: client.buildId } : {}),
    },
    role: CLIENT_PROFILE.role,
    scopes: [...CLIENT_PROFILE.scopes],
    device: {
      id: identity.id,
      publicKey: identity.publicKey,
      signature: await identity.sign(payload),
      signedAt: challenge.ts,
      nonce: challenge.nonce,
    },
    ...(token ? { auth: { token } } : password ? { auth: { password } } : {}),
  };
}

/**
 * One connection attempt: open, wait for the challenge, send a signed `connect`, wait for the
 * answer (and, after an error, for the server's close). Always closes its socket and clears
 * its timers; never throws for network or protocol problems.
 */
export function attemptHandshake(opts: HandshakeOptions): Promise<HandshakeResult> {
  const t = { ...DEFAULT_TIMEOUTS, ...opts.timeouts };
  const Ctor = opts.WebSocket ?? (globalThis.WebSocket as unknown as WebSocketConstructor | undefined);
  const start = now();
  const elapsed = () => Math.round(now() - start);
  const timings: HandshakeTimings = { totalMs: 0 };

  return new Promise<HandshakeResult>((resolve) => {
    if (opts.signal?.aborted) return resolve({ kind: 'aborted', timings: { totalMs: 0 } });
    if (!Ctor) return resolve({ kind: 'closed-before-open', close: null, errorMessage: 'No WebSocket in this runtime', timings: { totalMs: 0 } });

    let ws: WebSocketLike;
    try {
      ws = new Ctor(opts.url);
    } catch (e) {
      // Browsers throw synchronously for blocked URLs (e.g. mixed content in some engines).
      return resolve({ kind: 'closed-before-open', close: null, errorMessage: e instanceof Error ? e.message : String(e), timings: { totalMs: elapsed() } });
    }
    opts.onPhase?.('opening', 0);

    let phase: 'opening' | 'challenge' | 'signing' | 'response' | 'closing' | 'done' = 'opening';
    let timer: ReturnType<typeof setTimeout> | undefined;
    let challenge: ChallengeInfo | undefined;
    let pendingError: ErrorShape | undefined;
    let errorMessage: string | undefined;
    const requestId = `check-${Math.random().toString(36).slice(2, 10)}`;

    const arm = (ms: number, onTimeout: () => void) => {
      if (timer !== undefined) clearTimeout(timer);
      timer = setTimeout(onTimeout, Math.max(0, Math.min(ms, t.totalMs - (now() - start))));
    };
    const finish = (result: HandshakeResult) => {
      if (phase === 'done') return;
      phase = 'done';
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      opts.signal?.removeEventListener('abort', onAbort);
      ws.removeEventListener('open', onOpen);
      ws.removeEventListener('message', onMessage);
      ws.removeEventListener('close', onClose);
      ws.removeEventListener('error', onError);
      if (ws.readyState === OPEN || ws.readyState === CONNECTING) {
        try {
          ws.close(1000);
        } catch {
          /* already closing */
        }
      }
      result.timings.totalMs = elapsed();
      resolve(result);
    };
    const snapshot = (): HandshakeTimings => ({ ...timings, totalMs: elapsed() });

    const onAbort = () => finish({ kind: 'aborted', timings: snapshot() });
    const onOpen = () => {
      timings.openMs = elapsed();
      opts.onPhase?.('open', timings.openMs);
      phase = 'challenge';
      arm(t.challengeMs, () => finish({ kind: 'no-challenge-timeout', timings: snapshot() }));
    };
    const onError = (event: { message?: string; error?: { message?: string } }) => {
      // The close event follows with the details; keep any message the runtime gives (Node does).
      errorMessage = event?.error?.message ?? event?.message ?? errorMessage;
    };
    const onClose = (event: { code: number; reason: string; wasClean: boolean }) => {
      const close: CloseInfo = { code: event.code, reason: event.reason ?? '', wasClean: !!event.wasClean };
      if (phase === 'opening') return finish({ kind: 'closed-before-open', close, ...(errorMessage ? { errorMessage } : {}), timings: snapshot() });
      if (phase === 'challenge') return finish({ kind: 'closed-before-challenge', close, timings: snapshot() });
      if (phase === 'closing' && pendingError && challenge) return finish({ kind: 'rejected', error: pendingError, close, challenge, timings: snapshot() });
      if (challenge) return finish({ kind: 'closed-before-response', close, challenge, timings: snapshot() });
    };
    const onMessage = (event: { data: unknown }) => {
      const frame = parseFrame(event.data);
      if (phase === 'challenge') {
        if (frame.kind === 'invalid') return finish({ kind: 'invalid-frame', reason: frame.reason, phase: 'challenge', timings: snapshot() });
        if (frame.kind !== 'challenge') return; // other early events are not ours to judge
        challenge = { ts: frame.ts };
        timings.challengeMs = elapsed();
        opts.onPhase?.('challenge', timings.challengeMs);
        phase = 'signing';
        void sendConnect(frame.nonce, frame.ts);
        return;
      }
      if (phase !== 'response') return;
      if (frame.kind === 'invalid') return finish({ kind: 'invalid-frame', reason: frame.reason, phase: 'response', timings: snapshot() });
      if ((frame.kind !== 'ok' && frame.kind !== 'error') || frame.id !== requestId) return;
      timings.responseMs = elapsed();
      opts.onPhase?.('response', timings.responseMs);
      if (frame.kind === 'ok') {
        const hello = parseHelloOk(frame.payload);
        if (!hello) return finish({ kind: 'invalid-frame', reason: 'connect succeeded but the answer is not hello-ok', phase: 'response', timings: snapshot() });
        return finish({ kind: 'hello', hello, challenge: challenge!, timings: snapshot() });
      }
      pendingError = frame.error;
      phase = 'closing';
      arm(t.closeMs, () => finish({ kind: 'rejected', error: frame.error, close: null, challenge: challenge!, timings: snapshot() }));
    };

    const sendConnect = async (nonce: string, ts: number) => {
      try {
        const params = await buildConnectParams(opts.identity, { nonce, ts }, opts.credentials, { version: opts.clientVersion, buildId: opts.buildId });
        if (phase !== 'signing') return; // closed or aborted while signing
        ws.send(JSON.stringify({ type: 'req', id: requestId, method: 'connect', params }));
        phase = 'response';
        opts.onPhase?.('connect-sent', elapsed());
        arm(t.responseMs, () => finish({ kind: 'no-response-timeout', challenge: challenge!, timings: snapshot() }));
      } catch (e) {
        finish({ kind: 'closed-before-response', close: { code: 0, reason: `could not send connect: ${e instanceof Error ? e.message : String(e)}`, wasClean: false }, challenge: challenge!, timings: snapshot() });
      }
    };

    ws.addEventListener('open', onOpen);
    ws.addEventListener('message', onMessage);
    ws.addEventListener('close', onClose);
    ws.addEventListener('error', onError);
    opts.signal?.addEventListener('abort', onAbort);
    arm(t.openMs, () => finish({ kind: 'open-timeout', timings: snapshot() }));
  });
}
