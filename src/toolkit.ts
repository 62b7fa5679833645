// `rx-orchestration/toolkit`: building blocks for your own front end (a renderer, a dashboard, a
// worker) beyond the core on the root entry: output operators, terminal-safe text, redaction,
// the line engine, backpressure, the protocol's lower-level codecs, halt policies, session files
// (job log, plan, live processes) and resume. The `orchestrate` CLI is built from these and the
// root entry alone. docs/toolkit.md describes each.

// Output operators and terminal-safe text
export { grep } from './output/grep';
export type { GrepOptions } from './output/grep';
export { lineText } from './output/lines';
export { stripAnsi } from './output/strip-ansi';
export { tail } from './output/tail';
export { escapeControls, inert } from './output/inert';
export type { EscapeOptions } from './output/inert';
export { mirrorOutput } from './operators/mirror-output';
export type { MirrorTarget } from './operators/mirror-output';
export { formatContext, withContext } from './operators/context';
export { LineEngine } from './process/text/line-engine';
export type { LineEngineOptions, LineMode } from './process/text/line-engine';
export { OutputGate } from './process/buffer/output-gate';

// The protocol's lower-level parts (docs/events.md)
export { sequenced } from './events/sequenced';
export { encodeEvent, decodeEvent } from './events/encode';
export { parseSseId } from './events/sse';
export { ProtocolError } from './events/protocol-error';
export { eventSchema } from './events/event-schema';
export { PROTOCOL_VERSION } from './events/types';
export { countResults } from './events/count-results';

// Results, retry and halting
export { isResultEvent, resultsById } from './strategies/results';
export { aggregateResults } from './strategies/aggregate';
export { retrying } from './operators/retry';
export { attemptsOf } from './operators/retried-result';
export { formatHalt, haltReached, parseHalt, wasHalted } from './strategies/halt-policy';
export { autoMaxWorkers } from './strategies/auto-max-workers';
export { defaultMaxWorkers } from './strategies/parallel';

// Claude stream parsing
export { claudeStream } from './agents/claude/claude-stream';
export type { ClaudeStreamOptions } from './agents/claude/claude-stream';
export { parseClaudeLine } from './agents/claude/stream-json';
export { describeClaudeEvent } from './agents/claude/describe-event';

// Secrets and logs
export { createRedactor, openTailStart, REDACTED, secretValues } from './logging/redact';
export type { Redactor } from './logging/redact';
export { EventRedactor, redactEvents } from './logging/redact-events';
export { displayArg, fileLogSink } from './logging/file-log-sink';
export type { FileLogSinkOptions } from './logging/file-log-sink';
export type { ProcessLogSink, RunLog, RunLogHeader } from './logging/log-sink';

// Orchestration pieces: stopping, plans, resume, processes left running
export { createStopper } from './orchestrator/stopper';
export type { Stopper } from './orchestrator/stopper';
export { isOrchestratorEvent } from './orchestrator/events';
export { demoPlan } from './orchestrator/demo';
export type { DemoPlanOptions } from './orchestrator/demo';
export { resumePlan } from './orchestrator/resume-plan';
export type { ResumeOverrides } from './orchestrator/resume-plan';
export { readJobLog } from './session/job-log';
export type { JobLogEntry } from './session/job-log';
export { pendingFrom, withoutSucceeded } from './session/resume';
export type { PlanIntegrityPolicy } from './session/plan';
export { liveProcesses } from './session/live-processes';
export type { LiveProcess, RecordedProcess } from './session/live-processes';
export { stopLiveProcesses } from './session/stop-live';
export type { StopLiveOptions, StopLiveOutcome } from './session/stop-live';

// Workspaces: a git worktree per run (docs/workspaces.md)
export { workspaceOf } from './workspace/workspace-result';
// The web dashboard (docs/dashboard.md)
export { dashboard, LiveDashboard } from './dashboard/dashboard';
export type { DashboardOptions } from './dashboard/dashboard';
export { sessionsDashboard } from './dashboard/sessions-dashboard';
export type { SessionEntry, SessionsDashboardOptions } from './dashboard/sessions-dashboard';
export type { DashboardServer, ServeOptions } from './dashboard/dashboard-server';
export type { DashboardControl } from './dashboard/dashboard-http';
export type { DashboardEvent, DashboardVerdict } from './dashboard/dashboard-events';
export { dashboardDefaults } from './defaults';
// Structured output (issue 13)
export { checkStructuredOutput, parseJsonSchema } from './agents/claude/structured-output';
export type { JsonSchemaOption, StructuredOutputCheck } from './agents/claude/structured-output';
// Patterns (issue 13): prompts as data, role schemas, the verdict test
export { isVerdictEvent } from './patterns/verdict';
export { fillPrompt } from './patterns/prompts';
export { DEFAULT_DEBATE_PROMPTS, moderatorSchema } from './patterns/debate-roles';
export type { DebatePrompts, ModeratorAnswer } from './patterns/debate-roles';
export { DEFAULT_CASCADE_PROMPTS, SELF_ASSESSMENT_SCHEMA } from './patterns/cascade-roles';
export type { CascadePrompts, SelfAssessment } from './patterns/cascade-roles';
export { aggregatorSchema, DEFAULT_PANEL_PROMPTS, DEFAULT_ROLES, FINDINGS_SCHEMA } from './patterns/panel-roles';
export type { AggregatorAnswer, ExpertFindings, PanelPrompts, Vote } from './patterns/panel-roles';
export type { CheckCommand } from './patterns/check-command';
export { DEFAULT_CRITERIA, DEFAULT_N_VERSION_PROMPTS, DEFAULT_PROFILES, reviewerSchema } from './patterns/n-version-roles';
export type { NVersionPrompts, ReviewerAnswer } from './patterns/n-version-roles';
// Scale-out on BullMQ and Redis (issue 14): remote runs, workers, sealing
export { remote, remoteBuilders, RemoteProcess } from './cluster/remote';
export type { RemoteOptions } from './cluster/remote';
export type { ClusterOptions } from './cluster/cluster-client';
export { startWorker } from './cluster/cluster-worker';
export type { ClusterWorker, WorkerOptions } from './cluster/cluster-worker';
export { listWorkers } from './cluster/live-workers';
export type { ListWorkersOptions, LiveWorker } from './cluster/live-workers';
export { clusterKeys, readClusterSecret, seal, unseal } from './cluster/sealing';
export type { ClusterKeys } from './cluster/sealing';
export { checkReachable, checkRedisUrl, redactRedisUrl } from './cluster/redis-connection';
export { ClusterConnectionError, ClusterSecretError, ClusterSignatureError } from './cluster/cluster-error';
