import { browserPrechecks, type PageContext, type Precheck } from './browser-rules';
import type { Catalog } from './catalog';
import { classify, type Classification, type ProbeResult } from './classify';
import {
  attemptHandshake,
  type Credentials,
  type HandshakeResult,
  type HandshakeTimeouts,
  type WebSocketConstructor,
} from './handshake';
import type { DeviceIdentity, IdentityStore } from './identity';
import { probeHttp } from './probe';
import { summarizeHello, type ServerSummary } from './summary';
import {
  describe,
  handshakeData,
  hostKindLabel,
  isPairing,
  outcomeData,
  outcomeSummary,
  pairingInfo,
  pairingSummary,
  skipReason,
  STEP_ORDER,
  STEP_TITLES,
  type CheckStep,
  type OriginFix,
  type PairingInfo,
  type StepId,
  type StepStatus,
  type Verdict,
} from './steps';
import { parseGatewayInput, type GatewayTarget, type ParsedGatewayInput } from './target';

export { STEP_ORDER, STEP_TITLES, type CheckStep, type OriginFix, type PairingInfo, type StepId, type StepStatus, type Verdict } from './steps';

export interface CheckEnv {
  /** Signature catalog (content/errors), see catalog.ts. */
  catalog: Catalog;
  identityStore: IdentityStore;
  credentials?: Credentials;
  /** The page the checker runs in; null/absent outside a browser (skips the browser rules). */
  page?: PageContext | null;
  WebSocket?: WebSocketConstructor;
  fetch?: typeof globalThis.fetch;
  /** Keep reconnecting on "pairing required" until approved (default false). */
  waitForApproval?: boolean;
  /** Default 300000 (the gateway's pending request TTL). */
  waitBudgetMs?: number;
  backoff?: { initialMs?: number; maxMs?: number; factor?: number };
  timeouts?: Partial<HandshakeTimeouts> & { probeMs?: number };
  signal?: AbortSignal;
  onStep?: (step: CheckStep) => void;
}

export interface CheckResult {
  verdict: Verdict;
  steps: CheckStep[];
  target?: GatewayTarget;
  /** The failure that decided the verdict (the last one when waiting ended in another failure). */
  classification?: Classification;
  pairing?: PairingInfo;
  /** When the gateway refused this page's origin: the origin and the allowlist commands. */
  origin?: OriginFix;
  server?: ServerSummary;
  deviceId?: string;
  /** Connection attempts made (1 + reconnects while waiting). */
  attempts: number;
  startedAt: string;
  /** From the start of runCheck to the verdict. */
  durationMs: number;
}

const clock = () => globalThis.performance?.now() ?? Date.now();

/**
 * Pause before each reconnect while waiting for approval: 1 s, growing by 1.5× up to 5 s, so a
 * waiting page asks a gateway at most about once every 5 s (never a flood, even when every
 * attempt fails at once).
 */
export const DEFAULT_BACKOFF: Readonly<{ initialMs: number; maxMs: number; factor: number }> = { initialMs: 1000, maxMs: 5000, factor: 1.5 };

/** Resolves after ms, or early (false) on abort; leaves no timer behind. */
function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const done = (ok: boolean) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const timer = setTimeout(() => done(true), ms);
    signal?.addEventListener('abort', onAbort);
  });
}

/** Failures that are expected while a gateway restarts; the wait goes on through them. */
const TRANSIENT = new Set(['gateway-starting', 'gateway-restarting', 'connection-refused', 'abnormal-close-1006']);

/**
 * The whole check, step by step: address → browser rules → reachability → handshake → verdict →
 * (pairing wait) → connected. Emits every step change through env.onStep; never throws for
 * gateway or network problems; never retries an auth failure.
 */
export async function runCheck(input: string | ParsedGatewayInput, env: CheckEnv): Promise<CheckResult> {
  const t0 = clock();
  const startedAt = new Date().toISOString();
  const steps = new Map<StepId, CheckStep>();
  const started = new Map<StepId, number>();
  let attempts = 0;

  const emit = (id: StepId, status: StepStatus, summary: string, data: Record<string, unknown> = {}, signatureId?: string) => {
    // Steps appear in order: any earlier step not reached is skipped first.
    for (const earlier of STEP_ORDER.slice(0, STEP_ORDER.indexOf(id))) {
      if (!steps.has(earlier)) emit(earlier, 'skip', skipReason(earlier, null));
    }
    if (!started.has(id)) started.set(id, clock());
    const step: CheckStep = {
      id,
      status,
      title: STEP_TITLES[id],
      summary,
      durationMs: Math.round(clock() - started.get(id)!),
      ...(signatureId ? { signatureId } : {}),
      data,
    };
    steps.set(id, step);
    env.onStep?.(structuredClone(step));
  };
  const finish = (verdict: Verdict, extra: Partial<CheckResult> = {}): CheckResult => {
    for (const id of STEP_ORDER) if (!steps.has(id)) emit(id, 'skip', skipReason(id, verdict));
    return {
      verdict,
      steps: STEP_ORDER.map((id) => steps.get(id)!),
      attempts,
      startedAt,
      durationMs: Math.round(clock() - t0),
      ...extra,
    };
  };

  // 1. Address
  emit('input', 'running', 'Reading the address…');
  const parsed = typeof input === 'string' ? parseGatewayInput(input) : input;
  if (!parsed.ok) {
    emit('input', 'fail', parsed.error);
    return finish('invalid-input');
  }
  const target = parsed.target;
  emit('input', 'pass', `${target.wsUrl} (${hostKindLabel(target.hostKind)})`, {
    wsUrl: target.wsUrl,
    hostKind: target.hostKind,
    notes: parsed.notes,
    oneTimeLink: parsed.oneTimeLink,
    tokenInUrl: !!parsed.token,
  });
  const credentials: Credentials = env.credentials?.token || env.credentials?.password ? env.credentials : { token: parsed.token };

  // 2. Browser rules
  let prechecks: Precheck[] = [];
  if (env.page) {
    emit('browser', 'running', 'Checking what the browser allows…');
    prechecks = browserPrechecks(target, env.page);
    const blocking = prechecks.find((p) => p.status === 'fail');
    const warnings = prechecks.filter((p) => p.status === 'warn');
    const data = { pageOrigin: env.page.origin, prechecks };
    if (blocking) {
      emit('browser', 'fail', blocking.summary, data, blocking.signatureId);
      const classification: Classification = { signatureId: blocking.signatureId ?? null, layer: 'network', via: 'transport' };
      emit('outcome', 'fail', blocking.summary, { classification, fixes: blocking.fixes }, blocking.signatureId);
      return finish('failed', { target, classification });
    }
    emit('browser', warnings.length ? 'warn' : 'pass', warnings.length ? warnings.map((w) => w.summary).join(' ') : 'Nothing in the browser stands in the way.', data, warnings[0]?.signatureId);
  }

  // 3-4. Reachability and handshake (one attempt)
  emit('reachability', 'running', `Opening a WebSocket to ${target.wsUrl}…`);
  let identity: DeviceIdentity;
  try {
    identity = await env.identityStore.loadOrCreate();
  } catch (e) {
    emit('reachability', 'skip', 'Not tried: the checker has no device key.');
    emit('handshake', 'fail', e instanceof Error ? e.message : String(e));
    return finish('failed', { target });
  }

  const attempt = async (onPhase?: (phase: string, ms: number) => void) => {
    attempts++;
    return attemptHandshake({
      url: target.wsUrl,
      identity,
      credentials,
      WebSocket: env.WebSocket,
      signal: env.signal,
      timeouts: env.timeouts,
      onPhase,
    });
  };

  const first = await attempt((phase, ms) => {
    if (phase === 'challenge') {
      emit('reachability', 'pass', `The gateway answered: socket open and challenge received in ${ms} ms.`, { challengeMs: ms });
      emit('handshake', 'running', 'Sending a signed connect request (read-only operator)…');
    }
  });
  if (first.kind === 'aborted') return finish('aborted', { target, deviceId: identity.id });

  let probe: ProbeResult = { kind: 'skipped' };
  if (first.kind === 'closed-before-open' || first.kind === 'open-timeout') {
    emit('reachability', 'running', 'The WebSocket did not open; checking whether anything answers over HTTP…');
    probe = await probeHttp(target, { fetch: env.fetch, timeoutMs: env.timeouts?.probeMs, signal: env.signal, page: env.page ?? null });
    if (env.signal?.aborted) return finish('aborted', { target, deviceId: identity.id });
  }
  let classification = classify(first, env.catalog, probe);
  reportAttempt(first, classification, probe);

  if (first.kind === 'hello') return connected(first, 1);

  const baseData = outcomeData(classification, env.page?.origin);
  if (!isPairing(classification)) {
    emit('outcome', 'fail', outcomeSummary(classification), baseData, classification.signatureId ?? undefined);
    return finish('failed', { target, classification, deviceId: identity.id, ...(baseData.origin ? { origin: baseData.origin } : {}) });
  }

  // 5. Pairing required
  let pairing = pairingInfo(first, classification, identity);
  emit('outcome', 'warn', pairingSummary(pairing), { ...baseData, pairing }, classification.signatureId ?? undefined);
  if (!env.waitForApproval) return finish('pairing-pending', { target, classification, pairing, deviceId: identity.id });

  // 6. Wait for approval: same identity, so the same pending request stays (and is refreshed).
  const budget = env.waitBudgetMs ?? 300_000;
  const { initialMs = DEFAULT_BACKOFF.initialMs, maxMs = DEFAULT_BACKOFF.maxMs, factor = DEFAULT_BACKOFF.factor } = env.backoff ?? {};
  const waitStart = clock();
  let delay = initialMs;
  const waiting = 'Waiting for someone to approve the request on the gateway host…';
  emit('pairing-wait', 'running', waiting, { pairing, attempts: 0 });
  for (;;) {
    const remaining = budget - (clock() - waitStart);
    if (remaining <= 0) {
      emit('pairing-wait', 'fail', `Not approved within ${Math.round(budget / 1000)} s. The pending request expires 5 minutes after the last attempt; run the check again for a fresh one.`, { pairing, attempts: attempts - 1 });
      return finish('pairing-pending', { target, classification, pairing, deviceId: identity.id });
    }
    if (!(await sleep(Math.min(delay, remaining), env.signal))) {
      emit('pairing-wait', 'skip', 'Stopped waiting.', { pairing, attempts: attempts - 1 });
      return finish('aborted', { target, classification, pairing, deviceId: identity.id });
    }
    delay = Math.min(delay * factor, maxMs);
    const next = await attempt();
    if (next.kind === 'aborted') {
      emit('pairing-wait', 'skip', 'Stopped waiting.', { pairing, attempts: attempts - 1 });
      return finish('aborted', { target, classification, pairing, deviceId: identity.id });
    }
    if (next.kind === 'hello') {
      emit('pairing-wait', 'pass', `Approved after ${Math.round((clock() - waitStart) / 1000)} s.`, { pairing, attempts: attempts - 1 });
      return connected(next, attempts, pairing);
    }
    const c = classify(next, env.catalog);
    if (isPairing(c)) {
      const info = pairingInfo(next, c, identity);
      const replaced = info.requestId !== pairing.requestId;
      if (replaced) {
        pairing = info;
        emit('outcome', 'warn', pairingSummary(pairing), { ...outcomeData(c, env.page?.origin), pairing }, c.signatureId ?? undefined);
      }
      emit('pairing-wait', 'running', replaced ? 'The gateway replaced the pending request; approve the new request id.' : waiting, { pairing, attempts: attempts - 1 });
      continue;
    }
    if (c.signatureId && TRANSIENT.has(c.signatureId)) {
      emit('pairing-wait', 'running', `The gateway is not answering right now (${c.title ?? c.signatureId}); still waiting.`, { pairing, attempts: attempts - 1, transient: c.signatureId });
      continue;
    }
    classification = c;
    emit('pairing-wait', 'fail', `Stopped: the gateway now answers with something else (${c.title ?? c.signatureId ?? c.message ?? next.kind}).`, { pairing, attempts: attempts - 1 });
    const data = outcomeData(c, env.page?.origin);
    emit('outcome', 'fail', outcomeSummary(c), { ...data }, c.signatureId ?? undefined);
    return finish('failed', { target, classification: c, pairing, deviceId: identity.id, ...(data.origin ? { origin: data.origin } : {}) });
  }

  function connected(result: Extract<HandshakeResult, { kind: 'hello' }>, n: number, pairingSeen?: PairingInfo): CheckResult {
    const server = summarizeHello(result.hello);
    if (!pairingSeen) emit('outcome', 'pass', 'The gateway accepted this browser.', { timings: result.timings });
    emit('success', 'pass', `Connected to OpenClaw ${server.version ?? '(unknown version)'} as ${server.role ?? 'operator'} (${(server.scopes ?? []).join(', ') || 'no scopes'}), auth ${server.authMethod ?? 'unknown'}. ${server.health.text}`, {
      server,
      timings: result.timings,
      totalMs: Math.round(clock() - t0),
      attempts: n,
    });
    return finish('connected', { target, server, deviceId: identity.id, ...(pairingSeen ? { pairing: pairingSeen, classification } : {}) });
  }

  function reportAttempt(result: HandshakeResult, c: Classification, p: ProbeResult) {
    const timings = result.timings;
    switch (result.kind) {
      case 'closed-before-open':
      case 'open-timeout': {
        const what =
          p.kind === 'http-answered'
            ? `An HTTP server answers at ${target.httpUrl}${p.status ? ` (status ${p.status})` : ''} but refuses the WebSocket upgrade.`
            : p.kind === 'plain-http-on-tls-port'
              ? 'Something answers plain HTTP on this port, but not TLS: wss:// cannot work here.'
              : result.kind === 'open-timeout'
                ? `No answer within ${Math.round(timings.totalMs / 1000)} s (a firewall dropping packets, a wrong address, or the gateway is not running).`
                : 'Nothing accepts connections at this address (the gateway is not running, or listens on another address or port).';
        emit('reachability', 'fail', what, { probe: p, close: 'close' in result ? result.close : null, timings }, c.signatureId ?? undefined);
        emit('handshake', 'skip', 'Not reached.');
        return;
      }
      case 'closed-before-challenge':
      case 'no-challenge-timeout':
      case 'invalid-frame':
        if (result.kind === 'invalid-frame' && result.phase === 'response') break;
        emit('reachability', 'fail', `A WebSocket server answers at this address, but it did not greet like an OpenClaw gateway (${describe(result)}).`, { timings, ...('close' in result ? { close: result.close } : {}) }, c.signatureId ?? undefined);
        emit('handshake', 'skip', 'Not reached.');
        return;
    }
    if (result.kind === 'hello') {
      emit('handshake', 'pass', `hello-ok after ${timings.responseMs ?? timings.totalMs} ms.`, { timings });
      return;
    }
    emit('handshake', isPairing(c) ? 'warn' : 'fail', describe(result), { timings, ...handshakeData(result) }, c.signatureId ?? undefined);
  }
}
