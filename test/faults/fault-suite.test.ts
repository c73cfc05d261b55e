/**
 * The fault suite (issue 12): every fault of our fault-injecting proxy (fault-proxy.ts) × a fixed set of read
 * queries and every write, through the real connector and the sandbox. It prints the table
 * fault × query → outcome (with the retries each cost) and checks every cell:
 * - a read ends with the fault-free rows or a typed error, never different rows without an error;
 * - a write reaches the sandbox at most once; when it fails with anything but WRITE_UNKNOWN_OUTCOME, the
 *   sandbox did not apply it (the error was a refusal), and when it succeeds it was applied once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Connection, type SqlValue } from '../../src/core';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { collect } from '../helpers';
import { FAULTS, startFaultProxy, type FaultName, type FaultProxy, type Rule } from './fault-proxy';

const TIMEOUT_S = 2;
let sb: Sandbox;
let proxy: FaultProxy;
let account: string;
let ids: string[];

before(async () => {
  sb = await startSandbox({ port: 0, media: 12 });
  proxy = await startFaultProxy(sb.url);
  const c = await open();
  account = (await c.businessAccounts())[0]!.id;
  ids = (await collect(await c.query(`SELECT Id FROM Media WHERE BusinessAccountId = '${account}' ORDER BY Id LIMIT 5`))).map((r) => String(r.Id));
  await c.close();
});
after(async () => {
  await proxy.close();
  await sb.close();
});

const open = () => connect(`OAuthAccessToken=sandbox;ApiBaseURL=${proxy.url};Timeout=${TIMEOUT_S};Pagesize=5`);

interface Read { name: string; sql: () => string; nth: number }
const READS: Read[] = [
  { name: 'Media listing (3 pages)', sql: () => `SELECT Id, Caption, LikeCount FROM Media WHERE BusinessAccountId = '${account}' ORDER BY Id`, nth: 2 },
  { name: 'Media by IN list (batch)', sql: () => `SELECT Id, LikeCount FROM Media WHERE Id IN (${ids.map((i) => `'${i}'`).join(',')}) ORDER BY Id`, nth: 1 },
  { name: 'profiles', sql: () => 'SELECT Username, FollowersCount FROM InstagramBusinessProfile ORDER BY Username', nth: 1 },
  { name: 'MediaInsights IN list', sql: () => `SELECT MediaId, Metric, Value FROM MediaInsights WHERE MediaId IN (${ids.slice(0, 3).map((i) => `'${i}'`).join(',')}) AND Metric = 'reach' ORDER BY MediaId`, nth: 1 },
];

/** The request a fault hits: paging faults a listing page, batch faults the batch, the rest the nth request. */
function ruleFor(fault: FaultName, nth: number, times: number): Rule {
  if (fault === 'repeatCursor' || fault === 'missingCursor' || fault === 'foreignNext') return { fault, method: 'GET', path: /\/media$/, times };
  if (fault === 'batchFail' || fault === 'batchItemFail') return { fault, method: 'POST', path: /^\/v[\d.]+\/?$/, times };
  return { fault, nth, times, delayMs: TIMEOUT_S * 1000 + 800 };
}

/** Each fault once, then a few that never stop (a dead API): those must end in a typed error within the budget. */
const CASES: Array<{ fault: FaultName; times: number }> = [
  ...FAULTS.map((fault) => ({ fault, times: 1 })),
  ...(['graph500', 'html200', 'dropBefore', 'batchItemFail'] as const).map((fault) => ({ fault, times: -1 })),
];

type Outcome = { text: string; ok: boolean; rows?: string; code?: string; retries: number };

async function run(conn: Connection, sql: string): Promise<Outcome> {
  let stats = { retries: 0 };
  try {
    const res = await conn.query(sql);
    stats = res.stats;
    const rows = await collect(res);
    return { text: '', ok: true, rows: JSON.stringify(rows, (_k, v: SqlValue) => (typeof v === 'bigint' ? String(v) : v)), retries: stats.retries };
  } catch (e) {
    const code = (e as { code?: string }).code ?? `untyped ${(e as Error).name}`;
    return { text: code, ok: false, code, retries: stats.retries };
  }
}

test('fault × query → outcome: reads give the fault-free rows or a typed error; writes reach Graph at most once', { timeout: 600_000 }, async () => {
  const baseline = new Map<string, string>();
  {
    const c = await open();
    for (const q of READS) {
      const o = await run(c, q.sql());
      assert.ok(o.ok, `${q.name} works without faults: ${o.code}`);
      baseline.set(q.name, o.rows!);
    }
    await c.close();
  }
  const WRITES = ['INSERT comment', 'UPDATE Hidden', 'DELETE comment'];
  const table: string[][] = [['fault', ...READS.map((q) => q.name), ...WRITES]];
  const problems: string[] = [];
  for (const { fault, times } of CASES) {
    const row: string[] = [times < 0 ? `${fault} (always)` : fault];
    const conn = await open();
    await conn.businessAccounts(); // the account list is cached per connection: the fault hits the query itself
    for (const q of READS) {
      proxy.set(ruleFor(fault, q.nth, times));
      const o = await run(conn, q.sql());
      proxy.set(undefined);
      if (o.ok && o.rows !== baseline.get(q.name)) problems.push(`${fault} × ${q.name}: different rows without an error`);
      if (!o.ok && (o.code === 'INTERNAL' || o.code!.startsWith('untyped'))) problems.push(`${fault} × ${q.name}: ${o.code}`);
      row.push(`${o.ok ? 'same rows' : o.code} (${o.retries} retr${o.retries === 1 ? 'y' : 'ies'})`);
    }
    for (const w of WRITES) {
      // A comment of our own to hide or delete, made without faults.
      const mine = `fault suite ${fault} ${w}`;
      await run(conn, `INSERT INTO Comments (MediaId, Text) VALUES ('${ids[0]}', '${mine}')`);
      const found = await run(conn, `SELECT Id FROM Comments WHERE MediaId = '${ids[0]}' AND Text = '${mine}'`);
      const target = (JSON.parse(found.rows ?? '[]') as Array<{ Id: string }>)[0]?.Id;
      assert.ok(w === 'INSERT comment' || target, `the comment to change exists (${found.code ?? 'no row'})`);
      const text = `fault suite ${fault} ${w} write`;
      const sql = w === 'INSERT comment' ? `INSERT INTO Comments (MediaId, Text) VALUES ('${ids[0]}', '${text}')`
        : w === 'UPDATE Hidden' ? `UPDATE Comments SET Hidden = 1 WHERE Id = '${target}'`
          : `DELETE FROM Comments WHERE Id = '${target}'`;
      const method = w === 'DELETE comment' ? 'DELETE' : 'POST';
      const before = sb.requests().length;
      proxy.set({ fault, method, path: /^\/v[\d.]+\/[^/]+/, nth: 1, times, delayMs: TIMEOUT_S * 1000 + 800 });
      const o = await run(conn, sql);
      proxy.set(undefined);
      // A delayed write still reaches the sandbox after the client gave up: count it once it has.
      if (fault === 'delayPastTimeout') await new Promise((r) => setTimeout(r, 1500));
      const writesSeen = sb.requests().slice(before).filter((r) => r.method === method && !/^\/v[\d.]+\/?$/.test(r.path)).length;
      if (writesSeen > 1) problems.push(`${fault} × ${w}: sent ${writesSeen} times`);
      if (!o.ok && o.code !== 'WRITE_UNKNOWN_OUTCOME' && writesSeen > 0) {
        // A refusal must mean Graph did not apply it: the sandbox answered it with an error itself.
        const answered = sb.requests().slice(before).filter((r) => r.method === method && !/^\/v[\d.]+\/?$/.test(r.path));
        if (answered.some((r) => r.status >= 200 && r.status < 300)) problems.push(`${fault} × ${w}: applied but reported ${o.code}`);
      }
      if (!o.ok && (o.code === 'INTERNAL' || o.code!.startsWith('untyped'))) problems.push(`${fault} × ${w}: ${o.code}`);
      row.push(`${o.ok ? 'ok' : o.code}, sent ${writesSeen}×`);
    }
    await conn.close();
    table.push(row);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
  console.log('\n' + table.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join(' | ')).join('\n'));
  assert.deepEqual(problems, []);
});
