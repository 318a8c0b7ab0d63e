// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { checkLinks } from './src/integrations/check-links.ts';
import { cspInlineHashes } from './src/integrations/csp-inline-hashes.ts';

export default defineConfig({
  site: 'http://localhost:4321',
  trailingSlash: 'always',
  // A Content-Security-Policy meta tag on every page (any static host serves it): scripts and
  // styles only from this site (inline ones by hash), WebSockets and probes to whatever gateway
  // the reader types, nothing else.
  security: {
    csp: {
      directives: [
        "default-src 'self'",
        "connect-src 'self' ws: wss: http: https:",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
      ],
      // Pagefind's search index is WebAssembly.
      scriptDirective: { resources: ["'self'", "'wasm-unsafe-eval'"] },
      styleDirective: { resources: ["'self'", { resource: "'unsafe-inline'", kind: 'attribute' }] },
    },
  },
  integrations: [
    starlight({
      title: 'OpenClaw pairing fix',
      description: 'Fix OpenClaw "pairing required" (WebSocket 1008) and every other gateway connect error, with a live checker for your own gateway.',
      sidebar: [
        { label: 'Start here', items: ['index', 'quick-fix', 'checker'] },
        { label: 'Fix it', items: ['fix-workflow', 'checklist', 'faq'] },
        {
          label: 'Where you run it',
          items: ['playbooks/same-machine', 'playbooks/docker', 'playbooks/reverse-proxy', 'playbooks/tailscale', 'playbooks/hosted'],
        },
        { label: 'Error reference', link: '/errors/' },
      ],
      components: {
        Search: './src/overrides/Search.astro',
        PageTitle: './src/overrides/PageTitle.astro',
      },
      lastUpdated: false,
      // Long commands wrap instead of scrolling sideways (keyboard users cannot scroll a <pre>).
      expressiveCode: { defaultProps: { wrap: true } },
      head: [{ tag: 'meta', attrs: { name: 'referrer', content: 'no-referrer' } }],
      pagefind: true,
    }),
    cspInlineHashes(),
    checkLinks(),
  ],
});
