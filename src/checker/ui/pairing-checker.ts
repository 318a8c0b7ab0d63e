/**
 * <pairing-checker>: the form, the step list and the verdict. Kept small: the checker core, the
 * device key and the signature catalog are loaded by ./session on the first "Run check".
 */
import type { CheckSession } from './session';

class PairingChecker extends HTMLElement {
  #session?: CheckSession;

  connectedCallback() {
    const form = this.querySelector('form')!;
    const url = form.elements.namedItem('url') as HTMLInputElement;
    const token = form.elements.namedItem('token') as HTMLInputElement;
    const remember = form.elements.namedItem('remember') as HTMLInputElement;
    rememberTokenInThisTab(token, remember);
    takeTokenFromPageAddress(url, token);
    // A pasted dashboard link may carry the token: move it to the token field at once.
    url.addEventListener('input', () => this.#ui().then((ui) => ui.moveTokenOutOfUrl(url, token)));
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#ui().then((ui) => ui.run());
    });
    this.querySelector('.checker-cancel')!.addEventListener('click', () => this.#session?.cancel());
    this.querySelector('.checker-copy-report')!.addEventListener('click', () => this.#session?.copyReport());
    this.querySelector('.checker-forget')!.addEventListener('click', () => void this.#ui().then((ui) => ui.forgetIdentity()));
    // Warm up while the reader types, so "Run check" answers at once.
    form.addEventListener('focusin', () => void this.#ui(), { once: true });
  }

  disconnectedCallback() {
    this.#session?.cancel();
  }

  async #ui() {
    if (!this.#session) {
      const { CheckSession } = await import('./session');
      this.#session ??= new CheckSession(this);
    }
    return this.#session;
  }
}

/**
 * `openclaw dashboard` links end in `#token=…`. If one was opened on this page, take the token
 * into the field and drop it from the address bar before anything else can read or share it.
 */
function takeTokenFromPageAddress(url: HTMLInputElement, token: HTMLInputElement) {
  const hash = new URLSearchParams(location.hash.slice(1));
  const fromHash = hash.get('token');
  if (!fromHash) return;
  token.value = fromHash;
  const gateway = hash.get('gatewayUrl');
  if (gateway) url.value = gateway;
  history.replaceState(history.state, '', location.pathname + location.search);
}

const REMEMBERED = 'pairing-checker:token';

/**
 * Opt-in, per tab: only while the box is ticked does the token live in sessionStorage (which no
 * other tab or later visit can read); unticking it deletes it at once.
 */
function rememberTokenInThisTab(token: HTMLInputElement, remember: HTMLInputElement) {
  const stored = safeSession(() => sessionStorage.getItem(REMEMBERED));
  if (stored) {
    token.value = stored;
    remember.checked = true;
  }
  const sync = () =>
    safeSession(() => (remember.checked && token.value ? sessionStorage.setItem(REMEMBERED, token.value) : sessionStorage.removeItem(REMEMBERED)));
  remember.addEventListener('change', sync);
  token.addEventListener('input', () => remember.checked && sync());
}

function safeSession<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined; // storage disabled: nothing is remembered
  }
}

customElements.define('pairing-checker', PairingChecker);
