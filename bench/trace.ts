/**
 * The request timeline of one query behind the latency proxy: when each Graph request started and ended,
 * relative to connect(). Run: node build.mjs --bench && node out/bench/trace.js "SELECT …" [off] [--warm] [--runs N]
 * `off` turns the read overlap off; `--warm` first runs a query on another connection, so the measured one finds
 * the wasm module compiled, as bench scenario 4 does (its process ran scenarios 1–3 before).
 */
import { connect } from '../src/core';
import { startSandbox } from '../src/sandbox';
import { startProxy } from './proxy';

async function main() {
  const args = process.argv.slice(2);
  const warm = args.includes('--warm');
  // --reuse: one connection for every run, timed from query() (as the bench's scenarios 1–3 run).
  const reuse = args.includes('--reuse');
  let shared: Awaited<ReturnType<typeof connect>> | undefined;
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 1;
  const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs');
  const sql = positional[0]!;
  const overlap = positional[1] !== 'off';
  const sandbox = await startSandbox({ port: 0, accounts: 1, media: 500, latencyMs: 0 });
  const proxy = await startProxy(sandbox.url, Number(process.env.TRACE_LATENCY ?? 100));
  const account = Object.keys(sandbox.summary().accounts)[0]!;
  const connStr = `OAuthAccessToken=sandbox;ApiBaseURL=${proxy.url};BusinessAccountId=${account}`;
  if (warm) {
    const c = await connect(connStr);
    for await (const _ of (await c.query('SELECT Id FROM Media LIMIT 1')).rows) void _;
    await c.close();
  }
  if (reuse) {
    shared = await connect(connStr, { overlap });
    for await (const _ of (await shared.query('SELECT 1')).rows) void _;
  }
  for (let run = 0; run < runs; run++) {
    proxy.clear();
    const t0 = performance.now();
    const conn = shared ? shared : await connect(connStr, { overlap });
    const res = await conn.query(sql);
    let n = 0;
    let first = 0;
    const times: number[] = [];
    for await (const _ of res.rows) { times.push(performance.now() - t0); if (n++ === 0) first = performance.now() - t0; }
    if (process.env.TRACE_ROWS) { const b = new Map<number, number>(); for (const t of times) b.set(Math.floor(t / 10) * 10, (b.get(Math.floor(t / 10) * 10) ?? 0) + 1); console.log('rows by 10 ms:', [...b].map(([k, v]) => `${k}:${v}`).join(' ')); }
    const spans = proxy.spans().sort((a, b) => a.start - b.start);
    console.log(`first row ${first.toFixed(0)} ms after connect(), first request sent at ${(spans[0] ? spans[0].start - t0 : NaN).toFixed(0)} ms; rows ${n}, ${(performance.now() - t0).toFixed(0)} ms`);
    if (runs === 1) for (const s of spans) console.log((s.start - t0).toFixed(0), (s.end - t0).toFixed(0), (process.env.TRACE_FULL ? decodeURIComponent(s.path) : s.path.slice(0, 90)), s.bytes);
    if (!reuse) await conn.close();
  }
  await shared?.close();
  await proxy.close(); await sandbox.close();
}
void main();
