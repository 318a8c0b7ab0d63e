/**
 * The signature collection read straight from content/errors/*.yaml, for Node (the command-line
 * checker and the tests). The site reads the same files through Astro's content collection.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { signatureSchema, type Signature } from './schema.ts';

export const ERRORS_DIR = fileURLToPath(new URL('../../content/errors/', import.meta.url));

/** Every signature, validated against the schema; the file name (without .yaml) is the id. */
export function readSignatures(dir = ERRORS_DIR): Signature[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const parsed = signatureSchema.safeParse(yaml.load(readFileSync(join(dir, file), 'utf8')));
      if (!parsed.success) throw new Error(`content/errors/${file}: ${parsed.error.message}`);
      return { id: file.replace(/\.yaml$/, ''), ...parsed.data };
    });
}
