import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { existsSync } from 'node:fs';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

let shared: Promise<Browser> | undefined;

/** One headless Debian Chromium per test process, closed when the process exits. */
export function browser(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: run \`apt-get install -y chromium\` (npm test does this)`);
  }
  shared ??= chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true }).then((b) => {
    process.once('beforeExit', () => void b.close());
    return b;
  });
  return shared;
}

export async function closeBrowser() {
  if (shared) await (await shared).close();
  shared = undefined;
}

export interface WatchedPage {
  page: Page;
  context: BrowserContext;
  /** Console errors and uncaught exceptions seen so far. */
  errors: string[];
  /** Requests to any host other than the allowed loopback origins. */
  foreignRequests: string[];
  close(): Promise<void>;
}

/**
 * A fresh browser context (its own storage, like a new profile) and page that records what a
 * reader would not want: console errors, uncaught exceptions and requests leaving localhost.
 */
export async function openPage(options: { permissions?: string[] } = {}): Promise<WatchedPage> {
  const context = await (await browser()).newContext({ permissions: options.permissions });
  const page = await context.newPage();
  const errors: string[] = [];
  const foreignRequests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('request', (r) => {
    const { protocol, hostname } = new URL(r.url());
    const local = hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
    if (!local && protocol !== 'data:' && protocol !== 'blob:') foreignRequests.push(r.url());
  });
  return { page, context, errors, foreignRequests, close: () => context.close() };
}
