/**
 * Makes text from a child or a file inert before it reaches a terminal or a line-based record:
 * every character that could move the cursor, retitle the window, clear the screen, end a line or
 * reorder what follows is shown escaped instead, as journalctl does (`\x1b`, `\r`, `\u202e`).
 *
 * Escaped: C0 controls (`\n`, `\r`, `\t` by their short names, the others as `\xNN`; a tab may be
 * kept), DEL, C1 controls U+0080–U+009F (`\x9b` is a one-character CSI), the bidirectional
 * formatting characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069) and the line and
 * paragraph separators U+2028, U+2029 (`\uNNNN`). A backslash is left as it is, so a path stays
 * readable; where a record must be read back (`joblog.tsv`), the caller escapes `\` itself.
 */

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_BUT_TAB = /[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/g;
// eslint-disable-next-line no-control-regex
const ANY_UNSAFE = /[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;
/** Colour and text-style sequences (SGR): `ESC [ params m`. */
// eslint-disable-next-line no-control-regex
const SGR = /\x1b\[[0-9;:]*m/g;

const SHORT: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One unsafe character as text: `\n`, `\r`, `\t`, `\xNN` (up to U+00FF) or `\uNNNN`. */
export function escapeChar(char: string): string {
  const short = SHORT[char];
  if (short) return short;
  const code = char.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export interface EscapeOptions {
  /** Leave tabs as they are (in a line of output, a tab only moves to the next tab stop). @default false */
  readonly keepTab?: boolean;
}

/** Whether a text holds any character `escapeControls` would escape. */
export function hasControls(text: string): boolean {
  return ANY_UNSAFE.test(text);
}

/** The text with every control, bidi and line-separator character escaped; one line whatever it holds. */
export function escapeControls(text: string, options: EscapeOptions = {}): string {
  if (!ANY_UNSAFE.test(text)) return text;
  return text.replace(options.keepTab ? UNSAFE_BUT_TAB : UNSAFE, escapeChar);
}

/**
 * Text from a child or a file made safe to print on a terminal: colour sequences (SGR) removed,
 * every other control character escaped. Whatever it holds, it prints as visible characters on one line.
 *
 * @example
 * ```ts
 * import { inert } from 'rx-orchestration/toolkit';
 * inert('\x1b]0;pwned\x07\x1b[2Jdone\x1b[32m ok\x1b[0m'); // '\\x1b]0;pwned\\x07\\x1b[2Jdone ok'
 * ```
 */
export function inert(text: string, options: EscapeOptions = {}): string {
  if (!ANY_UNSAFE.test(text)) return text;
  return escapeControls(text.includes('\x1b[') ? text.replace(SGR, '') : text, options);
}
