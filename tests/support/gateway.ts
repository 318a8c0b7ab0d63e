/**
 * Real OpenClaw gateways for tests (the pinned version in tests/openclaw/). Each runs on a free
 * loopback port with its own temp state dir, in its own process group, stopped on exit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

const OPENCLAW_DIR = new URL('../openclaw/', import.meta.url).pathname;
export const OPENCLAW_BIN_DIR = join(OPENCLAW_DIR, 'node_modules/.bin');
const OPENCLAW = join(OPENCLAW_BIN_DIR, 'openclaw');

export interface GatewayOptions {
  auth: 'token' | 'password';
  secret: string;
  /** Written to openclaw.json before start (for settings that must be there at boot). */
  config?: Record<string, unknown>;
  /** Fixed port; a free one by default. */
  port?: number;
  readyTimeoutMs?: number;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface Gateway {
  port: number;
  wsUrl: string;
  httpUrl: string;
  stateDir: string;
  auth: 'token' | 'password';
  secret: string;
  /** Env for `openclaw …` commands that should target this gateway. */
  env: Record<string, string>;
  /** The same as `KEY=value …` for a shell line. */
  envLine: string;
  cli(args: string[], opts?: { timeoutMs?: number }): Promise<CliResult>;
  /** `openclaw config set <path> <json>`, then waits for the gateway to report the reload. */
  configSet(path: string, value: unknown): Promise<void>;
  /** Last lines of the gateway's console output. */
  logTail(lines?: number): string;
  /** Lets the test process exit while the gateway runs (it is killed on exit). */
  unref(): void;
  stop(): Promise<void>;
}

export function assertOpenClawInstalled() {
  if (!existsSync(OPENCLAW)) {
    throw new Error(`The real OpenClaw gateway for the tests is not installed (${OPENCLAW} is missing). Run: npm --prefix tests/openclaw install`);
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

const running = new Map<ChildProcess, string>();
let exitHookInstalled = false;
function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const killAll = () => {
    for (const [child, dir] of running) {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('exit', killAll);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      killAll();
      // Leave the exit to the program's own handler if it has one (scripts/gateway.ts does).
      if (process.listenerCount(sig) === 0) process.exit(130);
    });
  }
}

const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  assertOpenClawInstalled();
  installExitHook();
  const port = opts.port ?? (await freePort());
  const stateDir = await mkdtemp(join(tmpdir(), 'openclaw-test-'));
  const configPath = join(stateDir, 'openclaw.json');
  if (opts.config) await writeFile(configPath, JSON.stringify(opts.config, null, 2));

  const env: Record<string, string> = {
    OPENCLAW_STATE_DIR: join(stateDir, 'state'),
    OPENCLAW_CONFIG_PATH: configPath,
    OPENCLAW_GATEWAY_PORT: String(port),
    ...(opts.auth === 'token' ? { OPENCLAW_GATEWAY_TOKEN: opts.secret } : { OPENCLAW_GATEWAY_PASSWORD: opts.secret }),
  };
  const processEnv = { ...process.env, ...env, PATH: `${OPENCLAW_BIN_DIR}:${process.env.PATH ?? ''}`, NO_COLOR: '1', FORCE_COLOR: '0' };

  const secretFlag = opts.auth === 'token' ? '--token' : '--password';
  const child = spawn(OPENCLAW, ['gateway', 'run', '--allow-unconfigured', '--auth', opts.auth, secretFlag, opts.secret, '--port', String(port), '--bind', 'loopback'], {
    env: processEnv,
    detached: true, // own process group, so stop() takes the gateway's helpers with it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.set(child, stateDir);
  const log: string[] = [];
  let partial = '';
  const onData = (chunk: Buffer) => {
    const text = partial + stripAnsi(chunk.toString());
    const parts = text.split('\n');
    partial = parts.pop() ?? '';
    log.push(...parts);
    if (log.length > 2000) log.splice(0, log.length - 2000);
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  let exited: number | null | undefined;
  const exitPromise = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      running.delete(child);
      resolve();
    }),
  );
  const logTail = (lines = 40) => [...log, partial].filter(Boolean).slice(-lines).join('\n');
  // Never let the secret reach test output.
  const redact = (s: string) => s.split(opts.secret).join('<secret>');

  const stop = async () => {
    if (exited === undefined) {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* gone */
      }
      const killTimer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 10_000);
      await exitPromise;
      clearTimeout(killTimer);
    }
    await rm(stateDir, { recursive: true, force: true });
  };

  const httpUrl = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  for (;;) {
    if (exited !== undefined) {
      await stop();
      throw new Error(`OpenClaw gateway exited with ${exited} before it was ready. Log tail:\n${redact(logTail())}`);
    }
    try {
      const res = await fetch(new URL('/readyz', httpUrl), { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      if (res.status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`OpenClaw gateway on port ${port} not ready after ${(opts.readyTimeoutMs ?? 120_000) / 1000} s. Log tail:\n${redact(logTail())}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }

  const cli = (args: string[], cliOpts: { timeoutMs?: number } = {}) =>
    new Promise<CliResult>((resolve) => {
      const p = spawn(OPENCLAW, args, { env: processEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
      let stdout = '';
      let stderr = '';
      p.stdout!.on('data', (d) => (stdout += d));
      p.stderr!.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => {
        try {
          process.kill(-p.pid!, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, cliOpts.timeoutMs ?? 60_000);
      p.once('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout: stripAnsi(stdout), stderr: stripAnsi(stderr) });
      });
    });

  const configSet = async (path: string, value: unknown) => {
    const reloadsBefore = log.filter((l) => l.includes('config hot reload applied')).length;
    const r = await cli(['config', 'set', path, JSON.stringify(value)]);
    if (r.code !== 0) throw new Error(`openclaw config set ${path} failed (${r.code}): ${redact(r.stdout + r.stderr)}`);
    const until = Date.now() + 15_000;
    while (log.filter((l) => l.includes('config hot reload applied')).length <= reloadsBefore && Date.now() < until) {
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  const envLine = Object.entries(env)
    .map(([k, v]) => `${k}=${/^[\w./:-]+$/.test(v) ? v : `'${v.replace(/'/g, `'\\''`)}'`}`)
    .join(' ');

  return {
    port,
    wsUrl: `ws://127.0.0.1:${port}/`,
    httpUrl,
    stateDir,
    auth: opts.auth,
    secret: opts.secret,
    env,
    envLine,
    cli,
    configSet,
    logTail,
    unref() {
      child.unref();
      (child.stdout as unknown as { unref(): void }).unref();
      (child.stderr as unknown as { unref(): void }).unref();
    },
    stop,
  };
}

const shared = new Map<string, Promise<Gateway>>();

/**
 * One gateway of each kind per test process (all test files share it). The token gateway trusts
 * 127.0.0.1 as a proxy, so tests can make a client look remote through a loopback XFF proxy.
 */
export function sharedGateway(kind: 'token' | 'password'): Promise<Gateway> {
  let gw = shared.get(kind);
  if (!gw) {
    const secret = `t${randomBytes(18).toString('base64url')}`;
    gw = startGateway({
      auth: kind,
      secret,
      ...(kind === 'token' ? { config: { gateway: { trustedProxies: ['127.0.0.1'] } } } : {}),
    });
    shared.set(kind, gw);
    gw.then(
      (g) => g.unref(),
      () => shared.delete(kind),
    );
  }
  return gw;
}
