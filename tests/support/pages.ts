import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DIST } from './site.ts';

/** URL paths of every page in the built site (each `…/index.html`, plus the 404 page). */
export function builtPages(): string[] {
  const entries = readdirSync(DIST, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name === 'index.html')
    .map((e) => '/' + relative(DIST, join(e.parentPath, e.name)).replace(/index\.html$/, ''))
    .sort();
}
