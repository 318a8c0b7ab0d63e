/** Where a pasted gateway address points, in the terms the browser and the gateway care about. */
export type HostKind = 'loopback' | 'private' | 'public';

export const DEFAULT_GATEWAY_PORT = 18789;

export interface GatewayTarget {
  /** What the checker connects to, e.g. `ws://127.0.0.1:18789/`. */
  wsUrl: string;
  /** The same place over HTTP(S), for the reachability probe. */
  httpUrl: string;
  /** `wss:` (TLS, usually through a proxy). */
  secure: boolean;
  /** Host name or IP, lowercase, IPv6 without brackets. */
  host: string;
  port: number;
  /** Whether the port was written out (otherwise a default was assumed). */
  explicitPort: boolean;
  /** Base path, `/` when none. */
  path: string;
  hostKind: HostKind;
}

export type ParsedGatewayInput =
  | {
      ok: true;
      target: GatewayTarget;
      /** Gateway token found in the URL (`#token=` or `?token=`): fill the token field with it. */
      token?: string;
      /** A one-time `#bootstrapToken=` link (from `openclaw dashboard`); the checker never uses it. */
      oneTimeLink: boolean;
      /** The input without any secret in it, to put back into the address field. */
      sanitizedInput: string;
      /** Things worth telling the reader about how the input was read. */
      notes: string[];
    }
  | { ok: false; error: string };

const fail = (error: string): ParsedGatewayInput => ({ ok: false, error });

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const SUPPORTED: Record<string, 'ws' | 'wss'> = { 'ws:': 'ws', 'wss:': 'wss', 'http:': 'ws', 'https:': 'wss' };

/** Reads what people paste into the address field. Never throws. */
export function parseGatewayInput(raw: string): ParsedGatewayInput {
  const input = (raw ?? '').trim();
  if (!input) return fail('Enter the address of your gateway, for example ws://127.0.0.1:18789 or the dashboard URL.');
  if (/\s/.test(input)) return fail('The address contains a space. Paste only the URL, for example ws://127.0.0.1:18789.');
  if (/^\d{1,5}$/.test(input)) return fail(`That is only a port number. Try localhost:${input} (or the host name of the gateway machine followed by :${input}).`);

  const notes: string[] = [];
  let text = input;
  const scheme = SCHEME.exec(text);
  // `localhost:18789` also looks like a scheme: a scheme is only one when no port digits follow.
  if (scheme && !/^[^:/?#]+:(?:\d+(?:[/?#]|$)|$)/.test(text)) {
    const s = scheme[1].toLowerCase() + ':';
    if (!(s in SUPPORTED)) {
      return fail(`"${scheme[1]}:" addresses are not supported. Use the gateway's ws:// or wss:// address, or the http(s):// dashboard URL.`);
    }
    if (!text.slice(scheme[0].length).startsWith('//')) return fail(`That does not look like a URL. Expected ${s}//host:port.`);
  } else if (text.startsWith('//')) {
    text = 'ws:' + text;
  } else {
    text = 'ws://' + text;
  }

  const schemeName = SCHEME.exec(text)![1].toLowerCase() + ':';
  const wsScheme = SUPPORTED[schemeName];
  const afterScheme = text.slice(schemeName.length + 2);
  const authorityEnd = afterScheme.search(/[/?#]/);
  const authority = authorityEnd < 0 ? afterScheme : afterScheme.slice(0, authorityEnd);
  if (authority.includes('@')) {
    return fail('The address contains a user name or password (user:pass@host). Remove it: the gateway token or password goes in its own field.');
  }
  if (!authority) return fail('The address has no host. Expected something like ws://127.0.0.1:18789.');
  if ((authority.startsWith('[') && !authority.includes(']')) || (!authority.startsWith('[') && (authority.match(/:/g) ?? []).length > 1)) {
    return fail('IPv6 addresses go in square brackets, with the port after them: [::1]:18789.');
  }
  const portMatch = /^(\[[^\]]*\]|[^:]*)(?::(.*))?$/.exec(authority);
  if (!portMatch || !portMatch[1]) return fail('The address has no host. Expected something like ws://127.0.0.1:18789.');
  const portText = portMatch[2];
  if (portText !== undefined && !/^\d{1,5}$/.test(portText)) {
    return fail(portText === '' ? 'The address ends with ":" but no port. Add the port, e.g. :18789.' : `"${portText}" is not a port number. Ports are 1-65535; the gateway's default is ${DEFAULT_GATEWAY_PORT}.`);
  }
  if (portText !== undefined && (Number(portText) < 1 || Number(portText) > 65535)) {
    return fail(`Port ${portText} is out of range. Ports are 1-65535; the gateway's default is ${DEFAULT_GATEWAY_PORT}.`);
  }

  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return fail('That does not look like a gateway address. Expected something like ws://127.0.0.1:18789 or https://gateway.example.com.');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const isIpv6 = url.hostname.startsWith('[');
  if (!isIpv6 && !/^[a-z0-9_](?:[a-z0-9_.-]*[a-z0-9_])?\.?$/.test(host)) {
    return fail(`"${url.hostname}" is not a valid host name.`);
  }
  if (host === '0.0.0.0' || host === '::') {
    return fail(`${host} is the address a gateway listens on, not one you can connect to. Use 127.0.0.1 on the same machine, or the gateway machine's IP or name.`);
  }

  // Secrets in the fragment (dashboard links) or, in older links, the query.
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  const query = url.searchParams;
  let token = fragment.get('token') || undefined;
  if (!token && query.get('token')) {
    token = query.get('token') || undefined;
    notes.push('The token was in the URL query (?token=), which servers and proxies log. Prefer the #token= fragment or paste the token separately.');
  }
  const oneTimeLink = fragment.has('bootstrapToken') || query.has('bootstrapToken');
  if (oneTimeLink) {
    notes.push('This is a one-time dashboard link (bootstrapToken): it pairs the first browser that opens it and then stops working. The checker does not use it; paste the gateway token instead.');
  }
  if (token) notes.push('Found a gateway token in the link: it was moved to the token field.');

  // `openclaw dashboard --json` links say where the socket is (gatewayUrl=ws://…).
  const gatewayUrl = fragment.get('gatewayUrl');
  if (gatewayUrl && /^wss?:\/\//i.test(gatewayUrl) && !/[#@\s]/.test(gatewayUrl)) {
    const inner = parseGatewayInput(gatewayUrl);
    if (inner.ok) {
      notes.push(`The link names its gateway socket (${inner.target.wsUrl}); using that.`);
      return { ...inner, token, oneTimeLink, notes: [...notes, ...inner.notes] };
    }
  }

  const explicitPort = portText !== undefined;
  const secure = wsScheme === 'wss';
  const port = explicitPort ? Number(portText) : secure ? 443 : DEFAULT_GATEWAY_PORT;
  if (!explicitPort) {
    notes.push(
      secure
        ? 'No port given: using 443, the usual port of a TLS proxy in front of the gateway.'
        : `No port given: using ${DEFAULT_GATEWAY_PORT}, the gateway's default. If a proxy serves it on port 80, add :80.`,
    );
  }
  if (schemeName === 'http:' || schemeName === 'https:') notes.push(`Dashboard URL: the gateway socket is at the same address over ${wsScheme}://.`);

  const path = url.pathname || '/';
  const hostInUrl = isIpv6 ? `[${host}]` : host;
  const defaultPort = secure ? 443 : 80;
  const hostPort = port === defaultPort ? hostInUrl : `${hostInUrl}:${port}`;
  const target: GatewayTarget = {
    wsUrl: `${wsScheme}://${hostPort}${path}`,
    httpUrl: `${secure ? 'https' : 'http'}://${hostPort}${path}`,
    secure,
    host,
    port,
    explicitPort,
    path,
    hostKind: classifyHost(host),
  };
  // String surgery, not URL.toString(), so the input keeps its own form (and e.g. an explicit :80).
  const sanitizedInput = input
    .replace(/#.*$/, '')
    .replace(/([?&])(?:token|bootstrapToken)=[^&]*&?/g, '$1')
    .replace(/[?&]$/, '');
  return { ok: true, target, token, oneTimeLink, sanitizedInput, notes };
}

/** loopback (this machine), private (LAN, VPN, Tailscale, link-local, .local) or public. */
export function classifyHost(hostname: string): HostKind {
  const host = hostname.replace(/^\[|\]$/g, '').replace(/\.$/, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return 'loopback';
  const v4 = parseIpv4(host);
  if (v4) return classifyIpv4(v4);
  if (host.includes(':')) return classifyIpv6(host);
  if (host.endsWith('.local') || host.endsWith('.ts.net') || host.endsWith('.internal') || host.endsWith('.lan') || host.endsWith('.home.arpa') || !host.includes('.')) {
    return 'private';
  }
  return 'public';
}

function parseIpv4(host: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function classifyIpv4([a, b]: number[]): HostKind {
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // CGNAT, Tailscale
  if (a === 169 && b === 254) return 'private'; // link-local
  return 'public';
}

function classifyIpv6(host: string): HostKind {
  const full = expandIpv6(host);
  if (!full) return 'public';
  if (full.slice(0, 7).every((g) => g === 0) && full[7] === 1) return 'loopback';
  // IPv4-mapped ::ffff:a.b.c.d
  if (full.slice(0, 5).every((g) => g === 0) && full[5] === 0xffff) {
    return classifyIpv4([full[6] >> 8, full[6] & 0xff, full[7] >> 8, full[7] & 0xff]);
  }
  if ((full[0] & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
  if ((full[0] & 0xffc0) === 0xfe80) return 'private'; // fe80::/10 link-local
  return 'public';
}

function expandIpv6(host: string): number[] | null {
  let text = host.split('%')[0];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const p = parseIpv4(v4[1]);
    if (!p) return null;
    text = text.slice(0, -v4[1].length) + `${((p[0] << 8) | p[1]).toString(16)}:${((p[2] << 8) | p[3]).toString(16)}`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 0) return null;
  const groups = [...head, ...Array(halves.length === 2 ? missing : 0).fill('0'), ...tail];
  const nums = groups.map((g) => (/^[0-9a-f]{1,4}$/i.test(g) ? parseInt(g, 16) : NaN));
  return nums.some(Number.isNaN) ? null : nums;
}
