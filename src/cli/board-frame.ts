/**
 * What the live board looks like (pure functions, no terminal I/O): one row per running process
 * and a footer with the counts, each cut to the terminal's width so that no row ever wraps.
 * Ids and last lines come from children and plans: they are made inert (controls shown escaped).
 */
import { type ProgressSnapshot } from '../index';
import { inert, type Redactor } from '../toolkit';
import { paint } from './render';
import { displayWidth, fit } from './text-width';

export { displayWidth, fit } from './text-width';

/** Milliseconds as `4.2s`, `3m05s` or `1h02m`. */
export function formatDuration(ms: number): string {
  const seconds = ms / 1000;
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const whole = Math.floor(seconds);
  if (whole < 3600) return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, '0')}s`;
  return `${Math.floor(whole / 3600)}h${String(Math.floor((whole % 3600) / 60)).padStart(2, '0')}m`;
}

export interface BoardLayout {
  /** Terminal columns; rows are cut to `columns - 1` so the cursor never sits past the last column. */
  readonly columns: number;
  /** Terminal rows; the board takes at most `rows - 1` of them. */
  readonly rows: number;
  readonly color: boolean;
  /** Applied to ids and last lines before they are cut to the width. @default none */
  readonly redact?: Redactor;
}

/** A board line: what to write (maybe coloured) and how many columns it takes. */
export interface BoardLine {
  readonly text: string;
  readonly width: number;
}

function line(plain: string, layout: BoardLayout, colour?: number): BoardLine {
  const cut = fit(plain, Math.max(1, layout.columns - 1));
  return { text: colour === undefined ? cut : paint(cut, colour, layout.color), width: displayWidth(cut) };
}

/** The counts, elapsed time and ETA in one line. */
export function footerText(snapshot: ProgressSnapshot): string {
  const parts = [
    `${snapshot.running} running`,
    `${snapshot.queued} queued`,
    `${snapshot.succeeded} succeeded`,
    `${snapshot.failed} failed`,
    `${formatDuration(snapshot.elapsedMs)} elapsed`,
    `ETA ${snapshot.etaMs === null ? '?' : formatDuration(snapshot.etaMs)}`,
  ];
  return `── ${parts.join(' · ')}`;
}

/** The board for a snapshot: a row per running process (id, elapsed, last line), then the footer. */
export function boardLines(snapshot: ProgressSnapshot, layout: BoardLayout): BoardLine[] {
  const running = snapshot.processes.filter((p) => p.state === 'running');
  const redact = layout.redact ?? ((text: string) => text);
  const ids = new Map(running.map((p) => [p.processId, inert(redact(p.processId))]));
  const idWidth = Math.min(24, Math.max(0, ...[...ids.values()].map((id) => id.length)));
  const room = Math.max(1, layout.rows - 2);
  const shown = running.length > room ? running.slice(0, room - 1) : running;
  const rows = shown.map((p) => {
    const shownId = ids.get(p.processId) ?? '';
    const id = shownId.length > idWidth ? fit(shownId, idWidth) : shownId.padEnd(idWidth);
    const row = line(`running ${id} ${formatDuration(p.elapsedMs ?? 0).padStart(6)}  ${inert(redact(p.lastLine))}`, layout);
    // Only the state word is coloured; the last line is shown as plain text.
    return layout.color && row.text.startsWith('running') ? { ...row, text: paint('running', 33, true) + row.text.slice(7) } : row;
  });
  if (shown.length < running.length) rows.push(line(`… and ${running.length - shown.length} more running`, layout, 33));
  return [...rows, line(footerText(snapshot), layout, 1)];
}
