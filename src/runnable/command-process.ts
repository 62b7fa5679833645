/**
 * A process for any program: a cold Observable of its events, and a Promise of its result. Built
 * from options (a `CommandSpec`'s fields plus attachments) and gives its spec back (`spec()`).
 */
import { basename } from 'node:path';
import { defer, filter, lastValueFrom, map, type Observable } from 'rxjs';
import { formatContext } from '../operators/context';
import { inputSpec, type CommandSpec } from '../process/spec';
import type { ProcessEvent, ProcessResult, ResultEvent, RunOptions, Runnable } from '../process/types';
import { checkString, checkStringArray, invalidOption } from '../validate';
import { AttachedLog } from './attached-log';
import { childEnvironment } from './child-environment';
import { checkBaseOptions, runSpecFields, type BaseProcessOptions } from './process-options';
import { runEvents, type Invocation } from './run-events';

export type { BaseProcessOptions } from './process-options';

export interface CommandProcessOptions extends BaseProcessOptions {
  /** The program: a name looked up on PATH, or a path. Never run through a shell. */
  readonly command: string;
  /** Its arguments, passed as they are. @default [] */
  readonly args?: readonly string[];
  /** Bytes for its stdin. @default none: the child sees end-of-input at once */
  readonly input?: string | Buffer;
}

/** The result of a run, from its events (never rejects for a failed process). */
export function resultOf(events$: Observable<ProcessEvent>): Promise<ProcessResult> {
  return lastValueFrom(
    events$.pipe(
      filter((event): event is ResultEvent => event.type === 'result'),
      map((event) => event.result),
    ),
  );
}

/**
 * Any program as a cold Observable.
 *
 * @example
 * ```ts
 * import { CommandProcess } from 'rx-orchestration';
 * const result = await new CommandProcess({ command: 'echo', args: ['hello'] }).run();
 * console.log(result.exitCode, result.output); // 0 'hello\n'
 * ```
 */
export class CommandProcess implements Runnable {
  readonly processId: string;
  private readonly log: AttachedLog;

  constructor(readonly options: CommandProcessOptions) {
    checkString('command', options?.command);
    checkStringArray('args', options.args);
    if (options.input !== undefined && typeof options.input !== 'string' && !Buffer.isBuffer(options.input)) {
      throw invalidOption('input', 'a string or a Buffer', options.input);
    }
    checkBaseOptions(options);
    this.processId = options.processId ?? basename(options.command);
    this.log = new AttachedLog(options);
  }

  /**
   * What this process runs, as data (JSON-serializable; `env` values included, so treat it as
   * secret): build it again with `fromSpec`. Stdin bytes that are not a string come back as base64.
   */
  spec(): CommandSpec {
    const { command, args = [], input } = this.options;
    return {
      kind: 'command',
      processId: this.processId,
      command,
      args: [...args],
      ...(input === undefined ? {} : { input: inputSpec(input) }),
      ...runSpecFields(this.options),
    };
  }

  /** A cold Observable of this process's events: each subscription is a new run. */
  events(run: RunOptions = {}): Observable<ProcessEvent> {
    return defer(() =>
      runEvents(
        {
          processId: this.processId,
          options: this.options,
          invocation: this.invocation(run),
          env: childEnvironment(this.options),
          logSink: this.log.sink(),
        },
        run,
      ),
    );
  }

  /** Runs the process once and resolves its result (never rejects for a failed process). */
  run(run: RunOptions = {}): Promise<ProcessResult> {
    return resultOf(this.events(run));
  }

  /** The program, arguments and stdin of one run. Earlier outputs (`context`) arrive on stdin. */
  private invocation(run: RunOptions): Invocation {
    const { command, args = [], input } = this.options;
    if (!run.context || run.context.length === 0) return { command, args, input };
    const section = formatContext(run.context);
    const combined = input === undefined ? section : Buffer.concat([Buffer.from(input), Buffer.from(section)]);
    return { command, args, input: combined, delivery: 'earlier outputs on stdin' };
  }
}
