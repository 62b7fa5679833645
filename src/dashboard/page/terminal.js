// One process's output as a terminal (xterm.js), in a panel: the tail first (its position in
// the stream joins it to the live events without loss or repeat), earlier output on demand,
// then following live.
'use strict';
(() => {
  const { $, base, getJson, model, view } = window.rxo;
  const TAIL = 256 * 1024;
  const MORE = 1024 * 1024;
  let open;

  /** Sizes the terminal to its panel (a cell measured in the terminal's font). */
  const fit = (term) => {
    const box = $('terminal').getBoundingClientRect();
    const context = document.createElement('canvas').getContext('2d');
    context.font = `${term.options.fontSize}px ${term.options.fontFamily}`;
    const cellWidth = context.measureText('W').width || term.options.fontSize * 0.6;
    const cellHeight = Math.ceil(term.options.fontSize * 1.2);
    term.resize(Math.max(20, Math.floor((box.width - 24) / cellWidth)), Math.max(5, Math.floor((box.height - 8) / cellHeight)));
  };

  const showRange = (first) => {
    $('terminal-range').textContent = open.start > first ? `from character ${open.start}` : open.start > 0 ? `from character ${open.start} (earlier output is in the log file)` : 'from the start';
    $('earlier').hidden = open.start <= first;
  };

  const terminal = {
    get processId() {
      return open ? open.processId : undefined;
    },
    /** Live output of a process: written when it is the open one and comes after the loaded part. */
    output(processId, chunk, id) {
      if (!open || open.processId !== processId) return;
      if (open.pending) open.pending.push([id, chunk]);
      else if (id > open.joinedAt) {
        open.text += chunk;
        open.term.write(chunk);
      }
    },
    async open(processId) {
      terminal.close();
      $('terminal-panel').hidden = false;
      $('terminal-title').textContent = processId;
      const term = new window.Terminal({ convertEol: true, scrollback: 200000, disableStdin: true, fontSize: 12, theme: { background: '#000000' } });
      term.open($('terminal'));
      fit(term);
      const current = { processId, term, pending: [], text: '', start: 0, joinedAt: 0 };
      open = current;
      view.openId = processId;
      model.dirty = true;
      const slice = await getJson(`${base}output`, { process: processId, limit: String(TAIL) });
      if (open !== current) return;
      Object.assign(current, { text: slice.text, start: slice.start, joinedAt: slice.lastId });
      term.write(slice.text);
      for (const [id, chunk] of current.pending) {
        if (id > slice.lastId) {
          current.text += chunk;
          term.write(chunk);
        }
      }
      current.pending = null;
      showRange(slice.first);
    },
    async loadEarlier() {
      if (!open || open.pending) return;
      const current = open;
      const slice = await getJson(`${base}output`, { process: current.processId, end: String(current.start), limit: String(MORE) });
      if (open !== current) return;
      current.text = slice.text + current.text;
      current.start = slice.start;
      current.term.reset();
      current.term.write(current.text);
      showRange(slice.first);
    },
    close() {
      if (!open) return;
      open.term.dispose();
      open = undefined;
      view.openId = undefined;
      $('terminal-panel').hidden = true;
      model.dirty = true;
    },
  };
  window.addEventListener('resize', () => open && fit(open.term));
  model.onOutput = terminal.output;
  view.onOpen = (processId) => terminal.open(processId);
  window.rxo.terminal = terminal;
})();
