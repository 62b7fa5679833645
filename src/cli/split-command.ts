/**
 * Splits a command string into argv the way a POSIX shell splits words, without running or
 * expanding anything: whitespace separates words; single quotes keep everything literally;
 * double quotes keep everything but `\"`, `\\`, `\$` and `` \` `` escapes; a backslash outside
 * quotes escapes the next character. `$`, `*`, `;`, `|` and friends are plain characters.
 */
export function splitCommand(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    if (quote === "'") {
      if (char === "'") quote = null;
      else word += char;
    } else if (quote === '"') {
      if (char === '"') quote = null;
      else if (char === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) word += text[++i];
      else word += char;
    } else if (char === "'" || char === '"') {
      quote = char;
      inWord = true;
    } else if (char === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(char)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (quote) throw new TypeError(`unterminated ${quote === "'" ? 'single' : 'double'} quote in command: ${text}`);
  if (inWord) words.push(word);
  if (words.length === 0) throw new TypeError(`empty command: ${JSON.stringify(text)}`);
  return words;
}
