/** Helpers for the checker's real-gateway tests (Node standing in for a browser page). */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import type { TestContext } from 'node:test';
import type { WebSocketConstructor } from '../../src/checker/core/handshake.ts';
import type { CheckResult } from '../../src/checker/core/run-check.ts';
import { loadSignatureCatalog } from '../support/signatures.ts';
import { OPENCLAW_BIN_DIR, type Gateway } from '../support/gateway.ts';

export const catalog = loadSignatureCatalog();

/**
 * Node 24's WebSocket (undici) with a browser-like Origin header: the gateway then applies the
 * same origin, pairing and rate-limit rules as to a page on that origin.
 */
export function originWebSocket(origin: string): WebSocketConstructor {
  return class extends WebSocket {
    constructor(url: string) {
      super(url, { headers: { origin } } as unknown as string[]);
    }
  } as unknown as WebSocketConstructor;
}

/**
 * The expected signature: always checks the gateway's details code; checks the signature id
 * when content/errors has it (the collection may still be growing).
 */
export function expectSignature(t: TestContext, result: CheckResult, id: string, detailsCode?: string) {
  if (detailsCode) assert.equal(result.classification?.detailsCode, detailsCode, `details code for ${id}`);
  if (catalog.some((e) => e.id === id) || !detailsCode) {
    assert.equal(result.classification?.signatureId, id);
  } else {
    t.diagnostic(`content/errors has no "${id}" yet; classified as ${result.classification?.signatureId ?? 'nothing'}`);
  }
}

export interface Proxy {
  port: number;
  close(): Promise<void>;
}

/**
 * A loopback TCP proxy that adds `X-Forwarded-For` to each HTTP upgrade request, so a client on
 * this machine looks remote to a gateway with `gateway.trustedProxies: ["127.0.0.1"]`.
 */
export async function startXffProxy(targetPort: number, forwardedFor = '203.0.113.50'): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    let head = Buffer.alloc(0);
    const upstream = connect(targetPort, '127.0.0.1');
    sockets.add(upstream);
    const onData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      client.off('data', onData);
      const lines = head.subarray(0, end).toString('latin1').split('\r\n');
      lines.splice(1, 0, `X-Forwarded-For: ${forwardedFor}`);
      upstream.write(Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), head.subarray(end)]));
      client.pipe(upstream);
      upstream.pipe(client);
    };
    client.on('data', onData);
    const cleanup = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', cleanup).on('close', cleanup);
    upstream.on('error', cleanup).on('close', cleanup);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** An HTTP server that is not a gateway: answers everything, upgrades nothing. */
export async function startPlainHttpServer(): Promise<Proxy> {
  const server = createHttpServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Some other app</title>');
  });
  // Without this Node would hand upgrade requests to the request handler anyway; be explicit.
  server.on('upgrade', (_req, socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

/** Runs a command line the checker shows (as a reader would paste it) against this gateway. */
export function runShown(gateway: Gateway, commandLine: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const p = spawn('sh', ['-c', commandLine], {
      env: { ...process.env, ...gateway.env, PATH: `${OPENCLAW_BIN_DIR}:${process.env.PATH ?? ''}`, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => (stdout += d));
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Waits until the gateway log shows a hot reload after `before` reload lines (config set by a shown command). */
export async function waitForReload(gateway: Gateway, before: number, timeoutMs = 15_000) {
  const until = Date.now() + timeoutMs;
  while (reloadCount(gateway) <= before && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
}
export const reloadCount = (gateway: Gateway) => gateway.logTail(2000).split('\n').filter((l) => l.includes('config hot reload applied')).length;

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
