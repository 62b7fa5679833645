/**
 * Starts a child on plain pipes, as the leader of a new process group, and reports its decoded
 * output and its end. The end is reported once the child exited and both pipes closed, or
 * `exitGraceMs` after the exit when a descendant keeps a pipe open (what is in the pipes by then
 * is read first, however late the host got to run).
 *
 * With the lifeline (lifeline.ts) the group leader is the lifeline and the command its child in
 * the same group; the lifeline ends as the command did, so exit codes and signals read the same.
 * While the output gate is closed both pipes are paused (the child blocks once they are full),
 * and the exit grace only runs while the gate is open, so a paused child's output is never cut.
 * The exit grace runs on `spec.scheduler` (asyncScheduler by default). The child is started by
 * posix_spawn through the addon (fast-spawn.ts) unless RXO_SPAWNER=node or the addon is missing.
 */
import { spawn } from 'node:child_process';
import { asyncScheduler, type Subscription } from 'rxjs';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { ChildEnd, ChildHandle, ChildHooks, ChildSpec } from './child';
import { followGate } from './child';
import { fastSpawn, fastSpawnerActive } from './fast-spawn';
import { lifelineCommand, lifelinePath } from './lifeline';
import type { OutputStream } from '../types';

const NO_BYTES = Buffer.alloc(0);

export function startPipeChild(spec: ChildSpec, hooks: ChildHooks): ChildHandle {
  const lifeline = spec.lifeline ? lifelinePath() : undefined;
  const command = lifeline && spec.lifeline ? lifelineCommand(lifeline, spec.file, spec.args, spec.lifeline) : spec;
  const child = fastSpawnerActive()
    ? fastSpawn(command.file, command.args, { cwd: spec.cwd, env: spec.env, stdinPipe: spec.input !== undefined })
    : spawn(command.file, command.args as string[], {
        cwd: spec.cwd,
        env: spec.env,
        detached: true,
        stdio: [spec.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      });
  let exit: ChildEnd | undefined;
  let done = false;
  let graceTimer: Subscription | undefined;
  const scheduler = spec.scheduler ?? asyncScheduler;
  let openStreams = 2;
  let paused = false;

  const decoders: Record<OutputStream, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };
  const finish = (): void => {
    if (done || exit === undefined) return;
    done = true;
    unwatch();
    graceTimer?.unsubscribe();
    for (const stream of ['stdout', 'stderr'] as const) {
      const tail = decoders[stream].end();
      if (tail) hooks.output(stream, tail, NO_BYTES);
    }
    hooks.ended(exit);
  };
  const read = (readable: Readable, stream: OutputStream): void => {
    readable.on('data', (data: Buffer) => {
      if (done) return;
      // Called even when the read ended inside a character (no text yet): the bytes are kept.
      hooks.output(stream, decoders[stream].write(data), data);
    });
    readable.once('close', () => {
      openStreams -= 1;
      if (openStreams === 0) finish();
    });
    readable.on('error', () => undefined);
  };
  read(child.stdout!, 'stdout');
  read(child.stderr!, 'stderr');

  /** After the exit, while the gate is open: wait `exitGraceMs` for descendants holding the pipes. */
  const armGrace = (): void => {
    if (graceTimer || done || exit === undefined || paused || openStreams === 0) return;
    const timer = scheduler.schedule(() => {
      // A descendant holds the pipes: take what has arrived and stop listening. Not at once: a
      // host starved of CPU (a hundred children starting on two cores) can see the whole grace
      // pass before it polled the pipes again, with the child's last output waiting in them. The
      // poll phase of this turn of the event loop reads it; the cut comes after, in its check phase.
      setImmediate(() => {
        if (done || graceTimer !== timer) return;
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish();
      });
    }, spec.exitGraceMs);
    graceTimer = timer;
  };
  const unwatch = followGate(
    spec.gate,
    () => {
      paused = true;
      child.stdout?.pause();
      child.stderr?.pause();
      graceTimer?.unsubscribe();
      graceTimer = undefined;
    },
    () => {
      paused = false;
      child.stdout?.resume();
      child.stderr?.resume();
      armGrace();
    },
  );

  if (spec.input !== undefined && child.stdin) {
    // A child that exits without reading its input must not raise EPIPE in the host.
    child.stdin.on('error', () => undefined);
    child.stdin.end(spec.input);
  }
  child.on('error', (error) => {
    if (exit === undefined && !done) {
      done = true;
      unwatch();
      hooks.failed(error);
    }
  });
  child.on('exit', (code, signal) => {
    exit = { exitCode: code, signal };
    hooks.exited();
    if (openStreams === 0) finish();
    else armGrace();
  });

  return {
    pid: child.pid ?? -1,
    release() {
      graceTimer?.unsubscribe();
      done = true;
      unwatch();
      child.stdin?.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
  };
}
