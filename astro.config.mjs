// @ts-check
import { defineConfig } from 'astro/config';
import starlight from '@astrojs/starlight';
import { checkLinks } from './src/integrations/check-links.ts';

export default defineConfig({
  site: 'http://localhost:4321',
  trailingSlash: 'always',
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
      pagefind: true,
    }),
    checkLinks(),
  ],
});
