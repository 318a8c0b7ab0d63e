import { safeRequestId } from './classify';

/** Commands the reader copies and runs on the gateway host (values are validated or quoted). */

/** POSIX single-quoted shell word. */
export const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface PairingCommands {
  /** `openclaw devices approve <requestId>`; absent when the gateway sent no usable id. */
  approve?: string;
  /** Shows the newest pending request and prints its approve command (does not approve). */
  previewLatest: string;
  list: string;
}

export function pairingCommands(requestId: string | undefined): PairingCommands {
  const id = safeRequestId(requestId);
  return {
    ...(id ? { approve: `openclaw devices approve ${id}` } : {}),
    previewLatest: 'openclaw devices approve --latest',
    list: 'openclaw devices list',
  };
}

export interface AllowedOriginsCommands {
  /** Run first: prints the current list (or says it is unset). */
  inspect: string;
  /**
   * Adds the origin, keeping the existing entries; refuses to write if the list changed since
   * (`--expect-current-*`). A template with `<existing entries>` while the list is not known.
   */
  add: string;
  /** Puts the list back as it was. */
  undo: string;
  /** Whether `add`/`undo` are exact (the current list was given) or templates. */
  exact: boolean;
}

const PATH = 'gateway.controlUi.allowedOrigins';

/**
 * Commands that allow `origin` in gateway.controlUi.allowedOrigins without dropping entries.
 * `current`: the list now (null = unset); undefined = not known yet (then add/undo are templates).
 */
export function allowedOriginsCommands(origin: string, current?: readonly string[] | null): AllowedOriginsCommands {
  const inspect = `openclaw config get ${PATH} --json`;
  if (current === undefined) {
    return {
      inspect,
      add: `openclaw config set ${PATH} '[<existing entries>, ${JSON.stringify(origin)}]'`,
      undo: `openclaw config set ${PATH} '[<existing entries>]'   # or, if it was unset: openclaw config unset ${PATH}`,
      exact: false,
    };
  }
  if (current === null) {
    return {
      inspect,
      add: `openclaw config set ${PATH} ${shellQuote(JSON.stringify([origin]))} --expect-current-absent`,
      undo: `openclaw config unset ${PATH}`,
      exact: true,
    };
  }
  const before = JSON.stringify(current);
  const has = current.some((o) => o.toLowerCase() === origin.toLowerCase());
  const after = JSON.stringify(has ? current : [...current, origin]);
  return {
    inspect,
    add: `openclaw config set ${PATH} ${shellQuote(after)} --expect-current-json ${shellQuote(before)}`,
    undo: `openclaw config set ${PATH} ${shellQuote(before)} --expect-current-json ${shellQuote(after)}`,
    exact: true,
  };
}

/**
 * Reads what `openclaw config get gateway.controlUi.allowedOrigins --json` printed (pasted back
 * by the reader): the list, null when unset, undefined when it is neither.
 */
export function parseAllowedOriginsOutput(text: string): string[] | null | undefined {
  const trimmed = text.trim();
  if (/valid but unset/i.test(trimmed)) return null;
  try {
    const value: unknown = JSON.parse(trimmed);
    if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  } catch {
    /* not JSON */
  }
  return undefined;
}
