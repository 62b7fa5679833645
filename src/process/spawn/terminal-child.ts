/**
 * Starts a child in a pseudo-terminal, without losing the tail of its output: through the fast
 * spawner's `fastTerminal` (posix_spawn onto a pty the addon opens) when it is active, else
 * through node-pty.
 *
 * node-pty drops whatever is still unread when the child exits (PLATFORM.md). So the command
 * runs under a supervisor that outlives it: when the command ends, the supervisor writes an end
 * marker carrying a random nonce and the exit status on the terminal, then waits. Everything
 * before the marker is the command's complete output, because a terminal keeps order; on reading
 * the marker we end the supervisor.
 *
 * With the lifeline (lifeline.ts), the lifeline is the supervisor: node-pty starts it with
 * `--marker <nonce>`, it forks and execs the command itself (no shell), writes the marker, with
 * `s<signal>` for a signal death so the status is exact, and ends on SIGUSR1. Without it, a fixed
 * `/bin/sh` script is the supervisor; the command and its arguments reach it as positional
 * parameters, never parsed by the shell, and its status is `$?` (above 128: a signal, as the
 * shell reports it).
 *
 * Input goes through a temporary file, unlinked (with its directory) as soon as it is written:
 * the supervisor opens it through /proc/<host pid>/fd/<fd>, the host's descriptor, so nothing is
 * left on disk whatever happens to the host. While the output gate is closed the terminal is paused.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as pty from 'node-pty';
import type { ChildEnd, ChildHandle, ChildHooks, ChildSpec } from './child';
import { followGate } from './child';
import { signalName } from './signal-name';
import { LIFELINE_COMMAND_DONE, lifelineCommand, lifelinePath, markerStatus } from './lifeline';
import { fastSpawnerActive, fastTerminal, type TerminalChild } from './fast-spawn';

/** The terminal type children are told (`TERM`). */
const TERM = 'xterm-256color';

const SUPERVISOR =
  'n=$1; i=$2; shift 2; if [ -n "$i" ]; then "$@" <"$i"; else "$@"; fi; c=$?; ' +
  "printf '\\033]777;rxo-end;%s;%s\\007' \"$n\" \"$c\"; read -r _; read -r _";

// Each run's end marker carries a nonce nobody can have printed before: a random prefix drawn
// once, then a counter (cheaper than drawing random bytes for every run).
const NONCE_PREFIX = randomBytes(8).toString('hex');
let runs = 0;

/** The end-of-input character a terminal in canonical mode turns into EOF for the reader. */
const EOF_CHAR = '\x04';

let procFds: boolean | undefined;

/**
 * Writes `input` to a new temporary file and removes it and its directory at once, keeping an
 * open descriptor: the child reads it through /proc/<our pid>/fd/<fd>. Where /proc is missing,
 * the file stays until `close` (the child's end).
 */
function inputFile(input: string | Buffer): { path: string; close(): void } {
  procFds ??= existsSync(`/proc/${process.pid}/fd`);
  const dir = mkdtempSync(join(tmpdir(), 'rxo-input-'));
  const file = join(dir, 'stdin');
  let fd: number | undefined;
  try {
    fd = openSync(file, 'wx+', 0o600);
    writeFileSync(fd, input);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  let removed = false;
  const remove = (): void => {
    if (!removed) rmSync(dir, { recursive: true, force: true });
    removed = true;
  };
  if (procFds) remove();
  return {
    path: procFds ? `/proc/${process.pid}/fd/${fd}` : file,
    close() {
      remove();
      if (fd !== undefined) closeSync(fd);
      fd = undefined;
    },
  };
}

export function startTerminalChild(spec: ChildSpec, hooks: ChildHooks): ChildHandle {
  runs += 1;
  const nonce = `${NONCE_PREFIX}${runs.toString(16)}`;
  const marker = `\x1b]777;rxo-end;${nonce};`;
  const input = spec.input === undefined ? undefined : inputFile(spec.input);
  const removeInput = (): void => input?.close();

  const lifeline = spec.lifeline ? lifelinePath() : undefined;
  const command =
    lifeline && spec.lifeline
      ? lifelineCommand(lifeline, spec.file, spec.args, spec.lifeline, { marker: nonce, stdin: input?.path })
      : { file: '/bin/sh', args: ['-c', SUPERVISOR, 'rxo-supervisor', nonce, input?.path ?? '', spec.file, ...spec.args] };
  let term: TerminalChild | pty.IPty;
  try {
    term = fastSpawnerActive()
      ? fastTerminal(command.file, command.args, { name: TERM, cols: spec.cols, rows: spec.rows, cwd: spec.cwd, env: spec.env })
      : pty.spawn(command.file, command.args, {
          name: TERM,
          cols: spec.cols,
          rows: spec.rows,
          cwd: spec.cwd,
          // node-pty drops some variables (TMUX, COLUMNS, ...) from `process.env` itself, never
          // from a copy: the child gets the host's environment whole, as in pipe mode.
          env: spec.env === process.env ? hostEnvironmentCopy() : spec.env,
          encoding: 'utf8',
        });
  } catch (error) {
    removeInput();
    throw error;
  }

  let pending = ''; // text held back: a possible start of the marker
  let carry = ''; // a trailing '\r' that may begin a '\r\n'
  let marked = false; // the marker was read: what follows is not the command's
  let status: ChildEnd | undefined; // from the marker
  let done = false;

  const emit = (text: string): void => {
    let value = carry + text;
    carry = '';
    if (value.endsWith('\r')) {
      carry = '\r';
      value = value.slice(0, -1);
    }
    value = value.replace(/\r\n/g, '\n');
    if (value) hooks.output('stdout', value);
  };

  const onData = (chunk: string): void => {
    if (done || marked) return;
    const text = pending + chunk;
    pending = '';
    const at = text.indexOf(marker);
    if (at >= 0) {
      const bell = text.indexOf('\x07', at + marker.length);
      if (bell < 0) {
        emit(text.slice(0, at));
        pending = text.slice(at);
        return;
      }
      emit(text.slice(0, at));
      if (carry) hooks.output('stdout', carry);
      carry = '';
      marked = true;
      // The lifeline's status is exact; the shell's is `$?`. Unreadable: the exit status decides.
      status = markerStatus(text.slice(at + marker.length, bell), lifeline !== undefined);
      // The supervisor now only waits: stop it, which closes the terminal. Whatever else is left
      // in the group is the lifeline's (it wrote the marker once none was left) or the caller's
      // to end (see `killLeftovers`), told by `exited` once the supervisor is gone.
      try {
        process.kill(term.pid, lifeline ? LIFELINE_COMMAND_DONE : 'SIGTERM');
      } catch {
        // already gone
      }
      return;
    }
    // Only the last marker.length - 1 characters can hold the start of a marker: search just
    // those, not the whole chunk.
    const from = Math.max(0, text.length - marker.length + 1);
    const inTail = text.slice(from).lastIndexOf('\x1b');
    const escape = inTail < 0 ? -1 : from + inTail;
    if (escape >= 0 && marker.startsWith(text.slice(escape))) {
      pending = text.slice(escape);
      emit(text.slice(0, escape));
    } else {
      emit(text);
    }
  };

  const dataListener = term.onData(onData);
  const unwatch = followGate(
    spec.gate,
    () => term.pause(),
    () => term.resume(),
  );
  const exitListener = term.onExit(({ exitCode, signal }) => {
    if (done) return;
    done = true;
    unwatch();
    dataListener.dispose();
    exitListener.dispose();
    removeInput();
    if (!marked) {
      // Killed before the command finished: what arrived is all there is.
      emit(pending);
      if (carry) hooks.output('stdout', carry);
    }
    hooks.exited();
    hooks.ended(status ?? { exitCode: signal ? null : exitCode, signal: signalName(signal) });
  });
  // End of input at once, as with pipes; the supervisor itself never reads.
  if (spec.input === undefined) term.write(EOF_CHAR);

  return {
    pid: term.pid,
    release() {
      unwatch();
      if (!done) {
        done = true;
        dataListener.dispose();
        exitListener.dispose();
      }
      removeInput();
    },
  };
}

/** A copy of the host's environment, read key by key (spreading `process.env`, a host object, costs twice as much). */
function hostEnvironmentCopy(): Record<string, string> {
  const host = process.env;
  const copy: Record<string, string> = {};
  for (const key of Object.keys(host)) {
    const value = host[key];
    if (value !== undefined) copy[key] = value;
  }
  return copy;
}
