// sequential / runSequential: one at a time in order, passOutput (command processes on stdin,
// Claude processes in the prompt), no mutation of the process objects, stopOnFailure.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { from, lastValueFrom, toArray } from 'rxjs';
import { TestScheduler } from 'rxjs/testing';
import { ClaudeProcess } from '../../src/runnable/claude-process';
import { runSequential, sequential } from '../../src/strategies/sequential';
import type { ProcessEvent } from '../../src/process/types';
import { tempDirs } from '../helpers';
import {
  command,
  FakeRunnable,
  installFakeClaude,
  outputEvent,
  readRecord,
  resultEvent,
  touches,
} from './helpers';

const temp = tempDirs();
afterAll(() => temp.cleanup());

const testScheduler = (): TestScheduler => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));

describe('sequential (marble)', () => {
  it('subscribes each process only after the previous one completed, keeping submission order', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { A: outputEvent('a', 'A'), r: resultEvent('a'), s: resultEvent('b'), t: resultEvent('c') };
      const a = cold('-A-r|', values);
      const b = cold('--s|', values);
      const c = cold('t|', values);
      const processes = [new FakeRunnable('a', () => a), new FakeRunnable('b', () => b), new FakeRunnable('c', () => c)];
      expectObservable(from(processes).pipe(sequential())).toBe('-A-r--st|', values);
      expectSubscriptions(a.subscriptions).toBe('^---!');
      expectSubscriptions(b.subscriptions).toBe('----^--!');
      expectSubscriptions(c.subscriptions).toBe('-------^!');
    });
  });

  it('stopOnFailure emits the first failure last and never subscribes the processes after it', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { r: resultEvent('a'), f: resultEvent('b', 2), t: resultEvent('c') };
      const a = cold('-r|', values);
      const b = cold('-f--|', values);
      const c = cold('-t|', values);
      const processes = [new FakeRunnable('a', () => a), new FakeRunnable('b', () => b), new FakeRunnable('c', () => c)];
      expectObservable(from(processes).pipe(sequential({ stopOnFailure: true }))).toBe('-r-(f|)', values);
      expectSubscriptions(a.subscriptions).toBe('^-!');
      expectSubscriptions(b.subscriptions).toBe('--^!');
      expectSubscriptions(c.subscriptions).toBe([]);
    });
  });

  it('without stopOnFailure runs every process after a failure', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { r: resultEvent('a'), f: resultEvent('b', 2), t: resultEvent('c') };
      const a = cold('-r|', values);
      const b = cold('-f|', values);
      const c = cold('-t|', values);
      const processes = [new FakeRunnable('a', () => a), new FakeRunnable('b', () => b), new FakeRunnable('c', () => c)];
      expectObservable(from(processes).pipe(sequential())).toBe('-r-f-t|', values);
      expectSubscriptions(c.subscriptions).toBe('----^-!');
    });
  });

  it('unsubscribing the outer unsubscribes the running process and subscribes no later one', () => {
    testScheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const values = { A: outputEvent('a', 'A'), r: resultEvent('a'), s: resultEvent('b') };
      const a = cold('-A----r|', values);
      const b = cold('-s|', values);
      const processes = [new FakeRunnable('a', () => a), new FakeRunnable('b', () => b)];
      expectObservable(from(processes).pipe(sequential()), '^--!').toBe('-A-', values);
      expectSubscriptions(a.subscriptions).toBe('^--!');
      expectSubscriptions(b.subscriptions).toBe([]);
    });
  });

  it('passOutput hands each run the successful outputs so far, in the run options, never a failure', () => {
    const values = { r: resultEvent('a', 0, 'a-out'), f: resultEvent('b', 1, 'b-out'), t: resultEvent('c', 0, 'c-out') };
    const scheduler = testScheduler();
    const a = new FakeRunnable('a', () => scheduler.createColdObservable('-r|', values));
    const b = new FakeRunnable('b', () => scheduler.createColdObservable('-f|', values));
    const c = new FakeRunnable('c', () => scheduler.createColdObservable('-t|', values));
    const d = new FakeRunnable('d', () => scheduler.createColdObservable('|'));
    scheduler.run(({ expectObservable }) => {
      expectObservable(from([a, b, c, d]).pipe(sequential({ passOutput: true }))).toBe('-r-f-t|', values);
      // Flushed on leaving `run`: each run's recorded options show what it received when it started.
    });
    expect(a.runs[0].context).toEqual([]);
    expect(b.runs[0].context).toEqual([{ processId: 'a', output: 'a-out' }]);
    expect(c.runs[0].context).toEqual([{ processId: 'a', output: 'a-out' }]);
    expect(d.runs[0].context).toEqual([
      { processId: 'a', output: 'a-out' },
      { processId: 'c', output: 'c-out' },
    ]);
  });
});

describe('sequential without passOutput (fake Runnables)', () => {
  it('each subscription keeps its own outputs: a second run of the pipeline starts from an empty context', async () => {
    const a = new FakeRunnable('a', () => from([resultEvent('a', 0, 'a-out')]));
    const b = new FakeRunnable('b', () => from([resultEvent('b', 0, 'b-out')]));
    const pipeline = from([a, b]).pipe(sequential({ passOutput: true }), toArray());
    await lastValueFrom(pipeline);
    await lastValueFrom(pipeline);
    expect(a.runs.map((run) => run.context)).toEqual([[], []]);
    expect(b.runs.map((run) => run.context)).toEqual([[{ processId: 'a', output: 'a-out' }], [{ processId: 'a', output: 'a-out' }]]);
  });

  it('without passOutput gives no context at all', async () => {
    const a = new FakeRunnable('a', () => from([resultEvent('a', 0, 'a-out')]));
    const b = new FakeRunnable('b', () => from([resultEvent('b', 0, 'b-out')]));
    await lastValueFrom(from([a, b]).pipe(sequential(), toArray()));
    expect(b.runs[0].context).toBeUndefined();
  });
});

describe('runSequential (real processes)', () => {
  it('runs one process at a time: each starts only after the previous result, in submission order', async () => {
    const processes = [
      command('slow', 'sh', ['-c', 'sleep 0.2; echo 1']),
      command('fast', 'echo', ['2']),
      command('last', 'echo', ['3']),
    ];
    const events = await lastValueFrom(from(processes).pipe(sequential(), toArray()));
    const marks = events.filter((e) => e.type !== 'output').map((e) => `${e.type}:${e.processId}`);
    expect(marks).toEqual(['start:slow', 'result:slow', 'start:fast', 'result:fast', 'start:last', 'result:last']);
    const results = await runSequential(processes);
    expect(results.map((r) => r.output)).toEqual(['1\n', '2\n', '3\n']);
  });

  it('passOutput gives command processes the earlier successful outputs on stdin, in the <previous_outputs> format', async () => {
    const first = command('first & <"best">', 'printf', ['alpha']);
    const broken = command('broken', 'sh', ['-c', 'echo broken-out; exit 3']);
    const cat1 = command('cat1', 'cat');
    const cat2 = command('cat2', 'cat');
    const before = [first, broken, cat1, cat2].map((p) => JSON.stringify(p.options));

    const results = await runSequential([first, broken, cat1, cat2], { passOutput: true });

    const firstSection = '<output process_id="first &amp; &lt;&quot;best&quot;&gt;">\nalpha\n</output>\n';
    const cat1Expected = `<previous_outputs>\n${firstSection}</previous_outputs>\n`;
    expect(results.map((r) => r.exitCode)).toEqual([0, 3, 0, 0]);
    expect(results[2].output).toBe(cat1Expected);
    expect(results[3].output).toBe(
      `<previous_outputs>\n${firstSection}<output process_id="cat1">\n${cat1Expected}</output>\n</previous_outputs>\n`,
    );
    expect(results[3].output).not.toContain('broken-out');
    // The processes are untouched: the context travelled in each run's options.
    expect([first, broken, cat1, cat2].map((p) => JSON.stringify(p.options))).toEqual(before);
    expect(cat1.options.input).toBeUndefined();
    expect((await cat1.run()).output).toBe('');
  });

  it('passOutput gives Claude processes the earlier outputs in their prompt and leaves the process objects unchanged', async () => {
    const dir = temp.make();
    const fake = installFakeClaude(dir);
    const stage = (id: string, prompt: string, reply: string) =>
      new ClaudeProcess({
        prompt,
        processId: id,
        command: fake,
        env: { FAKE_CLAUDE_RECORD: join(dir, `${id}.json`), FAKE_CLAUDE_REPLY: reply },
      });
    const stages = [
      stage('analyze', 'Analyze codebase', 'analysis done\n'),
      stage('plan', 'Create improvement plan', 'plan done'),
      stage('implement', 'Implement improvements', 'implemented\n'),
    ];
    const before = stages.map((s) => ({ prompt: s.prompt, options: JSON.stringify(s.options) }));

    const results = await runSequential(stages, { passOutput: true, stopOnFailure: true });

    expect(results.map((r) => [r.processId, r.exitCode, r.output])).toEqual([
      ['analyze', 0, 'analysis done\n'],
      ['plan', 0, 'plan done'],
      ['implement', 0, 'implemented\n'],
    ]);
    const analyzeSection = '<output process_id="analyze">\nanalysis done\n</output>\n';
    const planSection = '<output process_id="plan">\nplan done\n</output>\n';
    expect(readRecord(join(dir, 'analyze.json')).argv).toEqual(['--dangerously-skip-permissions', '-p', 'Analyze codebase', '--output-format', 'stream-json', '--verbose', '--include-partial-messages']);
    expect(readRecord(join(dir, 'plan.json')).argv).toEqual([
      '--dangerously-skip-permissions',
      '-p',
      `Create improvement plan\n\n<previous_outputs>\n${analyzeSection}</previous_outputs>\n`,
      '--output-format', 'stream-json', '--verbose', '--include-partial-messages',
    ]);
    const implement = readRecord(join(dir, 'implement.json'));
    expect(implement.argv[2]).toBe(`Implement improvements\n\n<previous_outputs>\n${analyzeSection}${planSection}</previous_outputs>\n`);
    expect(implement.stdin.length).toBe(0);

    expect(stages.map((s) => ({ prompt: s.prompt, options: JSON.stringify(s.options) }))).toEqual(before);
    // Running a stage again on its own sends its own prompt only.
    await stages[2].run();
    expect(readRecord(join(dir, 'implement.json')).argv).toEqual(['--dangerously-skip-permissions', '-p', 'Implement improvements', '--output-format', 'stream-json', '--verbose', '--include-partial-messages']);
  });

  it('stopOnFailure stops after the first failure, which is the last result; later processes never run', async () => {
    const dir = temp.make();
    const marker = join(dir, 'third-ran');
    const processes = [command('ok', 'echo', ['ok']), command('fails', 'false'), touches('third', marker)];

    const results = await runSequential(processes, { stopOnFailure: true });

    expect(results.map((r) => [r.processId, r.exitCode])).toEqual([
      ['ok', 0],
      ['fails', 1],
    ]);
    expect(existsSync(marker)).toBe(false);
  });

  it('without stopOnFailure runs every process even after a failure', async () => {
    const dir = temp.make();
    const marker = join(dir, 'third-ran');
    const processes = [command('ok', 'echo', ['ok']), command('fails', 'false'), touches('third', marker)];

    const results = await runSequential(processes);

    expect(results.map((r) => [r.processId, r.exitCode])).toEqual([
      ['ok', 0],
      ['fails', 1],
      ['third', 0],
    ]);
    expect(existsSync(marker)).toBe(true);
  });

  it('resolves an empty list to no results', async () => {
    await expect(runSequential([])).resolves.toEqual([]);
    const events: ProcessEvent[] = await lastValueFrom(from([]).pipe(sequential(), toArray()));
    expect(events).toEqual([]);
  });
});
