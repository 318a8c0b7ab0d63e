/**
 * The WebSocket the command line connects with: Node 24's own WebSocket (undici) plus the two
 * things a browser page sends by itself, an `Origin` header and (for the dashboard the gateway
 * serves) the Control UI build id.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebSocketConstructor } from '../checker/core/handshake.ts';
import type { GatewayTarget } from '../checker/core/target.ts';

/**
 * `origin`: sent as the Origin header (undici's extension of the WebSocket constructor).
 * `buildId`: added as `client.buildId` to the connect request. It is not part of the signed
 * payload, so the device signature stays valid; the page's own dashboard sends it the same way.
 */
export function cliWebSocket(opts: { origin?: string; buildId?: string }): WebSocketConstructor {
  const Base = globalThis.WebSocket;
  return class CliWebSocket extends Base {
    constructor(url: string) {
      super(url, (opts.origin ? { headers: { origin: opts.origin } } : undefined) as unknown as string[]);
    }
    send(data: Parameters<WebSocket['send']>[0]) {
      if (opts.buildId && typeof data === 'string') {
        try {
          const frame = JSON.parse(data) as { type?: string; method?: string; params?: { client?: Record<string, unknown> } };
          if (frame.type === 'req' && frame.method === 'connect' && frame.params?.client && !frame.params.client.buildId) {
            frame.params.client.buildId = opts.buildId;
            return super.send(JSON.stringify(frame));
          }
        } catch {
          /* not JSON: send as is */
        }
      }
      return super.send(data);
    }
  } as unknown as WebSocketConstructor;
}

/** Origin (`scheme://host[:port]`) of the dashboard the gateway serves at this address. */
export function gatewayOrigin(target: GatewayTarget): string {
  return new URL(target.httpUrl).origin;
}

/** Whether the gateway will see this Origin as the page it serves itself (same host and port). */
export function isSameOrigin(origin: string, target: GatewayTarget): boolean {
  try {
    return new URL(origin).host === new URL(target.httpUrl).host;
  } catch {
    return false;
  }
}

/** Checks a `--origin` value: `http(s)://host[:port]`, nothing else. Returns it normalized, or an error. */
export function parseOrigin(value: string): { ok: true; origin: string } | { ok: false; error: string } {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    return { ok: false, error: `--origin must be an origin like https://dashboard.example.com or http://localhost:4321.` };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { ok: false, error: '--origin must start with http:// or https:// (it is the address of a web page).' };
  if (u.username || u.password || (u.pathname !== '/' && u.pathname !== '') || u.search || u.hash) {
    return { ok: false, error: '--origin is only scheme, host and port (no path, query, fragment or user name).' };
  }
  return { ok: true, origin: u.origin };
}

/**
 * The build id the gateway stamps into the dashboard page it serves at this address
 * (`<html data-openclaw-control-ui-build-id="…">`), as the page sends it in `client.buildId`, or
 * undefined when the page cannot be read.
 */
export function servedBuildId(target: GatewayTarget, timeoutMs = 3000): Promise<string | undefined> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (v: string | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      req.destroy();
      resolve(v);
    };
    const u = new URL(target.httpUrl);
    const req = (u.protocol === 'https:' ? httpsRequest : httpRequest)(u, { method: 'GET', agent: false, headers: { Accept: 'text/html', 'User-Agent': 'openclaw-pairing-check' } });
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    req.on('response', (res) => {
      if (res.statusCode !== 200) return finish(undefined);
      let html = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        html += c;
        // `<build id>-<sha256 of the assets>`; the page sends the build id part (the gateway reads
        // it the same way: control-ui-assets, publicAssetBuildId).
        const m = /data-openclaw-control-ui-build-id="([a-zA-Z0-9._-]{1,161})"/.exec(html);
        if (m) finish(/^([a-zA-Z0-9._-]{1,96})-[a-f0-9]{64}$/.exec(m[1])?.[1] ?? (m[1].length <= 96 ? m[1] : undefined));
        else if (html.length > 65536 || /<\/head>/i.test(html)) finish(undefined);
      });
      res.on('end', () => finish(undefined));
      res.on('error', () => finish(undefined));
    });
    req.on('error', () => finish(undefined));
    req.end();
  });
}
