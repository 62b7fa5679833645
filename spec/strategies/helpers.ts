// Helpers shared by the strategy, Claude and session specs: fake Runnables for marble tests,
// real processes built from binaries, and the fake claude. /proc checks, waiting for conditions,
// temp dirs and fixture paths come from spec/helpers.ts.
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tap, type Observable } from 'rxjs';
import { CommandProcess, type CommandProcessOptions } from '../../src/runnable/command-process';
import type { ProcessEvent, ProcessResult, RunOptions, Runnable } from '../../src/process/types';
import { fixture } from '../helpers';

// ---------------------------------------------------------------------------------------------
// Fake Runnables (marble tests): the Runnable interface, not a mocked child_process.

/** A Runnable whose every run is the given (cold) Observable; it records the options of each run. */
export class FakeRunnable implements Runnable {
  readonly runs: RunOptions[] = [];
  constructor(
    readonly processId: string,
    private readonly source: () => Observable<ProcessEvent>,
  ) {}
  events(options: RunOptions = {}): Observable<ProcessEvent> {
    this.runs.push(options);
    return this.source();
  }
}

/** A fixed `start` event (deterministic, so marble values compare equal). */
export function startEvent(processId: string): ProcessEvent {
  return { type: 'start', processId, pid: 1000, command: processId, args: [], at: 0 };
}

export function outputEvent(processId: string, chunk: string): ProcessEvent {
  return { type: 'output', processId, stream: 'stdout', chunk, at: 0 };
}

/** A fixed result: exit code 0 succeeds, anything else fails. */
export function fixedResult(processId: string, exitCode = 0, output = ''): ProcessResult {
  return {
    exitCode,
    output,
    stderr: '',
    duration: 0,
    processId,
    timedOut: false,
    cancelled: false,
    signal: null,
    forced: false,
    pid: 1000,
    startedAt: 0,
    reason: 'exit',
    error: exitCode === 0 ? null : `exited with code ${exitCode}`,
    truncated: null,
  };
}

export function resultEvent(processId: string, exitCode = 0, output = ''): ProcessEvent {
  return { type: 'result', processId, result: fixedResult(processId, exitCode, output), at: 0 };
}

// ---------------------------------------------------------------------------------------------
// Real processes.

/** A process running `command args` (a binary on PATH, never through a shell unless it is `sh`). */
export function command(processId: string, cmd: string, args: string[] = [], options: Partial<CommandProcessOptions> = {}): CommandProcess {
  return new CommandProcess({ killGraceMs: 2000, ...options, command: cmd, args, processId });
}

/** `sh -c script` with `$1..` set from `params`. */
export function shell(processId: string, script: string, params: string[] = [], options: Partial<CommandProcessOptions> = {}): CommandProcess {
  return command(processId, 'sh', ['-c', script, 'sh', ...params], options);
}

/** A process that waits until `file` exists (polling with `sleep`), then prints `text` and exits 0. */
export function waitsForFile(processId: string, file: string, text: string): CommandProcess {
  return shell(processId, 'until [ -e "$1" ]; do sleep 0.01; done; printf "%s\\n" "$2"', [file, text]);
}

/** A process that creates `file` and exits 0 (proves by its absence that it never ran). */
export function touches(processId: string, file: string): CommandProcess {
  return command(processId, 'touch', [file]);
}

/**
 * Wraps a Runnable so that `file` is created the moment its result is emitted: a process gated
 * by `waitsForFile(file)` can then only end after this one, which orders completions without
 * relying on how long anything takes.
 */
export function signalsOnResult(runnable: Runnable, file: string): Runnable {
  return {
    processId: runnable.processId,
    events: (options?: RunOptions) =>
      runnable.events(options).pipe(
        tap((event) => {
          if (event.type === 'result') writeFileSync(file, '');
        }),
      ),
  };
}

// ---------------------------------------------------------------------------------------------
// The fake claude (spec/fixtures/strategy-fake-claude.js).

/** What the fake claude records about one run. */
export interface FakeClaudeRecord {
  /** The path the fake was started as. */
  readonly script: string;
  readonly argv: string[];
  readonly cwd: string;
  /** Its stdin, decoded from base64. */
  readonly stdin: Buffer;
  readonly hasClaudecode: boolean;
  readonly env: Record<string, string>;
}

/**
 * Copies the fake claude into `dir` as an executable named `claude`, its shebang pointing at the
 * node running the tests, and returns its path.
 */
export function installFakeClaude(dir: string): string {
  const source = readFileSync(fixture('strategy-fake-claude.js'), 'utf8');
  const path = join(dir, 'claude');
  writeFileSync(path, source.replace(/^#!.*\n/, `#!${process.execPath}\n`));
  chmodSync(path, 0o755);
  return path;
}

export function readRecord(file: string): FakeClaudeRecord {
  if (!existsSync(file)) throw new Error(`the fake claude left no record at ${file}: it did not run`);
  const raw = JSON.parse(readFileSync(file, 'utf8')) as Omit<FakeClaudeRecord, 'stdin'> & { stdin: string };
  return { ...raw, stdin: Buffer.from(raw.stdin, 'base64') };
}
