/**
 * What the page does with the reader's secret and what it allows to run: the token reaches the
 * gateway and nowhere else, and every page carries a strict Content-Security-Policy.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { serveSite, DIST, type Site } from '../support/site.ts';
import { openPage, closeBrowser } from '../support/browser.ts';
import { builtPages } from '../support/pages.ts';
import { sharedGateway, type Gateway } from '../support/gateway.ts';

after(() => closeBrowser());
let site: Site;
let gateway: Gateway;
before(async () => {
  site = await serveSite();
  gateway = await sharedGateway('token');
});
after(() => site.close());

const html = (path: string) => readFileSync(join(DIST, path, path.endsWith('.html') ? '' : 'index.html'), 'utf8');

test('every page has a strict Content-Security-Policy, no referrer and no inline event handlers', () => {
  for (const path of builtPages()) {
    const page = html(path);
    const csp = /<meta http-equiv="content-security-policy" content="([^"]*)"/i.exec(page)?.[1];
    assert.ok(csp, `${path}: CSP meta`);
    const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.deepEqual(directives.get('default-src'), ["'self'"], `${path}: default-src`);
    assert.deepEqual(directives.get('object-src'), ["'none'"], `${path}: object-src`);
    const scripts = directives.get('script-src') ?? [];
    assert.ok(scripts.includes("'self'"), `${path}: scripts from this site`);
    for (const value of scripts) {
      assert.ok(value === "'self'" || value === "'wasm-unsafe-eval'" || value.startsWith("'sha256-"), `${path}: script-src ${value}`);
    }
    assert.deepEqual(directives.get('connect-src'), ["'self'", 'ws:', 'wss:', 'http:', 'https:'], `${path}: connect-src`);
    assert.match(page, /<meta name="referrer" content="no-referrer"/, `${path}: referrer policy`);
    assert.doesNotMatch(page, /<[a-z][^>]*\son[a-z]+=/i, `${path}: inline event handler`);
  }
});

/** Everything the page could have kept: storage of every kind, cookies, the address. */
async function everythingStored(page: Page): Promise<string> {
  const dump = await page.evaluate(async () => {
    const out: Record<string, unknown> = {
      url: location.href,
      local: { ...localStorage },
      session: { ...sessionStorage },
      cookie: document.cookie,
    };
    for (const info of await indexedDB.databases()) {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const req = indexedDB.open(info.name!);
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
      for (const name of db.objectStoreNames) {
        const values = await new Promise<unknown[]>((resolve) => {
          const req = db.transaction(name).objectStore(name).getAll();
          req.onsuccess = () => resolve(req.result);
        });
        // CryptoKeys serialise to {}; raw bytes and strings show as they are.
        out[`idb:${info.name}/${name}`] = JSON.stringify(values, (_k, v) => (v instanceof Uint8Array ? [...v] : v));
      }
      db.close();
    }
    return JSON.stringify(out);
  });
  const cookies = JSON.stringify(await page.context().cookies());
  return dump + cookies;
}

test('the token and password are never stored, logged, put in the address or in the report', async () => {
  const w = await openPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  const logged: string[] = [];
  w.page.on('console', (m) => logged.push(m.text()));
  try {
    await w.page.goto(site.origin + '/checker/');
    const checker = w.page.locator('pairing-checker');
    // A wrong password first (nothing should keep it), then the right token.
    const password = 'wrong-password-Zq81';
    await checker.getByLabel('Gateway URL').fill(gateway.wsUrl);
    await checker.getByLabel('Password').fill(password);
    await checker.getByRole('button', { name: 'Run check' }).click();
    await w.page.locator('pairing-checker[data-state="failed"]').waitFor();
    await checker.getByLabel('Password').fill('');
    await checker.getByLabel('Token', { exact: true }).fill(gateway.secret);
    await checker.getByRole('button', { name: 'Run check' }).click();
    await w.page.locator('pairing-checker[data-state="passed"]').waitFor();
    await checker.getByRole('button', { name: 'Copy report' }).click();
    const report = await w.page.evaluate(() => navigator.clipboard.readText());
    assert.match(report, /OpenClaw pairing checker report/);
    assert.match(report, /2026\.9\.6/);

    const stored = await everythingStored(w.page);
    assert.match(stored, /idb:openclaw-pairing-checker/, 'the device key is kept (and inspected here)');
    for (const secret of [gateway.secret, password]) {
      assert.ok(!stored.includes(secret), 'not in storage, cookies or the address');
      assert.ok(!report.includes(secret), 'not in the report');
      assert.ok(!logged.some((l) => l.includes(secret)), 'not in the console');
    }
  } finally {
    await w.close();
  }
});

test('a #token= fragment leaves the address bar at once', async () => {
  const w = await openPage();
  try {
    await w.page.goto(`${site.origin}/checker/#token=${gateway.secret}`, { waitUntil: 'domcontentloaded' });
    await w.page.waitForFunction(() => location.hash === '');
    assert.ok(!w.page.url().includes(gateway.secret));
  } finally {
    await w.close();
  }
});

test('remembering the token is opt-in and lasts only in this tab', async () => {
  const w = await openPage();
  try {
    await w.page.goto(site.origin + '/checker/');
    const checker = w.page.locator('pairing-checker');
    await checker.getByLabel('Token', { exact: true }).fill('tab-token-1');
    await w.page.reload();
    assert.equal(await checker.getByLabel('Token', { exact: true }).inputValue(), '', 'not remembered by default');

    await checker.getByLabel('Token', { exact: true }).fill('tab-token-1');
    await checker.getByLabel('Remember the token in this tab').check();
    await w.page.reload();
    assert.equal(await checker.getByLabel('Token', { exact: true }).inputValue(), 'tab-token-1', 'remembered in this tab');

    const other = await w.context.newPage();
    await other.goto(site.origin + '/checker/');
    assert.equal(await other.locator('pairing-checker').getByLabel('Token', { exact: true }).inputValue(), '', 'another tab does not see it');

    await checker.getByLabel('Remember the token in this tab').uncheck();
    assert.ok(!(await everythingStored(w.page)).includes('tab-token-1'), 'unticking forgets it');
  } finally {
    await w.close();
  }
});

test("the device's private key cannot be read back out of the page", async () => {
  const w = await openPage();
  try {
    await w.page.goto(site.origin + '/checker/');
    const checker = w.page.locator('pairing-checker');
    await checker.getByLabel('Gateway URL').fill(gateway.wsUrl);
    await checker.getByLabel('Token', { exact: true }).fill(gateway.secret);
    await checker.getByRole('button', { name: 'Run check' }).click();
    await w.page.locator('pairing-checker[data-state="passed"]').waitFor();
    const key = await w.page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((resolve) => {
        const req = indexedDB.open('openclaw-pairing-checker');
        req.onsuccess = () => resolve(req.result);
      });
      const stored = await new Promise<{ backend: string; keyPair?: CryptoKeyPair }>((resolve) => {
        const req = db.transaction('identity').objectStore('identity').get('device');
        req.onsuccess = () => resolve(req.result);
      });
      const privateKey = stored.keyPair!.privateKey;
      const exported = await crypto.subtle.exportKey('pkcs8', privateKey).then(
        () => 'exported',
        (e: Error) => e.name,
      );
      return { backend: stored.backend, extractable: privateKey.extractable, exported };
    });
    assert.deepEqual(key, { backend: 'webcrypto', extractable: false, exported: 'InvalidAccessError' });
  } finally {
    await w.close();
  }
});
