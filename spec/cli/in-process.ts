/**
 * Runs `orchestrate` in this process (src/cli/cli.ts) with captured writers: what a spawned CLI
 * would print and its exit code, without starting node and the built CLI for each test.
 */
import { Readable } from 'node:stream';
import { cli } from '../../src/cli/cli';

export interface InProcessOutcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface InProcessOptions {
  /** Terminal width for the help text (stdout stays a non-terminal). */
  readonly columns?: number;
  /** What stdin holds. @default empty */
  readonly stdin?: string;
  readonly env?: NodeJS.ProcessEnv;
}

export async function runInProcess(argv: readonly string[], options: InProcessOptions = {}): Promise<InProcessOutcome> {
  let stdout = '';
  let stderr = '';
  const code = await cli(argv, {
    stdout: { write: (text: string) => (stdout += text), isTTY: false, columns: options.columns },
    stderr: { write: (text: string) => (stderr += text) },
    env: options.env ?? { ...process.env, SIM_AGENT_DELAY_MS: '0' },
    stdin: Readable.from(options.stdin === undefined ? [] : [options.stdin]),
  });
  return { code, stdout, stderr };
}
