/**
 * DOM for steps and verdicts. Text from the gateway (messages, close reasons, ids) only ever goes
 * in through textContent; the only HTML inserted is the site's own fix text from the catalog.
 */
import type { Classification } from '../core/classify';
import { allowedOriginsCommands } from '../core/commands';
import type { CheckResult, CheckStep, PairingInfo } from '../core/run-check';
import type { SiteCatalogEntry } from './site-catalog';

export type SiteCatalog = SiteCatalogEntry[];

const ICONS: Record<CheckStep['status'], [string, string]> = {
  running: ['…', 'in progress'],
  pass: ['✓', 'passed'],
  fail: ['✗', 'failed'],
  warn: ['!', 'needs action'],
  skip: ['–', 'skipped'],
};

type Child = Node | string | null | undefined | false;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, props: Partial<HTMLElementTagNameMap[K]> & { dataset?: Record<string, string> } = {}, ...children: Child[]) {
  const node = document.createElement(tag);
  const { dataset, ...rest } = props;
  Object.assign(node, rest);
  if (dataset) Object.assign(node.dataset, dataset);
  node.append(...(children.filter(Boolean) as (Node | string)[]));
  return node;
}

export function renderStep(step: CheckStep): HTMLLIElement {
  const [icon, label] = ICONS[step.status];
  return el(
    'li',
    { className: 'step', dataset: { step: step.id, status: step.status } },
    el('span', { className: 'step-icon', ariaHidden: 'true' }, icon),
    el('span', { className: 'step-title' }, step.title, el('span', { className: 'sr-only' }, ` (${label})`)),
    el('span', { className: 'step-summary' }, step.summary),
    el('span', { className: 'step-time' }, step.status === 'skip' ? '' : `${step.durationMs} ms`),
  );
}

/** A command in a code box with its own copy button. */
export function commandBox(command: string, label = 'Copy command'): HTMLElement {
  const button = el('button', { type: 'button', className: 'copy-command' }, label);
  button.setAttribute('aria-label', `${label}: ${command}`);
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(command);
      button.textContent = 'Copied';
    } catch {
      button.textContent = 'Select and copy';
    }
    setTimeout(() => (button.textContent = label), 2000);
  });
  return el('div', { className: 'command' }, el('code', {}, command), button);
}

function facts(rows: [string, string | undefined][]) {
  const dl = el('dl');
  for (const [term, value] of rows) if (value) dl.append(el('dt', {}, term), el('dd', {}, value));
  return dl;
}

function signatureLink(entry: SiteCatalogEntry | undefined, text = 'Full explanation and fix') {
  return entry ? el('p', {}, el('a', { href: entry.url }, `${text}: ${entry.title}`)) : null;
}

export function renderPairing(pairing: PairingInfo, catalog: SiteCatalog, signatureId?: string): HTMLElement {
  const entry = catalog.find((e) => e.id === signatureId);
  const approve = pairing.commands.approve;
  return el(
    'div',
    { className: 'verdict-pairing' },
    el('h3', {}, 'Pairing required: approve this browser on the gateway host'),
    el('p', {}, entry?.summary ?? 'The gateway has not approved this device yet.'),
    facts([
      ['Reason', pairing.reason],
      ['Request id', pairing.requestId],
      ['Request id as sent (not a plain id, so not put in a command)', pairing.requestIdAsSent],
      ['Device id', pairing.deviceId],
      ['Role', pairing.requestedRole],
      ['Scopes', pairing.requestedScopes?.join(', ')],
    ]),
    approve
      ? el('p', {}, 'Run this on the gateway host (or anywhere the OpenClaw CLI is paired with it):')
      : el('p', {}, 'The gateway sent no request id this checker can use. On the gateway host, preview the newest request, then run the approve command it prints:'),
    approve ? commandBox(approve) : commandBox(pairing.commands.previewLatest),
    el('p', { className: 'pairing-progress', role: 'status' }, 'Waiting for approval…'),
    el('p', {}, 'This page keeps asking with the same device key, so the same request stays pending, and turns green by itself once it is approved. Pending requests expire 5 minutes after the last attempt.'),
    signatureLink(entry),
  );
}

export function renderSuccess(result: CheckResult): HTMLElement {
  const s = result.server;
  return el(
    'div',
    { className: 'verdict-success' },
    el('h3', {}, `Connected to OpenClaw ${s?.version ?? ''}`.trim()),
    facts([
      ['Server version', s?.version],
      ['Protocol', s?.protocol !== undefined ? String(s.protocol) : undefined],
      ['Role', s?.role],
      ['Scopes', s?.scopes?.join(', ') || 'none'],
      ['Auth method', s?.authMethod],
      ['Health', s?.health.text],
      ['Time to verdict', `${result.durationMs} ms`],
    ]),
    el(
      'p',
      {},
      'This browser can reach the gateway, passes the origin check, authenticates and is paired. ' +
        'Your dashboard is a separate device: every browser profile (and the dashboard at its own address) has its own key, ' +
        'so if the dashboard still says "pairing required", approve its request too (',
      el('a', { href: '/quick-fix/' }, 'quick fix'),
      ').',
    ),
  );
}

const ORIGIN_SIGNATURES = new Set(['origin-not-allowed', 'origin-missing']);

export function renderOutcome(result: CheckResult, outcome: CheckStep | undefined, catalog: SiteCatalog, pageOrigin: string): HTMLElement {
  const c = (outcome?.data.classification ?? result.classification) as Classification | undefined;
  const entry = catalog.find((e) => e.id === (outcome?.signatureId ?? c?.signatureId));
  const wrap = el('div', { className: 'verdict-failure' });
  wrap.append(el('h3', {}, entry?.title ?? outcome?.summary ?? 'The check failed'));
  if (entry) wrap.append(el('p', {}, entry.summary));
  if (c?.message || c?.close) {
    wrap.append(
      facts([
        ['Gateway said', c.message],
        ['Close', c.close ? `${c.close.code}${c.close.reason ? ` ${c.close.reason}` : ''}` : undefined],
        ['Code', c.detailsCode ?? c.errorCode],
        ['Retry after', c.retryAfterMs ? `${Math.ceil(c.retryAfterMs / 1000)} s` : undefined],
      ]),
    );
  }
  if (entry && ORIGIN_SIGNATURES.has(entry.id)) wrap.append(renderOriginFix(pageOrigin));
  if (entry?.fix.length) {
    const steps = el('ol');
    for (const step of entry.fix) {
      const li = el('li');
      const text = el('p');
      text.innerHTML = step.html; // the site's own Markdown, rendered at build time
      li.append(text);
      for (const command of step.commands) li.append(commandBox(command));
      steps.append(li);
    }
    wrap.append(el('h4', {}, 'How to fix it'), steps);
  }
  if (c?.detailsCode?.startsWith('AUTH_')) {
    wrap.append(el('p', {}, 'The checker does not retry a failed login by itself: ten failures from one browser origin lock that origin out for five minutes, even for the right token.'));
  }
  wrap.append(signatureLink(entry) ?? el('p', {}, el('a', { href: '/errors/' }, 'Browse all error signatures')));
  return wrap;
}

function renderOriginFix(pageOrigin: string): HTMLElement {
  const fix = allowedOriginsCommands(pageOrigin);
  return el(
    'div',
    { className: 'origin-fix' },
    el('h4', {}, 'Allow this page’s origin'),
    facts([['This page’s origin', pageOrigin]]),
    el('p', {}, 'On the gateway host, see which origins are allowed now:'),
    commandBox(fix.inspect),
    el('p', {}, 'Then set the list to the existing entries plus this origin (the change applies without a restart):'),
    commandBox(fix.add),
    el('p', {}, 'To undo it later, set the list back to what the first command printed:'),
    commandBox(fix.undo),
  );
}
