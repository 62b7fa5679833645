/**
 * `--exec -`: commands read from stdin, one per line, as GNU parallel reads its input. Blank
 * lines are skipped and a trailing `\r` is dropped; each line is split into argv like any
 * `--exec` command (no shell). Stdin must not be a terminal (nobody would know to type).
 *
 * yargs drops a lone `-` from positionals, so before parsing each `-` that is not an option's
 * value is swapped for a placeholder no real argument can equal (it holds NUL bytes).
 */

/** Stands for `-` among the positionals while yargs parses. */
export const STDIN_WORD = '\0rxo-stdin\0';

/**
 * Replaces each `-` that is a positional (not the value of the option before it) by `STDIN_WORD`.
 * `flags` are the options that take no value; any other `--option` (without `=`) takes the next word.
 */
export function protectStdinDash(argv: readonly string[], flags: ReadonlySet<string>): string[] {
  const out: string[] = [];
  let afterDoubleDash = false;
  for (let i = 0; i < argv.length; i += 1) {
    const word = argv[i];
    if (word === '--') afterDoubleDash = true;
    const previous = i > 0 ? argv[i - 1] : '';
    const isValue = !afterDoubleDash && /^--?[^-=][^=]*$/.test(previous) && !flags.has(previous.replace(/^--?/, ''));
    // After `--` a lone `-` is an ordinary argument (a prompt or command that is just "-").
    out.push(word === '-' && !isValue && !afterDoubleDash ? STDIN_WORD : word);
  }
  return out;
}

/** The non-blank lines of `text`, without line ends. */
export function commandLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.replace(/\r$/, ''))
    .filter((line) => line.trim() !== '');
}

/** Reads `stream` to its end, as UTF-8 text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Puts the commands from stdin where `STDIN_WORD` (a `-` before any `--`) stands in `items`. Throws a TypeError (a usage error)
 * when `-` is given without `--exec`, more than once, or with stdin on a terminal.
 */
export async function expandStdinItems(
  items: readonly string[],
  options: { readonly exec: boolean; readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean } },
): Promise<string[]> {
  const dashes = items.filter((item) => item === STDIN_WORD).length;
  if (dashes === 0) return [...items];
  if (!options.exec) throw new TypeError("'-' reads commands from stdin and needs --exec (prompts are given as arguments)");
  if (dashes > 1) throw new TypeError("'-' (commands from stdin) may be given once");
  if (options.stdin.isTTY) throw new TypeError("--exec -: stdin is a terminal; pipe the commands in, one per line (e.g. printf 'cmd 1\\ncmd 2\\n' | orchestrate parallel --exec -)");
  const lines = commandLines(await readAll(options.stdin));
  return items.flatMap((item) => (item === STDIN_WORD ? lines : [item]));
}
