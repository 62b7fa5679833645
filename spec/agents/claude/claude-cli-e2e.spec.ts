// End to end with the real Claude Code CLI (node_modules/.bin/claude, 2.1.197) against the
// Messages API stand-in on 127.0.0.1 (spec/claude/fake-messages-api.ts): every strategy, an API
// error, a retry, a tool-use turn, a timeout in the middle of a stream, cancellation, 3 MB of
// output passed on. Each start of the real CLI costs about 2 s of CPU, so a plain run keeps three
// runs that cover what only the real CLI can show: its stream of a tool-use turn (init, tool use,
// tool result, text, result with turns and usage), its API error as a failed attempt of a
// fallback, and a stop in the middle of a reply (cancellation). With RXO_LONG_TESTS=1 (CI) every
// spec runs: parallel with cost and usage, output passing, a retry, the 12 s timeout, 3 MB passed on,
// a run in a git worktree (needs git). Live text token by token runs in both modes.
// Each run gets its own HOME; the stand-in is also the CLI's HTTP(S) proxy, so an attempt to
// reach any other host would be recorded (and refused): the specs assert none was.
import { join } from 'node:path';
import { claudeTotals } from '../../../src/agents/claude/totals';
import { ClaudeProcess, type ClaudeProcessOptions } from '../../../src/runnable/claude-process';
import { isClaudeEvent, type ClaudeEvent } from '../../../src/agents/claude/events';
import { from, lastValueFrom, tap, toArray } from 'rxjs';
import { fallback } from '../../../src/strategies/fallback';
import { parallel } from '../../../src/strategies/parallel';
import { runSequential } from '../../../src/strategies/sequential';
import { toResults } from '../../../src/strategies/results';
import { CommandProcess } from '../../../src/runnable/command-process';
import type { ProcessEvent } from '../../../src/process/types';
import { collect, isDead, LONG_TESTS, resultOf, startRun, tempDirs, waitFor } from '../../helpers';
import { standInEnv, startFakeMessagesApi, type FakeMessagesApi, type ScriptedReply } from './fake-messages-api';
import { claudeRunOf } from '../../../src/agents/claude/run-info';
import { workspaceOf } from '../../../src/workspace/workspace-result';
import { gitIn, makeRepo, status } from '../../workspace/git-repo';

const CLAUDE = join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'claude');
/** The model every run asks for; the CLI prices it at $3 / $15 per million input / output tokens. */
const MODEL = 'claude-sonnet-4-5';
const BIG = 3 * 1024 * 1024;
const bigReply = `BIG-START ${'0123456789abcdef'.repeat(BIG / 16)} BIG-END`;

/** A reply the stand-in streams in PARTIAL_PIECES deltas, 150 ms apart. */
const PARTIAL_TEXT = 'Token by token: alpha beta gamma delta epsilon.';
const PARTIAL_PIECES = 5;

const scripts: ScriptedReply[] = [
  ...[1, 2, 3, 4].map((i) => ({ match: `e2e-parallel-${i}`, text: `Parallel answer ${i}.`, usage: { input: 100 * i, output: 10 * i } })),
  { match: 'e2e-seq-first', text: 'FIRST-REPLY-7f3a: the structure is sound.' },
  { match: 'e2e-seq-second', text: 'Second step done.' },
  { match: 'e2e-fallback-primary', status: 529, errorType: 'overloaded_error' },
  { match: 'e2e-fallback-secondary', text: 'Fallback answer.' },
  { match: 'e2e-retry', status: 500, times: 1, text: 'Recovered after a retry.' },
  { match: 'e2e-tool', toolUse: { name: 'Bash', input: { command: 'echo tool-output-42', description: 'Print a marker' } }, text: 'The tool printed tool-output-42.' },
  { match: 'e2e-slow', text: 'slow '.repeat(200), pieces: 200, delayMs: 500 },
  { match: 'e2e-cancel', text: 'never finished '.repeat(100), pieces: 100, delayMs: 500 },
  { match: 'e2e-big', text: 'Read all of it.' },
  { match: 'e2e-partial', text: PARTIAL_TEXT, pieces: PARTIAL_PIECES, delayMs: 150 },
  { match: 'e2e-worktree', toolUse: { name: 'Bash', input: { command: 'echo from-the-agent > NOTE.txt', description: 'Write a note' } }, text: 'Wrote NOTE.txt.' },
];

const temp = tempDirs('rxo-e2e-');
let api: FakeMessagesApi;

beforeAll(async () => {
  api = await startFakeMessagesApi(scripts);
});
afterAll(async () => {
  await api.close();
  temp.cleanup();
});
afterEach(() => {
  // Nothing but the stand-in was reached: no request came for another host.
  expect(api.requests.filter((r) => r.proxied)).toEqual([]);
});

/** A real CLI run against the stand-in, with its own HOME. */
function claude(prompt: string, processId: string, options: Partial<ClaudeProcessOptions> = {}, retries = 0): ClaudeProcess {
  const home = temp.make(processId);
  return new ClaudeProcess({
    prompt,
    processId,
    command: CLAUDE,
    model: MODEL,
    workingDir: home,
    killGraceMs: 2000,
    ...options,
    env: { ...standInEnv(api, home, { retries }), ...options.env },
  });
}

/** The kinds of the Claude events, without `unknown` ones (with partial messages the CLI adds `system/status` lines). */
const kinds = (events: readonly ProcessEvent[]): string[] =>
  events.filter(isClaudeEvent).map((e) => e.event.kind).filter((kind) => kind !== 'unknown');
const claudeEvents = (events: readonly ProcessEvent[]): ClaudeEvent[] =>
  events.filter(isClaudeEvent).map((e) => e.event);
const cost = (input: number, output: number): number => (input * 3 + output * 15) / 1e6;
/** A spec run with RXO_LONG_TESTS=1 only. */
const longIt = LONG_TESTS ? it : it.skip;

describe('the real claude CLI against the Messages API stand-in', () => {
  longIt('parallel, 4 at once: answers, live text, and cost and usage as the stand-in reported them', async () => {
    const events: ProcessEvent[] = [];
    const runs = [1, 2, 3, 4].map((i) => claude(`Please answer e2e-parallel-${i}`, `par-${i}`));
    await lastValueFrom(from(runs).pipe(parallel({ maxWorkers: 4 }), tap((e) => events.push(e)), toArray()));
    for (const i of [1, 2, 3, 4]) {
      const own = events.filter((e) => e.processId === `par-${i}`);
      expect(kinds(own)).toEqual(['init', 'text', 'result']);
      const output = own.map((e) => (e.type === 'output' ? e.chunk : '')).join('');
      expect(output).toBe(`Parallel answer ${i}.\n`);
      const result = resultOf(own);
      expect(result).toMatchObject({ exitCode: 0, error: null, output: `Parallel answer ${i}.\n` });
      const usage = { inputTokens: 100 * i, outputTokens: 10 * i, cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
      expect(claudeRunOf(result)).toMatchObject({ subtype: 'success', isError: false, numTurns: 1, usage });
      expect(claudeRunOf(result)?.sessionId).toBe((claudeEvents(own)[0] as { sessionId: string }).sessionId);
      expect(claudeRunOf(result)?.costUsd).toBeCloseTo(cost(100 * i, 10 * i), 9);
      expect(claudeRunOf(result)?.modelUsage[MODEL]).toMatchObject(usage);
      expect(api.messagesMatching(`e2e-parallel-${i}`)).toHaveLength(1);
      expect(api.messagesMatching(`e2e-parallel-${i}`)[0].body.model).toBe(MODEL);
    }
    const totals = claudeTotals(events.flatMap((e) => (e.type === 'result' ? [e.result] : [])));
    expect(totals).toMatchObject({ runs: 4, numTurns: 4, usage: { inputTokens: 1000, outputTokens: 100 } });
    expect(totals?.costUsd).toBeCloseTo(cost(1000, 100), 9);
  });

  longIt('sequential with output passing: the second request carries the first reply', async () => {
    const results = await runSequential([claude('e2e-seq-first: analyze', 'seq-1'), claude('e2e-seq-second: plan', 'seq-2')], { passOutput: true });
    expect(results.map((r) => [r.exitCode, r.output])).toEqual([[0, 'FIRST-REPLY-7f3a: the structure is sound.\n'], [0, 'Second step done.\n']]);
    const [second] = api.messagesMatching('e2e-seq-second');
    expect(second.userText).toContain('FIRST-REPLY-7f3a: the structure is sound.');
    expect(second.userText).toContain('process_id="seq-1"');
  });

  it('fallback: an overloaded API fails the first attempt with its reason, the second succeeds', async () => {
    const attempts = [claude('e2e-fallback-primary', 'primary'), claude('e2e-fallback-secondary', 'secondary')];
    const results = await lastValueFrom(from(attempts).pipe(fallback(), toResults(), toArray()));
    expect(results).toHaveLength(2);
    expect(results[0]).toMatchObject({ processId: 'primary', exitCode: 1, reason: 'exit' });
    expect(results[0].error).toMatch(/^Claude API error: API Error: 529 scripted 529/);
    expect(claudeRunOf(results[0])).toMatchObject({ isError: true, costUsd: 0 });
    expect(results[1]).toMatchObject({ processId: 'secondary', exitCode: 0, output: 'Fallback answer.\n' });
  });

  longIt('reports an API retry as an event, then succeeds', async () => {
    const events = await collect(claude('e2e-retry', 'retry', {}, 1).events());
    const retry = claudeEvents(events).find((e) => e.kind === 'api-retry');
    expect(retry).toMatchObject({ kind: 'api-retry', attempt: 1, maxRetries: 1, errorStatus: 500 });
    expect(resultOf(events)).toMatchObject({ exitCode: 0, output: 'Recovered after a retry.\n' });
    expect(api.messagesMatching('e2e-retry')).toHaveLength(2);
  });

  it('a tool-use turn: tool use and tool result events, two turns, the tool really ran', async () => {
    const events = await collect(claude('e2e-tool', 'tool').events());
    const parsed = claudeEvents(events).filter((e) => e.kind !== 'unknown');
    // The tool's input streams as a delta first (a Claude event, never output text).
    expect(parsed.map((e) => e.kind)).toEqual(['init', 'tool-input-delta', 'tool-use', 'tool-result', 'text', 'result']);
    expect(parsed[1]).toMatchObject({ partialJson: JSON.stringify({ command: 'echo tool-output-42', description: 'Print a marker' }) });
    expect(parsed[2]).toMatchObject({ name: 'Bash', input: { command: 'echo tool-output-42' } });
    expect(parsed[3]).toMatchObject({ content: 'tool-output-42', isError: false });
    const result = resultOf(events);
    expect(result).toMatchObject({ exitCode: 0, output: 'The tool printed tool-output-42.\n' });
    expect(claudeRunOf(result)).toMatchObject({ numTurns: 2, usage: { inputTokens: 200, outputTokens: 40 } });
  });

  longIt('a timeout in the middle of a stream stops the CLI and reports the timeout', async () => {
    const run = startRun(claude('e2e-slow', 'slow', { timeout: 12 }).events());
    const result = await run.result;
    expect(api.messagesMatching('e2e-slow').length).toBeGreaterThan(0); // the stream had begun
    expect(result).toMatchObject({ exitCode: -1, timedOut: true, reason: 'timeout' });
    expect(claudeRunOf(result)).toBeUndefined();
    expect(isDead(result.pid as number)).toBe(true);
  });

  it('live text token by token: a reply streamed in N parts gives at least N output events, and the result holds it once', async () => {
    const events = await collect(claude('e2e-partial', 'partial').events());
    const chunks = events.flatMap((e) => (e.type === 'output' && e.stream === 'stdout' ? [{ chunk: e.chunk, at: e.at }] : []));
    expect(chunks.length).toBeGreaterThanOrEqual(PARTIAL_PIECES);
    expect(chunks.map((c) => c.chunk).join('')).toBe(`${PARTIAL_TEXT}\n`);
    // The parts arrived as the API sent them, not all at the end: the first came well before the last.
    expect(chunks[PARTIAL_PIECES - 1].at - chunks[0].at).toBeGreaterThanOrEqual(300);
    const result = resultOf(events);
    expect(result).toMatchObject({ exitCode: 0, error: null, output: `${PARTIAL_TEXT}\n` });
    expect(kinds(events)).toEqual(['init', 'text', 'result']);
  });

  longIt('in a git worktree: the CLI works there, its edit is committed on the run\'s branch, the repository is untouched', async () => {
    const repo = makeRepo(temp.make('repo'));
    const result = await claude('e2e-worktree', 'wt-agent', { workingDir: repo, workspace: 'worktree', workspaceSession: 'e2e' }).run();
    expect(result).toMatchObject({ exitCode: 0, output: 'Wrote NOTE.txt.\n' });
    expect(workspaceOf(result)).toMatchObject({ branch: 'rxo/e2e/wt-agent', changedFiles: ['NOTE.txt'], kept: true });
    expect(gitIn(repo, 'show', 'rxo/e2e/wt-agent:NOTE.txt')).toBe('from-the-agent\n');
    expect(status(repo)).toBe('');
  });

  it('cancellation while the reply streams: a cancelled result, the CLI stopped', async () => {
    const controller = new AbortController();
    const run = startRun(claude('e2e-cancel', 'cancel').events({ signal: controller.signal }));
    await waitFor(() => api.messagesMatching('e2e-cancel').length > 0, 'the CLI sent its request', 30_000);
    controller.abort();
    const result = await run.result;
    expect(result).toMatchObject({ cancelled: true, reason: 'cancelled' });
    expect(result.exitCode).not.toBe(0);
    expect(isDead(result.pid as number)).toBe(true);
  });

  longIt('a sequential chain passing 3 MB of earlier output: the prompt goes on stdin and arrives whole', async () => {
    // The 3 MB comes from a plain command: the CLI itself can lose the end of a reply that large
    // when it writes to a pipe (see the README), which is not what this spec is about.
    const producer = new CommandProcess({ command: process.execPath, args: ['-e', `process.stdout.write('BIG-START ' + '0123456789abcdef'.repeat(${BIG / 16}) + ' BIG-END')`], processId: 'big-1' });
    const consumer = claude('e2e-big: summarise the earlier output', 'big-2');
    const results = await runSequential([producer, consumer], { passOutput: true });
    expect(results.map((r) => r.exitCode)).toEqual([0, 0]);
    expect(results[0].output.length).toBe(bigReply.length); // compared without printing 3 MB on failure
    const [request] = api.messagesMatching('e2e-big');
    expect(request.userText.includes(bigReply)).toBe(true);
    expect(results[1]).toMatchObject({ output: 'Read all of it.\n', error: null });
  });
});
