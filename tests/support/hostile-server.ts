/**
 * A hostile or broken "gateway" for browser tests of the checker: the one place a fake is right,
 * since a real gateway cannot be made to misbehave. Each behaviour is a small named scenario on a
 * free loopback port: `startHostileServer('no-challenge')`.
 *
 * It is node:http plus a WebSocket upgrade done by hand (Sec-WebSocket-Accept computed here,
 * frames written and read here), so a scenario can break the protocol anywhere. The parts of the
 * protocol it does speak correctly match the real 2026.9.6 gateway (see
 * /work/shared/reference/openclaw-connect-errors.md): the `connect.challenge` event, the
 * `{"type":"res","ok":false,"error":{code,message,details}}` error frame followed by a server
 * close, close reasons cut to 120 UTF-8 bytes, 1008 / 1012 / 1013 close codes, the restart
 * `shutdown` event and the hello-ok payload.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';

export const HOSTILE_SCENARIOS = [
  /** Upgrades, then never sends connect.challenge. */
  'no-challenge',
  /** Sends the challenge, then never answers `connect`. */
  'no-response',
  /** Waits 4.5 s before the challenge, then never answers: only an overall deadline ends it in time. */
  'slow-drip',
  /** A text frame that is not JSON instead of the challenge. */
  'not-json',
  /** JSON of the wrong shape instead of the challenge (another protocol's message). */
  'wrong-shape',
  /** A valid challenge, then `ok:true` to connect with a payload that is not hello-ok. */
  'wrong-shape-answer',
  /** A binary frame instead of the challenge (the gateway only ever sends text). */
  'binary',
  /** A valid challenge, then a single 30 MB text frame (a well-formed error frame) as the answer. */
  'huge-frame',
  /** A valid challenge, then 10 000 small event frames in one burst, then a real token-mismatch answer. */
  'burst',
  /** A real token-mismatch error whose details (and error) also carry a 10 000-level nested object (60 KB). */
  'deep-details',
  /** Error message, details code and close reason carrying HTML and script. */
  'html-error',
  /** No answer, only a close whose reason carries HTML and script. */
  'html-close',
  /** PAIRING_REQUIRED whose requestId (and close reason) carries HTML and script. */
  'html-request-id',
  /** Receives connect, then drops the TCP connection without a close frame. */
  'close-mid-handshake',
  /** Receives connect, then closes with 1011 and a reason nobody knows. */
  'close-mid-handshake-1011',
  /** Accepts TCP, reads the request, never answers (neither the upgrade nor plain HTTP). */
  'never-upgrade',
  /** wss:// to a port that answers the TLS ClientHello with garbage (and plain HTTP with a page). */
  'tls-garbage',
  /** Answers the upgrade (and any request) with the gateway's 403 proxy-attribution JSON. */
  'http-403',
  /** Answers with 404. */
  'http-404',
  /** Answers with a 200 HTML page (a proxy that drops Upgrade, or another app). */
  'http-200',
  /** PAIRING_REQUIRED with a fixed request id on every attempt, until approve(); then hello-ok. */
  'pairing',
  /**
   * PAIRING_REQUIRED (fixed id), then on the next attempt the restart: `shutdown` event and close
   * 1012, listener down for `downMs`, one `gateway starting` 1013, then PAIRING_REQUIRED again
   * with the same id until approve(), then hello-ok.
   */
  'restart-during-pairing',
] as const;
export type HostileScenario = (typeof HOSTILE_SCENARIOS)[number];

export const SCRIPT = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>`;
/** The fixed request id the pairing scenarios hand out (a real gateway uses a UUID like this). */
export const FIXED_REQUEST_ID = '0b7e1f52-3c4d-4e6f-8a9b-0c1d2e3f4a5b';
const HUGE_FRAME_BYTES = 30 * 1024 * 1024;
const BURST_FRAMES = 10_000;

export interface ConnectSeen {
  at: number;
  /** The request id the client used. */
  id: unknown;
  deviceId?: string;
  clientId?: string;
}

export interface HostileStats {
  /** TCP connections accepted. */
  tcpConnections: number;
  /** Plain HTTP requests (the checker's reachability probe). */
  httpRequests: number;
  /** WebSocket upgrades completed (101 sent). */
  upgrades: number;
  /** `connect` requests received. */
  connects: ConnectSeen[];
  /** Most TCP connections open at the same time. */
  maxOpen: number;
  /** What happened, in order (for failure messages). */
  log: string[];
}

export interface HostileServer {
  scenario: HostileScenario;
  port: number;
  /** `ws://127.0.0.1:<port>/` (`wss://` for tls-garbage). */
  wsUrl: string;
  stats: HostileStats;
  /** Pairing scenarios: the next connect gets hello-ok. */
  approve(): void;
  /** Resolves when the scenario reaches a named point ('restarted', 'paired-after-restart'). */
  reached(point: string): Promise<void>;
  close(): Promise<void>;
}

export interface HostileOptions {
  /** restart-during-pairing: how long the listener is down (connection refused). Default 2000. */
  downMs?: number;
}

// ---- WebSocket framing (RFC 6455), by hand ---------------------------------------------------

const WS_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
export const acceptKey = (key: string) => createHash('sha1').update(key + WS_GUID).digest('base64');

/** A server frame (never masked). */
export function encodeFrame(opcode: number, payload: Buffer): Buffer {
  const len = payload.length;
  let header: Buffer;
  if (len < 126) {
    header = Buffer.from([0x80 | opcode, len]);
  } else if (len < 65536) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([header, payload]);
}
const textFrame = (text: string) => encodeFrame(0x1, Buffer.from(text, 'utf8'));

/** The gateway cuts close reasons to 120 UTF-8 bytes (`truncateCloseReason`), without splitting a character. */
export function truncateCloseReason(reason: string, maxBytes = 120): string {
  const buf = Buffer.from(reason, 'utf8');
  if (buf.length <= maxBytes) return reason;
  let end = maxBytes;
  while (end > 0 && (buf[end] & 0xc0) === 0x80) end--;
  return buf.subarray(0, end).toString('utf8');
}

function closeFrame(code: number, reason: string): Buffer {
  const text = Buffer.from(truncateCloseReason(reason), 'utf8');
  const payload = Buffer.alloc(2 + text.length);
  payload.writeUInt16BE(code, 0);
  text.copy(payload, 2);
  return encodeFrame(0x8, payload);
}

interface ClientFrame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Reads complete (masked) client frames from the front of buf. */
function readFrames(buf: Buffer): { frames: ClientFrame[]; rest: Buffer } {
  const frames: ClientFrame[] = [];
  let off = 0;
  for (;;) {
    if (buf.length - off < 2) break;
    const b0 = buf[off];
    const b1 = buf[off + 1];
    let len = b1 & 0x7f;
    let pos = off + 2;
    if (len === 126) {
      if (buf.length - pos < 2) break;
      len = buf.readUInt16BE(pos);
      pos += 2;
    } else if (len === 127) {
      if (buf.length - pos < 8) break;
      const big = buf.readBigUInt64BE(pos);
      if (big > 1_000_000n) throw new Error('client frame too large for this test server');
      len = Number(big);
      pos += 8;
    }
    const masked = (b1 & 0x80) !== 0;
    const maskLen = masked ? 4 : 0;
    if (buf.length - pos < maskLen + len) break;
    const mask = masked ? buf.subarray(pos, pos + 4) : null;
    pos += maskLen;
    const payload = Buffer.from(buf.subarray(pos, pos + len));
    if (mask) for (let i = 0; i < payload.length; i++) payload[i] ^= mask[i & 3];
    frames.push({ fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload });
    off = pos + len;
  }
  return { frames, rest: buf.subarray(off) };
}

/** One upgraded socket, seen from the server. */
class Peer {
  #socket: Duplex;
  #buffer: Buffer = Buffer.alloc(0);
  #fragments: Buffer[] = [];
  #closed = false;
  onText: (text: string) => void = () => {};

  constructor(socket: Duplex) {
    this.#socket = socket;
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', () => {});
  }

  get closed() {
    return this.#closed;
  }

  sendText(text: string) {
    if (!this.#closed) this.#socket.write(textFrame(text));
  }
  sendJson(value: unknown) {
    this.sendText(JSON.stringify(value));
  }
  sendRaw(bytes: Buffer) {
    if (!this.#closed) this.#socket.write(bytes);
  }
  /** A close frame, then the TCP end (as the gateway does after an error frame). */
  close(code: number, reason = '') {
    if (this.#closed) return;
    this.#closed = true;
    this.#socket.end(closeFrame(code, reason));
  }
  /** Drops the connection without a close frame (the client sees 1006). */
  destroy() {
    this.#closed = true;
    this.#socket.destroy();
  }

  /** Bytes read from the socket (also the upgrade's `head`). */
  feed(chunk: Buffer) {
    this.#onData(chunk);
  }

  #onData(chunk: Buffer) {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
    let parsed: ReturnType<typeof readFrames>;
    try {
      parsed = readFrames(this.#buffer);
    } catch {
      return this.destroy();
    }
    this.#buffer = parsed.rest;
    for (const frame of parsed.frames) {
      if (frame.opcode === 0x8) {
        // Client close: answer it with the same code, like any server.
        const code = frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1000;
        if (!this.#closed) this.close(code === 1005 || code === 1006 ? 1000 : code);
        continue;
      }
      if (frame.opcode === 0x9) {
        this.sendRaw(encodeFrame(0xa, frame.payload));
        continue;
      }
      if (frame.opcode === 0x1 || frame.opcode === 0x0 || frame.opcode === 0x2) {
        this.#fragments.push(frame.payload);
        if (!frame.fin) continue;
        const text = Buffer.concat(this.#fragments).toString('utf8');
        this.#fragments = [];
        if (!this.#closed) this.onText(text);
      }
    }
  }
}

// ---- The real gateway's frames ---------------------------------------------------------------

const challengeFrame = () => ({
  type: 'event',
  event: 'connect.challenge',
  payload: { nonce: randomUUID(), ts: Date.now(), capabilities: ['model-catalog-snapshot'] },
});

const errorFrame = (id: unknown, error: Record<string, unknown>) => ({ type: 'res', id, ok: false, error });

const pairingError = (requestId: string, deviceId: string | undefined) => ({
  code: 'NOT_PAIRED',
  message: 'pairing required: device is not approved yet',
  details: {
    code: 'PAIRING_REQUIRED',
    reason: 'not-paired',
    requestId,
    remediationHint: 'Approve this device from the pending pairing requests.',
    // Control UI clients with a pending request get these hints (reference §1e).
    recommendedNextStep: 'wait_then_retry',
    retryable: true,
    pauseReconnect: false,
    ...(deviceId ? { deviceId } : {}),
    requestedRole: 'operator',
    requestedScopes: ['operator.read'],
  },
});
const pairingCloseReason = (requestId: string) => `pairing required: device is not approved yet (requestId: ${requestId})`;

const TOKEN_MISMATCH = {
  code: 'INVALID_REQUEST',
  message: 'unauthorized: gateway token mismatch (open the dashboard URL and paste the token in Control UI settings)',
  details: { code: 'AUTH_TOKEN_MISMATCH', authReason: 'token_mismatch', canRetryWithDeviceToken: true, recommendedNextStep: 'retry_with_device_token' },
};

const GATEWAY_STARTING = {
  code: 'UNAVAILABLE',
  message: 'gateway starting; retry shortly',
  retryable: true,
  retryAfterMs: 500,
  details: { reason: 'startup-sidecars' },
};

export const HOSTILE_VERSION = '2026.9.6';
const helloOk = () => ({
  type: 'hello-ok',
  protocol: 4,
  server: { version: HOSTILE_VERSION, buildId: '2026.9.6-release-eb377ac59e6c-2026-09-23T16-33-12.144Z', bootId: randomUUID(), controlUiBuildSource: 'bundled', connId: randomUUID() },
  auth: { method: 'token', role: 'operator', scopes: ['operator.read'], deviceToken: randomBytes(32).toString('base64url'), issuedAtMs: Date.now() },
  policy: { maxPayload: 26214400, maxBufferedBytes: 52428800, tickIntervalMs: 30000 },
  snapshot: { health: { ok: true }, uptimeMs: 60_000 },
});

const PROXY_ATTRIBUTION_403 =
  '{"error":{"message":"Proxy client attribution is required. Configure gateway.trustedProxies narrowly and make the proxy overwrite or safely rebuild forwarded client headers.","type":"proxy_attribution_required"}}';
const HTML_PAGE = '<!doctype html><html><head><title>Some other app</title></head><body><h1>Welcome</h1></body></html>';

interface ConnectRequest {
  id: unknown;
  params?: { device?: { id?: string }; client?: { id?: string } };
}

// ---- The server ------------------------------------------------------------------------------

export async function startHostileServer(scenario: HostileScenario, opts: HostileOptions = {}): Promise<HostileServer> {
  const downMs = opts.downMs ?? 2000;
  const t0 = Date.now();
  const stats: HostileStats = { tcpConnections: 0, httpRequests: 0, upgrades: 0, connects: [], maxOpen: 0, log: [] };
  const log = (what: string) => stats.log.push(`+${Date.now() - t0}ms ${what}`);
  const sockets = new Set<Socket>();
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => (timers.delete(t), fn()), ms);
    timers.add(t);
  };
  let approved = false;
  let stopped = false;
  /** restart-during-pairing: 'before' → 'restarting' (next connect gets 1012) → 'starting' (one 1013) → 'after'. */
  let restart: 'before' | 'restarting' | 'down' | 'starting' | 'after' = 'before';
  const points = new Map<string, { promise: Promise<void>; resolve: () => void; done: boolean }>();
  const point = (name: string) => {
    let p = points.get(name);
    if (!p) {
      let resolve!: () => void;
      const promise = new Promise<void>((r) => (resolve = r));
      p = { promise, resolve, done: false };
      points.set(name, p);
    }
    return p;
  };
  const reach = (name: string) => {
    const p = point(name);
    if (!p.done) {
      p.done = true;
      log(`reached ${name}`);
      p.resolve();
    }
  };

  /** The plain HTTP side (the checker's probe, and the upgrade for HTTP-answer scenarios). */
  const httpAnswer = (res: ServerResponse | null, socket: Duplex | null) => {
    const send = (status: number, type: string, body: string) => {
      if (res) {
        res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body), connection: 'close' });
        res.end(body);
      } else if (socket) {
        const reason = { 200: 'OK', 403: 'Forbidden', 404: 'Not Found' }[status] ?? 'Error';
        socket.end(`HTTP/1.1 ${status} ${reason}\r\ncontent-type: ${type}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      }
    };
    switch (scenario) {
      case 'never-upgrade':
        return; // keep the socket, say nothing
      case 'http-403':
        return send(403, 'application/json; charset=utf-8', PROXY_ATTRIBUTION_403);
      case 'http-404':
        return send(404, 'text/plain; charset=utf-8', 'Not Found');
      default:
        // Like the gateway's own port: plain HTTP gets a page.
        return send(200, 'text/html; charset=utf-8', HTML_PAGE);
    }
  };

  const onConnect = (peer: Peer, req: ConnectRequest) => {
    const deviceId = req.params?.device?.id;
    stats.connects.push({ at: Date.now() - t0, id: req.id, deviceId, clientId: req.params?.client?.id });
    log(`connect #${stats.connects.length}`);
    const reject = (error: Record<string, unknown>, code: number, reason: string) => {
      peer.sendJson(errorFrame(req.id, error));
      peer.close(code, reason);
    };
    const pairingOrHello = () => {
      if (approved) {
        log('hello-ok');
        return peer.sendJson({ type: 'res', id: req.id, ok: true, payload: helloOk() });
      }
      reject(pairingError(FIXED_REQUEST_ID, deviceId), 1008, pairingCloseReason(FIXED_REQUEST_ID));
    };
    switch (scenario) {
      case 'no-response':
      case 'slow-drip':
        return; // never answer
      case 'wrong-shape-answer':
        return peer.sendJson({ type: 'res', id: req.id, ok: true, payload: { type: 'welcome', motd: 'hi' } });
      case 'huge-frame': {
        // One well-formed error frame whose message is 30 MB.
        const head = JSON.stringify(errorFrame(req.id, { code: 'INVALID_REQUEST', message: '@@' })).split('@@');
        const fill = HUGE_FRAME_BYTES - Buffer.byteLength(head[0]) - Buffer.byteLength(head[1]);
        peer.sendRaw(encodeFrame(0x1, Buffer.concat([Buffer.from(head[0]), Buffer.alloc(fill, 'A'), Buffer.from(head[1])])));
        log('sent 30 MB frame');
        return;
      }
      case 'burst': {
        const frames: Buffer[] = [];
        for (let i = 0; i < BURST_FRAMES; i++) frames.push(textFrame(JSON.stringify({ type: 'event', event: 'tick', payload: { ts: Date.now(), seq: i } })));
        peer.sendRaw(Buffer.concat(frames));
        log(`sent ${BURST_FRAMES} frames`);
        return reject(TOKEN_MISMATCH, 1008, TOKEN_MISMATCH.message);
      }
      case 'deep-details': {
        const deep = '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000);
        const frame = JSON.stringify(errorFrame(req.id, { ...TOKEN_MISMATCH, details: { ...TOKEN_MISMATCH.details, extra: '@@' }, trace: '@@' })).replaceAll('"@@"', deep);
        peer.sendText(frame);
        peer.close(1008, TOKEN_MISMATCH.message);
        return;
      }
      case 'html-error':
        return reject({ code: 'INVALID_REQUEST', message: `gateway says ${SCRIPT}`, details: { code: `X_${SCRIPT}` } }, 1008, SCRIPT);
      case 'html-close':
        return peer.close(1008, SCRIPT);
      case 'html-request-id':
        return reject(pairingError(SCRIPT, deviceId), 1008, pairingCloseReason(SCRIPT));
      case 'close-mid-handshake':
        return peer.destroy();
      case 'close-mid-handshake-1011':
        return peer.close(1011, 'upstream went away');
      case 'pairing':
        return pairingOrHello();
      case 'restart-during-pairing':
        if (restart === 'restarting') {
          // What a held connection sees on `openclaw gateway restart`: shutdown event, then 1012.
          peer.sendJson({ type: 'event', event: 'shutdown', payload: { reason: 'gateway restarting', restartExpectedMs: 1500 } });
          peer.close(1012, 'service restart');
          goDown();
          return;
        }
        if (restart === 'starting') {
          restart = 'after';
          return reject(GATEWAY_STARTING, 1013, 'gateway starting');
        }
        if (restart === 'before') {
          restart = 'restarting';
          return pairingOrHello();
        }
        if (!approved) reach('paired-after-restart');
        return pairingOrHello();
      default:
        return;
    }
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const key = req.headers['sec-websocket-key'];
    if (scenario === 'never-upgrade') return log('upgrade held');
    if (scenario === 'http-403' || scenario === 'http-404' || scenario === 'http-200') return httpAnswer(null, socket);
    if (typeof key !== 'string') return socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 43\r\nconnection: close\r\n\r\nMissing or invalid Sec-WebSocket-Key header');
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey(key)}\r\n\r\n`);
    stats.upgrades++;
    log(`upgrade #${stats.upgrades}`);
    const peer = new Peer(socket);
    if (head.length) peer.feed(head);
    let connected = false;
    peer.onText = (text) => {
      if (connected) return;
      let frame: ConnectRequest & { type?: unknown; method?: unknown };
      try {
        frame = JSON.parse(text);
      } catch {
        return peer.close(1000); // the gateway: first frame not JSON → 1000 ""
      }
      if (frame?.type !== 'req') return peer.close(1008, 'invalid request frame');
      if (frame.method !== 'connect') return void (peer.sendJson(errorFrame(frame.id, { code: 'INVALID_REQUEST', message: 'invalid handshake: first request must be connect' })), peer.close(1008, 'invalid handshake: first request must be connect'));
      connected = true;
      onConnect(peer, frame);
    };
    switch (scenario) {
      case 'no-challenge':
        return;
      case 'slow-drip':
        return later(4500, () => peer.sendJson(challengeFrame()));
      case 'not-json':
        return peer.sendText('Welcome to chat server v2! Type /help for commands.');
      case 'wrong-shape':
        return peer.sendJson({ jsonrpc: '2.0', method: 'session.hello', params: { server: 'other-app' } });
      case 'binary':
        return peer.sendRaw(encodeFrame(0x2, Buffer.from(JSON.stringify(challengeFrame()))));
      case 'restart-during-pairing':
        if (restart === 'down') return peer.destroy();
        return peer.sendJson(challengeFrame());
      default:
        return peer.sendJson(challengeFrame());
    }
  };

  const http = createHttpServer((req, res) => {
    stats.httpRequests++;
    log(`http ${req.method} ${req.url}`);
    httpAnswer(res, null);
  });
  http.on('upgrade', onUpgrade);
  // wss:// to this port: the TLS ClientHello is not HTTP. Answer it with something that starts
  // like a TLS handshake record and then is garbage.
  http.on('clientError', (_err, socket) => {
    if (scenario === 'tls-garbage') {
      log('tls hello answered with garbage');
      const junk = randomBytes(200);
      socket.end(Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0x00, 0xc8]), junk]));
    } else {
      socket.destroy();
    }
  });
  // Keep-alive must not hold the probe's socket open past the test.
  http.keepAliveTimeout = 100;

  // A separate TCP listener, so the restart scenario can really stop listening and come back on
  // the same port (connection refused in between).
  let listener: NetServer | undefined;
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const srv = createNetServer((socket) => {
        stats.tcpConnections++;
        sockets.add(socket);
        stats.maxOpen = Math.max(stats.maxOpen, sockets.size);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {});
        http.emit('connection', socket);
      });
      srv.once('error', reject);
      srv.listen(port, '127.0.0.1', () => {
        listener = srv;
        resolve((srv.address() as { port: number }).port);
      });
    });
  const port = await listen(0);

  function goDown() {
    restart = 'down';
    log('listener down');
    listener?.close();
    listener = undefined;
    reach('restarted');
    later(downMs, () => {
      if (stopped) return;
      void listen(port).then(
        () => {
          restart = 'starting';
          log('listener up');
        },
        (e) => log(`could not listen again: ${e}`),
      );
    });
  }

  return {
    scenario,
    port,
    wsUrl: `${scenario === 'tls-garbage' ? 'wss' : 'ws'}://127.0.0.1:${port}/`,
    stats,
    approve() {
      approved = true;
      log('approved');
    },
    reached: (name) => point(name).promise,
    close: async () => {
      stopped = true;
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => (listener ? listener.close(() => r()) : r()));
      http.close();
    },
  };
}
