import { classifyHost, type GatewayTarget, type HostKind } from './target';

/** The page the checker runs in (`location.origin`); absent in Node. */
export interface PageContext {
  origin: string;
}

export interface Precheck {
  id: 'blocked-port' | 'mixed-content' | 'local-network-access' | 'origin-allowlist';
  status: 'pass' | 'warn' | 'fail';
  /** Signature this precheck is about (its page has the full fix). */
  signatureId?: string;
  summary: string;
  fixes: string[];
}

/** Ports browsers never connect to (the Fetch standard's "bad port" list). */
const BAD_PORTS = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137,
  139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723,
  2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** Order of the browser's address spaces, most public first (local network access rules). */
const SPACE_RANK: Record<HostKind, number> = { public: 0, private: 1, loopback: 2 };

export function pageHostKind(page: PageContext): HostKind | null {
  try {
    return classifyHost(new URL(page.origin).hostname);
  } catch {
    return null;
  }
}

/**
 * What the browser (not the gateway) will do with a connection from this page to the target,
 * decided before connecting.
 */
export function browserPrechecks(target: GatewayTarget, page: PageContext): Precheck[] {
  const checks: Precheck[] = [];
  if (BAD_PORTS.has(target.port)) {
    checks.push({
      id: 'blocked-port',
      status: 'fail',
      summary: `Browsers refuse to open connections to port ${target.port} (it belongs to another protocol), so no page can reach a gateway there.`,
      fixes: ['Run the gateway on another port (the default is 18789), or put a proxy in front of it.'],
    });
  }
  let pageUrl: URL | null = null;
  try {
    pageUrl = new URL(page.origin);
  } catch {
    pageUrl = null;
  }
  const pageSecure = pageUrl?.protocol === 'https:';
  const pageKind = pageHostKind(page);

  // Browsers treat ws://localhost and ws://127.0.0.1 as potentially trustworthy, so only
  // plaintext sockets to other hosts are mixed content.
  if (pageSecure && !target.secure && target.hostKind !== 'loopback') {
    checks.push({
      id: 'mixed-content',
      status: 'fail',
      signatureId: 'mixed-content-blocked',
      summary: `This page is served over HTTPS, so the browser blocks the unencrypted ${target.wsUrl} connection (mixed content) before it reaches the gateway.`,
      fixes: [
        'Put TLS in front of the gateway (a reverse proxy or Tailscale Serve) and check the wss:// address instead.',
        'Or open this checker from http://localhost on the gateway machine.',
      ],
    });
  } else {
    checks.push({
      id: 'mixed-content',
      status: 'pass',
      summary: pageSecure && !target.secure ? 'Plain ws:// to this machine is allowed from an HTTPS page.' : 'No mixed-content problem.',
      fixes: [],
    });
  }

  if (pageKind && SPACE_RANK[target.hostKind] > SPACE_RANK[pageKind]) {
    checks.push({
      id: 'local-network-access',
      status: 'warn',
      signatureId: 'local-network-access-blocked',
      summary: `This page is on a ${pageKind === 'public' ? 'public' : 'private-network'} address and the gateway is on ${target.hostKind === 'loopback' ? 'this machine' : 'your local network'}: the browser may ask for permission to reach local network devices, and blocks the connection if that is denied.`,
      fixes: ['If the browser asks to allow access to devices on your local network, allow it for this site, then run the check again.'],
    });
  } else {
    checks.push({ id: 'local-network-access', status: 'pass', summary: 'No local network permission needed.', fixes: [] });
  }

  // The gateway accepts a loopback page origin only from a direct local client; anything else
  // must be same-origin on a private host or listed in gateway.controlUi.allowedOrigins.
  const originAccepted = pageKind === 'loopback' && target.hostKind === 'loopback';
  checks.push(
    originAccepted
      ? { id: 'origin-allowlist', status: 'pass', summary: 'Page and gateway are both on this machine: the gateway accepts this page origin.', fixes: [] }
      : {
          id: 'origin-allowlist',
          status: 'warn',
          signatureId: 'origin-not-allowed',
          summary: `The gateway only accepts this page (${page.origin}) if its origin is listed in gateway.controlUi.allowedOrigins; otherwise it answers "origin not allowed". The check shows which.`,
          fixes: [],
        },
  );
  return checks;
}
