/**
 * What the CLI shows. For people: live output lines prefixed with the process id (coloured on a
 * terminal), then a summary table. For programs (`--json`): one ProcessEvent per line, nothing else.
 *
 * Nothing from a child or a file controls the terminal: ids, errors, statuses, notes and Claude
 * lines are made inert (control characters shown escaped, `\x1b`); live output lines too, their
 * colours dropped, unless `raw` (`--raw`) passes them through as written. Secrets are redacted
 * before the renderer sees anything (`redactingRenderer`), except in `--json` without `--redact`.
 */
import { Subject } from 'rxjs';
import { isClaudeEvent, toNdjson, type ProcessEvent, type ProcessResult } from '../index';
import { attemptsOf, EventRedactor, inert, isResultEvent, LineEngine, wasHalted, type Redactor } from '../toolkit';
import { claudeEventLine, costNote } from './claude-summary';
import { fit } from './text-width';

export interface Output {
  write(text: string): unknown;
}

export interface Renderer {
  /** Shows one event. */
  event(event: ProcessEvent): void;
  /** Shows a heading before a phase (people only) and learns the ids to align. */
  heading(text: string | undefined, processIds: readonly string[]): void;
  /** Shows a note, even when quiet (on stderr in JSON mode, unless quiet, so stdout stays pure). */
  note(text: string): void;
}

const PALETTE = [36, 35, 33, 32, 34, 96, 95, 93, 92, 94];

export function paint(text: string, code: number, color: boolean): string {
  return color ? `\x1b[${code}m${text}\x1b[0m` : text;
}

/** A note or message made inert line by line (its own line breaks kept). */
export function inertLines(text: string): string {
  return text.split('\n').map((line) => inert(line)).join('\n');
}

/** One event per line on stdout, in protocol v1's NDJSON (`toNdjson`); notes go to stderr. */
export function jsonRenderer(stdout: Output, stderr: Output, quiet: boolean): Renderer {
  const events = new Subject<ProcessEvent>();
  events.pipe(toNdjson()).subscribe((line) => stdout.write(line));
  return {
    event: (event) => events.next(event),
    heading: () => undefined,
    note: (text) => {
      if (!quiet) stderr.write(`${inertLines(text)}\n`);
    },
  };
}

/**
 * The renderer behind it sees every event redacted (`EventRedactor`: whole output lines, every
 * string of every other event), and every note.
 */
export function redactingRenderer(renderer: Renderer, redact: Redactor): Renderer {
  const events = new EventRedactor(redact);
  return {
    event: (event) => {
      for (const redacted of events.push(event)) renderer.event(redacted);
    },
    heading: (text, processIds) => renderer.heading(text === undefined ? undefined : redact(text), processIds.map(redact)),
    note: (text) => renderer.note(redact(text)),
  };
}

export interface HumanRendererOptions {
  readonly color: boolean;
  readonly quiet: boolean;
  /** Output lines as the processes wrote them (colours, escape sequences); else made inert. @default false */
  readonly raw?: boolean;
  /** A line when each process starts (for a log file, where no board shows what runs). @default false */
  readonly startLines?: boolean;
}

/** Live, prefixed, whole lines; stderr lines go to stderr. */
export function humanRenderer(stdout: Output, stderr: Output, options: HumanRendererOptions): Renderer {
  const splitters = new Map<string, LineEngine>();
  const colors = new Map<string, number>();
  /** The last line each process printed: an error that only repeats it is not printed again. */
  const lastLines = new Map<string, string>();
  let width = 0;
  // Each process its colour in the order processes start (a plan's order), whoever prints first.
  const colorFor = (processId: string): void => {
    if (!colors.has(processId)) colors.set(processId, PALETTE[colors.size % PALETTE.length]);
  };
  const prefix = (processId: string): string => {
    colorFor(processId);
    const shown = inert(processId);
    width = Math.max(width, Math.min(shown.length, 24));
    return paint(`[${shown}]`.padEnd(width + 2), colors.get(processId) ?? 0, options.color);
  };
  const shownLine = (line: string): string => (options.raw ? line : inert(line, { keepTab: true }));
  const writeLines = (processId: string, stream: 'stdout' | 'stderr', text: string | null): void => {
    const key = `${stream}\0${processId}`;
    let splitter = splitters.get(key);
    if (!splitter) splitters.set(key, (splitter = new LineEngine()));
    // null: the process ended, so its unfinished last line is shown and forgotten.
    const lines = text === null ? splitter.flush() : splitter.push(text);
    if (text === null) splitters.delete(key);
    if (lines.length === 0) return;
    lastLines.set(processId, lines[lines.length - 1]);
    const target = stream === 'stderr' ? stderr : stdout;
    target.write(lines.map((line) => `${prefix(processId)} ${shownLine(line)}\n`).join(''));
  };
  return {
    event(event) {
      if (event.type === 'start') colorFor(event.processId);
      if (options.quiet) return;
      if (event.type === 'output') writeLines(event.processId, event.stream, event.chunk);
      else if (isClaudeEvent(event)) {
        const line = claudeEventLine(event);
        if (line) stdout.write(`${prefix(event.processId)} ${paint(`> ${inert(line)}`, 2, options.color)}\n`);
      } else if (event.type === 'start' && (event.attempt ?? 1) === 1) {
        if (options.startLines) stdout.write(`${prefix(event.processId)} ${paint(`started (pid ${event.pid})`, 2, options.color)}\n`);
      } else if (event.type === 'start') {
        // Retry: the previous attempt's unfinished lines end, and the new attempt is announced.
        writeLines(event.processId, 'stdout', null);
        writeLines(event.processId, 'stderr', null);
        stdout.write(`${prefix(event.processId)} ${paint(`retrying: attempt ${event.attempt}`, 33, options.color)}\n`);
      } else if (event.type === 'restart') {
        // A remote run taken over by another worker (issue 14): the earlier attempt's lines end here.
        writeLines(event.processId, 'stdout', null);
        writeLines(event.processId, 'stderr', null);
        stdout.write(`${prefix(event.processId)} ${paint(inert(`restarted on worker ${event.workerId} (worker ${event.previousWorkerId} stopped holding it)`), 33, options.color)}\n`);
      } else if (isResultEvent(event)) {
        writeLines(event.processId, 'stdout', null);
        writeLines(event.processId, 'stderr', null);
        const { result } = event;
        const status = result.exitCode === 0 ? paint('done', 32, options.color) : paint(`failed: ${failure(result, lastLines.get(event.processId))}`, 31, options.color);
        lastLines.delete(event.processId);
        const attempts = attemptsOf(result) ?? [];
        const tries = attempts.length > 1 ? `, attempt ${attempts.length}` : '';
        stdout.write(`${prefix(event.processId)} ${status} (${result.duration.toFixed(1)} s${tries}${costNote(result)})\n`);
      }
    },
    heading(text, processIds) {
      width = Math.min(24, Math.max(0, ...processIds.map((id) => inert(id).length)));
      if (text !== undefined && !options.quiet) stdout.write(`\n${paint(`== ${inert(text)}`, 1, options.color)}\n`);
    },
    note(text) {
      stdout.write(`${inertLines(text)}\n`);
    },
  };
}

/** Why a run failed, for its live line; an error that repeats the line just printed is not repeated. */
function failure(result: ProcessResult, lastLine: string | undefined): string {
  const error = result.error ?? `exit ${result.exitCode}`;
  const repeats = lastLine !== undefined && lastLine.trim().length >= 8 && error.includes(lastLine.trim());
  return repeats ? `exit ${result.exitCode} (the error is the line above)` : inert(error);
}

function statusOf(result: ProcessResult): string {
  if (result.exitCode === 0) return 'ok';
  if (result.timedOut) return 'timed out';
  if (result.reason === 'not-started') return wasHalted(result) ? 'not started (halted)' : 'not started';
  if (wasHalted(result)) return 'halted';
  if (result.cancelled) return 'cancelled';
  return `failed: ${result.error ?? `exit ${result.exitCode}`}`;
}

/**
 * The summary table: id, exit code, duration, status, a row per result in the order given (the
 * orchestrator gives submission order). Ids and statuses are redacted (`redact`) and made inert:
 * a child's stderr quoted in the status cannot drive the terminal. With `columns` (a terminal's
 * width) every row is cut to fit, so a long error never wraps.
 */
export function summaryTable(results: readonly ProcessResult[], color: boolean, redact: Redactor = (text) => text, columns?: number): string {
  const rows = results.map((r) => [inert(redact(r.processId)), String(r.exitCode), `${r.duration.toFixed(2)} s`, inert(redact(statusOf(r)))]);
  const header = ['ID', 'EXIT', 'DURATION', 'STATUS'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (i === 3 ? 0 : row[i].length))));
  const line = (cells: string[]): string =>
    cells.map((cell, i) => (i === 3 ? cell : i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  // On a terminal, no row wraps: each is cut to the width (the status, last, is what gets cut).
  const bounded = (text: string): string => (columns !== undefined && columns > 1 ? fit(text, columns - 1) : text);
  const body = rows.map((row, index) => {
    const text = bounded(line(row));
    return paint(text, results[index].exitCode === 0 ? 32 : 31, color);
  });
  return [paint(line(header), 1, color), ...body].join('\n') + '\n';
}
