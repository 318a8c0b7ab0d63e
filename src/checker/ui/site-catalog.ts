import type { CatalogEntry } from '../core/catalog';

/** A signature as /signatures.json ships it: the core's fields plus what the page shows. */
export type SiteCatalogEntry = CatalogEntry & {
  url: string;
  summary: string;
  fix: { html: string; commands: string[] }[];
};

let loading: Promise<SiteCatalogEntry[]> | undefined;

/** The signature catalog, fetched once per page (a failed fetch is retried on the next call). */
export function loadSiteCatalog(): Promise<SiteCatalogEntry[]> {
  loading ??= fetch(`${import.meta.env.BASE_URL.replace(/\/$/, '')}/signatures.json`).then((r) => {
    if (!r.ok) throw new Error(`signatures.json: HTTP ${r.status}`);
    return r.json() as Promise<SiteCatalogEntry[]>;
  });
  loading.catch(() => (loading = undefined));
  return loading;
}
