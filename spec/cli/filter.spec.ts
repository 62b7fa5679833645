/**
 * `--filter <regex>` without a terminal: only matching output lines are shown live; the summary,
 * summary.json and the process logs stay complete; `--json` events are filtered alike; a bad
 * regular expression is a usage error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fixture, tempDirs } from '../helpers';
import { destroyRunning, printedLogDir, runCli, summaryOf, tableRows, type CliOutcome } from './helpers';
import type { ProcessEvent } from '../../src/process/types';

const temp = tempDirs('rxo-cli-filter-');
afterEach(destroyRunning);
afterAll(() => temp.cleanup());

/** An --exec command printing `lines` (one argument each) and exiting `code`. */
function printer(lines: string[], code = 0): string {
  const args = lines.flatMap((line) => ['--out', `${line}\n`]);
  return [process.execPath, fixture('gated-output.js'), ...args, '--code', String(code)].map((word) => `'${word}'`).join(' ');
}

describe('--filter', () => {
  let dir: string;
  let outcome: CliOutcome;

  beforeAll(async () => {
    dir = temp.make('plain');
    outcome = await runCli(
      ['parallel', '--exec', printer(['build ok', 'WARN: deprecated api', 'tests ok']), printer(['lint ok', 'error: missing semicolon'], 2), '--filter', 'warn|error', '--working-dir', dir],
      { cwd: dir },
    );
  });

  it('shows only the matching lines live, still every status line and the full summary', () => {
    expect(outcome.code).toBe(1);
    const live = outcome.stdout.split('\n').filter((line) => /^\[process_00\d\] /.test(line));
    expect(live.filter((line) => !/\] (started \(pid \d+\)|done|failed)/.test(line))).toEqual(['[process_002] error: missing semicolon']);
    expect(live.filter((line) => /\] (done|failed)/.test(line))).toHaveLength(2);
    expect(tableRows(outcome.stdout).map((row) => [row.id, row.exit]).sort()).toEqual([['process_001', 0], ['process_002', 2]]);
  });

  it('is case-sensitive like any RegExp: WARN did not match warn', () => {
    expect(outcome.stdout).not.toContain('WARN: deprecated api');
  });

  it('keeps summary.json and the process logs complete', () => {
    const summary = summaryOf(outcome);
    const byId = new Map(summary.results.map((r) => [r.processId, r.output]));
    expect(byId.get('process_001')).toBe('build ok\nWARN: deprecated api\ntests ok\n');
    const log = readFileSync(join(printedLogDir(outcome.stdout), 'process_001.log'), 'utf8');
    expect(log).toContain('WARN: deprecated api');
    expect(log).toContain('tests ok');
  });
});

it('--json with --filter: output events are whole matching lines; start and result events all there', async () => {
  const dir = temp.make('json');
  const outcome = await runCli(['run', '--exec', printer(['one', 'two', 'three']), '--json', '--filter', '^t', '--working-dir', dir], { cwd: dir });
  expect(outcome.code).toBe(0);
  const events = outcome.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as ProcessEvent);
  expect(events.map((e) => (e.type === 'output' ? e.chunk : e.type))).toEqual(['start', 'two\n', 'three\n', 'result']);
  const last = events[events.length - 1];
  expect(last.type === 'result' && last.result.output).toBe('one\ntwo\nthree\n');
});

it('a bad regular expression is a usage error naming it: exit 2, nothing run', async () => {
  const dir = temp.make('bad');
  const outcome = await runCli(['parallel', '--exec', 'true', '--filter', 'a(b', '--working-dir', dir], { cwd: dir });
  expect(outcome.code).toBe(2);
  expect(outcome.stderr).toBe(
    'orchestrate: --filter must be a valid regular expression, received "a(b": Invalid regular expression: /a(b/: Unterminated group\nRun \'orchestrate parallel --help\' for usage.\n',
  );
  expect(outcome.stdout).toBe('');
});
