/**
 * Node-only transport diagnostics: what a browser cannot see when a WebSocket does not open.
 *
 * The core's reachability probe asks "does anything answer over HTTP?" with fetch(). Here that
 * fetch is replaced by a real HTTP upgrade request (node:http / node:https), so the command line
 * learns the status line and body of a refused upgrade (a 403 proxy-attribution answer, a 404, a
 * 200 HTML page from a proxy that dropped the Upgrade header), TLS failures by their Node error
 * code (DEPTH_ZERO_SELF_SIGNED_CERT, ERR_TLS_CERT_ALTNAME_INVALID, ERR_SSL_WRONG_VERSION_NUMBER…)
 * and DNS failures (ENOTFOUND). The findings map to the same signature ids as the page.
 */
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { randomBytes } from 'node:crypto';
import type { Signature } from '../signatures/schema.ts';
import { matchText, type Catalog } from '../checker/core/catalog.ts';
import type { GatewayTarget } from '../checker/core/target.ts';

export interface UpgradeProbe {
  url: string;
  /** `http`: a status line came back instead of 101; `upgraded`: 101; `error`: no HTTP answer. */
  outcome: 'upgraded' | 'http' | 'error';
  status?: number;
  statusText?: string;
  contentType?: string;
  /** First 2 KB of the body, as text. */
  body?: string;
  /** Node's error code (ECONNREFUSED, ENOTFOUND, DEPTH_ZERO_SELF_SIGNED_CERT, …). */
  code?: string;
  message?: string;
  ms: number;
}

const BODY_LIMIT = 2048;

/** One `GET` with `Upgrade: websocket` (and the same Origin as the checker), never followed. */
export function probeUpgrade(url: string, opts: { origin?: string; timeoutMs?: number; signal?: AbortSignal } = {}): Promise<UpgradeProbe> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  return new Promise((resolve) => {
    let done = false;
    const finish = (p: Omit<UpgradeProbe, 'url' | 'ms'>) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      req.destroy();
      resolve({ url, ...p, ms: ms() });
    };
    const u = new URL(url);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, {
      method: 'GET',
      agent: false,
      headers: {
        Connection: 'Upgrade',
        Upgrade: 'websocket',
        'Sec-WebSocket-Version': '13',
        'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
        ...(opts.origin ? { Origin: opts.origin } : {}),
        'User-Agent': 'openclaw-pairing-check',
      },
    });
    const onAbort = () => finish({ outcome: 'error', code: 'ABORT_ERR', message: 'aborted' });
    opts.signal?.addEventListener('abort', onAbort);
    const timer = setTimeout(() => finish({ outcome: 'error', code: 'ETIMEDOUT', message: `no answer within ${opts.timeoutMs ?? 5000} ms` }), opts.timeoutMs ?? 5000);
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      finish({ outcome: 'upgraded', status: 101 });
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const answer = () =>
        finish({
          outcome: 'http',
          status: res.statusCode,
          statusText: res.statusMessage,
          ...(contentType(res.headers) ? { contentType: contentType(res.headers) } : {}),
          body: Buffer.concat(chunks).toString('utf8').slice(0, BODY_LIMIT),
        });
      res.on('data', (c: Buffer) => {
        chunks.push(c);
        size += c.length;
        if (size >= BODY_LIMIT) answer();
      });
      res.on('end', answer);
      res.on('error', answer);
      res.on('close', answer);
    });
    req.on('error', (e: NodeJS.ErrnoException) => finish({ outcome: 'error', code: e.code ?? e.name, message: e.message }));
    req.end();
  });
}

const contentType = (h: IncomingHttpHeaders) => (typeof h['content-type'] === 'string' ? h['content-type'] : undefined);

/**
 * A fetch() for the core's probeHttp: it sends the upgrade request instead and records what came
 * back. Any HTTP answer counts as "an HTTP server answered" (the core's rule); errors throw.
 */
export function recordingFetch(probes: UpgradeProbe[], origin: string | undefined): typeof globalThis.fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const probe = await probeUpgrade(url, { origin, signal: init?.signal ?? undefined });
    probes.push(probe);
    if (probe.outcome === 'error') throw Object.assign(new Error(probe.message ?? probe.code ?? 'network error'), { code: probe.code });
    return { status: probe.status ?? 0, body: null } as unknown as Response;
  }) as typeof globalThis.fetch;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  'EPROTO',
]);
export const isTlsError = (code: string | undefined) => !!code && (TLS_CODES.has(code) || code.startsWith('ERR_TLS_') || code.startsWith('ERR_SSL_'));
const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/** What the probe found, as a signature id and one sentence for the reachability step. */
export interface TransportFinding {
  signatureId: string;
  summary: string;
  probe: UpgradeProbe;
}

const oneLine = (s: string, max = 300) => {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max)}…` : t;
};

function describeBody(p: UpgradeProbe): string {
  const body = p.body ?? '';
  if (!body.trim()) return 'an empty body';
  if (/html/i.test(p.contentType ?? '') || /^\s*<(?:!doctype|html)/i.test(body)) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(body)?.[1]?.trim();
    return title ? `an HTML page titled "${oneLine(title, 120)}"` : `an HTML page (${oneLine(body, 160)})`;
  }
  return `the body ${oneLine(body)}`;
}

/** The signature with an `http:` answer of this status whose body this answer carries, if any. */
function httpSignature(p: UpgradeProbe, signatures: readonly Signature[], catalog: Catalog): string | null {
  const candidates = signatures.filter((s) => s.http?.status === p.status);
  const body = (p.body ?? '').trim();
  const exact = candidates.find((s) => s.http?.body && body.includes(s.http.body.trim()));
  if (exact) return exact.id;
  if (body && candidates.length) {
    const m = matchText(body, catalog.filter((e) => candidates.some((c) => c.id === e.id)));
    if (m?.complete) return m.id;
  }
  return null;
}

/** Turns the first probe of a failed open into a signature and a precise sentence, or null. */
export function transportFinding(probes: readonly UpgradeProbe[], target: GatewayTarget, signatures: readonly Signature[], catalog: Catalog): TransportFinding | null {
  const p = probes[0];
  if (!p) return null;
  const where = `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
  if (p.outcome === 'http') {
    const id = httpSignature(p, signatures, catalog) ?? 'upgrade-refused';
    const status = `HTTP ${p.status}${p.statusText ? ` ${p.statusText}` : ''}`;
    const hint =
      id !== 'upgrade-refused'
        ? ''
        : p.status === 200
          ? ' A proxy in front of the gateway did not forward the WebSocket upgrade, or this is another web server.'
          : p.status === 404
            ? ' The path or the proxy route points at something other than the gateway.'
            : p.status && p.status >= 500
              ? ' A proxy could not reach the gateway behind it.'
              : '';
    return { signatureId: id, probe: p, summary: `${p.url} answered the WebSocket upgrade with ${status} and ${describeBody(p)} instead of 101 Switching Protocols.${hint}` };
  }
  if (p.outcome === 'error') {
    const code = p.code ?? 'error';
    if (isTlsError(code)) {
      const plain = /wrong version number|packet length too long|http request/i.test(p.message ?? '') || code === 'ERR_SSL_WRONG_VERSION_NUMBER';
      return {
        signatureId: 'tls-failed',
        probe: p,
        summary: `TLS failed with ${code}${p.message ? ` (${oneLine(p.message, 160)})` : ''}.${plain ? ' The port speaks plain HTTP: use ws:// for the gateway port, wss:// only for a TLS proxy.' : ''}`,
      };
    }
    if (DNS_CODES.has(code)) return { signatureId: 'connection-refused', probe: p, summary: `The host name ${target.host} does not resolve (${code}).` };
    if (code === 'ECONNREFUSED') return { signatureId: 'connection-refused', probe: p, summary: `Nothing accepts connections on ${where} (ECONNREFUSED): the gateway is not running there, or listens on another address or port.` };
    if (['ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL'].includes(code)) {
      return { signatureId: 'connection-refused', probe: p, summary: `No route to ${where} or no answer (${code}): a firewall dropping packets, a wrong address, or a host that is down.` };
    }
    return null;
  }
  return null;
}
