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

cancel.addEventListener('click', () => vscode.postMessage({ type: 'cancel' }));

function clear(): void {
  view?.dispose();
  view = undefined;
  host.replaceChildren();
  message.hidden = true;
}

window.addEventListener('message', (e: MessageEvent<PageMessage>) => {
  const m = e.data;
  switch (m.type) {
    case 'running':
      clear();
      title.textContent = m.title;
      status.textContent = `Running on ${m.target}…`;
      cancel.hidden = false;
      break;
    case 'progress':
      status.textContent = `Running… ${m.stats.rows} rows · ${m.stats.apiCalls} Graph calls · ${m.stats.elapsedMs} ms`;
      break;
    case 'grid':
      clear();
      title.textContent = m.result.info.title;
      status.textContent = '';
      cancel.hidden = true;
      view = new ResultView(m.result, (r: GridRequest) => vscode.postMessage(r));
      host.append(view.element);
      view.mount();
      break;
    case 'error':
      clear();
      title.textContent = m.title;
      status.textContent = m.target;
      cancel.hidden = true;
      message.textContent = `${m.code}: ${m.message}${m.position ? ` (${m.position})` : ''}`;
      message.hidden = false;
      break;
    case 'cancelled':
      clear();
      title.textContent = m.title;
      status.textContent = `Cancelled after ${m.stats.elapsedMs} ms · ${m.stats.apiCalls} Graph calls`;
      cancel.hidden = true;
      break;
    case 'rows':
    case 'gone':
      view?.receive(m);
      break;
  }
});
vscode.postMessage({ type: 'ready' });
