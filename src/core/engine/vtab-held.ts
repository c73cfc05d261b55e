/**
 * The virtual tables of the synchronous build (sync-route.ts): the same declarations and planning as the
 * asyncify build's (VirtualTableModule's xBestIndex, xColumn and value conversion), but rows come only from
 * listings the statement already holds in memory. A listing not held yet cannot be awaited here (this build
 * has no asyncify): xFilter names it to the host and fails, and the route fetches it or gives the statement
 * back to the asyncify build. Read-only: no xUpdate, so SQLite refuses writes at prepare time.
 */
import type { Filter, Row, TableDef } from '../schema/types';
import type { SQLiteAPI } from './sqlite';
import { missingRequiredKey, readFilter, VirtualTableModule, type VtabHost } from './vtab';

const SQLITE_OK = 0;
const SQLITE_ERROR = 1;

export interface HeldHost extends VtabHost {
  held(key: () => string): readonly Row[] | undefined;
  /** The statement needs this listing and it is not held: the pass stops here. */
  missing(need: { table: TableDef; filter: Filter; key: string }): void;
}

export class HeldTableModule extends VirtualTableModule {
  constructor(sqlite3: SQLiteAPI, table: TableDef, private readonly holder: HeldHost) {
    super(sqlite3, table, holder);
  }

  override xFilter(pCursor: number, _idxNum: number, idxStr: string | null, values: number[]): number {
    const c = this.cursors.get(pCursor)!;
    c.rows = [];
    c.index = 0;
    c.exhausted = true;
    try {
      const { filter, key } = readFilter(this.sqlite3, this.table, idxStr, values);
      // A missing required key is an error the asyncify build reports in its own words: give it back.
      if (missingRequiredKey(this.table, (col) => filter.eq(col) !== undefined)) return SQLITE_ERROR;
      const held = this.holder.held(key);
      if (!held) {
        this.holder.missing({ table: this.table, filter, key: key() });
        return SQLITE_ERROR;
      }
      c.rows = held as Row[];
      return SQLITE_OK;
    } catch {
      return SQLITE_ERROR;
    }
  }

  override xNext(pCursor: number): number {
    this.cursors.get(pCursor)!.index++;
    return SQLITE_OK;
  }
}
