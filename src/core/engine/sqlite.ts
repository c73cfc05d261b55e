/**
 * Loads wa-sqlite's asyncify build (DESIGN §3, §9). Each engine gets its own WebAssembly instance: asyncify
 * allows one suspended call at a time per instance, so connections must not share one.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLiteAsyncESMFactory from 'wa-sqlite/dist/wa-sqlite-async.mjs';
import * as SQLite from 'wa-sqlite';

export type SQLiteAPI = ReturnType<typeof SQLite.Factory>;

let wasmBinary: Uint8Array | undefined;

/** The .wasm ships beside the bundle in dist/; in development it comes from node_modules. */
function findWasm(): Uint8Array {
  if (wasmBinary) return wasmBinary;
  const candidates = [join(__dirname, 'wa-sqlite-async.wasm'), join(__dirname, '..', 'dist', 'wa-sqlite-async.wasm'), join(__dirname, '..', '..', 'dist', 'wa-sqlite-async.wasm')];
  for (const c of candidates) {
    if (existsSync(c)) return (wasmBinary = readFileSync(c));
  }
  try {
    return (wasmBinary = readFileSync(require.resolve('wa-sqlite/dist/wa-sqlite-async.wasm')));
  } catch {
    throw new Error(`wa-sqlite-async.wasm not found (looked in ${candidates.join(', ')}). Rebuild with 'npm run build'.`);
  }
}

/**
 * The compiled module, once per process: each engine still gets its own instance (its own memory and
 * asyncify state), but compiling the 1 MB asyncify build again for every connection would cost each one
 * tens of milliseconds before its first query.
 */
let compiled: Promise<WebAssembly.Module> | undefined;

export function compiledModule(): Promise<WebAssembly.Module> {
  compiled ??= WebAssembly.compile(findWasm() as Uint8Array<ArrayBuffer>);
  compiled.catch(() => (compiled = undefined));
  return compiled;
}

export async function loadSqlite(): Promise<SQLiteAPI> {
  const wasm = await compiledModule();
  const module = await SQLiteAsyncESMFactory({
    // Emscripten's hook for bringing one's own instance: instantiate the cached module with its imports.
    instantiateWasm(imports: WebAssembly.Imports, receive: (instance: WebAssembly.Instance, module: WebAssembly.Module) => void) {
      void WebAssembly.instantiate(wasm, imports).then((instance) => receive(instance, wasm));
      return {};
    },
  });
  return SQLite.Factory(module);
}
