/**
 * The dashboard's flags (issue 15): `--dashboard[=<port>]`, `--dashboard-host`,
 * `--dashboard-linger`, `--dashboard-control` on the commands that run something, and `--port`
 * on `orchestrate dashboard`. flags.ts spreads `dashboardFlags(...)` with the command lists, so
 * a new command gets them by being added to a list there.
 *
 * `--dashboard` takes an optional value, which yargs cannot express without eating the next
 * word (`--dashboard "a prompt"`); so `--dashboard=<port>` is split into `--dashboard
 * --dashboard-port <port>` before parsing (`splitDashboardPort`), and `--dashboard` alone is a flag.
 */
import type { Options } from 'yargs';
import { dashboardDefaults } from '../toolkit';

/** What the CLI's options carry for the dashboard. */
export interface DashboardCliOptions {
  /** 0: a free port. */
  readonly port: number;
  readonly host: string;
  /** Seconds to keep serving after the run when stdout is not a terminal. */
  readonly lingerSeconds: number;
  /** Stop buttons on the page. */
  readonly control: boolean;
}

interface FlagEntry<C> {
  readonly option: Options;
  readonly on: readonly C[];
}

/** The flag entries; `live`: the commands that run something, `serve`: `dashboard`. */
export function dashboardFlags<C>(commands: { readonly live: readonly C[]; readonly serve: readonly C[] }): Record<string, FlagEntry<C>> {
  const { live, serve } = commands;
  return {
    dashboard: { on: live, option: { type: 'boolean', nargs: 0, describe: 'Serve a live web dashboard of the run; --dashboard=<port> picks the port (default: a free one). Prints its URL (with its access token) on stderr' } },
    'dashboard-port': { on: [], option: { type: 'string', requiresArg: true, hidden: true } },
    'dashboard-host': { on: [...live, ...serve], option: { type: 'string', requiresArg: true, describe: `Address the dashboard listens on [default: ${dashboardDefaults.host}; anything else is reachable from other machines]` } },
    'dashboard-linger': { on: live, option: { type: 'string', requiresArg: true, describe: 'Seconds the dashboard keeps serving after the run when stdout is not a terminal (on a terminal: until Ctrl-C) [default: 0]' } },
    'dashboard-control': { on: live, option: { type: 'boolean', nargs: 0, describe: 'Add a stop button to the dashboard (first press: graceful stop; second: forced)' } },
    port: { on: serve, option: { type: 'string', requiresArg: true, describe: 'Port of the dashboard [default: a free port]' } },
  };
}

/** `--dashboard=<port>` as `--dashboard --dashboard-port <port>` (words after `--` untouched). */
export function splitDashboardPort(argv: readonly string[]): string[] {
  const out: string[] = [];
  let literal = false;
  for (const word of argv) {
    if (word === '--') literal = true;
    const match = literal ? null : /^--dashboard=(.*)$/s.exec(word);
    if (match) out.push('--dashboard', '--dashboard-port', match[1]);
    else out.push(word);
  }
  return out;
}

function wholeNumber(flag: string, raw: unknown, check: (n: number) => boolean, expected: string): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(Array.isArray(raw) ? raw[raw.length - 1] : raw).trim();
  const value = text === '' ? NaN : Number(text);
  if (!check(value)) throw new Error(`${flag} must be ${expected}, received ${JSON.stringify(text)}`);
  return value;
}

const isPort = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 65535;

/** The dashboard's options from the parsed flags; undefined without `--dashboard` (or `dashboard`). Throws naming the flag on a bad value. */
export function dashboardCliOptions(command: string, args: Record<string, unknown>): DashboardCliOptions | undefined {
  const serving = command === 'dashboard';
  if (!serving && args.dashboard !== true && args['dashboard-port'] === undefined) {
    const stray = ['dashboard-host', 'dashboard-linger', 'dashboard-control'].find((flag) => args[flag] !== undefined);
    if (stray) throw new Error(`--${stray} needs --dashboard`);
    return undefined;
  }
  const port = serving
    ? wholeNumber('--port', args.port, isPort, 'a port number from 0 to 65535')
    : wholeNumber('--dashboard=<port>', args['dashboard-port'], isPort, 'a port number from 0 to 65535');
  const linger = wholeNumber('--dashboard-linger', args['dashboard-linger'], (n) => Number.isFinite(n) && n >= 0, 'a number of seconds, 0 or more');
  const host = args['dashboard-host'] === undefined ? dashboardDefaults.host : String(args['dashboard-host']).trim();
  if (host === '') throw new Error('--dashboard-host must be an address, received ""');
  return { port: port ?? dashboardDefaults.port, host, lingerSeconds: linger ?? dashboardDefaults.lingerSeconds, control: args['dashboard-control'] === true };
}

/** Whether an address is this machine only (no warning needed). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
