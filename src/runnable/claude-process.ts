/**
 * A Claude Code CLI run: `<command> --dangerously-skip-permissions -p <prompt> [--model <model>]
 * --output-format stream-json --verbose [options]`, its output parsed into Claude events.
 *
 * Composition, not a subclass: Claude options become a command line (`agents/claude/claude-args`),
 * the process layer runs it (`run-events`), and the stream-parsing operator
 * (`agents/claude/claude-stream`) reshapes each attempt. Built from options (a `ClaudeSpec`'s
 * fields plus attachments) and gives its spec back (`spec()`).
 */
import { asyncScheduler, concatMap, defer, fromEvent, race, take, timer, type Observable, type SchedulerLike } from 'rxjs';
import { checkClaudeFlags, claudeCommandLine } from '../agents/claude/claude-args';
import { CLAUDE_FLAG_KEYS, type ClaudeFlagOptions, type ClaudeOutputFormat, type ClaudeSpec } from '../agents/claude/claude-spec';
import { claudeStream } from '../agents/claude/claude-stream';
import { defaults } from '../defaults';
import { withContext } from '../operators/context';
import type { ProcessEvent, ProcessResult, RunOptions, Runnable } from '../process/types';
import { checkMilliseconds, checkString, invalidOption, oneOf } from '../validate';
import { AttachedLog } from './attached-log';
import { childEnvironment } from './child-environment';
import { resultOf } from './command-process';
import { checkBaseOptions, definedFields, runSpecFields, type BaseProcessOptions } from './process-options';
import { runEvents } from './run-events';

export interface ClaudeProcessOptions extends BaseProcessOptions, ClaudeFlagOptions {
  /** What to ask. Sent byte-exact: as an argument, or on stdin when too large for argv. */
  readonly prompt: string;
  /** The seed's name for `cwd` (its `working_dir`); give one of the two. @default process.cwd() */
  readonly workingDir?: string;
  /** The Claude executable. @default 'claude' */
  readonly command?: string;
  /**
   * Milliseconds to wait before starting (a stagger: concurrent CLI instances race on their
   * shared `~/.claude.json`). Aborting during the wait gives a `not-started` result. @default 0
   */
  readonly startDelayMs?: number;
}

/** Variables a nested Claude run must not inherit (the CLI refuses to start inside itself). */
const DROPPED_VARIABLES = ['CLAUDECODE'];

/**
 * One Claude Code CLI run as a cold Observable.
 *
 * @example
 * ```ts
 * import { ClaudeProcess, claudeRunOf, isClaudeEvent } from 'rx-orchestration';
 * const review = new ClaudeProcess({ prompt: 'Review src/ for security issues', processId: 'security' });
 * review.events().subscribe((event) => {
 *   if (isClaudeEvent(event) && event.event.kind === 'tool-use') console.log('tool:', event.event.name);
 * });
 * const result = await review.run();
 * console.log(result.exitCode === 0 ? result.output : result.error, claudeRunOf(result)?.costUsd);
 * ```
 */
export class ClaudeProcess implements Runnable {
  readonly processId: string;
  readonly prompt: string;
  readonly model: string | undefined;
  readonly outputFormat: ClaudeOutputFormat;
  /** The options given, with `command`, `cwd` (from `workingDir` too) and `processId` resolved. */
  readonly options: ClaudeProcessOptions & { readonly command: string };
  private readonly log: AttachedLog;

  constructor(options: ClaudeProcessOptions) {
    checkString('prompt', options?.prompt);
    if (options.workingDir !== undefined) checkString('workingDir', options.workingDir);
    if (options.command !== undefined) checkString('command', options.command);
    checkClaudeFlags(options);
    checkMilliseconds('startDelayMs', options.startDelayMs);
    checkBaseOptions(options);
    const cwd = oneOf(['workingDir', 'cwd'], [options.workingDir, options.cwd]);
    this.options = { ...options, command: options.command ?? defaults.claudeCommand, cwd, processId: options.processId ?? 'claude' };
    this.processId = this.options.processId as string;
    this.prompt = options.prompt;
    this.model = options.model;
    this.outputFormat = options.outputFormat ?? 'stream-json';
    this.log = new AttachedLog(options);
  }

  /**
   * What this process runs, as data (JSON-serializable; `env` values included, so treat it as
   * secret): build it again with `fromSpec`.
   */
  spec(): ClaudeSpec {
    const { command, startDelayMs } = this.options;
    // Copies: a spec shares no array with the process.
    const flags: Record<string, unknown> = definedFields<ClaudeFlagOptions, keyof ClaudeFlagOptions>(this.options, CLAUDE_FLAG_KEYS);
    for (const [key, value] of Object.entries(flags)) if (Array.isArray(value)) flags[key] = [...(value as string[])];
    return {
      kind: 'claude',
      processId: this.processId,
      prompt: this.prompt,
      command,
      ...flags,
      ...(startDelayMs !== undefined ? { startDelayMs } : {}),
      ...runSpecFields(this.options),
    };
  }

  /** The prompt a run sends: the prompt, then any earlier outputs in a delimited section. */
  promptFor(run: RunOptions = {}): string {
    return withContext(this.prompt, run.context);
  }

  /** A cold Observable of this process's events: each subscription is a new run (after `startDelayMs`). */
  events(run: RunOptions = {}): Observable<ProcessEvent> {
    const { startDelayMs = 0, scheduler = asyncScheduler } = this.options;
    const now = defer(() => this.runNow(run));
    if (startDelayMs <= 0 || run.signal?.aborted) return now;
    // Start after the delay, or at once when aborted (the run then reports `not-started`).
    const waits: Observable<unknown>[] = [timer(startDelayMs, scheduler)];
    if (run.signal) waits.push(fromEvent(run.signal, 'abort'));
    return race(waits).pipe(take(1), concatMap(() => now));
  }

  /** Runs the process once and resolves its result (never rejects for a failed process). */
  run(run: RunOptions = {}): Promise<ProcessResult> {
    return resultOf(this.events(run));
  }

  private runNow(run: RunOptions): Observable<ProcessEvent> {
    const env = childEnvironment(this.options, DROPPED_VARIABLES);
    const prompt = this.promptFor(run);
    const line = claudeCommandLine(this.options.command, prompt, this.options, env);
    const format = this.outputFormat;
    const maxBuffer = this.options.maxBuffer ?? defaults.maxBuffer;
    return runEvents(
      {
        processId: this.processId,
        options: this.options,
        invocation: { ...line, prompt },
        env,
        parse: format === 'text' ? undefined : claudeStream({ format, maxBuffer, ...(this.options.jsonSchema === undefined ? {} : { jsonSchema: this.options.jsonSchema }) }),
        logSink: this.log.sink(),
      },
      run,
    );
  }
}
