/**
 * The request timeline of one query behind the latency proxy: when each Graph request started and ended,
 * relative to the query. Run: node build.mjs --bench && node out/bench/trace.js "SELECT …" [off]
 * (TRACE_LOG=1 also prints the sandbox's request log, the items of each batch included.)
 */
import { connect } from '../src/core';
import { startSandbox } from '../src/sandbox';
import { startProxy } from './proxy';
async function main() {
  const sandbox = await startSandbox({ port: 0, accounts: 1, media: 500, latencyMs: 0 });
  const proxy = await startProxy(sandbox.url, 100);
  const account = Object.keys(sandbox.summary().accounts)[0]!;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${proxy.url};BusinessAccountId=${account}`, { overlap: process.argv[3] !== 'off' });
  const res = await conn.query(process.argv[2]!);
  let n = 0;
  for await (const _ of res.rows) if (n++ === 0) console.log('first row at', (performance.now() - t0).toFixed(0), 'ms after connect()');
  const cpu = process.cpuUsage(cpu0);
  console.log('rows', n, 'ms', (performance.now() - t0).toFixed(0), 'cpu ms (client, proxy and sandbox)', ((cpu.user + cpu.system) / 1000).toFixed(0));
  for (const s of proxy.spans().sort((a, b) => a.start - b.start)) console.log((s.start - t0).toFixed(0), (s.end - t0).toFixed(0), s.path.slice(0, 90));
  if (process.env.TRACE_LOG) {
    const show = (e: { method: string; path: string; query: Record<string, string> }) => `${e.method} ${e.path} ${Object.entries(e.query).filter(([k]) => k !== 'batch' && k !== 'access_token').map(([k, v]) => `${k}=${v}`).join('&')}`;
    for (const e of sandbox.requests()) {
      console.log(show(e));
      for (const b of e.batch ?? []) console.log('   ', show(b));
    }
  }
  await conn.close(); await proxy.close(); await sandbox.close();
}
void main();
