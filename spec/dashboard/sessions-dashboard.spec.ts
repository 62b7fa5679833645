/**
 * `sessionsDashboard()`: the sessions under a log root, each replayed from the files a real run
 * wrote (plan.json, the process logs, summary.json), matching its summary.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lastValueFrom } from 'rxjs';
import { CommandProcess, orchestrate, type Plan, type SessionSummary, type SummaryEvent } from '../../src/index';
import { sessionsDashboard, type DashboardServer, type SessionEntry } from '../../src/toolkit';
import { fixture, tempDirs, waitFor } from '../helpers';
import { apiUrl, getJson, SseReader } from './helpers';

const dirs = tempDirs('rxo-dashboard-');
let server: DashboardServer | undefined;
let reader: SseReader | undefined;
afterEach(async () => {
  reader?.close();
  await server?.close();
  server = undefined;
  dirs.cleanup();
});

const node = (processId: string, ...args: string[]): CommandProcess => new CommandProcess({ command: process.execPath, args, processId });

interface Row { processId: string; state: string; exitCode: number | null; group: number | null }

describe('sessionsDashboard()', () => {
  it('lists the sessions under a log root and replays one so that it matches its summary.json', async () => {
    const cwd = dirs.make();
    const plan: Plan = {
      phases: [
        { name: 'checks', strategy: 'parallel', processes: [node('ok', fixture('print.js'), '--lines', '3'), node('bad', fixture('exit.js'), '3')] },
        { name: 'mirrors', strategy: 'fallback', processes: [node('first', fixture('exit.js'), '1'), node('second', fixture('print.js'), '--out', 'hello\n')] },
      ],
    };
    const last = (await lastValueFrom(orchestrate(plan, { session: { patternName: 'replay-spec', cwd } }))) as SummaryEvent;
    const sessionDir = last.sessionDir as string;
    const summary = JSON.parse(readFileSync(join(sessionDir, 'summary.json'), 'utf8')) as SessionSummary;
    const logRoot = join(cwd, '.claude', 'runtime', 'logs');

    server = sessionsDashboard({ logRoot });
    const url = await server.listen();
    expect((await fetch(apiUrl(url, '/api/sessions', { token: null }))).status).toBe(403);
    const sessions = await getJson<SessionEntry[]>(apiUrl(url, '/api/sessions'));
    expect(sessions).toEqual([expect.objectContaining({ sessionId: summary.sessionId, pattern: 'replay-spec', startedAt: summary.startedAt, durationMs: summary.durationMs, counts: { total: 4, succeeded: 2, failed: 2 } })]);

    const base = `/api/s/${encodeURIComponent(summary.sessionId)}/`;
    reader = await SseReader.open(apiUrl(url, `${base}events`));
    await waitFor(() => reader?.messages.some((m) => m.event === 'end') === true, 'the replay ends');
    const state = await getJson<{ rows: Row[]; groups: { name: string; state: string }[]; succeeded: boolean }>(apiUrl(url, `${base}state`));
    expect(state.groups.map((group) => [group.name, group.state])).toEqual([['checks', 'failed'], ['mirrors', 'succeeded']]);
    expect(state.succeeded).toBe(last.succeeded);
    for (const result of summary.results) {
      const row = state.rows.find((r) => r.processId === result.processId);
      expect(row).toMatchObject({ exitCode: result.exitCode, state: result.exitCode === 0 ? 'succeeded' : 'failed' });
    }
    const ok = await getJson<{ text: string }>(apiUrl(url, `${base}output`, { query: { process: 'ok' } }));
    expect(ok.text).toBe(summary.results.find((r) => r.processId === 'ok')?.output);
  });

  it('serves only sessions listed under the root: no path of the client\'s making', async () => {
    const cwd = dirs.make();
    server = sessionsDashboard({ logRoot: join(cwd, 'logs') });
    const url = await server.listen();
    for (const id of ['..', '..%2F..%2Fetc', '%2Fetc', 'nope']) {
      expect([id, (await fetch(apiUrl(url, `/api/s/${id}/state`))).status]).toEqual([id, 404]);
    }
    expect(await getJson<unknown[]>(apiUrl(url, '/api/sessions'))).toEqual([]);
  });
});
