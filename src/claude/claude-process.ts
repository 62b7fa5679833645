/**
 * A Claude Code CLI run: `<command> --dangerously-skip-permissions -p <prompt> [--model <model>]`.
 */
import { defaults } from '../defaults';
import {
  childEnvironment,
  CommandProcess,
  type BaseProcessOptions,
  type Invocation,
} from '../process/command-process';
import { withContext } from '../process/context';
import type { RunOptions } from '../process/types';
import { checkString, checkStringArray } from '../validate';
import { promptFitsArgv } from './prompt-delivery';

export interface ClaudeProcessOptions extends BaseProcessOptions {
  /** What to ask. Sent byte-exact: as an argument, or on stdin when too large for argv. */
  readonly prompt: string;
  /** The original design's name for `cwd`; wins when both are given. @default process.cwd() */
  readonly workingDir?: string;
  /** Passed as `--model <model>`. @default the CLI's own default */
  readonly model?: string;
  /** The Claude executable. @default 'claude' */
  readonly command?: string;
  /** Further arguments, placed after the model. @default [] */
  readonly extraArgs?: readonly string[];
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
 * const result = await review.run();
 * console.log(result.exitCode === 0 ? result.output : result.error);
 * ```
 */
export class ClaudeProcess extends CommandProcess {
  readonly prompt: string;
  readonly model: string | undefined;

  constructor(options: ClaudeProcessOptions) {
    checkString('prompt', options?.prompt);
    if (options.workingDir !== undefined) checkString('workingDir', options.workingDir);
    if (options.model !== undefined) checkString('model', options.model);
    if (options.command !== undefined) checkString('command', options.command);
    checkStringArray('extraArgs', options.extraArgs);
    super({
      ...options,
      command: options.command ?? defaults.claudeCommand,
      cwd: options.workingDir ?? options.cwd,
      processId: options.processId ?? 'claude',
    });
    this.prompt = options.prompt;
    this.model = options.model;
  }

  /** The prompt a run sends: the prompt, then any earlier outputs in a delimited section. */
  promptFor(run: RunOptions = {}): string {
    return withContext(this.prompt, run.context);
  }

  protected override invocation(run: RunOptions): Invocation {
    const options = this.options as ClaudeProcessOptions & { command: string };
    const prompt = this.promptFor(run);
    const head = ['--dangerously-skip-permissions', '-p'];
    const tail = [...(this.model ? ['--model', this.model] : []), ...(options.extraArgs ?? [])];
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
