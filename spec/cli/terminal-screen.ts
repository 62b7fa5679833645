/**
 * A real terminal for CLI specs: the built CLI runs under node-pty (a pseudo-terminal, so it sees
 * isTTY, a size and resize signals), and everything it writes is fed to @xterm/headless, a
 * terminal emulator without a display. Specs then assert on the SCREEN, what a person would see
 * after cursor movements and erasures, not on the raw bytes.
 */
import * as pty from 'node-pty';
import { Terminal } from '@xterm/headless';
import { waitFor } from '../helpers';
import { CLI } from './helpers';

export interface TerminalScreenOptions {
  readonly cwd: string;
  readonly cols?: number;
  readonly rows?: number;
  /** Added to the environment (NO_COLOR and FORCE_COLOR are removed first); undefined removes one. */
  readonly env?: Record<string, string | undefined>;
}

export class TerminalScreen {
  readonly pty: pty.IPty;
  readonly term: Terminal;
  /** Everything the CLI wrote, raw. */
  raw = '';
  readonly exit: Promise<{ exitCode: number; signal?: number }>;
  private parsed: Promise<void> = Promise.resolve();
  private exited = false;

  constructor(args: readonly string[], options: TerminalScreenOptions) {
    const cols = options.cols ?? 100;
    const rows = options.rows ?? 30;
    const env: Record<string, string> = {};
    for (const [key, value] of Object.entries(process.env)) {
      if (value !== undefined && key !== 'NO_COLOR' && key !== 'FORCE_COLOR') env[key] = value;
    }
    for (const [key, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete env[key];
      else env[key] = value;
    }
    this.term = new Terminal({ cols, rows, scrollback: 5000, allowProposedApi: true });
    this.pty = pty.spawn(process.execPath, [CLI, ...args], { name: 'xterm-256color', cols, rows, cwd: options.cwd, env });
    this.pty.onData((data) => {
      this.raw += data;
      // xterm parses asynchronously; chain the writes so `settled()` knows when all are on screen.
      this.parsed = this.parsed.then(() => new Promise<void>((resolve) => this.term.write(data, resolve)));
    });
    this.exit = new Promise((resolve) => {
      this.pty.onExit((outcome) => {
        this.exited = true;
        resolve(outcome);
      });
    });
    live.add(this);
  }

  /** Resolves once everything received so far has been parsed by the emulator. */
  async settled(): Promise<void> {
    let seen: Promise<void>;
    do {
      seen = this.parsed;
      await seen;
    } while (seen !== this.parsed);
  }

  /** The visible rows, right-trimmed. */
  async screen(): Promise<string[]> {
    await this.settled();
    const buffer = this.term.buffer.active;
    const rows: string[] = [];
    for (let y = 0; y < this.term.rows; y += 1) rows.push(buffer.getLine(buffer.viewportY + y)?.translateToString(true) ?? '');
    return rows;
  }

  /** Every row, scrollback included, with the trailing empty rows removed. */
  async allRows(): Promise<string[]> {
    await this.settled();
    const buffer = this.term.buffer.active;
    const rows: string[] = [];
    for (let y = 0; y < buffer.length; y += 1) rows.push(buffer.getLine(y)?.translateToString(true) ?? '');
    while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
    return rows;
  }

  /** The visible screen as one string (for messages). */
  async text(): Promise<string> {
    return (await this.screen()).join('\n');
  }

  /** Waits until the visible screen satisfies `predicate` (checked every 20 ms). */
  async waitForScreen(predicate: (rows: string[]) => boolean, what: string, timeoutMs = 20_000): Promise<string[]> {
    let last: string[] = [];
    let done = false;
    const poll = (async () => {
      while (!done) {
        last = await this.screen();
        if (predicate(last) || this.exited) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    })();
    try {
      await waitFor(() => predicate(last), what, timeoutMs);
    } catch (error) {
      throw new Error(`${(error as Error).message}\nscreen:\n${last.join('\n')}`);
    } finally {
      done = true;
      await poll;
    }
    return last;
  }

  /** Resizes the pseudo-terminal (the CLI gets SIGWINCH) and the emulator alike. */
  resize(cols: number, rows: number): void {
    this.pty.resize(cols, rows);
    this.term.resize(cols, rows);
  }

  /** Types `data` (`\x03` is Ctrl-C). */
  type(data: string): void {
    this.pty.write(data);
  }

  /** True when the last cursor show/hide sequence written shows the cursor (or none was written). */
  cursorShown(): boolean {
    return this.raw.lastIndexOf('\x1b[?25l') <= this.raw.lastIndexOf('\x1b[?25h');
  }

  async destroy(): Promise<void> {
    live.delete(this);
    if (!this.exited) {
      try {
        process.kill(-this.pty.pid, 'SIGKILL');
      } catch {
        // already gone
      }
      this.pty.kill('SIGKILL');
      await this.exit;
    }
    this.term.dispose();
  }
}

const live = new Set<TerminalScreen>();

/** Kills every terminal a test left running (call in afterEach). */
export async function destroyTerminals(): Promise<void> {
  await Promise.all([...live].map((screen) => screen.destroy()));
}
