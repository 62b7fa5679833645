// Public entry of rx-orchestration: the only module users import.

// Process layer
export { CommandProcess } from './process/command-process';
export type { BaseProcessOptions, CommandProcessOptions } from './process/command-process';
