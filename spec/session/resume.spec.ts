/**
 * Plan and resume from the library: a session records its plan, `pendingFrom` finds what failed or
 * never ran, a new session runs exactly those again with the same definitions, `withoutSucceeded`
 * filters a rebuilt list; secrets never reach plan.json.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ResumeError } from '../../src/errors';
import { ClaudeProcess } from '../../src/runnable/claude-process';
import { CommandProcess } from '../../src/runnable/command-process';
import { OrchestratorSession } from '../../src/session/orchestrator-session';
import { readJobLog } from '../../src/session/job-log';
import { readPlan } from '../../src/session/plan';
import { pendingFrom, withoutSucceeded } from '../../src/session/resume';
import { runWithFallback } from '../../src/strategies/fallback';
import { runSequential } from '../../src/strategies/sequential';
import type { Observable } from 'rxjs';
import type { RunSpec } from '../../src/process/spec';
import type { ProcessEvent, RunOptions, Runnable } from '../../src/process/types';
import type { BuildContext, SpecifiedRunnable } from '../../src/runnable/from-spec';
import { tempDirs } from '../helpers';
import { installFakeClaude, readRecord } from '../strategies/helpers';

const temp = tempDirs('rxo-resume-');
const sessions: OrchestratorSession[] = [];
let fake: string;
beforeAll(() => {
  fake = installFakeClaude(temp.make('bin'));
});
afterEach(async () => {
  await Promise.all(sessions.splice(0).map((s) => s.close()));
});
afterAll(() => temp.cleanup());

function session(workingDir = temp.make('work')): OrchestratorSession {
  const created = new OrchestratorSession({ patternName: 'resume-spec', workingDir, command: fake });
  sessions.push(created);
  return created;
}

/** A command that exits 0 once `flag` exists, 1 before: fails the first time, succeeds on resume. */
const untilFlag = (s: OrchestratorSession, id: string, flag: string): CommandProcess =>
  s.createCommand(process.execPath, ['-e', `process.exit(require("fs").existsSync(${JSON.stringify(flag)}) ? 0 : 1)`], id);

describe('plan and resume (library)', () => {
  it('reruns, in a new session, exactly what failed or never ran, with the same definitions', async () => {
    const work = temp.make('chain');
    const flag = join(work, 'flag');
    const first = session(work);
    const record = join(work, 'claude-record.json');
    const chain = [
      first.createCommand('sh', ['-c', 'cat; echo " done"'], 'ok', { input: 'stdin-bytes' }),
      first.createProcess('Résumé: the prompt, byte-exact', 'claude', {
        model: 'sim-model',
        env: { FAKE_CLAUDE_RECORD: record, FAKE_CLAUDE_EXIT: '0', SPEC_PLAIN: 'kept', SPEC_API_KEY: 'not-in-the-plan-123' },
        timeout: 60,
        limits: { cpuSeconds: 30 },
      }),
      untilFlag(first, 'flaky', flag),
      first.createCommand(process.execPath, ['-e', 'console.log("never ran before")'], 'never'),
    ];
    first.plan(chain, { strategy: 'sequential', settings: { stopOnFailure: true } });
    const results = await runSequential(chain, { stopOnFailure: true });
    expect(results.map((r) => [r.processId, r.exitCode])).toEqual([['ok', 0], ['claude', 0], ['flaky', 1]]);

    const planPath = join(first.sessionDir, 'plan.json');
    expect(statSync(planPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(planPath, 'utf8')).not.toContain('not-in-the-plan-123');
    const plan = readPlan(first.sessionDir);
    expect(plan).toMatchObject({ version: 2, sessionId: first.sessionId, patternName: 'resume-spec', cwd: work });
    expect(plan.phases[0].processes[1]).toEqual({
      processId: 'claude',
      spec: {
        kind: 'claude',
        processId: 'claude',
        prompt: 'Résumé: the prompt, byte-exact',
        model: 'sim-model',
        command: fake,
        cwd: work,
        timeoutMs: 60_000,
        limits: { cpuSeconds: 30 },
        env: { FAKE_CLAUDE_RECORD: record, FAKE_CLAUDE_EXIT: '0', SPEC_PLAIN: 'kept' },
      },
    });

    const pending = pendingFrom(first.sessionDir);
    expect(pending.done).toEqual(['ok', 'claude']);
    expect(pending.pending.map((p) => p.processId)).toEqual(['flaky', 'never']);
    expect(pending.phases).toEqual([{ strategy: 'sequential', settings: { stopOnFailure: true }, processes: pending.pending }]);

    writeFileSync(flag, '');
    const second = session(work);
    const again = pending.pending.map((planned) => second.createPlanned(planned));
    const rerun = await runSequential(again, { stopOnFailure: true });
    expect(rerun.map((r) => [r.processId, r.exitCode, r.output])).toEqual([
      ['flaky', 0, ''],
      ['never', 0, 'never ran before\n'],
    ]);
    expect(readJobLog(second.sessionDir).map((e) => [e.processId, e.exitCode])).toEqual([['flaky', 0], ['never', 0]]);
  });

  it('a planned Claude process and a command with stdin come back the same', async () => {
    const s = session();
    const record = join(s.workingDir, 'record.json');
    const claude = s.createProcess('-starts with a dash\nand two lines', 'c', {
      model: 'm1',
      outputFormat: 'text',
      maxTurns: 3,
      allowedTools: ['Read', 'Bash(git log:*)'],
      retry: { count: 1, delayMs: 0 },
      extraArgs: ['--verbose'],
      env: { FAKE_CLAUDE_RECORD: record },
    });
    const bytes = Buffer.from([0, 255, 10, 200]);
    const command = s.createCommand('od', ['-An', '-tx1'], 'bytes', { input: bytes, terminal: false, maxBuffer: 1000 });
    s.plan([claude, command]);
    const [plannedClaude, plannedCommand] = readPlan(s.sessionDir).phases[0].processes;
    const other = session();
    const rebuiltClaude = other.createPlanned(plannedClaude) as ClaudeProcess;
    expect(rebuiltClaude).toBeInstanceOf(ClaudeProcess);
    expect([rebuiltClaude.prompt, rebuiltClaude.model, rebuiltClaude.processId]).toEqual(['-starts with a dash\nand two lines', 'm1', 'c']);
    await claude.run();
    const originalArgv = readRecord(record).argv;
    expect(originalArgv).toEqual(expect.arrayContaining(['--max-turns', '3', '--allowedTools', 'Read,Bash(git log:*)', '--verbose']));
    expect(originalArgv).not.toContain('--output-format');
    await rebuiltClaude.run();
    expect(readRecord(record).argv).toEqual(originalArgv);
    expect(rebuiltClaude.options.retry).toEqual({ count: 1, delayMs: 0 });
    const rebuiltCommand = other.createPlanned(plannedCommand) as CommandProcess;
    expect(Buffer.from(rebuiltCommand.options.input as Buffer)).toEqual(bytes);
    expect(plannedCommand.spec).toMatchObject({ input: { base64: bytes.toString('base64') } });
    expect((await rebuiltCommand.run()).output.trim()).toBe('00 ff 0a c8');
  });

  it('a fallback phase is done when any of it succeeded, pending as a whole otherwise', async () => {
    const s = session();
    const won = [s.createCommand('false', [], 'a'), s.createCommand('true', [], 'b'), s.createCommand('true', [], 'c')];
    s.plan(won, { strategy: 'fallback' });
    await runWithFallback(won);
    const lost = [s.createCommand('false', [], 'x'), s.createCommand('false', [], 'y')];
    s.plan(lost, { strategy: 'fallback' });
    await runWithFallback(lost);
    const pending = pendingFrom(s.sessionDir);
    expect(pending.phases.map((phase) => phase.processes.map((p) => p.processId))).toEqual([['x', 'y']]);
    expect(pending.done).toEqual(['a', 'b', 'c']);
  });

  it('withoutSucceeded: a rebuilt list minus what succeeded before (the same job under the same id)', async () => {
    const s = session();
    const build = (target: OrchestratorSession, third: string): CommandProcess[] => [
      target.createCommand('true', [], 'one'),
      target.createCommand('false', [], 'two'),
      target.createCommand('echo', [third], 'three'),
    ];
    const jobs = build(s, 'same');
    s.plan(jobs);
    await runSequential(jobs);
    expect(withoutSucceeded(build(session(), 'same'), s.sessionDir).map((p) => p.processId)).toEqual(['two']);
    // `three` is now a different job: it runs again even though its id succeeded.
    expect(withoutSucceeded(build(session(), 'changed'), s.sessionDir).map((p) => p.processId)).toEqual(['two', 'three']);
    expect(withoutSucceeded(build(session(), 'same'), s.sessionDir, { fallback: true })).toEqual([]);
  });

  it('a secret value in a command line never reaches plan.json; that process cannot be resumed', async () => {
    const secret = 'hunter2-very-secret-value';
    process.env.RXO_SPEC_PASSWORD = secret;
    try {
      const s = session();
      s.plan([s.createCommand('echo', [secret], 'leaky'), s.createCommand('echo', ['sk-ant-api03-abcdefghijk'], 'keyed'), s.createCommand('echo', ['plain'], 'plain')]);
      const text = readFileSync(join(s.sessionDir, 'plan.json'), 'utf8');
      expect(text).not.toContain(secret);
      expect(text).not.toContain('sk-ant-api03');
      const [leaky, keyed, plain] = readPlan(s.sessionDir).phases[0].processes;
      expect([leaky.secretsRemoved, keyed.secretsRemoved, plain.secretsRemoved]).toEqual([true, true, undefined]);
      expect(leaky.spec).toMatchObject({ kind: 'command', args: ['[REDACTED]'] });
      expect(() => session().createPlanned(leaky)).toThrow(ResumeError);
      expect(() => session().createPlanned(leaky)).toThrow('cannot resume: process "leaky" held a secret value');
    } finally {
      delete process.env.RXO_SPEC_PASSWORD;
    }
  });

  it('a session without a plan or a missing directory are clear errors', () => {
    const s = session();
    expect(() => pendingFrom(s.sessionDir)).toThrow(ResumeError);
    expect(() => pendingFrom(s.sessionDir)).toThrow(/has no plan\.json|it has no plan.json/);
    expect(() => pendingFrom(join(s.sessionDir, 'nope'))).toThrow(/no such directory/);
  });

  it('a Runnable without spec() is planned by id as not resumable, and resuming it says why', () => {
    const s = session();
    s.plan([{ processId: 'custom', events: () => { throw new Error('unused'); } }, s.createCommand('true', [], 'plain')]);
    const [custom, plain] = pendingFrom(s.sessionDir).pending;
    expect(custom).toEqual({ processId: 'custom', unresumable: expect.stringContaining('a Runnable without spec()') });
    expect(() => session().createPlanned(custom)).toThrow(ResumeError);
    expect(() => session().createPlanned(custom)).toThrow('cannot resume: process "custom" cannot be resumed: it is a Runnable without spec()');
    expect(session().createPlanned(plain)).toBeInstanceOf(CommandProcess);
  });
});

/** A Runnable of its own kind: says a word `times` times (then fails while the file `until` is missing), by wrapping a CommandProcess. */
class RepeatWord implements SpecifiedRunnable<RepeatSpec> {
  private readonly inner: CommandProcess;
  constructor(readonly word: string, readonly times: number, readonly processId: string, context: BuildContext = {}, readonly until?: string) {
    const script = `for i in $(seq ${times}); do echo "$1"; done; [ -z "$2" ] || [ -e "$2" ]`;
    this.inner = new CommandProcess({ command: 'sh', args: ['-c', script, 'sh', word, until ?? ''], processId, ...context });
  }
  events(run?: RunOptions): Observable<ProcessEvent> {
    return this.inner.events(run);
  }
  spec(): RepeatSpec {
    return { kind: 'repeat-word', processId: this.processId, word: this.word, times: this.times, ...(this.until ? { until: this.until } : {}) };
  }
}
interface RepeatSpec extends RunSpec {
  readonly kind: 'repeat-word';
  readonly word: string;
  readonly times: number;
  readonly until?: string;
}
const buildRepeat = (spec: RunSpec, context: BuildContext): Runnable => {
  const { word, times, processId, until } = spec as RepeatSpec;
  return new RepeatWord(word, times, processId, context, until);
};

describe('a Runnable of your own kind (a spec and a builder)', () => {
  it('is planned as its spec, and resumed for real through the builder, logged by the new session', async () => {
    const work = temp.make('custom');
    const first = session(work);
    const flag = join(work, 'flag');
    const jobs = [new RepeatWord('again', 3, 'bad', { logSink: first.logSink }, flag), new RepeatWord('ok', 2, 'good', { logSink: first.logSink })];
    first.plan(jobs, { strategy: 'sequential' });
    expect((await runSequential(jobs)).map((r) => r.exitCode)).toEqual([1, 0]);
    expect(readPlan(first.sessionDir).phases[0].processes[0]).toEqual({ processId: 'bad', spec: { kind: 'repeat-word', processId: 'bad', word: 'again', times: 3, until: flag } });

    const work2 = pendingFrom(first.sessionDir);
    expect(work2.pending.map((p) => p.processId)).toEqual(['bad']);
    const second = session(work);
    expect(() => second.createPlanned(work2.pending[0])).toThrow('process "bad" is of kind "repeat-word", which has no builder: pass build: { "repeat-word": (spec, context) => runnable }');
    writeFileSync(flag, '');
    const rebuilt = second.createPlanned(work2.pending[0], { build: { 'repeat-word': buildRepeat } });
    expect(rebuilt).toBeInstanceOf(RepeatWord);
    const [result] = await runSequential([rebuilt]);
    expect([result.processId, result.exitCode, result.output]).toEqual(['bad', 0, 'again\nagain\nagain\n']);
    expect(readJobLog(second.sessionDir).map((e) => [e.processId, e.exitCode])).toEqual([['bad', 0]]);
    // withoutSucceeded knows the same job of your kind by its spec.
    expect(withoutSucceeded([new RepeatWord('ok', 2, 'good')], first.sessionDir)).toEqual([]);
    expect(withoutSucceeded([new RepeatWord('ok', 3, 'good')], first.sessionDir).map((p) => p.processId)).toEqual(['good']);
  });

  it('its spec is redacted like any other: a secret in your own field marks it secretsRemoved', () => {
    const s = session();
    s.plan([new RepeatWord('sk-ant-api03-abcdefghijklmnop', 1, 'keyed')]);
    const [keyed] = readPlan(s.sessionDir).phases[0].processes;
    expect(keyed).toEqual({ processId: 'keyed', spec: { kind: 'repeat-word', processId: 'keyed', word: '[REDACTED]', times: 1 }, secretsRemoved: true });
    expect(() => session().createPlanned(keyed, { build: { 'repeat-word': buildRepeat } })).toThrow('held a secret value');
  });
});

describe('a plan written before specs (version 1)', () => {
  it('is read as version 2: its processes become specs (seconds become milliseconds) and run again', async () => {
    const s = session();
    const v1 = {
      version: 1, sessionId: 'old', patternName: 'old', workingDir: s.workingDir,
      phases: [{ strategy: 'sequential', processes: [
        { kind: 'command', processId: 'cat', command: 'cat', args: [], input: { encoding: 'base64', data: Buffer.from('bytes').toString('base64') },
          options: { cwd: s.workingDir, timeout: 30, killGrace: 2, retry: { count: 1, delay: 0.5, maxDelay: 2 } } },
        { kind: 'claude', processId: 'c', command: 'claude', prompt: 'hi', model: 'm', extraArgs: ['--x'], claudeOptions: { maxTurns: 2 }, options: { exitGrace: 1 } },
      ] }],
    };
    writeFileSync(join(s.sessionDir, 'plan.json'), JSON.stringify(v1));
    const plan = readPlan(s.sessionDir, { integrity: 'allow-unsigned' });
    expect(plan).toMatchObject({ version: 2, cwd: s.workingDir });
    expect(plan.phases[0].processes).toEqual([
      { processId: 'cat', spec: { kind: 'command', processId: 'cat', command: 'cat', args: [], input: { base64: Buffer.from('bytes').toString('base64') },
        cwd: s.workingDir, timeoutMs: 30_000, killGraceMs: 2000, retry: { count: 1, delayMs: 500, maxDelayMs: 2000 } } },
      { processId: 'c', spec: { kind: 'claude', processId: 'c', command: 'claude', prompt: 'hi', model: 'm', extraArgs: ['--x'], maxTurns: 2, exitGraceMs: 1000 } },
    ]);
    const rebuilt = session().createPlanned(pendingFrom(s.sessionDir, { integrity: 'allow-unsigned' }).pending[0]) as CommandProcess;
    expect((await rebuilt.run()).output).toBe('bytes');
  });
});
