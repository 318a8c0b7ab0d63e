/** The error-signature collection (content/errors/*.yaml) as the tests see it. */
import { readSignatures } from '../../src/signatures/read-files.ts';
import { toCatalog, type CatalogEntry } from '../../src/checker/core/catalog.ts';

export { ERRORS_DIR, readSignatures as loadSignatures } from '../../src/signatures/read-files.ts';

/** The checker's catalog (see src/checker/core/catalog.ts) built from the collection. */
export function loadSignatureCatalog(): CatalogEntry[] {
  return toCatalog(readSignatures());
}
