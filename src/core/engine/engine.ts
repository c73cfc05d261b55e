/**
 * The SQL engine: SQLite (wa-sqlite, asyncify) with one virtual table per schema table. It owns statement
 * execution, parameters, streaming and error translation; Graph access comes in through `ContextProvider`.
 */
import type { QueryOptions, QueryParams, QueryPlan, QueryResult, ResultColumn, SqlType, SqlValue } from '../api';
import { IgsqlError, toIgsqlError } from '../errors';
import type { ColumnsRead, TableContext, TableDef } from '../schema/types';
import { referencedTables, splitStatements, type Statement } from '../sql/tokenize';
import { translateSqliteError, type NameSource } from './sql-errors';
import { loadSqlite, recycleSqlite, stepNow, type SQLiteAPI } from './sqlite';
import { VirtualTableModule, type VtabHost } from './vtab';
import type { ProcedureHost } from '../procedures/types';
import { WritableTableModule } from './vtab-write';
import { publishInLists } from './in-lists';
import { ConnectionLock, QuerySession } from './session';
import { explainSql } from './explain';
import { mayReadWhole, SyncRoute } from './sync-route';
import { ResultRows } from './result-rows';
import { selectRows } from './quals';
import type { Filter, Row } from '../schema/types';

const SQLITE_ROW = 100;
/** First words of statements that leave the database as it was (see databaseChanged). */
const QUERY_OR_WRITE = new Set(['SELECT', 'WITH', 'VALUES', 'INSERT', 'UPDATE', 'DELETE', 'REPLACE', 'EXPLAIN']);
const CLOSED = 'the connection was closed';

export interface ContextProvider {
  forTable(table: TableDef, session: QuerySession): TableContext;
}

export interface EngineOptions {
  tables: readonly TableDef[];
  provider: ContextProvider;
  maxRows: number;
  /** Runs EXEC statements (stored procedures), which SQLite never sees. */
  procedures?: ProcedureHost;
  /** false: every statement runs in the asyncify build (sync-route.ts; tests compare both paths). */
  synchronousBuild?: boolean;
}

const CONTEXTS = new WeakMap<QuerySession, Map<TableDef, TableContext>>();

export class Engine implements VtabHost {
  private session?: QuerySession;
  private readonly lock = new ConnectionLock();
  /** A result dropped unread still ends its session once collected, so it cannot hold the lock forever. */
  private readonly abandoned = new FinalizationRegistry<QuerySession>((s) => void s.end());
  private closed = false;
  /** Aborted by close(): stored procedures, which run outside SQLite and its lock, stop with the connection too. */
  private readonly closing = new AbortController();

  /** SQLite's version, read once at creation (calling SQLite later could land inside an asyncify replay). */
  readonly sqliteVersion: string;
  /** The synchronous build, created by the first statement that can use it (sync-route.ts). */
  private syncRoute?: Promise<SyncRoute>;
  /**
   * A statement other than a query or a write changed this database (CREATE, PRAGMA, ATTACH…): the synchronous
   * build's copy lacks that state, so every statement stays in the asyncify build from then on.
   */
  private databaseChanged = false;
  /** The running statement is a query (mayWrite). */
  private readingOnly = false;

  /** The virtual-table modules registered on this engine's database (detached when it closes). */
  private readonly modules: VirtualTableModule[] = [];

  private constructor(
    private readonly sqlite3: SQLiteAPI,
    private readonly db: number,
    private readonly opts: EngineOptions,
    private readonly names: NameSource,
  ) {
    this.sqliteVersion = sqlite3.libversion();
  }

  static async create(opts: EngineOptions): Promise<Engine> {
    const sqlite3 = await loadSqlite();
    const db = await sqlite3.open_v2(':memory:');
    const byName = new Map(opts.tables.map((t) => [t.name.toLowerCase(), t]));
    const names: NameSource = {
      tableNames: () => opts.tables.map((t) => t.name),
      columnNames: (t) => byName.get(t.toLowerCase())?.columns.map((c) => c.name),
      writableTables: () => opts.tables.filter((t) => t.insert || t.update || t.delete).map((t) => t.name),
    };
    const engine = new Engine(sqlite3, db, opts, names);
    for (const t of opts.tables) {
      // Only writable tables get xUpdate: SQLite treats a module with xUpdate as writable.
      const writable = t.insert || t.update || t.delete;
      const module = writable ? new WritableTableModule(sqlite3, t, engine) : new VirtualTableModule(sqlite3, t, engine);
      engine.modules.push(module);
      sqlite3.create_module(db, t.name, module);
    }
    // The first statement of an instance runs its parser and VM code for the first time (V8 compiles wasm
    // functions lazily): done here, while the connection is idle, rather than in the user's first query.
    await sqlite3.exec(db, 'SELECT 1');
    return engine;
  }

  context(table: TableDef): TableContext {
    const session = this.session;
    if (!session) throw new IgsqlError('INTERNAL', 'A virtual table was read outside a query.');
    // One context per table per query (a join's inner table is filtered once per outer row).
    let contexts = CONTEXTS.get(session);
    if (!contexts) CONTEXTS.set(session, (contexts = new Map()));
    let ctx = contexts.get(table);
    if (!ctx) contexts.set(table, (ctx = this.opts.provider.forTable(table, session)));
    return ctx;
  }

  planning(table: TableDef, columns: ColumnsRead): void {
    this.session?.tablesRead.add(table.name);
    this.session?.readColumns(table.name, columns);
  }

  collating(): boolean {
    return this.session?.collating ?? false;
  }

  fail(error: IgsqlError): void {
    this.session?.fail(error);
  }

  /** Runs every statement of `sql`; the rows of the last one stream through the result. */
  async query(sql: string, params: QueryParams = {}, options: QueryOptions = {}): Promise<QueryResult> {
    if (this.closed) throw new IgsqlError('CANCELLED', `The query was cancelled: ${CLOSED}.`);
    const statements = splitStatements(sql);
    if (!statements.length) throw new IgsqlError('SQL_SYNTAX', 'There is no SQL statement to run.', { line: 1, column: 1 });
    const signal = options.signal ? AbortSignal.any([options.signal, this.closing.signal]) : this.closing.signal;
    const exec = this.opts.procedures?.tryExec(sql, statements, params, { ...options, signal });
    if (exec) return exec;
    await this.lock.acquire(options.signal);
    if (this.closed) {
      this.lock.release();
      throw new IgsqlError('CANCELLED', `The query was cancelled: ${CLOSED}.`);
    }
    const session = new QuerySession(options, (s) => this.endSession(s));
    this.session = session;
    try {
      for (const s of statements.slice(0, -1)) {
        session.stmt = await session.step(() => this.prepare(sql, s, params, session));
        while ((await session.step(() => this.step(session.stmt!, sql, s))) === SQLITE_ROW) session.throwIfCancelled();
        session.changes += this.sqlite3.changes(this.db);
        const done = session.stmt;
        session.stmt = undefined;
        await session.step(() => this.sqlite3.finalize(done));
      }
      const last = statements[statements.length - 1]!;
      session.stmt = await session.step(() => this.prepare(sql, last, params, session));
      const columns = this.describe(session.stmt, last.text);
      const computed = columns.length && this.opts.synchronousBuild !== false && !this.databaseChanged && mayReadWhole(last.text)
        ? await session.step(() => this.runSynchronously(session, last, params))
        : undefined;
      if (computed) {
        session.stats.build = 'synchronous';
        session.held.clear(); // the rows are computed: what they were computed from can go
      }
      const rows = new ResultRows(this, session, sql, last, computed && { rows: computed, next: 0 });
      const result = { columns, rows, stats: session.stats, changes: () => session.changes };
      if (!columns.length) {
        // INSERT/UPDATE/DELETE: run now, so `changes()` is right as soon as the caller has the result.
        for await (const _ of rows) void _;
        return { ...result, rows: (async function* () {})() };
      }
      this.abandoned.register(rows, session, rows);
      return result;
    } catch (e) {
      const error = this.resolveError(e, session);
      await session.end();
      throw error;
    }
  }

  /** Plans `sql` without running it (explain.ts): no session, no Graph call; waits for a running query's lock. */
  async explain(sql: string): Promise<QueryPlan> {
    if (this.closed) throw new IgsqlError('CANCELLED', `The query was cancelled: ${CLOSED}.`);
    await this.lock.acquire();
    try {
      return await explainSql(this.sqlite3, this.db, sql, this.opts.tables, this.names);
    } finally {
      this.lock.release();
    }
  }

  /**
   * The next row of the last statement, or undefined at its end (MaxRows included): at once when SQLite did
   * not suspend for Graph (stepNow), else a promise.
   */
  nextRow(session: QuerySession, sql: string, s: Statement, buffered?: { rows: SqlValue[][]; next: number }): SqlValue[] | undefined | Promise<SqlValue[] | undefined> {
    const max = this.opts.maxRows;
    const stmt = session.stmt!;
    if (max >= 0 && session.stats.rows >= max) {
      session.stats.notes.push(`Stopped at MaxRows=${max}.`);
      return undefined;
    }
    session.throwIfCancelled();
    if (buffered) {
      const row = buffered.rows[buffered.next];
      if (!row) {
        session.changes += this.sqlite3.changes(this.db); // as after the asyncify build's last step
        return undefined;
      }
      buffered.rows[buffered.next++] = undefined as never; // the reader holds it now
      session.stats.rows++;
      return row;
    }
    let rc: number | Promise<number>;
    try {
      rc = stepNow(this.sqlite3, stmt, this.db);
    } catch (e) {
      throw this.stepError(e, sql, s);
    }
    if (typeof rc === 'number') return this.stepped(session, stmt, rc);
    const suspended = rc.catch((e: unknown) => Promise.reject(this.stepError(e, sql, s)));
    return session.step(() => suspended).then((code) => this.stepped(session, stmt, code));
  }

  private stepped(session: QuerySession, stmt: number, rc: number): SqlValue[] | undefined {
    if (rc !== SQLITE_ROW) {
      if (session.error) throw session.error;
      session.changes += this.sqlite3.changes(this.db);
      return undefined;
    }
    if (session.error) throw session.error; // a failed page must not end as a silently short result
    session.stats.rows++;
    return this.sqlite3.row(stmt) as SqlValue[];
  }

  /** Called once per session, after its background work settled: the statement goes, the lock is free. */
  private async endSession(session: QuerySession): Promise<void> {
    const stmt = session.stmt;
    session.stmt = undefined;
    if (stmt !== undefined) await this.sqlite3.finalize(stmt).catch(() => undefined);
    if (this.session === session) this.session = undefined;
    this.lock.release();
  }

  /** The error the caller sees: the first one recorded, or the cancel, with what the query wrote before. */
  resolveError(e: unknown, session: QuerySession): IgsqlError {
    let error = session.error ?? (session.isCancelled ? session.cancelledError() : toIgsqlError(e));
    if (error.code === 'CANCELLED' && session.isCancelled) error = session.cancelledError();
    return session.journal.explain(error);
  }

  /** The rows of `s` computed in the synchronous build, or undefined: the asyncify build runs it. */
  private async runSynchronously(session: QuerySession, s: Statement, params: QueryParams): Promise<SqlValue[][] | undefined> {
    this.syncRoute ??= SyncRoute.create(this.opts.tables, (t, columns) => this.planning(t, columns));
    this.syncRoute.catch(() => (this.syncRoute = undefined));
    let route: SyncRoute;
    try {
      route = await this.syncRoute;
    } catch {
      return undefined; // the synchronous build failed to load: the asyncify build does everything, as before
    }
    const readWhole = async (table: TableDef, filter: Filter): Promise<Row[]> => {
      const rows: Row[] = [];
      for await (const page of selectRows(table, this.opts.provider.forTable(table, session), filter)) for (const r of page) rows.push(r);
      return rows;
    };
    return route.run(session, s.text, (sqlite3, stmt) => this.bind(stmt, params, sqlite3), readWhole);
  }

  mayWrite(): boolean {
    return !this.readingOnly;
  }

  held(key: () => string): readonly Row[] | undefined {
    const held = this.session?.held;
    return held?.size ? held.get(key()) : undefined;
  }

  private async prepare(sql: string, s: Statement, params: QueryParams, session: QuerySession): Promise<number> {
    session.beginStatement(s.text);
    const first = /^\s*(?:--[^\n]*\n\s*|\/\*[\s\S]*?\*\/\s*)*([A-Za-z]+)/.exec(s.text)?.[1]?.toUpperCase();
    if (!first || !QUERY_OR_WRITE.has(first)) this.databaseChanged = true;
    this.readingOnly = first === 'SELECT' || first === 'VALUES';
    publishInLists(s.text, this.opts.tables, params, session);
    const str = this.sqlite3.str_new(this.db, s.text);
    let stmt: number | undefined;
    try {
      const prepared = await this.sqlite3.prepare_v2(this.db, this.sqlite3.str_value(str));
      if (!prepared) throw new IgsqlError('SQL_SYNTAX', 'There is no SQL statement to run.');
      stmt = prepared.stmt;
      this.bind(stmt, params);
      return stmt;
    } catch (e) {
      if (stmt !== undefined) await this.sqlite3.finalize(stmt).catch(() => undefined);
      if (session.error) throw session.error;
      if (e instanceof IgsqlError) throw e;
      throw translateSqliteError((e as Error).message, sql, s.start, this.names);
    } finally {
      this.sqlite3.str_finish(str);
    }
  }

  /** A step of a statement before the last one (its rows are not returned): the same stepping as nextRow's. */
  private async step(stmt: number, sql: string, s: Statement): Promise<number> {
    try {
      return await stepNow(this.sqlite3, stmt, this.db);
    } catch (e) {
      throw this.stepError(e, sql, s);
    }
  }

  /** What a failed step reports: the session's own error (a failed page, a cancel), else SQLite's, translated. */
  private stepError(e: unknown, sql: string, s: Statement): Error {
    return this.session?.error ?? translateSqliteError((e as Error).message, sql, s.start, this.names);
  }

  /** `@name`, `:name`, `$name` bind by name (case-insensitive, prefix optional); `?` binds by position. */
  private bind(stmt: number, params: QueryParams, sqlite3: SQLiteAPI = this.sqlite3): void {
    const n = sqlite3.bind_parameter_count(stmt);
    let positional = 0;
    const lower = Array.isArray(params) ? undefined : new Map(Object.entries(params).map(([k, v]) => [k.replace(/^[@:$]/, '').toLowerCase(), v]));
    for (let i = 1; i <= n; i++) {
      const name = sqlite3.bind_parameter_name(stmt, i);
      let value: SqlValue | boolean | undefined;
      if (!name || name.startsWith('?')) {
        const idx = name && name.length > 1 ? Number(name.slice(1)) - 1 : positional++;
        value = Array.isArray(params) ? params[idx] : lower?.get(String(idx + 1));
        if (value === undefined) throw new IgsqlError('INVALID_VALUE', `Parameter ${idx + 1} (?) has no value: pass ${idx + 1} value(s) in order (CLI: --param 1=value).`);
      } else {
        const key = name.slice(1).toLowerCase();
        value = lower?.get(key);
        if (value === undefined) throw new IgsqlError('INVALID_VALUE', `Parameter ${name} has no value: pass it by name (CLI: --param ${name.slice(1)}=value).`);
      }
      // wa-sqlite binds text as a C string: a NUL would silently cut the value short (and an id name another object).
      if (typeof value === 'string' && value.includes('\u0000')) {
        throw new IgsqlError('INVALID_VALUE', `Parameter ${name ?? i} contains a control character (U+0000), which no Instagram value holds: remove it.`);
      }
      sqlite3.bind(stmt, i, typeof value === 'boolean' ? (value ? 1 : 0) : (value as SqlValue));
    }
  }

  /** Result columns; a column named like a column of a referenced table takes that column's declared type. */
  private describe(stmt: number, text: string): ResultColumn[] {
    const types = new Map<string, SqlType>();
    for (const t of referencedTables(text)) {
      const def = this.opts.tables.find((d) => d.name.toLowerCase() === t.toLowerCase());
      for (const c of def?.columns ?? []) if (!types.has(c.name.toLowerCase())) types.set(c.name.toLowerCase(), c.type);
    }
    return this.sqlite3.column_names(stmt).map((name) => ({ name, type: types.get(name.toLowerCase()) ?? null }));
  }

  /** Ends the running query (its reader sees CANCELLED), refuses the waiting ones, then closes SQLite. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.closing.abort();
    this.lock.refuseWaiting(new IgsqlError('CANCELLED', `The query was cancelled: ${CLOSED}.`));
    const running = this.session;
    if (running) {
      running.cancel(CLOSED);
      await running.end();
    }
    await this.sqlite3.close(this.db);
    // Closed cleanly: the instance may serve the next connection, without anything of this one.
    for (const m of this.modules) m.detach();
    recycleSqlite(this.sqlite3);
    if (this.syncRoute) await (await this.syncRoute.catch(() => undefined))?.close();
  }
}
