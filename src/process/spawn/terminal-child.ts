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
import { StringDecoder } from 'node:string_decoder';
import * as pty from 'node-pty';
import type { ChildEnd, ChildHandle, ChildHooks, ChildSpec } from './child';
import { followGate } from './child';
import { signalName } from './signal-name';
import { LIFELINE_COMMAND_DONE, lifelineCommand, lifelinePath, markerStatus } from './lifeline';
import { fastSpawnerActive, fastTerminal, type TerminalChild } from './fast-spawn';
import { collapseCrlf } from '../text/byte-lines';

/** The terminal type children are told (`TERM`). */
const TERM = 'xterm-256color';
const CR = 0x0d;
const LF = 0x0a;
const ESC = 0x1b;
const BEL = 0x07;
const CR_BYTE = Buffer.from([CR]);
const NO_BYTES = Buffer.alloc(0);
/** Bytes of terminal output handled at once (see `onData`). */
const MAX_BATCH = 60 * 1024;
/** Collapsed output before it is handed on: one buffer for every terminal (handing on copies it). */
let scratch = Buffer.allocUnsafe(0);

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
          // Bytes, as the fast path reads them: decoded here, after the marker is cut out.
          encoding: null,
        });
  } catch (error) {
    removeInput();
    throw error;
  }

  const markerBytes = Buffer.from(marker);
  let pending: Buffer | undefined; // bytes held back: a possible start of the marker
  let carry = false; // a trailing '\r' held back: it may begin a '\r\n'
  let marked = false; // the marker was read: what follows is not the command's
  let status: ChildEnd | undefined; // from the marker
  let done = false;
  const decoder = new StringDecoder('utf8');

  // The command's output as read, its '\r\n's made '\n' (collapseCrlf, into `scratch`), decoded,
  // and handed on with those bytes (kept as read, as pipes keep theirs).
  const emit = (bytes: Buffer): void => {
    if (bytes.length === 0) return;
    if (scratch.length < bytes.length + 1) scratch = Buffer.allocUnsafe(Math.max(bytes.length + 1, 64 * 1024));
    let size = 0;
    if (carry) {
      carry = false;
      if (bytes[0] !== LF) scratch[size++] = CR;
    }
    size += collapseCrlf(bytes, bytes.length, scratch, size);
    if (size > 0 && scratch[size - 1] === CR) {
      carry = true;
      size -= 1;
    }
    if (size === 0) return;
    const view = scratch.subarray(0, size);
    hooks.output('stdout', decoder.write(view), view);
  };
  // The end of the command's output: a held '\r' is a '\r' after all, and the decoder's rest.
  const endOutput = (): void => {
    if (carry) hooks.output('stdout', decoder.write(CR_BYTE), CR_BYTE);
    carry = false;
    const rest = decoder.end();
    if (rest) hooks.output('stdout', rest, NO_BYTES);
  };

  const onData = (chunk: Buffer): void => {
    if (done || marked) return;
    // A terminal is read about 4 KiB at a time: the reads of one turn of the event loop are
    // handled together (one event instead of dozens; the bench's terminal throughput).
    batch.push(chunk);
    batchSize += chunk.length;
    // Up to 64 KiB, as a pipe is read: a larger text would be a large object to the collector.
    if (batchSize >= MAX_BATCH) takeBatch();
    else batchTimer ??= setImmediate(takeBatch);
  };
  let batch: Buffer[] = [];
  let batchSize = 0;
  let batchTimer: NodeJS.Immediate | undefined;
  const takeBatch = (): void => {
    if (batchTimer) clearImmediate(batchTimer);
    batchTimer = undefined;
    if (batch.length === 0) return;
    const chunk = batch.length === 1 ? batch[0] : Buffer.concat(batch, batchSize);
    batch = [];
    batchSize = 0;
    if (!done && !marked) handle(chunk);
  };

  const handle = (chunk: Buffer): void => {
    const data = pending ? Buffer.concat([pending, chunk]) : chunk;
    pending = undefined;
    const at = data.indexOf(markerBytes);
    if (at >= 0) {
      const bell = data.indexOf(BEL, at + markerBytes.length);
      if (bell < 0) {
        emit(data.subarray(0, at));
        pending = Buffer.from(data.subarray(at));
        return;
      }
      emit(data.subarray(0, at));
      endOutput();
      marked = true;
      // The lifeline's status is exact; the shell's is `$?`. Unreadable: the exit status decides.
      status = markerStatus(data.toString('latin1', at + markerBytes.length, bell), lifeline !== undefined);
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
    // Only the last markerBytes.length - 1 bytes can hold the start of a marker: search just those.
    const from = Math.max(0, data.length - markerBytes.length + 1);
    let escape = data.length - 1;
    while (escape >= from && data[escape] !== ESC) escape -= 1;
    if (escape >= from && markerBytes.subarray(0, data.length - escape).equals(data.subarray(escape))) {
      pending = Buffer.from(data.subarray(escape));
      emit(data.subarray(0, escape));
    } else {
      emit(data);
    }
  };

  // With `encoding: null`, node-pty hands out Buffers (its types say string).
  const dataListener = (term.onData as (listener: (data: Buffer) => void) => { dispose(): void })(onData);
  const unwatch = followGate(
    spec.gate,
    () => term.pause(),
    () => term.resume(),
  );
  const exitListener = term.onExit(({ exitCode, signal }) => {
    if (done) return;
    takeBatch();
    done = true;
    unwatch();
    dataListener.dispose();
    exitListener.dispose();
    removeInput();
    if (!marked) {
      // Killed before the command finished: what arrived is all there is.
      if (pending) emit(pending);
      pending = undefined;
      endOutput();
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
      if (batchTimer) clearImmediate(batchTimer);
      batchTimer = undefined;
      batch = [];
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
