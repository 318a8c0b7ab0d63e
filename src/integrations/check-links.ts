import type { AstroIntegration } from 'astro';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtHtmlFiles } from './built-html.ts';

const HREF = /\shref="(\/[^"]*)"/g;
const ID = /\sid="([^"]+)"/g;

/**
 * Fails the build when a page links to a path or #fragment that the build did not produce,
 * so a broken internal link is caught here and not by a reader.
 */
export function checkLinks(): AstroIntegration {
  return {
    name: 'check-internal-links',
    hooks: {
      'astro:build:done': async ({ dir, logger }) => {
        const root = fileURLToPath(dir);
        const files = await builtHtmlFiles(root);
        const ids = new Map<string, Set<string>>();
        const idsOf = async (file: string) => {
          let set = ids.get(file);
          if (!set) {
            const html = await readFile(file, 'utf8');
            set = new Set([...html.matchAll(ID)].map((m) => m[1]));
            ids.set(file, set);
          }
          return set;
        };
        const broken: string[] = [];
        for (const file of files) {
          const html = await readFile(file, 'utf8');
          for (const [, href] of html.matchAll(HREF)) {
            if (href.startsWith('//')) continue;
            const [pathPart, fragment] = href.split('#');
            const path = decodeURIComponent(pathPart.split('?')[0]);
            const target = path.endsWith('/') ? join(root, path, 'index.html') : join(root, path);
            const page = relative(root, file);
            if (!existsSync(target)) {
              broken.push(`${page}: ${href} (no such page)`);
              continue;
            }
            if (fragment && target.endsWith('.html') && !(await idsOf(target)).has(fragment)) {
              broken.push(`${page}: ${href} (no such anchor)`);
            }
          }
        }
        if (broken.length) {
          throw new Error(`Broken internal links:\n  ${[...new Set(broken)].join('\n  ')}`);
        }
        logger.info(`internal links OK across ${files.length} pages`);
      },
    },
  };
}
