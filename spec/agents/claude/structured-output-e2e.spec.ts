// Structured output with the real Claude Code CLI (2.1.197) against the Messages API stand-in.
// What the CLI does with `--json-schema`, recorded here: it offers the model a `StructuredOutput`
// tool whose input_schema is the schema (tool_choice left to the model), and ends the run once the
// tool is called with a valid input; the result event carries it as `structured_output`. The
// stand-in answers as the API would: a tool_use block of `StructuredOutput` with the input.
import { join } from 'node:path';
import { claudeRunOf } from '../../../src/agents/claude/run-info';
import { ClaudeProcess } from '../../../src/runnable/claude-process';
import { LONG_TESTS, tempDirs } from '../../helpers';
import { standInEnv, startFakeMessagesApi, type FakeMessagesApi } from './fake-messages-api';

const CLAUDE = join(__dirname, '..', '..', '..', 'node_modules', '.bin', 'claude');
const SCHEMA = { type: 'object', properties: { decision: { type: 'string' }, confidence: { type: 'number' } }, required: ['decision', 'confidence'] };
const temp = tempDirs('rxo-so-e2e-');
let api: FakeMessagesApi;

beforeAll(async () => {
  api = await startFakeMessagesApi([
    { match: 'so-e2e-valid', toolUse: { name: 'StructuredOutput', input: { decision: 'ship it', confidence: 0.8 } } },
    // An input the CLI itself rejects; every later turn answers in text: no structured output at all.
    { match: 'so-e2e-never', toolUse: { name: 'StructuredOutput', input: { decision: 7 } }, text: 'I would rather not.' },
  ]);
});
afterAll(async () => {
  await api.close();
  temp.cleanup();
});
afterEach(() => expect(api.requests.filter((r) => r.proxied)).toEqual([]));

function claude(prompt: string, processId: string): ClaudeProcess {
  const home = temp.make(processId);
  return new ClaudeProcess({
    prompt, processId, command: CLAUDE, model: 'claude-sonnet-4-5', cwd: home, jsonSchema: SCHEMA, killGraceMs: 2000,
    env: standInEnv(api, home),
  });
}

describe('the real claude CLI with --json-schema', () => {
  it('sends the schema as the StructuredOutput tool and hands back the checked object', async () => {
    const result = await claude('Decide so-e2e-valid', 'valid').run();
    expect(result.error).toBeNull();
    expect(claudeRunOf(result)?.structuredOutput).toEqual({ decision: 'ship it', confidence: 0.8 });
    expect(JSON.parse(result.output)).toEqual({ decision: 'ship it', confidence: 0.8 });
    const [request] = api.messagesMatching('so-e2e-valid');
    const tool = (request.body.tools as { name: string; input_schema: unknown }[]).find((t) => t.name === 'StructuredOutput');
    expect(tool?.input_schema).toEqual(SCHEMA);
    expect(request.body.tool_choice).toBeUndefined();
  }, 60_000);

  (LONG_TESTS ? it : it.skip)('a model that never answers validly: the CLI reports success, the run fails', async () => {
    const result = await claude('Decide so-e2e-never', 'never').run();
    expect(result.exitCode).toBe(1);
    expect(result.error).toMatch(/Claude returned no structured output/);
    // The CLI told the model why its input was refused, then asked once more.
    const texts = api.messagesMatching('so-e2e-never').map((r) => r.raw);
    expect(texts.some((raw) => raw.includes("must have required property") || raw.includes('must be string'))).toBe(true);
  }, 60_000);
});
