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

customElements.define('pairing-checker', PairingChecker);
