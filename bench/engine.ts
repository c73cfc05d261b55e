/**
 * The engine's own cost, without the network (issue 11 §5). The same 100 000 rows, the same GROUP BY + window
 * function, on: wa-sqlite's synchronous build over a plain table, the asyncify build over a plain table, the
 * asyncify build over a virtual table paged 100 rows at a time (the path every statement took before), our
 * engine's path (statements that read their listings whole run in the synchronous build: sync-route.ts), and
 * native better-sqlite3 when it is installed. Then where the asyncify path's time goes, in microbenchmarks
 * (each query over plain and virtual tables in both builds). Minimum of --reps runs after a warm-up run.
 * Run: npm run bench:engine [-- --rows 100000 --reps 9]; `--only before|after` runs one path of the engine
 * (for `node --cpu-prof out/bench/engine.js --only after`).
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { Engine } from '../src/core/engine/engine';
import type { TableDef } from '../src/core/schema/types';
import { QueryContext } from '../src/core/context';
import { loadSqlite, loadSqliteSync, type SQLiteAPI } from '../src/core/engine/sqlite';
import { HeldTableModule } from '../src/core/engine/vtab-held';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, reps: { type: 'string', default: '9' }, only: { type: 'string' } } });
const N = Number(values.rows);
const REPS = Number(values.reps);
const TYPES = ['IMAGE', 'VIDEO', 'CAROUSEL_ALBUM'];
const row = (j: number) => ({ Id: String(17900000000000000 + j), MediaType: TYPES[j % 3]!, LikeCount: (j * 7919) % 10007 });

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
    for (let i = 0; i < N; i += 100) {
      const page = [];
      for (let j = i; j < Math.min(N, i + 100); j++) page.push(row(j));
      yield page;
    }
  },
};

const WINDOW = (from: string) => `SELECT MediaType, count(*), avg(LikeCount), max(r) FROM (SELECT MediaType, LikeCount, row_number() OVER (PARTITION BY MediaType ORDER BY LikeCount DESC) AS r FROM ${from}) GROUP BY MediaType`;
const GROUP = (from: string) => `SELECT MediaType, count(*), avg(LikeCount) FROM ${from} GROUP BY MediaType`;
const SCAN = (from: string) => `SELECT count(Id), sum(LikeCount), count(MediaType) FROM ${from}`;

async function best(f: () => Promise<unknown>): Promise<number> {
  await f();
  let min = Infinity;
  for (let i = 0; i < REPS; i++) {
    const t0 = performance.now();
    await f();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

/** The minimum time of each function over --reps rounds, one call of each per round (after a warm-up round). */
async function interleaved(fs: Array<() => Promise<unknown>>): Promise<number[]> {
  const mins = fs.map(() => Infinity);
  for (const f of fs) await f();
  for (let i = 0; i < REPS; i++) {
    for (const [j, f] of fs.entries()) {
      const t0 = performance.now();
      await f();
      mins[j] = Math.min(mins[j]!, performance.now() - t0);
    }
  }
  return mins;
}

/** A raw instance of one build with a plain table and the virtual table (fed in one page, no Graph). */
async function raw(sqlite3: SQLiteAPI): Promise<{ run: (sql: string) => Promise<unknown> }> {
  const db = await sqlite3.open_v2(':memory:');
  await sqlite3.exec(db, 'CREATE TABLE plain (Id TEXT, MediaType TEXT, LikeCount INTEGER)');
  await sqlite3.exec(db, 'BEGIN');
  for (let i = 0; i < N; i += 1000) {
    const vals: string[] = [];
    for (let j = i; j < Math.min(N, i + 1000); j++) { const r = row(j); vals.push(`('${r.Id}', '${r.MediaType}', ${r.LikeCount})`); }
    await sqlite3.exec(db, `INSERT INTO plain VALUES ${vals.join(',')}`);
  }
  await sqlite3.exec(db, 'COMMIT');
  // The engine's own virtual-table class (declaration, xColumn, value conversion), its rows held in memory:
  // the per-row cost of the virtual-table calls in each build.
  const rows = Array.from({ length: N }, (_, j) => row(j));
  const host = { planning() {}, fail() {}, context: () => { throw new Error('no Graph'); }, held: () => rows };
  const held = new HeldTableModule(sqlite3, Synthetic, { ...host, missing() {} });
  sqlite3.create_module(db, 'held', held);
  return { run: (sql) => sqlite3.exec(db, sql, () => undefined) };
}

async function engineWith(synchronousBuild: boolean): Promise<Engine> {
  return Engine.create({
    tables: [Synthetic],
    provider: { forTable: (t, r) => new QueryContext({ graph: undefined as never, pageSize: 100, apiVersion: 'v24.0', businessAccounts: async () => [], grantedScopes: async () => [], now: Date.now }, t, r) },
    maxRows: -1,
    synchronousBuild,
  });
}

async function all(engine: Engine, sql: string): Promise<unknown[][]> {
  const res = await engine.query(sql);
  const out: unknown[][] = [];
  for await (const r of res.rows) out.push(r);
  return out;
}

async function betterSqlite(sql: string): Promise<number | undefined> {
  let Database: new (path: string) => { exec(s: string): void; prepare(s: string): { run(...a: unknown[]): void; all(): unknown[] }; transaction<T extends (...a: never[]) => void>(f: T): T; close(): void };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    Database = require('better-sqlite3');
  } catch {
    return undefined;
  }
  const db = new Database(':memory:');
  db.exec('CREATE TABLE plain (Id TEXT, MediaType TEXT, LikeCount INTEGER)');
  const insert = db.prepare('INSERT INTO plain VALUES (?, ?, ?)');
  db.transaction(() => { for (let j = 0; j < N; j++) { const r = row(j); insert.run(r.Id, r.MediaType, r.LikeCount); } })();
  const ms = await best(async () => db.prepare(sql).all());
  db.close();
  return ms;
}

const fmt = (ms: number) => `${ms.toFixed(0).padStart(6)} ms ${String(Math.round(N / (ms / 1000))).padStart(9)} rows/s`;

async function main() {
  if (values.only) {
    const engine = await engineWith(values.only === 'after');
    const ms = await best(() => all(engine, WINDOW('Synthetic')));
    console.log(`${values.only}: ${fmt(ms)}`);
    await engine.close();
    return;
  }
  console.log(`${N} rows, minimum of ${REPS} runs; load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const t0 = performance.now();
  const syncApi = await loadSqliteSync();
  const t1 = performance.now();
  const asyncApi = await loadSqlite();
  const t2 = performance.now();
  console.log(`first load in this process (read, compile, instantiate): synchronous build ${(t1 - t0).toFixed(1)} ms, asyncify build ${(t2 - t1).toFixed(1)} ms`);
  const syncBuild = await raw(syncApi);
  const asyncBuild = await raw(asyncApi);
  const before = await engineWith(false);
  const ours = await engineWith(true);
  const same = JSON.stringify(await all(before, WINDOW('Synthetic')), (_, v) => (typeof v === 'bigint' ? `${v}n` : v)) ===
    JSON.stringify(await all(ours, WINDOW('Synthetic')), (_, v) => (typeof v === 'bigint' ? `${v}n` : v));

  console.log('\nGROUP BY + window function (the four runs interleaved, so load changes touch each alike)');
  const [sync, asyncPlain, asyncVtab, ourPath] = await interleaved([
    () => syncBuild.run(WINDOW('plain')),
    () => asyncBuild.run(WINDOW('plain')),
    () => all(before, WINDOW('Synthetic')),
    () => all(ours, WINDOW('Synthetic')),
  ]) as [number, number, number, number];
  const native = await betterSqlite(WINDOW('plain'));
  console.log(`synchronous build, plain table        ${fmt(sync)}`);
  console.log(`asyncify build, plain table           ${fmt(asyncPlain)}  ${(asyncPlain / sync).toFixed(2)}× sync`);
  console.log(`asyncify build, virtual table (before) ${fmt(asyncVtab)}  ${(asyncVtab / sync).toFixed(2)}× sync`);
  console.log(`our path (after)                      ${fmt(ourPath)}  ${(ourPath / sync).toFixed(2)}× sync  (target ≤ 1.50×; same rows as before: ${same})`);
  if (native !== undefined) console.log(`better-sqlite3 (native)               ${fmt(native)}  our path ${(ourPath / native).toFixed(2)}× native`);
  else console.log('better-sqlite3 (native)               not installed');

  console.log('\nWhere the asyncify path goes (same queries, both builds; "held" = our virtual table over rows in memory)');
  for (const [name, q] of [['window + GROUP BY', WINDOW], ['GROUP BY', GROUP], ['scan, 3 columns', SCAN]] as const) {
    const sp = await best(() => syncBuild.run(q('plain')));
    const sv = await best(() => syncBuild.run(q('held')));
    const ap = await best(() => asyncBuild.run(q('plain')));
    const av = await best(() => asyncBuild.run(q('held')));
    console.log(`${name.padEnd(18)} sync plain ${sp.toFixed(0).padStart(5)} · sync virtual ${sv.toFixed(0).padStart(5)} · async plain ${ap.toFixed(0).padStart(5)} · async virtual ${av.toFixed(0).padStart(5)} ms`);
  }
  const paged = await best(() => all(before, SCAN('Synthetic')));
  const held = await best(() => asyncBuild.run(SCAN('held')));
  console.log(`scan through the engine, asyncify, ${N / 100} pages of 100 (unwind/rewind + pager + session per page): ${paged.toFixed(0)} ms vs one held page ${held.toFixed(0)} ms`);
  console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  await before.close();
  await ours.close();
}

void main();
