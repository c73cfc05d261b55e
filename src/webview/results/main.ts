/**
 * The results view page: status while a query runs, then the shared ResultView. Messages from the extension
 * are ResultsMessage (resultsModel.ts) or grid answers; requests go back through acquireVsCodeApi.
 */
import type { GridRequest, GridResponse, GridResult } from '../grid/protocol';
import { ResultView } from '../grid/view';

declare function acquireVsCodeApi(): { postMessage(m: unknown): void };

type PageMessage =
  | { type: 'running'; title: string; target: string }
  | { type: 'progress'; stats: { rows: number; elapsedMs: number; apiCalls: number } }
  | { type: 'grid'; result: GridResult }
  | { type: 'error'; title: string; target: string; code: string; message: string; position?: string }
  | { type: 'cancelled'; title: string; target: string; stats: { elapsedMs: number; apiCalls: number } }
  | GridResponse;

const vscode = acquireVsCodeApi();
const $ = (id: string) => document.getElementById(id)!;
const title = $('title');
const status = $('status');
const cancel = $('cancel') as HTMLButtonElement;
const message = $('message');
const host = $('grid');
let view: ResultView | undefined;

let startedAt = 0;
let timer = 0;

cancel.addEventListener('click', () => {
  cancel.disabled = true;
  status.textContent = 'Cancelling…';
  vscode.postMessage({ type: 'cancel' });
});

/** "5 rows · 120 ms · 1 Graph call": the time is the one the user waited, from Run to the last row. */
function summary(s: { rows: number; waitedMs: number; apiCalls: number }): string {
  const p = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return `${p(s.rows, 'row', 'rows')} · ${s.waitedMs} ms · ${p(s.apiCalls, 'Graph call', 'Graph calls')}`;
}

function setRunning(running: boolean): void {
  document.body.dataset.state = running ? 'running' : 'idle';
  cancel.hidden = !running;
  cancel.disabled = false;
  clearInterval(timer);
  if (running) {
    startedAt = Date.now();
    timer = window.setInterval(() => {
      if (document.body.dataset.state === 'running' && !status.dataset.live) status.textContent = `Running… ${((Date.now() - startedAt) / 1000).toFixed(1)} s`;
    }, 250);
  }
}

function showMessage(kind: '' | 'error' | 'info', text: string): void {
  message.className = kind;
  message.textContent = text;
  message.hidden = !text;
}

function clear(): void {
  view?.dispose();
  view = undefined;
  host.replaceChildren();
  showMessage('', '');
}

window.addEventListener('message', (e: MessageEvent<PageMessage>) => {
  const m = e.data;
  switch (m.type) {
    case 'running':
      clear();
      title.textContent = `${m.title} — ${m.target}`;
      delete status.dataset.live;
      status.textContent = 'Running…';
      setRunning(true);
      break;
    case 'progress':
      status.dataset.live = '1';
      status.textContent = `Running… ${m.stats.apiCalls} Graph calls, ${m.stats.rows} rows so far`;
      break;
    case 'grid':
      clear();
      setRunning(false);
      title.textContent = `${m.result.info.title} — ${m.result.info.target}`;
      status.textContent = summary(m.result.info) + (m.result.info.rowCap !== undefined ? ` (stopped at the ${m.result.info.rowCap}-row cap)` : '');
      status.title = 'Rows · the time you waited, from Run to the last row · requests sent to Graph';
      view = new ResultView(m.result, (r: GridRequest) => vscode.postMessage(r));
      host.append(view.element);
      view.mount();
      break;
    case 'error':
      clear();
      setRunning(false);
      title.textContent = `${m.title} — ${m.target}`;
      status.textContent = 'Failed';
      showMessage('error', `${m.code}: ${m.message}${m.position ? ` (${m.position})` : ''}`);
      break;
    case 'cancelled':
      clear();
      setRunning(false);
      title.textContent = `${m.title} — ${m.target}`;
      status.textContent = `Cancelled after ${m.stats.elapsedMs} ms · ${m.stats.apiCalls} Graph calls`;
      showMessage('info', 'The query was cancelled; no more requests are sent.');
      break;
    case 'rows':
    case 'gone':
      view?.receive(m);
      break;
  }
});
vscode.postMessage({ type: 'ready' });
