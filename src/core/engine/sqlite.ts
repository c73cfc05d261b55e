/**
 * Loads wa-sqlite's two builds (DESIGN §3, §9). The asyncify build runs every statement that may wait for
 * Graph; the synchronous build (no asyncify instrumentation, measured 4–5× faster on SQLite's own sorting and
 * aggregation, bench/engine.ts) runs read-only statements whose rows are already in memory (sync-route.ts).
 * Each engine gets its own WebAssembly instance of each build it uses: asyncify allows one suspended call at a
 * time per instance, so connections must not share one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLiteAsyncESMFactory from 'wa-sqlite/dist/wa-sqlite-async.mjs';
import * as SQLite from 'wa-sqlite';

export type SQLiteAPI = ReturnType<typeof SQLite.Factory>;

export type Build = 'wa-sqlite-async.wasm' | 'wa-sqlite.wasm';

/** The .wasm ships beside the bundle in dist/; in development it comes from node_modules. */
function findWasm(file: Build): Uint8Array {
  const candidates = [join(__dirname, file), join(__dirname, '..', 'dist', file), join(__dirname, '..', '..', 'dist', file)];
  for (const c of candidates) {
    if (existsSync(c)) return readFileSync(c);
  }
  try {
    return readFileSync(require.resolve(`wa-sqlite/dist/${file}`));
  } catch {
    throw new Error(`${file} not found (looked in ${candidates.join(', ')}). Rebuild with 'npm run build'.`);
  }
}

/**
 * The compiled module of each build, once per process and only when first used: each engine still gets its
 * own instance (its own memory and asyncify state), but compiling the 1 MB asyncify build again for every
 * connection would cost each one tens of milliseconds before its first query, and a CLI run that never needs
 * the synchronous build never reads it.
 */
const compiled = new Map<Build, Promise<WebAssembly.Module>>();

export function compiledModule(file: Build): Promise<WebAssembly.Module> {
  let p = compiled.get(file);
  if (!p) {
    p = Promise.resolve().then(() => WebAssembly.compile(findWasm(file) as Uint8Array<ArrayBuffer>));
    compiled.set(file, p);
    p.catch(() => compiled.delete(file));
  }
  return p;
}

/** The builds compiled so far in this process (tests check that the second one loads only when used). */
export function compiledBuilds(): string[] {
  return [...compiled.keys()];
}

type Factory = (config: object) => Promise<unknown>;

async function instantiate(file: Build, factory: Factory): Promise<SQLiteAPI> {
  instances.set(file, (instances.get(file) ?? 0) + 1);
  const wasm = await compiledModule(file);
  const module = await factory({
    // Emscripten's hook for bringing one's own instance: instantiate the cached module with its imports.
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      void WebAssembly.instantiate(wasm, imports).then((instance) => receive(instance, wasm));
      return {};
    },
  });
  const api = SQLite.Factory(module);
  api.result = directResult(module as RawModule, api.result);
  api.row = directRow(module as RawModule, api);
  heaps.set(api, module as { HEAP8: Int8Array });
  steppers.set(api, stepper(module as RawModule));
  return api;
}

const steppers = new WeakMap<SQLiteAPI, (stmt: number, db: number) => number | Promise<number>>();

/**
 * `sqlite3_step` that answers at once when SQLite did not suspend (every virtual table served from memory),
 * and a promise only when it did. wa-sqlite's `step` wraps every call in promises (its async function, and
 * Emscripten's `ccall` with `async`); a join of 1 216 rows served from memory spent ~6 ms in them (issue 11).
 * The same checks as wa-sqlite's: ROW and DONE pass, any other code throws SQLiteError with SQLite's message.
 */
export function stepNow(api: SQLiteAPI, stmt: number, db: number): number | Promise<number> {
  return steppers.get(api)!(stmt, db);
}

function stepper(m: RawModule): (stmt: number, db: number) => number | Promise<number> {
  const check = (db: number, rc: number): number => {
    if (rc === SQLite.SQLITE_ROW || rc === SQLite.SQLITE_DONE) return rc;
    throw new SQLite.SQLiteError(m.ccall('sqlite3_errmsg', 'string', ['number'], [db]) as string, rc);
  };
  const args = ['number'];
  return (stmt, db) => {
    // Without `async`, Emscripten's ccall returns the number, or a promise of it when the call unwound.
    const r = m.ccall('sqlite3_step', 'number', args, [stmt]) as number | Promise<number>;
    return typeof r === 'number' ? check(db, r) : r.then((rc) => check(db, rc));
  };
}

const instances = new Map<Build, number>();
const heaps = new WeakMap<SQLiteAPI, { HEAP8: Int8Array }>();

/** How many instances of each build this process made (tests check that a closed connection's is reused). */
export function instancesMade(file: Build): number {
  return instances.get(file) ?? 0;
}

/**
 * The asyncify instance of a connection that closed cleanly, for the next connection of the process: a new
 * instance allocates 16.8 MB of wasm memory, which V8 answers with incremental marking steps (measured 11–15
 * ms within the next query's first round trip, after other queries had filled the heap). Kept 30 s, and only
 * while its memory has not grown past 32 MB (wasm memory never shrinks).
 */
let spare: { api: SQLiteAPI; timer: ReturnType<typeof setTimeout> } | undefined;
const SPARE_MS = 30_000;
const SPARE_MAX_BYTES = 32 * 2 ** 20;

/** Offers the instance of a closed connection (its database closed) to the next one. */
export function recycleSqlite(api: SQLiteAPI): void {
  if (spare || (heaps.get(api)?.HEAP8.length ?? Infinity) > SPARE_MAX_BYTES) return;
  const timer = setTimeout(() => {
    if (spare?.api === api) spare = undefined;
  }, SPARE_MS);
  timer.unref?.();
  spare = { api, timer };
}

interface RawModule {
  _sqlite3_result_int(context: number, value: number): void;
  _sqlite3_result_double(context: number, value: number): void;
  _sqlite3_result_text(context: number, text: number, bytes: number, destructor: number): void;
  _sqlite3_result_null(context: number): void;
  _sqlite3_malloc(bytes: number): number;
  _getSqliteFree(): number;
  lengthBytesUTF8(s: string): number;
  stringToUTF8(s: string, at: number, max: number): void;
  ccall(name: string, returns: string, argTypes: string[], args: unknown[]): unknown;
  _sqlite3_data_count(stmt: number): number;
  _sqlite3_column_type(stmt: number, i: number): number;
  _sqlite3_column_text(stmt: number, i: number): number;
  _sqlite3_column_double(stmt: number, i: number): number;
  UTF8ToString(at: number): string;
  HEAPU8: Uint8Array;
}

/**
 * `sqlite3.row` (every row a query returns) on SQLite's exports: wa-sqlite's checks the statement and goes
 * through a wrapper per call (column count, then type and value of each column), ~4 µs a row of a 1 216-row
 * join in a process that had run a few queries (issue 11). Text, NULL and REAL are read here as wa-sqlite reads
 * them (text up to its NUL, as before); INTEGER and BLOB values go through wa-sqlite's own `column`, a blob
 * copied out of wasm memory as its `row` does.
 */
function directRow(m: RawModule, api: SQLiteAPI): SQLiteAPI['row'] {
  return (stmt) => {
    const n = m._sqlite3_data_count(stmt);
    const row: unknown[] = new Array(n);
    for (let i = 0; i < n; i++) {
      const type = m._sqlite3_column_type(stmt, i);
      if (type === SQLite.SQLITE_TEXT) row[i] = m.UTF8ToString(m._sqlite3_column_text(stmt, i));
      else if (type === SQLite.SQLITE_NULL) row[i] = null;
      else if (type === SQLite.SQLITE_FLOAT) row[i] = m._sqlite3_column_double(stmt, i);
      else {
        const v = api.column(stmt, i);
        row[i] = v instanceof Uint8Array && v.buffer === m.HEAPU8.buffer ? v.slice() : v;
      }
    }
    return row as ReturnType<SQLiteAPI['row']>;
  };
}

/**
 * `sqlite3.result` (every xColumn call) without wa-sqlite's cwrap layer, which converts arguments generically
 * on each call (measured ~8 % of a 100 000-row GROUP BY in the synchronous build). The same choices as
 * wa-sqlite's: an int32 as INTEGER, another number as REAL, text NUL-terminated in sqlite3_malloc'd memory
 * that SQLite frees; bigints and blobs go through wa-sqlite's own path.
 */
function directResult(m: RawModule, fallback: SQLiteAPI['result']): SQLiteAPI['result'] {
  const free = m._getSqliteFree();
  return (context, value) => {
    if (typeof value === 'number') {
      if (value === (value | 0)) m._sqlite3_result_int(context, value);
      else m._sqlite3_result_double(context, value);
    } else if (typeof value === 'string') {
      const n = m.lengthBytesUTF8(value);
      const at = m._sqlite3_malloc(n + 1);
      m.stringToUTF8(value, at, n + 1);
      m._sqlite3_result_text(context, at, -1, free);
    } else if (value === null) {
      m._sqlite3_result_null(context);
    } else {
      fallback(context, value);
    }
  };
}

/** The asyncify build: virtual-table methods may await (handleAsync). */
export function loadSqlite(): Promise<SQLiteAPI> {
  const kept = spare;
  if (kept) {
    spare = undefined;
    clearTimeout(kept.timer);
    return Promise.resolve(kept.api);
  }
  return instantiate('wa-sqlite-async.wasm', SQLiteAsyncESMFactory as Factory);
}

/** The synchronous build, loaded on first use (its JS glue is imported then too). */
export async function loadSqliteSync(): Promise<SQLiteAPI> {
  const { default: factory } = await import('wa-sqlite/dist/wa-sqlite.mjs');
  return instantiate('wa-sqlite.wasm', factory as Factory);
}
