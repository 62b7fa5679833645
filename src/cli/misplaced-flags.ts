/**
 * Flags given to a command they do not apply to (`parallel --batch-size 3`, `debate --exec`):
 * refused as a usage error naming the commands the flag is for, never silently ignored. A flag
 * applies where its command's `--help` shows it (`hiddenFor`). Words after a bare `--` are
 * positionals, not flags.
 */
import { FLAGS, hiddenFor, type CommandName } from './flags';

/** Short aliases (`-j`) and `--no-<flag>` forms, by the flag they stand for. */
function flagKey(word: string): string | undefined {
  if (word.startsWith('--')) {
    const name = word.slice(2).replace(/=.*$/s, '');
    if (name in FLAGS) return name;
    if (name.startsWith('no-') && name.slice(3) in FLAGS) return name.slice(3);
    return undefined;
  }
  if (/^-[A-Za-z]$/.test(word)) {
    const letter = word.slice(1);
    return Object.keys(FLAGS).find((key) => {
      const alias = FLAGS[key].option.alias;
      return alias === letter || (Array.isArray(alias) && alias.includes(letter));
    });
  }
  return undefined;
}

/** `a`, `a and b`, `a, b and c`. */
function spoken(words: readonly string[]): string {
  return words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** One message per flag given to `command` that does not apply to it. */
export function misplacedFlags(argv: readonly string[], command: CommandName): string[] {
  const hidden = new Set(hiddenFor(command));
  const end = argv.indexOf('--');
  const words = end === -1 ? argv : argv.slice(0, end);
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const word of words) {
    const key = flagKey(word);
    // A flag on no command is internal (`--dashboard=<port>` becomes one): its own check speaks.
    if (key === undefined || !hidden.has(key) || seen.has(key) || FLAGS[key].on.length === 0) continue;
    seen.add(key);
    messages.push(`--${key} applies to ${spoken(FLAGS[key].on)}, not ${command}`);
  }
  return messages;
}
