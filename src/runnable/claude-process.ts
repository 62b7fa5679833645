/**
 * A Claude Code CLI run: `<command> --dangerously-skip-permissions -p <prompt> [--model <model>]
 * --output-format stream-json --verbose [options]`, its output parsed into Claude events.
 */
import { asyncScheduler, concatMap, fromEvent, race, take, timer, type Observable, type SchedulerLike } from 'rxjs';
import { defaults } from '../defaults';
import {
  childEnvironment,
  CommandProcess,
  type BaseProcessOptions,
  type Invocation,
} from './command-process';
import { withContext } from '../process/context';
import type { ProcessEvent, RunOptions } from '../process/types';
import { checkGrace, checkString } from '../validate';
import { checkClaudeFlags, claudeFlags, permissionFlags, type ClaudeOutputFormat } from '../agents/claude/claude-args';
import { claudeStream } from '../agents/claude/claude-stream';
import { promptFitsArgv } from '../agents/claude/prompt-delivery';

export interface ClaudeProcessOptions extends BaseProcessOptions {
  /** What to ask. Sent byte-exact: as an argument, or on stdin when too large for argv. */
  readonly prompt: string;
  /** The original design's name for `cwd`; wins when both are given. @default process.cwd() */
  readonly workingDir?: string;
  /** Passed as `--model <model>`. @default the CLI's own default */
  readonly model?: string;
  /** The Claude executable. @default 'claude' */
  readonly command?: string;
  /**
   * `stream-json` (with `--verbose`): live text, `claude` events, totals. `json`: the result only,
   * at the end. `text`: the original behaviour, plain output and the exit code alone.
   * @default 'stream-json'
   */
  readonly outputFormat?: ClaudeOutputFormat;
  /**
   * Passed as `--permission-mode <mode>` (`acceptEdits`, `bypassPermissions`, `default`, `plan`, ...).
   * @default none: `--dangerously-skip-permissions`, as the original did
   */
  readonly permissionMode?: string;
  /** `--fallback-model`: the model the CLI switches to when the first is overloaded. @default none */
  readonly fallbackModel?: string;
  /** `--max-turns`: a run that needs more ends with `error_max_turns`. @default no limit */
  readonly maxTurns?: number;
  /** `--max-budget-usd`: a run that spends more ends with `error_max_budget_usd`. @default no limit */
  readonly maxBudgetUsd?: number;
  /** `--append-system-prompt`. @default none */
  readonly appendSystemPrompt?: string;
  /** `--allowedTools` (joined with commas), e.g. `['Read', 'Bash(git log:*)']`. @default none */
  readonly allowedTools?: readonly string[];
  /** `--disallowedTools` (joined with commas). @default none */
  readonly disallowedTools?: readonly string[];
  /** `--session-id`: a UUID for the new session. @default the CLI's own */
  readonly sessionId?: string;
  /** `--resume`: continue an earlier session (`result.claude.sessionId`). @default none */
  readonly resume?: string;
  /** Further arguments, placed after every other flag. @default [] */
  readonly extraArgs?: readonly string[];
  /**
   * Seconds to wait before starting (a stagger: concurrent CLI instances race on their shared
   * `~/.claude.json`). Aborting during the wait gives a `not-started` result. @default 0
   */
  readonly startDelay?: number;
  /** Schedules the `startDelay` wait (tests pass a virtual-time scheduler). @default asyncScheduler */
  readonly scheduler?: SchedulerLike;
}

/** Variables a nested Claude run must not inherit (the CLI refuses to start inside itself). */
const DROPPED_VARIABLES = ['CLAUDECODE'];

/**
 * One Claude Code CLI run as a cold Observable.
 *
 * @example
 * ```ts
 * import { ClaudeProcess } from 'rx-orchestration';
 * const review = new ClaudeProcess({ prompt: 'Review src/ for security issues', processId: 'security' });
 * review.events().subscribe((event) => {
 *   if (event.type === 'claude' && event.event.kind === 'tool-use') console.log('tool:', event.event.name);
 * });
 * const result = await review.run();
 * console.log(result.exitCode === 0 ? result.output : result.error, result.claude?.costUsd);
 * ```
 */
export class ClaudeProcess extends CommandProcess {
  readonly prompt: string;
  readonly model: string | undefined;
  readonly outputFormat: ClaudeOutputFormat;

  constructor(options: ClaudeProcessOptions) {
    checkString('prompt', options?.prompt);
    if (options.workingDir !== undefined) checkString('workingDir', options.workingDir);
    if (options.command !== undefined) checkString('command', options.command);
    checkClaudeFlags(options);
    checkGrace('startDelay', options.startDelay);
    super({
      ...options,
      command: options.command ?? defaults.claudeCommand,
      cwd: options.workingDir ?? options.cwd,
      processId: options.processId ?? 'claude',
    });
    this.prompt = options.prompt;
    this.model = options.model;
    this.outputFormat = options.outputFormat ?? 'stream-json';
  }

  /** The prompt a run sends: the prompt, then any earlier outputs in a delimited section. */
  promptFor(run: RunOptions = {}): string {
    return withContext(this.prompt, run.context);
  }

  override events(run: RunOptions = {}): Observable<ProcessEvent> {
    const { startDelay = 0, scheduler = asyncScheduler } = this.options as ClaudeProcessOptions;
    if (startDelay <= 0 || run.signal?.aborted) return super.events(run);
    // Start after the delay, or at once when aborted (the run then reports `not-started`).
    const waits: Observable<unknown>[] = [timer(startDelay * 1000, scheduler)];
    if (run.signal) waits.push(fromEvent(run.signal, 'abort'));
    return race(waits).pipe(take(1), concatMap(() => super.events(run)));
  }

  protected override transform(events$: Observable<ProcessEvent>): Observable<ProcessEvent> {
    if (this.outputFormat === 'text') return events$;
    const maxBuffer = this.options.maxBuffer ?? defaults.maxBuffer;
    return events$.pipe(claudeStream({ format: this.outputFormat, maxBuffer }));
  }

  protected override invocation(run: RunOptions): Invocation {
    const options = this.options as ClaudeProcessOptions & { command: string };
    const prompt = this.promptFor(run);
    const head = [...permissionFlags(options), '-p'];
    const tail = claudeFlags(options);
    if (!promptFitsArgv(prompt, [options.command, ...head, ...tail], this.environment())) {
      const bytes = Buffer.byteLength(prompt);
      return { command: options.command, args: [...head, ...tail], input: prompt, prompt, delivery: `stdin (${bytes} bytes)` };
    }
    // A prompt that looks like an option goes after `--`, where no parser can take it for one.
    const args = prompt.startsWith('-') ? [...head, ...tail, '--', prompt] : [...head, prompt, ...tail];
    return { command: options.command, args, prompt, delivery: 'argv' };
  }

  protected override environment(): Record<string, string> {
    return childEnvironment(this.options, DROPPED_VARIABLES);
  }
}
