/**
 * Writable tables (DESIGN §3): SQLite's xUpdate mapped to the table's insert/update/delete, which send Graph
 * writes. The table is declared WITHOUT ROWID with Id as its primary key, so xUpdate receives the Id itself.
 * The same asyncify discipline as reads: values are read on the first call only, the write is awaited inside
 * handleAsync, and the outcome is applied on the replay. A write is never retried here or in the client.
 */
import type { SqlValue } from '../api';
import { IgsqlError, toIgsqlError } from '../errors';
import type { Row, TableDef } from '../schema/types';
import type { SQLiteAPI } from './sqlite';
import { SQL_TYPES, VirtualTableModule, type AsyncModule, type VtabHost } from './vtab';

const SQLITE_OK = 0;
const SQLITE_ERROR = 1;
const SEEN_LIMIT = 10_000;

interface PendingWrite {
  done: boolean;
  error?: unknown;
}

export class WritableTableModule extends VirtualTableModule {
  private pending?: PendingWrite;
  /** Rows read by recent statements, by Id, so an UPDATE can tell which columns it changes. */
  private readonly seen = new Map<string, Row>();

  constructor(sqlite3: SQLiteAPI, table: TableDef, host: VtabHost) {
    super(sqlite3, table, host);
  }

  override detach(): void {
    super.detach();
    this.pending = undefined;
    this.seen.clear();
  }

  override createSql(): string {
    const cols = this.table.columns.map((c) => `"${c.name}" ${SQL_TYPES[c.type]}`);
    return `CREATE TABLE x(${cols.join(', ')}, PRIMARY KEY("Id")) WITHOUT ROWID`;
  }

  protected override onRow(row: Row): void {
    // Kept for an UPDATE, which reads its own rows before it writes them: a query's (SELECT, VALUES) are not
    // (1 216 per comments + replies join, each an insert into this map, often with an eviction).
    if (this.host.mayWrite?.() === false) return;
    const id = row.Id;
    if (typeof id !== 'string') return;
    if (this.seen.size >= SEEN_LIMIT) this.seen.delete(this.seen.keys().next().value as string);
    this.seen.set(id, row);
  }

  xUpdate(_pVTab: number, values: number[]): number {
    if (!this.pending) {
      let work: () => Promise<void>;
      try {
        work = this.plan(values);
      } catch (e) {
        this.host.fail(toIgsqlError(e));
        return SQLITE_ERROR;
      }
      const op: PendingWrite = { done: false };
      this.pending = op;
      (this as unknown as AsyncModule).handleAsync(async () => {
        try {
          await work();
        } catch (e) {
          op.error = e;
        }
        op.done = true;
        return SQLITE_OK;
      });
      if (!op.done) return SQLITE_OK; // unwinding
    } else {
      (this as unknown as AsyncModule).handleAsync(async () => SQLITE_OK); // the replay
    }
    const op = this.pending!;
    this.pending = undefined;
    if (op.error !== undefined) {
      this.host.fail(toIgsqlError(op.error));
      return SQLITE_ERROR;
    }
    return SQLITE_OK;
  }

  /** Reads the SQLite values (allowed only on the first call) and returns the Graph work to await. */
  private plan(values: number[]): () => Promise<void> {
    const t = this.table;
    const ctx = this.host.context(t);
    const value = (i: number) => this.sqlite3.value(values[i]!) as SqlValue;
    const writable = t.columns.filter((c) => c.writable).map((c) => c.name).join(', ');
    if (values.length === 1) {
      const id = value(0);
      if (!t.delete) throw new IgsqlError('READ_ONLY', `${t.name} does not support DELETE.`);
      return () => t.delete!(ctx, String(id));
    }
    const row: Row = {};
    this.columnNames.forEach((name, i) => (row[name] = value(i + 2)));
    const oldId = value(0);
    if (oldId === null) {
      if (!t.insert) throw new IgsqlError('READ_ONLY', `${t.name} does not support INSERT.`);
      if (row.Id !== null && row.Id !== undefined) throw new IgsqlError('INVALID_VALUE', `INSERT INTO ${t.name} cannot set Id: Instagram assigns it. Set ${writable}.`);
      return async () => void (await t.insert!(ctx, row));
    }
    if (!t.update) throw new IgsqlError('READ_ONLY', `${t.name} does not support UPDATE.`);
    if (String(value(1)) !== String(oldId)) throw new IgsqlError('READ_ONLY', `${t.name}: Id cannot be changed.`);
    const old = this.seen.get(String(oldId));
    return () => t.update!(ctx, String(oldId), row, old);
  }
}
