// Results view script (runs in the webview under a strict CSP). Every value is inserted with textContent:
// captions and usernames come from Instagram and must never be parsed as HTML.
// @ts-check
(function () {
  // @ts-ignore acquireVsCodeApi is injected by VS Code
  const vscode = acquireVsCodeApi();
  const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const title = $('title'), status = $('status'), cancel = $('cancel'), message = $('message'), notes = $('notes'), grid = $('grid');
  let startedAt = 0;
  let timer = 0;

  cancel.addEventListener('click', () => {
    cancel.setAttribute('disabled', '');
    status.textContent = 'Cancelling…';
    vscode.postMessage({ type: 'cancel' });
  });

  /** @param {{rows:number, elapsedMs:number, apiCalls:number}} s */
  function summary(s) {
    const p = (/** @type {number} */ n, /** @type {string} */ one, /** @type {string} */ many) => `${n} ${n === 1 ? one : many}`;
    return `${p(s.rows, 'row', 'rows')} · ${s.elapsedMs} ms · ${p(s.apiCalls, 'Graph call', 'Graph calls')}`;
  }

  function setRunning(/** @type {boolean} */ running) {
    document.body.dataset.state = running ? 'running' : 'idle';
    cancel.hidden = !running;
    if (running) cancel.removeAttribute('disabled');
    clearInterval(timer);
    if (running) {
      startedAt = Date.now();
      timer = window.setInterval(() => {
        if (document.body.dataset.state === 'running' && !status.dataset.live) status.textContent = `Running… ${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
      }, 250);
    }
  }

  function showNotes(/** @type {string[]} */ list) {
    notes.replaceChildren();
    for (const n of list || []) {
      const li = document.createElement('li');
      li.textContent = n;
      notes.appendChild(li);
    }
    notes.hidden = !notes.childElementCount;
  }

  function showMessage(/** @type {string} */ kind, /** @type {string} */ text) {
    message.className = kind;
    message.textContent = text;
    message.hidden = !text;
  }

  /** @param {{name:string, type:string|null}[]} columns @param {(string|null)[][]} rows */
  function renderTable(columns, rows) {
    const table = document.createElement('table');
    const thead = table.createTHead().insertRow();
    const numeric = columns.map((c) => c.type === 'Integer' || c.type === 'Double');
    const th0 = document.createElement('th');
    th0.textContent = '#';
    th0.className = 'rownum';
    thead.appendChild(th0);
    for (const c of columns) {
      const th = document.createElement('th');
      th.textContent = c.name;
      if (c.type) th.title = c.type;
      thead.appendChild(th);
    }
    const body = table.createTBody();
    rows.forEach((row, i) => {
      const tr = body.insertRow();
      const n = tr.insertCell();
      n.textContent = String(i + 1);
      n.className = 'rownum';
      row.forEach((v, j) => {
        const td = tr.insertCell();
        if (v === null) { td.textContent = 'NULL'; td.className = 'null'; }
        else { td.textContent = v; if (numeric[j]) td.className = 'num'; }
      });
    });
    grid.replaceChildren(table);
  }

  window.addEventListener('message', (event) => {
    const m = event.data;
    switch (m.type) {
      case 'running':
        title.textContent = `${m.title} — ${m.target}`;
        delete status.dataset.live;
        status.textContent = 'Running…';
        showMessage('', '');
        showNotes([]);
        grid.replaceChildren();
        setRunning(true);
        break;
      case 'progress':
        status.dataset.live = '1';
        status.textContent = `Running… ${m.stats.apiCalls} Graph calls, ${m.stats.rows} rows so far`;
        break;
      case 'result':
        setRunning(false);
        title.textContent = `${m.title} — ${m.target}`;
        status.textContent = summary(m.stats) + (m.truncated ? ' (first rows only)' : '');
        showMessage('', '');
        showNotes(m.stats.notes);
        renderTable(m.columns, m.rows);
        break;
      case 'error':
        setRunning(false);
        title.textContent = `${m.title} — ${m.target}`;
        status.textContent = 'Failed';
        showMessage('error', `${m.code}: ${m.message}${m.position ? ` (${m.position})` : ''}`);
        showNotes([]);
        grid.replaceChildren();
        break;
      case 'cancelled':
        setRunning(false);
        title.textContent = `${m.title} — ${m.target}`;
        status.textContent = `Cancelled after ${m.stats.elapsedMs} ms · ${m.stats.apiCalls} Graph calls`;
        showMessage('info', 'The query was cancelled; no more requests are sent.');
        grid.replaceChildren();
        break;
    }
  });
  vscode.postMessage({ type: 'ready' });
})();
