/**
 * Speed against the peers, in one run (issue 11): every scenario runs with our core, a `got` loop as a
 * competent user writes it (pool of 8), the same loop with Graph field expansion / `ids=`, and Meta's
 * facebook-nodejs-business-sdk, against one sandbox behind one latency proxy (bench/proxy.ts, in a process of its own: bench/graph-host.ts). Prints HTTP
 * requests (and Graph calls, batch items counted), sequential round trips, wall time, peak heap, the ratio
 * to the best peer and to the round-trip floor; checks every tool returns the same rows; writes
 * bench/RESULTS.md. Run: npm run bench [-- --latency 100 --media 500 --quick --only 4,5 --runs 3]
 * --only runs some scenarios (numbers below) and prints their table without writing RESULTS.md; --quick times
 * the checkout's bin/igsql instead of the CLI installed from its npm tarball (scenario 5) and runs fewer times;
 * --runs reports each tool's run of median wall time out of N (the first, cold one included).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from '../src/core';
import { pacificDayStart } from '../src/core/schema/account-insights-window';
import * as peers from './peers';
import { installPackedCli } from './install';
import { busyTime, roundTrips } from './proxy';
import { clock, startRemoteGraph } from './remote';

const { values } = parseArgs({ options: { latency: { type: 'string', default: '100' }, media: { type: 'string', default: '500' }, quick: { type: 'boolean', default: false }, out: { type: 'string' }, only: { type: 'string' }, runs: { type: 'string', default: '1' } } });
const only = values.only ? new Set(values.only.split(',').map(Number)) : undefined;
const wanted = (n: number) => !only || only.has(n);
/** Each tool runs each scenario this many times; the run of median wall time is reported (a loaded machine is noisy). */
const RUNS = Math.max(1, Number(values.runs) || 1);
const latencyMs = Number(values.latency);
const mediaCount = Number(values.media);
const VERSION = 'v24.0';

interface Measure { tool: string; requests: number; calls: number; trips: number; ms: number; graphMs: number; heapMB: number; kb: number; rows: string[] }
interface Scenario { name: string; floorTrips: number; floorNote: string; results: Measure[]; firstRowMs?: Record<string, number> }

const gc = (globalThis as { gc?: () => void }).gc;

async function main() {
  const loadBefore = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  // Graph (the sandbox behind the latency proxy) in a process of its own, as Graph is not on the tool's thread.
  const graph = await startRemoteGraph({ accounts: 1, media: mediaCount, latencyMs });
  const account = Object.keys((await graph.summary()).accounts)[0]!;
  const c = peers.gotClient(graph.url, VERSION);
  const s = peers.sdk(graph.url, VERSION);
  const connStr = `OAuthAccessToken=sandbox;ApiBaseURL=${graph.url};ApiVersion=${VERSION};BusinessAccountId=${account}`;
  const conn = await connect(connStr);
  // The process state every scenario finds, even when run alone (--only): the wasm module compiled, got loaded.
  for await (const _ of (await conn.query('SELECT Id FROM Media LIMIT 1')).rows) void _;

  async function measure(tool: string, run: () => Promise<string[]>): Promise<Measure> {
    const all: Measure[] = [];
    for (let i = 0; i < RUNS; i++) all.push(await measureOnce(tool, run));
    return all.sort((a, b) => a.ms - b.ms)[Math.floor(all.length / 2)]!;
  }

  async function measureOnce(tool: string, run: () => Promise<string[]>): Promise<Measure> {
    await graph.gc();
    gc?.();
    // The collectors' concurrent sweeping (2 cores) ends before the run starts.
    await new Promise((r) => setTimeout(r, 50));
    const heap0 = process.memoryUsage().heapUsed;
    let peak = heap0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    await graph.clear();
    const t0 = clock();
    const rows = await run();
    const ms = clock() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    // Give a late request (one left running after the answer) the time to show up in the log.
    await new Promise((r) => setTimeout(r, latencyMs + 20));
    const spans = await graph.spans();
    const calls = (await graph.requests()).reduce((n, e) => n + (e.batch?.length ?? 1), 0);
    return { tool, requests: spans.length, calls, trips: roundTrips(spans), ms, graphMs: busyTime(spans, t0, t0 + ms), heapMB: (peak - heap0) / 1e6, kb: spans.reduce((n, sp) => n + sp.bytes, 0) / 1024, rows: rows.sort() };
  }
  const sql = (q: string) => async () => {
    const res = await conn.query(q);
    const out: string[] = [];
    for await (const r of res.rows) out.push((r as unknown[]).map((v) => String(v)).join('|'));
    return out;
  };

  const scenarios: Scenario[] = [];

  // 1. Every media with its insights.
  if (wanted(1)) {
    const q = sql('SELECT m.Id, i.Metric, i.Value FROM Media m JOIN MediaInsights i ON i.MediaId = m.Id');
    const pages = Math.ceil(mediaCount / 100);
    scenarios.push({
      name: `${mediaCount} media + insights`, floorTrips: pages + 1, floorNote: `${pages} listing pages one after another, then the last page's insights`,
      results: [await measure('igsql', q), await measure('got loop', () => peers.insightsGot(c, account)), await measure('got + ids=', () => peers.insightsGotExpanded(c, account)), await measure('business SDK', () => peers.insightsSdk(s, account))],
    });
  }

  // 2. Comments and their replies on the 50 newest media.
  if (wanted(2)) {
    const q = sql('SELECT c.Id, r.Id FROM (SELECT Id FROM Media LIMIT 50) m JOIN Comments c ON c.MediaId = m.Id LEFT JOIN Replies r ON r.CommentId = c.Id');
    const results = [await measure('igsql', q), await measure('got loop', () => peers.commentsGot(c, account)), await measure('got + expansion', () => peers.commentsGotExpanded(c, account)), await measure('business SDK', () => peers.commentsSdk(s, account))];
    // The floor is what the expanded loop needed: one request, plus one round of the nested edges that overflowed.
    scenarios.push({ name: 'comments + replies of the 50 newest media', floorTrips: results[2]!.trips, floorNote: 'nested field expansion, overflowing edges paged in parallel', results });
  }

  // 3. Daily reach over 90 days: three 30-day requests.
  if (wanted(3)) {
    // The sandbox's clock: today's UTC midnight (startSandbox's default `now`).
    const until = pacificDayStart(Math.floor(Date.now() / 86_400_000) * 86_400);
    const spans: peers.DaySpan[] = [];
    // Exactly 30 days each (Graph's limit, counted in seconds), ending at the last Pacific midnight.
    for (let i = 3; i > 0; i--) spans.push({ since: until - i * 30 * 86400, until: until - (i - 1) * 30 * 86400 });
    const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');
    const q = sql(`SELECT EndTime, Value FROM AccountInsights WHERE Metric = 'reach' AND MetricType = 'time_series' AND EndTime > '${iso(spans[0]!.since)}' AND EndTime <= '${iso(until)}'`);
    scenarios.push({
      name: 'daily reach, 90 days', floorTrips: 1, floorNote: 'three 30-day requests at once',
      results: [await measure('igsql', q), await measure('got loop', () => peers.reachGot(c, account, spans)), await measure('business SDK', () => peers.reachSdk(s, account, spans))],
    });
  }

  // 4. Time to the first row of Media LIMIT 10, from connect() (a fresh connection: nothing warmed up).
  if (wanted(4)) {
    // Per run; the report gives their medians (the wall times above are the median run's too).
    const first: Record<'igsql' | 'igsqlSent' | 'got', number[]> = { igsql: [], igsqlSent: [], got: [] };
    const results = [
      await measure('igsql', async () => {
        const t0 = clock();
        const fresh = await connect(connStr);
        const res = await fresh.query('SELECT Id, Caption FROM Media LIMIT 10');
        const out: string[] = [];
        for await (const r of res.rows) {
          if (!out.length) first.igsql.push(clock() - t0);
          out.push(String((r as unknown[])[0]));
        }
        // When the first request left: the part of the wait that is not the network.
        const sent = (await graph.spans()).map((sp) => sp.start).sort((a, b) => a - b)[0];
        if (sent !== undefined) first.igsqlSent.push(sent - t0);
        await fresh.close();
        return out;
      }),
      await measure('got', async () => {
        const t0 = clock();
        const page = await c.get<{ data: Array<{ id: string }> }>(`${account}/media`, { fields: 'id,caption', limit: 10 });
        first.got.push(clock() - t0);
        return page.data.map((m) => m.id);
      }),
    ];
    const median = (t: number[]) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)]!;
    scenarios.push({ name: 'Media LIMIT 10 (first row)', floorTrips: 1, floorNote: 'one request', results, firstRowMs: { igsql: median(first.igsql), igsqlSent: median(first.igsqlSent), got: median(first.got) } });
  }

  await conn.close();
  await graph.close();

  // 5. CLI cold start, through the bin users run: the CLI installed from its npm tarball (--quick: this checkout's).
  interface ColdStart { nodeMs: number; selectMs: number; mediaMs: number; runs: number; what: string }
  let cold: ColdStart | undefined;
  if (wanted(5)) {
    const runs = values.quick ? 3 : 11;
    const installed = values.quick ? undefined : installPackedCli(join(__dirname, '..', '..'));
    // The bin's code cache (bin/igsql) in a folder of this run, so every run starts from the same state.
    const cacheDir = mkdtempSync(join(os.tmpdir(), 'igsql-bench-cache-'));
    try {
      const cli = installed?.bin ?? join(__dirname, '..', '..', 'bin', 'igsql');
      const commands: string[][] = [['-e', '0'], [cli, 'query', 'SELECT 1', '--sandbox'], [cli, 'query', 'SELECT Id, Caption FROM Media LIMIT 10', '--sandbox']];
      // Interleaved, so that a busy moment of the machine weighs on every command alike.
      const times: number[][] = commands.map(() => []);
      for (let i = 0; i < runs; i++) {
        commands.forEach((args, k) => {
          const t0 = performance.now();
          const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, IGSQL_COMPILE_CACHE: cacheDir } });
          if (r.status !== 0) throw new Error(`${args.join(' ')} exited with ${r.status}: ${r.stderr}`);
          times[k]!.push(performance.now() - t0);
        });
      }
      const median = (t: number[]) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!;
      cold = { nodeMs: median(times[0]!), selectMs: median(times[1]!), mediaMs: median(times[2]!), runs, what: installed ? 'installed from the npm tarball' : "this checkout's bin/igsql" };
    } finally {
      installed?.dispose();
      rmSync(cacheDir, { recursive: true, force: true });
    }
  }

  // --- report ---
  const lines: string[] = [];
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  lines.push(`# Bench results`, '', `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpu} × ${os.cpus().length} · ${os.totalmem() / 2 ** 30 | 0} GiB · Node ${process.version} · ${os.platform()} ${os.release()}`);
  lines.push('', `Sandbox: 1 account, ${mediaCount} media, ${latencyMs} ms per HTTP request (latency proxy, bench/proxy.ts; both in a process of their own, bench/graph-host.ts). Peers: \`got\` with a pool of ${peers.POOL}; the same with field expansion / \`ids=\`; facebook-nodejs-business-sdk (its base URL pointed at the proxy), pool of ${peers.POOL}.`);
  if (RUNS > 1) lines.push(`Each row is the run of median wall time out of ${RUNS}.`);
  lines.push('Requests: HTTP requests (a Graph batch is one). Calls: Graph calls (each batch item counted). Round trips: the longest chain of requests each sent after the previous answer. KB: bytes of the answers received. At Graph: the wall time during which one of the tool\'s requests was at the proxy (received, not yet answered); own: the rest, the tool\'s own work and its HTTP client\'s.', '');
  let allSame = true;
  for (const sc of scenarios) {
    const ours = sc.results[0]!;
    const peerList = sc.results.slice(1);
    const bestPeer = Math.min(...peerList.map((p) => p.ms));
    const floorMs = sc.floorTrips * latencyMs;
    lines.push(`## ${sc.name}`, '', `Floor: ${sc.floorTrips} round trip${sc.floorTrips > 1 ? 's' : ''} (${sc.floorNote}) ≈ ${floorMs} ms.`, '');
    lines.push('| tool | rows | requests | calls | round trips | KB | wall ms | at Graph ms | own ms | ×floor | igsql speed-up | peak heap MB | same rows |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const r of sc.results) {
      const same = JSON.stringify(r.rows) === JSON.stringify(ours.rows);
      if (!same) allSame = false;
      lines.push(`| ${r.tool} | ${r.rows.length} | ${r.requests} | ${r.calls} | ${r.trips} | ${r.kb.toFixed(0)} | ${r.ms.toFixed(0)} | ${r.graphMs.toFixed(0)} | ${(r.ms - r.graphMs).toFixed(0)} | ${(r.ms / floorMs).toFixed(2)} | ${r === ours ? `${(bestPeer / ours.ms).toFixed(2)}× best peer` : `${(r.ms / ours.ms).toFixed(2)}×`} | ${r.heapMB.toFixed(1)} | ${same ? 'yes' : 'NO'} |`);
    }
    if (sc.firstRowMs) lines.push('', `First row after connect (median of ${RUNS}): igsql ${sc.firstRowMs.igsql?.toFixed(0)} ms (its request left ${sc.firstRowMs.igsqlSent?.toFixed(0)} ms after connect), got ${sc.firstRowMs.got?.toFixed(0)} ms (target: one latency + 30 ms = ${latencyMs + 30} ms).`);
    lines.push('');
  }
  if (cold) {
    lines.push('## CLI cold start', '', `igsql ${cold.what}, median of ${cold.runs} runs interleaved with \`node -e 0\` (${cold.nodeMs.toFixed(0)} ms). Load average before the run: ${loadBefore}.`, '');
    lines.push('| command | wall ms | × `node -e 0` | target |', '|---|---:|---:|---|');
    lines.push(`| \`igsql query "SELECT 1" --sandbox\` | ${cold.selectMs.toFixed(0)} | ${(cold.selectMs / cold.nodeMs).toFixed(2)} | ≤ 2.5 (issue 11) |`);
    lines.push(`| \`igsql query "SELECT Id, Caption FROM Media LIMIT 10" --sandbox\` | ${cold.mediaMs.toFixed(0)} | ${(cold.mediaMs / cold.nodeMs).toFixed(2)} | stated: ≤ 5 |`, '');
  }
  lines.push(allSame ? 'Every tool returned the same rows in every scenario.' : '**Some tool returned different rows (see "same rows").**', '');
  const report = lines.join('\n');
  console.log(report);
  if (!values.quick && !only) writeFileSync(values.out ?? join(__dirname, '..', '..', 'bench', 'RESULTS.md'), report);
  process.exitCode = allSame ? 0 : 1;
}

void main();
