/**
 * `openclaw-pairing-check`: the live pairing checker of the guide, on the command line. Same
 * steps and signature ids as the page (the core's runCheck and the content/errors catalog), plus
 * what only Node can see about a connection that never opens (see transport.ts).
 */
import { parseArgs } from 'node:util';
import { runCheck, type CheckResult, type CheckStep } from '../checker/core/run-check.ts';
import { CHECKER_VERSION, CLIENT_PROFILE } from '../checker/core/handshake.ts';
import { memoryStore } from '../checker/core/identity.ts';
import { parseGatewayInput } from '../checker/core/target.ts';
import { allowedOriginsCommands } from '../checker/core/commands.ts';
import { scrub } from '../checker/core/report.ts';
import type { PairingInfo } from '../checker/core/steps.ts';
import { loadCliCatalog } from './catalog.ts';
import { recordingFetch, transportFinding, type TransportFinding, type UpgradeProbe } from './transport.ts';
import { cliWebSocket, gatewayOrigin, isSameOrigin, parseOrigin, servedBuildId } from './socket.ts';
import { approveBlock, stepLine, verdictLines } from './render.ts';

export const EXIT = { connected: 0, failed: 1, pairing: 2, auth: 3, unreachable: 4, usage: 64, aborted: 130 } as const;

export const USAGE = `openclaw-pairing-check ${CHECKER_VERSION}: can the OpenClaw dashboard connect to this gateway?
The command-line twin of the guide's live checker (/checker/): the same steps, the same error
signatures (content/errors) and the same fix commands.

Usage:
  npx openclaw-pairing-check <gateway-address> [--token <token> | --password <password>]
                             [--origin <origin>] [--wait [--wait-timeout <seconds>]] [--json]

  <gateway-address>  ws://host:18789, wss://gateway.example.com, or the dashboard URL
                     (http(s)://…; a #token=… in it is used and never printed)

Options:
  --token <token>        Gateway token. Without --token/--password: a #token= in the address,
                         else $OPENCLAW_GATEWAY_TOKEN.
  --password <password>  Gateway password (password mode). Default: $OPENCLAW_GATEWAY_PASSWORD.
                         When both a token and a password are known, the token is sent.
                         Prefer the environment variables: other users can read flags with ps.
                         The token and password are never printed: not in the text, not in
                         --json, not in error messages.
  --origin <origin>      Connect as a web page on this origin (see below). Default: the origin of
                         the gateway address itself, e.g. http://127.0.0.1:18789.
  --wait                 On "pairing required", keep retrying with the same device key until the
                         request is approved on the gateway host (as the page does).
  --wait-timeout <s>     How long --wait waits. Default 300 (the gateway drops a pending request
                         5 minutes after the last retry).
  --json                 Print one JSON document: the check result without secrets, the signature
                         and its fix, and the exit code.
  -h, --help             Show this help.
  -V, --version          Show the version.

What it checks:
  It connects exactly like the dashboard (Control UI) in a browser: client id openclaw-control-ui,
  mode webchat, read-only (scope operator.read), with its own Ed25519 device key, and an Origin
  header as a browser sends one. The gateway applies the same origin, auth and pairing rules as to
  that dashboard. It never changes anything on the gateway.

  The gateway refuses this client without an Origin ("origin missing or invalid"), so one is always
  sent. Without --origin it is the origin of the address you give (http://host:port for
  ws://host:port, https://host for wss://host): the answer is what the dashboard that this gateway
  serves at that address gets, and the checker also sends that page's build id, as the page does.
  With --origin it is what a page served from that origin gets (for example your own UI, or the
  guide's hosted checker), including the browser's own rules (mixed content, local network access).

  Browser limits the command line cannot feel: a dashboard opened over plain http:// from another
  machine is not a secure context, so the browser cannot create its device key (the gateway then
  says "control ui requires device identity"). Use https:// (a TLS proxy, Tailscale Serve) or an
  SSH tunnel to localhost.

  It does not answer for the openclaw CLI, which connects with a different profile (client cli);
  use openclaw gateway probe or openclaw devices list for that.

  Beyond the page: when the WebSocket does not open it sends its own upgrade request and reports
  the HTTP status and body that came back (a proxy's 403, a 404, a 200 page from a proxy that did
  not forward the upgrade), TLS errors by name (DEPTH_ZERO_SELF_SIGNED_CERT, …) and DNS errors
  (ENOTFOUND). Node trusts the certificates in NODE_EXTRA_CA_CERTS.

Device key:
  A new key, kept in memory for one run and never written to disk. With --wait the whole run uses
  one key, so the request you approve is the one it retries with. Without --wait, approving the
  printed request approves a key that is gone when the run ends: use --wait to watch it connect.
  Every run that connects is a read-only paired device on the gateway; the output names it, and
  openclaw devices remove <deviceId> removes it.

Exit codes:
  0    connected
  1    another failure (origin refused, device signature, protocol, gateway starting/restarting, …)
  2    pairing required and not approved (without --wait, or --wait timed out)
  3    auth failure (token or password missing or wrong, rate limited, …)
  4    unreachable: no WebSocket to an OpenClaw gateway (nothing listens, DNS, TLS, an HTTP answer
       instead of the upgrade, not a gateway, or the browser would block it)
  64   bad input (the address or the options)
  130  stopped (Ctrl+C)
`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/** Replaces every secret (and its JSON-escaped form) in a text. */
export function redactor(secrets: (string | undefined)[]): (text: string) => string {
  const list = [...new Set(secrets.filter((s): s is string => !!s && s.length >= 4).flatMap((s) => [s, JSON.stringify(s).slice(1, -1), encodeURIComponent(s)]))].sort((a, b) => b.length - a.length);
  return (text) => {
    let out = text;
    for (const s of list) out = out.split(s).join('[redacted]');
    return out;
  };
}

export function exitCodeFor(result: CheckResult): number {
  switch (result.verdict) {
    case 'connected':
      return EXIT.connected;
    case 'pairing-pending':
      return EXIT.pairing;
    case 'invalid-input':
      return EXIT.usage;
    case 'aborted':
      return EXIT.aborted;
  }
  const failed = (id: string) => result.steps.find((s) => s.id === id)?.status === 'fail';
  if (failed('browser') || failed('reachability')) return EXIT.unreachable;
  if (result.classification?.layer === 'auth') return EXIT.auth;
  return EXIT.failed;
}

interface Options {
  input: string;
  /** --token or --password was given (they win over a #token= in the address). */
  secretFromFlag: boolean;
  token?: string;
  password?: string;
  origin?: string;
  wait: boolean;
  waitBudgetMs: number;
  json: boolean;
}

const VALUE_OPTIONS = new Set(['--token', '--password', '--origin', '--wait-timeout']);

/** `--token -abc` → `--token=-abc`: secrets may start with a dash, which parseArgs would refuse. */
function withAttachedValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (VALUE_OPTIONS.has(argv[i]) && i + 1 < argv.length) out.push(`${argv[i]}=${argv[++i]}`);
    else out.push(argv[i]);
  }
  return out;
}

function readOptions(argv: string[], env: CliIo['env']): { ok: true; options: Options } | { ok: false; error: string } | { ok: 'help' } | { ok: 'version' } {
  let parsed;
  try {
    parsed = parseArgs({
      args: withAttachedValues(argv),
      allowPositionals: true,
      strict: true,
      options: {
        token: { type: 'string' },
        password: { type: 'string' },
        origin: { type: 'string' },
        wait: { type: 'boolean' },
        'wait-timeout': { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'V' },
      },
    });
  } catch (e) {
    // Node's messages name the option, never its value.
    const code = (e as { code?: string }).code;
    const name = /'(-[^'\s]*)/.exec(String((e as Error).message))?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return { ok: false, error: `Unknown option ${name ?? ''}. See --help.` };
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') return { ok: false, error: `Option ${name ?? ''} needs a value (or takes none). See --help.` };
    return { ok: false, error: 'Could not read the options. See --help.' };
  }
  const v = parsed.values;
  if (v.help) return { ok: 'help' };
  if (v.version) return { ok: 'version' };
  // Never print positionals: a misplaced secret would be one.
  if (parsed.positionals.length !== 1) {
    return { ok: false, error: parsed.positionals.length === 0 ? 'Give the gateway address, e.g. openclaw-pairing-check ws://127.0.0.1:18789. See --help.' : `Expected one gateway address, got ${parsed.positionals.length} arguments. See --help.` };
  }
  if (v.token !== undefined && v.password !== undefined) return { ok: false, error: 'Give --token or --password, not both.' };
  if (v.token === '' || v.password === '') return { ok: false, error: `--${v.token === '' ? 'token' : 'password'} is empty.` };
  let waitBudgetMs = 300_000;
  if (v['wait-timeout'] !== undefined) {
    const s = Number(v['wait-timeout']);
    if (!Number.isFinite(s) || s <= 0 || s > 3600) return { ok: false, error: '--wait-timeout is a number of seconds between 1 and 3600.' };
    waitBudgetMs = Math.round(s * 1000);
  }
  let origin: string | undefined;
  if (v.origin !== undefined) {
    const o = parseOrigin(v.origin);
    if (!o.ok) return { ok: false, error: o.error };
    origin = o.origin;
  }
  const flagSecret = v.token !== undefined || v.password !== undefined;
  return {
    ok: true,
    options: {
      input: parsed.positionals[0],
      secretFromFlag: flagSecret,
      token: flagSecret ? v.token : env.OPENCLAW_GATEWAY_TOKEN || undefined,
      password: flagSecret ? v.password : env.OPENCLAW_GATEWAY_PASSWORD || undefined,
      origin,
      wait: !!v.wait,
      waitBudgetMs,
      json: !!v.json,
    },
  };
}

/** Runs the command; returns the exit code. All output goes through io (and the redactor). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const read = readOptions(argv, io.env);
  if (read.ok === 'help') {
    io.stdout(USAGE);
    return 0;
  }
  if (read.ok === 'version') {
    io.stdout(`openclaw-pairing-check ${CHECKER_VERSION}\n`);
    return 0;
  }
  // The secrets may be anywhere in argv, so redact them even in usage errors.
  const early = redactor([...argv.filter((a) => a.length >= 8), io.env.OPENCLAW_GATEWAY_TOKEN, io.env.OPENCLAW_GATEWAY_PASSWORD]);
  if (read.ok === false) {
    io.stderr(early(`openclaw-pairing-check: ${read.error}\n`));
    return EXIT.usage;
  }
  const opts = read.options;
  const parsed = parseGatewayInput(opts.input);
  const urlToken = parsed.ok ? parsed.token : undefined;
  const redact = redactor([opts.token, opts.password, urlToken]);
  const out = (text: string) => io.stdout(redact(text));
  const err = (text: string) => io.stderr(redact(text));

  const { signatures, catalog, byId } = loadCliCatalog();

  // Flags win over a #token= in the address, which wins over the environment (undefined here:
  // runCheck then takes the token from the address).
  const credentials = opts.secretFromFlag || !urlToken ? { ...(opts.token ? { token: opts.token } : {}), ...(opts.password ? { password: opts.password } : {}) } : undefined;

  const target = parsed.ok ? parsed.target : undefined;
  const origin = opts.origin ?? (target ? gatewayOrigin(target) : undefined);
  const notes: string[] = [];
  let buildId: string | undefined;
  if (target && origin && isSameOrigin(origin, target)) {
    buildId = await servedBuildId(target);
  }
  if (target && !opts.origin && !target.secure && target.hostKind !== 'loopback') {
    notes.push(`A browser opening http://${target.host}:${target.port}/ from another machine is not a secure context: the dashboard there cannot create its device key and gets "control ui requires device identity". Use https:// (a TLS proxy or Tailscale Serve) or an SSH tunnel to localhost.`);
  }

  const probes: UpgradeProbe[] = [];
  let finding: TransportFinding | null = null;
  const refine = (step: CheckStep): CheckStep => {
    if (!target || !probes.length || step.status !== 'fail') return step;
    if (step.id !== 'reachability' && step.id !== 'outcome') return step;
    const c = step.id === 'outcome' ? (step.data.classification as CheckResult['classification']) : undefined;
    if (step.id === 'outcome' && c?.via !== 'transport') return step;
    finding ??= transportFinding(probes, target, signatures, catalog);
    if (!finding) return step;
    const sig = byId.get(finding.signatureId);
    if (step.id === 'reachability') return { ...step, summary: finding.summary, signatureId: finding.signatureId, data: { ...step.data, transport: finding.probe } };
    return { ...step, summary: sig?.title ?? step.summary, signatureId: finding.signatureId, data: { ...step.data, classification: { ...c, signatureId: finding.signatureId, layer: sig?.layer ?? c?.layer ?? null, ...(sig ? { title: sig.title } : {}) } } };
  };

  if (!opts.json) {
    out(`openclaw-pairing-check ${CHECKER_VERSION} · ${target ? target.wsUrl : opts.input.replace(/#.*$/, '')}\n`);
    if (origin) out(`Connecting as the dashboard (openclaw-control-ui, read-only) with Origin ${origin}${opts.origin ? '' : ' (the address itself; change with --origin)'}\n`);
    const inputNotes = parsed.ok ? parsed.notes.map((n) => (n.startsWith('Found a gateway token in the link') ? 'Using the gateway token from the link (it is never printed).' : n)) : [];
    for (const n of [...inputNotes, ...notes]) out(`Note: ${n}\n`);
    out('\n');
  }
  let lastPairing: string | undefined;
  let waitPrinted = false;
  const onStep = (raw: CheckStep) => {
    const step = refine(raw);
    if (opts.json) {
      // Machine output stays one document on stdout; only the approve hint goes to stderr.
      const p = step.data.pairing as PairingInfo | undefined;
      if (opts.wait && step.id === 'pairing-wait' && step.status === 'running' && p && p.requestId !== lastPairing) {
        lastPairing = p.requestId;
        err(`Waiting for approval. On the gateway host: ${p.commands.approve ?? p.commands.previewLatest}\n`);
      }
      return;
    }
    if (step.status === 'running') {
      if (step.id !== 'pairing-wait') return;
      const p = step.data.pairing as PairingInfo | undefined;
      if (waitPrinted && p?.requestId === lastPairing) return;
      waitPrinted = true;
      lastPairing = p?.requestId;
      out(`${stepLine(step)}\n`);
      if (p) out(`${approveBlock(p, true).join('\n')}\n`);
      return;
    }
    out(`${stepLine(step)}\n`);
    if (step.id === 'outcome' && step.status === 'warn' && !opts.wait) {
      const p = step.data.pairing as PairingInfo | undefined;
      if (p) out(`${approveBlock(p, false).join('\n')}\n`);
    }
  };

  let result = await runCheck(parsed.ok ? parsed : opts.input, {
    catalog,
    identityStore: memoryStore(),
    ...(credentials ? { credentials } : {}),
    page: opts.origin ? { origin: opts.origin } : null,
    WebSocket: cliWebSocket({ origin, buildId }),
    fetch: recordingFetch(probes, origin),
    waitForApproval: opts.wait,
    waitBudgetMs: opts.waitBudgetMs,
    signal: io.signal,
    onStep,
  });
  result = { ...result, steps: result.steps.map(refine) };
  if (finding) {
    const f: TransportFinding = finding;
    const sig = byId.get(f.signatureId);
    result.classification = { ...result.classification!, signatureId: f.signatureId, layer: sig?.layer ?? result.classification?.layer ?? null, ...(sig ? { title: sig.title } : {}), via: 'transport' };
  }

  const exitCode = exitCodeFor(result);
  const signatureId = result.verdict === 'connected' ? undefined : result.classification?.signatureId ?? undefined;
  const signature = signatureId ? byId.get(signatureId) : undefined;
  const originRefused = result.classification?.detailsCode === 'CONTROL_UI_ORIGIN_NOT_ALLOWED';
  const originCommands = originRefused && origin ? allowedOriginsCommands(origin) : undefined;
  if (signatureId === 'control-ui-updated' && target && !buildId) {
    notes.push(`Could not read the build id of the dashboard page at ${target.httpUrl}, so none was sent; the page the gateway serves there sends it.`);
  }

  if (opts.json) {
    const doc = {
      checker: { name: 'openclaw-pairing-check', version: CHECKER_VERSION, client: { id: CLIENT_PROFILE.id, mode: CLIENT_PROFILE.mode, role: CLIENT_PROFILE.role, scopes: CLIENT_PROFILE.scopes }, origin: origin ?? null, originSource: opts.origin ? 'option' : 'address', buildId: buildId ?? null },
      ...(scrub(result) as object),
      ...(originCommands ? { originCommands } : {}),
      errorSignature: signature ? { id: signature.id, title: signature.title, summary: signature.summary, layer: signature.layer, fix: signature.fix } : null,
      transport: probes.length ? probes : null,
      notes,
      exitCode,
    };
    out(`${JSON.stringify(doc, null, 2)}\n`);
  } else {
    out(`${verdictLines({ result, exitCode, signature, originCommands, origin, notes, waited: opts.wait }).join('\n')}\n`);
    if (signatureId === 'control-ui-updated') for (const n of notes) out(`Note: ${n}\n`);
  }
  return exitCode;
}
