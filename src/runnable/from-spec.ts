/**
 * Specs turned into runs. `ProcessSpec` is every spec the library builds itself (`command`,
 * `claude`); `fromSpec` builds one of those, or any kind of yours through `build`. A `Runnable`
 * that can say what it runs implements `spec()` (a `SpecifiedRunnable`): a session can then plan
 * it and resume it.
 *
 * @example
 * ```ts
 * import { CommandProcess, fromSpec } from 'rx-orchestration';
 * const original = new CommandProcess({ command: 'echo', args: ['hi'], processId: 'greet', timeoutMs: 5000 });
 * const again = fromSpec(JSON.parse(JSON.stringify(original.spec())));
 * console.log((await again.run()).output); // 'hi\n'
 * ```
 */
import { CLAUDE_FLAG_KEYS, type ClaudeSpec } from '../agents/claude/claude-spec';
import type { ProcessLogSink } from '../logging/log-sink';
import type { OutputGate } from '../process/buffer/output-gate';
import { specInput, type CommandSpec, type RunSpec } from '../process/spec';
import type { Runnable } from '../process/types';
import { checkString, invalidOption } from '../validate';
import { ClaudeProcess, type ClaudeProcessOptions } from './claude-process';
import { CommandProcess, type CommandProcessOptions } from './command-process';
import { definedFields, runOptionsOf } from './process-options';

/** Every spec the library builds itself. */
export type ProcessSpec = CommandSpec | ClaudeSpec;

/** A `Runnable` that gives back what it runs, as data. `CommandProcess` and `ClaudeProcess` are. */
export interface SpecifiedRunnable<S extends RunSpec = RunSpec> extends Runnable {
  /** A plain, JSON-serializable description of the run (a fresh object on each call). */
  spec(): S;
}

/** Whether a Runnable gives its spec (has a `spec()` method). */
export function hasSpec(runnable: Runnable): runnable is SpecifiedRunnable {
  return typeof (runnable as Partial<SpecifiedRunnable>)?.spec === 'function';
}

/** What a built run is attached to (not data): where it logs and the backpressure it obeys. */
export interface BuildContext {
  readonly logSink?: ProcessLogSink;
  readonly outputGate?: OutputGate;
  /** The session's id: names the worktree branches of runs with a `workspace`. */
  readonly sessionId?: string;
}

/** Builds a run of one kind from its spec. */
export type SpecBuilder = (spec: RunSpec, context: BuildContext) => Runnable;

export interface FromSpecOptions extends BuildContext {
  /**
   * Builders by kind, for your own kinds (`{ myKind: (spec, context) => new MyRunnable(spec) }`);
   * one named `command` or `claude` replaces the library's. @default {}
   */
  readonly build?: Readonly<Record<string, SpecBuilder>>;
}

/** The options of a `CommandProcess` built from a spec (only the fields a `CommandSpec` has). */
export function commandOptions(spec: CommandSpec): CommandProcessOptions {
  checkString('command', spec.command);
  return { ...runOptionsOf(spec), command: spec.command, args: spec.args ?? [], ...(spec.input !== undefined ? { input: specInput(spec.input) } : {}) };
}

/** The options of a `ClaudeProcess` built from a spec (only the fields a `ClaudeSpec` has). */
export function claudeOptions(spec: ClaudeSpec): ClaudeProcessOptions {
  checkString('prompt', spec.prompt, { allowEmpty: true });
  const own = definedFields(spec, ['command', 'startDelayMs', ...CLAUDE_FLAG_KEYS]);
  return { ...runOptionsOf(spec), ...own, prompt: spec.prompt };
}

/** Builds the run a spec describes; a TypeError for a kind without a builder. */
export function fromSpec(spec: CommandSpec, options?: FromSpecOptions): CommandProcess;
export function fromSpec(spec: ClaudeSpec, options?: FromSpecOptions): ClaudeProcess;
export function fromSpec(spec: ProcessSpec, options?: FromSpecOptions): CommandProcess | ClaudeProcess;
export function fromSpec(spec: RunSpec, options?: FromSpecOptions): Runnable;
export function fromSpec(spec: RunSpec, options: FromSpecOptions = {}): Runnable {
  if (typeof spec !== 'object' || spec === null || typeof spec.kind !== 'string') {
    throw invalidOption('spec', 'an object with a kind', spec);
  }
  checkString('spec.processId', spec.processId, { allowEmpty: true });
  const { build = {}, ...context } = options;
  const custom = Object.prototype.hasOwnProperty.call(build, spec.kind) ? build[spec.kind] : undefined;
  if (custom) return custom(spec, context);
  const attached = {
    ...(context.logSink ? { logSink: context.logSink } : {}),
    ...(context.outputGate ? { outputGate: context.outputGate } : {}),
    ...(context.sessionId ? { workspaceSession: context.sessionId } : {}),
  };
  if (spec.kind === 'command') return new CommandProcess({ ...commandOptions(spec as CommandSpec), ...attached });
  if (spec.kind === 'claude') return new ClaudeProcess({ ...claudeOptions(spec as ClaudeSpec), ...attached });
  const known = ['command', 'claude', ...Object.keys(build)].join(', ');
  throw invalidOption('spec.kind', `a kind with a builder (${known}; pass build: { ${JSON.stringify(spec.kind)}: (spec, context) => runnable })`, spec.kind);
}
