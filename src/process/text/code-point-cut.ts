/**
 * Cutting text without splitting a character. JavaScript strings count UTF-16 units, and a
 * character outside the Basic Multilingual Plane (an emoji, `𝄞`) takes two of them, a surrogate
 * pair. A `slice` between the two leaves a lone surrogate on each side: invalid text that a
 * UTF-8 encoder turns into U+FFFD and a terminal shows as garbage. Every place that cuts text
 * to a length (long lines, `maxBuffer`, the 300-character `error`, the status line) cuts here.
 */

/** True for the second unit of a surrogate pair (0xDC00-0xDFFF). */
function isLowSurrogate(unit: number): boolean {
  return unit >= 0xdc00 && unit <= 0xdfff;
}

/** True for the first unit of a surrogate pair (0xD800-0xDBFF). */
function isHighSurrogate(unit: number): boolean {
  return unit >= 0xd800 && unit <= 0xdbff;
}

/**
 * Where to end a piece of `text` that may hold up to `max` units: `max`, or `max - 1` when
 * `max` falls inside a surrogate pair. So that a loop cutting pieces always moves on, a piece
 * that would be empty because `text` starts with a pair and `max` is 1 ends after the pair.
 */
export function codePointEnd(text: string, max: number): number {
  if (max >= text.length) return text.length;
  if (max <= 0) return 0;
  if (!isLowSurrogate(text.charCodeAt(max)) || !isHighSurrogate(text.charCodeAt(max - 1))) return max;
  return max > 1 ? max - 1 : max + 1;
}

/**
 * Where to start keeping the end of `text` when the units before `start` go: `start`, or
 * `start + 1` when `start` falls inside a surrogate pair (the whole character goes).
 */
export function codePointStart(text: string, start: number): number {
  if (start <= 0) return 0;
  if (start >= text.length) return text.length;
  return isLowSurrogate(text.charCodeAt(start)) && isHighSurrogate(text.charCodeAt(start - 1)) ? start + 1 : start;
}

/**
 * The first `max` UTF-16 units of `text`, one fewer when the cut would split a character
 * (never more than `max`).
 *
 * @example
 * ```ts ignore
 * cutAtCodePoint('ab😀', 3); // 'ab' (not 'ab\ud83d')
 * cutAtCodePoint('ab😀', 4); // 'ab😀'
 * ```
 */
export function cutAtCodePoint(text: string, max: number): string {
  if (max >= text.length) return text;
  return text.slice(0, Math.min(max, codePointEnd(text, Math.max(0, max))));
}
