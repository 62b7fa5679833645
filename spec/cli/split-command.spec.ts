/**
 * `splitCommand`: how an `--exec` command line becomes argv (POSIX-shell word splitting, no
 * expansion, nothing run by a shell).
 */
import { splitCommand } from '../../src/cli/split-command';

describe('splitCommand', () => {
  it('splits on any run of whitespace and ignores leading and trailing whitespace', () => {
    expect(splitCommand('echo hi')).toEqual(['echo', 'hi']);
    expect(splitCommand('  ls \t -la\n /tmp  ')).toEqual(['ls', '-la', '/tmp']);
  });

  it('keeps single-quoted text literally, backslashes and double quotes included', () => {
    expect(splitCommand("echo 'a  b' 'c\\d' '\"q\"'")).toEqual(['echo', 'a  b', 'c\\d', '"q"']);
  });

  it('keeps double-quoted text, honouring only the \\" \\\\ \\$ \\` escapes', () => {
    expect(splitCommand('echo "a  b" "say \\"hi\\"" "back\\\\slash" "\\$HOME" "\\`tick\\`"')).toEqual([
      'echo',
      'a  b',
      'say "hi"',
      'back\\slash',
      '$HOME',
      '`tick`',
    ]);
    // Any other backslash inside double quotes stays as it is.
    expect(splitCommand('printf "a\\nb\\t"')).toEqual(['printf', 'a\\nb\\t']);
    // Single quotes inside double quotes are plain characters.
    expect(splitCommand(`echo "it's"`)).toEqual(['echo', "it's"]);
  });

  it('lets a backslash outside quotes escape the next character, whitespace and quotes included', () => {
    expect(splitCommand('touch a\\ b \\"c\\" \\\\d \\\'e')).toEqual(['touch', 'a b', '"c"', '\\d', "'e"]);
  });

  it('joins adjacent quoted and unquoted pieces into one word', () => {
    expect(splitCommand(`a"b c"'d e'f`)).toEqual(['ab cd ef']);
    expect(splitCommand('--name="John Smith"')).toEqual(['--name=John Smith']);
  });

  it('keeps empty quoted words', () => {
    expect(splitCommand(`printf '%s|' '' ""`)).toEqual(['printf', '%s|', '', '']);
  });

  it('keeps $(), backticks, ;, |, &&, >, * and ~ as literal characters', () => {
    expect(splitCommand('echo $(rm -rf /) `id`;ls | cat && true > out * ~ $HOME')).toEqual([
      'echo',
      '$(rm',
      '-rf',
      '/)',
      '`id`;ls',
      '|',
      'cat',
      '&&',
      'true',
      '>',
      'out',
      '*',
      '~',
      '$HOME',
    ]);
    expect(splitCommand('sh -c "exit 3; echo no"')).toEqual(['sh', '-c', 'exit 3; echo no']);
  });

  it('keeps a trailing lone backslash', () => {
    expect(splitCommand('echo a\\')).toEqual(['echo', 'a\\']);
  });

  it('rejects an unterminated single or double quote with a TypeError naming it', () => {
    expect(() => splitCommand("echo 'oops")).toThrow(TypeError);
    expect(() => splitCommand("echo 'oops")).toThrow(/unterminated single quote/);
    expect(() => splitCommand('echo "oops')).toThrow(/unterminated double quote/);
    expect(() => splitCommand('echo "it\\"')).toThrow(/unterminated double quote/);
  });

  it('rejects an empty or blank command with a TypeError', () => {
    expect(() => splitCommand('')).toThrow(TypeError);
    expect(() => splitCommand('')).toThrow(/empty command/);
    expect(() => splitCommand(' \t\n ')).toThrow(/empty command/);
  });

  it('accepts a command that is only an empty quoted word (it fails later as command not found)', () => {
    expect(splitCommand("''")).toEqual(['']);
  });
});
