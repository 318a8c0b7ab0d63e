/** The steps of a check, their order and titles, and the text and data each step carries. */
import type { Classification } from './classify';
import { allowedOriginsCommands, pairingCommands, type AllowedOriginsCommands, type PairingCommands } from './commands';
import type { HandshakeResult } from './handshake';
import { clipText } from './frames';
import type { DeviceIdentity } from './identity';
import type { GatewayTarget } from './target';

export type StepId = 'input' | 'browser' | 'reachability' | 'handshake' | 'outcome' | 'pairing-wait' | 'success';
export type StepStatus = 'running' | 'pass' | 'fail' | 'warn' | 'skip';

export const STEP_ORDER: readonly StepId[] = ['input', 'browser', 'reachability', 'handshake', 'outcome', 'pairing-wait', 'success'];
export const STEP_TITLES: Record<StepId, string> = {
  input: 'Address',
  browser: 'Browser rules',
  reachability: 'Reachability',
  handshake: 'Handshake',
  outcome: 'Verdict',
  'pairing-wait': 'Waiting for approval',
  success: 'Connected',
};

/** One step as emitted; a step is emitted again each time it changes (same id). */
export interface CheckStep {
  id: StepId;
  status: StepStatus;
  title: string;
  summary: string;
  /** Since the step started (so far, while running). */
  durationMs: number;
  signatureId?: string;
  data: Record<string, unknown>;
}

export interface PairingInfo {
  reason?: string;
  requestId?: string;
  /**
   * The request id exactly as the gateway sent it (cut to 200 characters) when it is not a plain
   * id: shown as text only, never put into a command.
   */
  requestIdAsSent?: string;
  deviceId: string;
  requestedRole?: string;
  requestedScopes?: string[];
  commands: PairingCommands;
}

export interface OriginFix {
  /** The origin the gateway refused (this page's). */
  pageOrigin: string;
  /** Template commands; call allowedOriginsCommands(pageOrigin, currentList) for exact ones. */
  commands: AllowedOriginsCommands;
}

export type Verdict = 'connected' | 'failed' | 'pairing-pending' | 'aborted' | 'invalid-input';

export const isPairing = (c: Classification) => c.detailsCode === 'PAIRING_REQUIRED' || (!c.detailsCode && /pairing required/i.test(`${c.message ?? ''} ${c.close?.reason ?? ''}`));

export function describe(result: HandshakeResult): string {
  switch (result.kind) {
    case 'rejected':
      return `The gateway refused the connect request: ${result.error.message || result.error.code}${result.close ? ` (close ${result.close.code})` : ''}.`;
    case 'closed-before-response':
    case 'closed-before-challenge':
      return `closed with ${result.close.code}${result.close.reason ? ` "${result.close.reason}"` : ''}`;
    case 'no-challenge-timeout':
      return 'no challenge frame';
    case 'no-response-timeout':
      return `The gateway sent no answer to the connect request within ${Math.round(result.timings.totalMs / 1000)} s.`;
    case 'invalid-frame':
      return `unexpected frame: ${result.reason}`;
    default:
      return result.kind;
  }
}

export function handshakeData(result: HandshakeResult): Record<string, unknown> {
  if (result.kind === 'rejected') {
    const { details, ...error } = result.error;
    // details are the gateway's own diagnostics (no secrets); keep them for the report.
    return { error: { ...error, ...(details ? { details } : {}) }, close: result.close };
  }
  if ('close' in result) return { close: result.close };
  return {};
}

export function outcomeData(c: Classification, pageOrigin: string | undefined): { classification: Classification; origin?: OriginFix } {
  const originRefused = c.detailsCode === 'CONTROL_UI_ORIGIN_NOT_ALLOWED' || /origin not allowed/i.test(c.message ?? '');
  const origin: OriginFix | undefined = originRefused && pageOrigin ? { pageOrigin, commands: allowedOriginsCommands(pageOrigin) } : undefined;
  return { classification: c, ...(origin ? { origin } : {}) };
}

export function outcomeSummary(c: Classification): string {
  if (c.title) return c.title;
  if (c.message) return `The gateway said: ${c.message}`;
  return 'The check failed in a way this checker does not recognise yet.';
}

export function pairingInfo(result: HandshakeResult, c: Classification, identity: DeviceIdentity): PairingInfo {
  const details = result.kind === 'rejected' ? (result.error.details ?? {}) : {};
  const deviceId = typeof details.deviceId === 'string' && /^[0-9a-f]{64}$/.test(details.deviceId) ? details.deviceId : identity.id;
  const scopes = Array.isArray(details.requestedScopes) ? details.requestedScopes.filter((s): s is string => typeof s === 'string') : undefined;
  return {
    ...(c.pairingReason ? { reason: c.pairingReason } : {}),
    ...(c.requestId ? { requestId: c.requestId } : {}),
    ...(!c.requestId && typeof details.requestId === 'string' && details.requestId ? { requestIdAsSent: clipText(details.requestId, 200) } : {}),
    deviceId,
    ...(typeof details.requestedRole === 'string' ? { requestedRole: details.requestedRole } : {}),
    ...(scopes ? { requestedScopes: scopes } : {}),
    commands: pairingCommands(c.requestId),
  };
}

export function pairingSummary(p: PairingInfo): string {
  const what = p.requestId ? `Approve request ${p.requestId} on the gateway host: ${p.commands.approve}` : `Approve it on the gateway host: run ${p.commands.previewLatest} and then the approve command it prints.`;
  return `Pairing required (${p.reason ?? 'not-paired'}): the gateway does not know the checker's device key yet. ${what}`;
}

export function hostKindLabel(kind: GatewayTarget['hostKind']): string {
  return kind === 'loopback' ? 'this machine' : kind === 'private' ? 'private network' : 'public address';
}

export function skipReason(id: StepId, verdict: Verdict | null): string {
  if (verdict === 'aborted') return 'Stopped.';
  if (id === 'browser') return 'Not running in a browser.';
  if (id === 'pairing-wait') return verdict === 'pairing-pending' ? 'Not waiting for approval (this check was run without waiting).' : 'No approval needed.';
  return 'Not reached.';
}

