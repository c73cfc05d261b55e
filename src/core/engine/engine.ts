/**
 * The SQL engine: SQLite (wa-sqlite, asyncify) with one virtual table per schema table. It owns statement
 * execution, parameters, streaming and error translation; Graph access comes in through `ContextProvider`.
 */
import type { QueryOptions, QueryParams, QueryResult, QueryStats, ResultColumn, SqlType, SqlValue } from '../api';
import { IgsqlError, toIgsqlError } from '../errors';
import type { TableContext, TableDef } from '../schema/types';
import { referencedTables, splitStatements, type Statement } from '../sql/tokenize';
import { translateSqliteError, type NameSource } from './sql-errors';
import { loadSqlite, type SQLiteAPI } from './sqlite';
import { VirtualTableModule, type VtabHost } from './vtab';
import type { ProcedureHost } from '../procedures/types';
import { WritableTableModule } from './vtab-write';
import { Prefetch } from '../prefetch';
import { publishInLists } from './in-lists';
import { explainSql } from './explain';
import type { QueryPlan } from '../api';

const SQLITE_ROW = 100;

/** The state of one running query, shared by every cursor it opens. */
export interface QueryRun {
  readonly stats: QueryStats;
  /** Batching groups and the GET cache of this query. */
  readonly prefetch: Prefetch;
  readonly signal?: AbortSignal;
  /** QueryOptions.businessAccountId, when given. */
  readonly businessAccountId?: string;
  progress(): void;
}

export interface ContextProvider {
  forTable(table: TableDef, run: QueryRun): TableContext;
}

export interface EngineOptions {
  tables: readonly TableDef[];
  provider: ContextProvider;
  maxRows: number;
  /** Runs EXEC statements (stored procedures), which SQLite never sees. */
  procedures?: ProcedureHost;
}

function zeroStats(): QueryStats {
  return { apiCalls: 0, pages: 0, rows: 0, retries: 0, bytes: 0, elapsedMs: 0, notes: [] };
}

export class Engine implements VtabHost {
  private run?: QueryRun & { error?: IgsqlError };
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  /** SQLite's version, read once at creation (calling SQLite later could land inside an asyncify replay). */
  readonly sqliteVersion: string;

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
      sqlite3.create_module(db, t.name, writable ? new WritableTableModule(sqlite3, t, engine) : new VirtualTableModule(sqlite3, t, engine));
    }
    return engine;
  }

  context(table: TableDef): TableContext {
    if (!this.run) throw new IgsqlError('INTERNAL', 'A virtual table was read outside a query.');
    return this.opts.provider.forTable(table, this.run);
  }

  fail(error: IgsqlError): void {
    if (this.run && !this.run.error) this.run.error = error;
  }

  /** Runs every statement of `sql`; the rows of the last one stream through the result. */
  async query(sql: string, params: QueryParams = {}, options: QueryOptions = {}): Promise<QueryResult> {
    if (this.closed) throw new IgsqlError('INTERNAL', 'The connection is closed.');
    const statements = splitStatements(sql);
    if (!statements.length) throw new IgsqlError('SQL_SYNTAX', 'There is no SQL statement to run.', { line: 1, column: 1 });
    const exec = this.opts.procedures?.tryExec(sql, statements, params, options);
    if (exec) return exec;
    const release = await this.acquire();
    const started = Date.now();
    const stats = zeroStats();
    let lastProgress = 0;
    const run: QueryRun & { error?: IgsqlError } = {
      stats,
      prefetch: new Prefetch(),
      signal: options.signal,
      businessAccountId: options.businessAccountId,
      progress: () => {
        stats.elapsedMs = Date.now() - started;
        if (options.onProgress && stats.elapsedMs - lastProgress >= 100) {
          lastProgress = stats.elapsedMs;
          options.onProgress(stats);
        }
      },
    };
    this.run = run;
    let changes = 0;
    try {
      for (const s of statements.slice(0, -1)) {
        const stmt = await this.prepare(sql, s, params);
        try {
          while ((await this.step(stmt, sql, s)) === SQLITE_ROW) this.checkCancelled(run);
          changes += this.sqlite3.changes(this.db);
        } finally {
          await this.sqlite3.finalize(stmt);
        }
      }
      const last = statements[statements.length - 1]!;
      const stmt = await this.prepare(sql, last, params);
      const columns = this.describe(stmt, last.text);
      const rows = this.stream(stmt, sql, last, run, started, release, (n) => (changes += n));
      if (!columns.length) {
        // INSERT/UPDATE/DELETE: run now, so `changes()` is right as soon as the caller has the result.
        for await (const _ of rows) void _;
        return { columns, rows: (async function* () {})(), stats, changes: () => changes };
      }
      return { columns, rows, stats, changes: () => changes };
    } catch (e) {
      this.run = undefined;
      stats.elapsedMs = Date.now() - started;
      release();
      throw this.resolveError(e, run);
    }
  }

  /** Plans `sql` without running it (explain.ts); waits for the running query like any statement. */
  async explain(sql: string): Promise<QueryPlan> {
    if (this.closed) throw new IgsqlError('INTERNAL', 'The connection is closed.');
    const release = await this.acquire();
    try {
      return await explainSql(this.sqlite3, this.db, sql, this.opts.tables, this.names);
    } finally {
      release();
    }
  }

  private async *stream(stmt: number, sql: string, s: Statement, run: QueryRun & { error?: IgsqlError }, started: number, release: () => void, addChanges: (n: number) => void): AsyncGenerator<SqlValue[]> {
    try {
      const max = this.opts.maxRows;
      while (max < 0 || run.stats.rows < max) {
        this.checkCancelled(run);
        if ((await this.step(stmt, sql, s)) !== SQLITE_ROW) break;
        if (run.error) throw run.error; // a failed page must not end as a silently short result
        run.stats.rows++;
        yield this.sqlite3.row(stmt) as SqlValue[];
      }
      if (run.error) throw run.error;
      addChanges(this.sqlite3.changes(this.db));
      if (max >= 0 && run.stats.rows >= max) run.stats.notes.push(`Stopped at MaxRows=${max}.`);
    } catch (e) {
      throw this.resolveError(e, run);
    } finally {
      run.stats.elapsedMs = Date.now() - started;
      await this.sqlite3.finalize(stmt).catch(() => undefined);
      if (this.run === run) this.run = undefined;
      release();
    }
  }

  private resolveError(e: unknown, run: { error?: IgsqlError; signal?: AbortSignal }): IgsqlError {
    if (run.error) return run.error;
    if (run.signal?.aborted) return new IgsqlError('CANCELLED', 'The query was cancelled.');
    return toIgsqlError(e);
  }

  private checkCancelled(run: QueryRun): void {
    if (run.signal?.aborted) throw new IgsqlError('CANCELLED', 'The query was cancelled.');
  }

  private async prepare(sql: string, s: Statement, params: QueryParams): Promise<number> {
    if (this.run) publishInLists(s.text, this.opts.tables, params, this.run.prefetch);
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
      if (this.run?.error) throw this.run.error;
      if (e instanceof IgsqlError) throw e;
      throw translateSqliteError((e as Error).message, sql, s.start, this.names);
    } finally {
      this.sqlite3.str_finish(str);
    }
  }

  private async step(stmt: number, sql: string, s: Statement): Promise<number> {
    try {
      return await this.sqlite3.step(stmt);
    } catch (e) {
      if (this.run?.error) throw this.run.error;
      throw translateSqliteError((e as Error).message, sql, s.start, this.names);
    }
  }

  /** `@name`, `:name`, `$name` bind by name (case-insensitive, prefix optional); `?` binds by position. */
  private bind(stmt: number, params: QueryParams): void {
    const n = this.sqlite3.bind_parameter_count(stmt);
    let positional = 0;
    const lower = Array.isArray(params) ? undefined : new Map(Object.entries(params).map(([k, v]) => [k.replace(/^[@:$]/, '').toLowerCase(), v]));
    for (let i = 1; i <= n; i++) {
      const name = this.sqlite3.bind_parameter_name(stmt, i);
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
      this.sqlite3.bind(stmt, i, typeof value === 'boolean' ? (value ? 1 : 0) : (value as SqlValue));
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

  private async acquire(): Promise<() => void> {
    // Asyncify allows one suspended call per WebAssembly instance: queries on a connection run one at a time.
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const prev = this.queue;
    this.queue = prev.then(() => next);
    await prev;
    let released = false;
    return () => {
      if (!released) { released = true; release(); }
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.queue;
    await this.sqlite3.close(this.db);
  }
}
