// The CLI's Claude additions: flags mapped onto ClaudeProcess options (seen in each process log's
// command line), the stagger of --start-delay, tool-use lines in live output, and the Claude
// totals under the summary table and in summary.json. Runs the CLI in this process (`cli(argv, io)`)
// on the simulated agent, which runs as a real process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { humanRenderer } from '../../src/cli/render';
import type { ProcessEvent } from '../../src/process/types';
import { tempDirs } from '../helpers';
import { AGENT, printedLogDir, runCliInProcess, summaryOf, tableRows } from './helpers';
import { claudeRunOf } from '../../src/agents/claude/run-info';

const temp = tempDirs('orchestrate-claude-');
afterAll(() => temp.cleanup());

describe('orchestrate: Claude flags and totals', () => {
  it('maps the Claude flags onto the command line of every run', async () => {
    const dir = temp.make('flags');
    const outcome = await runCliInProcess([
      'run', 'Check the flags', '--command', AGENT, '--working-dir', dir, '--output-format', 'json', '--permission-mode', 'plan',
      '--max-turns', '2', '--max-budget-usd', '0.5', '--fallback-model', 'sim-haiku', '--append-system-prompt', 'Be brief.',
      '--allowed-tools', 'Read, Bash(git log:*)', '--disallowed-tools', 'Write',
    ], { cwd: dir });
    expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
    const log = readFileSync(join(printedLogDir(outcome.stdout), 'process_001.log'), 'utf8');
    expect(log).toContain(
      `command: ${AGENT} --permission-mode plan -p 'Check the flags' --output-format json --fallback-model sim-haiku --max-turns 2 ` +
        `--max-budget-usd 0.5 --append-system-prompt 'Be brief.' --allowedTools 'Read,Bash(git log:*)' --disallowedTools Write`,
    );
    expect(log).toMatch(/claude \| result success: 1 turn, \$0\.\d{4}, \d+ input \/ \d+ output tokens/);
  });

  it('shows the totals under the table and writes them to summary.json', async () => {
    const dir = temp.make('totals');
    const outcome = await runCliInProcess(['parallel', 'First task', 'Second task', '--command', AGENT, '--working-dir', dir], { cwd: dir });
    expect(outcome.code).toBe(0);
    const summary = summaryOf(outcome);
    const costs = summary.results.map((r) => claudeRunOf(r)?.costUsd ?? NaN);
    expect(summary.claude).toMatchObject({ runs: 2, numTurns: 2 });
    expect(summary.claude?.costUsd).toBeCloseTo(costs[0] + costs[1], 9);
    const input = summary.results.reduce((sum, r) => sum + (claudeRunOf(r)?.usage.inputTokens ?? 0), 0);
    const output = summary.results.reduce((sum, r) => sum + (claudeRunOf(r)?.usage.outputTokens ?? 0), 0);
    expect(tableRows(outcome.stdout)).toHaveLength(2);
    expect(outcome.stdout).toContain(`Claude: 2 runs, $${summary.claude?.costUsd.toFixed(4)}, 2 turns, ${input} input / ${output} output tokens\n`);
    expect(outcome.stdout).toMatch(/\[process_001\] done \(\d+\.\d s, \$0\.\d{4}\)/);
  });

  it('--start-delay starts runs that start together that many seconds apart', async () => {
    const dir = temp.make('stagger');
    const outcome = await runCliInProcess(['parallel', 'a', 'b', 'c', '--start-delay', '0.6', '--json', '--command', AGENT, '--working-dir', dir], { cwd: dir });
    expect(outcome.code).toBe(0);
    const starts = outcome.stdout.trim().split('\n').map((line) => JSON.parse(line) as ProcessEvent)
      .flatMap((event) => (event.type === 'start' ? [[event.processId, event.at] as const] : []));
    const at = Object.fromEntries(starts);
    // Timers never fire early: each later run started at least its delay after the first.
    expect(at.process_002 - at.process_001).toBeGreaterThanOrEqual(550);
    expect(at.process_003 - at.process_001).toBeGreaterThanOrEqual(1150);
  });

  it('rejects bad Claude flags as usage errors naming the value', async () => {
    const dir = temp.make('bad');
    const turns = await runCliInProcess(['run', 'x', '--max-turns', '0', '--command', AGENT, '--working-dir', dir], { cwd: dir });
    expect(turns.code).toBe(2);
    expect(turns.stderr).toMatch(/maxTurns must be a positive integer, received 0/);
    const format = await runCliInProcess(['run', 'x', '--output-format', 'xml', '--working-dir', dir], { cwd: dir });
    expect(format.code).toBe(2);
    expect(format.stderr).toMatch(/output-format.*xml/s);
    const delay = await runCliInProcess(['parallel', 'x', '--start-delay', '-1', '--command', AGENT, '--working-dir', dir], { cwd: dir });
    expect(delay.code).toBe(2);
    expect(delay.stderr).toContain('--start-delay must be a number of seconds, 0 or more, received -1');
  });

  it('live output shows a line for each tool use and API retry', () => {
    const written: string[] = [];
    const out = { write: (text: string) => written.push(text) };
    const renderer = humanRenderer(out, out, { color: false, quiet: false });
    renderer.heading(undefined, ['agent']);
    const raw = {};
    renderer.event({ type: 'agent', agent: 'claude', processId: 'agent', at: 0, seq: 0, event: { kind: 'tool-use', id: 't1', name: 'Bash', input: { command: 'ls' }, raw } });
    renderer.event({ type: 'agent', agent: 'claude', processId: 'agent', at: 0, seq: 0, event: { kind: 'api-retry', attempt: 1, maxRetries: 2, retryDelayMs: 500, errorStatus: 529, error: 'overloaded', raw } });
    renderer.event({ type: 'agent', agent: 'claude', processId: 'agent', at: 0, seq: 0, event: { kind: 'text', text: 'shown as output instead', messageId: null, model: null, error: null, raw } });
    expect(written.join('')).toBe('[agent] > tool Bash: {"command":"ls"}\n[agent] > API retry 1/2 in 500 ms: 529 overloaded\n');
  });
});
