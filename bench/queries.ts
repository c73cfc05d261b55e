/**
 * Graph-call economy and speed, printed side by side: for each query, the calls this connector makes against
 * the sandbox (with a realistic per-call latency) next to the calls of a one-request-per-key strategy (what
 * a connector without batching would send: one request per page, plus one per media/comment looked up).
 * Run: npm run bench [-- --latency 100 --media 500]
 */
import { parseArgs } from 'node:util';
import { connect } from '../src/core';
import { startSandbox } from '../src/sandbox';

const { values } = parseArgs({ options: { latency: { type: 'string', default: '100' }, media: { type: 'string', default: '500' } } });
const latencyMs = Number(values.latency);
const mediaPerAccount = Number(values.media);

async function main() {
  const sandbox = await startSandbox({ port: 0, accounts: 1, media: mediaPerAccount, latencyMs });
  const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${sandbox.url}`);
  const [account] = await conn.businessAccounts();
  const summary = sandbox.summary().accounts[account!.id]!;
  const feed = Object.entries(summary.media).filter(([, m]) => m.productType !== 'STORY');
  const withComments = feed.filter(([, m]) => m.commentsCount > 0);
  const commentPages = feed.reduce((s, [, m]) => s + Math.max(1, Math.ceil(m.comments / 50)), 0);
  const mediaPages25 = Math.ceil(feed.length / 25);
  const ten = withComments.slice(0, 10).map(([id]) => `'${id}'`).join(',');

  const cases: Array<{ name: string; sql: string; naive: number }> = [
    { name: 'Media LIMIT 5', sql: 'SELECT * FROM Media LIMIT 5', naive: 1 },
    { name: 'all Media', sql: 'SELECT count(*) FROM Media', naive: mediaPages25 },
    { name: 'top 10 by likes', sql: 'SELECT Caption, LikeCount FROM Media ORDER BY LikeCount DESC LIMIT 10', naive: mediaPages25 },
    { name: 'Comments WHERE MediaId IN (10)', sql: `SELECT count(*) FROM Comments WHERE MediaId IN (${ten})`, naive: 10 },
    { name: 'Media ⋈ MediaInsights (all)', sql: 'SELECT count(*) FROM Media m JOIN MediaInsights i ON i.MediaId = m.Id', naive: mediaPages25 + feed.length },
    { name: 'Media ⋈ Comments (all)', sql: 'SELECT count(*) FROM Media m JOIN Comments c ON c.MediaId = m.Id', naive: mediaPages25 + commentPages },
  ];
  const rows: string[][] = [];
  for (const c of cases) {
    const heap0 = process.memoryUsage().heapUsed;
    sandbox.clearRequests();
    const t0 = performance.now();
    const res = await conn.query(c.sql);
    let n = 0;
    for await (const _ of res.rows) n++;
    const ms = performance.now() - t0;
    rows.push([c.name, String(n), String(res.stats.apiCalls), String(sandbox.requests().length), String(c.naive), ms.toFixed(0), ((process.memoryUsage().heapUsed - heap0) / 1e6).toFixed(1)]);
  }
  const head = ['query', 'rows', 'apiCalls', 'sandbox saw', 'one-per-key', 'wall ms', 'heap Δ MB'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log(`sandbox: 1 account, ${feed.length} media (${withComments.length} with comments), ${latencyMs} ms per call\n`);
  console.log(line(head));
  for (const r of rows) console.log(line(r));
  await conn.close();
  await sandbox.close();
}

void main();
