// The rx-orchestration dashboard page. Loads the run's state, then follows its Server-Sent
// Events (protocol-v1 events, each with the dashboard's stream id) from the position the state
// reflects, so nothing is missed or shown twice; a `resync` (the page fell behind) reloads the
// state. Everything a process wrote is shown as data only: textContent, or written to xterm.
'use strict';
(() => {
  const params = new URLSearchParams(location.search);
  const token = params.get('token') || '';
  const sessionId = params.get('session');
  const $ = (id) => document.getElementById(id);
  const withToken = (path, extra) => {
    const query = new URLSearchParams(extra || {});
    query.set('token', token);
    return `${path}?${query}`;
  };
  const base = sessionId ? `/api/s/${encodeURIComponent(sessionId)}/` : '/api/';
  const getJson = async (path, extra) => {
    const response = await fetch(withToken(path, extra), { cache: 'no-store' });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
    return response.json();
  };

  // ---- the model: rows by id, groups by index, the run ----
  let rows = new Map();
  let groups = new Map();
  let run = {};
  let lastId = 0;
  let source;
  let dirty = false;
  let open;
  let lostNotice = false;

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
  const ensure = (processId, group) => {
    let row = rows.get(processId);
    if (!row) {
      row = { processId, state: 'pending', group: group ?? null, attempt: 0, startedAt: null, endedAt: null, exitCode: null, costUsd: null, inputTokens: 0, outputTokens: 0, lastLine: '', outputChars: 0 };
      rows.set(processId, row);
    } else if (group !== undefined && group !== null) row.group = group;
    return row;
  };
  const setGroup = (phase, state) => {
    groups.set(phase.index, { index: phase.index, name: phase.name, strategy: phase.strategy, state });
    for (const id of phase.processIds) ensure(id, phase.index);
  };

  /** Applies one event of the stream (the same rules as the server's state). */
  const apply = (type, event, id) => {
    if (run.startedAt == null && typeof event.at === 'number') run.startedAt = event.at;
    switch (type) {
      case 'plan-start': event.phases.forEach((phase) => setGroup(phase, 'pending')); break;
      case 'phase-start': setGroup(event.phase, 'running'); break;
      case 'phase-end': setGroup(event.phase, event.succeeded ? 'succeeded' : 'failed'); break;
      case 'summary': run.endedAt = event.at; run.succeeded = event.succeeded; run.stopped = event.stopped; break;
      case 'verdict': run.verdict = { pattern: event.pattern, verdict: event.verdict }; break;
      case 'start': {
        const row = ensure(event.processId);
        Object.assign(row, { state: 'running', attempt: event.attempt || 1, startedAt: row.startedAt ?? event.at, endedAt: null, exitCode: null });
        break;
      }
      case 'output': {
        const row = ensure(event.processId);
        row.outputChars += event.chunk.length;
        const line = lastLineOf(event.chunk);
        if (line !== '') row.lastLine = line;
        if (open && open.processId === event.processId) terminalOutput(event.chunk, id);
        break;
      }
      case 'result': {
        const row = ensure(event.processId);
        const { result } = event;
        const claude = result.claude && typeof result.claude === 'object' ? result.claude : null;
        Object.assign(row, { state: stateOf(result), endedAt: event.at, exitCode: result.exitCode, startedAt: row.startedAt ?? result.startedAt });
        if (claude) Object.assign(row, { costUsd: claude.costUsd, inputTokens: claude.usage.inputTokens, outputTokens: claude.usage.outputTokens });
        break;
      }
      default:
    }
    dirty = true;
  };

  // ---- rendering (at most ~8 times a second; rows are kept and updated in place) ----
  const elements = new Map();
  const groupElements = new Map();
  const seconds = (ms) => (ms == null ? '' : ms < 60000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60000)} m ${Math.round((ms % 60000) / 1000)} s`);
  const cost = (usd) => (usd == null ? '' : `$${usd.toFixed(4)}`);
  const cell = (tr, className) => {
    const td = document.createElement('td');
    if (className) td.className = className;
    tr.appendChild(td);
    return td;
  };
  const rowElement = (row) => {
    let el = elements.get(row.processId);
    if (el) return el;
    const tr = document.createElement('tr');
    tr.className = 'process';
    tr.dataset.id = row.processId;
    el = { tr, id: cell(tr), state: cell(tr), duration: cell(tr), exit: cell(tr), cost: cell(tr), tokens: cell(tr), last: cell(tr, 'last') };
    el.id.textContent = row.processId;
    el.id.title = row.processId;
    tr.addEventListener('click', () => openTerminal(row.processId));
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

  const render = () => {
    if (!dirty) return;
    dirty = false;
    const now = Date.now();
    const filter = $('filter').value.trim().toLowerCase();
    const tbody = $('rows');
    const ordered = [];
    const byGroup = new Map();
    for (const row of rows.values()) {
      const key = row.group ?? -1;
      if (!byGroup.has(key)) byGroup.set(key, []);
      byGroup.get(key).push(row);
    }
    for (const key of [...byGroup.keys()].sort((a, b) => a - b)) {
      const group = groups.get(key);
      const members = byGroup.get(key).filter((row) => matches(row, filter));
      if (group && members.length > 0) ordered.push(groupElement(group));
      for (const row of members) {
        const el = rowElement(row);
        // A process still pending when the run is over never ran (a fallback that did not need it, a stop).
        const shown = row.state === 'pending' && run.endedAt ? 'not run' : row.state;
        el.state.textContent = row.attempt > 1 ? `${shown} (attempt ${row.attempt})` : shown;
        el.state.className = `state-${row.state}`;
        el.duration.textContent = row.startedAt == null ? '' : seconds((row.endedAt ?? (run.endedAt || now)) - row.startedAt);
        el.exit.textContent = row.exitCode == null ? '' : String(row.exitCode);
        el.cost.textContent = cost(row.costUsd);
        el.tokens.textContent = row.inputTokens || row.outputTokens ? `${row.inputTokens} / ${row.outputTokens}` : '';
        el.last.textContent = row.lastLine;
        el.tr.classList.toggle('open', Boolean(open && open.processId === row.processId));
        ordered.push(el.tr);
      }
    }
    let index = 0;
    for (const tr of ordered) {
      if (tbody.children[index] !== tr) tbody.insertBefore(tr, tbody.children[index] || null);
      index += 1;
    }
    while (tbody.children.length > ordered.length) tbody.lastChild.remove();
    renderHeader(now);
  };

  const renderHeader = (now) => {
    const all = [...rows.values()];
    const count = (state) => all.filter((row) => row.state === state).length;
    const done = all.filter((row) => row.state !== 'pending' && row.state !== 'running').length;
    const running = count('running');
    const failed = done - count('succeeded');
    const elapsed = run.startedAt == null ? null : (run.endedAt || now) - run.startedAt;
    const remaining = all.length - done;
    const eta = !run.endedAt && done > 0 && remaining > 0 && elapsed != null ? (elapsed / done) * remaining : null;
    const usd = all.reduce((sum, row) => sum + (row.costUsd || 0), 0);
    const tokens = all.reduce((sum, row) => sum + row.inputTokens + row.outputTokens, 0);
    const stats = [
      ['processes', all.length], ['running', running], ['succeeded', count('succeeded')], ['failed', failed], [run.endedAt ? 'not run' : 'pending', count('pending')],
      ['elapsed', seconds(elapsed)], ['ETA', run.endedAt ? 'done' : eta == null ? '—' : seconds(eta)], ['cost', `$${usd.toFixed(4)}`], ['tokens', tokens],
    ];
    const box = $('stats');
    if (box.children.length !== stats.length || box.children[4].firstChild.textContent !== `${stats[4][0]} `) {
      box.textContent = '';
      for (const [name] of stats) {
        const span = document.createElement('span');
        span.dataset.stat = name;
        span.append(`${name} `, document.createElement('b'));
        box.appendChild(span);
      }
    }
    stats.forEach(([, value], i) => { box.children[i].lastChild.textContent = String(value); });
    const badge = $('run-state');
    badge.textContent = run.endedAt ? (run.stopped ? `stopped (${run.stopped})` : run.succeeded ? 'succeeded' : 'failed') : 'running';
    badge.className = `badge state-${run.endedAt ? (run.succeeded ? 'succeeded' : 'failed') : 'running'}`;
    if (run.verdict) {
      $('verdict').hidden = false;
      const text = typeof run.verdict.verdict === 'string' ? run.verdict.verdict : JSON.stringify(run.verdict.verdict);
      $('verdict').textContent = `Verdict (${run.verdict.pattern}): ${text}`;
    }
  };

  // ---- the terminal of one process: the tail first, earlier output on demand, then live ----
  const terminalOutput = (chunk, id) => {
    if (open.pending) open.pending.push([id, chunk]);
    else if (id > open.joinedAt) {
      open.text += chunk;
      open.term.write(chunk);
    }
  };
  const openTerminal = async (processId) => {
    closeTerminal();
    $('terminal-panel').hidden = false;
    $('terminal-title').textContent = processId;
    const term = new window.Terminal({ convertEol: true, scrollback: 200000, disableStdin: true, fontSize: 12, theme: { background: '#000000' } });
    term.open($('terminal'));
    fit(term);
    open = { processId, term, pending: [], text: '', start: 0, joinedAt: 0 };
    dirty = true;
    const current = open;
    const slice = await getJson(`${base}output`, { process: processId, limit: String(256 * 1024) });
    if (open !== current) return;
    Object.assign(current, { text: slice.text, start: slice.start, joinedAt: slice.lastId });
    term.write(slice.text);
    for (const [id, chunk] of current.pending) if (id > slice.lastId) { current.text += chunk; term.write(chunk); }
    current.pending = null;
    showRange(slice.first);
  };
  /** Sizes the terminal to its panel (a cell measured in the terminal's font). */
  const fit = (term) => {
    const box = $('terminal').getBoundingClientRect();
    const context = document.createElement('canvas').getContext('2d');
    context.font = `${term.options.fontSize}px ${term.options.fontFamily}`;
    const cellWidth = context.measureText('W').width || term.options.fontSize * 0.6;
    const cellHeight = Math.ceil(term.options.fontSize * 1.2);
    term.resize(Math.max(20, Math.floor((box.width - 24) / cellWidth)), Math.max(5, Math.floor((box.height - 8) / cellHeight)));
  };
  window.addEventListener('resize', () => { if (open) fit(open.term); });
  const showRange = (first) => {
    $('terminal-range').textContent = open.start > first ? `from character ${open.start}` : open.start > 0 ? `from character ${open.start} (earlier output is in the log file)` : 'from the start';
    $('earlier').hidden = open.start <= first;
    open.first = first;
  };
  const loadEarlier = async () => {
    if (!open || open.pending) return;
    const current = open;
    const slice = await getJson(`${base}output`, { process: current.processId, end: String(current.start), limit: String(1024 * 1024) });
    if (open !== current) return;
    current.text = slice.text + current.text;
    current.start = slice.start;
    current.term.reset();
    current.term.write(current.text);
    showRange(slice.first);
  };
  const closeTerminal = () => {
    if (!open) return;
    open.term.dispose();
    open = undefined;
    $('terminal-panel').hidden = true;
    dirty = true;
  };

  // ---- loading and following ----
  const notice = (text) => {
    $('notice').hidden = !text;
    $('notice').textContent = text || '';
  };
  const load = async () => {
    const state = await getJson(`${base}state`);
    rows = new Map(state.rows.map((row) => [row.processId, { ...row }]));
    groups = new Map(state.groups.map((group) => [group.index, group]));
    run = { startedAt: state.startedAt, endedAt: state.endedAt, succeeded: state.succeeded, stopped: state.stopped, verdict: state.verdict };
    lastId = state.lastId;
    dirty = true;
    follow();
  };
  const follow = () => {
    if (source) source.close();
    source = new EventSource(withToken(`${base}events`, { since: String(lastId) }));
    const handler = (event) => {
      const id = Number(event.lastEventId);
      if (!(id > lastId)) return; // already applied
      lastId = id;
      apply(event.type, JSON.parse(event.data), id);
    };
    for (const type of ['plan-start', 'phase-start', 'phase-end', 'summary', 'verdict', 'start', 'output', 'result', 'agent']) source.addEventListener(type, handler);
    source.addEventListener('resync', () => {
      notice('This page fell behind the run and was sent a resync: the state was reloaded (output shown live may have gaps; reopen a terminal to reload it).');
      source.close();
      load().catch((error) => notice(String(error)));
      if (open) openTerminal(open.processId);
    });
    source.addEventListener('end', () => { dirty = true; });
    // A lost connection's notice goes when it is back; a resync's stays (the user should know).
    source.onerror = () => {
      lostNotice = true;
      notice(source.readyState === EventSource.CLOSED ? 'Disconnected from the dashboard.' : 'Connection lost; reconnecting…');
    };
    source.onopen = () => {
      if (lostNotice) notice('');
      lostNotice = false;
    };
  };

  const showSessions = async () => {
    $('sessions').hidden = false;
    $('run-title').textContent = 'sessions';
    $('stats').textContent = '';
    const list = await getJson('/api/sessions');
    const tbody = $('session-rows');
    for (const entry of list) {
      const tr = document.createElement('tr');
      const link = document.createElement('a');
      link.href = withToken('/', { session: entry.sessionId });
      link.textContent = entry.sessionId;
      cell(tr).appendChild(link);
      cell(tr).textContent = entry.pattern;
      cell(tr).textContent = entry.startedAt ? new Date(entry.startedAt).toLocaleString() : '';
      cell(tr).textContent = seconds(entry.durationMs);
      cell(tr).textContent = entry.counts ? String(entry.counts.succeeded) : '';
      cell(tr).textContent = entry.counts ? String(entry.counts.failed) : '';
      cell(tr).textContent = entry.costUsd == null ? '' : cost(entry.costUsd);
      tbody.appendChild(tr);
    }
  };

  const start = async () => {
    $('home').href = withToken('/');
    $('filter').addEventListener('input', () => { dirty = true; });
    $('close-terminal').addEventListener('click', closeTerminal);
    $('earlier').addEventListener('click', () => loadEarlier().catch((error) => notice(String(error))));
    const info = await getJson('/api/info');
    if (info.mode === 'sessions' && !sessionId) return showSessions();
    $('run').hidden = false;
    $('run-title').textContent = sessionId ? `session ${sessionId}` : 'live run';
    if (info.control && !sessionId) {
      const stop = $('stop');
      stop.hidden = false;
      stop.addEventListener('click', async () => {
        const response = await fetch('/api/stop', { method: 'POST', headers: { 'x-rxo-token': token } });
        stop.textContent = response.ok ? 'Force stop' : `Stop refused (${response.status})`;
      });
    }
    setInterval(render, 125);
    setInterval(() => { if (!run.endedAt) dirty = true; }, 1000);
    await load();
  };
  start().catch((error) => notice(`The dashboard could not load: ${error.message}`));
})();
