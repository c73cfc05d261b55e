/**
 * The virtual-table engine's own cost, without the network: a GROUP BY + window function over N rows served
 * by a virtual table (paged 100 rows at a time through the asyncify bridge) next to the same query over a
 * plain SQLite table holding the same rows. Run: npm run bench:engine [-- --rows 100000]
 */
import { parseArgs } from 'node:util';
import { Engine } from '../src/core/engine/engine';
import type { TableDef } from '../src/core/schema/types';
import { QueryContext } from '../src/core/context';
import { readFileSync } from 'node:fs';
import SQLiteESMFactory from 'wa-sqlite/dist/wa-sqlite.mjs';
import * as SQLite from 'wa-sqlite';

/**
 * The same query on wa-sqlite's synchronous build (no asyncify), over a plain table holding the same rows:
 * what the asyncify build costs by itself (issue 11 §5).
 */
async function synchronousBuild(sql: string): Promise<{ ms: number; rows: number }> {
  const module = await SQLiteESMFactory({ wasmBinary: readFileSync(require.resolve('wa-sqlite/dist/wa-sqlite.wasm')) });
  const sqlite3 = SQLite.Factory(module);
  const db = await sqlite3.open_v2(':memory:');
  await sqlite3.exec(db, 'CREATE TABLE plain (Id TEXT, MediaType TEXT, LikeCount INTEGER)');
  const types = ['IMAGE', 'VIDEO', 'CAROUSEL_ALBUM'];
  await sqlite3.exec(db, 'BEGIN');
  for (let i = 0; i < N; i += 1000) {
    const values: string[] = [];
    for (let j = i; j < Math.min(N, i + 1000); j++) values.push(`('${17900000000000000 + j}', '${types[j % 3]}', ${(j * 7919) % 10007})`);
    await sqlite3.exec(db, `INSERT INTO plain VALUES ${values.join(',')}`);
  }
  await sqlite3.exec(db, 'COMMIT');
  const t0 = performance.now();
  let rows = 0;
  await sqlite3.exec(db, sql, () => { rows++; });
  const ms = performance.now() - t0;
  await sqlite3.close(db);
  return { ms, rows };
}

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' } } });
const N = Number(values.rows);

const Synthetic: TableDef = {
  name: 'Synthetic',
  kind: 'view',
  description: 'N generated rows',
  scopes: [],
  columns: [
    { name: 'Id', type: 'String', description: '' },
    { name: 'MediaType', type: 'String', description: '' },
    { name: 'LikeCount', type: 'Integer', description: '' },
  ],
  async *list() {
    const types = ['IMAGE', 'VIDEO', 'CAROUSEL_ALBUM'];
    for (let i = 0; i < N; i += 100) {
      const page = [];
      for (let j = i; j < Math.min(N, i + 100); j++) page.push({ Id: String(17900000000000000 + j), MediaType: types[j % 3]!, LikeCount: (j * 7919) % 10007 });
      yield page;
    }
  },
};

async function run(engine: Engine, sql: string): Promise<{ ms: number; rows: number }> {
  const t0 = performance.now();
  const res = await engine.query(sql);
  let rows = 0;
  for await (const _ of res.rows) rows++;
  return { ms: performance.now() - t0, rows };
}

async function main() {
  const engine = await Engine.create({
    tables: [Synthetic],
    provider: { forTable: (t, r) => new QueryContext({ graph: undefined as never, pageSize: 100, apiVersion: 'v24.0', businessAccounts: async () => [], grantedScopes: async () => [], now: Date.now }, t, r) },
    maxRows: -1,
  });
  const q = (from: string) => `SELECT MediaType, count(*), avg(LikeCount), max(r) FROM (SELECT MediaType, LikeCount, row_number() OVER (PARTITION BY MediaType ORDER BY LikeCount DESC) AS r FROM ${from}) GROUP BY MediaType`;
  await run(engine, 'CREATE TEMP TABLE plain AS SELECT * FROM Synthetic');
  const v = await run(engine, q('Synthetic'));
  const p = await run(engine, q('temp.plain'));
  console.log(`${N} rows, GROUP BY + window function`);
  console.log(`virtual table: ${v.ms.toFixed(0)} ms (${Math.round(N / (v.ms / 1000))} rows/s)`);
  console.log(`plain table:   ${p.ms.toFixed(0)} ms (${Math.round(N / (p.ms / 1000))} rows/s)`);
  console.log(`ratio virtual/plain: ${(v.ms / p.ms).toFixed(2)}`);
  const sync = await synchronousBuild(q('plain'));
  console.log(`plain table, wa-sqlite synchronous build: ${sync.ms.toFixed(0)} ms (${Math.round(N / (sync.ms / 1000))} rows/s)`);
  console.log(`ratio asyncify virtual / synchronous plain: ${(v.ms / sync.ms).toFixed(2)}; asyncify plain / synchronous plain: ${(p.ms / sync.ms).toFixed(2)}`);
  await engine.close();
}

void main();
