// Public entry of rx-orchestration: the only module users import.

// Events: protocol v1 (docs/events.md)
export { sequenced } from './events/sequenced';
export { toNdjson, fromNdjson } from './events/ndjson';
export { encodeEvent, decodeEvent } from './events/encode';
export { toSse, parseSseId } from './events/sse';
export { ProtocolError } from './events/protocol-error';
export { eventSchema } from './events/event-schema';
export { PROTOCOL_VERSION } from './events/types';
export type { AgentEvent, EventBase, StampedEvent } from './events/types';
export { countResults, outcomeOf } from './events/count-results';
export type { ResultCounts, ResultOutcome } from './events/count-results';

// Process layer
export { CommandProcess } from './runnable/command-process';
export type { BaseProcessOptions, CommandProcessOptions } from './runnable/command-process';
// Processes as data (issue 11): specs, and runs built from them
export { fromSpec } from './runnable/from-spec';
export type { BuildContext, FromSpecOptions, ProcessSpec, SpecBuilder, SpecifiedRunnable } from './runnable/from-spec';
export type { Base64Bytes, CommandSpec, RetrySpec, RunSpec, TerminalSize } from './process/spec';
export type { ClaudeFlagOptions, ClaudeSpec } from './agents/claude/claude-spec';
export { formatContext, withContext } from './operators/context';
export { mirrorOutput } from './operators/mirror-output';
export { OutputGate } from './process/buffer/output-gate';
export { LineEngine, type LineEngineOptions, type LineMode } from './process/text/line-engine';
export { endsLines, LineEngines, type FlushedLines } from './process/text/line-engines';
export type { MirrorTarget } from './operators/mirror-output';
export { logEvents } from './logging/log-sink';
export type { ProcessLogSink, RunLog, RunLogHeader } from './logging/log-sink';
// Resource limits (issue 6)
export type { LimitKind, ResourceLimits } from './process/spawn/resource-limits';
export type {
  EndReason,
  OutputEvent,
  OutputStream,
  PreviousOutput,
  ProcessEvent,
  ProcessResult,
  ResultEvent,
  RunOptions,
  Runnable,
  StartEvent,
  Truncation,
} from './process/types';

// Output filtering: whole lines, grep, escape sequences, last lines
export { lines, lineText } from './output/lines';
export { grep } from './output/grep';
export type { GrepOptions } from './output/grep';
export { stripAnsi } from './output/strip-ansi';
export { tail } from './output/tail';

// Progress snapshots
export { progress } from './progress/progress';
export type { ProcessProgress, ProcessState, ProgressOptions, ProgressSnapshot } from './progress/progress-types';

// Claude
export { ClaudeProcess } from './runnable/claude-process';
export type { ClaudeProcessOptions } from './runnable/claude-process';
export type { ClaudeResult, ClaudeRunInfo, ModelUsage, TokenUsage } from './agents/claude/types';
export { claudeRunOf } from './agents/claude/run-info';
export { isClaudeEvent } from './agents/claude/events';
export { claudeTotals } from './agents/claude/totals';
export type { ClaudeTotals } from './agents/claude/totals';
export { claudeStream } from './agents/claude/claude-stream';
export type { ClaudeStreamOptions } from './agents/claude/claude-stream';
export { parseClaudeLine } from './agents/claude/stream-json';
export { describeClaudeEvent } from './agents/claude/describe-event';
export type { ClaudeOutputFormat } from './agents/claude/claude-spec';
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
} from './agents/claude/events';

// The bundled simulated agent (a stand-in for `claude -p`)
// moved to the rx-orchestration/testing subpath (src/testing/index.ts)

// Strategies
export { parallel, runParallel, defaultMaxWorkers } from './strategies/parallel';
export type { ParallelOptions } from './strategies/parallel';
export { sequential, runSequential } from './strategies/sequential';
export type { SequentialOptions } from './strategies/sequential';
export { fallback, runWithFallback } from './strategies/fallback';
export type { FallbackOptions } from './strategies/fallback';
export { batched, runBatched } from './strategies/batched';
export type { BatchedOptions } from './strategies/batched';
export { inSubmissionOrder, isResultEvent, resultsById, succeeded, toResults } from './strategies/results';
export type { StrategyRunOptions } from './strategies/run-safely';
// Aggregation (issue 6)
export { aggregate, aggregateResults } from './strategies/aggregate';
export type { Aggregate, AggregateCounts, Failure } from './strategies/aggregate';

// Retry, halt policies and maxWorkers 'auto' (issue 6)
export { withRetry, retrying } from './operators/retry';
export { attemptsOf } from './operators/retried-result';
export type { Attempt, RetriedResult } from './operators/retried-result';
export type { Backoff, RetryOptions } from './operators/retry-options';
export { formatHalt, haltReached, parseHalt, wasHalted } from './strategies/halt-policy';
export type { HaltCondition, HaltedResult, HaltPolicy, HaltThreshold } from './strategies/halt-policy';
export { autoMaxWorkers } from './strategies/auto-max-workers';
export type { AutoMaxWorkers, AutoMaxWorkersOptions } from './strategies/auto-max-workers';

// Sessions and logs
export { OrchestratorSession } from './session/orchestrator-session';
export type { CreatePlannedOptions, CreateProcessOptions, LogLevel, SessionOptions } from './session/orchestrator-session';
export type { SessionSummary, SummaryCounts, SummaryTotals } from './session/summary';
export { fileLogSink } from './logging/file-log-sink';
export type { FileLogSinkOptions } from './logging/file-log-sink';
export { safeFileName } from './logging/safe-file-name';
// Secrets and terminal safety (issue 10)
export { createRedactor, openTailStart, REDACTED, secretName, secretValues } from './logging/redact';
export type { Redactor } from './logging/redact';
export { RedactingStream } from './logging/redacting-stream';
export type { RedactingStreamOptions } from './logging/redacting-stream';
export { EventRedactor, redactEvents } from './logging/redact-events';
export { escapeControls, inert } from './output/inert';
export type { EscapeOptions } from './output/inert';
// Job log and resume (issue 6)
export { readJobLog, JOB_LOG_FILE } from './session/job-log';
export type { JobLogEntry } from './session/job-log';
export { readPlan, PLAN_FILE } from './session/plan';
export type { PlannedProcess, PlanPhase, SessionPlan } from './session/plan';
export { pendingFrom, withoutSucceeded } from './session/resume';
export type { PlanIntegrityPolicy } from './session/plan';
// Resume safety (issue 10): live processes of an earlier session, plan integrity
export { liveProcesses, readRecordedProcesses, PROCESSES_FILE } from './session/live-processes';
export type { LiveProcess, RecordedProcess } from './session/live-processes';
export { stopLiveProcesses } from './session/stop-live';
export type { StopLiveOptions, StopLiveOutcome } from './session/stop-live';
export { configDirectory } from './session/plan-integrity';
export type { PendingWork } from './session/resume';

// The orchestrator (issue 11): a plan of phases run as one Observable, stopped gracefully then forced
export { orchestrate } from './orchestrator/orchestrate';
export type { OrchestrateOptions } from './orchestrator/orchestrate';
export { createStopper } from './orchestrator/stopper';
export type { Stopper } from './orchestrator/stopper';
export { isOrchestratorEvent } from './orchestrator/events';
export type { OrchestrationEvent, OrchestratorEvent, PhaseEndEvent, PhaseInfo, PhaseStartEvent, PlanStartEvent, StopKind, SummaryEvent } from './orchestrator/events';
export type { Phase, PhaseOptions, Plan, PlanProcess, StrategyName } from './orchestrator/plan';
export { resumePlan } from './orchestrator/resume-plan';
export type { ResumeOverrides } from './orchestrator/resume-plan';
export { demoPlan } from './orchestrator/demo';
export type { DemoPlanOptions } from './orchestrator/demo';

// Errors and defaults
export { EmptyProcessListError, LogDirectoryError, ResumeError } from './errors';
export { defaults } from './defaults';
