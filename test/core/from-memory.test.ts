// Rows served from answers already in memory (TableContext.rowsInMemory, issue 11): in a join, an inner
// table whose edge came inline (field expansion) or in a batch is served without awaiting. The same rows, the
// same requests and the same page count as the awaited path; and the path is really taken.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Connection } from '../../src/core';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { collect } from '../helpers';

describe('rows served from memory', () => {
  let sandbox: Sandbox;
  let on: Connection;
  let off: Connection;
  before(async () => {
    sandbox = await startSandbox({ port: 0, accounts: 1, media: 80 });
    const account = Object.keys(sandbox.summary().accounts)[0]!;
    const props = `OAuthAccessToken=sandbox;ApiBaseURL=${sandbox.url};BusinessAccountId=${account}`;
    on = await connect(props);
    off = await connect(props, { fromMemory: false });
  });
  after(async () => {
    await on?.close();
    await off?.close();
    await sandbox?.close();
  });

  async function run(conn: Connection, sql: string) {
    sandbox.clearRequests();
    const res = await conn.query(sql);
    const rows = (await collect(res)).map((r) => JSON.stringify(r)).sort();
    const requests = sandbox.requests().flatMap((q) => (q.batch ?? [q]).map((x) => `${x.method} ${x.path} ${JSON.stringify(x.query)}`)).sort();
    return { rows, requests, stats: res.stats };
  }

  for (const [name, sql] of [
    ['comments and replies of the 50 newest media', 'SELECT c.Id, c.Text, c.MediaId, r.Id AS R, r.CommentId, r.BusinessAccountId FROM (SELECT Id FROM Media LIMIT 50) m JOIN Comments c ON c.MediaId = m.Id LEFT JOIN Replies r ON r.CommentId = c.Id'],
    ['album children of every media', 'SELECT m.Id, c.Id AS C, c.MediaType FROM Media m JOIN MediaChildren c ON c.ParentId = m.Id'],
    ['comments of media looked up by id (an IN list)', 'SELECT c.MediaId, count(*) AS n FROM Media m JOIN Comments c ON c.MediaId = m.Id WHERE m.Id IN (SELECT Id FROM Media LIMIT 40) GROUP BY c.MediaId'],
  ] as const) {
    test(`${name}: same rows, requests and pages; most pages from memory`, async () => {
      const a = await run(on, sql);
      const b = await run(off, sql);
      assert.ok(a.rows.length > 10, `${a.rows.length} rows`);
      assert.deepEqual(a.rows, b.rows);
      assert.deepEqual(a.requests, b.requests);
      assert.equal(a.stats.pages, b.stats.pages);
      assert.equal(b.stats.memoryPages, undefined, 'off: every page awaited');
      assert.ok((a.stats.memoryPages ?? 0) >= a.stats.pages / 2, `${a.stats.memoryPages} of ${a.stats.pages} pages from memory`);
    });
  }

  test('an edge that overflowed its inline page is read from memory once its second page is in', async () => {
    // 500 media: 8 of the 50 newest have more than one page of comments (80 media: 1).
    const big = await startSandbox({ port: 0, accounts: 1, media: 500 });
    const props = `OAuthAccessToken=sandbox;ApiBaseURL=${big.url};BusinessAccountId=${Object.keys(big.summary().accounts)[0]!}`;
    const [bigOn, bigOff] = [await connect(props), await connect(props, { fromMemory: false })];
    try {
      const sql = 'SELECT c.Id, r.Id AS R FROM (SELECT Id FROM Media LIMIT 50) m JOIN Comments c ON c.MediaId = m.Id LEFT JOIN Replies r ON r.CommentId = c.Id';
      const read = async (conn: Connection) => {
        big.clearRequests();
        const res = await conn.query(sql);
        const rows = (await collect(res)).map((r) => JSON.stringify(r)).sort();
        const calls = big.requests().flatMap((q) => q.batch ?? [q]);
        return { rows, stats: res.stats, seconds: calls.filter((x) => /\/comments$/.test(x.path) && 'after' in x.query).length };
      };
      const a = await read(bigOn);
      const b = await read(bigOff);
      assert.ok(a.seconds >= 4, `${a.seconds} second pages of comments`);
      assert.equal(a.seconds, b.seconds);
      assert.deepEqual(a.rows, b.rows);
      // Awaited: the media listing's page, the edge SQLite reached before the batch of second pages answered
      // (its 2 pages), and an edge (≤ 2 pages) where the query let the event loop turn. Every other page, the
      // other second pages included, comes from memory (before: every page of the 8 overflowing edges waited).
      const awaited = a.stats.pages - (a.stats.memoryPages ?? 0);
      assert.ok(awaited <= 3 + 2 * (a.stats.turns ?? 0), `${a.stats.memoryPages} of ${a.stats.pages} pages from memory, ${a.stats.turns} turns`);
    } finally {
      await bigOn.close();
      await bigOff.close();
      await big.close();
    }
  });

  test('a cancelled query is not finished from memory', async () => {
    const ac = new AbortController();
    const res = await on.query('SELECT c.Id, r.Id FROM Media m JOIN Comments c ON c.MediaId = m.Id LEFT JOIN Replies r ON r.CommentId = c.Id', undefined, { signal: ac.signal });
    let n = 0;
    await assert.rejects(async () => {
      for await (const _ of res.rows) if (++n === 5) ac.abort();
    }, (e: Error & { code?: string }) => e.code === 'CANCELLED');
    assert.ok(n >= 5 && n < 50, `${n} rows before the cancel took effect`);
  });
});
