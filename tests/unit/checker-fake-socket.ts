/**
 * A scripted in-memory WebSocket for unit tests of the handshake and runCheck (no network).
 * `script(socket)` plays the server: open(), send(frame), close(code, reason), and gets
 * onClientMessage for what the checker sends.
 */
import type { WebSocketConstructor, WebSocketLike } from '../../src/checker/core/handshake.ts';

export type ServerScript = (s: FakeSocket) => void;

export class FakeSocket implements WebSocketLike {
  readyState = 0;
  readonly url: string;
  readonly sent: unknown[] = [];
  clientClose?: { code?: number; reason?: string };
  onClientMessage: (frame: any) => void = () => {};
  private listeners = new Map<string, Set<(e: any) => void>>();

  constructor(url: string) {
    this.url = url;
  }
  addEventListener(type: string, fn: (e: any) => void) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(fn);
  }
  removeEventListener(type: string, fn: (e: any) => void) {
    this.listeners.get(type)?.delete(fn);
  }
  private fire(type: string, e: unknown) {
    for (const fn of [...(this.listeners.get(type) ?? [])]) fn(e);
  }
  send(data: string) {
    const frame = JSON.parse(data);
    this.sent.push(frame);
    queueMicrotask(() => this.onClientMessage(frame));
  }
  close(code?: number, reason?: string) {
    if (this.readyState >= 2) return;
    this.clientClose = { code, reason };
    this.readyState = 3;
    queueMicrotask(() => this.fire('close', { code: code ?? 1005, reason: reason ?? '', wasClean: true }));
  }
  // ---- server side ----
  open() {
    this.readyState = 1;
    this.fire('open', {});
  }
  serverSend(frame: unknown) {
    if (this.readyState === 1) this.fire('message', { data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }
  serverClose(code: number, reason = '') {
    if (this.readyState === 3) return;
    this.readyState = 3;
    this.fire('close', { code, reason, wasClean: code !== 1006 });
  }
  fail() {
    this.readyState = 3;
    this.fire('error', {});
    this.fire('close', { code: 1006, reason: '', wasClean: false });
  }
  challenge(nonce = 'nonce-1', ts = Date.now()) {
    this.serverSend({ type: 'event', event: 'connect.challenge', payload: { nonce, ts } });
  }
}

/** A WebSocket constructor whose every socket runs `script`; `sockets` records them. */
export function fakeWebSocket(script: ServerScript): WebSocketConstructor & { sockets: FakeSocket[] } {
  const sockets: FakeSocket[] = [];
  const Ctor = class extends FakeSocket {
    constructor(url: string) {
      super(url);
      sockets.push(this);
      setTimeout(() => script(this), 0);
    }
  };
  return Object.assign(Ctor, { sockets });
}

export const HELLO_OK = {
  type: 'hello-ok',
  protocol: 4,
  server: { version: '2026.9.6', buildId: '2026.9.6-release-x' },
  auth: { method: 'token', role: 'operator', scopes: ['operator.read'], deviceToken: 'DEVICE-TOKEN-SECRET' },
  snapshot: { health: { ok: true, plugins: { loaded: ['a'], errors: [] }, agents: [{}], channels: {} }, uptimeMs: 5000 },
};

/** Server: challenge, then answer connect with `answer(frame)`; closes after errors like the gateway. */
export const gatewayScript =
  (answer: (connect: any, s: FakeSocket) => { ok: true } | { error: Record<string, unknown>; close: [number, string] }): ServerScript =>
  (s) => {
    s.open();
    s.challenge();
    s.onClientMessage = (frame) => {
      const a = answer(frame, s);
      if ('ok' in a) s.serverSend({ type: 'res', id: frame.id, ok: true, payload: HELLO_OK });
      else {
        s.serverSend({ type: 'res', id: frame.id, ok: false, error: a.error });
        s.serverClose(...a.close);
      }
    };
  };

/** Timers and sockets alive in this process (to check nothing is left running). */
export const activeTimers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
