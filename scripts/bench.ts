/**
 * `npm run bench`: prints the figures the project's budgets are about. Nothing here asserts;
 * the numbers are for people to read and compare with the targets in the README.
 */
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { serveSite } from '../tests/support/site.ts';
import { browser, closeBrowser } from '../tests/support/browser.ts';
import { benchChecker } from './bench-checker.ts';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function timeBuild() {
  const start = performance.now();
  const run = spawnSync('npx', ['astro', 'build'], { stdio: 'ignore', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
  if (run.status !== 0) throw new Error('astro build failed');
  return (performance.now() - start) / 1000;
}

/** Bytes on the wire (gzip) by kind, and requests, for a first visit with an empty cache. */
async function firstVisit(origin: string, path: string) {
  const context = await (await browser()).newContext();
  const page = await context.newPage();
  const bytes = { js: 0, css: 0, html: 0, other: 0 };
  let requests = 0;
  page.on('response', async (response) => {
    requests++;
    const type = response.request().resourceType();
    const size = Number((await response.allHeaders())['content-length'] ?? 0);
    if (type === 'script') bytes.js += size;
    else if (type === 'stylesheet') bytes.css += size;
    else if (type === 'document') bytes.html += size;
    else bytes.other += size;
  });
  await page.goto(origin + path, { waitUntil: 'networkidle' });
  await context.close();
  return { path, requests, ...bytes, total: bytes.js + bytes.css + bytes.html + bytes.other };
}

/** Milliseconds from the last keystroke of a pasted-and-typed query to the first result shown. */
async function searchLatency(origin: string, runs = 10) {
  const context = await (await browser()).newContext();
  const page = await context.newPage();
  await page.goto(origin + '/');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  const input = page.getByRole('searchbox');
  await page.waitForFunction(() => performance.getEntriesByType('resource').some((r) => r.name.includes('signatures.json')));
  const queries = ['pairing required: device is not approved', 'gateway token mismatch', 'origin not allowed', 'proxy attribution'];
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const query = queries[i % queries.length];
    await input.fill('');
    await page.evaluate(() => {
      const w = window as unknown as { __t0?: number; __t1?: Promise<number> };
      const list = document.querySelector('.search-results')!;
      w.__t1 = new Promise((resolve) => {
        const seen = new MutationObserver(() => {
          if (list.children.length > 0) {
            seen.disconnect();
            resolve(performance.now());
          }
        });
        seen.observe(list, { childList: true });
      });
      document.querySelector('#search-input')!.addEventListener('keydown', (e) => (w.__t0 = e.timeStamp));
    });
    await input.pressSequentially(query);
    times.push(await page.evaluate(async () => {
      const w = window as unknown as { __t0: number; __t1: Promise<number> };
      return (await w.__t1) - w.__t0;
    }));
  }
  await context.close();
  return { median: median(times), all: times };
}

const buildSeconds = timeBuild();
const site = await serveSite();
try {
  console.log(`build time: ${buildSeconds.toFixed(1)} s (target < 20 s)`);
  console.log('\nfirst visit (gzip bytes on the wire; stock Starlight ≈ 48 KiB in 7 requests):');
  console.log('page            requests   js         css        html       other      total');
  for (const path of ['/', '/errors/', '/errors/pairing-not-paired/']) {
    const v = await firstVisit(site.origin, path);
    console.log(
      `${v.path.padEnd(16)}${String(v.requests).padEnd(11)}${kib(v.js).padEnd(11)}${kib(v.css).padEnd(11)}${kib(v.html).padEnd(11)}${kib(v.other).padEnd(11)}${kib(v.total)}`,
    );
  }
  const search = await searchLatency(site.origin);
  console.log(`\nsearch, last keystroke → first result: median ${search.median.toFixed(0)} ms of ${search.all.length} (target < 200 ms)`);
  await benchChecker(site.origin);
} finally {
  await site.close();
  await closeBrowser();
}
