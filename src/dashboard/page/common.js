// Shared by the page's scripts (loaded first): the token and session from the page's URL,
// requests that carry the token, element lookup, and formatting. Everything the page shows of a
// process is data only: set as textContent or written to xterm, never parsed as markup.
'use strict';
window.rxo = (() => {
  const params = new URLSearchParams(location.search);
  const token = params.get('token') || '';
  const sessionId = params.get('session');
  const withToken = (path, extra) => {
    const query = new URLSearchParams(extra || {});
    query.set('token', token);
    return `${path}?${query}`;
  };
  return {
    token,
    sessionId,
    withToken,
    /** Where this run's API lives: the live run, or a replayed session. */
    base: sessionId ? `/api/s/${encodeURIComponent(sessionId)}/` : '/api/',
    $: (id) => document.getElementById(id),
    async getJson(path, extra) {
      const response = await fetch(withToken(path, extra), { cache: 'no-store' });
      if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
      return response.json();
    },
    seconds: (ms) => (ms == null ? '' : ms < 60000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60000)} m ${Math.round((ms % 60000) / 1000)} s`),
    cost: (usd) => (usd == null ? '' : `$${usd.toFixed(4)}`),
    /** A new cell at the end of a table row. */
    cell(tr, className) {
      const td = document.createElement('td');
      if (className) td.className = className;
      tr.appendChild(td);
      return td;
    },
    notice(text) {
      const box = document.getElementById('notice');
      box.hidden = !text;
      box.textContent = text || '';
    },
  };
})();
