/**
 * The CLI's dashboard: `--dashboard` on a run (its URL on stderr, served during the run and for
 * `--dashboard-linger` seconds after), `orchestrate dashboard` over a log root, and the usage
 * errors of its flags. Spawns dist/cli/main.js (build first).
 */
import { join } from 'node:path';
import { destroyRunning, runCli, startCli, type RunningCli } from '../cli/helpers';
import { runInProcess } from '../cli/in-process';
import { fixture, LONG_TESTS, tempDirs } from '../helpers';
import { apiUrl, getJson, pollJson } from './helpers';

const dirs = tempDirs('rxo-cli-dashboard-');
afterEach(async () => {
  await destroyRunning();
  dirs.cleanup();
});

const URL_LINE = /^Dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)$/m;

function dashboardUrl(cli: RunningCli): string {
  const match = URL_LINE.exec(cli.stderr);
  if (!match) throw new Error(`no Dashboard line in:\n${cli.stderr}`);
  return match[1];
}

interface State { endedAt: number | null; rows: { processId: string; state: string; exitCode: number | null }[] }

describe('orchestrate --dashboard', () => {
  it('prints the URL on stderr, serves the run, lingers, then exits with the run\'s code', async () => {
    const cwd = dirs.make();
    const print = `${process.execPath} ${fixture('print.js')} --lines 5`;
    const cli = startCli(['parallel', '--exec', '--names', 'one,two', '--dashboard', '--dashboard-linger', '30', print, `${process.execPath} ${fixture('exit.js')} 4`], { cwd });
    await cli.waitFor((c) => URL_LINE.test(c.stderr), 'the Dashboard line');
    const url = dashboardUrl(cli);
    expect((await fetch(apiUrl(url, '/api/state', { token: null }))).status).toBe(403);
    const state = await pollJson<State>(apiUrl(url, '/api/state'), (value) => value.endedAt !== null, 'the run ends on the dashboard');
    expect(state.rows.map((row) => [row.processId, row.state, row.exitCode])).toEqual([['one', 'succeeded', 0], ['two', 'failed', 4]]);
    // Still serving after the run (the linger), until a stop signal.
    await cli.waitFor((c) => c.stdout.includes('Summary:') || c.stderr.includes('Summary:'), 'the summary');
    expect((await fetch(apiUrl(url, '/api/info'))).status).toBe(200);
    cli.signal('SIGINT');
    const outcome = await cli.done;
    expect(outcome.code).toBe(1);
  }, 30_000);

  (LONG_TESTS ? it : it.skip)('with stdout not a terminal and no linger, closes when the run ends', async () => {
    const cwd = dirs.make();
    const outcome = await runCli(['run', '--exec', '--dashboard', `${process.execPath} ${fixture('exit.js')} 0`], { cwd });
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toMatch(URL_LINE);
  });

  it.each([
    [['run', '--exec', '--dashboard=http', 'true'], '--dashboard=<port> must be a port number from 0 to 65535, received "http"'],
    [['run', '--exec', '--dashboard', '--dashboard-linger', '-1', 'true'], '--dashboard-linger must be a number of seconds, 0 or more, received "-1"'],
    [['run', '--exec', '--dashboard-control', 'true'], '--dashboard-control needs --dashboard'],
    [['dashboard', '--port', 'x'], '--port must be a port number from 0 to 65535, received "x"'],
  ])('refuses %j with a usage error naming the flag', async (args, message) => {
    const outcome = await runInProcess(args);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain(message);
  });
});

(LONG_TESTS ? describe : describe.skip)('orchestrate dashboard', () => {
  it('serves the sessions under the log root until SIGTERM, then exits 0', async () => {
    const cwd = dirs.make();
    const run = await runCli(['run', '--exec', '--name', 'hello', `${process.execPath} ${fixture('print.js')} --out hi`], { cwd });
    expect(run.code).toBe(0);
    const cli = startCli(['dashboard', '--log-dir', join(cwd, '.claude', 'runtime', 'logs')], { cwd: dirs.make() });
    await cli.waitFor((c) => URL_LINE.test(c.stderr), 'the Dashboard line');
    const sessions = await getJson<{ sessionId: string; counts: { succeeded: number } }[]>(apiUrl(dashboardUrl(cli), '/api/sessions'));
    expect(sessions).toEqual([expect.objectContaining({ counts: { total: 1, succeeded: 1, failed: 0 } })]);
    cli.signal('SIGTERM');
    expect((await cli.done).code).toBe(0);
  });
});
