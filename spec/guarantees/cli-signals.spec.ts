/**
 * Guarantee: SIGHUP (the terminal went away, or `kill -HUP`) ends the CLI like SIGINT and
 * SIGTERM: every running process is stopped, the results (cancelled), the logs and summary.json
 * are written, and the CLI exits 129 (128 + 1, as a shell reports a hang-up). Before, SIGHUP's
 * default action ended the CLI at once: no summary, no session log ending.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { StartEvent } from '../../src/process/types';
import { isAlive, tempDirs, waitFor } from '../helpers';
import { destroyRunning, logRoot, onlySessionDir, readSummary, startCli } from '../cli/helpers';

const temp = tempDirs('rxo-guarantee-signals-');
afterEach(destroyRunning);
afterAll(() => temp.cleanup());

describe('SIGHUP to the CLI', () => {
  it('stops both commands, writes the results, logs and summary.json, and exits 129', async () => {
    const dir = temp.make('hup');
    const cli = startCli(['parallel', '--json', '--exec', 'sleep 30', 'sleep 30', '--working-dir', dir], { cwd: dir });
    await cli.waitFor((c) => c.events().filter((event) => event.type === 'start').length === 2, 'two start events');
    const pids = cli.events().filter((event): event is StartEvent => event.type === 'start').map((event) => event.pid);
    const sentAt = Date.now();
    cli.signal('SIGHUP');
    const outcome = await cli.done;
    expect({ code: outcome.code, signal: outcome.signal }).toEqual({ code: 129, signal: null });
    expect(Date.now() - sentAt).toBeLessThan(5000);
    expect(outcome.stderr).toContain('orchestrate: SIGHUP: stopping 2 running process(es); again to force');
    await waitFor(() => pids.every((pid) => !isAlive(pid)), 'both commands are gone', 5000);

    const sessionDir = onlySessionDir(logRoot(dir));
    const summary = readSummary(sessionDir);
    expect(summary.details).toMatchObject({ interruptedBy: 'SIGHUP' });
    expect(summary.counts).toMatchObject({ total: 2, cancelled: 2, succeeded: 0 });
    expect(summary.results.map((result) => [result.processId, result.reason]).sort()).toEqual([
      ['process_001', 'cancelled'],
      ['process_002', 'cancelled'],
    ]);
    expect(cli.events().filter((event) => event.type === 'result')).toHaveLength(2);
    const sessionLog = readFileSync(join(sessionDir, 'session.log'), 'utf8');
    expect(sessionLog).toContain('exit: SIGHUP');
    expect(sessionLog).toMatch(/session \S+ closed/);
    for (const id of ['process_001', 'process_002']) {
      expect(readFileSync(join(sessionDir, `${id}.log`), 'utf8')).toMatch(/ended: failed \(cancelled\)/);
    }
  });

  it('in human mode, prints the summary table and exits 129', async () => {
    const dir = temp.make('hup-human');
    const cli = startCli(['parallel', '--exec', 'sleep 30', '--working-dir', dir], { cwd: dir });
    await waitFor(() => {
      try {
        return readFileSync(join(onlySessionDir(logRoot(dir)), 'processes.tsv'), 'utf8').split('\n').length > 2;
      } catch {
        return false;
      }
    }, 'the start is recorded');
    cli.signal('SIGHUP');
    const outcome = await cli.done;
    expect(outcome.code).toBe(129);
    expect(outcome.stdout).toMatch(/^process_001\s+\S+\s+\S+ s\s+cancelled$/m);
    expect(outcome.stdout).toMatch(/^Summary: .*summary\.json$/m);
  });
});
