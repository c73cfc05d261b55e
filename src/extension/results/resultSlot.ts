/**
 * One result shown in one webview (a results tab or the query console), host side: the result's rows go into
 * the shared ResultStore (the previous result of that webview is dropped: one at a time), the page gets a
 * GridResult (id, columns, first rows), and the grid's requests (windows, copy, export, chart image) go to the
 * shared GridHost. Both panels route their webview's messages through `route` so this lives in one place.
 */
import type { GridRequest, GridResponse, GridResult } from '../../webview/grid/protocol';
import type { ResultsMessage } from '../resultsModel';
import type { GridHost } from './gridHost';
import type { ResultStore } from './store';

/** What a webview may ask of the grid host; any other message type belongs to the panel. */
const GRID_REQUESTS: ReadonlySet<string> = new Set<GridRequest['type']>(['rows', 'copy', 'export', 'saveImage']);

export type ShownResult = Omit<Extract<ResultsMessage, { type: 'result' }>, 'type'>;

export class ResultSlot {
  private shown: string | undefined;

  constructor(private readonly store: ResultStore, private readonly gridHost: Pick<GridHost, 'handle'>) {}

  /** Keeps the rows in the store (replacing this slot's previous result); returns what the page draws. */
  show(r: ShownResult): GridResult {
    this.clear();
    const stored = this.store.add(r.columns, r.rows, {
      title: r.title, target: r.target, rows: r.stats.rows, ...(r.truncated ? { rowCap: r.rows.length } : {}),
      apiCalls: r.stats.apiCalls, pages: r.stats.pages, waitedMs: r.stats.elapsedMs, notes: r.stats.notes,
    });
    this.shown = stored.id;
    return this.store.gridResult(stored);
  }

  /** Drops the shown result (a new run, an error, a closed panel); a grid still on screen is told it is gone. */
  clear(): void {
    if (this.shown) this.store.delete(this.shown);
    this.shown = undefined;
  }

  /** Handles `message` when it is a grid request (true), answering through `reply`; else leaves it (false). */
  route(message: { type?: unknown } | undefined, reply: (response: GridResponse) => void): boolean {
    if (typeof message?.type !== 'string' || !GRID_REQUESTS.has(message.type)) return false;
    void this.gridHost.handle(message as GridRequest, reply);
    return true;
  }

  dispose(): void {
    this.clear();
  }
}
