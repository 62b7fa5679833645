/**
 * A finished session as dashboard events, rebuilt from its files: `plan-start` with the phases
 * of plan.json, then phase by phase each process's `start`, its output lines (from its log, with
 * their times) and its `result` (from summary.json), the `phase-end`, and a last `summary`. The
 * log is read as a stream, so a process that printed 100 MB costs no more than its output ring.
 *
 * Within a phase, processes are replayed one after another (not interleaved by time): the page
 * shows the end state and each process's output in order, which is what a replay is for.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { PhaseInfo } from '../orchestrator/events';
import type { StrategyName } from '../orchestrator/plan';
import { strategySucceeded } from '../orchestrator/strategy';
import { aggregateResults } from '../strategies/aggregate';
import type { ProcessEvent, ProcessResult } from '../process/types';
import type { DashboardEvent } from './dashboard-events';
import { processLogs, readSessionPlan, readSummary } from './session-files';

const OUTPUT_LINE = /^(\S+) \w+\s+(stdout|stderr) \| (.*)$/;
const STARTED = /^(\S+) \w+\s+(?:started, pid (\d+)|retrying: attempt (\d+) started, pid (\d+))/;

/** Pushes the events of one process's log: its starts and output lines. */
async function replayLog(path: string, processId: string, push: (event: DashboardEvent) => void): Promise<void> {
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  for await (const line of lines) {
    const output = OUTPUT_LINE.exec(line);
    if (output) {
      push({ type: 'output', processId, stream: output[2] as 'stdout' | 'stderr', chunk: `${output[3]}\n`, at: Date.parse(output[1]) });
      continue;
    }
    const started = STARTED.exec(line);
    if (started) {
      const attempt = started[3] ? Number(started[3]) : 1;
      push({ type: 'start', processId, pid: Number(started[2] ?? started[4]), command: '', args: [], attempt, at: Date.parse(started[1]) });
    }
  }
}

/** Replays the session in `sessionDir` into `push`; resolves when every event is pushed. */
export async function replaySession(sessionDir: string, push: (event: DashboardEvent) => void): Promise<void> {
  const summary = readSummary(sessionDir);
  const plan = readSessionPlan(sessionDir);
  const results = new Map<string, ProcessResult>((summary?.results ?? []).map((result) => [result.processId, result]));
  const logs = processLogs(sessionDir);
  const startedAt = summary ? Date.parse(summary.startedAt) : Date.now();
  const phases: PhaseInfo[] = plan?.phases.length
    ? plan.phases.map((phase, index) => ({ index, name: phase.title ?? `phase ${index + 1}`, strategy: (phase.strategy ?? 'parallel') as StrategyName, processIds: phase.processes.map((p) => p.processId) }))
    : [{ index: 0, name: summary?.patternName ?? 'session', strategy: 'parallel', processIds: [...results.keys()] }];
  push({ type: 'plan-start', at: startedAt, phases });
  let succeeded = true;
  for (const phase of phases) {
    push({ type: 'phase-start', at: startedAt, phase });
    const phaseResults: ProcessResult[] = [];
    for (const processId of phase.processIds) {
      const log = logs.get(processId);
      if (log) await replayLog(log, processId, push);
      const result = results.get(processId);
      if (!result) continue;
      phaseResults.push(result);
      const event: ProcessEvent = { type: 'result', processId, result, at: result.startedAt + result.duration * 1000 };
      push(event);
    }
    const ok = strategySucceeded(phase.strategy, phaseResults);
    succeeded &&= ok;
    push({ type: 'phase-end', at: startedAt, phase, succeeded: ok, results: phaseResults });
  }
  if (summary) {
    const stoppedBy = summary.details?.interruptedBy;
    push({
      type: 'summary', at: Date.parse(summary.endedAt), succeeded, results: summary.results, claude: summary.claude,
      stopped: typeof stoppedBy === 'string' ? 'graceful' : null, aggregate: aggregateResults(summary.results), sessionDir,
    });
  }
}
