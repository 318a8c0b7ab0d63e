import type { Layer } from '../../signatures/schema';
import { findEntry, matchDetails, matchText, type Catalog } from './catalog';
import { clipText, type ErrorShape } from './frames';
import type { CloseInfo, HandshakeResult } from './handshake';

/**
 * Outcomes the checker detects itself (no gateway text to match), by fixed signature id.
 * The layer is used only when the catalog lacks the signature.
 */
export const TRANSPORT_SIGNATURES = {
  'connection-refused': 'network',
  'upgrade-refused': 'upgrade',
  'abnormal-close-1006': 'network',
  'not-a-gateway': 'upgrade',
  'handshake-timeout': 'protocol',
  'tls-failed': 'network',
  'mixed-content-blocked': 'network',
  'local-network-access-blocked': 'network',
  'gateway-starting': 'service',
  'gateway-restarting': 'service',
  'device-removed': 'service',
} as const satisfies Record<string, Layer>;
export type TransportSignatureId = keyof typeof TRANSPORT_SIGNATURES;

/** Close codes that name their own signature whatever the reason text says. */
const CLOSE_CODE_SIGNATURES: Record<number, TransportSignatureId> = {
  1012: 'gateway-restarting',
  1013: 'gateway-starting',
  4001: 'device-removed',
  1006: 'abnormal-close-1006',
};

/** What an HTTP probe of the same address found when the socket never opened. */
export type ProbeResult =
  | { kind: 'http-answered'; status?: number }
  | { kind: 'network-error'; message?: string }
  /** wss:// failed but plain http:// answers on that port: TLS to a non-TLS port. */
  | { kind: 'plain-http-on-tls-port' }
  | { kind: 'skipped' };

export interface Classification {
  /** Signature id; null when connected, or when nothing in the catalog fits. */
  signatureId: string | null;
  layer: Layer | null;
  title?: string;
  /** How the id was found. */
  via: 'details' | 'close-code' | 'text' | 'transport' | 'none';
  errorCode?: string;
  detailsCode?: string;
  message?: string;
  close?: CloseInfo;
  /** Only from `error.details.requestId`, and only when safe to put in a shell command. */
  requestId?: string;
  /** `error.details.reason` for PAIRING_REQUIRED (not-paired, scope-upgrade, …). */
  pairingReason?: string;
  recommendedNextStep?: string;
  retryable?: boolean;
  retryAfterMs?: number;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

export function safeRequestId(value: unknown): string | undefined {
  return typeof value === 'string' && SAFE_REQUEST_ID.test(value) ? value : undefined;
}

function withEntry(catalog: Catalog, id: string, via: Classification['via'], extra: Partial<Classification> = {}): Classification {
  const entry = findEntry(catalog, id);
  const layer = entry?.layer ?? (TRANSPORT_SIGNATURES as Record<string, Layer>)[id] ?? null;
  return { signatureId: id, layer, ...(entry ? { title: entry.title } : {}), via, ...extra };
}

function fromError(error: ErrorShape, close: CloseInfo | null, catalog: Catalog): Classification {
  const details = error.details;
  const str = (k: string) => (typeof details?.[k] === 'string' ? clipText(details[k] as string, 200) : undefined);
  const extra: Partial<Classification> = {
    errorCode: error.code,
    message: error.message,
    ...(close ? { close } : {}),
    ...(str('code') ? { detailsCode: str('code') } : {}),
    ...(safeRequestId(details?.requestId) ? { requestId: safeRequestId(details?.requestId) } : {}),
    ...(str('code') === 'PAIRING_REQUIRED' && str('reason') ? { pairingReason: str('reason') } : {}),
    ...(str('recommendedNextStep') ? { recommendedNextStep: str('recommendedNextStep') } : {}),
    ...(typeof error.retryable === 'boolean' ? { retryable: error.retryable } : {}),
    ...(typeof error.retryAfterMs === 'number' ? { retryAfterMs: error.retryAfterMs } : {}),
  };
  const byDetails = matchDetails(details, catalog);
  if (byDetails) return withEntry(catalog, byDetails.id, 'details', extra);
  if (close && CLOSE_CODE_SIGNATURES[close.code]) return withEntry(catalog, CLOSE_CODE_SIGNATURES[close.code], 'close-code', extra);
  // Older gateways: no details, only text.
  for (const text of [error.message, close?.reason]) {
    const m = text ? matchText(text, catalog) : null;
    if (m) return withEntry(catalog, m.id, 'text', extra);
  }
  return { signatureId: null, layer: null, via: 'none', ...extra };
}

function fromClose(close: CloseInfo, catalog: Catalog, fallback: TransportSignatureId | Omit<Classification, 'close'>): Classification {
  const byCode = CLOSE_CODE_SIGNATURES[close.code];
  if (byCode && byCode !== 'abnormal-close-1006') return withEntry(catalog, byCode, 'close-code', { close });
  const m = close.reason ? matchText(close.reason, catalog) : null;
  if (m) return withEntry(catalog, m.id, 'text', { close });
  if (byCode) return withEntry(catalog, byCode, 'close-code', { close });
  if (typeof fallback !== 'string') return { ...fallback, close };
  return withEntry(catalog, fallback, 'transport', { close });
}

/**
 * Maps one handshake result to a signature: `error.details.code` (+ `detailsMatch`) first, then
 * fixed ids for lifecycle close codes, then the message / close reason text against the catalog.
 */
export function classify(result: HandshakeResult, catalog: Catalog, probe: ProbeResult = { kind: 'skipped' }): Classification {
  switch (result.kind) {
    case 'hello':
    case 'aborted':
      return { signatureId: null, layer: null, via: 'none' };
    case 'rejected':
      return fromError(result.error, result.close, catalog);
    case 'closed-before-open':
    case 'open-timeout':
      if (probe.kind === 'http-answered') return withEntry(catalog, 'upgrade-refused', 'transport');
      if (probe.kind === 'plain-http-on-tls-port') return withEntry(catalog, 'tls-failed', 'transport');
      return withEntry(catalog, 'connection-refused', 'transport');
    case 'closed-before-challenge':
      // A socket that opens and closes without a challenge: lifecycle code, or not a gateway.
      return fromClose(result.close, catalog, 'not-a-gateway');
    case 'closed-before-response':
      // The gateway ends a handshake it gave up on with 1000 and no reason (its 15 s timeout, or
      // a first frame that is not JSON). Any other unexplained code is not that timeout: say
      // what happened instead of naming a signature that does not fit.
      return fromClose(
        result.close,
        catalog,
        result.close.code === 1000
          ? 'handshake-timeout'
          : { signatureId: null, layer: 'protocol', title: `The connection was closed during the handshake, before any answer to connect (close ${result.close.code})`, via: 'none' },
      );
    case 'invalid-frame':
      // A challenge came, so the peer did greet like a gateway; its answer is what is wrong.
      if (result.phase === 'response') {
        return { signatureId: null, layer: 'protocol', title: `The answer to the connect request is not what an OpenClaw gateway sends (${result.reason})`, via: 'none' };
      }
      return withEntry(catalog, 'not-a-gateway', 'transport');
    case 'no-challenge-timeout':
      return withEntry(catalog, 'not-a-gateway', 'transport');
    case 'no-response-timeout':
      return withEntry(catalog, 'handshake-timeout', 'transport');
  }
}
