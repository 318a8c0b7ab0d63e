// zod/mini: the same schemas at a fraction of the bundle size of the chainable API.
import * as z from 'zod/mini';

/** `{"type":"event","event":"connect.challenge","payload":{"nonce","ts",…}}`, the first frame. */
export const challengeSchema = z.looseObject({
  type: z.literal('event'),
  event: z.literal('connect.challenge'),
  payload: z.looseObject({ nonce: z.string().check(z.minLength(1)), ts: z.number().check(z.int(), z.nonnegative()) }),
});

export const errorShapeSchema = z.looseObject({
  code: z.string(),
  message: z._default(z.string(), ''),
  details: z.optional(z.record(z.string(), z.unknown())),
  retryable: z.optional(z.boolean()),
  retryAfterMs: z.optional(z.number()),
});
export type ErrorShape = z.infer<typeof errorShapeSchema>;

const okResponseSchema = z.looseObject({
  type: z.literal('res'),
  id: z.string(),
  ok: z.literal(true),
  payload: z.optional(z.unknown()),
});
const errorResponseSchema = z.looseObject({
  type: z.literal('res'),
  id: z.string(),
  ok: z.literal(false),
  error: errorShapeSchema,
});
const eventSchema = z.looseObject({ type: z.literal('event'), event: z.string(), payload: z.optional(z.unknown()) });

/** The parts of hello-ok the checker shows; everything else passes through untouched. */
export const helloOkSchema = z.looseObject({
  type: z.literal('hello-ok'),
  protocol: z.number(),
  server: z.optional(
    z.looseObject({
      version: z.optional(z.string()),
      buildId: z.optional(z.string()),
      connId: z.optional(z.string()),
    }),
  ),
  auth: z.optional(
    z.looseObject({
      method: z.optional(z.string()),
      role: z.optional(z.string()),
      scopes: z.optional(z.array(z.string())),
    }),
  ),
  snapshot: z.optional(
    z.looseObject({
      health: z.optional(z.unknown()),
      uptimeMs: z.optional(z.number()),
      presence: z.optional(z.unknown()),
    }),
  ),
  policy: z.optional(z.looseObject({ tickIntervalMs: z.optional(z.number()) })),
});
export type HelloOk = z.infer<typeof helloOkSchema>;

export type Frame =
  | { kind: 'challenge'; nonce: string; ts: number }
  | { kind: 'ok'; id: string; payload: unknown }
  | { kind: 'error'; id: string; error: ErrorShape }
  | { kind: 'event'; event: string; payload: unknown }
  | { kind: 'invalid'; reason: string };

/**
 * Frames longer than this are not parsed. The gateway's own frames before and right after
 * `connect` are small: the challenge and error frames well under 1 KB, hello-ok about 16 KB on
 * a fresh 2026.9.6 gateway (mostly the method list, presence and health, which grow with plugins
 * and clients, far from this). A peer sending megabytes at this stage is not a gateway, and
 * parsing and showing it would only cost the reader's memory and time.
 */
export const MAX_FRAME_CHARS = 1024 * 1024;
/** Longest gateway text (an error message, a details code) the checker keeps and shows. */
export const MAX_TEXT_CHARS = 1000;

/** Text from the gateway, cut to `max` characters (with an ellipsis) so it cannot flood the page. */
export function clipText(text: string, max = MAX_TEXT_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

type Scalar = string | number | boolean | null;
const scalar = (v: unknown): Scalar | undefined =>
  typeof v === 'string' ? clipText(v) : typeof v === 'number' || typeof v === 'boolean' || v === null ? v : undefined;

/**
 * `error.details` as the gateway sends it is flat: strings, numbers, booleans and lists of
 * strings (requestedScopes, approvedRoles, …). Keep that much, one more level of plain values
 * at most, and drop the rest, so a peer's deeply nested or huge details cannot overflow the
 * stack of structuredClone / JSON.stringify (step events, the report) or flood the page.
 */
function boundedDetails(details: Record<string, unknown>): Record<string, unknown> {
  const flat = (value: unknown, depth: number): unknown => {
    const s = scalar(value);
    if (s !== undefined) return s;
    if (depth > 0 && Array.isArray(value)) return value.slice(0, 50).map((v) => scalar(v)).filter((v) => v !== undefined);
    if (depth > 0 && value && typeof value === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value).slice(0, 50)) {
        const kept = flat(v, depth - 1);
        if (kept !== undefined) out[clipText(k, 100)] = kept;
      }
      return out;
    }
    return undefined;
  };
  return flat(details, 2) as Record<string, unknown>;
}

/** Only the error fields the gateway defines, each bounded (see boundedDetails). */
function boundedError(error: ErrorShape): ErrorShape {
  return {
    code: clipText(error.code, 200),
    message: clipText(error.message),
    ...(error.details ? { details: boundedDetails(error.details) } : {}),
    ...(error.retryable !== undefined ? { retryable: error.retryable } : {}),
    ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
  };
}

/** Any text the gateway sent, as a frame. Never throws. */
export function parseFrame(text: unknown): Frame {
  if (typeof text !== 'string') return { kind: 'invalid', reason: 'binary frame' };
  if (text.length > MAX_FRAME_CHARS) return { kind: 'invalid', reason: `frame too large (${(text.length / 1048576).toFixed(1)} MB)` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', reason: 'not JSON' };
  }
  const challenge = challengeSchema.safeParse(json);
  if (challenge.success) return { kind: 'challenge', nonce: challenge.data.payload.nonce, ts: challenge.data.payload.ts };
  const ok = okResponseSchema.safeParse(json);
  if (ok.success) return { kind: 'ok', id: ok.data.id, payload: ok.data.payload };
  const err = errorResponseSchema.safeParse(json);
  if (err.success) return { kind: 'error', id: err.data.id, error: boundedError(err.data.error) };
  const event = eventSchema.safeParse(json);
  if (event.success && event.data.event === 'connect.challenge') return { kind: 'invalid', reason: 'malformed connect.challenge' };
  if (event.success) return { kind: 'event', event: event.data.event, payload: event.data.payload };
  return { kind: 'invalid', reason: 'not a gateway frame' };
}

/** Removes credentials the gateway hands out in hello-ok (the checker never keeps them). */
export function withoutSecrets(hello: HelloOk): HelloOk {
  if (!hello.auth) return hello;
  const { deviceToken: _t, deviceTokens: _ts, ...auth } = hello.auth as Record<string, unknown>;
  return { ...hello, auth } as HelloOk;
}

export function parseHelloOk(payload: unknown): HelloOk | null {
  const r = helloOkSchema.safeParse(payload);
  return r.success ? withoutSecrets(r.data) : null;
}
