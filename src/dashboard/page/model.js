// The page's model of the run: rows by process id, groups (phases) by index, the run itself.
// Loaded from /api/state, then changed by each event of the stream by the same rules as the
// server's state (src/dashboard/dashboard-state.ts). `dirty` tells the view to redraw.
'use strict';
(() => {
  const ESC = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)|\u001b[@-_]|[\u0000-\u0008\u000b-\u001f\u007f]/g;
  /** The last non-blank line of a chunk, escape sequences and controls removed ('' when none). */
  const lastLineOf = (chunk) => {
    const lines = chunk.split(/\r\n|\n|\r/);
    for (let i = lines.length - 1; i >= 0; i -= 1) {
      const line = lines[i].replace(ESC, '').replace(/\t/g, ' ').trim();
      if (line !== '') return line.length > 300 ? `${line.slice(0, 299)}…` : line;
    }
    return '';
  };
  const stateOf = (result) => {
    if (result.exitCode === 0) return 'succeeded';
    if (result.reason === 'not-started') return 'not-started';
    if (result.cancelled) return 'cancelled';
    if (result.timedOut) return 'timed-out';
    return 'failed';
  };

  const model = {
    rows: new Map(),
    groups: new Map(),
    run: {},
    lastId: 0,
    dirty: false,
    /** Called with (processId, chunk, id) for every output event (the open terminal follows it). */
    onOutput: () => undefined,

    load(state) {
      model.rows = new Map(state.rows.map((row) => [row.processId, { ...row }]));
      model.groups = new Map(state.groups.map((group) => [group.index, group]));
      model.run = { startedAt: state.startedAt, endedAt: state.endedAt, succeeded: state.succeeded, stopped: state.stopped, verdict: state.verdict };
      model.lastId = state.lastId;
      model.dirty = true;
    },

    ensure(processId, group) {
      let row = model.rows.get(processId);
      if (!row) {
        row = { processId, state: 'pending', group: group ?? null, attempt: 0, startedAt: null, endedAt: null, exitCode: null, costUsd: null, inputTokens: 0, outputTokens: 0, lastLine: '', outputChars: 0 };
        model.rows.set(processId, row);
      } else if (group !== undefined && group !== null) row.group = group;
      return row;
    },

    setGroup(phase, state) {
      model.groups.set(phase.index, { index: phase.index, name: phase.name, strategy: phase.strategy, state });
      for (const id of phase.processIds) model.ensure(id, phase.index);
    },

    /** Applies one event of the stream. */
    apply(type, event, id) {
      const { run } = model;
      if (run.startedAt == null && typeof event.at === 'number') run.startedAt = event.at;
      switch (type) {
        case 'plan-start': event.phases.forEach((phase) => model.setGroup(phase, 'pending')); break;
        case 'phase-start': model.setGroup(event.phase, 'running'); break;
        case 'phase-end': model.setGroup(event.phase, event.succeeded ? 'succeeded' : 'failed'); break;
        case 'summary': Object.assign(run, { endedAt: event.at, succeeded: event.succeeded, stopped: event.stopped }); break;
        case 'verdict': run.verdict = { pattern: event.pattern, verdict: event.verdict }; break;
        case 'start': {
          const row = model.ensure(event.processId);
          Object.assign(row, { state: 'running', attempt: event.attempt || 1, startedAt: row.startedAt ?? event.at, endedAt: null, exitCode: null });
          break;
        }
        case 'output': {
          const row = model.ensure(event.processId);
          row.outputChars += event.chunk.length;
          const line = lastLineOf(event.chunk);
          if (line !== '') row.lastLine = line;
          model.onOutput(event.processId, event.chunk, id);
          break;
        }
        case 'result': {
          const row = model.ensure(event.processId);
          const { result } = event;
          const claude = result.claude && typeof result.claude === 'object' ? result.claude : null;
          Object.assign(row, { state: stateOf(result), endedAt: event.at, exitCode: result.exitCode, startedAt: row.startedAt ?? result.startedAt });
          if (claude) Object.assign(row, { costUsd: claude.costUsd, inputTokens: claude.usage.inputTokens, outputTokens: claude.usage.outputTokens });
          break;
        }
        default:
      }
      model.dirty = true;
    },
  };
  window.rxo.model = model;
})();
