/**
 * Starts a child on plain pipes, as the leader of a new process group, and reports its decoded
 * output and its end. The end is reported once the child exited and both pipes closed, or
 * `exitGraceMs` after the exit when a descendant keeps a pipe open.
 */
import { spawn } from 'node:child_process';
import { StringDecoder } from 'node:string_decoder';
import type { Readable } from 'node:stream';
import type { ChildEnd, ChildHandle, ChildHooks, ChildSpec } from './child';
import type { OutputStream } from './types';

const NO_BYTES = Buffer.alloc(0);

export function startPipeChild(spec: ChildSpec, hooks: ChildHooks): ChildHandle {
  const child = spawn(spec.file, spec.args as string[], {
    cwd: spec.cwd,
    env: spec.env,
    detached: true,
    stdio: [spec.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  });
  let exit: ChildEnd | undefined;
  let done = false;
  let graceTimer: NodeJS.Timeout | undefined;
  let openStreams = 2;

  const decoders: Record<OutputStream, StringDecoder> = {
    stdout: new StringDecoder('utf8'),
    stderr: new StringDecoder('utf8'),
  };
  const finish = (): void => {
    if (done || exit === undefined) return;
    done = true;
    if (graceTimer) clearTimeout(graceTimer);
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

  if (spec.input !== undefined && child.stdin) {
    // A child that exits without reading its input must not raise EPIPE in the host.
    child.stdin.on('error', () => undefined);
    child.stdin.end(spec.input);
  }
  child.on('error', (error) => {
    if (exit === undefined && !done) {
      done = true;
      hooks.failed(error);
    }
  });
  child.on('exit', (code, signal) => {
    exit = { exitCode: code, signal };
    hooks.exited();
    if (openStreams === 0) finish();
    else if (!done) {
      graceTimer = setTimeout(() => {
        // A descendant holds the pipes: take what has arrived and stop listening.
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish();
      }, spec.exitGraceMs);
    }
  });

  return {
    pid: child.pid ?? -1,
    release() {
      if (graceTimer) clearTimeout(graceTimer);
      done = true;
      child.stdin?.destroy();
      child.stdout?.destroy();
      child.stderr?.destroy();
    },
  };
}
