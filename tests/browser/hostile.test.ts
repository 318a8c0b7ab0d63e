/**
 * The checker island in Debian Chromium against hostile and broken peers (tests/support/
 * hostile-server.ts): every scenario must end in bounded time with a clear, specific verdict,
 * no script or markup from the peer, no console errors from the page and bounded memory; and
 * waiting for approval must survive a gateway restart without flooding it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { CDPSession, Page } from 'playwright-core';
import { serveSite, type Site } from '../support/site.ts';
import { openPage, closeBrowser, type WatchedPage } from '../support/browser.ts';
import { loadSignatures } from '../support/signatures.ts';
import { FIXED_REQUEST_ID, HOSTILE_VERSION, SCRIPT, startHostileServer, type HostileScenario, type HostileServer } from '../support/hostile-server.ts';
import { DEFAULT_BACKOFF } from '../../src/checker/core/run-check.ts';

/** From "Run check" to a settled page, whatever the peer does. */
const BUDGET_MS = 10_000;
/** Heap growth allowed over a check (before → after, same page). */
const HEAP_BOUND = 50 * 1024 * 1024;

const titles = new Map(loadSignatures().map((s) => [s.id, s.title]));
const title = (id: string) => {
  const t = titles.get(id);
  assert.ok(t, `signature ${id} exists`);
  return t;
};

/**
 * Chromium itself logs every failed WebSocket and fetch to the console ("WebSocket connection to
 * … failed: …", "Failed to load resource: …"); no page code can prevent that, and those lines are
 * exactly what a reader would see in DevTools. Anything else is the page's own error.
 */
const BROWSER_NETWORK_LOG = [/^WebSocket connection to '[^']*' failed: /, /^Failed to load resource: /];
const pageErrors = (errors: string[]) => errors.filter((e) => !BROWSER_NETWORK_LOG.some((re) => re.test(e)));

after(() => closeBrowser());
let site: Site;
before(async () => {
  site = await serveSite();
});
after(() => site.close());

interface Run {
  w: WatchedPage;
  srv: HostileServer;
  page: Page;
  state: string | null;
  /** From the click on "Run check" to the settled state. */
  ms: number;
  heap: { before: number; after: number; afterGc: number };
  /** Console errors and uncaught exceptions from the click on (browser network lines removed). */
  errors: () => string[];
}

async function heapUsed(cdp: CDPSession, gc: boolean) {
  if (gc) await cdp.send('HeapProfiler.collectGarbage');
  return (await cdp.send('Runtime.getHeapUsage')).usedSize;
}

const SETTLED = ['passed', 'failed', 'cancelled'];

/** A fresh profile on the checker page, the scenario's URL filled in, "Run check" pressed, waited for `states`. */
async function run(scenario: HostileScenario, states = SETTLED, opts: Parameters<typeof startHostileServer>[1] = {}): Promise<Run> {
  const srv = await startHostileServer(scenario, opts);
  const w = await openPage({ permissions: ['clipboard-read', 'clipboard-write'] });
  const { page } = w;
  const cdp = await w.context.newCDPSession(page);
  await page.goto(site.origin + '/checker/');
  const checker = page.locator('pairing-checker');
  await checker.locator('input[name=url]').fill(srv.wsUrl);
  await checker.locator('input[name=token]').fill('some-token');
  // Load the checker's code first (it loads on first focus), so the heap figures are about the check.
  await checker.locator('input[name=url]').focus();
  await page.waitForLoadState('networkidle');
  const before = await heapUsed(cdp, true);
  const errorsFrom = w.errors.length;
  const t0 = performance.now();
  await checker.getByRole('button', { name: 'Run check' }).click();
  let state: string | null = null;
  try {
    await page.locator(states.map((s) => `pairing-checker[data-state="${s}"]`).join(', ')).waitFor({ timeout: 60_000 });
    state = await checker.getAttribute('data-state');
  } catch {
    state = `not settled (${await checker.getAttribute('data-state')})`;
  }
  const ms = Math.round(performance.now() - t0);
  const after = await heapUsed(cdp, false);
  const afterGc = await heapUsed(cdp, true);
  return { w, srv, page, state, ms, heap: { before, after, afterGc }, errors: () => pageErrors(w.errors.slice(errorsFrom)) };
}

async function done(r: Run) {
  await r.w.close();
  await r.srv.close();
}

const verdict = (page: Page) => page.locator('pairing-checker .checker-verdict');
const stepStatus = (page: Page, id: string) => page.locator(`pairing-checker [data-step="${id}"]`).getAttribute('data-status');
const stepSummary = (page: Page, id: string) => page.locator(`pairing-checker [data-step="${id}"] .step-summary`).innerText();
const fact = (page: Page, term: string) => verdict(page).locator(`dt:text-is("${term}") + dd`).innerText();
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;

/** What every failing scenario must show: settled in time, the verdict, the failing step, no page errors, bounded heap. */
async function expectFailure(
  t: { diagnostic(msg: string): void },
  r: Run,
  expected: { verdict: string | RegExp; failingStep: 'reachability' | 'handshake'; summary: RegExp },
) {
  t.diagnostic(`${r.srv.scenario}: ${r.state} in ${r.ms} ms; heap ${mb(r.heap.before)} → ${mb(r.heap.after)} (${mb(r.heap.afterGc)} after GC)`);
  assert.equal(r.state, 'failed', `state; server log:\n${r.srv.stats.log.join('\n')}`);
  assert.ok(r.ms <= BUDGET_MS, `settled in ${r.ms} ms (budget ${BUDGET_MS} ms)`);
  const h3 = (await verdict(r.page).locator('h3').innerText()).trim();
  if (typeof expected.verdict === 'string') assert.equal(h3, expected.verdict);
  else assert.match(h3, expected.verdict);
  assert.equal(await stepStatus(r.page, expected.failingStep), 'fail', `${expected.failingStep} step fails`);
  assert.match(await stepSummary(r.page, expected.failingStep), expected.summary);
  assert.equal(await stepStatus(r.page, 'outcome'), 'fail');
  if (expected.failingStep === 'reachability') assert.equal(await stepStatus(r.page, 'handshake'), 'skip');
  assert.deepEqual(r.errors(), [], 'no page errors');
  assert.ok(r.heap.after - r.heap.before < HEAP_BOUND, `heap grew by ${mb(r.heap.after - r.heap.before)}`);
  assert.ok(r.heap.afterGc - r.heap.before < HEAP_BOUND, `heap grew by ${mb(r.heap.afterGc - r.heap.before)} after GC`);
  assert.equal(await r.page.locator('pairing-checker').getByRole('button', { name: 'Run check' }).isEnabled(), true, 'can run again');
}

/** Nothing the peer sent became markup or ran. */
async function expectNoInjection(page: Page) {
  assert.equal(await page.locator('img[src="x"], pairing-checker img, pairing-checker script').count(), 0, 'no <img>/<script> from the peer');
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'no peer script ran');
}

// ---- Peers that are not (working) gateways ---------------------------------------------------

test('accepts the WebSocket, never sends a challenge: not a gateway, within the budget', async (t) => {
  const r = await run('no-challenge');
  try {
    await expectFailure(t, r, { verdict: title('not-a-gateway'), failingStep: 'reachability', summary: /did not greet like an OpenClaw gateway \(no challenge frame\)/ });
  } finally {
    await done(r);
  }
});

test('sends the challenge, never answers connect: handshake timeout, within the budget', async (t) => {
  const r = await run('no-response');
  try {
    await expectFailure(t, r, { verdict: title('handshake-timeout'), failingStep: 'handshake', summary: /no answer to the connect request within \d+ s/ });
    assert.equal(await stepStatus(r.page, 'reachability'), 'pass');
    assert.equal(r.srv.stats.connects.length, 1, 'one connect request');
  } finally {
    await done(r);
  }
});

test('stalls each phase just short of its limit: the overall deadline still ends the check in time', async (t) => {
  const r = await run('slow-drip');
  try {
    await expectFailure(t, r, { verdict: title('handshake-timeout'), failingStep: 'handshake', summary: /no answer to the connect request within \d+ s/ });
  } finally {
    await done(r);
  }
});

test('sends text that is not JSON: not a gateway, with the reason', async (t) => {
  const r = await run('not-json');
  try {
    await expectFailure(t, r, { verdict: title('not-a-gateway'), failingStep: 'reachability', summary: /unexpected frame: not JSON/ });
  } finally {
    await done(r);
  }
});

test('sends JSON of the wrong shape: not a gateway, with the reason', async (t) => {
  const r = await run('wrong-shape');
  try {
    await expectFailure(t, r, { verdict: title('not-a-gateway'), failingStep: 'reachability', summary: /unexpected frame: not a gateway frame/ });
  } finally {
    await done(r);
  }
});

test('answers connect with ok:true but no hello-ok: the answer is named as the problem', async (t) => {
  const r = await run('wrong-shape-answer');
  try {
    await expectFailure(t, r, {
      verdict: 'The answer to the connect request is not what an OpenClaw gateway sends (connect succeeded but the answer is not hello-ok)',
      failingStep: 'handshake',
      summary: /unexpected frame: connect succeeded but the answer is not hello-ok/,
    });
    assert.equal(await stepStatus(r.page, 'reachability'), 'pass', 'the challenge did arrive');
  } finally {
    await done(r);
  }
});

test('sends a binary frame: not a gateway, with the reason', async (t) => {
  const r = await run('binary');
  try {
    await expectFailure(t, r, { verdict: title('not-a-gateway'), failingStep: 'reachability', summary: /unexpected frame: binary frame/ });
  } finally {
    await done(r);
  }
});

test('answers with a 30 MB frame: refused unread, quickly, heap bounded, nothing of it on the page', async (t) => {
  const r = await run('huge-frame');
  try {
    await expectFailure(t, r, {
      verdict: 'The answer to the connect request is not what an OpenClaw gateway sends (frame too large (30.0 MB))',
      failingStep: 'handshake',
      summary: /frame too large \(30\.0 MB\)/,
    });
    const text = await r.page.locator('pairing-checker').innerText();
    assert.ok(text.length < 20_000, `page text stays small (${text.length} characters)`);
    assert.ok(!text.includes('AAAAAAAAAA'), 'none of the frame is shown');
  } finally {
    await done(r);
  }
});

test('10 000 small frames in a burst, then a real answer: the answer wins, heap bounded', async (t) => {
  const r = await run('burst');
  try {
    await expectFailure(t, r, { verdict: title('auth-token-mismatch'), failingStep: 'handshake', summary: /unauthorized: gateway token mismatch/ });
    assert.equal(r.srv.stats.connects.length, 1, 'one connect request');
    assert.equal(r.srv.stats.tcpConnections, 1, 'no reconnect');
  } finally {
    await done(r);
  }
});

test('error details nested 10 000 levels deep: the real error still wins, and the report can be copied', async (t) => {
  const r = await run('deep-details');
  try {
    await expectFailure(t, r, { verdict: title('auth-token-mismatch'), failingStep: 'handshake', summary: /unauthorized: gateway token mismatch/ });
    await r.page.locator('pairing-checker').getByRole('button', { name: 'Copy report' }).click();
    await r.page.waitForFunction(async () => (await navigator.clipboard.readText()).includes('auth-token-mismatch'), undefined, { timeout: 5000 });
    const report = await r.page.evaluate(() => navigator.clipboard.readText());
    assert.match(report, /AUTH_TOKEN_MISMATCH/);
    assert.ok(report.length < 50_000, `report stays small (${report.length} characters)`);
    assert.deepEqual(r.errors(), [], 'no page errors after copying the report');
  } finally {
    await done(r);
  }
});

// ---- Markup and script in gateway text -------------------------------------------------------

test('error message, details code and close reason with HTML and script: shown as text, never as markup', async (t) => {
  const r = await run('html-error');
  try {
    await expectFailure(t, r, { verdict: `The gateway said: gateway says ${SCRIPT}`, failingStep: 'handshake', summary: new RegExp(escape(SCRIPT)) });
    await expectNoInjection(r.page);
    assert.equal(await fact(r.page, 'Gateway said'), `gateway says ${SCRIPT}`);
    assert.equal(await fact(r.page, 'Close'), `1008 ${SCRIPT}`);
    assert.equal(await fact(r.page, 'Code'), `X_${SCRIPT}`);
  } finally {
    await done(r);
  }
});

test('close reason with HTML and script, no answer: shown as text, and the close is the diagnosis', async (t) => {
  const r = await run('html-close');
  try {
    await expectFailure(t, r, {
      verdict: 'The connection was closed during the handshake, before any answer to connect (close 1008)',
      failingStep: 'handshake',
      summary: new RegExp(`closed with 1008 "${escape(SCRIPT)}"`),
    });
    await expectNoInjection(r.page);
    assert.equal(await fact(r.page, 'Close'), `1008 ${SCRIPT}`);
  } finally {
    await done(r);
  }
});

test('pairing request id with HTML and script: shown as text, never put in a command; the --latest fallback is offered', async (t) => {
  const r = await run('html-request-id', ['waiting', ...SETTLED]);
  try {
    t.diagnostic(`waiting after ${r.ms} ms`);
    assert.equal(r.state, 'waiting');
    assert.ok(r.ms <= BUDGET_MS);
    await expectNoInjection(r.page);
    assert.equal(await verdict(r.page).locator('h3').innerText(), 'Pairing required: approve this browser on the gateway host');
    assert.equal(await stepStatus(r.page, 'handshake'), 'warn');
    const commands = await verdict(r.page).locator('.command code').allInnerTexts();
    assert.deepEqual(commands, ['openclaw devices approve --latest'], 'only the fallback command');
    assert.ok(!(await verdict(r.page).innerText()).match(/openclaw devices approve (?!--latest)/), 'no approve command with the id');
    assert.equal(await fact(r.page, 'Request id as sent (not a plain id, so not put in a command)'), SCRIPT);
    assert.equal(await verdict(r.page).locator('dt:text-is("Request id")').count(), 0);
    assert.deepEqual(r.errors(), []);
  } finally {
    await done(r);
  }
});

// ---- Transport ------------------------------------------------------------------------------

test('closes in the middle of the handshake (no close frame): abnormal closure 1006', async (t) => {
  const r = await run('close-mid-handshake');
  try {
    await expectFailure(t, r, { verdict: title('abnormal-close-1006'), failingStep: 'handshake', summary: /closed with 1006/ });
  } finally {
    await done(r);
  }
});

test('closes in the middle of the handshake with 1011: said so, not called a 15 s timeout', async (t) => {
  const r = await run('close-mid-handshake-1011');
  try {
    await expectFailure(t, r, {
      verdict: 'The connection was closed during the handshake, before any answer to connect (close 1011)',
      failingStep: 'handshake',
      summary: /closed with 1011 "upstream went away"/,
    });
    assert.equal(await fact(r.page, 'Close'), '1011 upstream went away');
  } finally {
    await done(r);
  }
});

test('accepts TCP and never completes the upgrade: no answer, within the budget', async (t) => {
  const r = await run('never-upgrade');
  try {
    await expectFailure(t, r, { verdict: title('connection-refused'), failingStep: 'reachability', summary: /No answer within \d+ s/ });
  } finally {
    await done(r);
  }
});

test('wss:// to a port that answers TLS with garbage: TLS failure', async (t) => {
  const r = await run('tls-garbage');
  try {
    await expectFailure(t, r, { verdict: title('tls-failed'), failingStep: 'reachability', summary: /answers plain HTTP on this port, but not TLS/ });
  } finally {
    await done(r);
  }
});

for (const scenario of ['http-403', 'http-404', 'http-200'] as const) {
  test(`answers the upgrade with ${scenario.slice(5)}: upgrade refused`, async (t) => {
    const r = await run(scenario);
    try {
      await expectFailure(t, r, { verdict: title('upgrade-refused'), failingStep: 'reachability', summary: /An HTTP server answers at .* but refuses the WebSocket upgrade/ });
    } finally {
      await done(r);
    }
  });
}

// ---- Waiting for approval --------------------------------------------------------------------

/** Most reconnects the wait loop can make within `windowMs` after an answer: the pauses alone add up to more after that. */
function maxReconnects(windowMs: number, backoff = DEFAULT_BACKOFF) {
  let n = 0;
  let elapsed = 0;
  let delay = backoff.initialMs;
  for (;;) {
    elapsed += delay;
    if (elapsed > windowMs) return n;
    n++;
    delay = Math.min(delay * backoff.factor, backoff.maxMs);
  }
}

test('waiting for approval never floods the gateway; the page turns green once approved', async (t) => {
  const r = await run('pairing', ['waiting', ...SETTLED]);
  try {
    assert.equal(r.state, 'waiting');
    const windowMs = 10_000;
    const firstAnswer = r.srv.stats.connects[0].at;
    await r.page.waitForTimeout(windowMs + 500);
    const reconnects = r.srv.stats.connects.filter((c) => c.at > firstAnswer && c.at <= firstAnswer + windowMs).length;
    const bound = maxReconnects(windowMs);
    t.diagnostic(`${reconnects} reconnects in ${windowMs / 1000} s of waiting (bound ${bound} from backoff ${JSON.stringify(DEFAULT_BACKOFF)}); tcp ${r.srv.stats.tcpConnections}, max open ${r.srv.stats.maxOpen}`);
    assert.ok(reconnects >= 2, `keeps asking (${reconnects})`);
    assert.ok(reconnects <= bound, `${reconnects} reconnects in ${windowMs} ms, at most ${bound}`);
    assert.ok(r.srv.stats.tcpConnections <= r.srv.stats.connects.length, 'no connection besides the attempts (no probes while waiting)');
    assert.equal(r.srv.stats.maxOpen, 1, 'one connection at a time');
    assert.equal(await fact(r.page, 'Request id'), FIXED_REQUEST_ID);

    r.srv.approve();
    await r.page.locator('pairing-checker[data-state="passed"]').waitFor({ timeout: DEFAULT_BACKOFF.maxMs + BUDGET_MS });
    assert.equal(await verdict(r.page).locator('h3').innerText(), `Connected to OpenClaw ${HOSTILE_VERSION}`);
    assert.equal(await stepStatus(r.page, 'pairing-wait'), 'pass');
    assert.equal(new Set(r.srv.stats.connects.map((c) => c.deviceId)).size, 1, 'one device key: one pending request');
    assert.deepEqual(r.errors(), []);
  } finally {
    await done(r);
  }
});

test('gateway restarts (1012, refused, 1013) while the page waits for approval: it keeps waiting, then turns green', async (t) => {
  const r = await run('restart-during-pairing', ['waiting', ...SETTLED], { downMs: 2000 });
  try {
    assert.equal(r.state, 'waiting');
    assert.equal(await fact(r.page, 'Request id'), FIXED_REQUEST_ID);
    assert.equal((await verdict(r.page).locator('.command code').first().innerText()).trim(), `openclaw devices approve ${FIXED_REQUEST_ID}`);

    await r.srv.reached('restarted');
    // Through the restart (1012, refused, 1013 starting) the page stays in "waiting".
    await r.page.locator('pairing-checker [data-step="pairing-wait"] .step-summary', { hasText: /not answering right now/ }).waitFor({ timeout: 15_000 });
    assert.equal(await r.page.locator('pairing-checker').getAttribute('data-state'), 'waiting');
    assert.equal(await stepStatus(r.page, 'pairing-wait'), 'running');

    await r.srv.reached('paired-after-restart');
    assert.equal(await fact(r.page, 'Request id'), FIXED_REQUEST_ID, 'still the same request');
    r.srv.approve();
    await r.page.locator('pairing-checker[data-state="passed"]').waitFor({ timeout: DEFAULT_BACKOFF.maxMs + BUDGET_MS });

    const { stats } = r.srv;
    t.diagnostic(`connects ${stats.connects.length}, tcp ${stats.tcpConnections}, max open ${stats.maxOpen}\n${stats.log.join('\n')}`);
    assert.equal(await verdict(r.page).locator('h3').innerText(), `Connected to OpenClaw ${HOSTILE_VERSION}`);
    assert.equal(await stepStatus(r.page, 'pairing-wait'), 'pass');
    assert.equal(stats.maxOpen, 1, 'never more than one connection at a time');
    assert.equal(new Set(stats.connects.map((c) => c.deviceId)).size, 1, 'the same device key on every attempt, so the same request');
    const span = stats.connects.at(-1)!.at - stats.connects[0].at;
    assert.ok(stats.connects.length - 1 <= maxReconnects(span), `${stats.connects.length - 1} reconnects in ${span} ms`);
    assert.deepEqual(r.errors(), []);
  } finally {
    await done(r);
  }
});

function escape(s: string) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
