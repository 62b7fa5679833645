// `orchestrate run --json-schema <file|json>`: the schema from a file or inline, the checked
// answer on the result event, and a schema that is not one refused as a usage error.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AGENT, destroyRunning, runCli } from '../../cli/helpers';
import { tempDirs } from '../../helpers';

const temp = tempDirs('rxo-so-cli-');
afterAll(() => temp.cleanup());
afterEach(() => destroyRunning());
const SCHEMA = { type: 'object', properties: { ok: { type: 'boolean' } }, required: ['ok'], additionalProperties: false };

describe('orchestrate --json-schema', () => {
  it('reads the schema from a file; the result event carries the checked structured output', async () => {
    const cwd = temp.make('file');
    const file = join(cwd, 'schema.json');
    writeFileSync(file, JSON.stringify(SCHEMA));
    const out = await runCli(['run', 'Is it ok?', '--command', AGENT, '--json-schema', file, '--json', '--no-log'], { cwd });
    expect(out.code).toBe(0);
    const result = out.stdout.trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.type === 'result');
    expect(typeof result.result.claude.structuredOutput.ok).toBe('boolean');
  });

  it('a schema that does not parse, or a missing file, is a usage error naming the flag', async () => {
    const cwd = temp.make('bad');
    const [inline, missing] = await Promise.all([
      runCli(['run', 'x', '--command', AGENT, '--json-schema', '{"type":', '--no-log'], { cwd }),
      runCli(['run', 'x', '--command', AGENT, '--json-schema', join(cwd, 'none.json'), '--no-log'], { cwd }),
    ]);
    expect([inline.code, missing.code]).toEqual([2, 2]);
    expect(inline.stderr).toMatch(/--json-schema must be a JSON Schema/);
    expect(missing.stderr).toMatch(/--json-schema must be a JSON Schema or a file holding one, received ".*none.json": ENOENT/);
  });
});
