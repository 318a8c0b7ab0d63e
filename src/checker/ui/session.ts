/**
 * One checker on a page: runs the core's runCheck with this browser's device identity and
 * renders steps and the verdict. Loaded on first use (see pairing-checker.ts).
 */
import type { CatalogEntry } from '../core/catalog';
import { indexedDbStore } from '../core/identity';
import { renderReport } from '../core/report';
import { runCheck, type CheckResult, type CheckStep, type PairingInfo } from '../core/run-check';
import { parseGatewayInput } from '../core/target';
import { loadSiteCatalog } from './site-catalog';
import { renderOutcome, renderSuccess, renderPairing, renderStep, type SiteCatalog } from './render';

type State = 'idle' | 'running' | 'waiting' | 'passed' | 'failed' | 'cancelled';

const identityStore = indexedDbStore();

export class CheckSession {
  #root: HTMLElement;
  #form: HTMLFormElement;
  #url: HTMLInputElement;
  #token: HTMLInputElement;
  #password: HTMLInputElement;
  #urlError: HTMLElement;
  #steps: HTMLOListElement;
  #verdict: HTMLElement;
  #live: HTMLElement;
  #actions: HTMLElement;
  #actionStatus: HTMLElement;
  #run: HTMLButtonElement;
  #cancel: HTMLButtonElement;
  #abort?: AbortController;
  #result?: CheckResult;
  #catalog: Promise<SiteCatalog>;

  constructor(root: HTMLElement) {
    this.#root = root;
    const q = <T extends Element>(selector: string) => root.querySelector<T>(selector)!;
    this.#form = q('form');
    this.#url = this.#form.elements.namedItem('url') as HTMLInputElement;
    this.#token = this.#form.elements.namedItem('token') as HTMLInputElement;
    this.#password = this.#form.elements.namedItem('password') as HTMLInputElement;
    this.#urlError = q('.checker-error');
    this.#steps = q('.checker-steps');
    this.#verdict = q('.checker-verdict');
    this.#live = q('.checker-live');
    this.#actions = q('.checker-actions');
    this.#actionStatus = q('.checker-action-status');
    this.#run = q('.checker-run');
    this.#cancel = q('.checker-cancel');
    this.#catalog = loadSiteCatalog();
    this.#catalog.catch(() => {}); // reported when a check needs it
  }

  /** A dashboard link with `#token=` pasted into the URL field: move the token to its field. */
  moveTokenOutOfUrl(url: HTMLInputElement, token: HTMLInputElement) {
    const parsed = parseGatewayInput(url.value);
    if (!parsed.ok || !parsed.token) return;
    if (!token.value) token.value = parsed.token;
    url.value = parsed.sanitizedInput;
    this.#announce('The token in the pasted link was moved to the Token field.');
  }

  async run() {
    if (this.#abort) return;
    const parsed = parseGatewayInput(this.#url.value);
    if (!parsed.ok) return this.#invalidUrl(parsed.error);
    this.#invalidUrl(null);
    if (parsed.token && !this.#token.value) this.#token.value = parsed.token;
    this.#url.value = parsed.sanitizedInput;

    let catalog: SiteCatalog;
    try {
      catalog = await this.#catalog;
    } catch {
      this.#catalog = loadSiteCatalog();
      return this.#invalidUrl('The checker could not load its list of error signatures. Reload the page and try again.');
    }

    const abort = (this.#abort = new AbortController());
    this.#result = undefined;
    this.#setState('running');
    this.#steps.replaceChildren();
    this.#steps.hidden = false;
    this.#verdict.hidden = true;
    this.#actions.hidden = true;
    this.#actionStatus.textContent = '';
    this.#announce('Check started.');

    const credentials = this.#password.value ? { password: this.#password.value } : { token: this.#token.value || undefined };
    let pairingShown: PairingInfo | undefined;
    try {
      const result = await runCheck(parsed, {
        catalog,
        identityStore,
        credentials,
        page: { origin: location.origin },
        waitForApproval: true,
        signal: abort.signal,
        onStep: (step) => {
          this.#showStep(step);
          if (step.id === 'outcome' && step.status === 'warn' && step.data.pairing) {
            const pairing = step.data.pairing as PairingInfo;
            if (pairing.requestId !== pairingShown?.requestId || !pairingShown) {
              pairingShown = pairing;
              this.#showVerdict('warn', renderPairing(pairing, catalog, step.signatureId));
              this.#setState('waiting');
              this.#announce(
                pairing.requestId
                  ? `Pairing required. Approve request ${pairing.requestId} on the gateway host; the check is waiting.`
                  : 'Pairing required. On the gateway host, run openclaw devices approve --latest and then the command it prints; the check is waiting.',
              );
            }
          }
          if (step.id === 'pairing-wait' && step.status === 'running') {
            const attempts = Number(step.data.attempts ?? 0);
            this.#verdict.querySelector('.pairing-progress')!.textContent =
              attempts > 0 ? `Still waiting (asked ${attempts} time${attempts === 1 ? '' : 's'} since). ${step.summary}` : step.summary;
          }
        },
      });
      this.#result = result;
      this.#finish(result, catalog);
    } catch (error) {
      // runCheck reports gateway and network problems as steps; this is a bug or a browser limit.
      this.#showVerdict('fail', plainVerdict('The check stopped unexpectedly', error instanceof Error ? error.message : String(error)));
      this.#setState('failed');
    } finally {
      this.#abort = undefined;
      this.#run.disabled = false;
      this.#cancel.hidden = true;
    }
  }

  cancel() {
    this.#abort?.abort();
  }

  async copyReport() {
    if (!this.#result) return;
    const report = renderReport(this.#result, {
      redact: [this.#token.value, this.#password.value].filter(Boolean),
      siteUrl: location.origin,
    });
    try {
      await navigator.clipboard.writeText(report);
      this.#actionStatus.textContent = 'Report copied (no token, password or signatures in it).';
    } catch {
      this.#actionStatus.textContent = 'This browser blocked the clipboard; select the text below and copy it.';
      const pre = document.createElement('pre');
      pre.textContent = report;
      this.#actions.after(pre);
    }
  }

  async forgetIdentity() {
    await identityStore.forget();
    this.#actionStatus.textContent = "This browser's checker identity is forgotten; the next check is a new device.";
    this.#announce(this.#actionStatus.textContent);
  }

  #finish(result: CheckResult, catalog: SiteCatalog) {
    switch (result.verdict) {
      case 'connected':
        this.#showVerdict('pass', renderSuccess(result));
        this.#setState('passed');
        this.#announce(`Connected to OpenClaw ${result.server?.version ?? ''}.`);
        break;
      case 'aborted':
        this.#setState('cancelled');
        this.#announce('Check cancelled.');
        if (!this.#verdict.hidden) this.#verdict.querySelector('.pairing-progress')!.textContent = 'Stopped waiting. Run the check again after approving.';
        break;
      case 'pairing-pending':
        this.#setState('failed');
        this.#announce('Not approved in time.');
        break;
      default: {
        const outcome = result.steps.find((s) => s.id === 'outcome');
        this.#showVerdict('fail', renderOutcome(result, outcome, catalog, location.origin));
        this.#setState('failed');
        this.#announce(`Check failed: ${outcome?.summary ?? ''}`);
      }
    }
    this.#actions.hidden = false;
  }

  #showStep(step: CheckStep) {
    const existing = this.#steps.querySelector<HTMLElement>(`[data-step="${step.id}"]`);
    const item = renderStep(step);
    if (existing) existing.replaceWith(item);
    else this.#steps.append(item);
    if (step.status !== 'skip' && step.status !== 'running') this.#announce(`${step.title}: ${step.summary}`);
  }

  #showVerdict(kind: 'pass' | 'fail' | 'warn', content: Node) {
    this.#verdict.dataset.kind = kind;
    this.#verdict.replaceChildren(content);
    this.#verdict.hidden = false;
  }

  #setState(state: State) {
    this.#root.dataset.state = state;
    const busy = state === 'running' || state === 'waiting';
    this.#run.disabled = busy;
    this.#cancel.hidden = !busy;
    this.#root.setAttribute('aria-busy', String(busy));
  }

  #invalidUrl(message: string | null) {
    this.#urlError.textContent = message ?? '';
    this.#urlError.hidden = !message;
    this.#url.setAttribute('aria-invalid', String(!!message));
    if (message) this.#url.focus();
  }

  #announce(text: string) {
    this.#live.textContent = text;
  }
}

function plainVerdict(title: string, text: string) {
  const wrap = document.createElement('div');
  const h = document.createElement('h3');
  h.textContent = title;
  const p = document.createElement('p');
  p.textContent = text;
  wrap.append(h, p);
  return wrap;
}

export type { CatalogEntry };
