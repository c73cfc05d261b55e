/**
 * What the grid and the extension host say to each other (DESIGN §10: results stay in the extension host).
 * Shared by the results view, the notebook renderer and the console; types only, so both the Node host and
 * the browser bundle import it. Cells are display strings or null: the grid inserts them as text, never HTML.
 */

/** How the grid aligns and decorates a column; decided once by the host from the declared type and values. */
export type ColumnKind = 'number' | 'text' | 'datetime' | 'boolean' | 'url';

export interface GridColumn {
  name: string;
  kind: ColumnKind;
}

/** The header line of a result: what the user needs to trust it. */
export interface ResultInfo {
  title: string;
  /** "Sample account · @igsql_demo". */
  target: string;
  rows: number;
  /** Set when the row cap stopped reading: the cap. */
  rowCap?: number;
  apiCalls: number;
  pages: number;
  /** Wall-clock time the user waited, from the click (or cell run) to the last row. */
  waitedMs: number;
  /** Whether rows came from a cache, once there is one ('hit' | 'partial' | 'miss'). */
  cache?: string;
  notes: string[];
}

/** A result the grid can show: its id in the host's store, the columns and a first window of rows. */
export interface GridResult {
  resultId: string;
  columns: GridColumn[];
  info: ResultInfo;
  /** First rows, sent with the result so the first screen needs no round trip. */
  head: (string | null)[][];
}

export interface SortSpec { column: number; dir: 'asc' | 'desc' }

/** A view of a result: the host applies it before cutting windows, so sort and filter cover every row. */
export interface ViewSpec {
  sort?: SortSpec;
  /** Case-insensitive text every shown row contains (in any column). */
  filter?: string;
}

export type GridRequest =
  | { type: 'rows'; resultId: string; reqId: number; start: number; count: number; view: ViewSpec }
  | { type: 'copy'; resultId: string; view: ViewSpec; rows: number[]; columns?: number[]; headers: boolean }
  | { type: 'export'; resultId: string; view: ViewSpec; format?: ExportFormat }
  | { type: 'saveImage'; format: 'png' | 'svg'; data: string; name: string };

export type ExportFormat = 'csv' | 'excel-csv' | 'json' | 'markdown' | 'editor';

export type GridResponse =
  | { type: 'rows'; resultId: string; reqId: number; start: number; total: number; rows: (string | null)[][] }
  | { type: 'gone'; resultId: string; reqId: number };

/** Display rules shared by host and grid. */
export const HEAD_ROWS = 200;
export const WINDOW_ROWS = 200;
