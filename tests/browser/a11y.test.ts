/** axe-core on every page and on the checker in each of its states, and a keyboard-only check. */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';
import { serveSite, type Site } from '../support/site.ts';
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

async function violations(page: Page, include?: string) {
  const builder = new AxeBuilder({ page: page as never });
  if (include) builder.include(include);
  const { violations } = await builder.analyze();
  return violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('axe finds no violations on any page', async () => {
  const w = await openPage();
  try {
    const found: string[] = [];
    for (const path of builtPages()) {
      await w.page.goto(site.origin + path);
      found.push(...(await violations(w.page)).map((v) => `${path} ${v}`));
    }
    assert.deepEqual(found, []);
  } finally {
    await w.close();
  }
});

/** A TCP listener that never answers, so the checker stays in its "running" state for a while. */
async function silentServer(): Promise<{ port: number; server: Server }> {
  const server = createServer(() => {});
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as { port: number }).port, server };
}

test('axe finds no violations on the checker when idle, running, waiting, failed and passed', async () => {
  const w = await openPage();
  const silent = await silentServer();
  const { page } = w;
  const checker = page.locator('pairing-checker');
  const run = async (url: string, token: string) => {
    await checker.getByLabel('Gateway URL').fill(url);
    await checker.getByLabel('Token', { exact: true }).fill(token);
    await checker.getByRole('button', { name: 'Run check' }).click();
  };
  const state = (s: string) => page.locator(`pairing-checker[data-state="${s}"]`).waitFor({ timeout: 60_000 });
  const found: string[] = [];
  const audit = async (label: string) => found.push(...(await violations(page, 'pairing-checker')).map((v) => `${label}: ${v}`));
  try {
    await page.goto(site.origin + '/checker/');
    await audit('idle');

    await run(`ws://127.0.0.1:${silent.port}`, 'x');
    await state('running');
    await audit('running');
    await checker.getByRole('button', { name: 'Cancel' }).click();
    await state('cancelled');

    await run(gateway.wsUrl, 'wrong-token');
    await state('failed');
    await audit('failed');

    await gateway.configSet('gateway.nodes.pairing.autoApproveLocal', false);
    try {
      await run(gateway.wsUrl, gateway.secret);
      await state('waiting');
      await audit('waiting');
      const requestId = (await checker.locator('dt:text-is("Request id") + dd').innerText()).trim();
      assert.equal((await gateway.cli(['devices', 'approve', requestId])).code, 0);
      await state('passed');
      await audit('passed');
    } finally {
      await gateway.configSet('gateway.nodes.pairing.autoApproveLocal', true);
    }
    assert.deepEqual(found, []);
  } finally {
    silent.server.close();
    await w.close();
  }
});

test('keyboard only: run a whole check, hear the progress, copy the report', async () => {
  const w = await openPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  const { page } = w;
  try {
    await page.goto(site.origin + '/checker/');
    const focused = () => page.evaluate(() => document.activeElement?.getAttribute('name') ?? document.activeElement?.textContent?.trim());
    const tabTo = async (name: string) => {
      for (let i = 0; i < 60 && (await focused()) !== name; i++) await page.keyboard.press('Tab');
      assert.equal(await focused(), name, `Tab reaches ${name}`);
    };
    await tabTo('url');
    await page.keyboard.type(gateway.wsUrl);
    await page.keyboard.press('Tab');
    assert.equal(await focused(), 'token');
    await page.keyboard.type(gateway.secret);
    await page.keyboard.press('Enter');
    await page.locator('pairing-checker[data-state="passed"]').waitFor({ timeout: 60_000 });
    assert.match(await page.locator('pairing-checker [role="status"][aria-live="polite"]').first().innerText(), /Connected to OpenClaw 2026\.9\.6/);
    await tabTo('Copy report');
    await page.keyboard.press('Enter');
    await page.getByText('Report copied').waitFor();
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /Verdict: \*\*connected\*\*/);
  } finally {
    await w.close();
  }
});
