/**
 * The built-in demo as a plan like any other: the examples of the Python module this project succeeds (a parallel
 * analysis, a sequential pipeline with output passing, a fallback chain), for the bundled
 * simulated agent (a real child process that answers like `claude -p`) or any Claude executable.
 */
import type { PlannedProcess } from '../session/plan';
import type { Phase, PhaseOptions, Plan } from './plan';

/** A model name the simulated agent answers with an "overloaded" API error (so fallback has work to do). */
export const UNAVAILABLE_MODEL = 'sim-unavailable-opus';

export interface DemoPlanOptions {
  /** The Claude executable (the CLI passes the simulated agent, from `rx-orchestration/testing`). */
  readonly agentCommand: string;
  /** Options under every phase's own (a timeout, say). @default {} */
  readonly options?: PhaseOptions;
}

export function demoPlan({ agentCommand, options = {} }: DemoPlanOptions): Plan {
  const ask = (processId: string, prompt: string, model?: string): PlannedProcess => ({
    processId,
    spec: { kind: 'claude', processId, command: agentCommand, prompt, ...(model !== undefined ? { model } : {}) },
  });
  const areas = ['security', 'performance', 'maintainability'];
  const phases: Phase[] = [
    {
      name: 'Multi-agent parallel analysis (parallel, maxWorkers 3)',
      strategy: 'parallel',
      options: { ...options, maxWorkers: 3 },
      processes: areas.map((area) => ask(area, `Analyze the ${area} of this project and list the three most important findings.`)),
    },
    {
      name: 'Sequential pipeline with output passing (sequential, passOutput, stopOnFailure)',
      strategy: 'sequential',
      options: { ...options, passOutput: true, stopOnFailure: true },
      processes: [
        ask('analyze', 'Analyze the codebase structure.'),
        ask('plan', 'Create an improvement plan from the analysis.'),
        ask('implement', 'Describe how to implement the first step of the plan.'),
      ],
    },
    {
      name: 'Adaptive fallback (fallback: advanced -> standard -> basic)',
      strategy: 'fallback',
      options,
      processes: [
        ask('advanced', 'Advanced analysis of the architecture.', UNAVAILABLE_MODEL),
        ask('standard', 'Standard analysis of the architecture.'),
        ask('basic', 'Basic analysis of the architecture.'),
      ],
    },
  ];
  return { phases };
}
