/**
 * The error signatures for the command line: read at run time from the package's own
 * content/errors/*.yaml (the same files the site, its search and the page checker use), validated
 * with the same schema. Nothing is generated or copied.
 */
import type { Signature } from '../signatures/schema.ts';
import { readSignatures, ERRORS_DIR } from '../signatures/read-files.ts';
import { toCatalog, type CatalogEntry } from '../checker/core/catalog.ts';

export interface CliCatalog {
  signatures: Signature[];
  catalog: CatalogEntry[];
  byId: Map<string, Signature>;
}

export function loadCliCatalog(dir = ERRORS_DIR): CliCatalog {
  const signatures = readSignatures(dir);
  return { signatures, catalog: toCatalog(signatures), byId: new Map(signatures.map((s) => [s.id, s])) };
}
