import { getCollection } from 'astro:content';
import { marked } from 'marked';
import type { Signature } from './schema';

/** All signatures, sorted by layer order then title. Build-time only (reads `astro:content`). */
export async function loadSignatures(): Promise<Signature[]> {
  const entries = await getCollection('errors');
  const signatures = entries.map((e) => ({ id: e.id, ...e.data }));
  const ids = new Set(signatures.map((s) => s.id));
  for (const s of signatures) {
    for (const r of s.related) {
      if (!ids.has(r)) throw new Error(`content/errors/${s.id}.yaml: related id "${r}" is not a signature`);
    }
  }
  return signatures;
}

export const signatureUrl = (id: string) => `/errors/${id}/`;

/** Markdown from a signature field, as HTML (our own content, never gateway text). */
export const markdown = (text: string) => marked.parse(text, { async: false });
export const inlineMarkdown = (text: string) => marked.parseInline(text, { async: false });
