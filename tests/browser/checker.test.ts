/**
 * The checker island in Debian Chromium against real OpenClaw gateways: every scenario asserts
 * what the reader sees on the page.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { serveSite, type Site } from '../support/site.ts';
import { openPage, type WatchedPage, closeBrowser } from '../support/browser.ts';
import { sharedGateway, freePort, type Gateway } from '../support/gateway.ts';
import { loadSignatures } from '../support/signatures.ts';
import { startXffProxy, startPlainHttpServer } from '../gateway/helpers.ts';

const titles = new Map(loadSignatures().map((s) => [s.id, s.title]));
const title = (id: string) => {
  const t = titles.get(id);
  assert.ok(t, `signature ${id} exists`);
  return t;
};

after(() => closeBrowser());
let site: Site;
let gateway: Gateway;
let passwordGateway: Gateway;
before(async () => {
  site = await serveSite();
  [gateway, passwordGateway] = await Promise.all([sharedGateway('token'), sharedGateway('password')]);
});
after(() => site.close());

/** A fresh browser profile on the checker page with the form filled in and "Run check" pressed. */
async function check(fields: { url: string; token?: string; password?: string }, w?: WatchedPage) {
  w ??= await openPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  const { page } = w;
  if (!page.url().endsWith('/checker/')) await page.goto(site.origin + '/checker/');
  const checker = page.locator('pairing-checker');
  await checker.getByLabel('Gateway URL').fill(fields.url);
  await checker.getByLabel('Token', { exact: true }).fill(fields.token ?? '');
  await checker.getByLabel('Password').fill(fields.password ?? '');
  await checker.getByRole('button', { name: 'Run check' }).click();
  return w;
}

async function settled(page: Page, states = ['passed', 'failed', 'cancelled']) {
  const selector = states.map((s) => `pairing-checker[data-state="${s}"]`).join(', ');
  await page.locator(selector).waitFor({ timeout: 60_000 });
  return page.locator('pairing-checker').getAttribute('data-state');
}

const verdict = (page: Page) => page.locator('pairing-checker .checker-verdict');

test('loopback gateway, right token: connected, with the server version', async () => {
  const w = await check({ url: gateway.wsUrl, token: gateway.secret });
  try {
    assert.equal(await settled(w.page), 'passed');
    assert.match(await verdict(w.page).locator('h3').innerText(), /Connected to OpenClaw 2026\.9\.6/);
    assert.match(await verdict(w.page).innerText(), /operator\.read/);
    for (const step of ['input', 'browser', 'reachability', 'handshake', 'outcome', 'success']) {
      assert.equal(await w.page.locator(`[data-step="${step}"]`).getAttribute('data-status'), 'pass', step);
    }
    assert.deepEqual(w.errors, []);
    assert.deepEqual(w.foreignRequests, []);
  } finally {
    await w.close();
  }
});

test('wrong token: token mismatch, with the gateway message and the fix', async () => {
  const w = await check({ url: gateway.wsUrl, token: 'not-the-token' });
  try {
    assert.equal(await settled(w.page), 'failed');
    assert.equal(await verdict(w.page).locator('h3').innerText(), title('auth-token-mismatch'));
    assert.match(await verdict(w.page).innerText(), /unauthorized: gateway token mismatch/);
    assert.match(await verdict(w.page).innerText(), /does not retry a failed login/);
    assert.equal(await w.page.locator('[data-step="handshake"]').getAttribute('data-status'), 'fail');
  } finally {
    await w.close();
  }
});

test('no token: token missing', async () => {
  const w = await check({ url: gateway.wsUrl });
  try {
    assert.equal(await settled(w.page), 'failed');
    assert.equal(await verdict(w.page).locator('h3').innerText(), title('auth-token-missing'));
  } finally {
    await w.close();
  }
});

test('password gateway, wrong password: password mismatch', async () => {
  const w = await check({ url: passwordGateway.wsUrl, password: 'wrong-password' });
  try {
    assert.equal(await settled(w.page), 'failed');
    assert.equal(await verdict(w.page).locator('h3').innerText(), title('auth-password-mismatch'));
  } finally {
    await w.close();
  }
});

/** Reads the request id the page shows, approves it with the real CLI, waits for green. */
async function approveShownRequest(page: Page) {
  await page.locator('pairing-checker[data-state="waiting"]').waitFor({ timeout: 60_000 });
  const requestId = (await verdict(page).locator('dt:text-is("Request id") + dd').innerText()).trim();
  assert.match(requestId, /^[0-9a-f-]{36}$/);
  const command = (await verdict(page).locator('.command code').first().innerText()).trim();
  assert.equal(command, `openclaw devices approve ${requestId}`);
  await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
  const approved = await gateway.cli(['devices', 'approve', requestId]);
  assert.equal(approved.code, 0, approved.stdout + approved.stderr);
  assert.equal(await settled(page), 'passed');
  assert.equal(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed), true, 'no reload');
  return requestId;
}

test('pairing required: the page shows the request id, and turns green once it is approved', async () => {
  await gateway.configSet('gateway.nodes.pairing.autoApproveLocal', false);
  const w = await check({ url: gateway.wsUrl, token: gateway.secret });
  try {
    await approveShownRequest(w.page);
    assert.match(await verdict(w.page).locator('h3').innerText(), /Connected to OpenClaw/);
    assert.equal(await w.page.locator('[data-step="pairing-wait"]').getAttribute('data-status'), 'pass');
    assert.deepEqual(w.errors, []);
  } finally {
    await w.close();
    await gateway.configSet('gateway.nodes.pairing.autoApproveLocal', true);
  }
});

test('remote through a reverse proxy: origin refused, then pairing, then approved', async () => {
  const proxy = await startXffProxy(gateway.port);
  const url = `ws://127.0.0.1:${proxy.port}`;
  const w = await check({ url, token: gateway.secret });
  try {
    assert.equal(await settled(w.page), 'failed');
    assert.equal(await verdict(w.page).locator('h3').innerText(), title('origin-not-allowed'));
    const shown = await verdict(w.page).innerText();
    assert.ok(shown.includes(site.origin), 'shows this page’s exact origin');
    assert.match(shown, /openclaw config get gateway\.controlUi\.allowedOrigins/);

    await gateway.configSet('gateway.controlUi.allowedOrigins', [site.origin]);
    await w.page.locator('pairing-checker').getByRole('button', { name: 'Run check' }).click();
    await approveShownRequest(w.page);
  } finally {
    await w.close();
    await proxy.close();
  }
});

test('cancel stops the wait for approval', async () => {
  const proxy = await startXffProxy(gateway.port);
  const w = await check({ url: `ws://127.0.0.1:${proxy.port}`, token: gateway.secret });
  try {
    await w.page.locator('pairing-checker[data-state="waiting"]').waitFor({ timeout: 60_000 });
    await w.page.locator('pairing-checker').getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await settled(w.page), 'cancelled');
    assert.match(await verdict(w.page).innerText(), /Stopped waiting/);
    assert.equal(await w.page.locator('pairing-checker').getByRole('button', { name: 'Run check' }).isEnabled(), true);
  } finally {
    await w.close();
    await proxy.close();
  }
});

test('nothing listening: the network layer fails', async () => {
  const w = await check({ url: `ws://127.0.0.1:${await freePort()}`, token: 'x' });
  try {
    assert.equal(await settled(w.page), 'failed');
    assert.equal(await verdict(w.page).locator('h3').innerText(), title('connection-refused'));
    assert.equal(await w.page.locator('[data-step="reachability"]').getAttribute('data-status'), 'fail');
  } finally {
    await w.close();
  }
});

test('an HTTP server that is not a gateway: the upgrade fails', async () => {
  const server = await startPlainHttpServer();
  const w = await check({ url: `http://127.0.0.1:${server.port}`, token: 'x' });
  try {
    assert.equal(await settled(w.page), 'failed');
    assert.equal(await verdict(w.page).locator('h3').innerText(), title('upgrade-refused'));
  } finally {
    await w.close();
    await server.close();
  }
});

test('a bad address gets a clear message next to the field, not an exception', async () => {
  const w = await check({ url: 'ftp://example.com' });
  try {
    const field = w.page.locator('pairing-checker').getByLabel('Gateway URL');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.match(await w.page.locator('.checker-error').innerText(), /not supported/);
    assert.equal(await w.page.locator('pairing-checker').getAttribute('data-state'), 'idle');
    assert.deepEqual(w.errors, []);
  } finally {
    await w.close();
  }
});

test('a dashboard link with #token= fills the token field and leaves the address', async () => {
  const w = await openPage();
  try {
    await w.page.goto(`${site.origin}/checker/#token=${gateway.secret}`);
    await w.page.waitForFunction(() => !location.hash);
    assert.equal(await w.page.locator('pairing-checker').getByLabel('Token', { exact: true }).inputValue(), gateway.secret);
    const checker = w.page.locator('pairing-checker');
    await checker.getByLabel('Token', { exact: true }).fill('');
    await checker.getByLabel('Gateway URL').fill(`http://127.0.0.1:${gateway.port}/#token=${gateway.secret}`);
    await w.page.waitForFunction(() => !document.querySelector<HTMLInputElement>('pairing-checker input[name=url]')!.value.includes('#'));
    assert.equal(await checker.getByLabel('Token', { exact: true }).inputValue(), gateway.secret);
    await checker.getByRole('button', { name: 'Run check' }).click();
    assert.equal(await settled(w.page), 'passed');
  } finally {
    await w.close();
  }
});
