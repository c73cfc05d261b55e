// One query session (DESIGN §10): the connection's lock, the request cache, the background batches and the
// journal of writes live and end together. Real engine, real sandbox, real HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import got from 'got';
import { connect } from '../../src/core';
import { collect, failure, rig, type Rig } from '../helpers';

/** Rejects when `p` takes longer than `ms`: a hang fails the test instead of stalling the run. */
function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`${what} still waiting after ${ms} ms`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Node's collector on demand (the flag is read when `gc` is looked up in a new context). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('query session: the connection is released however a result ends', () => {
  let r: Rig;
  before(async () => { r = await rig({ media: 60 }); });
  after(() => r.close());

  test('return() on the rows iterator before the first row releases the connection', async () => {
    const res = await r.conn.query('SELECT Id FROM Media LIMIT 5');
    const it = res.rows[Symbol.asyncIterator]();
    assert.deepEqual(await it.return!(), { done: true, value: undefined });
    const rows = await within(5000, r.rows('SELECT count(*) AS n FROM Media'), 'the next query');
    assert.equal(rows[0]!.n, 180);
    assert.deepEqual(await it.next(), { done: true, value: undefined }, 'a closed iterator stays closed');
  });

  test('breaking out of for-await after some rows releases it, and the stats are final', async () => {
    const res = await r.conn.query('SELECT Id FROM Media');
    let n = 0;
    for await (const _ of res.rows) if (++n === 3) break;
    assert.equal(res.stats.rows, 3);
    assert.equal((await within(5000, r.rows('SELECT 1 AS one'), 'the next query'))[0]!.one, 1);
  });

  test('a result whose rows failed and that is then dropped does not hold the connection', async () => {
    const res = await r.conn.query("SELECT Id FROM Comments WHERE MediaId = 'no-such-media'");
    const e = await failure(async () => { for await (const _ of res.rows) void _; });
    assert.equal(e.code, 'NOT_FOUND');
    assert.equal((await within(5000, r.rows('SELECT 2 AS two'), 'the query after the error'))[0]!.two, 2);
  });

  test('a result dropped without being read is released when it is collected', async () => {
    await (async () => { await r.conn.query('SELECT Id FROM Media'); })();
    const next = r.conn.query('SELECT 3 AS three');
    for (let i = 0; i < 20; i++) {
      collectGarbage();
      await sleep(20);
    }
    assert.deepEqual(await collect(await within(5000, next, 'the query after a dropped result')), [{ three: 3 }]);
  });

  test('a query waiting for the connection can be cancelled while it waits', async () => {
    const held = await r.conn.query('SELECT Id FROM Media');
    const ac = new AbortController();
    const waiting = r.conn.query('SELECT 4', [], { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    const e = await within(5000, failure(() => waiting), 'the cancelled waiter');
    assert.equal(e.code, 'CANCELLED');
    assert.equal((await collect(held)).length, 180, 'the holder is unaffected');
  });
});

describe('query session: close()', () => {
  test('close() ends a result nobody reads, cancels the queries waiting behind it, and returns at once', async () => {
    const r = await rig({ media: 60 });
    try {
      const held = await r.conn.query('SELECT Id FROM Media');
      const waiting = r.conn.query('SELECT 5');
      await within(5000, r.conn.close(), 'close()');
      assert.equal((await failure(() => waiting)).code, 'CANCELLED');
      const e = await failure(async () => { for await (const _ of held.rows) void _; });
      assert.equal(e.code, 'CANCELLED');
      assert.match(e.message, /connection was closed/);
      assert.equal((await failure(() => r.conn.query('SELECT 6'))).code, 'CANCELLED', 'a closed connection runs nothing');
    } finally {
      await r.sandbox.close();
    }
  });

  test('close() while a page is on its way cancels the query and sends nothing more', async () => {
    const r = await rig({ media: 300, latencyMs: 300 });
    try {
      const res = await r.conn.query('SELECT Id FROM Media');
      const reading = failure(async () => { for await (const _ of res.rows) void _; });
      await sleep(100);
      await within(5000, r.conn.close(), 'close()');
      const closedAt = Date.now();
      assert.equal((await reading).code, 'CANCELLED');
      await sleep(700);
      // The in-process sandbox stamps a request when its handler runs, which can be just after a request written
      // right before close(); paging that went on would send one every 300 ms.
      assert.deepEqual(r.requests().filter((q) => Date.parse(q.time) > closedAt + 150), [], 'nothing sent after close()');
    } finally {
      await r.sandbox.close();
    }
  });
});

describe('query session: close() and stored procedures', () => {
  test('close() stops an EXEC that is polling (it runs outside SQLite) and nothing is published', async () => {
    const r = await rig({ media: 20 });
    try {
      const account = (await r.conn.businessAccounts())[0]!.id;
      r.clear();
      const running = failure(() => r.conn.query("EXEC PublishMedia @ImageUrl = 'https://example.com/closing.jpg', @BusinessAccountId = ?", [account]));
      while (!r.requests().some((q) => q.method === 'GET')) await sleep(5);
      const t0 = Date.now();
      await within(5000, r.conn.close(), 'close()');
      const e = await running;
      assert.equal(e.code, 'CANCELLED');
      assert.ok(Date.now() - t0 < 500, `the poll wait ended at once (${Date.now() - t0} ms)`);
      await sleep(300);
      assert.ok(!r.requests().some((q) => q.route.endsWith('/media_publish')), 'nothing was published');
    } finally {
      await r.sandbox.close();
    }
  });
});

describe('query session: a write invalidates what later statements of the query read', () => {
  let r: Rig;
  let account: string;
  let mediaId: string;
  before(async () => {
    r = await rig({ media: 20 });
    account = (await r.conn.businessAccounts())[0]!.id;
    mediaId = (await r.rows('SELECT Id FROM Media WHERE BusinessAccountId = ? AND CommentsCount BETWEEN 3 AND 40 LIMIT 1', [account]))[0]!.Id as string;
  });
  after(() => r.close());

  test('UPDATE … SET Hidden = 1; SELECT Hidden … shows the new value', async () => {
    const [c] = await r.rows('SELECT Id FROM Comments WHERE MediaId = ? LIMIT 1', [mediaId]);
    await r.conn.query('UPDATE Comments SET Hidden = 0 WHERE Id = ?', [c!.Id]);
    const rows = await r.rows('UPDATE Comments SET Hidden = 1 WHERE Id = @id; SELECT Hidden FROM Comments WHERE Id = @id', { id: c!.Id });
    assert.deepEqual(rows, [{ Hidden: 1 }]);
    const back = await r.rows('SELECT Hidden FROM Comments WHERE Id = @id; UPDATE Comments SET Hidden = 0 WHERE Id = @id; SELECT Hidden FROM Comments WHERE Id = @id', { id: c!.Id });
    assert.deepEqual(back, [{ Hidden: 0 }]);
  });

  test('an INSERT is counted by a following count(*), even after the same count was read earlier in the query', async () => {
    const before = Number((await r.rows('SELECT count(*) AS n FROM Comments WHERE MediaId = ?', [mediaId]))[0]!.n);
    const rows = await r.rows(
      "SELECT count(*) AS n FROM Comments WHERE MediaId = @m; INSERT INTO Comments (MediaId, Text) VALUES (@m, 'Counted right away'); SELECT count(*) AS n FROM Comments WHERE MediaId = @m",
      { m: mediaId },
    );
    assert.deepEqual(rows, [{ n: before + 1 }]);
  });

  test('a media listed with no comments, then commented on, is read again (published attributes are dropped too)', async () => {
    const [bare] = await r.rows('SELECT Id FROM Media WHERE BusinessAccountId = ? AND CommentsCount = 0 LIMIT 1', [account]);
    assert.ok(bare, 'the sandbox has a media without comments');
    const rows = await r.rows(
      "SELECT count(*) AS n FROM Media m JOIN Comments c ON c.MediaId = m.Id WHERE m.BusinessAccountId = @a AND m.Id = @m; INSERT INTO Comments (MediaId, Text) VALUES (@m, 'First!'); SELECT count(*) AS n FROM Media m JOIN Comments c ON c.MediaId = m.Id WHERE m.BusinessAccountId = @a AND m.Id = @m",
      { a: account, m: bare!.Id },
    );
    assert.deepEqual(rows, [{ n: 1 }]);
  });
});

describe('query session: background batches end before the result is final', () => {
  test('after LIMIT ends a batched join, no request goes out and the stats stay as they were at the last row', async () => {
    const r = await rig({ media: 300, latencyMs: 120 });
    try {
      const account = (await r.conn.businessAccounts())[0]!.id;
      r.clear();
      // Insights are batched per media (comments would come inline with the media: field expansion).
      const res = await r.conn.query('SELECT m.Id, i.Value FROM Media m JOIN MediaInsights i ON i.MediaId = m.Id WHERE m.BusinessAccountId = ? LIMIT 1', [account]);
      const rows = await collect(res);
      const endedAt = Date.now();
      assert.equal(rows.length, 1);
      const final = JSON.stringify(res.stats);
      const batches = r.requests().filter((q) => q.route === '/' && q.method === 'POST').length;
      await sleep(800);
      assert.equal(JSON.stringify(res.stats), final, 'the stats did not change after the last row');
      // Stamped by the in-process sandbox when its handler runs (a few ms after the request was written).
      assert.deepEqual(r.requests().filter((q) => Date.parse(q.time) > endedAt + 50).map((q) => `${q.method} ${q.route}`), [], 'no request after the end');
      assert.ok(res.stats.apiCalls >= 2 && batches >= 1, `the join was batched (${res.stats.apiCalls} calls, ${batches} batch requests)`);
    } finally {
      await r.close();
    }
  });
});

describe('query session: the journal of writes', () => {
  test('cancelling while a write is on its way reports WRITE_UNKNOWN_OUTCOME and how many rows were written before', async () => {
    const r = await rig({ media: 20 });
    try {
      const account = (await r.conn.businessAccounts())[0]!.id;
      const mediaId = (await r.rows('SELECT m.Id FROM Media m JOIN Comments c ON c.MediaId = m.Id WHERE m.BusinessAccountId = ? GROUP BY m.Id HAVING count(*) BETWEEN 4 AND 40 LIMIT 1', [account]))[0]!.Id as string;
      const ids = (await r.rows('SELECT Id FROM Comments WHERE MediaId = ?', [mediaId])).map((c) => c.Id as string);
      await r.conn.query('UPDATE Comments SET Hidden = 0 WHERE MediaId = ?', [mediaId]);
      // The third hide request waits 3 s in the sandbox before it is applied.
      await got.post(`${r.sandbox.url}/__sandbox/faults`, { json: { method: 'POST', path: `/${ids[2]}$`, kind: 'delay', delayMs: 3000 } });
      // A second connection that logs each request as it leaves (Verbosity 2): the third hide is seen going out.
      const sent: string[] = [];
      const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${r.sandbox.url};Verbosity=2`, { logger: { log: (_l, line) => sent.push(line) } });
      r.clear();
      const ac = new AbortController();
      const running = conn.query('UPDATE Comments SET Hidden = 1 WHERE MediaId = ?', [mediaId], { signal: ac.signal });
      const deadline = Date.now() + 10_000;
      while (!sent.some((line) => line.startsWith('POST ') && line.includes(`/${ids[2]}`))) {
        assert.ok(Date.now() < deadline, `the third write started: ${sent.filter((l) => !l.startsWith("GET")).join("\n")}`);
        await sleep(5);
      }
      assert.equal(r.requests().filter((q) => q.method === 'POST').length, 2, 'two hides were answered before');
      ac.abort();
      const e = await within(5000, failure(() => running), 'the cancelled write');
      assert.equal(e.code, 'WRITE_UNKNOWN_OUTCOME');
      assert.equal(e.details.written, 2);
      assert.match(e.message, /2 rows were written before/);
      assert.match(e.message, new RegExp(`comment ${ids[2]}`));
      await conn.close();
      await sleep(3200);
      const hidden = await r.rows('SELECT Id, Hidden FROM Comments WHERE MediaId = ?', [mediaId]);
      assert.deepEqual(hidden.slice(0, 3).map((c) => c.Hidden), [1, 1, 1], 'the unknown write was in fact applied: "unknown" was the honest answer');
      assert.ok(hidden.slice(3).every((c) => c.Hidden === 0), 'nothing after the cancel was written');
    } finally {
      await r.close();
    }
  });

  test('a multi-row write that fails on its third row says that two rows were written; the rows before are not re-read per row', async () => {
    const r = await rig({ media: 20 });
    try {
      const account = (await r.conn.businessAccounts())[0]!.id;
      const mediaId = (await r.rows('SELECT m.Id FROM Media m JOIN Comments c ON c.MediaId = m.Id WHERE m.BusinessAccountId = ? GROUP BY m.Id HAVING count(*) BETWEEN 4 AND 40 LIMIT 1', [account]))[0]!.Id as string;
      const ids = (await r.rows('SELECT Id FROM Comments WHERE MediaId = ?', [mediaId])).map((c) => c.Id as string).slice(0, 4).sort(); // SQLite visits an IN list in order
      await got.post(`${r.sandbox.url}/__sandbox/faults`, { json: { method: 'POST', path: `/${ids[2]}$`, kind: 'error', status: 400, code: 100 } });
      r.clear();
      const e = await failure(() => r.conn.query(`UPDATE Comments SET Hidden = 1 WHERE Id IN (${ids.map(() => '?').join(', ')})`, ids));
      assert.equal(e.details.written, 2, e.message);
      assert.match(e.message, /2 rows were written before that/);
      const sent = r.requests().map((q) => (q.route === '/' ? 'batch' : `${q.method} ${q.route}`));
      assert.deepEqual(sent.filter((q) => q !== 'batch').sort(), ids.slice(0, 3).map((id) => `POST /${id}`).sort(), 'the failed row stopped the statement');
      assert.equal(sent.filter((q) => q === 'batch').length, 1, `one batch read the ${ids.length} comments: ${sent.join(', ')}`);
    } finally {
      await r.close();
    }
  });

  test('cancelling between two writes is CANCELLED, sends nothing more, and says how many rows were written', async () => {
    const r = await rig({ media: 20, latencyMs: 150 });
    try {
      const account = (await r.conn.businessAccounts())[0]!.id;
      const mediaId = (await r.rows('SELECT m.Id FROM Media m JOIN Comments c ON c.MediaId = m.Id WHERE m.BusinessAccountId = ? GROUP BY m.Id HAVING count(*) BETWEEN 4 AND 40 LIMIT 1', [account]))[0]!.Id as string;
      r.clear();
      const ac = new AbortController();
      const posts = () => r.requests().filter((q) => q.method === 'POST').length;
      // Progress is reported after each answered request (every 150 ms here): cancel once two hides are answered.
      const e = await failure(() => r.conn.query('UPDATE Comments SET Hidden = 1 WHERE MediaId = ?', [mediaId], { signal: ac.signal, onProgress: () => { if (posts() >= 2) ac.abort(); } }));
      assert.equal(e.code, 'CANCELLED');
      assert.equal(e.details.written, 2);
      assert.match(e.message, /2 rows were written before the cancel/);
      await sleep(300);
      assert.equal(posts(), 2, 'nothing was sent after the cancel');
    } finally {
      await r.close();
    }
  });

  test('a write cancelled before it is sent is CANCELLED and sends nothing', async () => {
    const r = await rig({ media: 20 });
    try {
      const ac = new AbortController();
      ac.abort();
      const e = await failure(() => r.conn.query('DELETE FROM Comments WHERE Id = ?', ['1'], { signal: ac.signal }));
      assert.equal(e.code, 'CANCELLED');
      assert.deepEqual(r.requests().filter((q) => q.method !== 'GET'), []);
    } finally {
      await r.close();
    }
  });
});
