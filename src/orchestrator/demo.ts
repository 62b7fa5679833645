/**
 * The built-in demo: the original design's examples, run on the bundled simulated agent (a real
 * child process that answers like `claude -p`), or on any Claude executable given with `--command`.
 */
import type { OrchestratorSession, Runnable } from '../index';
import type { StrategyName, StrategySettings } from '../cli/run-strategy';

export interface Phase {
  readonly title: string;
  readonly strategy: StrategyName;
  readonly processes: readonly Runnable[];
  readonly settings: StrategySettings;
}

/** A model name the simulated agent answers with an "overloaded" API error (so fallback has work to do). */
export const UNAVAILABLE_MODEL = 'sim-unavailable-opus';

export function demoPhases(session: OrchestratorSession, base: StrategySettings): Phase[] {
  const areas = ['security', 'performance', 'maintainability'];
  return [
    {
      title: 'Multi-agent parallel analysis (parallel, maxWorkers 3)',
      strategy: 'parallel',
      settings: { ...base, maxWorkers: 3 },
      processes: areas.map((area) =>
        session.createProcess(`Analyze the ${area} of this project and list the three most important findings.`, area),
      ),
    },
    {
      title: 'Sequential pipeline with output passing (sequential, passOutput, stopOnFailure)',
      strategy: 'sequential',
      settings: { ...base, passOutput: true, stopOnFailure: true },
      processes: [
        session.createProcess('Analyze the codebase structure.', 'analyze'),
        session.createProcess('Create an improvement plan from the analysis.', 'plan'),
        session.createProcess('Describe how to implement the first step of the plan.', 'implement'),
      ],
    },
    {
      title: 'Adaptive fallback (fallback: advanced -> standard -> basic)',
      strategy: 'fallback',
      settings: base,
      processes: [
        session.createProcess('Advanced analysis of the architecture.', 'advanced', { model: UNAVAILABLE_MODEL }),
        session.createProcess('Standard analysis of the architecture.', 'standard'),
        session.createProcess('Basic analysis of the architecture.', 'basic'),
      ],
    },
  ];
}
