// Draws the model: a row per process under its group's heading, filtered by the filter box, and
// the header (counts, elapsed, ETA, cost, tokens, the run's state, a pattern's verdict). Rows are
// created once and updated in place; `render()` runs a few times a second and only when dirty.
'use strict';
(() => {
  const { $, cell, seconds, cost, model } = window.rxo;
  const elements = new Map();
  const groupElements = new Map();
  const view = { onOpen: () => undefined, openId: undefined };

  const rowElement = (row) => {
    let el = elements.get(row.processId);
    if (el) return el;
    const tr = document.createElement('tr');
    tr.className = 'process';
    tr.dataset.id = row.processId;
    el = { tr, id: cell(tr), state: cell(tr), duration: cell(tr), exit: cell(tr), cost: cell(tr), tokens: cell(tr), last: cell(tr, 'last') };
    el.id.textContent = row.processId;
    el.id.title = row.processId;
    tr.addEventListener('click', () => view.onOpen(row.processId));
    elements.set(row.processId, el);
    return el;
  };

  const groupElement = (group) => {
    let tr = groupElements.get(group.index);
    if (!tr) {
      tr = document.createElement('tr');
      tr.className = 'group';
      const td = document.createElement('td');
      td.colSpan = 7;
      tr.appendChild(td);
      groupElements.set(group.index, tr);
    }
    tr.firstChild.textContent = `${group.name} · ${group.strategy} · ${group.state}`;
    return tr;
  };

  const matches = (row, filter) => !filter || `${row.processId} ${row.state} ${row.lastLine}`.toLowerCase().includes(filter);

  const fillRow = (el, row, now) => {
    // A process still pending when the run is over never ran (a fallback that did not need it, a stop).
    const shown = row.state === 'pending' && model.run.endedAt ? 'not run' : row.state;
    el.state.textContent = row.attempt > 1 ? `${shown} (attempt ${row.attempt})` : shown;
    el.state.className = `state-${row.state}`;
    el.duration.textContent = row.startedAt == null ? '' : seconds((row.endedAt ?? (model.run.endedAt || now)) - row.startedAt);
    el.exit.textContent = row.exitCode == null ? '' : String(row.exitCode);
    el.cost.textContent = cost(row.costUsd);
    el.tokens.textContent = row.inputTokens || row.outputTokens ? `${row.inputTokens} / ${row.outputTokens}` : '';
    el.last.textContent = row.lastLine;
    el.tr.classList.toggle('open', view.openId === row.processId);
  };

  view.render = () => {
    if (!model.dirty) return;
    model.dirty = false;
    const now = Date.now();
    const filter = $('filter').value.trim().toLowerCase();
    const byGroup = new Map();
    for (const row of model.rows.values()) {
      const key = row.group ?? -1;
      if (!byGroup.has(key)) byGroup.set(key, []);
      byGroup.get(key).push(row);
    }
    const ordered = [];
    for (const key of [...byGroup.keys()].sort((a, b) => a - b)) {
      const group = model.groups.get(key);
      const members = byGroup.get(key).filter((row) => matches(row, filter));
      if (group && members.length > 0) ordered.push(groupElement(group));
      for (const row of members) {
        const el = rowElement(row);
        fillRow(el, row, now);
        ordered.push(el.tr);
      }
    }
    const tbody = $('rows');
    ordered.forEach((tr, index) => {
      if (tbody.children[index] !== tr) tbody.insertBefore(tr, tbody.children[index] || null);
    });
    while (tbody.children.length > ordered.length) tbody.lastChild.remove();
    renderHeader(now);
  };

  const renderHeader = (now) => {
    const { run } = model;
    const all = [...model.rows.values()];
    const count = (state) => all.filter((row) => row.state === state).length;
    const done = all.filter((row) => row.state !== 'pending' && row.state !== 'running').length;
    const elapsed = run.startedAt == null ? null : (run.endedAt || now) - run.startedAt;
    const remaining = all.length - done;
    const eta = !run.endedAt && done > 0 && remaining > 0 && elapsed != null ? (elapsed / done) * remaining : null;
    const stats = [
      ['processes', all.length], ['running', count('running')], ['succeeded', count('succeeded')], ['failed', done - count('succeeded')],
      [run.endedAt ? 'not run' : 'pending', count('pending')], ['elapsed', seconds(elapsed)], ['ETA', run.endedAt ? 'done' : eta == null ? '—' : seconds(eta)],
      ['cost', `$${all.reduce((sum, row) => sum + (row.costUsd || 0), 0).toFixed(4)}`], ['tokens', all.reduce((sum, row) => sum + row.inputTokens + row.outputTokens, 0)],
    ];
    const box = $('stats');
    box.textContent = '';
    for (const [name, value] of stats) {
      const span = document.createElement('span');
      const b = document.createElement('b');
      b.textContent = String(value);
      span.append(`${name} `, b);
      box.appendChild(span);
    }
    const badge = $('run-state');
    badge.textContent = run.endedAt ? (run.stopped ? `stopped (${run.stopped})` : run.succeeded ? 'succeeded' : 'failed') : 'running';
    badge.className = `badge state-${run.endedAt ? (run.succeeded ? 'succeeded' : 'failed') : 'running'}`;
    if (run.verdict) {
      const text = typeof run.verdict.verdict === 'string' ? run.verdict.verdict : JSON.stringify(run.verdict.verdict);
      $('verdict').hidden = false;
      $('verdict').textContent = `Verdict (${run.verdict.pattern}): ${text}`;
    }
  };

  window.rxo.view = view;
})();
