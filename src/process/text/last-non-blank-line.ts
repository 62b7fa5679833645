/**
 * The last telling line of a whole text (a failed process's stderr, the lines a chunk completed),
 * found from the end without splitting the text into lines.
 */
/**
 * The last line of a whole text that `blank` does not reject, found searching back from the end one
 * line at a time (a text of megabytes is not split), or '' when every line is blank.
 */
export function lastNonBlankLine(text: string, blank: (line: string) => boolean = (line) => line.trim() === ''): string {
  let stop = text.length;
  for (;;) {
    // lastIndexOf(x, -1) looks at index 0, so the start of the text is checked by hand.
    const start = stop === 0 ? -1 : text.lastIndexOf('\n', stop - 1);
    const line = text.slice(start + 1, stop);
    if (!blank(line)) return line;
    if (start < 0) return '';
    stop = start;
  }
}
