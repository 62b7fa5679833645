// The rx-orchestration dashboard page (loaded last): loads the run's state, then follows its
// Server-Sent Events (protocol-v1 events, each with the dashboard's stream id) from the position
// the state reflects, so nothing is missed or shown twice. A `resync` (the page fell behind)
// reloads the state. In sessions mode without a session: the list of sessions.
'use strict';
(() => {
  const { $, base, cell, cost, getJson, model, notice, seconds, sessionId, terminal, token, view, withToken } = window.rxo;
  const TYPES = ['plan-start', 'phase-start', 'phase-end', 'summary', 'verdict', 'start', 'output', 'result', 'agent'];
  let source;
  let lostNotice = false;

  const load = async () => {
    model.load(await getJson(`${base}state`));
    follow();
  };

  const follow = () => {
    if (source) source.close();
    source = new EventSource(withToken(`${base}events`, { since: String(model.lastId) }));
    const handler = (event) => {
      const id = Number(event.lastEventId);
      if (!(id > model.lastId)) return; // already applied
      model.lastId = id;
      model.apply(event.type, JSON.parse(event.data), id);
    };
    for (const type of TYPES) source.addEventListener(type, handler);
    source.addEventListener('resync', () => {
      notice('This page fell behind the run and was sent a resync: the state was reloaded (output shown live may have gaps; reopen a terminal to reload it).');
      source.close();
      load().catch((error) => notice(String(error)));
      if (terminal.processId) terminal.open(terminal.processId);
    });
    source.addEventListener('end', () => { model.dirty = true; });
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
    const tbody = $('session-rows');
    for (const entry of await getJson('/api/sessions')) {
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
      cell(tr).textContent = cost(entry.costUsd);
      tbody.appendChild(tr);
    }
  };

  const stopButton = () => {
    const stop = $('stop');
    stop.hidden = false;
    stop.addEventListener('click', async () => {
      const response = await fetch('/api/stop', { method: 'POST', headers: { 'x-rxo-token': token } });
      stop.textContent = response.ok ? 'Force stop' : `Stop refused (${response.status})`;
    });
  };

  const start = async () => {
    $('home').href = withToken('/');
    $('filter').addEventListener('input', () => { model.dirty = true; });
    $('close-terminal').addEventListener('click', () => terminal.close());
    $('earlier').addEventListener('click', () => terminal.loadEarlier().catch((error) => notice(String(error))));
    const info = await getJson('/api/info');
    if (info.mode === 'sessions' && !sessionId) return showSessions();
    $('run').hidden = false;
    $('run-title').textContent = sessionId ? `session ${sessionId}` : 'live run';
    if (info.control && !sessionId) stopButton();
    setInterval(view.render, 125);
    setInterval(() => { if (!model.run.endedAt) model.dirty = true; }, 1000);
    await load();
  };
  start().catch((error) => notice(`The dashboard could not load: ${error.message}`));
})();
