/** The error-signature collection (content/errors/*.yaml) as tests and Node tools see it. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { signatureSchema, type Signature } from '../../src/signatures/schema.ts';
import { toCatalog, type CatalogEntry } from '../../src/checker/core/catalog.ts';

export const ERRORS_DIR = new URL('../../content/errors/', import.meta.url).pathname;

/** Every signature, validated against the schema; the file name (without .yaml) is the id. */
export function loadSignatures(dir = ERRORS_DIR): Signature[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const id = file.replace(/\.yaml$/, '');
      const parsed = signatureSchema.safeParse(yaml.load(readFileSync(join(dir, file), 'utf8')));
      if (!parsed.success) throw new Error(`content/errors/${file}: ${parsed.error.message}`);
      return { id, ...parsed.data };
    });
}

/** The checker's catalog (see src/checker/core/catalog.ts) built from the collection. */
export function loadSignatureCatalog(dir = ERRORS_DIR): CatalogEntry[] {
  return toCatalog(loadSignatures(dir));
}
