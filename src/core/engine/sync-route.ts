/**
 * The synchronous build for statements that read their listings whole (issue 11 §5). The asyncify build
 * instruments every function of SQLite so a virtual table may await Graph mid-statement, and that costs
 * SQLite's own work 4–5× (measured in bench/engine.ts: a 100 000-row GROUP BY + window function, 1.1–1.4 s in
 * the asyncify build, 0.22–0.29 s in the synchronous one; the virtual-table calls and the unwinds per page are
 * a small part). A statement that must read every row of its listings before its first row (a sort, a
 * GROUP BY, an aggregate; no LIMIT except after its own sort, no EXISTS or SELECT DISTINCT that could stop a
 * loop early: shapeOf, readsWhole) asks Graph for exactly the pages it would ask in the asyncify build, so
 * those listings are read whole first and the statement runs in the synchronous build over them.
 *
 * Only statements with one virtual-table cursor: a join's outer listing is read page by page in the asyncify
 * build, overlapped with the batches for each page's ids, and reading it whole first would lose that overlap.
 *
 * A pass runs the statement in the synchronous build over the listings held so far; the first listing it
 * lacks stops the pass, is read whole (the same fetchers, cache and batches as the asyncify build's cursors)
 * and the pass runs again. Everything before the first missing listing ran on complete rows, so each listing
 * read is one the asyncify build reads too, in the same order. Anything else gives the statement back to the
 * asyncify build, which reads held listings from memory: an error of SQLite's own (so it is reported in the
 * usual words), more rounds than MAX_ROUNDS (nested-loop lookups, one key per round), a statement this copy of
 * the database cannot prepare. Both builds are SQLite 3.44.0 with the same compile options and the same
 * virtual-table code, so the rows, their order and their types are the same on either path.
 */
import type { SqlValue } from '../api';
import { IgsqlError, toIgsqlError } from '../errors';
import type { Filter, Row, TableDef } from '../schema/types';
import { collatesComparisons, tokenize } from '../sql/tokenize';
import type { QuerySession } from './session';
import { loadSqliteSync, type SQLiteAPI } from './sqlite';
import { HeldTableModule, type HeldHost } from './vtab-held';
import type { VtabHost } from './vtab';

const SQLITE_ROW = 100;
/** Listings read whole before the statement goes back to the asyncify build. */
const MAX_ROUNDS = 4;
/**
 * Opcodes of a LIMIT or OFFSET (a scalar subquery has an implicit LIMIT 1): a loop may stop early. After a
 * sorter (shape 'top'), a LIMIT is the sorter's bound (IfNotZero) or one count of the output (DecrJumpZero).
 */
const EARLY_EXIT = new Set(['DecrJumpZero', 'IfNotZero', 'OffsetLimit']);
/** Opcodes of a statement whose first row needs all its input: a sorter (ORDER BY, GROUP BY, window) or an aggregate. */
const BLOCKING = new Set(['SorterSort', 'Sort', 'AggFinal']);
const HINTS = new Set(['GROUP', 'ORDER', 'OVER', 'COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'TOTAL', 'GROUP_CONCAT', 'STRING_AGG']);
/** Words that may end a loop early, and functions whose value is the connection's state, not the rows'. */
const REFUSED = new Set(['EXISTS', 'CHANGES', 'TOTAL_CHANGES', 'LAST_INSERT_ROWID']);

/**
 * What the text allows, before anything is loaded: undefined (the asyncify build), 'whole' (a SELECT with a
 * sort or an aggregate and no LIMIT or OFFSET), or 'top' (one SELECT, no subquery, whose only LIMIT/OFFSET
 * follows its ORDER BY or GROUP BY: the sorter takes every input row before LIMIT counts an output row, so the
 * listings are read whole in the asyncify build too; "the 10 most liked media"). The bytecode confirms
 * (readsWhole); this only keeps other statements free of the cost.
 */
export function shapeOf(text: string): 'whole' | 'top' | undefined {
  const tokens = tokenize(text).filter((t) => t.type === 'word' || t.text === '(' || t.text === ')');
  const words: Array<{ w: string; depth: number }> = [];
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    else if (t.text === ')') depth--;
    else words.push({ w: t.text.toUpperCase(), depth });
  }
  if (words[0]?.w !== 'SELECT' && words[0]?.w !== 'WITH') return undefined;
  // Its keys are read as the asyncify build reads them (VirtualTableModule.xBestIndex, collating).
  if (collatesComparisons(text)) return undefined;
  if (words.some((x, i) => REFUSED.has(x.w) || (x.w === 'SELECT' && words[i + 1]?.w === 'DISTINCT'))) return undefined;
  if (!words.some((x) => HINTS.has(x.w))) return undefined;
  const limits = words.filter((x) => x.w === 'LIMIT' || x.w === 'OFFSET');
  if (!limits.length) return 'whole';
  if (words.filter((x) => x.w === 'SELECT').length !== 1 || limits.some((x) => x.depth !== 0)) return undefined;
  const firstLimit = words.findIndex((x) => x.w === 'LIMIT' || x.w === 'OFFSET');
  const sorted = words.slice(0, firstLimit).some((x, i, a) => x.depth === 0 && (x.w === 'ORDER' || x.w === 'GROUP') && a[i + 1]?.w === 'BY');
  return sorted ? 'top' : undefined;
}

type Need = { table: TableDef; filter: Filter; key: string };

export function mayReadWhole(text: string): boolean {
  return shapeOf(text) !== undefined;
}

export class SyncRoute {
  private session?: QuerySession;
  private need?: Need;

  private constructor(private readonly sqlite3: SQLiteAPI, private readonly db: number) {}

  static async create(tables: readonly TableDef[], planning: VtabHost["planning"]): Promise<SyncRoute> {
    const sqlite3 = await loadSqliteSync();
    const db = await sqlite3.open_v2(':memory:');
    const route = new SyncRoute(sqlite3, db);
    const host: HeldHost = {
      planning,
      context: () => { throw new IgsqlError('INTERNAL', 'The synchronous build never reads Graph.'); },
      fail: () => undefined,
      held: (key) => route.session?.held.get(key()),
      missing: (need) => { route.need ??= need; },
    };
    for (const t of tables) sqlite3.create_module(db, t.name, new HeldTableModule(sqlite3, t, host));
    await sqlite3.exec(db, 'SELECT 1');
    return route;
  }

  /**
   * The rows of `text`, run in the synchronous build after reading its listings whole; undefined when the
   * statement belongs to the asyncify build (nothing was read then, or only listings it reads from memory).
   */
  async run(
    session: QuerySession,
    text: string,
    bind: (sqlite3: SQLiteAPI, stmt: number) => void,
    readWhole: (table: TableDef, filter: Filter) => Promise<Row[]>,
  ): Promise<SqlValue[][] | undefined> {
    const stmt = await this.prepare(text, bind);
    if (stmt === undefined) return undefined;
    this.session = session;
    try {
      if (!(await this.readsWhole(text))) return undefined;
      for (let round = 0; ; round++) {
        this.need = undefined;
        const rows = await this.pass(stmt);
        if (rows) return rows;
        const need = this.need as Need | undefined;
        if (!need || round >= MAX_ROUNDS) return undefined;
        session.throwIfCancelled();
        let whole: Row[];
        try {
          whole = await readWhole(need.table, need.filter);
        } catch (e) {
          // The asyncify build's cursor would have failed on this listing the same way.
          const error = toIgsqlError(e);
          session.fail(error);
          throw error;
        }
        session.held.set(need.key, whole);
      }
    } finally {
      this.session = undefined;
      await this.sqlite3.finalize(stmt).catch(() => undefined);
    }
  }

  private async prepare(text: string, bind: (sqlite3: SQLiteAPI, stmt: number) => void): Promise<number | undefined> {
    const str = this.sqlite3.str_new(this.db, text);
    let stmt: number | undefined;
    try {
      stmt = (await this.sqlite3.prepare_v2(this.db, this.sqlite3.str_value(str)))?.stmt;
      if (stmt !== undefined) bind(this.sqlite3, stmt);
      return stmt;
    } catch {
      // Not preparable here (a temporary table of the connection, a write…): the asyncify build runs it.
      if (stmt !== undefined) await this.sqlite3.finalize(stmt).catch(() => undefined);
      return undefined;
    } finally {
      this.sqlite3.str_finish(str);
    }
  }

  /** The bytecode reads every row of its loops before the first result (see EARLY_EXIT, BLOCKING). */
  private async readsWhole(text: string): Promise<boolean> {
    const shape = shapeOf(text);
    const ops = new Map<string, number>();
    try {
      await this.sqlite3.exec(this.db, `EXPLAIN ${text}`, (row) => void ops.set(String(row[1]), (ops.get(String(row[1])) ?? 0) + 1));
    } catch {
      return false;
    }
    if (![...ops.keys()].some((o) => BLOCKING.has(o))) return false;
    // One virtual-table cursor: with two (a join, a subquery), the asyncify build overlaps the outer listing's
    // next page with the batches for the current page's ids (DESIGN §3); reading the outer listing whole first
    // would make those round trips sequential (500 media × insights: about 10 round trips instead of 6, counted
    // from the pages and batches).
    if (ops.get('VOpen') !== 1) return false;
    if (shape === 'whole') return ![...ops.keys()].some((o) => EARLY_EXIT.has(o));
    return shape === 'top' && (ops.get('DecrJumpZero') ?? 0) <= 1;
  }

  /** One run to the end: all rows, or undefined when it stopped (a missing listing in `need`, or an error). */
  private async pass(stmt: number): Promise<SqlValue[][] | undefined> {
    const rows: SqlValue[][] = [];
    try {
      while ((await this.sqlite3.step(stmt)) === SQLITE_ROW) rows.push(this.sqlite3.row(stmt) as SqlValue[]);
      return rows;
    } catch {
      return undefined;
    } finally {
      await this.sqlite3.reset(stmt).catch(() => undefined);
    }
  }

  close(): Promise<unknown> {
    return this.sqlite3.close(this.db).catch(() => undefined);
  }
}
