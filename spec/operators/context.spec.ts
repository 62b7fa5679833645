/**
 * The section of earlier outputs a run receives with `passOutput`.
 */
import { formatContext, withContext } from '../../src/operators/context';

describe('formatContext', () => {
  it('wraps each earlier output in an <output> element, in order', () => {
    expect(
      formatContext([
        { processId: 'analyze', output: 'found 3 issues\n' },
        { processId: 'fix', output: 'fixed' },
      ]),
    ).toBe(
      '<previous_outputs>\n' +
        '<output process_id="analyze">\nfound 3 issues\n</output>\n' +
        '<output process_id="fix">\nfixed\n</output>\n' +
        '</previous_outputs>\n',
    );
  });

  it('escapes the process id but inserts the output byte-exact', () => {
    const text = formatContext([{ processId: 'a"<b>&c', output: '<tag attr="x"> & </output>\n' }]);
    expect(text).toContain('<output process_id="a&quot;&lt;b&gt;&amp;c">');
    expect(text).toContain('\n<tag attr="x"> & </output>\n</output>\n');
  });

  it('gives an empty section for an empty list', () => {
    expect(formatContext([])).toBe('<previous_outputs>\n</previous_outputs>\n');
  });

  it('keeps an empty output as an empty line', () => {
    expect(formatContext([{ processId: 'x', output: '' }])).toBe(
      '<previous_outputs>\n<output process_id="x">\n\n</output>\n</previous_outputs>\n',
    );
  });
});

describe('withContext', () => {
  it('returns the prompt alone without context', () => {
    expect(withContext('do it', undefined)).toBe('do it');
    expect(withContext('do it', [])).toBe('do it');
  });

  it('appends the section after a blank line', () => {
    const context = [{ processId: 'p', output: 'out\n' }];
    expect(withContext('do it', context)).toBe(`do it\n\n${formatContext(context)}`);
  });
});
