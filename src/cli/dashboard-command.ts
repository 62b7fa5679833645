/**
 * `orchestrate dashboard [--log-dir <root>] [--port <n>] [--dashboard-host <address>]`: every
 * session under the log root on one page (`sessionsDashboard`), each replayed from its files,
 * served until Ctrl-C (or SIGTERM, SIGHUP). Exit 0 then; 2 when it cannot listen.
 */
import { resolve } from 'node:path';
import { defaults } from '../index';
import { createRedactor, secretValues, sessionsDashboard } from '../toolkit';
import { EXIT, type CliIO, type CliOptions } from './cli-options';
import { isLoopback } from './dashboard-flags';
import { inertLines } from './render';
import { untilStopSignal } from './dashboard-wait';

export async function dashboardCommand(options: CliOptions, io: CliIO): Promise<number> {
  const logRoot = resolve(options.workingDir, options.logRoot ?? defaults.logRoot);
  const host = options.dashboard?.host ?? '127.0.0.1';
  const port = options.dashboard?.port ?? 0;
  const redact = createRedactor(secretValues(io.env));
  const server = sessionsDashboard({ logRoot, host, port, redact });
  try {
    await server.listen();
  } catch (error) {
    io.stderr.write(`orchestrate: dashboard: cannot listen on ${inertLines(host)}:${port}: ${inertLines(redact((error as Error).message))}\nRun 'orchestrate dashboard --help' for usage.\n`);
    return EXIT.usage;
  }
  if (!isLoopback(host)) io.stderr.write(`orchestrate: warning: --dashboard-host ${inertLines(host)}: the dashboard is reachable from other machines; anyone with its URL (token included) can read the sessions, over unencrypted HTTP\n`);
  io.stderr.write(`Sessions under ${inertLines(logRoot)}\nDashboard: ${server.url}\n`);
  await untilStopSignal();
  await server.close();
  return EXIT.ok;
}
