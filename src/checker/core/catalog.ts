import type { Layer } from '../../signatures/schema';

/**
 * The slice of an error signature (content/errors/*.yaml) the checker and the site search need.
 * Built from the signature collection; there is no second table of errors in code.
 */
export interface CatalogEntry {
  id: string;
  title: string;
  layer: Layer;
  summary?: string;
  detailsCode?: string;
  detailsMatch?: Record<string, string | boolean>;
  errorCode?: string;
  close?: { code: number; reason?: string };
  messages: { text: string; source?: string }[];
}
export type Catalog = readonly CatalogEntry[];

/** Keeps only the fields above (for shipping the catalog to the browser as JSON). */
export function toCatalog(signatures: readonly CatalogEntry[]): CatalogEntry[] {
  return signatures.map((s) => ({
    id: s.id,
    title: s.title,
    layer: s.layer,
    ...(s.summary ? { summary: s.summary } : {}),
    ...(s.detailsCode ? { detailsCode: s.detailsCode } : {}),
    ...(s.detailsMatch ? { detailsMatch: s.detailsMatch } : {}),
    ...(s.errorCode ? { errorCode: s.errorCode } : {}),
    ...(s.close ? { close: s.close } : {}),
    messages: s.messages.map((m) => ({ text: m.text, ...(m.source ? { source: m.source } : {}) })),
  }));
}

/**
 * The signature for an `error.details` object: same `detailsCode`, and among those the one whose
 * `detailsMatch` fields all equal the details (most fields wins); a signature without
 * `detailsMatch` is the fallback for its code.
 */
export function matchDetails(details: Record<string, unknown> | undefined, catalog: Catalog): CatalogEntry | null {
  const code = details?.code;
  if (typeof code !== 'string') return null;
  let best: CatalogEntry | null = null;
  let bestScore = -1;
  for (const entry of catalog) {
    if (entry.detailsCode !== code) continue;
    const match = entry.detailsMatch ?? {};
    const keys = Object.keys(match);
    if (!keys.every((k) => details?.[k] === match[k])) continue;
    if (keys.length > bestScore) {
      best = entry;
      bestScore = keys.length;
    }
  }
  return best;
}

export interface TextMatch {
  id: string;
  entry: CatalogEntry;
  /** The catalog text that matched (with its `<placeholders>`). */
  text: string;
  /** Literal characters of `text` found in the line; higher is better. */
  score: number;
  /** Whether every literal part of `text` was found (false: the line was cut short or partial). */
  complete: boolean;
  /** Other signatures that matched exactly as well (the same text in several signatures). */
  alsoMatches: string[];
}

const PLACEHOLDER = /<[^<>\s][^<>]*>/g;
/** Shortest partial literal accepted at a line end or as a fragment (classification default). */
const MIN_PARTIAL = 12;

export interface MatchOptions {
  /**
   * Shortest fragment of a message that counts as a match (default 12). Search-as-you-type can
   * lower it (e.g. 4); classification keeps the default so short unrelated texts match nothing.
   */
  minFragment?: number;
}

const normalize = (s: string) =>
  s
    .toLowerCase()
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/\s+/g, ' ');
/** A pasted line may end with an ellipsis, a quote or a bracket where it was cut. */
const stripCut = (s: string) => s.replace(/(?:\u2026|\.\.\.|["'`)\]}]|\s)+$/u, '');

function literalParts(text: string): string[] {
  return normalize(text)
    .split(PLACEHOLDER)
    .filter((p) => p.length > 0);
}

/** Score of one catalog text against one (normalized) line. */
function scoreText(line: string, text: string, minFragment: number): { score: number; complete: boolean } {
  const parts = literalParts(text);
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (total === 0) return { score: 0, complete: false };

  // Literal parts in order, placeholders standing for anything.
  let from = 0;
  let found = 0;
  let i = 0;
  for (; i < parts.length; i++) {
    const at = line.indexOf(parts[i], i === 0 ? 0 : from);
    if (at < 0) break;
    found += parts[i].length;
    from = at + parts[i].length;
  }
  if (i === parts.length) return { score: found, complete: true };

  // Cut short: the next part starts and the line ends (close reasons are cut at 120 bytes).
  if (i > 0) {
    const rest = stripCut(line.slice(from));
    const part = parts[i];
    for (let n = Math.min(part.length - 1, rest.length); n >= 1; n--) {
      if (rest.endsWith(part.slice(0, n))) {
        return { score: found + n, complete: false };
      }
    }
    // Placeholder (e.g. a request id) cut off: the line ends inside it.
    if (found >= Math.min(minFragment, MIN_PARTIAL)) return { score: found, complete: false };
  }

  // A fragment pasted from the middle of a message, or the start of it cut off at the line end.
  const trimmed = stripCut(line).trim();
  if (trimmed.length >= minFragment) {
    for (const part of parts) {
      if (part.includes(trimmed)) return { score: trimmed.length, complete: false };
    }
    const first = parts[0];
    for (let n = first.length - 1; n >= minFragment; n--) {
      if (trimmed.endsWith(first.slice(0, n))) return { score: n, complete: false };
    }
  }
  return { score: 0, complete: false };
}

/** All texts of an entry worth matching: its messages and its close reason. */
function textsOf(entry: CatalogEntry): string[] {
  const texts = entry.messages.map((m) => m.text);
  if (entry.close?.reason) texts.push(entry.close.reason);
  return texts;
}

/**
 * The signature whose message best matches a pasted line (an error frame message, a close reason,
 * `disconnected (1008): …`, a CLI or log line). Case-insensitive; surrounding text, cut-off ids
 * and `…` are fine. Longest literal match wins; complete matches beat partial ones of equal length.
 */
export function matchText(line: string, catalog: Catalog, opts: MatchOptions = {}): TextMatch | null {
  const minFragment = Math.max(3, opts.minFragment ?? MIN_PARTIAL);
  const normalized = normalize(line);
  if (normalized.trim().length < 3) return null;
  type Hit = { entry: CatalogEntry; text: string; score: number; complete: boolean };
  const best = new Map<string, Hit>();
  for (const entry of catalog) {
    for (const text of textsOf(entry)) {
      const { score, complete } = scoreText(normalized, text, minFragment);
      if (score === 0) continue;
      const prev = best.get(entry.id);
      if (!prev || score > prev.score || (score === prev.score && complete && !prev.complete)) {
        best.set(entry.id, { entry, text, score, complete });
      }
    }
  }
  const hits = [...best.values()].sort(
    (a, b) => b.score - a.score || Number(b.complete) - Number(a.complete) || a.text.length - b.text.length,
  );
  const top = hits[0];
  if (!top) return null;
  const alsoMatches = hits
    .slice(1)
    .filter((h) => h.score === top.score && h.complete === top.complete && h.text.length === top.text.length)
    .map((h) => h.entry.id);
  return { id: top.entry.id, entry: top.entry, text: top.text, score: top.score, complete: top.complete, alsoMatches };
}

/** All signatures matching a line, best first (for search result lists). */
export function matchTextAll(line: string, catalog: Catalog, limit = 10, opts: MatchOptions = {}): TextMatch[] {
  const results: TextMatch[] = [];
  let remaining = [...catalog];
  while (results.length < limit && remaining.length > 0) {
    const m = matchText(line, remaining, opts);
    if (!m) break;
    results.push(m);
    const drop = new Set([m.id, ...m.alsoMatches]);
    for (const id of m.alsoMatches) {
      const entry = remaining.find((e) => e.id === id);
      if (entry && results.length < limit) results.push({ ...m, id, entry, alsoMatches: [] });
    }
    remaining = remaining.filter((e) => !drop.has(e.id));
  }
  return results;
}

export const findEntry = (catalog: Catalog, id: string) => catalog.find((e) => e.id === id);
