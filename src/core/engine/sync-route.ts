/**
 * The synchronous build for statements that read their listings whole (issue 11 §5). The asyncify build
 * instruments every function of SQLite so a virtual table may await Graph mid-statement, and that costs
 * SQLite's own work 4–5× (measured in bench/engine.ts: a 100 000-row GROUP BY + window function, 1.1–1.4 s in
 * the asyncify build, 0.22–0.29 s in the synchronous one; the virtual-table calls and the unwinds per page are
 * a small part). A statement that must read every row of its listings before its first row (a sort, a
 * GROUP BY, an aggregate: no LIMIT, OFFSET, EXISTS or SELECT DISTINCT that could stop a loop early) asks
 * Graph for exactly the pages it would ask in the asyncify build, so those listings are read whole first
 * and the statement runs in the synchronous build over them.
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
import { tokenize } from '../sql/tokenize';
import type { QuerySession } from './session';
import { loadSqliteSync, type SQLiteAPI } from './sqlite';
import { HeldTableModule, type HeldHost } from './vtab-held';

const SQLITE_ROW = 100;
/** Listings read whole before the statement goes back to the asyncify build. */
const MAX_ROUNDS = 4;
/** Opcodes of a LIMIT or OFFSET (a scalar subquery has an implicit LIMIT 1): a loop may stop early. */
const EARLY_EXIT = new Set(['DecrJumpZero', 'IfNotZero', 'OffsetLimit']);
/** Opcodes of a statement whose first row needs all its input: a sorter (ORDER BY, GROUP BY, window) or an aggregate. */
const BLOCKING = new Set(['SorterSort', 'Sort', 'AggFinal']);
const HINTS = new Set(['GROUP', 'ORDER', 'OVER', 'COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'TOTAL', 'GROUP_CONCAT', 'STRING_AGG']);
/** Words that may end a loop early, and functions whose value is the connection's state, not the rows'. */
const REFUSED = new Set(['LIMIT', 'OFFSET', 'EXISTS', 'CHANGES', 'TOTAL_CHANGES', 'LAST_INSERT_ROWID']);

type Need = { table: TableDef; filter: Filter; key: string };

/**
 * A cheap look at the text before anything is loaded: a SELECT with a sort or an aggregate and no clause that
 * may stop reading early. The bytecode decides (readsWhole); this only keeps other statements free of the cost.
 */
export function mayReadWhole(text: string): boolean {
  const words = tokenize(text).filter((t) => t.type === 'word').map((t) => t.text.toUpperCase());
  if (words[0] !== 'SELECT' && words[0] !== 'WITH') return false;
  if (words.some((w, i) => REFUSED.has(w) || (w === 'SELECT' && words[i + 1] === 'DISTINCT'))) return false;
  return words.some((w) => HINTS.has(w));
}

export class SyncRoute {
  private session?: QuerySession;
  private need?: Need;

  private constructor(private readonly sqlite3: SQLiteAPI, private readonly db: number) {}

  static async create(tables: readonly TableDef[], planning: (t: TableDef) => void): Promise<SyncRoute> {
    const sqlite3 = await loadSqliteSync();
    const db = await sqlite3.open_v2(':memory:');
    const route = new SyncRoute(sqlite3, db);
    const host: HeldHost = {
      planning,
      context: () => { throw new IgsqlError('INTERNAL', 'The synchronous build never reads Graph.'); },
      fail: () => undefined,
      held: (key) => route.session?.held.get(key),
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
    const ops = new Set<string>();
    try {
      await this.sqlite3.exec(this.db, `EXPLAIN ${text}`, (row) => void ops.add(String(row[1])));
    } catch {
      return false;
    }
    return ![...ops].some((o) => EARLY_EXIT.has(o)) && [...ops].some((o) => BLOCKING.has(o));
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
