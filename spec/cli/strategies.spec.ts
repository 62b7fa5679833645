/**
 * The strategy commands run for real with `--exec`: exit code 0 exactly when the strategy
 * succeeded, 1 otherwise; what runs and what never runs; `--pass-output`. The CLI runs in this
 * process (`cli(argv, io)`); the commands it starts are real processes.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { ResultEvent } from '../../src/process/types';
import { resultsById } from '../../src/strategies/results';
import {
  AGENT,
  cliSpecDir,
  jsonEvents,
  runCliInProcess,
  summaryOf,
  tableRows,
  type CliOutcome,
} from './helpers';

const spec = cliSpecDir('strategies', { inProcess: true });
const { cli, touch } = spec;

function explain(outcome: CliOutcome): string {
  return `exit ${outcome.code}\nstdout:\n${outcome.stdout}\nstderr:\n${outcome.stderr}`;
}

describe('run', () => {
  it('exits 0 when the command succeeds and shows its output', async () => {
    const outcome = await cli('run', '--exec', 'echo hello world');
    expect({ code: outcome.code, why: explain(outcome) }).toMatchObject({ code: 0 });
    expect(outcome.stdout).toMatch(/^\[process_001\] hello world$/m);
    expect(tableRows(outcome.stdout)).toEqual([expect.objectContaining({ id: 'process_001', exit: 0, status: 'ok' })]);
  });

  it('exits 1 when the command fails, and shows its exit code', async () => {
    const outcome = await cli('run', '--exec', 'sh -c "exit 3"');
    expect(outcome.code).toBe(1);
    expect(tableRows(outcome.stdout)).toEqual([
      expect.objectContaining({ id: 'process_001', exit: 3, status: 'failed: exited with code 3' }),
    ]);
  });

  it('passes the argv through without a shell: quotes are removed, $ and * stay literal', async () => {
    const outcome = await cli('run', '--exec', `printf '%s|' 'a  b' $HOME '*' "x;y" $(id)`);
    expect(outcome.code).toBe(0);
    expect(summaryOf(outcome).results[0].output).toBe('a  b|$HOME|*|x;y|$(id)|');
  });
});

describe('flags before the commands', () => {
  it('never eat a following word: --exec false true runs the commands `false` and `true`', async () => {
    const outcome = await cli('parallel', '--exec', 'false', 'true');
    expect(outcome.code).toBe(1);
    const results = resultsById(summaryOf(outcome).results);
    expect(results.get('process_001')).toMatchObject({ exitCode: 1, output: '' });
    expect(results.get('process_002')).toMatchObject({ exitCode: 0, output: '' });
    expect(summaryOf(outcome).details).toMatchObject({ exec: true, items: 2 });
  });

  it('run --exec true runs `true`; --quiet true keeps "true" as the command', async () => {
    expect((await cli('run', '--exec', 'true')).code).toBe(0);
    const quiet = await cli('run', '--exec', '--quiet', 'true');
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toMatch(/^\[process_001\]/m);
    expect(summaryOf(quiet).details).toMatchObject({ exec: true });
  });
});

describe('parallel', () => {
  it('exits 0 when every process succeeded', async () => {
    const outcome = await cli('parallel', '--exec', 'echo one', 'sleep 0.2', 'sh -c "exit 0"');
    expect(outcome.code).toBe(0);
    expect(tableRows(outcome.stdout).map((row) => [row.id, row.exit])).toEqual(
      expect.arrayContaining([
        ['process_001', 0],
        ['process_002', 0],
        ['process_003', 0],
      ]),
    );
  });

  it('exits 1 when one process failed, after running all of them', async () => {
    const outcome = await cli('parallel', '--exec', 'echo one', 'sh -c "exit 3"', touch('ran'));
    expect(outcome.code).toBe(1);
    expect(existsSync(join(spec.dir, 'ran'))).toBe(true);
    const results = resultsById(summaryOf(outcome).results);
    expect(results.get('process_001')?.exitCode).toBe(0);
    expect(results.get('process_002')?.exitCode).toBe(3);
    expect(results.get('process_003')?.exitCode).toBe(0);
  });

  it('runs at most --max-workers at once', async () => {
    const outcome = await runCliInProcess(['parallel', '--json', '--max-workers', '1', '--exec', 'sleep 0.1', 'echo two', '--working-dir', spec.dir]);
    const run = { events: () => jsonEvents(outcome.stdout) };
    expect(outcome.code).toBe(0);
    const order = run.events().filter((event) => event.type !== 'output').map((event) => `${event.type} ${event.processId}`);
    expect(order).toEqual(['start process_001', 'result process_001', 'start process_002', 'result process_002']);
  });
});

describe('sequential', () => {
  it('exits 0 when every process succeeded, running them one after another', async () => {
    const outcome = await runCliInProcess(['sequential', '--json', '--exec', 'echo one', 'sleep 0.1', 'echo three', '--working-dir', spec.dir]);
    const run = { events: () => jsonEvents(outcome.stdout) };
    expect(outcome.code).toBe(0);
    const order = run.events().filter((event) => event.type !== 'output').map((event) => `${event.type} ${event.processId}`);
    expect(order).toEqual([
      'start process_001',
      'result process_001',
      'start process_002',
      'result process_002',
      'start process_003',
      'result process_003',
    ]);
  });

  it('exits 1 when a process failed, and still runs the later ones without --stop-on-failure', async () => {
    const outcome = await cli('sequential', '--exec', 'echo one', 'sh -c "exit 3"', touch('later'));
    expect(outcome.code).toBe(1);
    expect(existsSync(join(spec.dir, 'later'))).toBe(true);
    expect(tableRows(outcome.stdout).map((row) => [row.id, row.exit])).toEqual([
      ['process_001', 0],
      ['process_002', 3],
      ['process_003', 0],
    ]);
  });

  it('with --stop-on-failure stops after the failure: later commands never run', async () => {
    const outcome = await cli('sequential', '--stop-on-failure', '--exec', 'echo one', 'sh -c "exit 3"', touch('never'));
    expect(outcome.code).toBe(1);
    expect(existsSync(join(spec.dir, 'never'))).toBe(false);
    const spawned = summaryOf(outcome)
      .results.filter((result) => result.pid !== null)
      .map((result) => [result.processId, result.exitCode]);
    expect(spawned).toEqual([
      ['process_001', 0],
      ['process_002', 3],
    ]);
  });
});

describe('fallback', () => {
  it('exits 0 when one succeeded even though the first failed; later ones never run', async () => {
    const outcome = await cli('fallback', '--exec', 'sh -c "exit 3"', 'echo second', touch('never'));
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^Succeeded with: process_002$/m);
    expect(existsSync(join(spec.dir, 'never'))).toBe(false);
    expect(tableRows(outcome.stdout).map((row) => [row.id, row.exit])).toEqual([
      ['process_001', 3],
      ['process_002', 0],
    ]);
    expect(summaryOf(outcome).results.map((result) => result.processId)).toEqual(['process_001', 'process_002']);
  });

  it('exits 0 at once when the first succeeds', async () => {
    const outcome = await cli('fallback', '--exec', 'echo first', touch('never'));
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^Succeeded with: process_001$/m);
    expect(existsSync(join(spec.dir, 'never'))).toBe(false);
  });

  it('exits 1 when every attempt failed', async () => {
    const outcome = await cli('fallback', '--exec', 'sh -c "exit 3"', 'sh -c "exit 4"');
    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toMatch(/^Fallback failed: .*exited with code 4/m);
    expect(tableRows(outcome.stdout).map((row) => [row.id, row.exit])).toEqual([
      ['process_001', 3],
      ['process_002', 4],
    ]);
  });
});

describe('batched', () => {
  it('exits 0 when every process succeeded, batch after batch', async () => {
    const outcome = await runCliInProcess(['batched', '--json', '--batch-size', '2', '--exec', 'echo a', 'sleep 0.1', 'echo c', '--working-dir', spec.dir]);
    expect(outcome.code).toBe(0);
    const events = jsonEvents(outcome.stdout);
    const index = (type: string, id: string): number => events.findIndex((e) => e.type === type && e.processId === id);
    // The second batch starts only after both processes of the first have ended.
    expect(index('start', 'process_003')).toBeGreaterThan(index('result', 'process_001'));
    expect(index('start', 'process_003')).toBeGreaterThan(index('result', 'process_002'));
    expect(index('start', 'process_002')).toBeLessThan(index('result', 'process_001'));
    expect(events.filter((e): e is ResultEvent => e.type === 'result').every((e) => e.result.exitCode === 0)).toBe(true);
  });

  it('exits 1 when one process failed, and still runs the later batches', async () => {
    const outcome = await cli('batched', '--batch-size', '1', '--exec', 'sh -c "exit 3"', touch('later'));
    expect(outcome.code).toBe(1);
    expect(existsSync(join(spec.dir, 'later'))).toBe(true);
  });
});

describe('--pass-output', () => {
  it('gives a later command the earlier successful outputs on stdin, in the <previous_outputs> format', async () => {
    const outcome = await cli('sequential', '--pass-output', '--exec', 'echo one', "printf 'two\\nlines'", 'cat');
    expect(outcome.code).toBe(0);
    const results = resultsById(summaryOf(outcome).results);
    expect(results.get('process_003')?.output).toBe(
      [
        '<previous_outputs>',
        '<output process_id="process_001">',
        'one',
        '</output>',
        '<output process_id="process_002">',
        'two',
        'lines',
        '</output>',
        '</previous_outputs>',
        '',
      ].join('\n'),
    );
    expect(outcome.stdout).toMatch(/^\[process_003\] <previous_outputs>$/m);
  });

  it('leaves failed outputs out', async () => {
    const outcome = await cli('sequential', '--pass-output', '--exec', 'echo one', 'sh -c "echo bad; exit 3"', 'cat');
    expect(outcome.code).toBe(1);
    const output = resultsById(summaryOf(outcome).results).get('process_003')?.output;
    expect(output).toContain('<output process_id="process_001">\none\n</output>');
    expect(output).not.toContain('bad');
    expect(output).not.toContain('process_002');
  });

  it('without it, a later command gets nothing on stdin', async () => {
    const outcome = await cli('sequential', '--exec', 'echo one', 'cat');
    expect(outcome.code).toBe(0);
    expect(resultsById(summaryOf(outcome).results).get('process_002')?.output).toBe('');
  });

  it('with batched, hands each batch the outputs of the earlier batches', async () => {
    const outcome = await cli('batched', '--pass-output', '--batch-size', '1', '--exec', 'echo first', 'cat');
    expect(outcome.code).toBe(0);
    expect(resultsById(summaryOf(outcome).results).get('process_002')?.output).toBe(
      '<previous_outputs>\n<output process_id="process_001">\nfirst\n</output>\n</previous_outputs>\n',
    );
  });

  it('appends earlier outputs to a prompt (the simulated agent acknowledges them)', async () => {
    const outcome = await cli('sequential', '--pass-output', '--command', AGENT, 'Analyze the code.', 'Plan the work.');
    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^\[process_002\] Received 1 earlier output from process process_001\.$/m);
    const results = resultsById(summaryOf(outcome).results);
    expect(results.get('process_001')?.output).not.toContain('Received');
    expect(results.get('process_002')?.output).toContain('Received 1 earlier output');
  });
});
