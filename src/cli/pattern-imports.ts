// The library names the pattern CLI files use, in one place.
export { OrchestratorSession, cascade, debate, nVersion, panel } from '../index';
export type { AgentSettings, PatternEvent, PatternOptions, SummaryEvent, VerdictEvent } from '../index';
export type { Observable } from 'rxjs';
