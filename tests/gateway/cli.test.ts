/**
 * The command-line checker (`openclaw-pairing-check`, src/cli/bin.mjs) run as a child process
 * against the same real gateways as the page's tests. Every run also checks that no secret the
 * test knows appears in stdout or stderr.
 */
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, sharedGateway, type Gateway } from '../support/gateway.ts';
import { parseAllowedOriginsOutput } from '../../src/checker/core/commands.ts';
import { startPlainHttpServer, startXffProxy } from './helpers.ts';

const BIN = fileURLToPath(new URL('../../src/cli/bin.mjs', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json?: Record<string, any>;
}

let tokenGw: Gateway;
let passwordGw: Gateway;
before(async () => {
  [tokenGw, passwordGw] = await Promise.all([sharedGateway('token'), sharedGateway('password')]);
});

/** Secrets no output may contain. */
const secrets = () => [tokenGw?.secret, passwordGw?.secret, 'wrong-token-for-cli-test', 'wrong-password-for-cli-test'].filter(Boolean) as string[];

function assertNoSecrets(run: Run) {
  for (const s of secrets()) {
    assert.ok(!run.stdout.includes(s), 'a secret is in stdout');
    assert.ok(!run.stderr.includes(s), 'a secret is in stderr');
  }
}

/** Runs the real bin; env starts without any OPENCLAW_* variable. */
function runBin(args: string[], opts: { env?: Record<string, string>; timeoutMs?: number; onStdout?: (all: string) => void; command?: string[] } = {}): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('OPENCLAW_')) env[k] = v;
  Object.assign(env, { NO_COLOR: '1' }, opts.env);
  const [cmd, ...pre] = opts.command ?? [process.execPath, BIN];
  return new Promise((resolve) => {
    const p = spawn(cmd, [...pre, ...args], { env, cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (d) => {
      stdout += d;
      opts.onStdout?.(stdout);
    });
    p.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => p.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      const run: Run = { code, stdout, stderr };
      if (args.includes('--json')) {
        try {
          run.json = JSON.parse(stdout);
        } catch {
          /* asserted by the caller */
        }
      }
      assertNoSecrets(run);
      resolve(run);
    });
  });
}

const show = (r: Run) => `exit ${r.code}\n--- stdout\n${r.stdout}\n--- stderr\n${r.stderr}`;

test('cli: right token → connected, exit 0, one line per step, device named', async (t) => {
  const r = await runBin([tokenGw.wsUrl, '--token', tokenGw.secret]);
  assert.equal(r.code, 0, show(r));
  for (const title of ['Address', 'Browser rules', 'Reachability', 'Handshake', 'Verdict', 'Waiting for approval', 'Connected']) {
    assert.match(r.stdout, new RegExp(`^  (PASS|SKIP)  ${title}`, 'm'), `step line for ${title}`);
  }
  assert.match(r.stdout, /PASS {2}Handshake +\d+ ms {2}hello-ok/);
  assert.match(r.stdout, /Connected to OpenClaw 2026\.9\.6 as operator \(operator\.read\), auth token/);
  assert.match(r.stdout, /^Verdict: connected \(exit 0\)/m);
  assert.match(r.stdout, /openclaw devices remove [0-9a-f]{64}/);
  assert.match(r.stdout, new RegExp(`Origin http://127\\.0\\.0\\.1:${tokenGw.port}`));
  t.diagnostic(r.stdout.split('\n').filter((l) => l.startsWith('  ')).join('\n'));
});

test('cli --json: one document, the CheckResult without secrets, the served build id was sent', async () => {
  const r = await runBin([tokenGw.wsUrl, '--token', tokenGw.secret, '--json']);
  assert.equal(r.code, 0, show(r));
  assert.ok(r.json, 'stdout is one JSON document');
  assert.equal(r.json.verdict, 'connected');
  assert.equal(r.json.exitCode, 0);
  assert.equal(r.json.server.version, '2026.9.6');
  assert.equal(r.json.server.authMethod, 'token');
  assert.equal(r.json.steps.length, 7);
  assert.match(r.json.checker.buildId, /^2026\.9\.6-release-/);
  assert.equal(r.json.checker.origin, `http://127.0.0.1:${tokenGw.port}`);
  assert.equal(r.stderr, '');
  const keys = JSON.stringify(r.json).match(/"(token|password|signature|nonce|deviceToken)":/gi);
  assert.equal(keys, null, 'no secret-named keys');
});

test('cli: wrong token → exit 3, auth-token-mismatch in --json, no retry', async () => {
  const r = await runBin([tokenGw.wsUrl, '--token', 'wrong-token-for-cli-test', '--json', '--wait']);
  assert.equal(r.code, 3, show(r));
  assert.equal(r.json?.classification.signatureId, 'auth-token-mismatch');
  assert.equal(r.json?.classification.detailsCode, 'AUTH_TOKEN_MISMATCH');
  assert.equal(r.json?.attempts, 1);
  assert.equal(r.json?.errorSignature.id, 'auth-token-mismatch');
  assert.ok(r.json?.errorSignature.fix.length > 0);
});

test('cli: no token → exit 3, auth-token-missing, fix commands from the catalog', async () => {
  const r = await runBin([tokenGw.wsUrl]);
  assert.equal(r.code, 3, show(r));
  assert.match(r.stdout, /Verdict: failed \(exit 3\): .*\[auth-token-missing\]/);
  assert.match(r.stdout, /The gateway said: unauthorized: gateway token missing/);
  assert.match(r.stdout, /^ {4}1\. /m);
  assert.match(r.stdout, /^ {9}\$ openclaw /m);
  assert.match(r.stdout, /Guide page: \/errors\/auth-token-missing\//);
});

test('cli: token from OPENCLAW_GATEWAY_TOKEN → connected, never printed', async () => {
  const r = await runBin([tokenGw.wsUrl, '--json'], { env: { OPENCLAW_GATEWAY_TOKEN: tokenGw.secret } });
  assert.equal(r.code, 0, show(r));
  assert.equal(r.json?.verdict, 'connected');
});

test('cli: token in a dashboard link (#token=) → used, never printed', async () => {
  const r = await runBin([`http://127.0.0.1:${tokenGw.port}/#token=${encodeURIComponent(tokenGw.secret)}`]);
  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /Found a gateway token in the link|ws:\/\/127\.0\.0\.1/);
});

test('cli: password gateway → connected with --password and with OPENCLAW_GATEWAY_PASSWORD; wrong password → exit 3', async () => {
  const flag = await runBin([passwordGw.wsUrl, '--password', passwordGw.secret, '--json']);
  assert.equal(flag.code, 0, show(flag));
  assert.equal(flag.json?.server.authMethod, 'password');
  const env = await runBin([passwordGw.wsUrl, '--json'], { env: { OPENCLAW_GATEWAY_PASSWORD: passwordGw.secret } });
  assert.equal(env.code, 0, show(env));
  const wrong = await runBin([passwordGw.wsUrl, '--password', 'wrong-password-for-cli-test', '--json']);
  assert.equal(wrong.code, 3, show(wrong));
  assert.equal(wrong.json?.classification.signatureId, 'auth-password-mismatch');
});

test('cli: pairing required through a trusted proxy; --wait while `openclaw devices approve <id>` runs → exit 0', async (t) => {
  const proxy = await startXffProxy(tokenGw.port);
  t.after(() => proxy.close());
  const url = `ws://127.0.0.1:${proxy.port}/`;

  // Through the proxy the gateway sees a remote client; its own loopback origin no longer counts.
  const refused = await runBin([url, '--token', tokenGw.secret]);
  assert.equal(refused.code, 1, show(refused));
  assert.match(refused.stdout, /\[origin-not-allowed\]/);
  assert.match(refused.stdout, new RegExp(`openclaw config set gateway\\.controlUi\\.allowedOrigins '\\[<existing entries>, "http://127\\.0\\.0\\.1:${proxy.port}"\\]'`));

  const origin = 'https://cli-remote-checker.example';
  // Other tests share this gateway: put the allowlist back afterwards.
  const previous = parseAllowedOriginsOutput((await tokenGw.cli(['config', 'get', 'gateway.controlUi.allowedOrigins', '--json'])).stdout);
  await tokenGw.configSet('gateway.controlUi.allowedOrigins', [...(previous ?? []), origin]);
  t.after(async () => {
    if (previous) await tokenGw.configSet('gateway.controlUi.allowedOrigins', previous);
    else await tokenGw.cli(['config', 'unset', 'gateway.controlUi.allowedOrigins']);
  });

  // Without --wait: exit 2 and the request id to approve.
  const pending = await runBin([url, '--token', tokenGw.secret, '--origin', origin, '--json']);
  assert.equal(pending.code, 2, show(pending));
  assert.equal(pending.json?.verdict, 'pairing-pending');
  assert.equal(pending.json?.classification.signatureId, 'pairing-not-paired');
  assert.match(pending.json?.pairing.commands.approve ?? '', /^openclaw devices approve [0-9a-f-]{36}$/);

  // With --wait: approve the request it prints while it waits.
  let approval: ReturnType<Gateway['cli']> | undefined;
  let requestId: string | undefined;
  const t0 = performance.now();
  const r = await runBin([url, '--token', tokenGw.secret, '--origin', origin, '--wait', '--wait-timeout', '90'], {
    timeoutMs: 120_000,
    onStdout: (all) => {
      const m = /^ {10}openclaw devices approve ([0-9a-f-]{36})$/m.exec(all);
      if (m && !approval) {
        requestId = m[1];
        approval = tokenGw.cli(['devices', 'approve', m[1]]);
      }
    },
  });
  assert.ok(approval, `an approve command was printed while waiting\n${show(r)}`);
  const approved = await approval;
  assert.equal(approved.code, 0, approved.stdout + approved.stderr);
  assert.match(approved.stdout, new RegExp(`Approved [0-9a-f]{64} \\(${requestId}\\)`));
  assert.equal(r.code, 0, show(r));
  assert.match(r.stdout, /WARN {2}Verdict .*Pairing required \(not-paired\)/);
  assert.match(r.stdout, /PASS {2}Waiting for approval +\d+ ms {2}Approved after/);
  assert.match(r.stdout, /PASS {2}Connected/);
  t.diagnostic(`approved and connected in ${Math.round(performance.now() - t0)} ms`);
});

test('cli: nothing listening → exit 4, connection-refused, ECONNREFUSED named', async () => {
  const port = await freePort();
  const r = await runBin([`127.0.0.1:${port}`, '--json']);
  assert.equal(r.code, 4, show(r));
  assert.equal(r.json?.classification.signatureId, 'connection-refused');
  assert.equal(r.json?.transport[0].code, 'ECONNREFUSED');
  assert.match(r.json?.steps.find((s: { id: string }) => s.id === 'reachability').summary, /ECONNREFUSED/);
});

test('cli: a host name that does not resolve → exit 4, connection-refused, ENOTFOUND named', async () => {
  const r = await runBin(['ws://openclaw-gateway.invalid:18789']);
  assert.equal(r.code, 4, show(r));
  assert.match(r.stdout, /does not resolve \((ENOTFOUND|EAI_AGAIN)\)/);
  assert.match(r.stdout, /\[connection-refused\]/);
});

test('cli: a plain HTTP server → exit 4, upgrade-refused with the HTTP status; a 404 with its body', async (t) => {
  const server = await startPlainHttpServer();
  t.after(() => server.close());
  const r = await runBin([`http://127.0.0.1:${server.port}/`]);
  assert.equal(r.code, 4, show(r));
  assert.match(r.stdout, /answered the WebSocket upgrade with HTTP 200 OK/);
  assert.match(r.stdout, /\[upgrade-refused\]/);

  const notFound = createServer((_req, res) => res.writeHead(404, { 'content-type': 'text/plain' }).end('no route'));
  const body = 'no route for /gw';
  notFound.on('upgrade', (_req, socket) => socket.end(`HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\ncontent-length: ${body.length}\r\n\r\n${body}`));
  await new Promise<void>((resolve) => notFound.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => notFound.close(() => resolve())));
  const port = (notFound.address() as { port: number }).port;
  const r404 = await runBin([`ws://127.0.0.1:${port}/gw`, '--json']);
  assert.equal(r404.code, 4, show(r404));
  assert.equal(r404.json?.classification.signatureId, 'upgrade-refused');
  assert.equal(r404.json?.transport[0].status, 404);
  assert.match(r404.json?.steps.find((s: { id: string }) => s.id === 'reachability').summary, /HTTP 404 Not Found and the body no route for/);
});

test('cli: an XFF proxy the gateway does not trust → exit 4, proxy-attribution-required, the 403 body shown', async (t) => {
  const proxy = await startXffProxy(passwordGw.port);
  t.after(() => proxy.close());
  const r = await runBin([`ws://127.0.0.1:${proxy.port}/`, '--password', passwordGw.secret]);
  assert.equal(r.code, 4, show(r));
  assert.match(r.stdout, /HTTP 403 Forbidden and the body \{"error":\{"message":"Proxy client attribution is required\./);
  assert.match(r.stdout, /\[proxy-attribution-required\]/);
  assert.match(r.stdout, /\$ openclaw config set gateway\.trustedProxies '\["127\.0\.0\.1"\]'/);
});

test('cli: wss:// to the plain gateway port → exit 4, tls-failed with the TLS error code', async () => {
  const r = await runBin([`wss://127.0.0.1:${tokenGw.port}/`, '--json']);
  assert.equal(r.code, 4, show(r));
  assert.equal(r.json?.classification.signatureId, 'tls-failed');
  assert.match(r.json?.steps.find((s: { id: string }) => s.id === 'reachability').summary, /TLS failed with (ERR_SSL_|EPROTO)/);
});

test('cli: a TLS proxy with an untrusted or wrong-name certificate → exit 4, tls-failed naming the certificate error', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  } catch {
    t.skip('openssl is not available to make a test certificate');
    return;
  }
  const server = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end('not a gateway'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  const port = (server.address() as { port: number }).port;

  const untrusted = await runBin([`wss://localhost:${port}/`]);
  assert.equal(untrusted.code, 4, show(untrusted));
  assert.match(untrusted.stdout, /TLS failed with DEPTH_ZERO_SELF_SIGNED_CERT/);
  assert.match(untrusted.stdout, /\[tls-failed\]/);

  // Trusted (NODE_EXTRA_CA_CERTS), but issued for localhost, not 127.0.0.1.
  const wrongName = await runBin([`wss://127.0.0.1:${port}/`], { env: { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') } });
  assert.equal(wrongName.code, 4, show(wrongName));
  assert.match(wrongName.stdout, /TLS failed with ERR_TLS_CERT_ALTNAME_INVALID/);

  // Trusted and the right name: TLS works, and the HTTPS server refuses the upgrade.
  const trusted = await runBin([`wss://localhost:${port}/`], { env: { NODE_EXTRA_CA_CERTS: join(dir, 'cert.pem') } });
  assert.equal(trusted.code, 4, show(trusted));
  assert.match(trusted.stdout, /HTTP 200 OK and the body not a gateway/);
  assert.match(trusted.stdout, /\[upgrade-refused\]/);
});

test('cli: bad input → exit 64 (address, options), secrets not echoed', async () => {
  for (const args of [['18789'], [], ['ws://a', 'ws://b'], ['ws://127.0.0.1:1', '--bogus'], ['ws://127.0.0.1:1', '--wait-timeout', 'soon'], ['ws://127.0.0.1:1', '--origin', 'https://x.example/path'], ['ftp://gateway.example']]) {
    const r = await runBin(args);
    assert.equal(r.code, 64, `${args.join(' ')}: ${show(r)}`);
  }
  const stray = await runBin(['ws://127.0.0.1:1', tokenGw.secret]);
  assert.equal(stray.code, 64, show(stray));
  const r = await runBin(['18789', '--json']);
  assert.equal(r.json?.verdict, 'invalid-input');
  assert.match(r.json?.steps[0].summary, /only a port number/);
});

test('cli: a token that starts with a dash is taken as the value, not as an option', async () => {
  const r = await runBin([tokenGw.wsUrl, '--token', `-${tokenGw.secret}`, '--json']);
  assert.equal(r.code, 3, show(r));
  assert.equal(r.json?.classification?.signatureId, 'auth-token-mismatch');
  assert.ok(!(r.stdout + r.stderr).includes(tokenGw.secret));
});

test('cli: --help documents the exit codes; npx openclaw-pairing-check runs the project bin', async () => {
  const help = await runBin(['--help']);
  assert.equal(help.code, 0);
  for (const code of ['0', '1', '2', '3', '4', '64']) assert.match(help.stdout, new RegExp(`^  ${code} +\\S`, 'm'), `exit code ${code} documented`);
  assert.match(help.stdout, /OPENCLAW_GATEWAY_TOKEN/);
  assert.match(help.stdout, /origin missing or invalid/);
  const npx = await runBin(['--version'], {
    command: ['npx', '--no-install', 'openclaw-pairing-check'],
    env: { PATH: `${ROOT}node_modules/.bin:${process.env.PATH ?? ''}` },
  });
  assert.equal(npx.code, 0, show(npx));
  assert.match(npx.stdout, /^openclaw-pairing-check \d+\.\d+\.\d+$/m);
});
