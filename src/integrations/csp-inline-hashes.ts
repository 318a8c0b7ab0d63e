import type { AstroIntegration } from 'astro';
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { builtHtmlFiles } from './built-html.ts';

const CSP_META = /(<meta http-equiv="content-security-policy" content=")([^"]*)(")/i;
const INLINE = {
  'script-src': /<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/gi,
  'style-src': /<style[^>]*>([\s\S]*?)<\/style>/gi,
};

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/**
 * Astro's CSP hashes the scripts and styles it bundles, but not Starlight's `is:inline` ones
 * (theme and sidebar restore). This adds the hash of every inline script and style a page really
 * contains to that page's policy, so it can stay free of 'unsafe-inline'.
 */
export function cspInlineHashes(): AstroIntegration {
  return {
    name: 'csp-inline-hashes',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        let pages = 0;
        for (const file of await builtHtmlFiles(fileURLToPath(dir))) {
          const html = await readFile(file, 'utf8');
          const meta = CSP_META.exec(html);
          if (!meta) throw new Error(`${file}: no Content-Security-Policy meta tag`);
          let policy = meta[2];
          for (const [name, pattern] of Object.entries(INLINE)) {
            const hashes = new Set([...html.matchAll(pattern)].map((m) => sha256(m[1])));
            policy = policy.replace(new RegExp(`(${name} [^;]*)`), (directive) => {
              const missing = [...hashes].filter((h) => !directive.includes(h));
              return missing.length ? `${directive} ${missing.join(' ')}` : directive;
            });
          }
          if (policy !== meta[2]) {
            await writeFile(file, html.replace(CSP_META, `$1${policy}$3`));
            pages++;
          }
        }
        logger.info(`inline script/style hashes added to the CSP of ${pages} pages`);
      },
    },
  };
}
