import type { APIRoute } from 'astro';
import { loadSignatures, signatureUrl, inlineMarkdown } from '~/signatures/collection';

/**
 * The signature catalog as the browser needs it: search pins exact matches with it and the
 * live checker renders verdicts and fixes from it. Built from content/errors/, nothing else.
 */
export const GET: APIRoute = async () => {
  const signatures = await loadSignatures();
  const catalog = signatures.map((s) => ({
    id: s.id,
    title: s.title,
    summary: s.summary,
    layer: s.layer,
    url: signatureUrl(s.id),
    detailsCode: s.detailsCode,
    detailsMatch: s.detailsMatch,
    close: s.close,
    messages: s.messages.map((m) => ({ text: m.text })),
    fix: s.fix.map((step) => ({ html: inlineMarkdown(step.text), commands: step.commands })),
  }));
  return new Response(JSON.stringify(catalog), { headers: { 'content-type': 'application/json' } });
};
