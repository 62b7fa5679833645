// ClaudeProcess in stream-json (the default) and json formats, against real processes: the built
// simulated agent, and spec/fixtures/claude-lines.js printing scripted CLI lines. Events, live
// text, the result event deciding success, totals, failures explained, startDelayMs.
import { VirtualTimeScheduler } from 'rxjs';
import { ClaudeProcess, type ClaudeProcessOptions } from '../../../src/runnable/claude-process';
import { isClaudeEvent, type ClaudeEvent } from '../../../src/agents/claude/events';
import type { ProcessEvent } from '../../../src/process/types';
import { scriptedClaude, SIMULATED_AGENT } from './claude-lines';
import { collect, resultOf, startRun, tempDirs, waitFor } from '../../helpers';
import { claudeRunOf } from '../../../src/agents/claude/run-info';

const AGENT = SIMULATED_AGENT;
const temp = tempDirs();
let lines: string;

beforeAll(() => {
  lines = scriptedClaude(temp.make());
});
afterAll(() => temp.cleanup());

const agent = (options: Partial<ClaudeProcessOptions> & { prompt: string }): ClaudeProcess =>
  new ClaudeProcess({ command: AGENT, env: { SIM_AGENT_DELAY_MS: '0' }, ...options });

/** A ClaudeProcess whose "CLI" prints `printed` (objects as JSON lines), then `stderr`, then exits with `exit`. */
const scripted = (printed: unknown[], extra: { stderr?: string; exit?: number; hang?: boolean } = {}, options: Partial<ClaudeProcessOptions> = {}): ClaudeProcess =>
  new ClaudeProcess({
    prompt: 'x',
    command: lines,
    killGraceMs: 1000,
    ...options,
    env: { CLAUDE_LINES: JSON.stringify(printed), CLAUDE_STDERR: extra.stderr ?? '', CLAUDE_EXIT: String(extra.exit ?? 0), CLAUDE_HANG: extra.hang ? '1' : '0' },
  });

const claudeEvents = (events: readonly ProcessEvent[]): ClaudeEvent[] =>
  events.filter(isClaudeEvent).map((e) => e.event);
const outputText = (events: readonly ProcessEvent[]): string =>
  events.map((e) => (e.type === 'output' && e.stream === 'stdout' ? e.chunk : '')).join('');

const init = { type: 'system', subtype: 'init', session_id: 'sess-1', model: 'claude-x', tools: ['Bash'], permissionMode: 'bypassPermissions' };
const say = (text: string, error?: string) => ({ type: 'assistant', message: { id: 'm1', model: 'claude-x', content: [{ type: 'text', text }] }, ...(error ? { error } : {}) });
const result = (fields: Record<string, unknown>) => ({
  type: 'result', subtype: 'success', is_error: false, num_turns: 1, result: 'Done.', session_id: 'sess-1', total_cost_usd: 0.25,
  duration_ms: 900, duration_api_ms: 700,
  usage: { input_tokens: 1000, output_tokens: 200, cache_creation_input_tokens: 10, cache_read_input_tokens: 5 },
  modelUsage: { 'claude-x': { inputTokens: 1000, outputTokens: 200, cacheReadInputTokens: 5, cacheCreationInputTokens: 10, costUSD: 0.25 } },
  permission_denials: [{ tool_name: 'Write' }],
  ...fields,
});

describe('ClaudeProcess stream-json with the simulated agent', () => {
  it('emits init, text and result events; output events are the readable text; the result has the answer and totals', async () => {
    const prompt = 'Check the retry logic';
    const events = await collect(agent({ prompt, processId: 'sim' }).events());
    const text = await agent({ prompt, outputFormat: 'text' }).run();
    const parsed = claudeEvents(events);
    expect(parsed[0]).toMatchObject({ kind: 'init', model: 'sim-sonnet', permissionMode: 'bypassPermissions' });
    expect(parsed[parsed.length - 1]).toMatchObject({ kind: 'result', subtype: 'success', isError: false });
    expect(parsed.filter((e) => e.kind === 'text').length).toBeGreaterThanOrEqual(5);
    expect(events.every((e) => e.processId === 'sim')).toBe(true);
    // Live text is the same text the original text mode printed, and comes before the result.
    const final = resultOf(events);
    expect(outputText(events)).toBe(text.output);
    expect(final).toMatchObject({ exitCode: 0, error: null, output: text.output });
    const sessionId = (parsed[0] as { sessionId: string }).sessionId;
    const usage = { inputTokens: Math.ceil(Buffer.byteLength(prompt) / 4), outputTokens: Math.ceil(text.output.length / 4), cacheCreationInputTokens: 0, cacheReadInputTokens: 0 };
    expect(claudeRunOf(final)).toMatchObject({ sessionId, model: 'sim-sonnet', subtype: 'success', isError: false, numTurns: 1, usage, permissionDenials: [] });
    expect(claudeRunOf(final)?.costUsd).toBeCloseTo(usage.inputTokens * 3e-6 + usage.outputTokens * 15e-6, 6);
    expect(claudeRunOf(final)?.modelUsage['sim-sonnet']).toEqual({ ...usage, costUsd: claudeRunOf(final)?.costUsd });
  });

  it('json format: one result event, its answer as output', async () => {
    const events = await collect(agent({ prompt: 'Summarise', outputFormat: 'json' }).events());
    expect(claudeEvents(events).map((e) => e.kind)).toEqual(['result']);
    const final = resultOf(events);
    expect(outputText(events)).toBe(final.output);
    expect(final.output).toMatch(/^Task: Summarise\n/);
    expect(claudeRunOf(final)?.costUsd).toBeGreaterThan(0);
  });

  it('works in terminal mode too (lines end with \\r\\n there)', async () => {
    const plain = await agent({ prompt: 'Terminal check' }).run();
    const terminal = await agent({ prompt: 'Terminal check', terminal: true }).run();
    expect(terminal).toMatchObject({ exitCode: 0, output: plain.output });
    expect(claudeRunOf(terminal)?.usage).toEqual(claudeRunOf(plain)?.usage);
  });

  it('an overloaded API fails with exit code 1, the API error and the totals', async () => {
    const final = await agent({ prompt: 'x', model: 'sim-unavailable' }).run();
    expect(final).toMatchObject({ exitCode: 1, reason: 'exit' });
    expect(final.error).toMatch(/^Claude API error: API Error: 529 /);
    expect(claudeRunOf(final)).toMatchObject({ isError: true, costUsd: 0, subtype: 'success' });
  });

  it('a crash (no result event) keeps the process layer result, with the text read so far', async () => {
    const final = await agent({ prompt: 'Crash halfway', model: 'sim-crash' }).run();
    expect(final).toMatchObject({ exitCode: 2, reason: 'exit', error: 'exited with code 2: Error: simulated crash' });
    expect(final.output.startsWith('Task: Crash halfway\n')).toBe(true);
    expect(claudeRunOf(final)).toBeUndefined();
  });
});

describe('ClaudeProcess: the result event decides', () => {
  it('is_error with exit code 0 is a failure (exit code 1): not logged in', async () => {
    const final = await scripted([init, say('Not logged in · Please run /login', 'authentication_failed'), result({ is_error: true, result: 'Not logged in · Please run /login' })]).run();
    expect(final).toMatchObject({ exitCode: 1, reason: 'exit', output: 'Not logged in · Please run /login\n' });
    expect(final.error).toBe('Claude is not logged in: Not logged in · Please run /login (set ANTHROPIC_API_KEY or run `claude /login`)');
  });

  it('names max turns and an exhausted budget', async () => {
    const turns = await scripted([init, result({ subtype: 'error_max_turns', is_error: true, result: undefined, num_turns: 3 })], { exit: 1 }).run();
    expect(turns).toMatchObject({ exitCode: 1, output: '', error: 'Claude reached the maximum number of turns (3 turns)' });
    const budget = await scripted([init, result({ subtype: 'error_max_budget_usd', is_error: true, result: undefined })]).run();
    expect(budget).toMatchObject({ exitCode: 1, error: "Claude's budget is exhausted: spent $0.25 (maxBudgetUsd)" });
  });

  it('reads every total of a successful result into claudeRunOf(result)', async () => {
    const final = await scripted([init, say('Done.'), result({})]).run();
    expect(final).toMatchObject({ exitCode: 0, error: null, output: 'Done.\n' });
    expect(claudeRunOf(final)).toEqual({
      sessionId: 'sess-1', model: 'claude-x', subtype: 'success', isError: false, costUsd: 0.25, numTurns: 1,
      durationMs: 900, durationApiMs: 700,
      usage: { inputTokens: 1000, outputTokens: 200, cacheCreationInputTokens: 10, cacheReadInputTokens: 5 },
      modelUsage: { 'claude-x': { inputTokens: 1000, outputTokens: 200, cacheCreationInputTokens: 10, cacheReadInputTokens: 5, costUsd: 0.25 } },
      permissionDenials: [{ tool_name: 'Write' }],
    });
  });

  it('a success result with a failing exit code stays a failure', async () => {
    const final = await scripted([init, result({})], { exit: 3, stderr: 'late trouble\n' }).run();
    expect(final).toMatchObject({ exitCode: 3, error: 'exited with code 3: late trouble' });
    expect(claudeRunOf(final)?.isError).toBe(false);
  });

  it('passes lines that are not JSON through as text, and unknown types as unknown events', async () => {
    const events = await collect(scripted(['plain line\n', { type: 'mystery', n: 1 }, 'no newline at the end']).events());
    expect(outputText(events)).toBe('plain line\nno newline at the end');
    expect(claudeEvents(events)).toMatchObject([{ kind: 'unknown', type: 'mystery', raw: { n: 1 } }]);
    expect(resultOf(events)).toMatchObject({ exitCode: 0, output: 'plain line\nno newline at the end' });
  });

  it('exit code 0 after init but without a result event is a failure: the output was cut short', async () => {
    const final = await scripted([init, say('Half'), '{"type":"result","subtype":"succ']).run();
    expect(final).toMatchObject({ exitCode: 1, reason: 'exit', output: 'Half\n{"type":"result","subtype":"succ' });
    expect(final.error).toMatch(/^the Claude CLI exited with code 0 without printing its result event: its output was cut short/);
  });

  it('explains the CLI refusing to skip permissions as root', async () => {
    const final = await scripted([], { exit: 1, stderr: '--dangerously-skip-permissions cannot be used with root/sudo privileges for security reasons\n' }).run();
    expect(final.exitCode).toBe(1);
    expect(final.error).toMatch(/^the Claude CLI refuses to skip permission checks when run as root: .*IS_SANDBOX=1.*permissionMode/);
    expect(final.error).toContain('cannot be used with root/sudo privileges');
  });

  it('a timeout before the result event keeps the timeout result', async () => {
    const run = startRun(scripted([init, say('Working...')], { hang: true }, { timeout: 1 }).events());
    const final = await run.result;
    expect(final).toMatchObject({ exitCode: -1, timedOut: true, reason: 'timeout', output: 'Working...\n' });
    expect(claudeRunOf(final)).toBeUndefined();
  });
});

describe('ClaudeProcess startDelayMs', () => {
  it('spawns only once the delay has passed on its scheduler', async () => {
    const scheduler = new VirtualTimeScheduler();
    const run = startRun(scripted([init, result({})], {}, { startDelayMs: 5000, scheduler }).events());
    expect(run.events).toEqual([]);
    scheduler.flush();
    expect(run.events[0]?.type).toBe('start');
    expect((await run.result).exitCode).toBe(0);
  });

  it('aborted during the delay: not started, nothing spawned', async () => {
    const controller = new AbortController();
    const run = startRun(scripted([init, result({})], {}, { startDelayMs: 600000 }).events({ signal: controller.signal }));
    controller.abort();
    await waitFor(() => run.events.length > 0, 'a result');
    expect(run.events.map((e) => e.type)).toEqual(['result']);
    expect(await run.result).toMatchObject({ reason: 'not-started', cancelled: true, pid: null });
  });
});

describe('ClaudeProcess options', () => {
  it('rejects bad Claude options with a TypeError naming the value', () => {
    expect(() => new ClaudeProcess({ prompt: 'x', outputFormat: 'xml' as never })).toThrow(/outputFormat must be one of stream-json, json, text, received 'xml'|outputFormat.*xml/);
    expect(() => new ClaudeProcess({ prompt: 'x', maxTurns: 0 })).toThrow(TypeError);
    expect(() => new ClaudeProcess({ prompt: 'x', maxBudgetUsd: -1 })).toThrow(/maxBudgetUsd.*-1/);
    expect(() => new ClaudeProcess({ prompt: 'x', allowedTools: 'Bash' as never })).toThrow(/allowedTools/);
    expect(() => new ClaudeProcess({ prompt: 'x', startDelayMs: -1000 })).toThrow(/startDelayMs.*-1000/);
    expect(() => new ClaudeProcess({ prompt: 'x', permissionMode: '' })).toThrow(/permissionMode/);
  });
});
