/**
 * Results kept in the extension host (DESIGN §10, as vscode-mssql's data window): the grid asks for windows of
 * rows of a *view* (sort + filter), so 100 000 rows never cross into a webview at once. Host-free, so tests and
 * the bench drive it directly. Old results are dropped past a row budget; a grid still showing one is told it
 * is gone and keeps the rows it has.
 */
import type { ResultColumn } from '../../core/api';
import type { ColumnKind, GridColumn, GridResult, ResultInfo, SortSpec, ViewSpec } from '../../webview/grid/protocol';
import { HEAD_ROWS } from '../../webview/grid/protocol';

export type Cell = string | null;

export interface StoredResult {
  id: string;
  columns: GridColumn[];
  info: ResultInfo;
  rows: Cell[][];
}

/** Sort order must not depend on the host's locale settings: one fixed collator. */
const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'variant' });

export class ResultStore {
  private readonly results = new Map<string, StoredResult>();
  private readonly views = new Map<string, Uint32Array>();
  private next = 1;

  /** `maxRows`: total rows kept over all results; the oldest results go first (the newest always stays). */
  constructor(private readonly maxRows = 1_000_000) {}

  add(columns: ResultColumn[], rows: Cell[][], info: ResultInfo): StoredResult {
    const id = `r${this.next++}-${Date.now().toString(36)}`;
    const stored: StoredResult = { id, columns: gridColumns(columns, rows), info, rows };
    this.results.set(id, stored);
    this.evict(id);
    return stored;
  }

  get(id: string): StoredResult | undefined {
    return this.results.get(id);
  }

  /** What the grid needs to draw its first screen. */
  gridResult(r: StoredResult): GridResult {
    return { resultId: r.id, columns: r.columns, info: r.info, head: r.rows.slice(0, HEAD_ROWS) };
  }

  /** Row indexes (into `rows`) of a view, computed once per view and kept while the result lives. */
  viewIndex(r: StoredResult, view: ViewSpec): Uint32Array {
    const key = `${r.id}\u0000${view.sort ? `${view.sort.column}:${view.sort.dir}` : ''}\u0000${view.filter ?? ''}`;
    let index = this.views.get(key);
    if (!index) {
      index = computeView(r, view);
      this.views.set(key, index);
    }
    return index;
  }

  window(id: string, view: ViewSpec, start: number, count: number): { total: number; rows: Cell[][] } | undefined {
    const r = this.results.get(id);
    if (!r) return undefined;
    const index = this.viewIndex(r, view);
    const from = Math.max(0, Math.min(start, index.length));
    const to = Math.min(index.length, from + Math.max(0, count));
    const rows: Cell[][] = [];
    for (let i = from; i < to; i++) rows.push(r.rows[index[i]!]!);
    return { total: index.length, rows };
  }

  /** Rows of a view in order, for export: no copy of the result is made. */
  *iterate(id: string, view: ViewSpec): Generator<Cell[]> {
    const r = this.results.get(id);
    if (!r) return;
    const index = this.viewIndex(r, view);
    for (let i = 0; i < index.length; i++) yield r.rows[index[i]!]!;
  }

  delete(id: string): void {
    this.results.delete(id);
    for (const key of [...this.views.keys()]) if (key.startsWith(`${id}\u0000`)) this.views.delete(key);
  }

  private evict(keep: string): void {
    let total = 0;
    for (const r of this.results.values()) total += r.rows.length;
    for (const [id, r] of this.results) {
      if (total <= this.maxRows) break;
      if (id === keep) continue;
      total -= r.rows.length;
      this.delete(id);
    }
  }
}

function computeView(r: StoredResult, view: ViewSpec): Uint32Array {
  let picked: number[] = [];
  const needle = view.filter?.trim().toLowerCase();
  if (needle) {
    for (let i = 0; i < r.rows.length; i++) if (r.rows[i]!.some((c) => c !== null && c.toLowerCase().includes(needle))) picked.push(i);
  } else {
    picked = Array.from({ length: r.rows.length }, (_, i) => i);
  }
  if (view.sort && view.sort.column >= 0 && view.sort.column < r.columns.length) sortIndexes(picked, r, view.sort);
  return Uint32Array.from(picked);
}

/** Typed, stable sort; NULLs last in either direction (as a spreadsheet shows empty cells). */
function sortIndexes(picked: number[], r: StoredResult, sort: SortSpec): void {
  const c = sort.column;
  const sign = sort.dir === 'desc' ? -1 : 1;
  const numeric = r.columns[c]!.kind === 'number';
  const keys = new Map<number, number>();
  if (numeric) for (const i of picked) { const v = r.rows[i]![c]; if (v !== null) keys.set(i, Number(v)); }
  picked.sort((a, b) => {
    const va = r.rows[a]![c] ?? null;
    const vb = r.rows[b]![c] ?? null;
    if (va === null || vb === null) return va === vb ? a - b : va === null ? 1 : -1;
    let d: number;
    if (numeric) {
      const na = keys.get(a)!;
      const nb = keys.get(b)!;
      // Ids beyond 2^53 compare equal as numbers: fall back to length then text, which orders digit strings.
      d = na !== nb ? na - nb : va.length !== vb.length && /^-?\d+$/.test(va) && /^-?\d+$/.test(vb) ? va.length - vb.length : va < vb ? -1 : va > vb ? 1 : 0;
    } else {
      d = collator.compare(va, vb);
    }
    return d !== 0 ? sign * d : a - b;
  });
}

const NUMBER = /^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const URL_RE = /^https?:\/\/\S+$/i;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Column kinds from the declared type, else from the values (expressions have no declared type). */
export function gridColumns(columns: ResultColumn[], rows: Cell[][]): GridColumn[] {
  return columns.map((col, c) => ({ name: col.name, kind: kindOf(col, rows, c) }));
}

function kindOf(col: ResultColumn, rows: Cell[][], c: number): ColumnKind {
  if (col.type === 'Integer' || col.type === 'Double') return 'number';
  if (col.type === 'Boolean') return 'boolean';
  if (col.type === 'Datetime') return 'datetime';
  const sample: string[] = [];
  for (let i = 0; i < rows.length && sample.length < 500; i++) { const v = rows[i]![c]; if (v !== null && v !== undefined) sample.push(v); }
  if (sample.length === 0) return 'text';
  if (col.type === null && sample.every((v) => NUMBER.test(v))) return 'number';
  if (sample.every((v) => URL_RE.test(v))) return 'url';
  if (sample.every((v) => ISO_TIME.test(v))) return 'datetime';
  return 'text';
}
