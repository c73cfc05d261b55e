/**
 * The request timeline of one query behind the latency proxy (Graph in its own process, bench/remote.ts): when
 * each Graph request started and ended, relative to connect(). Run:
 *   node build.mjs --bench && node --expose-gc out/bench/trace.js "SELECT …" [off] [--warm] [--reuse] [--runs N] [--rows] [--profile FILE]
 * `off` turns the read overlap off; `--warm` first runs a query on another connection, so the measured one finds
 * the wasm module compiled, as bench scenario 4 does (its process ran scenarios 1–3 before); `--reuse` times
 * every run on one connection from query(), as scenarios 1–3 do; `--rows` prints how many rows came in each
 * 10 ms; `--profile FILE` writes a CPU profile of the last run (sampled from just before its t0). Environment: TRACE_LATENCY (ms, default 100), TRACE_PRIME (statements run first on the --reuse connection, ';'-separated), TRACE_FULL=1 prints whole decoded paths.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { connect, type Connection } from '../src/core';
import { clock, startRemoteGraph } from './remote';
import * as peers from './peers';
import { pacificDayStart } from '../src/core/schema/account-insights-window';

async function main() {
  const args = process.argv.slice(2);
  const warm = args.includes('--warm');
  const reuse = args.includes('--reuse');
  const perRows = args.includes('--rows');
  const runsAt = args.indexOf('--runs');
  const runs = runsAt >= 0 ? Number(args[runsAt + 1]) : 1;
  const positional = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--runs' && args[i - 1] !== '--profile');
  const sql = positional[0]!;
  const overlap = positional[1] !== 'off';
  const graph = await startRemoteGraph({ accounts: 1, media: 500, latencyMs: Number(process.env.TRACE_LATENCY ?? 100) });
  const account = Object.keys((await graph.summary()).accounts)[0]!;
  const connStr = `OAuthAccessToken=sandbox;ApiBaseURL=${graph.url};BusinessAccountId=${account}`;
  const drain = async (c: Connection, q: string) => { for await (const _ of (await c.query(q)).rows) void _; };
  if (warm) {
    const c = await connect(connStr);
    await drain(c, 'SELECT Id FROM Media LIMIT 1');
    await c.close();
  }
  const shared = reuse ? await connect(connStr, { overlap }) : undefined;
  // As the bench's connection: the wasm module compiled, got loaded, one listing read.
  if (shared) await drain(shared, 'SELECT Id FROM Media LIMIT 1');
  // TRACE_PRIME: statements run first on the shared connection, e.g. the bench's earlier scenarios.
  for (const q of (process.env.TRACE_PRIME ?? '').split(';').filter((x) => x.trim())) if (shared) await drain(shared, q);
  // `got:comments`, `got:reach`: the bench's got peers (with field expansion for comments) instead of a query.
  const c = peers.gotClient(graph.url, 'v24.0');
  const until = pacificDayStart(Math.floor(Date.now() / 86_400_000) * 86_400);
  const days = [3, 2, 1].map((i) => ({ since: until - i * 30 * 86400, until: until - (i - 1) * 30 * 86400 }));
  const peer = sql === 'got:comments' ? () => peers.commentsGotExpanded(c, account) : sql === 'got:reach' ? () => peers.reachGot(c, account, days) : undefined;
  const profileAt = args.indexOf('--profile');
  const session = profileAt >= 0 ? new Session() : undefined;
  if (session) { session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.setSamplingInterval', { interval: 50 }); }
  for (let run = 0; run < runs; run++) {
    await graph.clear();
    // As the bench before each run (node --expose-gc): garbage of earlier runs collected, sweeping done.
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      await graph.gc();
      gc();
      await new Promise((r) => setTimeout(r, 50));
    }
    if (session && run === runs - 1) await session.post('Profiler.start');
    const t0 = clock();
    const t0Mono = Number(process.hrtime.bigint()) / 1e6; // the profile's clock (monotonic), for --profile
    const conn = shared ?? await connect(connStr, { overlap });
    const times: number[] = [];
    if (peer) for (const _ of await peer()) times.push(clock() - t0);
    else for await (const _ of (await conn.query(sql)).rows) times.push(clock() - t0);
    const total = clock() - t0;
    if (session && run === runs - 1) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(args[profileAt + 1]!, JSON.stringify(profile));
      console.log(`profile: t0 is ${(t0Mono - profile.startTime / 1000).toFixed(1)} ms after its start`);
    }
    if (perRows) {
      const buckets = new Map<number, number>();
      for (const t of times) buckets.set(Math.floor(t / 10) * 10, (buckets.get(Math.floor(t / 10) * 10) ?? 0) + 1);
      console.log('rows by 10 ms:', [...buckets].map(([k, v]) => `${k}:${v}`).join(' '));
    }
    const spans = (await graph.spans()).sort((a, b) => a.start - b.start);
    console.log(`first row ${(times[0] ?? NaN).toFixed(0)} ms after connect(), first request sent at ${(spans[0] ? spans[0].start - t0 : NaN).toFixed(1)} ms, last answer at ${(spans.length ? Math.max(...spans.map((s) => s.end)) - t0 : NaN).toFixed(1)} ms; rows ${times.length}, ${total.toFixed(1)} ms`);
    if (spans.length > 1) console.log(`  between: ${spans.slice(1).map((s, i) => (s.start - spans[i]!.end).toFixed(1)).join(', ')} ms from an answer to the next request; after the last answer ${(t0 + total - Math.max(...spans.map((s) => s.end))).toFixed(1)} ms`);
    if (runs === 1 || (session && run === runs - 1)) for (const s of spans) console.log((s.start - t0).toFixed(0), (s.end - t0).toFixed(0), process.env.TRACE_FULL ? decodeURIComponent(s.path) : s.path.slice(0, 90), s.bytes);
    if (!shared) await conn.close();
  }
  await shared?.close();
  await graph.close();
}
void main();
