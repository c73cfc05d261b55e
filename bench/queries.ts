/**
 * Speed against the peers, in one run (issue 11): every scenario runs with our core, a `got` loop as a
 * competent user writes it (pool of 8), the same loop with Graph field expansion / `ids=`, and Meta's
 * facebook-nodejs-business-sdk, against one sandbox behind one latency proxy (bench/proxy.ts). Prints HTTP
 * requests (and Graph calls, batch items counted), sequential round trips, wall time, peak heap, the ratio
 * to the best peer and to the round-trip floor; checks every tool returns the same rows; writes
 * bench/RESULTS.md. Run: npm run bench [-- --latency 100 --media 500 --quick --runs 3] (--runs: the median of N runs
 * of each tool, the first one included, so a cold start still counts once).
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { connect } from '../src/core';
import { pacificDayStart } from '../src/core/schema/account-insights-window';
import { startSandbox } from '../src/sandbox';
import * as peers from './peers';
import { roundTrips, startProxy } from './proxy';

const { values } = parseArgs({ options: { latency: { type: 'string', default: '100' }, media: { type: 'string', default: '500' }, quick: { type: 'boolean', default: false }, out: { type: 'string' }, runs: { type: 'string', default: '1' } } });
/** Each tool runs each scenario this many times; the run of median wall time is reported (a loaded machine is noisy). */
const RUNS = Math.max(1, Number(values.runs) || 1);
const latencyMs = Number(values.latency);
const mediaCount = Number(values.media);
const VERSION = 'v24.0';

interface Measure { tool: string; requests: number; calls: number; trips: number; ms: number; heapMB: number; kb: number; rows: string[] }
interface Scenario { name: string; floorTrips: number; floorNote: string; results: Measure[]; firstRowMs?: Record<string, number> }

const gc = (globalThis as { gc?: () => void }).gc;

async function main() {
  const sandbox = await startSandbox({ port: 0, accounts: 1, media: mediaCount, latencyMs: 0 });
  const proxy = await startProxy(sandbox.url, latencyMs);
  const account = Object.keys(sandbox.summary().accounts)[0]!;
  const c = peers.gotClient(proxy.url, VERSION);
  const s = peers.sdk(proxy.url, VERSION);
  const connStr = `OAuthAccessToken=sandbox;ApiBaseURL=${proxy.url};ApiVersion=${VERSION};BusinessAccountId=${account}`;
  const conn = await connect(connStr);

  async function measure(tool: string, run: () => Promise<string[]>): Promise<Measure> {
    const all: Measure[] = [];
    for (let i = 0; i < RUNS; i++) all.push(await measureOnce(tool, run));
    return all.sort((a, b) => a.ms - b.ms)[Math.floor(all.length / 2)]!;
  }

  async function measureOnce(tool: string, run: () => Promise<string[]>): Promise<Measure> {
    gc?.();
    const heap0 = process.memoryUsage().heapUsed;
    let peak = heap0;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().heapUsed)), 5);
    proxy.clear();
    sandbox.clearRequests();
    const t0 = performance.now();
    const rows = await run();
    const ms = performance.now() - t0;
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().heapUsed);
    // Give a late request (one left running after the answer) the time to show up in the log.
    await new Promise((r) => setTimeout(r, latencyMs + 20));
    const spans = proxy.spans();
    const calls = sandbox.requests().reduce((n, e) => n + (e.batch?.length ?? 1), 0);
    return { tool, requests: spans.length, calls, trips: roundTrips(spans), ms, heapMB: (peak - heap0) / 1e6, kb: spans.reduce((n, sp) => n + sp.bytes, 0) / 1024, rows: rows.sort() };
  }
  const sql = (q: string) => async () => {
    const res = await conn.query(q);
    const out: string[] = [];
    for await (const r of res.rows) out.push((r as unknown[]).map((v) => String(v)).join('|'));
    return out;
  };

  const scenarios: Scenario[] = [];

  // 1. Every media with its insights.
  {
    const q = sql('SELECT m.Id, i.Metric, i.Value FROM Media m JOIN MediaInsights i ON i.MediaId = m.Id');
    const pages = Math.ceil(mediaCount / 100);
    scenarios.push({
      name: `${mediaCount} media + insights`, floorTrips: pages + 1, floorNote: `${pages} listing pages one after another, then the last page's insights`,
      results: [await measure('igsql', q), await measure('got loop', () => peers.insightsGot(c, account)), await measure('got + ids=', () => peers.insightsGotExpanded(c, account)), await measure('business SDK', () => peers.insightsSdk(s, account))],
    });
  }

  // 2. Comments and their replies on the 50 newest media.
  {
    const q = sql('SELECT c.Id, r.Id FROM (SELECT Id FROM Media LIMIT 50) m JOIN Comments c ON c.MediaId = m.Id LEFT JOIN Replies r ON r.CommentId = c.Id');
    const results = [await measure('igsql', q), await measure('got loop', () => peers.commentsGot(c, account)), await measure('got + expansion', () => peers.commentsGotExpanded(c, account)), await measure('business SDK', () => peers.commentsSdk(s, account))];
    // The floor is what the expanded loop needed: one request, plus one round of the nested edges that overflowed.
    scenarios.push({ name: 'comments + replies of the 50 newest media', floorTrips: results[2]!.trips, floorNote: 'nested field expansion, overflowing edges paged in parallel', results });
  }

  // 3. Daily reach over 90 days: three 30-day requests.
  {
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
  {
    const first: Record<string, number> = {};
    const results = [
      await measure('igsql', async () => {
        const t0 = performance.now();
        const fresh = await connect(connStr);
        const res = await fresh.query('SELECT Id, Caption FROM Media LIMIT 10');
        const out: string[] = [];
        for await (const r of res.rows) {
          first.igsql ??= performance.now() - t0;
          out.push(String((r as unknown[])[0]));
        }
        await fresh.close();
        return out;
      }),
      await measure('got', async () => {
        const t0 = performance.now();
        const page = await c.get<{ data: Array<{ id: string }> }>(`${account}/media`, { fields: 'id,caption', limit: 10 });
        first.got = performance.now() - t0;
        return page.data.map((m) => m.id);
      }),
    ];
    scenarios.push({ name: 'Media LIMIT 10 (first row)', floorTrips: 1, floorNote: 'one request', results, firstRowMs: first });
  }

  await conn.close();
  await proxy.close();
  await sandbox.close();

  // 5. CLI cold start.
  const runs = values.quick ? 2 : 5;
  const median = (f: () => void) => {
    const t: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      f();
      t.push(performance.now() - t0);
    }
    return t.sort((a, b) => a - b)[Math.floor(t.length / 2)]!;
  };
  const cli = join(__dirname, '..', '..', 'bin', 'igsql');
  const nodeMs = median(() => spawnSync(process.execPath, ['-e', '0']));
  const cliMs = median(() => spawnSync(process.execPath, [cli, 'query', 'SELECT 1', '--sandbox']));

  // --- report ---
  const lines: string[] = [];
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  lines.push(`# Bench results`, '', `${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpu} × ${os.cpus().length} · ${os.totalmem() / 2 ** 30 | 0} GiB · Node ${process.version} · ${os.platform()} ${os.release()}`);
  lines.push('', `Sandbox: 1 account, ${mediaCount} media, ${latencyMs} ms per HTTP request (latency proxy, bench/proxy.ts). Peers: \`got\` with a pool of ${peers.POOL}; the same with field expansion / \`ids=\`; facebook-nodejs-business-sdk (its base URL pointed at the proxy), pool of ${peers.POOL}.`);
  if (RUNS > 1) lines.push(`Each row is the run of median wall time out of ${RUNS}.`);
  lines.push('Requests: HTTP requests (a Graph batch is one). Calls: Graph calls (each batch item counted). Round trips: the longest chain of requests each sent after the previous answer. KB: bytes of the answers received.', '');
  let allSame = true;
  for (const sc of scenarios) {
    const ours = sc.results[0]!;
    const peerList = sc.results.slice(1);
    const bestPeer = Math.min(...peerList.map((p) => p.ms));
    const floorMs = sc.floorTrips * latencyMs;
    lines.push(`## ${sc.name}`, '', `Floor: ${sc.floorTrips} round trip${sc.floorTrips > 1 ? 's' : ''} (${sc.floorNote}) ≈ ${floorMs} ms.`, '');
    lines.push('| tool | rows | requests | calls | round trips | KB | wall ms | ×floor | igsql speed-up | peak heap MB | same rows |', '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const r of sc.results) {
      const same = JSON.stringify(r.rows) === JSON.stringify(ours.rows);
      if (!same) allSame = false;
      lines.push(`| ${r.tool} | ${r.rows.length} | ${r.requests} | ${r.calls} | ${r.trips} | ${r.kb.toFixed(0)} | ${r.ms.toFixed(0)} | ${(r.ms / floorMs).toFixed(2)} | ${r === ours ? `${(bestPeer / ours.ms).toFixed(2)}× best peer` : `${(r.ms / ours.ms).toFixed(2)}×`} | ${r.heapMB.toFixed(1)} | ${same ? 'yes' : 'NO'} |`);
    }
    if (sc.firstRowMs) lines.push('', `First row after connect: igsql ${sc.firstRowMs.igsql?.toFixed(0)} ms, got ${sc.firstRowMs.got?.toFixed(0)} ms (target: one latency + 30 ms = ${latencyMs + 30} ms).`);
    lines.push('');
  }
  lines.push('## CLI cold start', '', `\`igsql query "SELECT 1" --sandbox\`: ${cliMs.toFixed(0)} ms; \`node -e 0\`: ${nodeMs.toFixed(0)} ms; ratio ${(cliMs / nodeMs).toFixed(2)} (target ≤ 2.5). Median of ${runs}.`, '');
  lines.push(allSame ? 'Every tool returned the same rows in every scenario.' : '**Some tool returned different rows (see "same rows").**', '');
  const report = lines.join('\n');
  console.log(report);
  if (!values.quick) writeFileSync(values.out ?? join(__dirname, '..', '..', 'bench', 'RESULTS.md'), report);
  process.exitCode = allSame ? 0 : 1;
}

void main();
