import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { serveSite, type Site } from '../support/site.ts';
import { openPage, type WatchedPage, closeBrowser } from '../support/browser.ts';

/** Lines exactly as readers see them (gateway close reasons, CLI output, logs) → signature id. */
const PASTED: [string, string][] = [
  ["disconnected (1008): unauthorized: gateway token mismatch (use this gateway's gateway.auth.token or pair the device)", 'auth-token-mismatch'],
  ['gateway closed (1008): pairing required: device is not approved yet (requestId: 4f1c…)', 'pairing-not-paired'],
  ['pairing required: device is asking for more scopes than currently approved (requestId: a6bfbbb6-de9b-4929-afab-59006dde3', 'pairing-scope-upgrade'],
  ['pairing required: device is asking for a higher role than currently approved (requestId: bcb22c83-489b-470b-b632-76ce922', 'pairing-role-upgrade'],
  ['pairing required: device identity changed and must be re-approved (requestId: 0ab5b36c-49c3-4368-b25a-27381ec7d987)', 'pairing-metadata-upgrade'],
  ['disconnected (1008): origin not allowed (open the Control UI from the gateway host or allow it in gateway.controlUi.allowedOrigins)', 'origin-not-allowed'],
  ['unauthorized: gateway token missing (paste in Control UI settings or openclaw doctor --generate-gateway-token; restart)', 'auth-token-missing'],
  ['unauthorized: gateway password mismatch (enter the password in Control UI settings)', 'auth-password-mismatch'],
  ['disconnected (1008): unauthorized: too many failed authentication attempts (retry later)', 'auth-rate-limited'],
  ['unauthorized: device token mismatch (rotate/reissue device token)', 'auth-device-token-mismatch'],
  ['control ui requires device identity (use HTTPS or localhost secure context)', 'control-ui-device-identity-required'],
  ['protocol mismatch: Control UI updated; reload this page to continue', 'control-ui-updated'],
  ['{"error":{"message":"Proxy client attribution is required. Configure gateway.trustedProxies narrowly and make the proxy overwrite or safely rebuild forwarded client headers.","type":"proxy_attribution_required"}}', 'proxy-attribution-required'],
  ['gateway closed (1008): device signature expired', 'device-auth-signature-expired'],
  ['gateway connect failed: GatewayClientRequestError: device pairing required (requestId: 713a7297-5d7f-41cf-b58c-e03689d9e7df)', 'pairing-not-paired'],
  ['No pending device request matches 713a7297-5d7f-41cf-b58c-e03689d9e7df. Run openclaw devices list and retry with the current request ID.', 'approve-request-not-found'],
  ['unauthorized: setup code invalid, expired, revoked, or already used (create a new code; review `openclaw devices list`)', 'auth-bootstrap-token-invalid'],
  ['SECURITY ERROR: Gateway URL "ws://vm:18850" uses plaintext ws:// to a non-loopback address.', 'cli-plaintext-ws-refused'],
  ['Gateway call failed: missing scope: operator.read', 'missing-scope'],
  ['connect ECONNREFUSED 127.0.0.1:18789', 'connection-refused'],
  ['gateway closed (1008): device identity required', 'device-identity-required'],
  ['2026-11-23T10:00:00.000Z warn gateway/ws closed before connect conn=5e0c peer=127.0.0.1:55526->127.0.0.1:18789 remote=127.0.0.1 fwd=n/a origin=n/a host=127.0.0.1:18789 ua=n/a code=1008 reason=pairing required: device is not approved yet (requestId: 94658e47-126d-4302-835f-a410240185fd) phase=auth_validated', 'pairing-not-paired'],
];

/** Words a reader might type rather than paste: signature pages come before pages that only mention them. */
const TYPED: [string, string][] = [
  ['token mismatch', 'auth-token-mismatch'],
  ['origin not allowed', 'origin-not-allowed'],
  ['too many failed authentication attempts', 'auth-rate-limited'],
  ['proxy attribution', 'proxy-attribution-required'],
];

after(() => closeBrowser());
let site: Site;
let w: WatchedPage;
before(async () => {
  site = await serveSite();
  w = await openPage();
  await w.page.goto(site.origin + '/');
});
after(async () => {
  await w.close();
  await site.close();
});

async function search(query: string) {
  const { page } = w;
  if (!(await page.locator('dialog[open]').count())) {
    await page.getByRole('button', { name: 'Search', exact: true }).click();
  }
  const input = page.getByRole('searchbox', { name: /search the guide/i });
  await input.fill(query);
  await page.waitForFunction((q) => document.querySelector<HTMLElement>('.search-results')?.dataset.query === q, query.trim());
  return page.locator('.search-results a');
}

for (const [line, id] of PASTED) {
  test(`search: "${line.slice(0, 70)}" → ${id}`, async () => {
    const results = await search(line);
    await results.first().waitFor();
    assert.equal(await results.first().getAttribute('href'), `/errors/${id}/`);
  });
}

for (const [words, id] of TYPED) {
  test(`search: typed "${words}" → signature pages first, ${id} among the top two`, async () => {
    const results = await search(words);
    await results.first().waitFor();
    const hrefs = await results.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
    assert.match(hrefs[0] ?? '', /^\/errors\/[a-z0-9-]+\/$/);
    assert.ok(hrefs.slice(0, 2).includes(`/errors/${id}/`), hrefs.join(' '));
  });
}

test('the search button is named by its visible text and opens with Ctrl+K', async () => {
  await w.page.keyboard.press('Escape');
  await w.page.keyboard.press('Control+k');
  await w.page.locator('dialog[open]').waitFor();
  assert.deepEqual(w.errors, []);
});
