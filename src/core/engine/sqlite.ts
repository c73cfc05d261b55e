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

type Build = 'wa-sqlite-async.wasm' | 'wa-sqlite.wasm';

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

function compiledModule(file: Build): Promise<WebAssembly.Module> {
  let p = compiled.get(file);
  if (!p) {
    p = Promise.resolve().then(() => WebAssembly.compile(findWasm(file) as Uint8Array<ArrayBuffer>));
    compiled.set(file, p);
    p.catch(() => compiled.delete(file));
  }
  return p;
}

type Factory = (config: object) => Promise<unknown>;

async function instantiate(file: Build, factory: Factory): Promise<SQLiteAPI> {
  const wasm = await compiledModule(file);
  const module = await factory({
    // Emscripten's hook for bringing one's own instance: instantiate the cached module with its imports.
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      void WebAssembly.instantiate(wasm, imports).then((instance) => receive(instance, wasm));
      return {};
    },
  });
  return SQLite.Factory(module);
}

/** The asyncify build: virtual-table methods may await (handleAsync). */
export function loadSqlite(): Promise<SQLiteAPI> {
  return instantiate('wa-sqlite-async.wasm', SQLiteAsyncESMFactory as Factory);
}

/** The synchronous build, loaded on first use (its JS glue is imported then too). */
export async function loadSqliteSync(): Promise<SQLiteAPI> {
  const { default: factory } = await import('wa-sqlite/dist/wa-sqlite.mjs');
  return instantiate('wa-sqlite.wasm', factory as Factory);
}
