/**
 * Helpers for the CLI specs: run the built `orchestrate` (dist/cli/main.js) as a real child
 * process in a temporary directory and read its output, logs and summary. Nothing is mocked.
 * Liveness checks, polling and temp dirs come from spec/helpers.ts.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProcessEvent } from '../../src/process/types';
import type { SessionSummary } from '../../src/session/summary';
import { tempDirs } from '../helpers';
import * as pty from 'node-pty';
import { runInProcess } from './in-process';

/** The repository root, from this file's place in spec/cli. */
export const REPO = join(__dirname, '..', '..');
export const CLI = join(REPO, 'dist', 'cli', 'main.js');
export const AGENT = join(REPO, 'dist', 'testing', 'simulated-agent.js');

/** Absolute path of a fixture in spec/cli/fixtures. */
export function cliFixture(name: string): string {
  return join(__dirname, 'fixtures', name);
}

/** The default logs location under a working directory. */
export function logRoot(workingDir: string): string {
  return join(workingDir, '.claude', 'runtime', 'logs');
}

// ------------------------------------------------------------------ running the CLI

export interface CliRunOptions {
  /** Where the CLI runs (its cwd). */
  readonly cwd: string;
  /** Added to (or, with undefined values, removed from) the environment. */
  readonly env?: Record<string, string | undefined>;
}

export interface CliOutcome {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Wall time in milliseconds from spawn to close. */
  readonly elapsedMs: number;
}

function environment(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, SIM_AGENT_DELAY_MS: '0' };
  // The CLI's colour decision must come from the TTY alone.
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

/** A running CLI: its child process, the text seen so far, and a promise of the outcome. */
export class RunningCli {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  readonly done: Promise<CliOutcome>;
  private exited = false;
  private readonly startedAt = Date.now();

  constructor(args: readonly string[], options: CliRunOptions) {
    this.child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env: environment(options.env) });
    this.child.stdout.setEncoding('utf8');
    this.child.stderr.setEncoding('utf8');
    this.child.stdout.on('data', (text: string) => (this.stdout += text));
    this.child.stderr.on('data', (text: string) => (this.stderr += text));
    this.done = new Promise((resolve, reject) => {
      this.child.once('error', reject);
      this.child.once('close', (code, signal) => {
        this.exited = true;
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr, elapsedMs: Date.now() - this.startedAt });
      });
    });
    running.add(this);
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('the CLI was not spawned');
    return this.child.pid;
  }

  /** The complete stdout lines so far. */
  stdoutLines(): string[] {
    const lines = this.stdout.split('\n');
    lines.pop();
    return lines;
  }

  /** The complete stdout lines parsed as JSON events (for `--json` runs). */
  events(): ProcessEvent[] {
    return this.stdoutLines().map((line) => JSON.parse(line) as ProcessEvent);
  }

  /** Resolves once `predicate` holds (checked on every chunk of output); rejects on exit or after `timeoutMs`. */
  waitFor(predicate: (cli: RunningCli) => boolean, what: string, timeoutMs = 15000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        let ok = false;
        try {
          ok = predicate(this);
        } catch {
          ok = false;
        }
        if (ok) finish();
        else if (this.exited) finish(new Error(`the CLI exited before ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`));
      };
      const timer = setTimeout(
        () => finish(new Error(`timed out waiting for ${what}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`)),
        timeoutMs,
      );
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        this.child.stdout.off('data', check);
        this.child.stderr.off('data', check);
        this.child.off('close', check);
        if (error) reject(error);
        else resolve();
      };
      this.child.stdout.on('data', check);
      this.child.stderr.on('data', check);
      this.child.on('close', check);
      check();
    });
  }

  signal(signal: NodeJS.Signals): void {
    process.kill(this.pid, signal);
  }

  /** Kills the CLI and every process it started (by the pids of its `--json` start events). */
  async destroy(): Promise<void> {
    running.delete(this);
    if (this.exited) return;
    for (const pid of startPids(this)) killGroup(pid);
    this.child.kill('SIGKILL');
    await this.done.catch(() => undefined);
  }
}

const running = new Set<RunningCli>();

/** Kills whatever CLI a failed test left running (call in afterEach). */
export async function destroyRunning(): Promise<void> {
  await Promise.all([...running].map((cli) => cli.destroy()));
}

function killGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function startPids(cli: RunningCli): number[] {
  const pids: number[] = [];
  for (const line of cli.stdoutLines()) {
    try {
      const event = JSON.parse(line) as ProcessEvent;
      if (event.type === 'start') pids.push(event.pid);
    } catch {
      // not JSON mode
    }
  }
  return pids;
}

/** Starts the CLI and returns at once. */
export function startCli(args: readonly string[], options: CliRunOptions): RunningCli {
  return new RunningCli(args, options);
}

/** Runs the CLI to the end. */
export async function runCli(args: readonly string[], options: CliRunOptions): Promise<CliOutcome> {
  const cli = new RunningCli(args, options);
  try {
    return await cli.done;
  } finally {
    running.delete(cli);
  }
}

// ------------------------------------------------------------------ reading what the CLI wrote

/** The only session directory under `root` (fails when there is not exactly one; the root's `.gitignore` is not one). */
export function onlySessionDir(root: string): string {
  const entries = readdirSync(root).filter((entry) => entry !== '.gitignore');
  if (entries.length !== 1) throw new Error(`expected one session directory in ${root}, found: ${entries.join(', ')}`);
  return join(root, entries[0]);
}

export function readSummary(sessionDir: string): SessionSummary {
  return JSON.parse(readFileSync(join(sessionDir, 'summary.json'), 'utf8')) as SessionSummary;
}

/** The `Logs: <dir>` note the CLI prints at the end (on stdout, or on stderr with --json). */
export function printedLogDir(text: string): string {
  const match = /^Logs: (.+)$/m.exec(text);
  if (!match) throw new Error(`no "Logs:" line in:\n${text}`);
  return match[1];
}

/** The summary written by a finished run, found through the `Logs:` note. */
export function summaryOf(outcome: CliOutcome): SessionSummary {
  return readSummary(printedLogDir(`${outcome.stdout}\n${outcome.stderr}`));
}

export interface TableRow {
  readonly id: string;
  readonly exit: number;
  readonly duration: string;
  readonly status: string;
}

/** The rows of the summary table (after the `ID EXIT DURATION STATUS` header). */
export function tableRows(stdout: string): TableRow[] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((line) => /^ID\s+EXIT\s+DURATION\s+STATUS$/.test(line));
  if (header < 0) throw new Error(`no summary table in:\n${stdout}`);
  const rows: TableRow[] = [];
  for (const line of lines.slice(header + 1)) {
    const match = /^(\S+)\s+(-?\d+)\s+(\d+\.\d+ s)\s{2}(.+)$/.exec(line);
    if (!match) break;
    rows.push({ id: match[1], exit: Number(match[2]), duration: match[3], status: match[4] });
  }
  return rows;
}

/**
 * Runs the CLI's `cli(argv, io)` in this process with captured writers (spec/cli/in-process.ts):
 * the same parsing, orchestration, rendering and exit code as the built CLI, the processes it
 * starts still real, but without starting node and loading the CLI for each run. For specs about
 * flags, output and exit codes; signals, terminals and real pipes need `runCli`. This process's
 * cwd stays as it is: `cwd` stands for it as `--working-dir` when the arguments name none.
 * The processes the CLI starts inherit this process's environment (as a spawned CLI's children
 * inherit the CLI's), so for the duration of the run it gets what a spawned CLI would get
 * (`SIM_AGENT_DELAY_MS=0` and `env`), and is restored after. Runs one at a time (jest runs a
 * file's tests one after another).
 */
export async function runCliInProcess(args: readonly string[], options: Partial<CliRunOptions> = {}): Promise<CliOutcome> {
  const startedAt = Date.now();
  const argv = options.cwd === undefined || args.includes('--working-dir') ? args : [...args, '--working-dir', options.cwd];
  const overrides: Record<string, string | undefined> = { SIM_AGENT_DELAY_MS: '0', ...options.env };
  const saved = Object.keys(overrides).map((key) => [key, process.env[key]] as const);
  const apply = (entries: ReadonlyArray<readonly [string, string | undefined]>): void => {
    for (const [key, value] of entries) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
  apply(Object.entries(overrides));
  try {
    const outcome = await runInProcess(argv, { env: environment(options.env) });
    return { ...outcome, signal: null, elapsedMs: Date.now() - startedAt };
  } finally {
    apply(saved);
  }
}

/** The complete lines of a `--json` run's stdout, parsed as events. */
export function jsonEvents(stdout: string): ProcessEvent[] {
  const lines = stdout.split('\n');
  lines.pop();
  return lines.map((line) => JSON.parse(line) as ProcessEvent);
}

/** A CLI spec's usual setup: a fresh working directory per test, and runners that use it. */
export interface CliSpecDir {
  /** This test's working directory. */
  readonly dir: string;
  /** Runs the CLI with `--working-dir` set to `dir` (from `dir` when spawned; in this process with `inProcess`). */
  cli(...args: string[]): Promise<CliOutcome>;
  /** A command that creates `name` in `dir`: its existence proves the command ran. */
  touch(name: string): string;
}

/** Registers the hooks (new dir before each test, running CLIs destroyed after, dirs removed at the end). */
export function cliSpecDir(label: string, options: { readonly inProcess?: boolean } = {}): CliSpecDir {
  const temp = tempDirs('orchestrate-');
  let current = '';
  beforeEach(() => {
    current = temp.make(label);
  });
  afterEach(destroyRunning);
  afterAll(() => temp.cleanup());
  return {
    get dir() {
      return current;
    },
    cli: (...args) =>
      options.inProcess ? runCliInProcess([...args, '--working-dir', current]) : runCli([...args, '--working-dir', current], { cwd: current }),
    touch: (name) => `touch '${join(current, name)}'`,
  };
}

/** The built CLI running in a real terminal (node-pty, 200x50): what it printed, and how it ended. */
export interface TerminalRun {
  readonly term: pty.IPty;
  text(): string;
  readonly exit: Promise<{ exitCode: number; signal?: number }>;
}

export function onTerminal(args: readonly string[], cwd: string): TerminalRun {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined) env[key] = value;
  const term = pty.spawn(process.execPath, [CLI, ...args], { name: 'xterm-256color', cols: 200, rows: 50, cwd, env });
  let text = '';
  term.onData((chunk) => (text += chunk));
  const exit = new Promise<{ exitCode: number; signal?: number }>((resolve) => term.onExit(resolve));
  return { term, text: () => text, exit };
}
