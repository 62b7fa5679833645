// rx-orchestration: the documented core (30 values). Building blocks for your own front end
// (redaction, inert text, the line engine, session files, the protocol's lower-level codecs) are
// on `rx-orchestration/toolkit`; the simulated agent is on `rx-orchestration/testing`.
// docs/README.md maps every export to its page.

// Processes: cold Observables of protocol-v1 events, built from options or from a plain spec
export { CommandProcess } from './runnable/command-process';
export type { BaseProcessOptions, CommandProcessOptions } from './runnable/command-process';
export { ClaudeProcess } from './runnable/claude-process';
export type { ClaudeProcessOptions } from './runnable/claude-process';
export { fromSpec } from './runnable/from-spec';
export type { BuildContext, FromSpecOptions, ProcessSpec, SpecBuilder, SpecifiedRunnable } from './runnable/from-spec';
export type { Base64Bytes, CommandSpec, RetrySpec, RunSpec, TerminalSize } from './process/spec';
export type { WorkspaceKeep, WorkspaceSpec, WorktreeSpec } from './process/spec';
export type { DiffStat, WorkspaceInfo, WorkspaceResult } from './workspace/workspace-result';
export type { LimitKind, ResourceLimits } from './process/spawn/resource-limits';
export type { EndReason, OutputStream, PreviousOutput, ProcessResult, RunOptions, Runnable, Truncation } from './process/types';

// Events: protocol v1 (docs/events.md)
export type { AgentEvent, EventBase, OutputEvent, ProcessEvent, ResultEvent, StampedEvent, StartEvent } from './events/types';
export type { RestartEvent } from './events/types';
export { toNdjson, fromNdjson } from './events/ndjson';
export type { FromNdjsonOptions } from './events/ndjson';
export { toSse } from './events/sse';
export type { ResultCounts, ResultOutcome } from './events/count-results';

// Strategies: operators, and their Promise forms
export { parallel, runParallel } from './strategies/parallel';
export type { ParallelOptions } from './strategies/parallel';
export { sequential, runSequential } from './strategies/sequential';
export type { SequentialOptions } from './strategies/sequential';
export { fallback, runWithFallback } from './strategies/fallback';
export type { FallbackOptions } from './strategies/fallback';
export { batched, runBatched } from './strategies/batched';
export type { BatchedOptions } from './strategies/batched';
export type { StrategyRunOptions } from './strategies/run-safely';
export type { HaltCondition, HaltedResult, HaltPolicy, HaltThreshold } from './strategies/halt-policy';
export type { AutoMaxWorkers, AutoMaxWorkersOptions } from './strategies/auto-max-workers';

// Results, retry, progress, aggregation, lines
export { inSubmissionOrder, succeeded, toResults } from './strategies/results';
export { withRetry } from './operators/retry';
export type { Attempt, RetriedResult } from './operators/retried-result';
export type { Backoff, RetryOptions } from './operators/retry-options';
export { progress } from './progress/progress';
export type { ProcessProgress, ProcessState, ProgressOptions, ProgressSnapshot } from './progress/progress-types';
export { aggregate } from './strategies/aggregate';
export type { Aggregate, AggregateCounts, Failure } from './strategies/aggregate';
export { lines } from './output/lines';

// Claude
export { isClaudeEvent } from './agents/claude/events';
export { claudeRunOf } from './agents/claude/run-info';
export { claudeTotals } from './agents/claude/totals';
export type { ClaudeTotals } from './agents/claude/totals';
export type { ClaudeFlagOptions, ClaudeOutputFormat, ClaudeSpec } from './agents/claude/claude-spec';
export type { ClaudeResult, ClaudeRunInfo, ModelUsage, TokenUsage } from './agents/claude/types';
export type {
  ClaudeAgentEvent,
  ClaudeApiRetryEvent,
  ClaudeEvent,
  ClaudeInitEvent,
  ClaudeResultEvent,
  ClaudeTextEvent,
  ClaudeToolResultEvent,
  ClaudeToolUseEvent,
  ClaudeUnknownEvent,
  ClaudeTextDeltaEvent,
  ClaudeToolInputDeltaEvent,
  ClaudeStreamEvent,
} from './agents/claude/events';

// Orchestration: a plan of phases as one Observable; sessions and their logs
export { orchestrate } from './orchestrator/orchestrate';
export type { OrchestrateOptions } from './orchestrator/orchestrate';
export type { OrchestrationEvent, OrchestratorEvent, PhaseEndEvent, PhaseInfo, PhaseStartEvent, PlanStartEvent, StopKind, SummaryEvent } from './orchestrator/events';
export type { Phase, PhaseOptions, Plan, PlanProcess, StrategyName } from './orchestrator/plan';
export { OrchestratorSession } from './session/orchestrator-session';
export type { CreatePlannedOptions, CreateProcessOptions, LogLevel, SessionOptions } from './session/orchestrator-session';
export type { SessionSummary, SummaryCounts, SummaryTotals } from './session/summary';
export type { PlannedProcess, PlanPhase, SessionPlan } from './session/plan';
export type { PendingWork } from './session/resume';

// Errors and defaults
export { EmptyProcessListError, LogDirectoryError, ResumeError } from './errors';
export { defaults } from './defaults';

// Patterns (issue 13): n-version, debate, cascade, panel; each ends in one typed verdict event
export { nVersion } from './patterns/n-version';
export type { NVersionOptions, NVersionVerdict } from './patterns/n-version';
export type { Candidate } from './patterns/n-version-candidates';
export { debate } from './patterns/debate';
export type { DebateOptions, DebateVerdict } from './patterns/debate';
export { cascade } from './patterns/cascade';
export type { CascadeLevel, CascadeOptions, CascadeVerdict, LevelOutcome } from './patterns/cascade';
export { panel } from './patterns/panel';
export type { PanelOptions, PanelVerdict } from './patterns/panel';
export type { AgentSettings, PatternOptions } from './patterns/pattern-options';
export type { PatternEvent, PatternName, VerdictBase, VerdictEvent } from './patterns/verdict';
