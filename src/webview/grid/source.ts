/**
 * Where the grid gets rows. `RemoteSource` asks the extension host for windows (rows stay there, DESIGN §10);
 * an answer is used only if it is the latest request for that window of the current view, so a slow answer to
 * an old scroll position or an old sort never overwrites a newer one (vscode-mssql's DataWindow does the same).
 * `LocalSource` serves the rows a saved notebook output carries, once the host no longer has the result.
 */
import { ResultStore } from '../../extension/results/store';
import type { GridRequest, GridResponse, GridResult, ViewSpec } from './protocol';
import { WINDOW_ROWS } from './protocol';

type Row = (string | null)[];
const MAX_PAGES = 100; // 20 000 rows: a few MB in the page

export interface RowSource {
  /** Rows known now for [start, end) of the current view; missing windows are requested. */
  rows(start: number, end: number): Array<Row | undefined>;
  total(): number;
  setView(view: ViewSpec): void;
  view(): ViewSpec;
  /** True once the host said it no longer has the result (a reopened notebook). */
  local(): boolean;
  /** Every row of the current view up to `limit` (charts). */
  all(limit: number): Promise<Row[]>;
  onChange: (() => void) | undefined;
}

export class WindowedSource implements RowSource {
  private pages = new Map<number, Row[]>();
  private pending = new Map<number, number>();
  private waiters = new Map<number, (r: Extract<GridResponse, { type: 'rows' }> | undefined) => void>();
  private count: number;
  private current: ViewSpec = {};
  private nextReq = 1;
  private focus = 0;
  private fallback: ResultStore | undefined;
  private fallbackId = '';
  onChange: (() => void) | undefined;

  constructor(private readonly result: GridResult, private readonly post: ((m: GridRequest) => void) | undefined) {
    this.count = result.info.rows;
    for (let p = 0; p * WINDOW_ROWS < result.head.length; p++) this.pages.set(p, result.head.slice(p * WINDOW_ROWS, (p + 1) * WINDOW_ROWS));
    if (!post || result.head.length >= result.info.rows) this.goLocal();
  }

  /** Answers from the host, delivered by the page's message listener. */
  receive(m: GridResponse): void {
    if (m.resultId !== this.result.resultId) return;
    const waiter = this.waiters.get(m.reqId);
    if (waiter) {
      this.waiters.delete(m.reqId);
      waiter(m.type === 'rows' ? m : undefined);
      if (m.type === 'gone') this.goLocal();
      return;
    }
    if (m.type === 'gone') { this.goLocal(); this.onChange?.(); return; }
    const page = Math.floor(m.start / WINDOW_ROWS);
    if (this.pending.get(page) !== m.reqId) return; // stale: a newer request (or view) replaced it
    this.pending.delete(page);
    this.pages.set(page, m.rows);
    // Keep at most MAX_PAGES windows in the page (the host has every row): drop the farthest from the rows on
    // screen (not from this answer, which may be for a place the user already scrolled away from).
    if (this.pages.size > MAX_PAGES) {
      const far = [...this.pages.keys()].sort((a, b) => Math.abs(b - this.focus) - Math.abs(a - this.focus));
      for (const p of far.slice(0, this.pages.size - MAX_PAGES)) this.pages.delete(p);
    }
    this.count = m.total;
    this.onChange?.();
  }

  rows(start: number, end: number): Array<Row | undefined> {
    this.focus = Math.floor(start / WINDOW_ROWS);
    if (this.fallback) return this.fallback.window(this.fallbackId, this.current, start, end - start)?.rows ?? [];
    const out: Array<Row | undefined> = [];
    for (let i = start; i < end; i++) {
      const page = Math.floor(i / WINDOW_ROWS);
      const rows = this.pages.get(page);
      if (!rows) this.request(page);
      out.push(rows?.[i - page * WINDOW_ROWS]);
    }
    // Read ahead (and behind) by half a window, so smooth scrolling finds the next rows already here.
    for (const i of [start - WINDOW_ROWS / 2, end + WINDOW_ROWS / 2]) {
      const page = Math.floor(i / WINDOW_ROWS);
      if (i >= 0 && i < this.count && !this.pages.has(page)) this.request(page);
    }
    return out;
  }

  total(): number {
    return this.fallback ? this.fallback.window(this.fallbackId, this.current, 0, 0)?.total ?? 0 : this.count;
  }

  view(): ViewSpec {
    return this.current;
  }

  setView(view: ViewSpec): void {
    this.current = view;
    if (this.fallback) { this.onChange?.(); return; }
    this.pages = new Map();
    this.pending = new Map(); // answers to the old view's requests are dropped by this
    if (!view.sort && !view.filter) {
      this.count = this.result.info.rows;
      for (let p = 0; p * WINDOW_ROWS < this.result.head.length; p++) this.pages.set(p, this.result.head.slice(p * WINDOW_ROWS, (p + 1) * WINDOW_ROWS));
    } else {
      this.request(0);
    }
    this.onChange?.();
  }

  local(): boolean {
    return this.fallback !== undefined;
  }

  async all(limit: number): Promise<Row[]> {
    if (this.fallback || !this.post) return this.fallback?.window(this.fallbackId, this.current, 0, limit)?.rows ?? [];
    const reqId = this.nextReq++;
    const answer = new Promise<Extract<GridResponse, { type: 'rows' }> | undefined>((resolve) => this.waiters.set(reqId, resolve));
    this.post({ type: 'rows', resultId: this.result.resultId, reqId, start: 0, count: limit, view: this.current });
    const m = await answer;
    return m ? m.rows : this.all(limit);
  }

  private request(page: number): void {
    if (this.pending.has(page) || !this.post) return;
    const reqId = this.nextReq++;
    this.pending.set(page, reqId);
    this.post({ type: 'rows', resultId: this.result.resultId, reqId, start: page * WINDOW_ROWS, count: WINDOW_ROWS, view: this.current });
  }

  private goLocal(): void {
    if (this.fallback) return;
    // The saved rows, sorted and filtered here with the host's own code (store.ts is host-free).
    this.fallback = new ResultStore();
    const stored = this.fallback.add(this.result.columns.map((c) => ({ name: c.name, type: null })), this.result.head, this.result.info);
    stored.columns = this.result.columns;
    this.fallbackId = stored.id;
  }
}
