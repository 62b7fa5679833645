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
import { Socket } from 'node:net';
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
const running = new Map<number, EventEmitter>();

function onExit(pid: number, code: number, signal: number): void {
  const child = running.get(pid);
  if (!child) return;
  running.delete(pid);
  if (running.size === 0 && loaded) loaded.addon.unref(loaded.spawner);
  child.emit('exit', code >= 0 ? code : null, signal >= 0 ? (signalName(signal) ?? null) : null);
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
  const envp = Object.entries(options.env)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => checkNoNul('env', `${name}=${value}`));
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
  if (running.size === 0) addon.ref(spawner);
  running.set(pid, child);
  child.pid = pid;
  child.stdin = stdin >= 0 ? new Socket({ fd: stdin, readable: false, writable: true }) : null;
  child.stdout = new Socket({ fd: stdout, readable: true, writable: false });
  child.stderr = new Socket({ fd: stderr, readable: true, writable: false });
  return child;
}
