import type { APIRoute } from 'astro';
import { loadSignatures, signatureUrl, inlineMarkdown } from '~/signatures/collection';
import { toCatalog } from '~/checker/core/catalog';

/**
 * The signature catalog as the browser needs it: search pins exact matches with it and the
 * live checker renders verdicts and fixes from it. Built from content/errors/, nothing else.
 */
export const GET: APIRoute = async () => {
  const signatures = await loadSignatures();
  // The core's fields (toCatalog), plus the page link and the fix steps the checker shows.
  const catalog = toCatalog(signatures).map((entry, i) => ({
    ...entry,
    url: signatureUrl(entry.id),
    fix: signatures[i].fix.map((step) => ({ html: inlineMarkdown(step.text), commands: step.commands })),
  }));
  return new Response(JSON.stringify(catalog), { headers: { 'content-type': 'application/json' } });
};
