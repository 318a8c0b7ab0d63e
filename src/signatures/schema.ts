import { z } from 'zod';

/**
 * One error signature: something a reader sees (a close reason, an error frame, a CLI line, a
 * browser console message) and what to do about it. The docs pages, the search index and the
 * live checker all read the same collection (content/errors/*.yaml) through this schema.
 */

/** Where in the connection a failure happens, outermost first. */
export const LAYERS = ['network', 'upgrade', 'origin', 'auth', 'device', 'pairing', 'protocol', 'service'] as const;
export type Layer = (typeof LAYERS)[number];

export const LAYER_LABELS: Record<Layer, string> = {
  network: 'Network',
  upgrade: 'HTTP upgrade',
  origin: 'Browser origin',
  auth: 'Auth',
  device: 'Device signature',
  pairing: 'Pairing',
  protocol: 'Protocol',
  service: 'Gateway lifecycle',
};

/** `ConnectErrorDetailCodes` of the gateway (tests compare this list with the pinned package). */
export const DETAIL_CODES = [
  'AUTH_REQUIRED',
  'AUTH_UNAUTHORIZED',
  'AUTH_TOKEN_MISSING',
  'AUTH_TOKEN_MISMATCH',
  'AUTH_TOKEN_NOT_CONFIGURED',
  'AUTH_PASSWORD_MISSING',
  'AUTH_PASSWORD_MISMATCH',
  'AUTH_PASSWORD_NOT_CONFIGURED',
  'AUTH_BOOTSTRAP_TOKEN_INVALID',
  'AUTH_DEVICE_TOKEN_MISMATCH',
  'AUTH_SCOPE_MISMATCH',
  'AUTH_RATE_LIMITED',
  'AUTH_TAILSCALE_IDENTITY_MISSING',
  'AUTH_TAILSCALE_PROXY_MISSING',
  'AUTH_TAILSCALE_WHOIS_FAILED',
  'AUTH_TAILSCALE_IDENTITY_MISMATCH',
  'AUTH_IDENTITY_HEADER_REQUIRED',
  'AUTH_VERIFIED_USER_REQUIRED',
  'AUTHENTICATED_PROFILE_UNAVAILABLE',
  'CONTROL_UI_BUILD_MISMATCH',
  'CONTROL_UI_ORIGIN_NOT_ALLOWED',
  'PROTOCOL_MISMATCH',
  'CONTROL_UI_DEVICE_IDENTITY_REQUIRED',
  'DEVICE_IDENTITY_REQUIRED',
  'DEVICE_AUTH_INVALID',
  'DEVICE_AUTH_DEVICE_ID_MISMATCH',
  'DEVICE_AUTH_SIGNATURE_EXPIRED',
  'DEVICE_AUTH_NONCE_REQUIRED',
  'DEVICE_AUTH_NONCE_MISMATCH',
  'DEVICE_AUTH_SIGNATURE_INVALID',
  'DEVICE_AUTH_PUBLIC_KEY_INVALID',
  'PAIRING_REQUIRED',
  'CLIENT_VERSION_MISMATCH',
] as const;
export type DetailCode = (typeof DETAIL_CODES)[number];

export const ERROR_CODES = ['INVALID_REQUEST', 'NOT_PAIRED', 'UNAVAILABLE', 'FORBIDDEN'] as const;

/** Who prints a message. `gateway` = error frame / close reason / HTTP body / gateway log. */
export const MESSAGE_SOURCES = ['gateway', 'cli', 'control-ui', 'browser', 'proxy'] as const;

/**
 * A message exactly as a reader sees it. Variable parts are written `<like-this>`
 * (for example `(requestId: <requestId>)`); everything else is literal text.
 */
export const messageSchema = z.strictObject({
  text: z.string().min(3),
  source: z.enum(MESSAGE_SOURCES),
  /** `current`: printed by the pinned OpenClaw version (`verifiedOn`); `older`: earlier releases only. */
  version: z.enum(['current', 'older']).default('current'),
  /** Optional note shown next to the message, e.g. "Control UI variant". */
  note: z.string().optional(),
});
export type SignatureMessage = z.infer<typeof messageSchema>;

export const fixStepSchema = z.strictObject({
  /** What to do, in one or two sentences (inline Markdown: `code`, **bold**, [links](/path/)). */
  text: z.string().min(3),
  /** Exact shell commands, in order. */
  commands: z.array(z.string().min(1)).default([]),
});
export type FixStep = z.infer<typeof fixStepSchema>;

/** Internal site link: absolute path with a trailing slash, optional #fragment. */
export const internalLink = z.string().regex(/^\/(?:[a-z0-9-]+\/)*(?:#[a-z0-9-]+)?$/, 'internal links look like /fix-workflow/#step-2');

export const signatureSchema = z.strictObject({
  title: z.string().min(3),
  /** One sentence: what it means. Shown in lists and search results. */
  summary: z.string().min(10),
  layer: z.enum(LAYERS),
  /** `error.details.code` in the gateway's response frame, where there is one. */
  detailsCode: z.enum(DETAIL_CODES).optional(),
  /**
   * Extra `error.details` fields that tell signatures sharing a `detailsCode` apart, e.g.
   * `{ reason: not-paired }` or `{ reloadRequired: true }`. A signature without it is the
   * fallback for its code.
   */
  detailsMatch: z.record(z.string(), z.union([z.string(), z.boolean()])).optional(),
  /** `error.code` of the response frame. */
  errorCode: z.enum(ERROR_CODES).optional(),
  /** WebSocket close as the client sees it. */
  close: z.strictObject({ code: z.number().int().min(1000).max(4999), reason: z.string().optional() }).optional(),
  /** HTTP answer instead of a WebSocket upgrade. */
  http: z.strictObject({ status: z.number().int().min(100).max(599), body: z.string().optional() }).optional(),
  messages: z.array(messageSchema).min(1),
  /**
   * How the pinned version was seen to produce it: `live` reproduced against a running gateway,
   * `code` read from the shipped code only, `never` defined but not sent by this version.
   */
  emitted: z.enum(['live', 'code', 'never']),
  /** Why it happens (Markdown). */
  cause: z.string().min(10),
  fix: z.array(fixStepSchema).min(1),
  /** Where the full fix workflow covers it. */
  workflow: z.array(internalLink).default([]),
  /** Ids of signatures readers confuse with this one, or that often come next. */
  related: z.array(z.string()).default([]),
  /** Where older advice (the original guide, older releases) differs from today's gateway (Markdown). */
  changed: z.string().optional(),
  /** OpenClaw version the facts were checked on. */
  verifiedOn: z.string().regex(/^\d{4}\.\d+\.\d+$/),
});
export type SignatureData = z.infer<typeof signatureSchema>;
export type Signature = SignatureData & { id: string };
