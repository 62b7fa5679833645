/**
 * Two passes over output bytes, each done by the native addon `build/rxo-bytes.node`
 * (native/bytes.c: memchr and memcpy) when it is built, and otherwise in JavaScript here, with
 * the same result, several times slower (the bench's logging and terminal scenarios):
 *
 * - `markLines`: output into process-log lines: each line of a block, cut at `\n`, written after
 *   a prefix (`<time> INFO stdout | `) and ended with `\n`; a line longer than `maxLine` bytes in
 *   pieces of at most that many, each a line of its own, never cut inside a UTF-8 character.
 * - `collapseCrlf`: terminal output as text: each `\r\n` (a newline, as a terminal writes it)
 *   made `\n`.
 */
import { join } from 'node:path';

/**
 * Writes the lines of `src[0, srcLength)` into `dst` from `dstOffset`; returns the bytes written,
 * or minus the bytes needed (nothing written) when `dst` lacks the room.
 */
export type MarkLines = (src: Buffer, srcLength: number, prefix: Buffer, dst: Buffer, dstOffset: number, maxLine: number) => number;

/**
 * Copies `src[0, srcLength)` into `dst` from `dstOffset` without the `\r` of each `\r\n`; returns
 * the bytes written. `dst` must have `srcLength` bytes of room after `dstOffset`.
 */
export type CollapseCrlf = (src: Buffer, srcLength: number, dst: Buffer, dstOffset: number) => number;

/** Where the build puts it, from dist/process/text or src/process/text: the package root's build/. */
const ADDON = join(__dirname, '..', '..', '..', 'build', 'rxo-bytes.node');

/** The end of a piece that starts at `start` when the line goes on past `start + max`: before a lead byte. */
function pieceEnd(src: Buffer, start: number, max: number): number {
  let end = start + max;
  while (end > start && (src[end] & 0xc0) === 0x80) end -= 1;
  return end > start ? end : start + max;
}

/** The lines and pieces of `src`, as [start, end) pairs, through `each`; returns the bytes they take marked. */
function walk(whole: Buffer, length: number, prefixLength: number, max: number, each?: (start: number, end: number) => void): number {
  const src = whole.length === length ? whole : whole.subarray(0, length);
  let at = 0;
  let out = 0;
  while (at < length) {
    const newline = src.indexOf(10, at);
    const lineEnd = newline < 0 ? length : newline;
    let start = at;
    do {
      const end = lineEnd - start > max ? pieceEnd(src, start, max) : lineEnd;
      each?.(start, end);
      out += prefixLength + end - start + 1;
      start = end;
    } while (start < lineEnd);
    at = lineEnd + 1;
  }
  return out;
}

/** `MarkLines` in JavaScript: what the addon does, for a host where it could not be built. */
export const markLinesJs: MarkLines = (src, srcLength, prefix, dst, dstOffset, maxLine) => {
  const needed = walk(src, srcLength, prefix.length, maxLine);
  if (needed > dst.length - dstOffset) return -needed;
  let out = dstOffset;
  walk(src, srcLength, prefix.length, maxLine, (start, end) => {
    out += prefix.copy(dst, out);
    out += src.copy(dst, out, start, end);
    dst[out] = 10;
    out += 1;
  });
  return needed;
};

/** `CollapseCrlf` in JavaScript: what the addon does, for a host where it could not be built. */
export const collapseCrlfJs: CollapseCrlf = (src, srcLength, dst, dstOffset) => {
  const view = src.length === srcLength ? src : src.subarray(0, srcLength);
  let at = 0;
  let out = dstOffset;
  for (;;) {
    const pair = view.indexOf('\r\n', at);
    const end = pair < 0 ? srcLength : pair;
    out += view.copy(dst, out, at, end);
    if (pair < 0) return out - dstOffset;
    at = pair + 1; // the '\n' starts the next copy
  }
};

interface Addon {
  mark: MarkLines;
  collapse: CollapseCrlf;
}

function load(): Addon | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(ADDON) as Addon;
  } catch {
    return undefined;
  }
}

const addon = load();

/** The addon's `mark`, when it is built (`node scripts/build-native.js`). */
export const markLinesNative: MarkLines | undefined = addon?.mark;

/** The marker logs use: the addon's, else the JavaScript one. */
export const markLines: MarkLines = markLinesNative ?? markLinesJs;

/** The addon's `collapse`, when it is built. */
export const collapseCrlfNative: CollapseCrlf | undefined = addon?.collapse;

/** What terminal output goes through: the addon's, else the JavaScript one. */
export const collapseCrlf: CollapseCrlf = collapseCrlfNative ?? collapseCrlfJs;
