/**
 * The virtual-table engine's own cost, without the network: a GROUP BY + window function over N rows served
 * by a virtual table (paged 100 rows at a time through the asyncify bridge) next to the same query over a
 * plain SQLite table holding the same rows. Run: npm run bench:engine [-- --rows 100000]
 */
import { parseArgs } from 'node:util';
import { Engine } from '../src/core/engine/engine';
import type { TableDef } from '../src/core/schema/types';
import { QueryContext } from '../src/core/context';

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
  await engine.close();
}

void main();
