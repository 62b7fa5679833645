// `--no-partial-messages` (issue 13 item 1): the CLI passes claude --include-partial-messages by
// default in stream-json and not with the flag; live text then arrives token by token or line by line.
import type { ProcessEvent } from '../../src/process/types';
import { tempDirs } from '../helpers';
import { AGENT, runCli } from './helpers';

const temp = tempDirs();
afterAll(() => temp.cleanup());

const outputEvents = (stdout: string): ProcessEvent[] =>
  stdout.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as ProcessEvent).filter((e) => e.type === 'output');

describe('orchestrate run --no-partial-messages', () => {
  it('streams text deltas by default and whole lines with the flag; the same text either way', async () => {
    const cwd = temp.make();
    const args = ['run', 'Check the retry logic', '--command', AGENT, '--json', '--no-log'];
    const [streamed, whole] = await Promise.all([runCli(args, { cwd }), runCli([...args, '--no-partial-messages'], { cwd })]);
    expect([streamed.code, whole.code]).toEqual([0, 0]);
    const text = (events: ProcessEvent[]) => events.map((e) => (e.type === 'output' ? e.chunk : '')).join('');
    const [a, b] = [outputEvents(streamed.stdout), outputEvents(whole.stdout)];
    expect(text(a)).toBe(text(b));
    expect(b).toHaveLength(text(b).split('\n').length - 1);
    expect(a.length).toBeGreaterThan(b.length * 2);
  });
});
