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

export async function loadSqlite(): Promise<SQLiteAPI> {
  const module = await SQLiteAsyncESMFactory({ wasmBinary: findWasm() });
  return SQLite.Factory(module);
}
