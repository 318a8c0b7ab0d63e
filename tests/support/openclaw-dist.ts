/**
 * The string and template literals of the pinned OpenClaw package (tests/openclaw), read once, for
 * checking that the messages in content/errors are texts the package really prints.
 *
 * A small JavaScript scanner (strings, templates with nested `${…}`, comments, regex literals)
 * runs over every .mjs/.js/.cjs file of the package's dist (about 230 MB, a few seconds). It keeps:
 * - `literals`: every decoded string literal and expression-free template literal;
 * - `templates`: every template literal with expressions, as its cooked static parts (the
 *   `${…}` between them are wildcards).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';

export const OPENCLAW_DIST = new URL('../openclaw/node_modules/openclaw/dist/', import.meta.url).pathname;

export interface DistLiterals {
  files: number;
  bytes: number;
  /** Decoded values of plain string literals and templates without expressions. */
  literals: Set<string>;
  /** Template literals with expressions: static parts (n+1 for n expressions). */
  templates: string[][];
  /** All literal values and template parts joined with \0, for substring search. */
  corpus: string;
  ms: number;
}

function listFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) listFiles(p, out);
    else if (/\.(?:mjs|js|cjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

const CH = {
  quote1: 39, // '
  quote2: 34, // "
  tick: 96, // `
  slash: 47, // /
  backslash: 92,
  star: 42,
  open: 123, // {
  close: 125, // }
  dollar: 36,
  nl: 10,
};

/** Characters after which a `/` starts a regex literal rather than a division. */
const REGEX_AFTER = new Set('(,=:[!&|?{};+-*%<>~^'.split('').map((c) => c.charCodeAt(0)));
const REGEX_KEYWORDS = /(?:^|[^\w$])(?:return|typeof|case|do|else|in|of|void|yield|await|delete|instanceof|new|throw)$/;

class Scanner {
  constructor(
    private readonly src: string,
    private readonly onString: (value: string) => void,
    private readonly onTemplate: (parts: string[]) => void,
  ) {}

  /** Scans code from i; with `inExpr`, stops after the `}` that closes a `${`. Returns the end. */
  code(i: number, inExpr: boolean): number {
    const src = this.src;
    const n = src.length;
    let depth = 0;
    const interesting = /['"`/{}]/g;
    while (i < n) {
      interesting.lastIndex = i;
      const m = interesting.exec(src);
      if (!m) return n;
      i = m.index;
      const c = src.charCodeAt(i);
      if (c === CH.quote1 || c === CH.quote2) {
        i = this.string(i, c);
      } else if (c === CH.tick) {
        i = this.template(i);
      } else if (c === CH.slash) {
        const next = src.charCodeAt(i + 1);
        if (next === CH.slash) {
          const end = src.indexOf('\n', i + 2);
          i = end < 0 ? n : end + 1;
        } else if (next === CH.star) {
          const end = src.indexOf('*/', i + 2);
          i = end < 0 ? n : end + 2;
        } else if (this.regexAllowed(i)) {
          i = this.regex(i);
        } else {
          i++;
        }
      } else if (c === CH.open) {
        depth++;
        i++;
      } else {
        // }
        if (inExpr && depth === 0) return i + 1;
        if (depth > 0) depth--;
        i++;
      }
    }
    return n;
  }

  private regexAllowed(i: number): boolean {
    const src = this.src;
    let j = i - 1;
    while (j >= 0 && (src.charCodeAt(j) === 32 || src.charCodeAt(j) === 9 || src.charCodeAt(j) === 10 || src.charCodeAt(j) === 13)) j--;
    if (j < 0) return true;
    const p = src.charCodeAt(j);
    if (REGEX_AFTER.has(p)) return true;
    if (p === CH.close) return true;
    if ((p >= 97 && p <= 122) || (p >= 65 && p <= 90) || p === 36 || p === 95) {
      return REGEX_KEYWORDS.test(src.slice(Math.max(0, j - 11), j + 1));
    }
    return false;
  }

  /** Skips a regex literal; on anything odd (a newline), treats the slash as a division. */
  private regex(i: number): number {
    const src = this.src;
    let inClass = false;
    for (let j = i + 1; j < src.length; j++) {
      const c = src.charCodeAt(j);
      if (c === CH.backslash) j++;
      else if (c === CH.nl) return i + 1;
      else if (c === 91) inClass = true; // [
      else if (c === 93) inClass = false; // ]
      else if (c === CH.slash && !inClass) return j + 1;
    }
    return i + 1;
  }

  private string(i: number, quote: number): number {
    const src = this.src;
    const q = String.fromCharCode(quote);
    let j = i + 1;
    let value = '';
    for (;;) {
      const end = src.indexOf(q, j);
      const bs = src.indexOf('\\', j);
      if (end < 0) return src.length;
      if (bs < 0 || bs > end) {
        const raw = src.slice(j, end);
        if (raw.includes('\n')) return i + 1; // not a string after all
        value += raw;
        this.onString(value);
        return end + 1;
      }
      value += src.slice(j, bs);
      const [text, next] = unescape(src, bs);
      value += text;
      j = next;
    }
  }

  private template(i: number): number {
    const src = this.src;
    const parts: string[] = [];
    let cooked = '';
    let j = i + 1;
    for (;;) {
      const tick = src.indexOf('`', j);
      const bs = src.indexOf('\\', j);
      const expr = src.indexOf('${', j);
      if (tick < 0) return src.length;
      const first = Math.min(tick, bs < 0 ? Infinity : bs, expr < 0 ? Infinity : expr);
      cooked += src.slice(j, first);
      if (first === tick) {
        parts.push(cooked);
        if (parts.length === 1) this.onString(parts[0]);
        else this.onTemplate(parts);
        return tick + 1;
      }
      if (first === bs) {
        const [text, next] = unescape(src, bs);
        cooked += text;
        j = next;
        continue;
      }
      parts.push(cooked);
      cooked = '';
      j = this.code(expr + 2, true);
    }
  }
}

/** Decodes one escape sequence at `at` (a backslash); returns the text and the index after it. */
function unescape(src: string, at: number): [string, number] {
  const c = src[at + 1];
  switch (c) {
    case 'n':
      return ['\n', at + 2];
    case 't':
      return ['\t', at + 2];
    case 'r':
      return ['\r', at + 2];
    case 'b':
      return ['\b', at + 2];
    case 'f':
      return ['\f', at + 2];
    case 'v':
      return ['\v', at + 2];
    case '0':
      return ['\0', at + 2];
    case '\n':
      return ['', at + 2];
    case '\r':
      return ['', src[at + 2] === '\n' ? at + 3 : at + 2];
    case 'x': {
      const hex = src.slice(at + 2, at + 4);
      return /^[0-9a-fA-F]{2}$/.test(hex) ? [String.fromCharCode(parseInt(hex, 16)), at + 4] : ['x', at + 2];
    }
    case 'u': {
      if (src[at + 2] === '{') {
        const end = src.indexOf('}', at + 3);
        const cp = parseInt(src.slice(at + 3, end), 16);
        return Number.isFinite(cp) && cp <= 0x10ffff ? [String.fromCodePoint(cp), end + 1] : ['u', at + 2];
      }
      const hex = src.slice(at + 2, at + 6);
      return /^[0-9a-fA-F]{4}$/.test(hex) ? [String.fromCharCode(parseInt(hex, 16)), at + 6] : ['u', at + 2];
    }
    default:
      return [c ?? '', at + 2];
  }
}

/** Reads and scans the pinned package (call once; the result is large, keep it only while needed). */
export function distLiterals(dir = OPENCLAW_DIST): DistLiterals {
  const t0 = performance.now();
  const files = listFiles(dir);
  const seen = new Set<string>();
  const literals = new Set<string>();
  const templateKeys = new Set<string>();
  const templates: string[][] = [];
  let bytes = 0;
  for (const file of files) {
    const src = readFileSync(file, 'utf8');
    bytes += src.length;
    const hash = createHash('sha1').update(src).digest('hex');
    if (seen.has(hash)) continue;
    seen.add(hash);
    new Scanner(
      src,
      (s) => literals.add(s),
      (parts) => {
        const key = parts.join('\u0001');
        if (!templateKeys.has(key)) {
          templateKeys.add(key);
          templates.push(parts);
        }
      },
    ).code(0, false);
  }
  const pieces = new Set<string>(literals);
  for (const t of templates) for (const p of t) if (p) pieces.add(p);
  return { files: files.length, bytes, literals, templates, corpus: [...pieces].join('\0'), ms: Math.round(performance.now() - t0) };
}

// ---- Matching a catalog message against the literals ---------------------------------------

const PLACEHOLDER = /<[^<>\s][^<>]*>/g;
/**
 * A template match must contain a whole static part of at least MIN_ANCHOR characters, or a
 * piece of at least MIN_EDGE characters where the text starts or ends inside a static part
 * (shorter ones, like " failed" or "connect ", match unrelated templates).
 */
const MIN_ANCHOR = 6;
const MIN_EDGE = 16;
const edgeCredit = (n: number) => (n >= MIN_EDGE ? n : 0);
const WORD = /[A-Za-z0-9_]/;

/** How one literal part of a message was found. */
export type PartProof =
  | { part: string; how: 'verbatim' }
  | { part: string; how: 'template'; template: string; filled: string[] }
  | { part: string; how: 'missing' };

/** The literal parts of a catalog message: the text split on its `<placeholders>`. */
export const literalParts = (text: string) => text.split(PLACEHOLDER).filter((p) => p.length > 0);

/**
 * Finds each literal part of a message in the package: verbatim inside a string or template
 * literal, or as an instance of a template literal whose `${…}` are wildcards. What a wildcard
 * stands for in the message must itself come from the package (a whole string literal, a number,
 * `SomeError: ` + such text as String(error) prints, or another template), so a message cannot
 * pass just because a template has a `${…}` where the message has made-up text.
 */
export class MessageProver {
  /** Static parts of 4+ characters by their first and by their last three characters. */
  private readonly byStart = new Map<string, [number, number][]>();
  private readonly byEnd = new Map<string, [number, number][]>();
  private readonly explainedMemo = new Map<string, boolean>();
  private readonly templateMemo = new Map<string, { parts: string[]; filled: string[] } | null>();
  /** Nested template searches left for the current part (keeps pathological texts cheap). */
  private budget = 0;

  constructor(private readonly dist: DistLiterals) {
    const add = (map: Map<string, [number, number][]>, key: string, entry: [number, number]) => {
      const list = map.get(key);
      if (list) list.push(entry);
      else map.set(key, [entry]);
    };
    dist.templates.forEach((parts, t) =>
      parts.forEach((p, k) => {
        if (p.length < 4) return;
        add(this.byStart, p.slice(0, 3), [t, k]);
        add(this.byEnd, p.slice(-3), [t, k]);
      }),
    );
  }

  prove(text: string): PartProof[] {
    return literalParts(text).map((part) => this.provePart(part));
  }

  provePart(raw: string): PartProof {
    // Spaces and separators next to a placeholder usually come from the code that joins the
    // pieces (`${a} ${b}`, parts.join(", ")), so they need not be in the same literal.
    this.budget = 300;
    const trimmed = raw.replace(/^[\s,;]+|[\s,;]+$/g, '');
    for (const part of trimmed && trimmed !== raw ? [raw, trimmed] : [raw]) {
      if (this.dist.corpus.includes(part)) return { part, how: 'verbatim' };
    }
    for (const part of trimmed && trimmed !== raw ? [raw, trimmed] : [raw]) {
      const hit = this.matchAnyTemplate(part, 0) ?? this.concatenation(part);
      if (hit) return { part, how: 'template', template: hit.parts.join('${…}'), filled: hit.filled };
    }
    return { part: raw, how: 'missing' };
  }

  /**
   * `a + b` in the code: the text splits (after a space or punctuation) into a piece that ends a
   * literal or template and a piece that starts a literal.
   */
  private concatenation(text: string): { parts: string[]; filled: string[] } | null {
    const { corpus } = this.dist;
    for (let k = 8; k <= text.length - 8; k++) {
      // Where code usually joins two literals: after a sentence or clause.
      if (!(/[.:;]/.test(text[k - 2]) && text[k - 1] === ' ') && !/[.:;]/.test(text[k - 1])) continue;
      const head = text.slice(0, k);
      const tail = text.slice(k);
      if (!corpus.includes(`\0${tail}`)) continue;
      if (corpus.includes(`${head}\0`)) return { parts: [head, tail], filled: [] };
      for (const t of this.candidates(head)) {
        const parts = this.dist.templates[t];
        const anchored = [...parts.slice(0, -1), `${parts[parts.length - 1]}\0`];
        const filled = this.matchTemplate(`${head}\0`, anchored, 0);
        if (filled) return { parts: [...parts, ` + ${tail}`], filled };
      }
    }
    return null;
  }

  /** Templates with a static part (4+ characters) that the text contains, starts inside or ends inside. */
  private candidates(text: string): number[] {
    const ids = new Set<number>();
    const { templates } = this.dist;
    for (let q = 0; q + 3 <= text.length; q++) {
      for (const [t, k] of this.byStart.get(text.slice(q, q + 3)) ?? []) {
        if (ids.has(t)) continue;
        const s = templates[t][k];
        if (text.startsWith(s, q) || (text.length - q >= 4 && q + s.length > text.length && s.startsWith(text.slice(q)))) ids.add(t);
      }
    }
    for (let e = 4; e <= text.length; e++) {
      for (const [t, k] of this.byEnd.get(text.slice(e - 3, e)) ?? []) {
        if (ids.has(t)) continue;
        const s = templates[t][k];
        if (e < s.length && s.endsWith(text.slice(0, e))) ids.add(t);
      }
    }
    return [...ids].sort((a, b) => a - b);
  }

  private matchAnyTemplate(text: string, depth: number): { parts: string[]; filled: string[] } | null {
    const key = `${depth}\u0001${text}`;
    if (this.templateMemo.has(key)) return this.templateMemo.get(key)!;
    let hit: { parts: string[]; filled: string[] } | null = null;
    for (const id of this.candidates(text)) {
      const parts = this.dist.templates[id];
      const filled = this.matchTemplate(text, parts, depth);
      if (filled) {
        hit = { parts, filled };
        break;
      }
    }
    this.templateMemo.set(key, hit);
    return hit;
  }

  /** What a `${…}` may stand for in a message. */
  private explained(x: string, depth: number): boolean {
    if (x === '' || /^\d+$/.test(x)) return true;
    const key = `${depth}\u0001${x}`;
    const memo = this.explainedMemo.get(key);
    if (memo !== undefined) return memo;
    const { literals } = this.dist;
    let ok = literals.has(x) || (x.trim() !== '' && literals.has(x.trim()));
    if (!ok) {
      const err = /^([A-Z][A-Za-z]*Error): ([\s\S]*)$/.exec(x);
      if (err && literals.has(err[1])) ok = this.explained(err[2], depth);
    }
    if (!ok && depth < 1 && x.length >= 8) {
      if (this.budget <= 0) return false; // not memoized: a later part gets a fresh budget
      this.budget--;
      ok = this.matchAnyTemplate(x, depth + 1) !== null;
    }
    this.explainedMemo.set(key, ok);
    return ok;
  }

  /**
   * `text` as (a piece of) an instance of the template: it may start inside a static part or a
   * wildcard and end inside one; every static part in between must match exactly, and at least
   * it must contain an anchor (MIN_ANCHOR, MIN_EDGE). Returns what the wildcards stood for, or null.
   */
  private matchTemplate(text: string, parts: string[], depth: number): string[] | null {
    const n = parts.length - 1; // number of wildcards
    const filled: string[] = [];

    /** Positions q ≥ from where static part s can start (or where the text ends inside it). */
    const starts = (s: string, from: number): number[] => {
      if (!s) {
        const all: number[] = [];
        for (let q = from; q <= text.length; q++) all.push(q);
        return all;
      }
      const out: number[] = [];
      for (let q = text.indexOf(s, from); q >= 0; q = text.indexOf(s, q + 1)) out.push(q);
      for (let q = Math.max(from, text.length - s.length + 1); q < text.length; q++) if (s.startsWith(text.slice(q))) out.push(q);
      return out;
    };
    // After static part k ended at p: the text ends, or a wildcard then part k+1 follows.
    const after = (k: number, p: number, st: number): boolean => {
      if (p === text.length) return st >= MIN_ANCHOR;
      if (k >= n) return false;
      for (const q of starts(parts[k + 1], p)) {
        // Two wildcards in a row: do not split a word between them.
        if (!parts[k + 1] && q > p && q < text.length && WORD.test(text[q - 1]) && WORD.test(text[q])) continue;
        const absorbed = text.slice(p, q);
        if (!this.explained(absorbed, depth)) continue;
        filled.push(absorbed);
        if (at(k + 1, q, st)) return true;
        filled.pop();
      }
      const rest = text.slice(p);
      if (st >= MIN_ANCHOR && this.explained(rest, depth)) {
        filled.push(rest);
        return true;
      }
      return false;
    };
    // Static part k starts at p (the text may end inside it).
    const at = (k: number, p: number, st: number): boolean => {
      const s = parts[k];
      const left = text.length - p;
      if (left < s.length) return left > 0 && s.startsWith(text.slice(p)) && Math.max(st, edgeCredit(left)) >= MIN_ANCHOR;
      if (!text.startsWith(s, p)) return false;
      return after(k, p + s.length, Math.max(st, s.length));
    };

    for (let a = 0; a <= n; a++) {
      const s = parts[a];
      // Starts inside static part a: with a non-empty suffix of it (or all of it).
      for (let len = Math.min(s.length, text.length); len >= 1; len--) {
        if (!s.endsWith(text.slice(0, len))) continue;
        filled.length = 0;
        if (after(a, len, len === s.length ? len : edgeCredit(len))) return [...filled];
      }
      // Starts inside the wildcard before static part a.
      if (a >= 1 && s.length >= 3) {
        for (const q of starts(s, 1)) {
          const absorbed = text.slice(0, q);
          if (!this.explained(absorbed, depth)) continue;
          filled.length = 0;
          filled.push(absorbed);
          if (at(a, q, 0)) return [...filled];
        }
      }
    }
    return null;
  }
}
