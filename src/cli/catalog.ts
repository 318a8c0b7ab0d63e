/**
 * The error signatures for the command line: read at run time from the package's own
 * content/errors/*.yaml (the same files the site, its search and the page checker use), validated
 * with the same schema. Nothing is generated or copied.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { signatureSchema, type Signature } from '../signatures/schema.ts';
import { toCatalog, type CatalogEntry } from '../checker/core/catalog.ts';

export const ERRORS_DIR = fileURLToPath(new URL('../../content/errors/', import.meta.url));

export function loadSignatures(dir = ERRORS_DIR): Signature[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const parsed = signatureSchema.safeParse(yaml.load(readFileSync(join(dir, file), 'utf8')));
      if (!parsed.success) throw new Error(`content/errors/${file}: ${parsed.error.message}`);
      return { id: file.replace(/\.yaml$/, ''), ...parsed.data };
    });
}

export interface CliCatalog {
  signatures: Signature[];
  catalog: CatalogEntry[];
  byId: Map<string, Signature>;
}

export function loadCliCatalog(dir = ERRORS_DIR): CliCatalog {
  const signatures = loadSignatures(dir);
  return { signatures, catalog: toCatalog(signatures), byId: new Map(signatures.map((s) => [s.id, s])) };
}
