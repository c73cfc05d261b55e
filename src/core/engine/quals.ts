/**
 * The typed key layer between SQLite and the fetchers (DESIGN §10, Steampipe's typed quals): the values SQLite
 * hands xFilter are converted here, once, by the column's declared type, so no fetcher parses a value itself.
 * - String columns (ids): text, whatever SQLite passed (an INTEGER or REAL id is its decimal text; a TEXT value
 *   keeps its full bytes, including a NUL that would otherwise cut it short).
 * - Datetime columns: SQLite compares them as TEXT ('2026-11-20T10:00:00Z'), so a bound is read the way that
 *   comparison reads it: a value without a zone is UTC, and any other shape ('2026-11-20', '2026-11-20 10:00',
 *   '…+02:00', 1700000000) names the instant its text sorts at, so the bound holds every row the text
 *   comparison keeps. The host's time zone never enters. SQLite re-checks every term (omit = false), so a
 *   bound may be a second wide but must never exclude a row the text comparison keeps.
 * - A comparison with NULL is never true: the table is not read at all.
 * Then `selectRows` dispatches: the table's `get` when its key is given with `=`, else its `list`, and keeps
 * only the rows the table's `belongs` rule accepts, whichever path produced them.
 */
import type { KeyOp, SqlValue } from '../api';
import type { SQLiteAPI } from './sqlite';
import { sqlValue } from './coerce';
import { Filter, type ColumnDef, type KeyConstraint, type Row, type TableContext, type TableDef } from '../schema/types';

const SQLITE_FLOAT = 2;
const SQLITE_TEXT = 3;
const utf8 = new TextDecoder('utf-8');

/**
 * A value as SQLite holds it. TEXT is read with its byte length: wa-sqlite's value_text stops at the first NUL
 * (measured: 'ZQ' || char(0) || 'X' arrives as 'ZQ'), and a shortened id would name another object.
 */
export function readValue(sqlite3: SQLiteAPI, pValue: number, column?: ColumnDef): SqlValue {
  const type = sqlite3.value_type(pValue);
  if (type === SQLITE_TEXT) return utf8.decode(sqlite3.value_blob(pValue));
  // An id given as a REAL is compared as SQLite's text of it ('1.79563815500004e+16'), never as a nearby id.
  if (type === SQLITE_FLOAT && column?.type === 'String') return sqlite3.value_text(pValue);
  return sqlite3.value(pValue) as SqlValue;
}

/** The operators a column can be pushed down with: its list keys, plus `=` on the key of `get`. */
export function keyOps(table: TableDef, column: string): readonly KeyOp[] {
  const declared = table.columns.find((c) => c.name === column)?.key ?? [];
  return getKey(table) === column && !declared.includes('=') ? [...declared, '='] : declared;
}

/** The column `get` is keyed by, when the table has a get. */
export function getKey(table: TableDef): string | undefined {
  return table.get ? table.get.key ?? 'Id' : undefined;
}

/**
 * What makes a row this row (its rowid's source, vtab.ts): the object's id for a table of objects (a media looked
 * up by id carries fields its listing row lacks), else the values SQLite reads from it.
 */
export function rowIdentity(table: TableDef, row: Row | undefined): string {
  if (!row) return '';
  const key = getKey(table);
  const values = key !== undefined ? [row[key]] : table.columns.map((c) => sqlValue(row[c.name], c.type));
  return values.map((v) => `${typeof v}:${String(v)}`).join('\u0000');
}

/** SQLite's text form of a number (what a TEXT-affinity comparison converts it to). */
function sqlText(v: SqlValue): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 63 ? BigInt(v).toString() : String(v);
  return '';
}

// Datetime bounds. Rows carry canonical UTC text, 'YYYY-MM-DDTHH:MM:SSZ' (schema/common.ts isoTime), and
// canonical texts sort as their instants do, so "the row's text passes `op value`" is monotone in the instant:
// a binary search over 1970..9999 finds the exact first (or last) instant SQLite's text comparison accepts.
const LAST = Math.floor(Date.UTC(9999, 11, 31, 23, 59, 59) / 1000);

function canonical(t: number): string {
  return new Date(t * 1000).toISOString().slice(0, 19) + 'Z';
}

function passes(t: number, op: KeyOp, s: string): boolean {
  const c = canonical(t);
  switch (op) {
    case '>': return c > s;
    case '>=': return c >= s;
    case '<': return c < s;
    case '<=': return c <= s;
    default: return true;
  }
}

/**
 * The instant a value names in SQLite's text order: the first second whose canonical UTC text is not before
 * it ('2026-03-05' and '2026-03-05T00:00:00' name 2026-03-05T00:00:00Z; '2026-03-05 10:00' names 03-05T00:00:00Z
 * too, since ' ' sorts before 'T'). undefined: after every instant up to year 9999.
 */
export function textInstant(value: SqlValue): number | undefined {
  const s = sqlText(value);
  // A canonical text names its own instant (the usual case: no search, which asks Date ~80 times).
  const exact = s.length === 20 ? Date.parse(s) / 1000 : NaN;
  if (Number.isInteger(exact) && exact >= 0 && exact <= LAST && canonical(exact) === s) return exact;
  if (!passes(LAST, '>=', s)) return undefined;
  if (passes(0, '>=', s)) return 0;
  let lo = 0, hi = LAST; // passes(hi), !passes(lo)
  while (hi - lo > 1) { const mid = Math.floor((lo + hi) / 2); if (passes(mid, '>=', s)) hi = mid; else lo = mid; }
  return hi;
}

/**
 * Bounds (unix seconds, inclusive) that hold every instant whose canonical text passes `op value`: both are
 * the instant the value names (exact for `>=` and `<`, one second wide for `>` and `<=` of a full timestamp,
 * which SQLite's own check then removes). `empty` when no instant passes. A lower bound at 1970 is no bound.
 */
export function timeBounds(op: KeyOp, value: SqlValue): { lower?: number; upper?: number; empty?: boolean } {
  if (value === null || op === '=') return {};
  const s = sqlText(value);
  const t = textInstant(value);
  if (op === '>' || op === '>=') return !passes(LAST, op, s) ? { empty: true } : t ? { lower: t } : {};
  if (!passes(0, op, s)) return { empty: true };
  return t === undefined ? {} : { upper: t };
}

/** Converts the constraints SQLite passed into the typed Filter fetchers read. */
export function toFilter(table: TableDef, raw: ReadonlyArray<{ column: string; op: KeyOp; value: SqlValue }>, limit?: number): Filter {
  const keys: KeyConstraint[] = [];
  let none = false;
  for (const k of raw) {
    const type = table.columns.find((c) => c.name === k.column)?.type;
    if (k.value === null) none = true;
    if (type === 'Datetime' && k.value !== null && typeof k.value !== 'string') {
      // A number or a BLOB: SQLite compares a plain number as text, a CAST or a numeric column's value as a
      // number (every text follows it), a BLOB after every text, and the table cannot tell which. No bound:
      // the rows are read as without it and SQLite's own check (omit is false) decides.
      keys.push({ column: k.column, op: k.op, value: k.value, time: {} });
    } else if (type === 'Datetime') {
      const time = timeBounds(k.op, k.value);
      if (time.empty) none = true;
      keys.push({ column: k.column, op: k.op, value: k.value === null ? null : sqlText(k.value), time });
    } else if (type === 'String' && k.value instanceof Uint8Array) {
      if (k.op === '=') none = true; // a BLOB equals no text
      keys.push({ column: k.column, op: k.op, value: k.value });
    } else if (type === 'String') {
      keys.push({ column: k.column, op: k.op, value: k.value === null ? null : sqlText(k.value) });
    } else {
      const n = typeof k.value === 'bigint' ? Number(k.value) : k.value;
      keys.push({ column: k.column, op: k.op, value: typeof n === 'string' && n.trim() !== '' && Number.isFinite(Number(n)) ? Number(n) : n });
    }
  }
  return new Filter(keys, limit, none);
}

/**
 * selectRows' answer when it is already in memory (TableContext.rowsInMemory): only for a listing (a lookup by
 * id goes to `get`), with the same `belongs` rule. undefined: selectRows must read it.
 */
export function selectRowsInMemory(table: TableDef, ctx: TableContext, filter: Filter): Row[] | undefined {
  if (filter.none) return [];
  const key = getKey(table);
  if (key !== undefined && filter.eq(key) !== undefined) return undefined;
  // The rule needs the accounts now: when only a request can tell them, the usual path asks.
  const accounts = table.belongs ? ctx.namedAccounts(filter) : undefined;
  if (table.belongs && !accounts) return undefined;
  const rows = ctx.rowsInMemory(filter);
  if (!rows || !accounts) return rows;
  const scope = scopeOf(accounts);
  return rows.filter((r) => table.belongs!(r, scope));
}

// One Set per account list (the connection's list is the same array for every row of a join).
const SCOPES = new WeakMap<readonly string[], { accounts: ReadonlySet<string> }>();

function scopeOf(ids: readonly string[]): { accounts: ReadonlySet<string> } {
  let scope = SCOPES.get(ids);
  if (!scope) SCOPES.set(ids, (scope = { accounts: new Set(ids) }));
  return scope;
}

/**
 * The rows of a table for a filter: `get` when its key is given with `=` (one object by id), else `list`;
 * both go through the table's `belongs` rule, so a lookup never returns a row the listing would not
 * (e.g. a story looked up in Media).
 */
export async function* selectRows(table: TableDef, ctx: TableContext, filter: Filter): AsyncGenerator<Row[]> {
  if (filter.none) return;
  const key = getKey(table);
  const id = key !== undefined ? filter.eq(key) : undefined;
  if (table.get && id === '') return; // no object has an empty id
  const source = table.get && id !== undefined && id !== null
    ? (async function* () { const row = await table.get!.row(ctx, String(id), filter); if (row) yield [row]; })()
    : table.list(ctx, filter);
  if (!table.belongs) return yield* source;
  // Asked with the rows, not before them: when neither the filter nor the connection names the accounts, the
  // account list and a lookup by id go out together (one round trip, was two).
  const scope = ctx.accounts(filter).then(scopeOf);
  scope.catch(() => undefined);
  for await (const page of source) {
    const s = await scope;
    yield page.filter((r) => table.belongs!(r, s));
  }
  await scope; // its failure is the query's, rows or not
}
