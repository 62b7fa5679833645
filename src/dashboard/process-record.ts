/**
 * One process as the page shows it: a row (state, attempt, duration, exit, cost, tokens, last
 * line) and its output kept in an `OutputRing`. Fed with the redacted events of that process.
 */
import { claudeRunOf } from '../agents/claude/run-info';
import { outcomeOf } from '../events/count-results';
import type { ProcessEvent, ProcessResult } from '../process/types';
import { LastLine } from '../progress/last-line';
import { OutputRing } from './output-ring';

export type RowState = 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'not-started' | 'timed-out';

/** A row of the page (JSON). */
export interface ProcessRow {
  readonly processId: string;
  readonly state: RowState;
  /** Index of the phase (group) it belongs to; null when no phase named it. */
  readonly group: number | null;
  readonly command: string | null;
  readonly pid: number | null;
  readonly attempt: number;
  /** ms since the epoch. */
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  readonly exitCode: number | null;
  readonly reason: string | null;
  readonly error: string | null;
  readonly costUsd: number | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly lastLine: string;
  /** Characters of output so far. */
  readonly outputChars: number;
}

const LAST_LINE_WIDTH = 160;

function stateOf(result: ProcessResult): RowState {
  switch (outcomeOf(result)) {
    case 'succeeded':
      return 'succeeded';
    case 'not-started':
      return 'not-started';
    case 'cancelled':
      return 'cancelled';
    case 'timed-out':
      return 'timed-out';
    default:
      return 'failed';
  }
}

export class ProcessRecord {
  readonly output: OutputRing;
  private last = new LastLine(LAST_LINE_WIDTH);
  private row: ProcessRow;

  constructor(processId: string, group: number | null, outputChars: number) {
    this.output = new OutputRing(outputChars);
    this.row = {
      processId, state: 'pending', group, command: null, pid: null, attempt: 0, startedAt: null, endedAt: null,
      exitCode: null, reason: null, error: null, costUsd: null, inputTokens: 0, outputTokens: 0, lastLine: '', outputChars: 0,
    };
  }

  /** Puts it in a group (a phase that names it). */
  setGroup(group: number): void {
    this.row = { ...this.row, group };
  }

  apply(event: ProcessEvent): void {
    switch (event.type) {
      case 'start':
        this.row = { ...this.row, state: 'running', pid: event.pid, command: [event.command, ...event.args].join(' '), attempt: event.attempt ?? 1, startedAt: this.row.startedAt ?? event.at, endedAt: null, exitCode: null };
        return;
      case 'output':
        this.output.push(event.chunk);
        this.last.push(event.stream, event.chunk);
        this.row = { ...this.row, outputChars: this.output.total };
        return;
      case 'result': {
        const { result } = event;
        const claude = claudeRunOf(result);
        this.row = {
          ...this.row,
          state: stateOf(result),
          startedAt: this.row.startedAt ?? result.startedAt,
          endedAt: event.at,
          exitCode: result.exitCode,
          reason: result.reason,
          error: result.error,
          costUsd: claude ? claude.costUsd : this.row.costUsd,
          inputTokens: claude ? claude.usage.inputTokens : this.row.inputTokens,
          outputTokens: claude ? claude.usage.outputTokens : this.row.outputTokens,
        };
        return;
      }
      default:
    }
  }

  snapshot(): ProcessRow {
    return { ...this.row, lastLine: this.last.text() };
  }
}
