// Real-process tests of the built simulated agent (run `npm run build` first).
import { spawn, spawnSync, SpawnSyncReturns } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LONG_TESTS } from '../helpers';

const AGENT = join(__dirname, '..', '..', 'dist', 'testing', 'simulated-agent.js');
const FAST_ENV = { ...process.env, SIM_AGENT_DELAY_MS: '0' };
const API_ERROR = 'API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}';

interface Run { status: number | null; stdout: string; stderr: string }

/** Runs the agent to completion; stdin is /dev/null unless `input` is given. */
function agent(args: string[], options: { input?: string | Buffer; env?: NodeJS.ProcessEnv } = {}): Run {
  const result: SpawnSyncReturns<string> = spawnSync(process.execPath, [AGENT, ...args], {
    env: options.env ?? FAST_ENV,
    input: options.input,
    stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

type Event = Record<string, unknown> & { type: string };
const jsonLines = (stdout: string): Event[] => stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Event);
const textOf = (event: Event): string =>
  ((event.message as { content: { text: string }[] }).content).map((c) => c.text).join('');

beforeAll(() => {
  if (!existsSync(AGENT)) throw new Error(`${AGENT} is missing: run \`npm run build\` first`);
});

describe('simulated agent: command line', () => {
  it('prints its version and help', () => {
    const version = agent(['--version']);
    expect(version.status).toBe(0);
    expect(version.stdout).toMatch(/^\S+ \(Simulated Agent\)\n$/);
    const help = agent(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: simulated-agent');
  });

  it('gives the same reply for the same prompt and model, whatever the option order', () => {
    const a = agent(['--dangerously-skip-permissions', '-p', 'Review the retry logic', '--model', 'sim-opus']);
    const b = agent(['--model', 'sim-opus', '-p', '--', 'Review the retry logic']);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.split('\n')[0]).toBe('Task: Review the retry logic');
    expect(a.stdout.endsWith('\n')).toBe(true);
    expect(a.stdout).toContain('model: sim-opus');
  });

  it('gives different replies for different prompts or models', () => {
    const replies = new Set(['Audit the logger', 'Audit the parser', 'Audit the build'].map((p) => agent(['-p', p]).stdout));
    expect(replies.size).toBe(3);
    expect(agent(['-p', 'same', '--model', 'm1']).stdout).not.toBe(agent(['-p', 'same', '--model', 'm2']).stdout);
  });

  it('takes a prompt starting with - after --', () => {
    const run = agent(['-p', '--', '-rf looks like an option']);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('Task: -rf looks like an option');
  });

  it('truncates a long first line and keeps replies under 600 characters', () => {
    const ids = Array.from({ length: 9 }, (_, i) => `a-rather-long-process-identifier-${i}`);
    const previous = ids.map((id) => `<output process_id="${id}">\nx\n</output>`).join('\n');
    const prompt = `<previous_outputs>\n${previous}\n</previous_outputs>\n${'word '.repeat(60)}`;
    // Each model words the reply differently; RXO_LONG_TESTS=1 tries five.
    for (const model of LONG_TESTS ? ['a', 'b', 'c', 'd', 'e'] : ['a', 'b']) {
      const run = agent(['-p', prompt, '--model', model]);
      expect(run.status).toBe(0);
      expect(run.stdout.length).toBeLessThan(600);
      expect(run.stdout.split('\n')[0].length).toBeLessThanOrEqual(86);
      expect(run.stdout).toContain('Received 9 earlier outputs');
    }
  });

  it('reads a 200 KB prompt whole from stdin', () => {
    const prompt = `Résumé of the input ✓\n${'line of text with ü and €\n'.repeat(7000)}`.slice(0, 200_000);
    const bytes = Buffer.byteLength(prompt);
    const run = agent(['-p'], { input: Buffer.from(prompt) });
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('Task: Résumé of the input ✓');
    expect(run.stdout).toContain(`(prompt: ${bytes} bytes`);
  });

  it('never reads stdin when a prompt argument is given', async () => {
    const child = spawn(process.execPath, [AGENT, '-p', 'hello'], { env: FAST_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    // stdin stays open and is never written or closed: the agent must finish anyway.
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    child.stdin.destroy();
    expect(code).toBe(0);
    expect(out.startsWith('Task: hello\n')).toBe(true);
  });

  it('fails on an empty prompt', () => {
    for (const run of [agent(['-p'], { input: '  \n' }), agent(['-p']), agent(['-p', ''])]) {
      expect(run.status).toBe(1);
      expect(run.stderr).toBe('Error: Input must be provided either through stdin or as a prompt argument when using --print\n');
    }
  });

  it('acknowledges <previous_outputs> and names their process ids', () => {
    const prompt = '<previous_outputs>\n<output process_id="review-1">\nLooks fine.\n</output>\n'
      + '<output process_id="lint_2">\nTwo warnings.\n</output>\n</previous_outputs>\nSummarise the findings';
    const run = agent(['-p', prompt]);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('Task: Summarise the findings');
    expect(run.stdout).toContain('Received 2 earlier outputs from process review-1, lint_2.');
    expect(agent(['-p', 'Summarise the findings']).stdout).not.toContain('earlier output');
  });

  it('rejects unknown options, missing values, bad choices and a bad SIM_AGENT_DELAY_MS', () => {
    expect(agent(['--bogus', 'x'])).toEqual({ status: 1, stdout: '', stderr: "error: unknown option '--bogus'\n" });
    expect(agent(['-p', 'x', '--model'])).toMatchObject({ status: 1, stderr: "error: option '--model' argument missing\n" });
    expect(agent(['-p', 'x', '--output-format', 'xml']).status).toBe(1);
    expect(agent(['-p', 'x', '--permission-mode', 'yolo']).status).toBe(1);
    for (const bad of ['-5', 'soon']) {
      const run = agent(['-p', 'x'], { env: { ...process.env, SIM_AGENT_DELAY_MS: bad } });
      expect(run.status).toBe(2);
      expect(run.stderr).toContain('SIM_AGENT_DELAY_MS must be a non-negative number');
    }
  });

  it('requires --verbose for stream-json', () => {
    const run = agent(['-p', 'x', '--output-format', 'stream-json']);
    expect(run.status).toBe(1);
    expect(run.stderr).toBe('Error: When using --print, --output-format=stream-json requires --verbose\n');
  });
});

describe('simulated agent: output formats', () => {
  it('stream-json: init, one assistant text block a line, then a result holding the whole reply', () => {
    const run = agent(['-p', 'Check the parser', '--output-format', 'stream-json', '--verbose', '--model', 'sim-haiku']);
    expect(run.status).toBe(0);
    const events = jsonLines(run.stdout);
    const [init, result] = [events[0], events[events.length - 1]];
    const pieces = events.slice(1, -1);
    expect(init).toMatchObject({ type: 'system', subtype: 'init', model: 'sim-haiku', permissionMode: 'default' });
    expect(init.session_id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(init.tools).toContain('Bash');
    // The reply is the task line, at least three sentences and a footer: one block each.
    expect(pieces.length).toBeGreaterThanOrEqual(5);
    for (const piece of pieces) expect(textOf(piece)).toMatch(/^[^\n]*\n$/);
    for (const piece of pieces) {
      expect(piece).toMatchObject({ type: 'assistant', session_id: init.session_id, message: { role: 'assistant', model: 'sim-haiku' } });
    }
    expect(result).toMatchObject({
      type: 'result', subtype: 'success', is_error: false, num_turns: 1, session_id: init.session_id,
      usage: { input_tokens: 4, output_tokens: Math.ceil((result.result as string).length / 4), cache_read_input_tokens: 0 },
      permission_denials: [],
    });
    expect(result.result).toBe(pieces.map(textOf).join(''));
    expect(result.result).toBe(agent(['-p', 'Check the parser', '--model', 'sim-haiku']).stdout);
    expect(Object.keys(result.modelUsage as object)).toEqual(['sim-haiku']);
    expect(result.total_cost_usd).toBeGreaterThan(0);
  });

  it('json: exactly one line, the result object; --session-id is used', () => {
    const run = agent(['-p', 'Check the parser', '--output-format', 'json', '--session-id', 'my-session']);
    expect(run.status).toBe(0);
    expect(run.stdout.trimEnd().split('\n')).toHaveLength(1);
    const result = JSON.parse(run.stdout) as Event;
    expect(result).toMatchObject({ type: 'result', subtype: 'success', is_error: false, session_id: 'my-session' });
    expect(result.result).toBe(agent(['-p', 'Check the parser']).stdout);
  });

  it('streams text over time when SIM_AGENT_DELAY_MS is unset', async () => {
    const env = { ...process.env };
    delete env.SIM_AGENT_DELAY_MS;
    const child = spawn(process.execPath, [AGENT, '-p', 'Stream this reply'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: string[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.join('')).toBe(agent(['-p', 'Stream this reply']).stdout);
  });
});

describe('simulated agent: failure models', () => {
  it('sim-unavailable: API error on stderr in text mode, exit 1', () => {
    expect(agent(['-p', 'x', '--model', 'sim-unavailable'])).toEqual({ status: 1, stdout: '', stderr: `${API_ERROR}\n` });
  });

  it('sim-unavailable: an is_error result in json and stream-json modes', () => {
    const json = agent(['-p', 'x', '--model', 'sim-unavailable-2', '--output-format', 'json']);
    expect(json.status).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ type: 'result', subtype: 'success', is_error: true, result: API_ERROR });
    const stream = agent(['-p', 'x', '--model', 'sim-unavailable', '--output-format', 'stream-json', '--verbose']);
    expect(stream.status).toBe(1);
    const events = jsonLines(stream.stdout);
    expect(events[0]).toMatchObject({ type: 'system', subtype: 'init' });
    expect(events[events.length - 1]).toMatchObject({ type: 'result', is_error: true, result: API_ERROR });
  });

  it('sim-unavailable with --fallback-model answers with the fallback model', () => {
    const run = agent(['-p', 'x', '--model', 'sim-unavailable', '--fallback-model', 'sim-sonnet', '--output-format', 'json']);
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as Event;
    expect(result).toMatchObject({ is_error: false });
    expect(Object.keys(result.modelUsage as object)).toEqual(['sim-sonnet']);
  });

  it('sim-crash: half a reply, then exit 2 with an error', () => {
    const run = agent(['-p', 'Crash halfway', '--model', 'sim-crash']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('Error: simulated crash\n');
    expect(run.stdout.startsWith('Task: Crash halfway\n')).toBe(true);
    expect(run.stdout).not.toContain('(prompt:');
    const stream = agent(['-p', 'Crash halfway', '--model', 'sim-crash', '--output-format', 'stream-json', '--verbose']);
    expect(stream.status).toBe(2);
    expect(jsonLines(stream.stdout).map((e) => e.type)).not.toContain('result');
  });

  it('sim-slow: ten times the per-piece delay', () => {
    const env = { ...process.env, SIM_AGENT_DELAY_MS: '4' };
    const run = agent(['-p', 'Slowly', '--model', 'sim-slow', '--output-format', 'stream-json', '--verbose'], { env });
    expect(run.status).toBe(0);
    const events = jsonLines(run.stdout);
    const pieces = events.filter((e) => e.type === 'assistant').length;
    // Timers never fire early, so the agent's own duration is at least pieces x 40 ms.
    expect(events[events.length - 1].duration_ms).toBeGreaterThanOrEqual(pieces * 40 * 0.95);
  });
});
