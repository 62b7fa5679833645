/**
 * The fast spawner: starts pipe-mode children through the native addon `build/rxo-spawner.node`
 * (native/spawner.c), which calls posix_spawn(3): glibc clones with CLONE_VM | CLONE_VFORK, so
 * the host's large address space is not copied as libuv's fork(2) copies it for every child.
 *
 * `fastSpawn` returns the part of a ChildProcess that pipe-child.ts uses (pid, stdin, stdout,
 * stderr, 'exit' and 'error'), with Node's semantics: the child leads a new session and process
 * group (`detached: true`), its stdio are pipes (stdin /dev/null unless input is given), a missing
 * file or a refused one is an 'error' event on the next tick and an E2BIG is thrown, with the
 * error fields Node gives (code, errno, syscall, path, spawnargs).
 *
 * Chosen by `defaults.spawner` ('fast') or RXO_SPAWNER=fast|node in the host's environment. Without the
 * addon (a failed build, a platform other than Linux, a kernel without pidfd) it is unavailable
 * and Node's spawn is used.
 */
import { EventEmitter } from 'node:events';
import { writeSync } from 'node:fs';
import { Socket } from 'node:net';
import { ReadStream } from 'node:tty';
import { constants } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { defaults } from '../../defaults';
import { invalidOption } from '../../validate';
import { signalName } from './signal-name';

/** Where the build puts it, from dist/process/spawn or src/process/spawn: the package root's build/. */
const ADDON = join(__dirname, '..', '..', '..', 'build', 'rxo-spawner.node');

/** What init() returns: this module's own exit channel (an external, opaque here). */
type Spawner = { readonly __brand: 'rxo-spawner' };

interface Addon {
  init(onExit: (pid: number, code: number, signal: number) => void): Spawner;
  spawn(spawner: Spawner, file: string, argv: string[], envp: string[], cwd: string, stdinPipe: boolean): number[] | number;
  spawnTerminal(spawner: Spawner, file: string, argv: string[], envp: string[], cwd: string, cols: number, rows: number): number[] | number;
  ref(spawner: Spawner): void;
  unref(spawner: Spawner): void;
}

/** The addon bound to this module's spawner. */
interface Loaded {
  readonly addon: Addon;
  readonly spawner: Spawner;
}

/** What pipe-child.ts needs of a child process. */
export interface SpawnedChild extends EventEmitter {
  readonly pid: number | undefined;
  readonly stdin: Writable | null;
  readonly stdout: Readable;
  readonly stderr: Readable;
}

/** Node reports these spawn errors as an 'error' event; any other is thrown (child_process). */
const REPORTED = new Set(['EACCES', 'EAGAIN', 'EMFILE', 'ENFILE', 'ENOENT']);

let loaded: Loaded | null | undefined;
/** What to call when a running child ends: its exit code or -1, its signal number or -1. */
const running = new Map<number, (code: number, signal: number) => void>();

function onExit(pid: number, code: number, signal: number): void {
  const ended = running.get(pid);
  if (!ended) return;
  running.delete(pid);
  if (running.size === 0 && loaded) loaded.addon.unref(loaded.spawner);
  ended(code, signal);
}

/** Watches `pid` until it ends (its exit keeps the event loop alive meanwhile). */
function watchExit(pid: number, ended: (code: number, signal: number) => void): void {
  const { addon, spawner } = loaded as Loaded;
  if (running.size === 0) addon.ref(spawner);
  running.set(pid, ended);
}

function load(): Loaded | null {
  if (process.platform !== 'linux') return null;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const addon = require(ADDON) as Addon;
    return { addon, spawner: addon.init(onExit) };
  } catch {
    return null;
  }
}

/** Which spawner the host asked for: RXO_SPAWNER, else `defaults.spawner`. */
export function spawnerChoice(env: NodeJS.ProcessEnv = process.env): 'node' | 'fast' {
  const value = env.RXO_SPAWNER ?? defaults.spawner;
  if (value !== 'node' && value !== 'fast') throw invalidOption('RXO_SPAWNER', '"node" or "fast"', value);
  return value;
}

/** True when children are to be started by the addon: asked for, and the addon loads. */
export function fastSpawnerActive(env: NodeJS.ProcessEnv = process.env): boolean {
  if (spawnerChoice(env) !== 'fast') return false;
  if (loaded === undefined) loaded = load();
  return loaded !== null;
}

function spawnError(errno: number, file: string, args: readonly string[]): NodeJS.ErrnoException {
  const code = Object.entries(constants.errno).find(([, value]) => value === errno)?.[0] ?? `E${errno}`;
  const reported = REPORTED.has(code);
  const error: NodeJS.ErrnoException & { spawnargs?: string[] } = new Error(reported ? `spawn ${file} ${code}` : `spawn ${code}`);
  error.errno = -errno;
  error.code = code;
  error.syscall = reported ? `spawn ${file}` : 'spawn';
  if (reported) {
    error.path = file;
    error.spawnargs = [...args];
  }
  return error;
}

function checkNoNul(name: string, value: string): string {
  if (value.includes('\u0000')) throw invalidOption(name, 'a string without null bytes', value);
  return value;
}

/** Starts `file args` through the addon; call only when `fastSpawnerActive()`. */
export function fastSpawn(
  file: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string>; stdinPipe: boolean },
): SpawnedChild {
  if (!loaded) throw new Error('the fast spawner is not loaded (check fastSpawnerActive() first)');
  const { addon, spawner } = loaded;
  const envp = environmentOf(options.env);
  const argv = [file, ...args].map((arg) => checkNoNul('args', arg));
  const started = addon.spawn(spawner, file, argv, envp, checkNoNul('cwd', options.cwd), options.stdinPipe);
  const child = new EventEmitter() as SpawnedChild & { pid: number | undefined; stdin: Writable | null; stdout: Readable; stderr: Readable };
  if (typeof started === 'number') {
    const error = spawnError(started, file, args);
    if (!REPORTED.has(error.code!)) throw error;
    // As Node: streams that end at once, then the error on the next tick.
    child.pid = undefined;
    child.stdin = null;
    child.stdout = new Socket().destroy();
    child.stderr = new Socket().destroy();
    process.nextTick(() => child.emit('error', error));
    return child;
  }
  const [pid, stdin, stdout, stderr] = started;
  watchExit(pid, (code, signal) => child.emit('exit', code >= 0 ? code : null, signal >= 0 ? (signalName(signal) ?? null) : null));
  child.pid = pid;
  child.stdin = stdin >= 0 ? new Socket({ fd: stdin, readable: false, writable: true }) : null;
  child.stdout = new Socket({ fd: stdout, readable: true, writable: false });
  child.stderr = new Socket({ fd: stderr, readable: true, writable: false });
  return child;
}

/** `NAME=value` strings of an environment, each checked for null bytes. */
function environmentOf(env: Record<string, string | undefined>, extra?: Record<string, string>): string[] {
  const envp: string[] = [];
  for (const name of Object.keys(env)) {
    if (extra && name in extra) continue;
    const value = env[name];
    if (value !== undefined) envp.push(checkNoNul('env', `${name}=${value}`));
  }
  if (extra) for (const name of Object.keys(extra)) envp.push(checkNoNul('env', `${name}=${extra[name]}`));
  return envp;
}

/** What terminal-child.ts uses of a child on a terminal: node-pty's `IPty`, in part. */
export interface TerminalChild {
  readonly pid: number;
  /** The terminal's output as read (bytes). */
  onData(listener: (data: Buffer) => void): { dispose(): void };
  onExit(listener: (end: { exitCode: number; signal?: number }) => void): { dispose(): void };
  pause(): void;
  resume(): void;
  write(data: string): void;
}

/** How long the terminal's output may go on after the child ended (a descendant holding it open): node-pty's figure. */
const TERMINAL_DRAIN_MS = 200;

/**
 * Starts `file args` on a new pseudo-terminal through the addon (posix_spawn: no fork of the
 * host, which is most of what node-pty's spawn costs); call only when `fastSpawnerActive()`.
 * As node-pty does, the child's environment gets `TERM` (`name`) and `PWD` (its working
 * directory), its end is reported once the terminal has been read to its end (or
 * `TERMINAL_DRAIN_MS` after it ended, when a descendant keeps the terminal open; the master is
 * then closed), and a failed start throws.
 */
export function fastTerminal(
  file: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string | undefined>; cols: number; rows: number; name: string },
): TerminalChild {
  if (!loaded) throw new Error('the fast spawner is not loaded (check fastSpawnerActive() first)');
  const { addon, spawner } = loaded;
  const cwd = checkNoNul('cwd', options.cwd);
  const envp = environmentOf(options.env, { TERM: options.name, PWD: cwd });
  const argv = [file, ...args].map((arg) => checkNoNul('args', arg));
  const started = addon.spawnTerminal(spawner, file, argv, envp, cwd, options.cols, options.rows);
  if (typeof started === 'number') throw spawnError(started, file, args);
  const [pid, master] = started;
  const events = new EventEmitter();
  // A tty.ReadStream as node-pty reads its master; EIO is how the terminal's end is told.
  const socket = new ReadStream(master);
  let closed = false;
  let end: { exitCode: number; signal?: number } | undefined;
  const finish = (): void => {
    if (!end || !closed) return;
    events.emit('exit', end);
    events.removeAllListeners();
  };
  socket.on('data', (data: Buffer) => events.emit('data', data));
  socket.on('error', () => socket.destroy()); // EIO once no process holds the terminal
  socket.on('close', () => {
    closed = true;
    finish();
  });
  watchExit(pid, (code, signal) => {
    end = signal >= 0 ? { exitCode: 0, signal } : { exitCode: code };
    // After the drain, the poll phase of one more turn of the loop reads what is waiting (a host
    // starved of CPU may not have polled the terminal during the drain), then the check phase cuts.
    if (!closed) setTimeout(() => setImmediate(() => socket.destroy()), TERMINAL_DRAIN_MS);
    finish();
  });
  const listen = <T>(name: string, listener: (value: T) => void): { dispose(): void } => {
    events.on(name, listener);
    return { dispose: () => events.off(name, listener) };
  };
  return {
    pid,
    onData: (listener) => listen('data', listener),
    onExit: (listener) => listen('exit', listener),
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    write(data) {
      if (socket.destroyed) return;
      try {
        writeSync(master, data);
      } catch {
        // the terminal is gone (or its input full): like a write to a closed pty, dropped
      }
    },
  };
}
