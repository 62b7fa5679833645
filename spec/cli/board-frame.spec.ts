/**
 * The board's layout, as pure functions: durations, terminal widths, rows cut to the width, the
 * footer, and what happens when more processes run than the terminal has rows.
 */
import { boardLines, displayWidth, fit, footerText, formatDuration } from '../../src/cli/board-frame';
import type { ProcessProgress, ProgressSnapshot } from '../../src/progress/progress-types';

function snapshot(running: Array<[string, number, string]>, extra: Partial<ProgressSnapshot> = {}): ProgressSnapshot {
  const processes: ProcessProgress[] = running.map(([processId, elapsed, lastLine]) => ({ processId, state: 'running', startedAt: 0, elapsedMs: elapsed, lastLine, result: null }));
  return { at: 0, elapsedMs: 12_345, total: 5, queued: 1, running: running.length, succeeded: 1, failed: 1, notStarted: 0, cancelled: 0, timedOut: 0, limitExceeded: 0, etaMs: 61_000, processes, ...extra };
}

describe('board layout', () => {
  it('formats durations', () => {
    expect([0, 4_249, 59_949, 60_000, 185_000, 3_720_000].map(formatDuration)).toEqual(['0.0s', '4.2s', '59.9s', '1m00s', '3m05s', '1h02m']);
  });

  it('measures wide characters as two columns and cuts to a width with an ellipsis', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('日本語')).toBe(6);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(fit('abcdef', 4)).toBe('abc…');
    expect(fit('日本語です', 6)).toBe('日本…');
    expect(fit('abc', 3)).toBe('abc');
  });

  it('a row per running process, then the footer; each row fits in columns - 1', () => {
    const lines = boardLines(snapshot([['build', 1_500, 'compiling'], ['a-much-longer-id', 62_000, 'x'.repeat(200)]]), { columns: 60, rows: 20, color: false });
    expect(lines.map((l) => l.text)).toEqual([
      'running build              1.5s  compiling',
      `running a-much-longer-id  1m02s  ${'x'.repeat(25)}…`,
      '── 2 running · 1 queued · 1 succeeded · 1 failed · 12.3s e…',
    ]);
    for (const l of lines) expect(l.width).toBeLessThanOrEqual(59);
  });

  it('the footer says ETA ? until there is an estimate', () => {
    expect(footerText(snapshot([], { etaMs: null }))).toBe('── 0 running · 1 queued · 1 succeeded · 1 failed · 12.3s elapsed · ETA ?');
  });

  it('more running than rows: the rows that fit, then how many more', () => {
    const many = Array.from({ length: 10 }, (_, i): [string, number, string] => [`p${i}`, 0, '']);
    const lines = boardLines(snapshot(many), { columns: 80, rows: 6, color: false });
    expect(lines.map((l) => l.text.trimEnd())).toEqual(['running p0   0.0s', 'running p1   0.0s', 'running p2   0.0s', '… and 7 more running', expect.stringMatching(/^── 10 running/)]);
  });

  it('with colour, only the state word and the footer are painted', () => {
    const [row, foot] = boardLines(snapshot([['a', 0, 'plain text']]), { columns: 80, rows: 20, color: true });
    expect(row.text).toBe('\x1b[33mrunning\x1b[0m a   0.0s  plain text');
    expect(foot.text.startsWith('\x1b[1m── ')).toBe(true);
  });
});
