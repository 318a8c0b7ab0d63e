/**
 * The guide proven against the pinned real OpenClaw (tests/openclaw):
 *
 * 1. Every `openclaw …` command the guide shows (fenced sh blocks and inline code in
 *    content/docs/**\/*.mdx; fix commands and inline code in content/errors/*.yaml; the commands
 *    the checker core builds) names subcommands that exist, and every flag it uses is listed by
 *    that subcommand's `--help`. A renamed flag in a future release fails here, naming the file.
 * 2. Every message in content/errors with `version: current` and source gateway, cli or
 *    control-ui is text the pinned package prints: its literal parts are in the package's string
 *    or template literals (tests/support/openclaw-dist.ts). The few messages the package
 *    assembles at run time in ways a literal search cannot follow are listed in LIVE, each
 *    reproduced against the real CLI or gateway by a test below.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadSignatures } from '../support/signatures.ts';
import { freePort, OPENCLAW_BIN_DIR, sharedGateway, type Gateway } from '../support/gateway.ts';
import { distLiterals, MessageProver, literalParts, type DistLiterals } from '../support/openclaw-dist.ts';
import { allowedOriginsCommands, pairingCommands } from '../../src/checker/core/commands.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const OPENCLAW = join(OPENCLAW_BIN_DIR, 'openclaw');
const PINNED = JSON.parse(readFileSync(join(ROOT, 'tests/openclaw/node_modules/openclaw/package.json'), 'utf8')).version as string;
const signatures = loadSignatures();

// ---- The real CLI, isolated from any real config ------------------------------------------

let scratch: string;
before(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'docs-truth-'));
});
after(async () => {
  distCache = undefined;
  await rm(scratch, { recursive: true, force: true });
});

interface CliRun {
  code: number | null;
  out: string;
}

/** Runs the pinned openclaw with its own empty state; stops it once `until` matches the output. */
function openclaw(args: string[], opts: { env?: Record<string, string>; until?: RegExp; timeoutMs?: number } = {}): Promise<CliRun> {
  return new Promise((resolve) => {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith('OPENCLAW_')) env[k] = v;
    Object.assign(env, {
      PATH: `${OPENCLAW_BIN_DIR}:${process.env.PATH ?? ''}`,
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      OPENCLAW_STATE_DIR: join(scratch, 'state'),
      OPENCLAW_CONFIG_PATH: join(scratch, 'openclaw.json'),
      ...opts.env,
    });
    const p = spawn(OPENCLAW, args, { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let out = '';
    let done = false;
    const stop = () => {
      try {
        process.kill(-p.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    };
    const onData = (d: Buffer) => {
      out += d.toString().replace(/\x1b\[[0-9;]*m/g, '');
      if (opts.until?.test(out) && !done) {
        done = true;
        stop();
      }
    };
    p.stdout.on('data', onData);
    p.stderr.on('data', onData);
    const timer = setTimeout(stop, opts.timeoutMs ?? 60_000);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

// ---- 1. Commands ------------------------------------------------------------------------------

interface Shown {
  where: string;
  text: string;
}

const SHELL_FENCE = /^([ \t]*)```(?:sh|bash|shell|console|zsh)\b[^\n]*\n([\s\S]*?)^\1```/gm;
const INLINE_OPENCLAW = /(?<!`)`(openclaw(?: [^`\n]+)?)`(?!`)/g;

function lineOf(text: string, index: number) {
  return text.slice(0, index).split('\n').length;
}

/** Commands in Markdown: every line of a shell fence, and inline code that starts with openclaw. */
function markdownCommands(md: string, where: string, firstLine = 1): Shown[] {
  const found: Shown[] = [];
  for (const m of md.matchAll(SHELL_FENCE)) {
    const body = m[2].replace(/\\\n\s*/g, ' ');
    const start = lineOf(md, m.index!) + 1;
    body.split('\n').forEach((line, i) => {
      const text = line.trim();
      if (text && !text.startsWith('#')) found.push({ where: `${where}:${firstLine + start - 1 + i}`, text });
    });
  }
  const withoutFences = md.replace(SHELL_FENCE, (block) => block.replace(/[^\n]/g, ' '));
  for (const m of withoutFences.matchAll(INLINE_OPENCLAW)) found.push({ where: `${where}:${firstLine + lineOf(withoutFences, m.index!) - 1}`, text: m[1] });
  return found;
}

function docsCommands(): Shown[] {
  const out: Shown[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.mdx') || e.name.endsWith('.md')) out.push(...markdownCommands(readFileSync(p, 'utf8'), relative(ROOT, p)));
    }
  };
  walk(join(ROOT, 'content/docs'));
  return out;
}

function signatureCommands(): Shown[] {
  const out: Shown[] = [];
  for (const s of signatures) {
    const file = `content/errors/${s.id}.yaml`;
    s.fix.forEach((step, i) => {
      for (const c of step.commands) out.push({ where: `${file} fix[${i}].commands`, text: c });
      out.push(...markdownCommands(step.text, `${file} fix[${i}].text`));
    });
    for (const [field, text] of [['summary', s.summary], ['cause', s.cause], ['changed', s.changed ?? '']] as const) out.push(...markdownCommands(text, `${file} ${field}`));
    s.messages.forEach((m, i) => out.push(...markdownCommands(m.note ?? '', `${file} messages[${i}].note`)));
  }
  return out;
}

function coreCommands(): Shown[] {
  const where = 'src/checker/core/commands.ts';
  const pairing = pairingCommands('0f8fad5b-d9cb-469f-a165-70867728950e');
  const origin = 'https://checker.example';
  return [
    ...Object.values(pairing),
    ...Object.values(allowedOriginsCommands(origin)).filter((v): v is string => typeof v === 'string'),
    ...Object.values(allowedOriginsCommands(origin, null)).filter((v): v is string => typeof v === 'string'),
    ...Object.values(allowedOriginsCommands(origin, ['https://a.example'])).filter((v): v is string => typeof v === 'string'),
  ].map((text) => ({ where, text }));
}

/** Shell words with quotes removed; operators (| || && ; &) as their own words; # starts a comment. */
export function shellWords(line: string): string[] {
  const words: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      const end = line.indexOf("'", i + 1);
      cur += line.slice(i + 1, end < 0 ? line.length : end);
      has = true;
      i = end < 0 ? line.length : end;
    } else if (c === '"') {
      let j = i + 1;
      for (; j < line.length && line[j] !== '"'; j++) {
        if (line[j] === '\\' && j + 1 < line.length) j++;
        cur += line[j];
      }
      has = true;
      i = j;
    } else if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
      has = true;
    } else if (/\s/.test(c)) {
      if (has) words.push(cur);
      cur = '';
      has = false;
    } else if (c === '#' && !has) {
      break;
    } else if ('|&;'.includes(c)) {
      if (has) words.push(cur);
      cur = '';
      has = false;
      words.push(line[i + 1] === c ? c + c : c);
      if (line[i + 1] === c) i++;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) words.push(cur);
  return words;
}

/** The arguments of each `openclaw` in a command line (after env assignments, docker exec, …). */
function openclawCalls(line: string): string[][] {
  const calls: string[][] = [];
  let segment: string[] = [];
  const flush = () => {
    const at = segment.indexOf('openclaw');
    if (at >= 0) calls.push(segment.slice(at + 1));
    segment = [];
  };
  for (const w of shellWords(line)) {
    if (['|', '||', '&&', ';', '&'].includes(w)) flush();
    else segment.push(w);
  }
  flush();
  return calls;
}

interface Help {
  commands: Set<string>;
  /** Flag → whether it takes a value. */
  options: Map<string, boolean>;
  /** Whether the command takes positional arguments (besides a subcommand). */
  takesArgs: boolean;
  usage: string;
}

export function parseHelp(text: string): Help {
  const usage = /^Usage: (.*)$/m.exec(text)?.[1] ?? '';
  const afterOptions = usage.replace(/^.*?\[options\]/, '');
  const takesArgs = /[<[]/.test(afterOptions.replace(/\[command\]/g, ''));
  const commands = new Set<string>();
  const options = new Map<string, boolean>();
  let section = '';
  for (const line of text.split('\n')) {
    const head = /^(\w[\w ]*):\s*$/.exec(line);
    if (head) {
      section = head[1];
      continue;
    }
    if (section === 'Commands') {
      const m = /^ {2}([a-z0-9][\w:|-]*)\*?(?:\s|$)/i.exec(line);
      if (m && !line.trimStart().startsWith('Hint:')) for (const name of m[1].split('|')) commands.add(name);
    } else if (section === 'Options') {
      const m = /^ {2}(-[A-Za-z0-9])?(?:, )?(--[A-Za-z0-9][\w-]*)?((?:\s+[<[][^\s>\]]*[>\]](?:\.\.\.)?)?)/.exec(line);
      if (m && (m[1] || m[2])) {
        const takes = !!m[3]?.trim();
        if (m[1]) options.set(m[1], takes);
        if (m[2]) options.set(m[2], takes);
      }
    } else if (/^\S/.test(line)) {
      section = '';
    }
  }
  return { commands, options, takesArgs, usage };
}

/** `openclaw <path> --help`, once per path, at most two at a time. */
class HelpCache {
  private readonly cache = new Map<string, Promise<Help>>();
  private running = 0;
  private readonly queue: (() => void)[] = [];
  starts = 0;

  get(path: string[]): Promise<Help> {
    const key = path.join(' ');
    let p = this.cache.get(key);
    if (!p) {
      p = this.slot(async () => {
        this.starts++;
        const r = await openclaw([...path, '--help']);
        if (!/^Usage: openclaw/m.test(r.out)) throw new Error(`openclaw ${key} --help printed no usage (exit ${r.code}):\n${r.out.slice(0, 500)}`);
        return parseHelp(r.out);
      });
      this.cache.set(key, p);
    }
    return p;
  }

  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.running >= 2) await new Promise<void>((r) => this.queue.push(r));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }
}

/** What is wrong with one `openclaw` call, or null. */
async function checkCall(args: string[], helps: HelpCache): Promise<string | null> {
  const path: string[] = [];
  let help = await helps.get(path);
  let positional = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--') break;
    if (a.startsWith('-') && a.length > 1 && !/^-\d/.test(a)) {
      const name = a.split('=')[0];
      const cmd = ['openclaw', ...path].join(' ');
      if (!help.options.has(name)) {
        const known = [...help.options.keys()].filter((o) => o.startsWith('--')).join(' ');
        return `\`${cmd} --help\` lists no ${name} (it has: ${known})`;
      }
      if (help.options.get(name) && !a.includes('=')) i++;
      continue;
    }
    if (!positional && help.commands.has(a)) {
      path.push(a);
      help = await helps.get(path);
      continue;
    }
    const cmd = ['openclaw', ...path].join(' ');
    if (!positional && help.commands.size > 0 && !help.takesArgs) return `\`${cmd}\` has no subcommand "${a}" (it has: ${[...help.commands].join(', ')})`;
    if (!help.takesArgs) return `\`${cmd}\` takes no arguments, but "${a}" is given (usage: ${help.usage})`;
    positional = true;
  }
  return null;
}

test(`every openclaw command in the guide exists in OpenClaw ${PINNED} with the flags it uses`, { timeout: 300_000 }, async (t) => {
  const shown = [...docsCommands(), ...signatureCommands(), ...coreCommands()];
  const calls = shown.flatMap((s) => openclawCalls(s.text).map((args) => ({ ...s, args })));
  assert.ok(calls.length >= 100, `found only ${calls.length} openclaw commands; is the extraction broken?`);
  const helps = new HelpCache();
  const t0 = performance.now();
  const problems = (await Promise.all(calls.map(async (c) => {
    const problem = await checkCall(c.args, helps);
    return problem ? `${c.where}: \`${c.text}\`: ${problem}` : null;
  }))).filter((p): p is string => p !== null);
  const distinct = new Set(calls.map((c) => c.args.filter((a) => !a.startsWith('<')).join(' ')));
  t.diagnostic(`${calls.length} openclaw commands (${distinct.size} distinct) from ${new Set(calls.map((c) => c.where.split(/[: ]/)[0])).size} files, checked with ${helps.starts} --help runs in ${Math.round(performance.now() - t0)} ms`);
  assert.deepEqual(problems, [], `commands the pinned OpenClaw ${PINNED} does not accept:\n${problems.join('\n')}`);
});

test('the command checker catches a renamed flag and a misspelt subcommand', async () => {
  const helps = new HelpCache();
  assert.match((await checkCall(['gateway', 'status', '--deeep'], helps)) ?? '', /`openclaw gateway status --help` lists no --deeep/);
  assert.match((await checkCall(['devices', 'aprove', '<requestId>'], helps)) ?? '', /`openclaw devices` has no subcommand "aprove"/);
  assert.equal(await checkCall(['devices', 'approve', '<requestId>', '--token', '<token>'], helps), null);
  assert.deepEqual(openclawCalls(`OPENCLAW_GATEWAY_PORT=19001 openclaw logs --limit 500 --plain | grep -E 'unauthorized|code=1008'`), [['logs', '--limit', '500', '--plain']]);
  assert.deepEqual(openclawCalls(`docker exec -it <container> openclaw config set gateway.controlUi.allowedOrigins '["http://localhost:18789"]'`), [['config', 'set', 'gateway.controlUi.allowedOrigins', '["http://localhost:18789"]']]);
});

// ---- 2. Messages ------------------------------------------------------------------------------

/**
 * Messages the package assembles at run time beyond what the literal search can follow. Each is
 * reproduced exactly by the named test in this file.
 */
const SENTINEL_START_FAILURE =
  'Gateway failed to start: Gateway auth token is a known redaction sentinel, not a credential. Run `openclaw doctor --fix` to repair the Gateway token or replace the external secret, then restart and re-pair devices.. Run openclaw gateway status --deep for diagnostics.';
const URL_OVERRIDE_FIX = 'Fix: pass --token or --password *** --url (or gatewayToken in tools).';
const NO_OPERATOR_SCOPE = 'Capability: connected-no-operator-scope';
const REACHABLE_NO = 'Reachable: no';
const RPC_LOG = 'errorCode=FORBIDDEN errorMessage=missing scope: <scope>';
const NODE_REFUSED = 'connect ECONNREFUSED <address>';
const INVALID_PARAMS = 'invalid-connect-params';

/** Why each is not found by the literal search, and which live test below reproduces it. */
const LIVE: Record<string, string> = {
  [URL_OVERRIDE_FIX]: 'openclaw devices list --url … with only OPENCLAW_GATEWAY_TOKEN set; the package says "with", its log redactor prints *** after --password',
  [NO_OPERATOR_SCOPE]: 'openclaw gateway status against a token gateway; the code has connected_no_operator_scope and prints it with dashes',
  [REACHABLE_NO]: 'openclaw gateway probe against a closed port; label and value are printed by separate calls',
  [RPC_LOG]: "the gateway's log after a device-less connect calls status; key=value pairs are appended by the logger",
  [NODE_REFUSED]: "Node's own error text (node:net), which openclaw gateway status prints for a closed port; not in the package",
  [SENTINEL_START_FAILURE]: 'openclaw gateway run with the redaction placeholder as token; an error message concatenated inside a template',
};
/** Every current message of these signatures is reproduced live (schema errors assembled by the validator). */
const LIVE_SIGNATURES: Record<string, string> = {
  [INVALID_PARAMS]: 'raw connects to the real gateway with one schema error each',
};

const SOURCES_IN_PACKAGE = new Set(['gateway', 'cli', 'control-ui']);
/** The package's literals, scanned once for the tests below (large: dropped at cleanup). */
let distCache: DistLiterals | undefined;
const packageLiterals = () => (distCache ??= distLiterals());

test(`every current gateway/cli/control-ui message is text OpenClaw ${PINNED} prints`, { timeout: 300_000 }, (t) => {
  const dist = packageLiterals();
  const prover = new MessageProver(dist);
  const missing: string[] = [];
  const stale: string[] = [];
  const counts = { verbatim: 0, template: 0, live: 0, messages: 0 };
  const current = new Set<string>();
  for (const s of signatures) {
    for (const m of s.messages) {
      if (m.version !== 'current' || !SOURCES_IN_PACKAGE.has(m.source)) continue;
      counts.messages++;
      current.add(m.text);
      const proofs = prover.prove(m.text);
      const bad = proofs.filter((p) => p.how === 'missing');
      if (LIVE[m.text] || LIVE_SIGNATURES[s.id]) {
        counts.live++;
        if (!bad.length && LIVE[m.text]) stale.push(`"${m.text}" is now found in the package: remove it from LIVE`);
        continue;
      }
      for (const p of proofs) if (p.how !== 'missing') counts[p.how]++;
      if (bad.length) missing.push(`content/errors/${s.id}.yaml (${m.source}): "${m.text}": not in the package: ${bad.map((b) => JSON.stringify(b.part)).join(', ')}`);
    }
  }
  for (const text of Object.keys(LIVE)) if (!current.has(text)) stale.push(`LIVE lists "${text}", which is no longer a current message`);
  t.diagnostic(`${counts.messages} messages; literal parts found verbatim: ${counts.verbatim}, as template instances: ${counts.template}; reproduced live instead: ${counts.live}. Scanned ${dist.files} files (${Math.round(dist.bytes / 1e6)} MB) in ${dist.ms} ms`);
  assert.deepEqual(stale, []);
  assert.deepEqual(missing, [], `messages the pinned OpenClaw ${PINNED} does not print (fix the text, use a <placeholder> where the package prints a value, or mark it version: older):\n${missing.join('\n')}`);
});

test('the message prover rejects made-up text', () => {
  const prover = new MessageProver(packageLiterals());
  const how = (text: string) => prover.prove(text).map((p) => p.how);
  assert.deepEqual(how('unauthorized: gateway token mismatch (use this gateway\'s gateway.auth.token or pair the device)'), ['template']);
  assert.deepEqual(how('unauthorized: gateway token mismatch (ask your administrator nicely)'), ['missing']);
  assert.ok(!how('pairing required: device is not approved yet (requestId: <requestId>)').includes('missing'));
  assert.deepEqual(how('pairing required: device is not approved at all'), ['missing']);
  assert.deepEqual(how('Gateway not reachable at <url> (ECONNREFUSED).').includes('missing'), true, 'a fixed value where the package prints a variable');
});

/** Exact check of a catalog message (with <placeholders>) against output. */
function printed(message: string, output: string): boolean {
  const pattern = message
    .split(/(<[^<>\s][^<>]*>)/)
    .map((piece, i) => (i % 2 ? '.+?' : piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(pattern).test(output);
}

let gw: Gateway;
/** Message → output of the live run that reproduces it. */
const liveOut = new Map<string, string>();

test('live: the CLI messages the literal search cannot follow, reproduced with the real openclaw', { timeout: 180_000 }, async () => {
  gw = await sharedGateway('token');
  const closed = await freePort();
  const [urlOverride, statusDown, statusUp, probeDown, sentinel] = await Promise.all([
    openclaw(['devices', 'list', '--url', `ws://127.0.0.1:${closed}`], { env: { OPENCLAW_GATEWAY_TOKEN: 'docs-truth-token' } }),
    openclaw(['gateway', 'status'], { env: { OPENCLAW_GATEWAY_PORT: String(closed), OPENCLAW_GATEWAY_TOKEN: 'docs-truth-token' } }),
    openclaw(['gateway', 'status'], { env: { OPENCLAW_GATEWAY_PORT: String(gw.port), OPENCLAW_GATEWAY_TOKEN: gw.secret } }),
    openclaw(['gateway', 'probe', '--url', `ws://127.0.0.1:${closed}`, '--token', 'docs-truth-token']),
    openclaw(['gateway', 'run', '--allow-unconfigured', '--auth', 'token', '--token', '__OPENCLAW_REDACTED__', '--port', String(await freePort()), '--bind', 'loopback'], {
      until: /Gateway failed to start: .*diagnostics\./,
      timeoutMs: 90_000,
    }),
  ]);
  liveOut.set(URL_OVERRIDE_FIX, urlOverride.out);
  liveOut.set(NO_OPERATOR_SCOPE, statusUp.out);
  liveOut.set(REACHABLE_NO, probeDown.out);
  liveOut.set(NODE_REFUSED, statusDown.out);
  liveOut.set(SENTINEL_START_FAILURE, sentinel.out);
  for (const [message, out] of liveOut) assert.ok(printed(message, out), `"${message}" not printed; output:\n${out.slice(-3000)}`);
  // Found by the literal search too; seen here once with the lines above.
  assert.ok(printed('Connectivity probe: failed', statusDown.out), statusDown.out);
  assert.ok(printed('gateway url override requires explicit credentials', urlOverride.out), urlOverride.out);
});

/** One raw connect with the given params; returns the error message of the response. */
function rawConnect(url: string, params: Record<string, unknown>): Promise<string> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => (ws.close(), reject(new Error('no answer'))), 10_000);
    ws.addEventListener('message', (e) => {
      const frame = JSON.parse(String(e.data));
      if (frame.type === 'event' && frame.event === 'connect.challenge') {
        ws.send(JSON.stringify({ type: 'req', id: 'c1', method: 'connect', params }));
      } else if (frame.type === 'res' && frame.id === 'c1') {
        clearTimeout(timer);
        ws.close();
        resolve(frame.ok ? 'ok' : frame.error.message);
      }
    });
    ws.addEventListener('error', () => (clearTimeout(timer), reject(new Error('socket error'))));
  });
}

test('live: the schema error texts of invalid connect params, from the real gateway', async () => {
  gw ??= await sharedGateway('token');
  const client = { id: 'cli', version: '1.0.0', platform: 'linux', mode: 'cli' };
  const base = { minProtocol: 4, maxProtocol: 4, client, role: 'operator', scopes: [] };
  const device = { id: 'a'.repeat(64), publicKey: 'AAAA', signature: 'AAAA', signedAt: Date.now(), nonce: 'n' };
  const { nonce: _nonce, ...deviceWithoutNonce } = device;
  const { platform: _platform, ...clientWithoutPlatform } = client;
  const answers = await Promise.all(
    [
      { ...base, client: { ...client, id: 'no-such-client' } },
      { ...base, client: { ...client, mode: 'operator' } },
      { ...base, extra: true },
      { ...base, device: { ...device, extra: true } },
      { ...base, device: deviceWithoutNonce },
      { ...base, device: { ...device, nonce: '' } },
      { ...base, device: { ...device, signedAt: 1.5 } },
      { ...base, client: clientWithoutPlatform },
    ].map((params) => rawConnect(gw.wsUrl, params)),
  );
  const out = answers.join('\n');
  const messages = signatures.find((s) => s.id === INVALID_PARAMS)!.messages.filter((m) => m.version === 'current');
  for (const m of messages) {
    assert.ok(printed(m.text, out), `"${m.text}" not among:\n${out}`);
    liveOut.set(m.text, out);
  }
});

test('live: a connect without a device identity gets no scopes; its status call is refused and logged', async () => {
  gw ??= await sharedGateway('token');
  const error = await new Promise<{ message: string }>((resolve, reject) => {
    const ws = new WebSocket(gw.wsUrl);
    const timer = setTimeout(() => (ws.close(), reject(new Error('no answer'))), 10_000);
    ws.addEventListener('message', (e) => {
      const f = JSON.parse(String(e.data));
      const params = { minProtocol: 4, maxProtocol: 4, client: { id: 'openclaw-probe', version: '1.0.0', platform: 'linux', mode: 'probe' }, role: 'operator', scopes: ['operator.read'], auth: { token: gw.secret } };
      if (f.event === 'connect.challenge') ws.send(JSON.stringify({ type: 'req', id: 'c1', method: 'connect', params }));
      else if (f.id === 'c1') ws.send(JSON.stringify({ type: 'req', id: 's1', method: 'status', params: {} }));
      else if (f.id === 's1') {
        clearTimeout(timer);
        ws.close();
        resolve(f.error);
      }
    });
  });
  assert.ok(printed('missing scope: <scope>', error.message), error.message);
  const until = Date.now() + 10_000;
  while (!printed(RPC_LOG, gw.logTail(2000)) && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
  const log = gw.logTail(2000);
  assert.ok(printed(RPC_LOG, log), log.slice(-2000));
  liveOut.set(RPC_LOG, log);
});

test('every LIVE message is reproduced by a live test above', () => {
  const needed = [...Object.keys(LIVE), ...signatures.filter((s) => LIVE_SIGNATURES[s.id]).flatMap((s) => s.messages.filter((m) => m.version === 'current').map((m) => m.text))];
  assert.deepEqual(needed.filter((k) => !liveOut.has(k)), []);
  for (const text of needed) assert.ok(literalParts(text).length > 0);
});
