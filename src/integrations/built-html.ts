import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Every HTML file a build wrote under `dir`. */
export async function builtHtmlFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.html')).map((e) => join(e.parentPath, e.name));
}
