import type { CheckResult, CheckStep } from './run-check';

/** Keys never printed, wherever they appear in step data. */
const SECRET_KEYS = /^(token|password|signature|nonce|devicetoken|devicetokens|bootstraptoken|recoveryscope|secret|auth)$/i;

/** Deep copy without secret-named keys. */
export function scrub(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(scrub);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!SECRET_KEYS.test(k)) out[k] = scrub(v);
    return out;
  }
  return value;
}

const ICON: Record<CheckStep['status'], string> = { pass: '✅', fail: '❌', warn: '⚠️', skip: '⏭️', running: '⏳' };

export interface ReportOptions {
  /** Strings to blank out wherever they appear (the token and password the reader typed). */
  redact?: string[];
  /** Site base URL for signature links, e.g. "https://example.org" (links are relative otherwise). */
  siteUrl?: string;
  /** Checker version line. */
  checkerVersion?: string;
}

/**
 * A Markdown report of a check, for asking for help: steps, codes, timings, server version and
 * signature ids. Never contains the token, password, device signature, nonce or device token.
 */
export function renderReport(result: CheckResult, opts: ReportOptions = {}): string {
  const link = (id: string) => `[\`${id}\`](${opts.siteUrl ?? ''}/errors/${id}/)`;
  const lines: string[] = [];
  lines.push('## OpenClaw pairing checker report', '');
  lines.push(`- Verdict: **${result.verdict}**`);
  if (result.target) lines.push(`- Gateway: \`${result.target.wsUrl}\` (${result.target.hostKind})`);
  if (result.server?.version) lines.push(`- Server: OpenClaw ${result.server.version}${result.server.buildId ? ` (\`${result.server.buildId}\`)` : ''}, protocol ${result.server.protocol}`);
  if (result.classification?.signatureId) lines.push(`- Signature: ${link(result.classification.signatureId)}${result.classification.title ? ` ${result.classification.title}` : ''}`);
  if (result.deviceId) lines.push(`- Checker device id: \`${result.deviceId}\``);
  if (result.pairing?.requestId) lines.push(`- Pairing request id: \`${result.pairing.requestId}\``);
  lines.push(`- Attempts: ${result.attempts}; total ${result.durationMs} ms; started ${result.startedAt}`);
  if (opts.checkerVersion) lines.push(`- Checker: ${opts.checkerVersion}`);
  lines.push('', '| Step | Result | Time | Details |', '|---|---|---|---|');
  for (const step of result.steps) {
    const sig = step.signatureId ? ` ${link(step.signatureId)}` : '';
    lines.push(`| ${step.title} | ${ICON[step.status]} ${step.status} | ${step.status === 'skip' ? '' : `${step.durationMs} ms`} | ${cell(step.summary)}${sig} |`);
  }
  const c = result.classification;
  if (c && (c.errorCode || c.close || c.detailsCode)) {
    lines.push('', '### Gateway answer', '');
    if (c.errorCode) lines.push(`- error.code: \`${c.errorCode}\``);
    if (c.detailsCode) lines.push(`- error.details.code: \`${c.detailsCode}\``);
    if (c.pairingReason) lines.push(`- pairing reason: \`${c.pairingReason}\``);
    if (c.recommendedNextStep) lines.push(`- recommendedNextStep: \`${c.recommendedNextStep}\``);
    if (c.message) lines.push(`- message: \`${inline(c.message)}\``);
    if (c.close) lines.push(`- close: \`${c.close.code}\`${c.close.reason ? ` \`${inline(c.close.reason)}\`` : ''}`);
    if (c.retryAfterMs !== undefined) lines.push(`- retryAfterMs: ${c.retryAfterMs}`);
  }
  if (result.server) {
    const s = result.server;
    lines.push('', '### Connected', '');
    lines.push(`- role \`${s.role ?? '?'}\`, scopes \`${(s.scopes ?? []).join(', ')}\`, auth method \`${s.authMethod ?? '?'}\``);
    lines.push(`- ${s.health.text}`);
  }
  // Backticks escaped (valid JSON) so gateway-supplied text cannot close the code fence.
  const stepJson = JSON.stringify(
    result.steps.map((s) => ({ id: s.id, status: s.status, durationMs: s.durationMs, data: scrub(s.data) })),
    null,
    2,
  ).replace(/`/g, '\\u0060');
  lines.push('', '<details><summary>Step data (JSON)</summary>', '', '```json', stepJson, '```', '', '</details>', '');
  let text = lines.join('\n');
  for (const secret of opts.redact ?? []) {
    if (secret && secret.length >= 4) text = text.split(secret).join('[redacted]');
  }
  return text;
}

const inline = (s: string) => s.replace(/`/g, "'").replace(/\s+/g, ' ');
const cell = (s: string) => inline(s).replace(/\|/g, '\\|');
