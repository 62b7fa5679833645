/**
 * From the CLI's options to what `orchestrate` takes: the plan (the demo's, the earlier session's
 * for `resume`, or one phase of the prompts or commands given) and the session's options.
 */
import { defaults, type PendingWork, type PhaseOptions, type Plan, type PlannedProcess, type SessionOptions, type StrategyName } from '../index';
import { demoPlan, resumePlan } from '../toolkit';
import { simulatedAgentPath } from '../testing/index';
import type { CliOptions } from './cli-options';
import { splitCommand } from './split-command';
import { workspaceSpecOf } from './workspace-flags';

/** The strategy options the flags give (seconds turned into milliseconds). */
export function phaseOptions(options: CliOptions, maxWorkers: number | undefined): PhaseOptions {
  const given: Record<string, unknown> = {
    maxWorkers,
    halt: options.halt,
    batchSize: options.batchSize,
    passOutput: options.passOutput,
    stopOnFailure: options.stopOnFailure,
    timeoutMs: options.timeout === undefined ? undefined : options.timeout * 1000,
    startDelayMs: options.startDelay ? options.startDelay * 1000 : undefined,
  };
  for (const key of Object.keys(given)) if (given[key] === undefined) delete given[key];
  return given as PhaseOptions;
}

/** The id of the item at `index`: its `--names` entry, or `process_001`, `process_002`, ... */
export function processIdAt(options: CliOptions, index: number): string {
  return options.names?.[index] ?? `process_${String(index + 1).padStart(3, '0')}`;
}

/** One spec per prompt (a Claude run) or, with `--exec`, per command line (split into argv, no shell). */
export function itemSpecs(options: CliOptions): PlannedProcess[] {
  const shared = {
    ...(options.limits ? { limits: options.limits } : {}),
    ...(options.killGrace !== undefined ? { killGraceMs: options.killGrace * 1000 } : {}),
    ...(workspaceSpecOf(options) ? { workspace: workspaceSpecOf(options) } : {}),
  };
  return options.items.map((item, index): PlannedProcess => {
    const processId = processIdAt(options, index);
    if (!options.exec) return { processId, spec: { kind: 'claude', processId, command: options.claudeCommand ?? defaults.claudeCommand, prompt: item, ...shared } };
    const [command, ...args] = splitCommand(item);
    return { processId, spec: { kind: 'command', processId, command, args, ...shared } };
  });
}

/** The plan of this invocation; `work` is the earlier session's pending work (`resume`). */
export function cliPlan(options: CliOptions, phase: PhaseOptions, work?: PendingWork): Plan {
  // The session's retry and Claude options fill what the planned specs leave out (orchestrate does it).
  if (work) return resumePlan(work);
  if (options.command === 'demo') return demoPlan({ agentCommand: options.claudeCommand ?? simulatedAgentPath, options: phase });
  if (options.command === 'resume') throw new Error('resume phases come from the earlier session');
  return { phases: [{ name: options.command, strategy: options.command as StrategyName, processes: itemSpecs(options), options: phase }] };
}

/** The session's options: the earlier session's name and directories for `resume`. */
export function sessionOptions(options: CliOptions, work: PendingWork | undefined, logRoot: string | undefined): SessionOptions {
  return {
    patternName: work ? work.plan.patternName : options.command === 'demo' ? 'demo' : `cli-${options.command}`,
    cwd: work ? work.plan.cwd : options.workingDir,
    logRoot,
    model: options.model,
    retry: options.retry,
    command: options.claudeCommand ?? (options.command === 'demo' ? simulatedAgentPath : undefined),
    claudeOptions: options.claude,
  };
}
