/**
 * The checker core against a real token-mode gateway, as a browser page would see it (Node's
 * WebSocket sending an Origin header). Wrong-secret attempts use their own origins, one each,
 * far below the 10-per-origin lockout.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { runCheck, type CheckEnv, type CheckStep } from '../../src/checker/core/run-check.ts';
import { memoryStore } from '../../src/checker/core/identity.ts';
import { allowedOriginsCommands, parseAllowedOriginsOutput } from '../../src/checker/core/commands.ts';
import { renderReport } from '../../src/checker/core/report.ts';
import { sharedGateway, type Gateway } from '../support/gateway.ts';
import { catalog, expectSignature, median, originWebSocket, reloadCount, runShown, startXffProxy, waitForReload, type Proxy } from './helpers.ts';

let gw: Gateway;
before(async () => {
  gw = await sharedGateway('token');
});

const LOCAL_PAGE = 'http://localhost:4321';

const env = (origin: string, extra: Partial<CheckEnv> = {}): CheckEnv => ({
  catalog,
  identityStore: memoryStore(),
  credentials: { token: gw.secret },
  page: { origin },
  WebSocket: originWebSocket(origin),
  ...extra,
});

test('right token from a loopback page: hello-ok from 2026.9.6, read-only operator', async (t) => {
  const r = await runCheck(gw.wsUrl, env(LOCAL_PAGE));
  assert.equal(r.verdict, 'connected', JSON.stringify(r.classification));
  assert.equal(r.server?.version, '2026.9.6');
  assert.equal(r.server?.protocol, 4);
  assert.equal(r.server?.role, 'operator');
  assert.deepEqual(r.server?.scopes, ['operator.read']);
  assert.equal(r.server?.authMethod, 'token');
  assert.match(r.server!.health.text, /^Health ok/);
  assert.equal(r.steps.find((s) => s.id === 'pairing-wait')?.status, 'skip');
  const report = renderReport(r, { redact: [gw.secret] });
  assert.ok(!report.includes(gw.secret));
  assert.match(report, /OpenClaw 2026\.9\.6/);
  t.diagnostic(`verdict in ${r.durationMs} ms`);
});

test('time from runCheck to verdict (loopback gateway)', async (t) => {
  const fresh: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await runCheck(gw.wsUrl, env(LOCAL_PAGE));
    assert.equal(r.verdict, 'connected');
    fresh.push(r.durationMs);
  }
  const store = memoryStore();
  const again: number[] = [];
  for (let i = 0; i < 5; i++) {
    const r = await runCheck(gw.wsUrl, env(LOCAL_PAGE, { identityStore: store }));
    assert.equal(r.verdict, 'connected');
    again.push(r.durationMs);
  }
  t.diagnostic(`new device (silent local pairing): ${fresh.join(', ')} ms, median ${median(fresh)} ms`);
  t.diagnostic(`paired device: ${again.join(', ')} ms, median ${median(again)} ms`);
  assert.ok(median(again) < 2000);
});

test('wrong token → auth-token-mismatch, no retry', async (t) => {
  const r = await runCheck(gw.wsUrl, env('http://localhost:4322', { credentials: { token: 'definitely-wrong' }, waitForApproval: true }));
  assert.equal(r.verdict, 'failed');
  assert.equal(r.attempts, 1);
  expectSignature(t, r, 'auth-token-mismatch', 'AUTH_TOKEN_MISMATCH');
  assert.equal(r.classification?.close?.code, 1008);
  assert.match(r.classification?.message ?? '', /gateway token mismatch/);
  t.diagnostic(`verdict in ${r.durationMs} ms; message: ${r.classification?.message}`);
});

test('no token → auth-token-missing', async (t) => {
  const r = await runCheck(gw.wsUrl, env('http://localhost:4323', { credentials: {} }));
  assert.equal(r.verdict, 'failed');
  expectSignature(t, r, 'auth-token-missing', 'AUTH_TOKEN_MISSING');
  t.diagnostic(`message: ${r.classification?.message}`);
});

test('origin not allowed → allowlist commands that work, keep old entries, and undo', async (t) => {
  const origin = 'https://checker-origin.example';
  await gw.configSet('gateway.controlUi.allowedOrigins', ['https://already-there.example']);

  const refused = await runCheck(gw.wsUrl, env(origin));
  assert.equal(refused.verdict, 'failed');
  expectSignature(t, refused, 'origin-not-allowed', 'CONTROL_UI_ORIGIN_NOT_ALLOWED');
  assert.equal(refused.origin?.pageOrigin, origin);
  const shown = refused.origin!.commands;
  assert.equal(shown.exact, false);

  // What the reader does: inspect, then the exact commands for that list.
  const inspect = await runShown(gw, shown.inspect);
  const current = parseAllowedOriginsOutput(inspect.stdout + inspect.stderr);
  assert.deepEqual(current, ['https://already-there.example']);
  const exact = allowedOriginsCommands(origin, current);
  let reloads = reloadCount(gw);
  const add = await runShown(gw, exact.add);
  assert.equal(add.code, 0, add.stdout + add.stderr);
  await waitForReload(gw, reloads);
  const after1 = parseAllowedOriginsOutput((await runShown(gw, shown.inspect)).stdout);
  assert.deepEqual(after1, ['https://already-there.example', origin]);

  const allowed = await runCheck(gw.wsUrl, env(origin));
  assert.equal(allowed.verdict, 'connected', JSON.stringify(allowed.classification));

  reloads = reloadCount(gw);
  const undo = await runShown(gw, exact.undo);
  assert.equal(undo.code, 0, undo.stdout + undo.stderr);
  await waitForReload(gw, reloads);
  assert.deepEqual(parseAllowedOriginsOutput((await runShown(gw, shown.inspect)).stdout), ['https://already-there.example']);
  const refusedAgain = await runCheck(gw.wsUrl, env(origin));
  assert.equal(refusedAgain.classification?.detailsCode, 'CONTROL_UI_ORIGIN_NOT_ALLOWED');
});

test('pairing required (remote via a trusted proxy) → approve the shown command → connected, same identity', async (t) => {
  const origin = 'https://remote-checker.example';
  await gw.configSet('gateway.controlUi.allowedOrigins', [origin]);
  const proxy: Proxy = await startXffProxy(gw.port);
  t.after(() => proxy.close());

  const store = memoryStore();
  const steps: CheckStep[] = [];
  const t0 = performance.now();
  let pairingVerdictMs = 0;
  let approvedAtMs = 0;
  let approval: Promise<{ code: number | null; stdout: string; stderr: string }> | undefined;
  const r = await runCheck(`ws://127.0.0.1:${proxy.port}/`, {
    ...env(origin),
    identityStore: store,
    waitForApproval: true,
    waitBudgetMs: 90_000,
    onStep: (s) => {
      steps.push(s);
      const command = (s.data.pairing as { commands?: { approve?: string } } | undefined)?.commands?.approve;
      if (s.id === 'outcome' && command && !approval) {
        pairingVerdictMs = performance.now() - t0;
        approval = runShown(gw, command).then((res) => ((approvedAtMs = performance.now() - t0), res));
      }
    },
  });
  assert.ok(approval, 'an approve command was shown');
  const approved = await approval;
  assert.equal(approved.code, 0, approved.stdout + approved.stderr);
  assert.match(approved.stdout, /Approved [0-9a-f]{64}/);

  assert.equal(r.verdict, 'connected', JSON.stringify(r.classification));
  const notPaired = catalog.find((e) => e.detailsCode === 'PAIRING_REQUIRED' && e.detailsMatch?.reason === 'not-paired')?.id ?? 'pairing-not-paired';
  expectSignature(t, r, notPaired, 'PAIRING_REQUIRED');
  assert.equal(r.pairing?.reason, 'not-paired');
  assert.match(r.pairing?.requestId ?? '', /^[0-9a-f-]{36}$/);
  assert.equal(r.pairing?.commands.approve, `openclaw devices approve ${r.pairing?.requestId}`);
  assert.equal(r.pairing?.requestedRole, 'operator');
  assert.deepEqual(r.pairing?.requestedScopes, ['operator.read']);
  assert.equal(r.classification?.recommendedNextStep, 'wait_then_retry', 'Control UI pairing errors carry the wait hint');
  const identity = await store.load();
  assert.equal(r.pairing?.deviceId, identity?.id, 'the request is for the checker identity');
  assert.equal(r.deviceId, identity?.id, 'connected with that same identity');
  assert.ok(r.attempts >= 2);
  assert.deepEqual([...new Set(steps.map((s) => s.id))], ['input', 'browser', 'reachability', 'handshake', 'outcome', 'pairing-wait', 'success']);
  const log = gw.logTail(2000);
  assert.match(log, new RegExp(`device pairing approved device=${identity?.id}`));
  assert.doesNotMatch(log, new RegExp(`auto-approved device=${identity?.id}`));
  t.diagnostic(`pairing-required verdict after ${Math.round(pairingVerdictMs)} ms; approve command done at ${Math.round(approvedAtMs)} ms; connected at ${r.durationMs} ms after ${r.attempts} attempts`);

  const devices = await gw.cli(['devices', 'list', '--json']);
  const list = JSON.parse(devices.stdout) as { paired: { deviceId: string; clientId: string; scopes: string[] }[] };
  const mine = list.paired.find((d) => d.deviceId === identity?.id);
  assert.equal(mine?.clientId, 'openclaw-control-ui');
  assert.deepEqual(mine?.scopes, ['operator.read']);
});

test('loopback with gateway.nodes.pairing.autoApproveLocal=false (hot-reloaded) → pairing required, approve, connected', async (t) => {
  await gw.configSet('gateway.nodes.pairing.autoApproveLocal', false);
  t.after(() => gw.configSet('gateway.nodes.pairing.autoApproveLocal', true));
  let approval: ReturnType<typeof runShown> | undefined;
  const r = await runCheck(gw.wsUrl, {
    ...env(LOCAL_PAGE),
    waitForApproval: true,
    waitBudgetMs: 90_000,
    onStep: (s) => {
      const command = (s.data.pairing as { commands?: { approve?: string } } | undefined)?.commands?.approve;
      if (s.id === 'outcome' && command && !approval) approval = runShown(gw, command);
    },
  });
  assert.equal((await approval!)?.code, 0);
  assert.equal(r.verdict, 'connected', JSON.stringify(r.classification));
  assert.equal(r.classification?.detailsCode, 'PAIRING_REQUIRED');
  assert.equal(r.classification?.recommendedNextStep, 'wait_then_retry');
});
