import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, type Site } from '../support/site.ts';
import { openPage, closeBrowser } from '../support/browser.ts';
import { builtPages } from '../support/pages.ts';

after(() => closeBrowser());
let site: Site;
before(async () => {
  site = await serveSite();
});
after(() => site.close());

test('every page renders its title with no console errors and no request leaving localhost', async () => {
  const pages = builtPages();
  assert.ok(pages.length >= 20, `expected the guide plus signature pages, found ${pages.length}`);
  const w = await openPage();
  try {
    for (const path of pages) {
      const response = await w.page.goto(site.origin + path);
      assert.equal(response?.status(), 200, `${path} status`);
      const h1 = (await w.page.locator('h1').first().textContent())?.trim();
      assert.ok(h1, `${path} has a visible title`);
    }
    assert.deepEqual(w.errors, [], 'console errors');
    assert.deepEqual(w.foreignRequests, [], 'requests to other hosts');
  } finally {
    await w.close();
  }
});

test('an unknown address shows the 404 page', async () => {
  const w = await openPage();
  try {
    const response = await w.page.goto(site.origin + '/no-such-page/');
    assert.equal(response?.status(), 404);
    await w.page.getByText(/page not found/i).first().waitFor();
  } finally {
    await w.close();
  }
});

test('a copy button copies its command exactly', async () => {
  const w = await openPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  try {
    await w.page.goto(site.origin + '/quick-fix/');
    const block = w.page.locator('.expressive-code').first();
    const shown = (await block.locator('pre').innerText()).trim();
    await block.hover();
    await block.getByRole('button', { name: /copy/i }).click();
    const copied = await w.page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied.trim(), shown);
    assert.match(copied, /^openclaw /m);
  } finally {
    await w.close();
  }
});

test('the validation checklist remembers ticks across reloads, per browser profile', async () => {
  const w = await openPage();
  try {
    await w.page.goto(site.origin + '/checklist/');
    const boxes = w.page.getByRole('checkbox');
    assert.ok((await boxes.count()) >= 4, 'four checks or more');
    await boxes.nth(0).check();
    await boxes.nth(2).check();
    await w.page.reload();
    assert.equal(await boxes.nth(0).isChecked(), true);
    assert.equal(await boxes.nth(1).isChecked(), false);
    assert.equal(await boxes.nth(2).isChecked(), true);
    await w.page.getByText(/2 of \d+ checks done/).waitFor();
  } finally {
    await w.close();
  }
  const fresh = await openPage();
  try {
    await fresh.page.goto(site.origin + '/checklist/');
    assert.equal(await fresh.page.getByRole('checkbox').nth(0).isChecked(), false, 'a new profile starts clean');
  } finally {
    await fresh.close();
  }
});

test('without JavaScript the checklist is a plain list', async () => {
  const { browser } = await import('../support/browser.ts');
  const context = await (await browser()).newContext({ javaScriptEnabled: false });
  try {
    const page = await context.newPage();
    await page.goto(site.origin + '/checklist/');
    assert.equal(await page.getByRole('checkbox').count(), 0);
    assert.ok((await page.locator('check-list li').count()) >= 4);
  } finally {
    await context.close();
  }
});
