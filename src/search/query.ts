/**
 * Turns a pasted error line into words worth searching for: request ids, UUIDs, hex device ids,
 * ports and addresses vary per reader and appear on no page, so they are dropped.
 */
export function searchableWords(raw: string): string {
  return raw
    .replace(/\b[0-9a-f]{8}-[0-9a-f-]{4,}[0-9a-f…]*/gi, ' ') // (truncated) UUIDs
    .replace(/\b[0-9a-f]{12,}\b/gi, ' ') // device ids, build hashes
    .replace(/\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?\b/g, ' ') // IPv4[:port]
    .replace(/\b(?:wss?|https?):\/\/\S+/gi, ' ') // URLs
    .replace(/conn=\S+|peer=\S+|\d{4}-\d\d-\d\dT\S+/g, ' ') // log meta
    .replace(/[<>…"'`()[\]{}|,;]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A shorter query for when every word of a long line matches no single page. */
export function firstWords(words: string, count: number): string {
  return words.split(' ').slice(0, count).join(' ');
}
