import { clipText, type HelloOk } from './frames';

export interface HealthSummary {
  ok?: boolean;
  /** One line, e.g. "Health ok · 14 plugins · 1 agent · 0 channels · up 5 min". */
  text: string;
  plugins?: number;
  pluginErrors?: number;
  agents?: number;
  channels?: number;
  eventLoopDegraded?: boolean;
  uptimeMs?: number;
}

export interface ServerSummary {
  version?: string;
  buildId?: string;
  protocol: number;
  role?: string;
  scopes?: string[];
  authMethod?: string;
  health: HealthSummary;
}

const obj = (v: unknown): Record<string, unknown> | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined);
const count = (v: unknown) => (Array.isArray(v) ? v.length : obj(v) ? Object.keys(obj(v)!).length : undefined);

function duration(ms: number): string {
  const min = Math.floor(ms / 60_000);
  if (min < 1) return `${Math.round(ms / 1000)} s`;
  if (min < 120) return `${min} min`;
  const h = Math.floor(min / 60);
  return h < 48 ? `${h} h` : `${Math.floor(h / 24)} days`;
}

/** What the success step shows, from hello-ok (server, auth, cached health snapshot). */
export function summarizeHello(hello: HelloOk): ServerSummary {
  const health = obj(hello.snapshot?.health);
  const plugins = obj(health?.plugins);
  const eventLoop = obj(health?.eventLoop);
  const h: HealthSummary = {
    ...(typeof health?.ok === 'boolean' ? { ok: health.ok } : {}),
    text: '',
    ...(count(plugins?.loaded) !== undefined ? { plugins: count(plugins?.loaded) } : {}),
    ...(count(plugins?.errors) !== undefined ? { pluginErrors: count(plugins?.errors) } : {}),
    ...(count(health?.agents) !== undefined ? { agents: count(health?.agents) } : {}),
    ...(count(health?.channels) !== undefined ? { channels: count(health?.channels) } : {}),
    ...(typeof eventLoop?.degraded === 'boolean' ? { eventLoopDegraded: eventLoop.degraded } : {}),
    ...(typeof hello.snapshot?.uptimeMs === 'number' ? { uptimeMs: hello.snapshot.uptimeMs } : {}),
  };
  const parts = [h.ok === undefined ? 'Health not reported' : h.ok ? 'Health ok' : 'Health NOT ok'];
  if (h.plugins !== undefined) parts.push(`${h.plugins} plugins${h.pluginErrors ? ` (${h.pluginErrors} with errors)` : ''}`);
  if (h.agents !== undefined) parts.push(`${h.agents} agent${h.agents === 1 ? '' : 's'}`);
  if (h.channels !== undefined) parts.push(`${h.channels} channel${h.channels === 1 ? '' : 's'}`);
  if (h.eventLoopDegraded) parts.push('event loop degraded');
  if (h.uptimeMs !== undefined) parts.push(`up ${duration(h.uptimeMs)}`);
  h.text = parts.join(' · ');
  // Gateway text, bounded: a peer can put anything in these fields (see frames.ts).
  const text = (s: string) => clipText(s, 200);
  return {
    ...(hello.server?.version ? { version: text(hello.server.version) } : {}),
    ...(hello.server?.buildId ? { buildId: text(hello.server.buildId) } : {}),
    protocol: hello.protocol,
    ...(hello.auth?.role ? { role: text(hello.auth.role) } : {}),
    ...(hello.auth?.scopes ? { scopes: hello.auth.scopes.slice(0, 50).map(text) } : {}),
    ...(hello.auth?.method ? { authMethod: text(hello.auth.method) } : {}),
    health: h,
  };
}
