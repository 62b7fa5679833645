/**
 * `orchestrate` as a function: the arguments and the I/O in, the exit code out. main.ts calls it
 * with the process's own; specs call it in-process with their own writers and environment.
 */
import { EXIT, runCli, type CliIO } from './app';
import { parseArgs } from './parse-args';
import { dashboardCommand } from './dashboard-command';
import { clusterCommand } from './worker-command';

export interface CliRunIO extends CliIO {
  readonly stdout: CliIO['stdout'] & { readonly columns?: number };
  readonly stdin: NonNullable<CliIO['stdin']>;
}

export async function cli(argv: readonly string[], io: CliRunIO): Promise<number> {
  if (argv[0] === 'worker' || argv[0] === 'workers') return clusterCommand(argv, io);
  const parsed = await parseArgs(argv, io);
  if ('exit' in parsed) return parsed.exit;
  if (parsed.options.command === 'dashboard') return dashboardCommand(parsed.options, io);
  return runCli(parsed.options, io);
}

export { EXIT };
