/**
 * "Did you mean --max-workers?" for a mistyped flag (yargs suggests only commands): the known
 * flag nearest by edit distance, when it is near enough to be a typo.
 */

/** Edits (insert, delete, substitute, swap two neighbours) from `a` to `b`. */
export function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j += 1) rows[0][j] = j;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

/** The nearest of `known` to `typed`, or undefined when none is within a third of its length (at least 1, at most 3 edits). */
export function nearest(typed: string, known: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(typed.length / 3)));
  let best: { word: string; distance: number } | undefined;
  for (const word of known) {
    const distance = editDistance(typed, word);
    if (distance <= limit && (!best || distance < best.distance)) best = { word, distance };
  }
  return best?.word;
}

/** Suggestions for yargs' `Unknown argument(s): a, b` message, one line each; [] for any other message. */
export function flagSuggestions(message: string, known: readonly string[]): string[] {
  const match = /^Unknown arguments?: (.+)$/.exec(message);
  if (!match) return [];
  return match[1]
    .split(', ')
    .map((typed) => [typed, nearest(typed, known)] as const)
    .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
    .map(([typed, flag]) => `Did you mean --${flag} (for ${typed.length === 1 ? '-' : '--'}${typed})?`);
}
