/**
 * One SQLite virtual-table module per schema table (eponymous: `SELECT … FROM Media` needs no CREATE).
 *
 * Asyncify rules this file follows (DESIGN §3, measured on wa-sqlite 1.0.0): a method that awaits calls
 * `handleAsync`, which unwinds the WebAssembly stack; when the promise settles the stack is rewound and the
 * *same JS method is called again*, and this second call must reach `handleAsync` by the same path and must
 * not call into SQLite before it. `handleAsync` returns a stale value on the first call, so completion is
 * tracked in the cursor (`op.done`). Only xFilter/xNext/xUpdate await; they read SQLite values only on the first
 * call, keep fetched pages aside, and apply them on the second call.
 */
import { sqlValue } from './coerce';
import type { KeyOp, SqlValue } from '../api';
import { IgsqlError, toIgsqlError } from '../errors';
import type { ColumnsRead, Filter, Row, TableDef, TableContext } from '../schema/types';
import { getKey, keyOps, readValue, rowIdentity, selectRows, selectRowsInMemory, toFilter } from './quals';
import type { SQLiteAPI } from './sqlite';

const SQLITE_OK = 0;
const SQLITE_ERROR = 1;
const OPS: Record<number, KeyOp> = { 2: '=', 4: '>', 8: '<=', 16: '<', 32: '>=' };
const SQLITE_INDEX_CONSTRAINT_LIMIT = 73;
const SQLITE_INDEX_CONSTRAINT_OFFSET = 74;
const SQLITE_INDEX_SCAN_UNIQUE = 1;

export const SQL_TYPES: Record<string, string> = { String: 'TEXT', Integer: 'INTEGER', Boolean: 'BOOLEAN', Datetime: 'TEXT', Double: 'REAL' };

/** What the module needs from the engine for the statement that is running. */
export interface VtabHost {
  context(table: TableDef): TableContext;
  /**
   * SQLite is planning a read of `table` in the current statement, of `columns` (undefined: every column).
   * Called for every plan SQLite weighs, before any xFilter of the statement.
   */
  planning(table: TableDef, columns: ColumnsRead): void;
  /** The statement compares with a COLLATE: a String key is pushed only when the table needs it. */
  collating?(): boolean;
  /** Records the first error of the statement; SQLite only sees SQLITE_ERROR. */
  fail(error: IgsqlError): void;
  /** The complete rows of a listing the statement already read whole, by `readFilter`'s key (sync-route.ts). */
  held?(key: () => string): readonly Row[] | undefined;
  /** false when the running statement is a query (SELECT, VALUES): it writes nothing. Absent: it may write. */
  mayWrite?(): boolean;
}

interface PendingOp<T> {
  done: boolean;
  value?: T;
  error?: unknown;
}

export interface Cursor {
  rows: Row[];
  index: number;
  exhausted: boolean;
  iterator?: AsyncIterator<Row[]>;
  op?: PendingOp<IteratorResult<Row[]>>;
}

interface Plan {
  keys: Array<{ column: string; op: KeyOp } | 'LIMIT' | 'OFFSET'>;
  /** The columns this reference reads (SQLite's colUsed, low 32 bits); absent: all. */
  cols?: number;
}

/**
 * wa-sqlite 1.0.0 marshals sqlite3_index_info.colUsed, a 64-bit mask (bit 63: "column 63 or later"), as its
 * low 32 bits read as an i32 (`colUsed=I(…,"i32")` in dist/wa-sqlite-async.mjs): a column from the 33rd on
 * is invisible in it, so a table that wide is read whole.
 */
const MASK_BITS = 32;

/** The columns of `table` set in SQLite's colUsed mask; undefined when the mask cannot tell (read all). */
export function columnsFromMask(table: TableDef, mask: number | undefined): ColumnsRead {
  if (mask === undefined || table.columns.length > MASK_BITS) return undefined;
  const bits = mask >>> 0;
  return new Set(table.columns.filter((_, i) => (bits >>> i) & 1).map((c) => c.name));
}

export type AsyncModule = { handleAsync(f: () => Promise<number>): number };

const DETACHED_TABLE: TableDef = { name: '(closed)', kind: 'table', description: '', scopes: [], columns: [], list: async function* () {} };
const DETACHED_HOST: VtabHost = {
  context: () => { throw new IgsqlError('CANCELLED', 'The query was cancelled: the connection was closed.'); },
  planning: () => undefined,
  fail: () => undefined,
};

export class VirtualTableModule {
  protected readonly cursors = new Map<number, Cursor>();
  /** xRowid's number of each row (rowIdentity) in the statement: the branches of an OR plan have cursors of their own. */
  private rowids = new Map<string, number>();
  protected readonly columnNames: string[];

  constructor(
    protected readonly sqlite3: SQLiteAPI,
    protected table: TableDef,
    protected host: VtabHost,
  ) {
    this.columnNames = table.columns.map((c) => c.name);
  }

  /**
   * The connection closed and its SQLite instance may serve another (sqlite.ts recycleSqlite). wa-sqlite keeps
   * every module ever registered on an instance: this one must no longer hold the old connection (its tables,
   * services, token) alive.
   */
  detach(): void {
    this.table = DETACHED_TABLE;
    this.host = DETACHED_HOST;
    this.cursors.clear();
  }

  /** Declared schema; BOOLEAN has numeric affinity, Datetime is ISO text so it compares as text. */
  createSql(): string {
    const cols = this.table.columns.map((c) => `"${c.name}" ${SQL_TYPES[c.type]}`);
    return `CREATE TABLE x(${cols.join(', ')})`;
  }

  xConnect(db: number): number {
    this.sqlite3.declare_vtab(db, this.createSql());
    return SQLITE_OK;
  }

  xDisconnect(): number {
    return SQLITE_OK;
  }

  xDestroy(): number {
    return SQLITE_OK;
  }

  /**
   * Key columns the Graph API can filter on get an argvIndex. `omit` stays false: SQLite re-checks every
   * term, so a fetcher that cannot apply a key exactly (e.g. Graph's second-granular since/until) is still
   * correct. Costs steer SQLite to keyed plans: an id lookup is one request, a scan is many.
   */
  xBestIndex(_pVTab: number, info: SQLiteModuleIndexInfo): number {
    // colUsed covers every use of the reference (result, WHERE, ORDER BY, join terms SQLite re-checks).
    // A build that did not pass the mask (undefined) must not read as "no column": then every column is read.
    const cols = this.table.columns.length <= MASK_BITS && typeof info.colUsed === 'number' ? info.colUsed >>> 0 : undefined;
    this.host.planning(this.table, columnsFromMask(this.table, cols));
    if (this.rowids.size) this.rowids = new Map(); // a new statement (one runs at a time)
    const plan: Plan = { keys: [], ...(cols !== undefined ? { cols } : {}) };
    let argv = 0;
    let hasId = false;
    let lookup = false;
    let narrowed = false;
    let allPushed = true;
    const provided = new Set<string>();
    const limits: Array<{ i: number; key: 'LIMIT' | 'OFFSET' }> = [];
    const collating = this.host.collating?.() ?? false;
    info.aConstraint.forEach((c, i) => {
      if (c.op === SQLITE_INDEX_CONSTRAINT_LIMIT || c.op === SQLITE_INDEX_CONSTRAINT_OFFSET) {
        if (c.usable) limits.push({ i, key: c.op === SQLITE_INDEX_CONSTRAINT_LIMIT ? 'LIMIT' : 'OFFSET' });
        return;
      }
      const op = OPS[c.op];
      const col = this.table.columns[c.iColumn];
      // (A Datetime bound stays: it sets the days an insights view asks; ISO timestamps hardly differ by case.)
      const exact = !collating || col?.required || col?.type !== 'String';
      if (!c.usable || !op || !col || !exact || !keyOps(this.table, col.name).includes(op)) {
        allPushed = false;
        return;
      }
      info.aConstraintUsage[i]!.argvIndex = ++argv;
      info.aConstraintUsage[i]!.omit = false;
      plan.keys.push({ column: col.name, op });
      if (op === '=') provided.add(col.name);
      // An id lookup is one request; a key naming other objects (MediaId, ParentId…) is one request per
      // value, batched; other keys (Metric, Period, BusinessAccountId…) only narrow a listing.
      if (op === '=' && col.name === getKey(this.table)) hasId = true;
      else if (op === '=' && (col.group || col.required)) lookup = true;
      else narrowed = true;
    });
    // LIMIT is a page-size hint, and only right when SQLite filters nothing itself and rows come out in the
    // order it counts them; otherwise small pages would just cost more calls.
    if (allPushed && info.nOrderBy === 0) {
      for (const l of limits) {
        info.aConstraintUsage[l.i]!.argvIndex = ++argv;
        plan.keys.push(l.key);
      }
    }
    const missingRequired = missingRequiredKey(this.table, (c) => provided.has(c)) !== undefined;
    const scan = this.table.scanCost ?? 1e4;
    if (missingRequired) {
      info.estimatedCost = 1e12;
      info.estimatedRows = 1e9;
    } else if (hasId) {
      info.estimatedCost = 10;
      info.estimatedRows = 1;
      info.idxFlags = SQLITE_INDEX_SCAN_UNIQUE;
    } else if (lookup) {
      info.estimatedCost = 100;
      info.estimatedRows = 50;
    } else {
      info.estimatedCost = narrowed ? scan / 10 : scan;
      info.estimatedRows = narrowed ? 100 : 1000;
    }
    info.idxStr = JSON.stringify(plan);
    return SQLITE_OK;
  }

  xOpen(_pVTab: number, pCursor: number): number {
    // Every field from the start: one hidden class for every cursor. A field added later makes a hidden class of
    // its own, which V8 drops once no cursor has it, deoptimizing the code that read it (as Filter.specimen says).
    this.cursors.set(pCursor, { rows: [], index: 0, exhausted: true, iterator: undefined, op: undefined });
    return SQLITE_OK;
  }

  xClose(pCursor: number): number {
    const c = this.cursors.get(pCursor);
    this.cursors.delete(pCursor);
    // Let an abandoned generator run its finally blocks (no I/O is awaited here).
    void c?.iterator?.return?.(undefined).catch(() => undefined);
    return SQLITE_OK;
  }

  xFilter(pCursor: number, _idxNum: number, idxStr: string | null, values: number[]): number {
    const c = this.cursors.get(pCursor)!;
    if (!c.op) {
      // First call: read the values (allowed now, not during the replay) and start the listing.
      try {
        const { filter, key } = readFilter(this.sqlite3, this.table, idxStr, values);
        const missing = missingRequiredKey(this.table, (col) => filter.eq(col) !== undefined);
        if (missing) throw missingKeyError(this.table, missing);
        const held = this.host.held?.(key);
        // Read whole earlier in this statement (sync-route.ts): served from memory, nothing to await.
        if (held) return serveRows(c, held as Row[]);
        const ctx = this.host.context(this.table);
        // Its only page is in memory (came inline or answered): no await, so no asyncify unwind and rewind
        // and no promise per layer, which were most of a comments + replies join's time (issue 11).
        const ready = selectRowsInMemory(this.table, ctx, filter);
        if (ready) return serveRows(c, ready);
        c.iterator = selectRows(this.table, ctx, filter)[Symbol.asyncIterator]();
        c.rows = [];
        c.index = 0;
        c.exhausted = false;
      } catch (e) {
        this.host.fail(toIgsqlError(e));
        return SQLITE_ERROR;
      }
    }
    return this.fetchPage(c);
  }

  xNext(pCursor: number): number {
    const c = this.cursors.get(pCursor)!;
    if (!c.op) {
      c.index++;
      if (c.index < c.rows.length || c.exhausted) return SQLITE_OK;
    }
    return this.fetchPage(c);
  }

  xEof(pCursor: number): number {
    const c = this.cursors.get(pCursor)!;
    return c.index >= c.rows.length ? 1 : 0;
  }

  /** Hook for writable tables: remembers the rows a statement read (UPDATE compares against them). */
  protected onRow(_row: Row): void {}

  xColumn(pCursor: number, pContext: number, iCol: number): number {
    const c = this.cursors.get(pCursor)!;
    const row = c.rows[c.index];
    if (row && iCol === 0) this.onRow(row);
    const v = sqlValue(row?.[this.columnNames[iCol]!], this.table.columns[iCol]!.type);
    if (v === null) this.sqlite3.result_null(pContext);
    else this.sqlite3.result(pContext, v);
    return SQLITE_OK;
  }

  /** One number per row for the whole statement: an OR plan (a cursor per branch) drops rows whose rowid it saw. */
  xRowid(pCursor: number, pRowid: DataView): number {
    const c = this.cursors.get(pCursor)!;
    const identity = rowIdentity(this.table, c.rows[c.index]);
    let rowid = this.rowids.get(identity);
    if (rowid === undefined) this.rowids.set(identity, (rowid = this.rowids.size + 1));
    pRowid.setBigInt64(0, BigInt(rowid), true);
    return SQLITE_OK;
  }

  /** Pulls the next non-empty page; the await happens inside handleAsync, the page is applied on the replay. */
  private fetchPage(c: Cursor): number {
    if (!c.op) {
      const op: PendingOp<IteratorResult<Row[]>> = { done: false, value: undefined, error: undefined };
      c.op = op;
      const it = c.iterator!;
      (this as unknown as AsyncModule).handleAsync(async () => {
        try {
          for (;;) {
            const r = await it.next();
            if (r.done || r.value.length) { op.value = r; break; }
          }
        } catch (e) {
          op.error = e;
        }
        op.done = true;
        return SQLITE_OK; // never reject: a rejected promise would leave SQLite suspended forever
      });
      if (!op.done) return SQLITE_OK; // unwinding: SQLite ignores this value
    } else {
      (this as unknown as AsyncModule).handleAsync(async () => SQLITE_OK); // the replay: returns the settled value
    }
    const op = c.op!;
    c.op = undefined;
    if (op.error !== undefined) {
      c.rows = [];
      c.index = 0;
      c.exhausted = true;
      this.host.fail(toIgsqlError(op.error));
      return SQLITE_ERROR;
    }
    const r = op.value!;
    c.rows = r.done ? [] : r.value;
    c.index = 0;
    c.exhausted = !!r.done;
    return SQLITE_OK;
  }
}

/** Points the cursor at rows already in memory: all of its rows, nothing left to fetch. */
function serveRows(c: Cursor, rows: Row[]): number {
  c.iterator = undefined;
  c.rows = rows;
  c.index = 0;
  c.exhausted = true;
  return SQLITE_OK;
}

// The plans of the statements running (an inner table's xFilter reads the same idxStr once per outer row).
const PLANS = new Map<string, Plan>();

function parsePlan(idxStr: string): Plan {
  let plan = PLANS.get(idxStr);
  if (!plan) {
    if (PLANS.size >= 256) PLANS.clear();
    PLANS.set(idxStr, (plan = JSON.parse(idxStr) as Plan));
  }
  return plan;
}

/**
 * What an xFilter call asks for: the typed filter (LIMIT and OFFSET pushed as a page-size hint), and a key
 * naming the same request in any instance of either build (the plan's text and the values' types and text).
 * Reads SQLite values, so only on the first call of an asyncify method, never during its replay.
 */
export function readFilter(sqlite3: SQLiteAPI, table: TableDef, idxStr: string | null, values: ArrayLike<number>): { filter: Filter; key: () => string } {
  const plan = parsePlan(idxStr ?? '{"keys":[]}');
  const keys: Array<{ column: string; op: KeyOp; value: SqlValue }> = [];
  const read: SqlValue[] = [];
  let limit: number | undefined;
  let offset = 0;
  plan.keys.forEach((k, i) => {
    const v = readValue(sqlite3, values[i]!, typeof k === 'string' ? undefined : table.columns.find((c) => c.name === k.column));
    read.push(v);
    const n = typeof v === 'number' || typeof v === 'bigint' ? Number(v) : undefined;
    if (k === 'LIMIT') limit = n;
    else if (k === 'OFFSET') offset = Math.max(0, n ?? 0);
    else keys.push({ column: k.column, op: k.op, value: v });
  });
  // SQLite skips OFFSET rows itself, so the rows needed are LIMIT + OFFSET.
  const filter = toFilter(table, keys, limit === undefined || limit < 0 ? undefined : limit + offset);
  // The key of the listings a statement holds whole (sync-route.ts), built only when asked: an inner table's
  // xFilter runs once per outer row, and most statements hold nothing.
  const key = () => [table.name, idxStr ?? '', ...read.map((v) => `${typeof v}:${v instanceof Uint8Array ? Array.from(v).join(',') : String(v)}`)].join('\u0000');
  return { filter, key };
}

/** The required key (or "A or B" for a group) that `has` lacks, if any. */
export function missingRequiredKey(table: TableDef, has: (column: string) => boolean): string | undefined {
  for (const cols of requiredGroups(table)) if (!cols.some(has)) return cols.join(' or ');
  return undefined;
}

// Per table, once (checked on every xFilter, once per outer row of a join).
const REQUIRED = new WeakMap<TableDef, string[][]>();

function requiredGroups(table: TableDef): string[][] {
  let found = REQUIRED.get(table);
  if (!found) {
    const groups = new Map<string, string[]>();
    for (const c of table.columns) {
      if (!c.required) continue;
      const g = c.required === true ? c.name : c.required;
      groups.set(g, [...(groups.get(g) ?? []), c.name]);
    }
    REQUIRED.set(table, (found = [...groups.values()]));
  }
  return found;
}

export function missingKeyError(table: TableDef, columns: string): IgsqlError {
  const first = columns.split(' or ')[0]!;
  return new IgsqlError(
    'MISSING_KEY',
    `${table.name} needs a filter on ${columns}: add WHERE ${first} = '…' (or ${first} IN (…), or join on ${first}).`,
    { suggestions: columns.split(' or ') },
  );
}
