// Structured output (`jsonSchema`) with the built simulated agent: the flag on the command line,
// the checked value on the result, and a failure that says what was missing or invalid.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { claudeRunOf } from '../../../src/agents/claude/run-info';
import { claudeFlags } from '../../../src/agents/claude/claude-args';
import { checkStructuredOutput } from '../../../src/agents/claude/structured-output';
import { ClaudeProcess, type ClaudeProcessOptions } from '../../../src/runnable/claude-process';
import { fromSpec } from '../../../src/runnable/from-spec';
import { tempDirs } from '../../helpers';

const AGENT = join(__dirname, '..', '..', '..', 'dist', 'testing', 'simulated-agent.js');
const SCHEMA = {
  type: 'object',
  properties: { verdict: { enum: ['pass', 'fail'] }, score: { type: 'integer', minimum: 1, maximum: 5 } },
  required: ['verdict', 'score'],
  additionalProperties: false,
};
const temp = tempDirs('rxo-structured-');
afterAll(() => temp.cleanup());

function scripted(entries: readonly object[]): string {
  const file = join(temp.make('script'), 'script.json');
  writeFileSync(file, JSON.stringify(entries));
  return file;
}
const sim = (options: Partial<ClaudeProcessOptions> & { prompt: string }, script?: string): ClaudeProcess =>
  new ClaudeProcess({ command: AGENT, jsonSchema: SCHEMA, ...options, env: { SIM_AGENT_DELAY_MS: '0', ...(script ? { SIM_AGENT_SCRIPT: script } : {}) } });

describe('jsonSchema', () => {
  it('becomes --json-schema <compact JSON>, from an object or from JSON text', () => {
    expect(claudeFlags({ jsonSchema: SCHEMA }).slice(-2)).toEqual(['--json-schema', JSON.stringify(SCHEMA)]);
    expect(claudeFlags({ jsonSchema: ' {"type": "object"} ' })).toContain('{"type":"object"}');
  });

  it('refuses what is not a schema, and text output, naming the option and the value', () => {
    expect(() => new ClaudeProcess({ prompt: 'x', jsonSchema: '{not json' })).toThrow(/jsonSchema must be a JSON Schema.*"\{not json"/);
    expect(() => new ClaudeProcess({ prompt: 'x', jsonSchema: '[1]' })).toThrow(/jsonSchema must be a JSON Schema/);
    expect(() => new ClaudeProcess({ prompt: 'x', jsonSchema: { type: 'no-such-type' } })).toThrow(/jsonSchema must be a JSON Schema.*compiles/);
    expect(() => new ClaudeProcess({ prompt: 'x', jsonSchema: SCHEMA, outputFormat: 'text' })).toThrow(/jsonSchema must be used with outputFormat 'stream-json' or 'json'/);
  });

  it('the answer arrives checked as claude.structuredOutput; the spec keeps the schema', async () => {
    const run = sim({ prompt: 'grade this', processId: 'grader' });
    const result = await run.run();
    expect(result.exitCode).toBe(0);
    const value = claudeRunOf(result)?.structuredOutput as { verdict: string; score: number };
    expect(['pass', 'fail']).toContain(value.verdict);
    expect(value.score).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(result.output)).toEqual(value);
    // Deterministic: the same prompt and model give the same answer; the spec rebuilds the same run.
    expect(claudeRunOf(await (fromSpec(run.spec()) as ClaudeProcess).run())?.structuredOutput).toEqual(value);
  });

  it('json output format carries it too', async () => {
    const script = scripted([{ match: 'json-format', structuredOutput: { verdict: 'pass', score: 4 } }]);
    const result = await sim({ prompt: 'json-format', outputFormat: 'json' }, script).run();
    expect(claudeRunOf(result)?.structuredOutput).toEqual({ verdict: 'pass', score: 4 });
  });

  it('an answer the schema rejects fails the run and names what failed validation', async () => {
    const script = scripted([{ match: 'bad-answer', structuredOutput: { verdict: 'maybe', score: 9 } }]);
    const result = await sim({ prompt: 'bad-answer' }, script).run();
    expect(result.exitCode).toBe(1);
    expect(result.error).toMatch(/structured output does not match jsonSchema: \/verdict must be equal to one of the allowed values; \/score must be <= 5/);
    expect(claudeRunOf(result)?.structuredOutput).toBeUndefined();
  });

  it('no structured output at all fails the run with a clear error', async () => {
    const script = scripted([{ match: 'no-answer', omitStructuredOutput: true }]);
    const result = await sim({ prompt: 'no-answer' }, script).run();
    expect(result.exitCode).toBe(1);
    expect(result.error).toMatch(/Claude returned no structured output/);
  });

  it('checkStructuredOutput names the path of each complaint', () => {
    expect(checkStructuredOutput(SCHEMA, { verdict: 'pass' })).toEqual({ ok: false, error: expect.stringContaining("(root) must have required property 'score'") });
    expect(checkStructuredOutput(JSON.stringify(SCHEMA), { verdict: 'pass', score: 2 })).toEqual({ ok: true, value: { verdict: 'pass', score: 2 } });
  });
});

describe('the simulated agent script', () => {
  it('writeFiles writes inside the working directory only', async () => {
    const cwd = temp.make('write');
    const ok = scripted([{ match: 'write-ok', writeFiles: { 'sub/a.txt': 'A' } }]);
    expect((await sim({ prompt: 'write-ok', cwd, jsonSchema: undefined }, ok).run()).exitCode).toBe(0);
    expect(readFileSync(join(cwd, 'sub', 'a.txt'), 'utf8')).toBe('A');
    const escape = scripted([{ match: 'write-out', writeFiles: { '../outside.txt': 'x' } }]);
    const refused = await sim({ prompt: 'write-out', cwd, jsonSchema: undefined }, escape).run();
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toContain('leaves the working directory');
    expect(existsSync(join(cwd, '..', 'outside.txt'))).toBe(false);
  });
});
