/**
 * The JSON Schema of protocol v1: shipped in dist and identical to src/events/event-schema.json
 * and the exported `eventSchema`; every event of real runs (a command that prints, fails, times
 * out, is retried, is halted, cannot start; a Claude run of the simulated agent), encoded by
 * `toNdjson`, validates; what breaks the contract does not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { from, lastValueFrom, toArray, type Observable } from 'rxjs';
import { eventSchema } from '../../src/events/event-schema';
import { toNdjson } from '../../src/events/ndjson';
import type { ProcessEvent } from '../../src/events/types';
import { ClaudeProcess } from '../../src/runnable/claude-process';
import { CommandProcess } from '../../src/runnable/command-process';
import { parallel } from '../../src/strategies/parallel';
import { fixture } from '../helpers';

const REPO = join(__dirname, '..', '..');
const AGENT = join(REPO, 'dist', 'testing', 'simulated-agent.js');

const validate = new Ajv({ allErrors: true, strict: true }).compile(eventSchema);

/** Every line `toNdjson` writes for a stream of events, parsed back to plain JSON values. */
async function wireLines(events$: Observable<ProcessEvent>): Promise<Record<string, unknown>[]> {
  const lines = await lastValueFrom(events$.pipe(toNdjson(), toArray()));
  return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

function expectValid(lines: readonly Record<string, unknown>[]): void {
  for (const line of lines) {
    const ok = validate(line);
    if (!ok) throw new Error(`${JSON.stringify(line).slice(0, 300)}\n${JSON.stringify(validate.errors, null, 2)}`);
  }
}

const node = (processId: string, args: string[], options: Partial<ConstructorParameters<typeof CommandProcess>[0]> = {}) =>
  new CommandProcess({ command: process.execPath, args: [fixture('print.js'), ...args], processId, killGraceMs: 1000, ...options });

describe('the protocol v1 schema', () => {
  it('ships as dist/events/event-schema.json, the same as src/events/event-schema.json and eventSchema', () => {
    const dist = join(REPO, 'dist', 'events', 'event-schema.json');
    if (!existsSync(dist)) throw new Error(`${dist} is missing: run \`npm run build\` first`);
    const exported = JSON.parse(JSON.stringify(eventSchema)) as unknown;
    expect(JSON.parse(readFileSync(dist, 'utf8'))).toEqual(exported);
    expect(JSON.parse(readFileSync(join(REPO, 'src', 'events', 'event-schema.json'), 'utf8'))).toEqual(exported);
  });

  it('validates every event of real command runs: output, failure, timeout, retry, halt, spawn error', async () => {
    const jobs = [
      node('prints', ['--out', 'hé 😀\n', '--err', 'warn\x1b[31m\n', '--lines', '3']),
      node('fails', ['--err', 'disk full\n', '--code', '3'], { retry: { count: 1, delayMs: 10 } }),
      new CommandProcess({ command: process.execPath, args: [fixture('sleep.js'), '5000'], processId: 'slow', timeout: 0.3, killGraceMs: 1000 }),
      new CommandProcess({ command: 'no-such-command-rxo', processId: 'missing' }),
    ];
    const lines = await wireLines(from(jobs).pipe(parallel({ maxWorkers: 4 })));
    expectValid(lines);
    const results = lines.filter((l) => l.type === 'result').map((l) => l.result as Record<string, unknown>);
    expect(results.map((r) => r.processId).sort()).toEqual(['fails', 'missing', 'prints', 'slow']);
    expect(results.find((r) => r.processId === 'fails')?.attempts).toHaveLength(2);
    expect(results.find((r) => r.processId === 'slow')).toMatchObject({ timedOut: true, reason: 'timeout' });

    const halted = await wireLines(from([node('first', ['--code', '1']), node('second', [])]).pipe(parallel({ maxWorkers: 1, halt: { when: 'soon', fail: 1 } })));
    expectValid(halted);
    expect(halted[halted.length - 1]).toMatchObject({ type: 'result', seq: 0, result: { reason: 'not-started', halted: true } });
  });

  it('validates every event of a Claude run of the simulated agent, agent events and totals included', async () => {
    if (!existsSync(AGENT)) throw new Error(`${AGENT} is missing: run \`npm run build\` first`);
    const run = new ClaudeProcess({ prompt: 'Say hi', command: AGENT, env: { SIM_AGENT_DELAY_MS: '0' }, processId: 'claude' });
    const lines = await wireLines(run.events());
    expectValid(lines);
    const agents = lines.filter((l) => l.type === 'agent');
    expect(agents.length).toBeGreaterThan(0);
    expect(agents.every((l) => l.agent === 'claude')).toBe(true);
    expect(lines[lines.length - 1]).toMatchObject({ type: 'result', result: { claude: { subtype: 'success' } } });
    expect(lines.map((l) => l.seq)).toEqual(lines.map((_, i) => i));
  });

  it('refuses what breaks the contract, and accepts what a later v1 may add', () => {
    const output = { v: 1, type: 'output', processId: 'a', stream: 'stdout', chunk: 'x', at: 1, seq: 0 };
    expect(validate(output)).toBe(true);
    const { seq: _seq, ...noSeq } = output;
    for (const bad of [noSeq, { ...output, v: 2 }, { ...output, seq: -1 }, { ...output, seq: 1.5 }, { ...output, stream: 'stdin' }, { ...output, chunk: 3 }, { ...output, at: '1' }]) {
      expect(validate(bad)).toBe(false);
    }
    const result = { v: 1, type: 'result', processId: 'a', at: 1, seq: 1, result: { exitCode: 0 } };
    expect(validate(result)).toBe(false);
    expect(validate({ v: 1, type: 'agent', processId: 'a', at: 1, seq: 2 })).toBe(false);
    // Additive changes keep v1: an unknown field, an unknown event type with the envelope.
    expect(validate({ ...output, newField: true })).toBe(true);
    expect(validate({ v: 1, type: 'verdict', processId: 'a', at: 1, seq: 3, passed: true })).toBe(true);
    expect(validate({ v: 1, type: 'verdict', processId: 'a', at: 1 })).toBe(false);
  });
});
