/**
 * What every command that runs processes shows them through, set up once: the redactor (the
 * host's secrets until a session exists, then the session's), the live board on a terminal, the
 * output gate every write to stdout and stderr goes through (a reader that stops reading holds the
 * children's output back, so memory stays bounded), the renderer (human, board or `--json`),
 * the stopper and the signal handling. The strategy commands (app.ts) and the pattern commands
 * (pattern-command.ts) share it.
 */
import { createRedactor, createStopper, openTailStart, OutputGate, secretValues, type Redactor } from '../toolkit';
import { boardRenderer, wantsBoard } from './board';
import type { CliIO, CliOptions } from './cli-options';
import { humanRenderer, inertLines, jsonRenderer, redactingRenderer, type Output, type Renderer } from './render';
import { installSignals } from './signals';

type GatedStream = Output & { once?: unknown };

/**
 * Output written through the gate: while the stream is full (a reader that stopped reading),
 * the gate is held closed and the children's output is no longer read, so memory stays bounded.
 */
function gated(stream: GatedStream, gate: OutputGate): Output {
  if (typeof stream.once !== 'function') return stream;
  return { write: (text: string) => gate.write(stream as unknown as NodeJS.WritableStream, text) };
}

export interface FrontEnd {
  /** The I/O with stderr through the board while it is up. */
  readonly io: CliIO;
  readonly color: boolean;
  /** Redacts with the current secrets (see `useRedactor`). */
  readonly redact: Redactor;
  /** From now on, redact with this redactor (a session's, which adds every process's own secrets). */
  useRedactor(redactor: Redactor): void;
  readonly board: ReturnType<typeof boardRenderer> | undefined;
  readonly gate: OutputGate;
  readonly renderer: Renderer;
  /** A message for stderr: redacted, and inert (it may quote an id or a path from a plan). */
  problem(error: unknown): string;
  readonly stopper: ReturnType<typeof createStopper>;
  /** Ids of the processes running now (what a second Ctrl-C reports). */
  readonly running: Set<string>;
  readonly signals: ReturnType<typeof installSignals>;
}

export function frontEnd(options: CliOptions, io: CliIO): FrontEnd {
  const color = Boolean(io.stdout.isTTY) && !options.json && io.env.NO_COLOR === undefined;
  // Secrets (issue 10): what people see is redacted; `--json` only with `--redact`.
  let redactor: Redactor = createRedactor(secretValues(io.env));
  const redact: Redactor = Object.assign((text: string) => redactor(text), { openTail: (text: string) => openTailStart(text, redactor) });
  const redacting = !options.json || options.redact === true;
  // Live board (issue 6): on a terminal, a status board under the scrolling lines; while it is
  // up, messages to stderr go through it so they never break it.
  const board = wantsBoard(io.stdout, io.env, options) ? boardRenderer(io.stdout, io.stderr, { color, raw: options.raw, redact }) : undefined;
  if (board) io = { ...io, stderr: board.stderr };
  // Backpressure (issue 10): live output goes through one gate shared with every process.
  const gate = new OutputGate();
  const out = gated(io.stdout, gate);
  const err = gated(io.stderr, gate);
  const shown = board ?? (options.json ? jsonRenderer(out, err, options.quiet) : humanRenderer(out, err, { color, quiet: options.quiet, raw: options.raw, startLines: !io.stdout.isTTY }));
  // Notes are for people: redacted even with --json (they go to stderr there).
  const renderer: Renderer = board ?? (redacting ? redactingRenderer(shown, redact) : { ...shown, note: (text) => shown.note(redact(text)) });
  const stopper = createStopper();
  const running = new Set<string>();
  const signals = installSignals({ io, stopper, running: () => running.size });
  return {
    io,
    color,
    redact,
    useRedactor: (next) => {
      redactor = next;
    },
    board,
    gate,
    renderer,
    problem: (error) => `orchestrate: ${inertLines(redact(error instanceof Error ? error.message : String(error)))}\n`,
    stopper,
    running,
    signals,
  };
}
