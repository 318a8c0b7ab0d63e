/** Text output of the command-line checker: one line per step, then the verdict and the fix. */
import type { Signature } from '../signatures/schema.ts';
import type { CheckResult, CheckStep } from '../checker/core/run-check.ts';
import type { PairingInfo } from '../checker/core/steps.ts';

const LABEL: Record<CheckStep['status'], string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP', running: 'WAIT' };
const TITLE_WIDTH = 21;

export function stepLine(step: CheckStep): string {
  const time = step.status === 'skip' ? '' : `${step.durationMs} ms`;
  const sig = step.signatureId ? ` [${step.signatureId}]` : '';
  return `  ${LABEL[step.status]}  ${step.title.padEnd(TITLE_WIDTH)}${time.padStart(8)}  ${oneLine(step.summary)}${sig}`;
}

export function approveBlock(pairing: PairingInfo, waiting: boolean): string[] {
  const lines: string[] = [];
  if (pairing.commands.approve) {
    lines.push(waiting ? '        On the gateway host, approve this request (the check continues by itself):' : '        On the gateway host, the request is approved with:');
    lines.push(`          ${pairing.commands.approve}`);
  } else {
    lines.push('        The gateway sent no request id. On the gateway host, preview the newest request and run the approve command it prints:');
    lines.push(`          ${pairing.commands.previewLatest}`);
  }
  return lines;
}

/** Markdown (fix texts) as plain text: `code`, **bold**, [label](/path/). */
export function plain(md: string): string {
  return md
    .replace(/\*\*([^*]+)\*\*/g, '$1')
    .replace(/\[([^\]]+)\]\((\/[^)\s]*)\)/g, '$1 ($2)')
    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '$1 ($2)');
}

export const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

export interface VerdictInfo {
  result: CheckResult;
  exitCode: number;
  signature?: Signature;
  /** Allowlist commands when the gateway refused the origin. */
  originCommands?: { inspect: string; add: string; undo: string };
  origin?: string;
  notes: string[];
  waited: boolean;
}

/** Fix commands from the catalog, with the live request id and device id filled in. */
export function fixCommands(command: string, result: CheckResult, origin?: string): string {
  let c = command;
  if (origin && result.classification?.detailsCode === 'CONTROL_UI_ORIGIN_NOT_ALLOWED') c = c.replaceAll('<origin>', origin);
  if (result.pairing?.requestId) c = c.replaceAll('<requestId>', result.pairing.requestId);
  if (result.deviceId) c = c.replaceAll('<deviceId>', result.deviceId);
  return c;
}

export function verdictLines(v: VerdictInfo): string[] {
  const { result, signature } = v;
  const lines: string[] = [''];
  const what = signature ? `${signature.title} [${signature.id}]` : result.classification?.message ? `the gateway said: ${result.classification.message}` : '';
  switch (result.verdict) {
    case 'connected':
      lines.push(`Verdict: connected (exit ${v.exitCode}). ${result.server ? `OpenClaw ${result.server.version ?? '?'}, ${result.server.authMethod ?? '?'} auth.` : ''}`.trim());
      if (result.deviceId) lines.push(`This run's device: ${result.deviceId} (remove it with: openclaw devices remove ${result.deviceId})`);
      return lines;
    case 'pairing-pending':
      lines.push(`Verdict: pairing required, not approved (exit ${v.exitCode}). ${what}`.trim());
      if (result.pairing) {
        if (result.pairing.commands.approve) lines.push(`  Request ${result.pairing.requestId} for device ${result.pairing.deviceId}.`);
        if (!v.waited) {
          lines.push("  This run's device key is discarded when it ends, so approving its request does not help the next run.");
          lines.push('  Run the check again with --wait and approve the request id it prints; it connects as soon as you do.');
        } else {
          lines.push('  Not approved in time. The request expires 5 minutes after the last retry; run the check again for a fresh one.');
        }
      }
      break;
    case 'invalid-input':
      lines.push(`Verdict: bad input (exit ${v.exitCode}). ${oneLine(result.steps[0]?.summary ?? '')}`);
      return lines;
    case 'aborted':
      lines.push(`Verdict: stopped (exit ${v.exitCode}).`);
      return lines;
    default:
      lines.push(`Verdict: failed (exit ${v.exitCode}): ${what || 'not recognised'}`);
  }
  const c = result.classification;
  if (c?.message) lines.push(`  The gateway said: ${oneLine(c.message)}`);
  if (c?.close) lines.push(`  Close: ${c.close.code}${c.close.reason ? ` "${oneLine(c.close.reason)}"` : ''}`);
  if (signature) lines.push(`  What it means: ${oneLine(plain(signature.summary))}`);
  if (v.originCommands && v.origin) {
    lines.push(`  The gateway refused the origin ${v.origin}. To allow it (keeps the entries already there):`);
    lines.push(`    1. See the current list:  ${v.originCommands.inspect}`);
    lines.push(`    2. Add the origin:        ${v.originCommands.add}`);
    lines.push(`    Undo:                     ${v.originCommands.undo}`);
  }
  if (signature?.fix.length) {
    lines.push('  Fix:');
    signature.fix.forEach((step, i) => {
      lines.push(`    ${i + 1}. ${oneLine(plain(step.text))}`);
      for (const cmd of step.commands) lines.push(`         $ ${fixCommands(cmd, result, v.origin)}`);
    });
  }
  if (signature) lines.push(`  Guide page: /errors/${signature.id}/`);
  return lines;
}
