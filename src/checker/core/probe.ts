import type { PageContext } from './browser-rules';
import type { ProbeResult } from './classify';
import type { GatewayTarget } from './target';

export interface ProbeOptions {
  fetch?: typeof globalThis.fetch;
  timeoutMs?: number;
  signal?: AbortSignal;
  page?: PageContext | null;
}

/** GET with `no-cors`: any response at all (even opaque) means an HTTP server answered. */
async function answers(url: string, fetchImpl: typeof globalThis.fetch, timeoutMs: number, signal?: AbortSignal): Promise<{ status?: number } | null> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort);
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetchImpl(url, { mode: 'no-cors', credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer', signal: controller.signal });
    void res.body?.cancel().catch(() => {});
    return res.status ? { status: res.status } : {};
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/**
 * When the socket never opened: is there an HTTP server at that address at all? Tells "nothing
 * listens" (connection-refused) from "something answers but will not upgrade" (upgrade-refused)
 * and "TLS to a plain port" (tls-failed).
 */
export async function probeHttp(target: GatewayTarget, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const fetchImpl = opts.fetch ?? globalThis.fetch?.bind(globalThis);
  if (!fetchImpl) return { kind: 'skipped' };
  // One budget for the whole probe (both requests), so a peer that accepts connections and never
  // answers cannot stretch the verdict past it.
  const timeoutMs = opts.timeoutMs ?? 3000;
  const clock = () => globalThis.performance?.now() ?? Date.now();
  const deadline = clock() + timeoutMs;
  const answer = await answers(target.httpUrl, fetchImpl, timeoutMs, opts.signal);
  if (answer) return { kind: 'http-answered', ...answer };
  // An https page may not fetch plain http from a non-loopback host (mixed content): skip that.
  const pageSecure = opts.page?.origin.startsWith('https:');
  const left = Math.round(deadline - clock());
  if (target.secure && !(pageSecure && target.hostKind !== 'loopback') && left > 0) {
    const host = target.host.includes(':') ? `[${target.host}]` : target.host;
    const plain = await answers(`http://${host}:${target.port}${target.path}`, fetchImpl, left, opts.signal);
    if (plain) return { kind: 'plain-http-on-tls-port' };
  }
  return { kind: 'network-error' };
}
