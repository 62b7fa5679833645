/**
 * The live status board for a terminal: the usual prefixed lines scroll by, and under them a
 * board (one row per running process with its elapsed time and last line, then a footer with
 * the counts and the ETA) is redrawn in place, at most every 100 ms, from `progress()` snapshots.
 *
 * Drawing: everything to print above the board waits in `pending`; a frame erases the board
 * (cursor up by the rows it took, to the first column, erase to the end of the screen), writes what was pending, and
 * draws the board again. Rows are cut to the terminal's width, so none wraps; on a resize, the
 * rows the old board now takes (a terminal re-wraps lines that no longer fit) are erased. The
 * cursor is hidden while the board is up and shown again when it closes, or when the host exits.
 */
import { Subject, type Subscription } from 'rxjs';
import { progress, type ProcessEvent, type ProgressSnapshot } from '../index';
import { type Redactor } from '../toolkit';
import { boardLines, type BoardLine } from './board-frame';
import { humanRenderer, redactingRenderer, type Output, type Renderer } from './render';

/** What the board needs of stdout: a terminal it can measure. */
export interface TerminalOutput extends Output {
  readonly columns?: number;
  readonly rows?: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  on?(event: string, listener: (...args: any[]) => void): unknown;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  off?(event: string, listener: (...args: any[]) => void): unknown;
}

export interface BoardRenderer extends Renderer {
  /** Writes to stderr without breaking the board (use it for every message while the board is up). */
  readonly stderr: Output;
  /** Erases the board, prints what is pending and shows the cursor; later writes go straight out. */
  close(): void;
}

/** The board is shown on a terminal, unless the output is for programs (`--json`), `--quiet`, `--no-board`, `TERM=dumb` or a terminal narrower than `MIN_COLUMNS`. */
export function wantsBoard(stdout: { readonly isTTY?: boolean; readonly columns?: number }, env: NodeJS.ProcessEnv, options: { json: boolean; quiet: boolean; board?: boolean }): boolean {
  // A terminal too narrow to show a row (a pty of 0 columns, as some CI runners give) gets lines only.
  const roomy = (stdout.columns ?? 80) >= MIN_COLUMNS;
  return Boolean(stdout.isTTY) && roomy && !options.json && !options.quiet && options.board !== false && env.TERM !== 'dumb';
}

/** Fewer columns than this: no board rows are drawn (they would be nothing but `…`). */
export const MIN_COLUMNS = 20;

const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';
/** Milliseconds between redraws at most, and between redraws while nothing happens. */
const THROTTLE_MS = 100;
const TICK_MS = 250;

export interface BoardOptions {
  readonly color: boolean;
  /** Live lines as written (`--raw`); the board rows are inert whatever this says. @default false */
  readonly raw?: boolean;
  /**
   * Secrets to keep out: the lines above go through `redactingRenderer`; the rows (id, last line)
   * are redacted when drawn, so an unfinished line still shows as it arrives. @default none
   */
  readonly redact?: Redactor;
}

export function boardRenderer(stdout: TerminalOutput, stderr: Output, options: BoardOptions): BoardRenderer {
  const pending: Array<{ target: Output; text: string }> = [];
  const above = (target: Output): Output => ({ write: (text: string) => pending.push({ target, text }) });
  const human = humanRenderer(above(stdout), above(stderr), { color: options.color, quiet: false, raw: options.raw });
  const lines = options.redact ? redactingRenderer(human, options.redact) : human;
  let drawn: BoardLine[] = [];
  let drawnColumns = stdout.columns ?? 80;
  let latest: ProgressSnapshot | undefined;
  let events: Subject<ProcessEvent> | undefined;
  let snapshots: Subscription | undefined;
  let cursorHidden = false;
  let closed = false;

  /** Rows the drawn board takes now (a narrower terminal wraps its rows). */
  const drawnRows = (): number => {
    const columns = Math.max(1, stdout.columns ?? 80);
    return drawn.reduce((rows, l) => rows + (columns >= drawnColumns ? 1 : Math.max(1, Math.ceil(l.width / columns))), 0);
  };
  const erase = (): string => {
    const rows = drawnRows();
    drawn = [];
    // Up to the board's first row, to its first column (CHA rather than `\r`, so that a plain-text
    // reader of the stream sees each printed line start at the start of a line), erase to the end.
    return rows > 0 ? `\x1b[${rows}A\x1b[1G\x1b[J` : '';
  };
  const frame = (): void => {
    let out = erase();
    for (const { target, text } of pending.splice(0)) {
      if (target === stdout) out += text;
      else {
        if (out) stdout.write(out);
        out = '';
        target.write(text);
      }
    }
    if (!closed && latest && (stdout.columns ?? 80) >= MIN_COLUMNS) {
      drawnColumns = Math.max(1, stdout.columns ?? 80);
      drawn = boardLines(latest, { columns: drawnColumns, rows: stdout.rows ?? 24, color: options.color, redact: options.redact });
      if (!cursorHidden) {
        // First board drawn: from now on the cursor must come back, and a resize redraws.
        out += HIDE_CURSOR;
        cursorHidden = true;
        stdout.on?.('resize', onResize);
        process.once('exit', onExit);
      }
      out += drawn.map((l) => `${l.text}\n`).join('');
    }
    if (out) stdout.write(out);
  };
  const showCursor = (): void => {
    if (!cursorHidden) return;
    cursorHidden = false;
    stdout.write(SHOW_CURSOR);
    stdout.off?.('resize', onResize);
    process.off('exit', onExit);
  };
  const endPhase = (): void => {
    events?.complete();
    snapshots?.unsubscribe();
    events = undefined;
    snapshots = undefined;
  };
  function onResize(): void {
    frame();
  }
  function onExit(): void {
    showCursor();
  }

  return {
    stderr: {
      write(text: string) {
        pending.push({ target: stderr, text });
        frame();
      },
    },
    event(event) {
      lines.event(event);
      if (closed) frame();
      else events?.next(event);
    },
    heading(text, processIds) {
      endPhase();
      latest = undefined;
      lines.heading(text, processIds);
      frame();
      if (closed) return;
      events = new Subject<ProcessEvent>();
      snapshots = events.pipe(progress({ processes: processIds, throttleMs: THROTTLE_MS, intervalMs: TICK_MS, lineWidth: 500 })).subscribe((snapshot) => {
        latest = snapshot;
        frame();
      });
    },
    note(text) {
      lines.note(text);
      frame();
    },
    close() {
      if (closed) return;
      endPhase();
      closed = true;
      frame();
      showCursor();
    },
  };
}
