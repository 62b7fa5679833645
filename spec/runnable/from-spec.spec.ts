/**
 * Processes as data: `spec()` gives back a plain, JSON-serializable description of a run, and
 * `fromSpec` builds the same run again from it (after a trip through JSON), for real processes.
 */
import { realpathSync } from 'node:fs';
import { ClaudeProcess } from '../../src/runnable/claude-process';
import { CommandProcess } from '../../src/runnable/command-process';
import { fromSpec, hasSpec, type BuildContext } from '../../src/runnable/from-spec';
import { OutputGate } from '../../src/process/buffer/output-gate';
import type { Runnable } from '../../src/process/types';
import { tempDirs } from '../helpers';
import { installFakeClaude, readRecord } from '../strategies/helpers';

const temp = tempDirs('rxo-from-spec-');
afterAll(() => temp.cleanup());

const throughJson = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('spec() and fromSpec', () => {
  it('a CommandProcess gives its spec (durations in ms, stdin bytes as base64) and comes back the same', async () => {
    const dir = temp.make();
    const bytes = Buffer.from([0, 255, 10]);
    const original = new CommandProcess({
      command: 'od', args: ['-An', '-tx1'], processId: 'bytes', input: bytes, cwd: dir, timeout: 30, killGraceMs: 200,
      env: { SPEC_VAR: 'v' }, retry: { count: 1, delayMs: 0, retryOn: () => true }, maxBuffer: 4096,
    });
    const spec = original.spec();
    expect(spec).toEqual({
      kind: 'command', processId: 'bytes', command: 'od', args: ['-An', '-tx1'], input: { base64: bytes.toString('base64') },
      cwd: dir, timeoutMs: 30_000, killGraceMs: 200, env: { SPEC_VAR: 'v' }, retry: { count: 1, delayMs: 0 }, maxBuffer: 4096,
    });
    expect(throughJson(spec)).toEqual(spec);
    const again = fromSpec(throughJson(spec));
    expect(again).toBeInstanceOf(CommandProcess);
    expect(again.spec()).toEqual(spec);
    const [first, second] = await Promise.all([original.run(), again.run()]);
    expect(second.output).toBe(first.output);
    expect(second.output.trim()).toBe('00 ff 0a');
  });

  it('a ClaudeProcess gives its spec and the rebuilt one runs the same command line', async () => {
    const dir = temp.make();
    const fake = installFakeClaude(temp.make());
    const record = `${dir}/record.json`;
    const original = new ClaudeProcess({
      prompt: '-a prompt\nbyte-exact ✓', processId: 'c', workingDir: dir, command: fake, model: 'm', maxTurns: 2,
      allowedTools: ['Read'], outputFormat: 'text', startDelayMs: 1, env: { FAKE_CLAUDE_RECORD: record },
    });
    const spec = original.spec();
    expect(spec).toEqual({
      kind: 'claude', processId: 'c', prompt: '-a prompt\nbyte-exact ✓', command: fake, model: 'm', maxTurns: 2,
      allowedTools: ['Read'], outputFormat: 'text', startDelayMs: 1, cwd: dir, env: { FAKE_CLAUDE_RECORD: record },
    });
    const again = fromSpec(throughJson(spec));
    expect(again).toBeInstanceOf(ClaudeProcess);
    await original.run();
    const first = readRecord(record);
    await again.run();
    expect(readRecord(record)).toEqual(first);
    expect(first.cwd).toBe(realpathSync(dir));
  });

  it('a spec is a copy: changing it changes nothing in the process', () => {
    const process = new CommandProcess({ command: 'echo', args: ['a'] });
    const spec = process.spec() as unknown as { args: string[] };
    spec.args.push('b');
    expect(process.spec().args).toEqual(['a']);
  });

  it('your own kind is built by your builder, with the context (log sink, gate) passed on', async () => {
    const built: Runnable[] = [];
    const gate = new OutputGate();
    const contexts: BuildContext[] = [];
    const runnable = fromSpec({ kind: 'echo-word', processId: 'w', word: 'hello' } as never, {
      outputGate: gate,
      build: {
        'echo-word': (spec, context) => {
          contexts.push(context);
          const inner = new CommandProcess({ command: 'echo', args: [(spec as unknown as { word: string }).word], processId: spec.processId, ...context });
          built.push(inner);
          return inner;
        },
      },
    });
    expect(built).toEqual([runnable]);
    expect(contexts).toEqual([{ outputGate: gate }]);
    expect((await (runnable as CommandProcess).run()).output).toBe('hello\n');
  });

  it('a kind without a builder, or a spec that is not one, is a TypeError saying what to pass', () => {
    expect(() => fromSpec({ kind: 'mine', processId: 'x' })).toThrow(TypeError);
    expect(() => fromSpec({ kind: 'mine', processId: 'x' })).toThrow('spec.kind must be a kind with a builder (command, claude; pass build: { "mine": (spec, context) => runnable }), received "mine" (string)');
    expect(() => fromSpec(null as never)).toThrow('spec must be an object with a kind');
    expect(() => fromSpec({ kind: 'command', processId: 'x' } as never)).toThrow('command must be a non-empty string');
    expect(() => fromSpec({ kind: 'command', processId: 'x', command: 'true', timeoutMs: -1 })).toThrow('timeoutMs must be a finite number of milliseconds');
  });

  it('hasSpec tells a Runnable that gives its spec from one that does not', () => {
    expect(hasSpec(new CommandProcess({ command: 'true' }))).toBe(true);
    expect(hasSpec({ processId: 'x', events: () => { throw new Error('unused'); } })).toBe(false);
  });
});
