/**
 * Statements that read their listings whole run in wa-sqlite's synchronous build (engine/sync-route.ts). Each
 * statement of the corpus runs on two connections to the same sandbox, one with the route and one with every
 * statement in the asyncify build: the same rows in the same order, the same JS types (integer, real, text,
 * booleans as 0/1, NULL, ids as text), the same errors, no more Graph requests, and the route really taken.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Connection, type QueryParams, type SqlValue } from '../../src/core';
import { failure, rig, type Rig } from '../helpers';
import { compiledBuilds } from '../../src/core/engine/sqlite';

/** Rows with their JS types, so 1 and 1.0, '1' and 1, 1n and 1 differ. */
function typed(rows: SqlValue[][]): string[] {
  return rows.map((r) => r.map((v) => `${v === null ? 'null' : v instanceof Uint8Array ? 'blob' : typeof v}:${String(v)}`).join(' | '));
}

async function run(conn: Connection, sql: string, params?: QueryParams) {
  const res = await conn.query(sql, params);
  const rows: SqlValue[][] = [];
  for await (const row of res.rows) rows.push(row);
  return { rows, stats: res.stats, columns: res.columns };
}

const ROUTED = [
  'SELECT MediaType, count(*) AS n, avg(LikeCount) AS avgLikes, sum(LikeCount) AS likes, total(CommentsCount) AS comments FROM Media GROUP BY MediaType ORDER BY MediaType',
  'SELECT MediaType, max(Id) AS maxId, min(Timestamp) AS first, typeof(max(Id)) AS t FROM Media GROUP BY MediaType ORDER BY 1',
  'SELECT IsCommentEnabled, IsSharedToFeed, count(*) AS n FROM Media GROUP BY 1, 2 ORDER BY 1, 2',
  'SELECT Id, LikeCount, LikeCount / 3.0 AS third, LikeCount / 3 AS div, Caption IS NULL AS noCaption FROM Media ORDER BY LikeCount DESC, Id',
  'SELECT MediaType, LikeCount, row_number() OVER (PARTITION BY MediaType ORDER BY LikeCount DESC, Id) AS r, sum(LikeCount) OVER (ORDER BY Id) AS running FROM Media ORDER BY Id',
  "SELECT group_concat(Id, ',') AS ids, count(DISTINCT MediaType) AS types FROM Media WHERE Timestamp >= '2020-01-01'",
  'SELECT MediaType, count(*) AS n, @tag AS tag FROM Media WHERE LikeCount >= @min GROUP BY MediaType ORDER BY 1',
  'WITH t AS (SELECT MediaType, LikeCount FROM Media) SELECT MediaType, max(LikeCount) - min(LikeCount) AS spread FROM t GROUP BY 1 ORDER BY 1',
  // A LIMIT after the statement's own sort counts output rows: the listings are read whole on both paths.
  'SELECT Id, Caption, LikeCount FROM Media ORDER BY LikeCount DESC, Id LIMIT 10',
  'SELECT MediaType, count(*) AS n FROM Media GROUP BY MediaType ORDER BY n DESC LIMIT 2 OFFSET 1',
  'SELECT MediaType, sum(LikeCount) FROM Media GROUP BY MediaType LIMIT 2',
];

/** Joins stay in the asyncify build (one virtual-table cursor only): the same rows, no extra request. */
const JOINS = [
  'SELECT m.MediaType, count(c.Id) AS comments, sum(c.Hidden) AS hidden, max(c.Created) AS latest FROM Media m JOIN Comments c ON c.MediaId = m.Id GROUP BY m.MediaType ORDER BY 1',
  "SELECT m.Id, count(c.Id) AS comments FROM Media m LEFT JOIN Comments c ON c.MediaId = m.Id WHERE m.Id IN (SELECT Id FROM Media WHERE MediaType = 'IMAGE' ORDER BY Id) GROUP BY m.Id ORDER BY 2 DESC, 1",
];

/** Statements the route must leave to the asyncify build (reading whole could cost requests, or delay rows). */
const NOT_ROUTED = [
  // Two virtual-table cursors: a join or a compound keeps the asyncify build's overlap of pages and batches.
  'SELECT MediaType, count(*) AS n FROM Media GROUP BY MediaType HAVING count(*) > 1 UNION ALL SELECT \'all\', count(*) FROM Media ORDER BY 1',
  'SELECT m.MediaType, count(c.Id) AS comments FROM Media m JOIN Comments c ON c.MediaId = m.Id GROUP BY m.MediaType ORDER BY 1',
  'SELECT Id, LikeCount FROM Media LIMIT 5',
  "SELECT Id FROM Media WHERE MediaType = 'VIDEO' LIMIT 3",
  'SELECT * FROM (SELECT MediaType, LikeCount FROM Media ORDER BY LikeCount) LIMIT 3',
  'SELECT MediaType, count(*) FROM (SELECT MediaType FROM Media LIMIT 20) GROUP BY 1 ORDER BY 1',
  'SELECT Id FROM Media',
  'SELECT MediaType, (SELECT count(*) FROM Comments c WHERE c.MediaId = m.Id) AS n FROM Media m ORDER BY Id',
  'SELECT count(*) FROM Media m WHERE EXISTS (SELECT 1 FROM Comments c WHERE c.MediaId = m.Id)',
];

describe('the synchronous build loads only when a statement uses it', () => {
  test('a LIMIT query and a streaming query leave it unloaded; a GROUP BY loads it', async () => {
    const r = await rig({ media: 20 });
    try {
      await r.rows('SELECT * FROM Media LIMIT 3');
      await r.rows('SELECT Id, Caption FROM Media');
      assert.deepEqual(compiledBuilds(), ['wa-sqlite-async.wasm']);
      const res = await r.conn.query('SELECT MediaType, count(*) FROM Media GROUP BY 1');
      assert.equal(res.stats.build, 'synchronous');
      assert.deepEqual(compiledBuilds().sort(), ['wa-sqlite-async.wasm', 'wa-sqlite.wasm']);
    } finally {
      await r.close();
    }
  });
});

describe('the synchronous build for statements that read their listings whole', () => {
  let r: Rig;
  let plain: Connection;
  const params = { tag: 'x', min: 10 };
  before(async () => {
    r = await rig({ media: 60 });
    plain = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${r.sandbox.url}`, { synchronousBuild: false });
  });
  after(async () => {
    await plain?.close();
    await r?.close();
  });

  for (const sql of ROUTED) {
    test(`same rows, order and types: ${sql.slice(0, 90)}`, async () => {
      r.clear();
      const before = await run(plain, sql, params);
      const asked = r.requests().length;
      r.clear();
      const after = await run(r.conn, sql, params);
      const ours = r.requests().length;
      assert.equal(after.stats.build, 'synchronous', 'the statement ran in the synchronous build');
      assert.equal(before.stats.build, undefined);
      assert.ok(after.rows.length > 0, 'the statement has rows');
      assert.deepEqual(typed(after.rows), typed(before.rows));
      assert.deepEqual(after.columns, before.columns);
      assert.ok(ours <= asked, `no more Graph requests (${ours} vs ${asked})`);
      assert.equal(after.stats.rows, before.stats.rows);
    });
  }

  for (const sql of JOINS) {
    test(`a join: same rows and types, no more requests: ${sql.slice(0, 80)}`, async () => {
      r.clear();
      const before = await run(plain, sql);
      const asked = r.requests().length;
      r.clear();
      const after = await run(r.conn, sql);
      assert.ok(after.rows.length > 0);
      assert.deepEqual(typed(after.rows), typed(before.rows));
      assert.ok(r.requests().length <= asked, `no more Graph requests (${r.requests().length} vs ${asked})`);
    });
  }

  test('a GROUP BY over one listing sends exactly the requests of the asyncify build', async () => {
    const sql = 'SELECT MediaType, count(*) FROM Media GROUP BY MediaType';
    r.clear();
    await run(plain, sql);
    const asked = r.requests().map((q) => `${q.method} ${q.route} ${JSON.stringify(q.query)}`).sort();
    r.clear();
    await run(r.conn, sql);
    assert.deepEqual(r.requests().map((q) => `${q.method} ${q.route} ${JSON.stringify(q.query)}`).sort(), asked);
    assert.ok(asked.length > 1, 'the listing has several pages');
  });

  for (const sql of NOT_ROUTED) {
    test(`left to the asyncify build, same rows: ${sql.slice(0, 90)}`, async () => {
      const before = await run(plain, sql);
      const after = await run(r.conn, sql);
      assert.equal(after.stats.build, undefined);
      assert.deepEqual(typed(after.rows), typed(before.rows));
    });
  }

  test('an IN list on the key: one lookup per value, batched as in the asyncify build', async () => {
    const ids = (await run(plain, 'SELECT Id FROM Media ORDER BY Id')).rows.slice(0, 3).map((x) => String(x[0]));
    const sql = 'SELECT MediaType, count(*) AS n, sum(LikeCount) AS likes FROM Media WHERE Id IN (?, ?, ?) GROUP BY 1 ORDER BY 1';
    r.clear();
    const before = await run(plain, sql, ids);
    const asked = r.requests().length;
    r.clear();
    const after = await run(r.conn, sql, ids);
    assert.equal(after.stats.build, 'synchronous');
    assert.deepEqual(typed(after.rows), typed(before.rows));
    assert.equal(after.rows.reduce((n, x) => n + Number(x[1]), 0), 3);
    assert.ok(r.requests().length <= asked, `${r.requests().length} vs ${asked} requests`);
  });

  test('big ids stay text and integers beyond 2^53 stay exact on both paths', async () => {
    const sql = "SELECT max(Id) AS id, typeof(max(Id)) AS t, 9007199254740993 + count(*) * 0 AS big FROM Media";
    const before = await run(plain, sql);
    const after = await run(r.conn, sql);
    assert.equal(after.stats.build, 'synchronous');
    assert.equal(typeof after.rows[0]![0], 'string');
    assert.equal(after.rows[0]![1], 'text');
    assert.equal(after.rows[0]![2], 9007199254740993n);
    assert.deepEqual(typed(after.rows), typed(before.rows));
  });

  test('an SQL error at run time is the same typed error on both paths', async () => {
    const sql = "SELECT MediaType, json_extract(Caption, '$[') FROM Media GROUP BY 1";
    const a = await failure(() => run(plain, sql));
    const b = await failure(() => run(r.conn, sql));
    assert.equal(b.code, a.code);
    assert.equal(b.message, a.message);
  });

  test('a missing required key is the same MISSING_KEY error on both paths', async () => {
    const sql = 'SELECT count(*) FROM HashtagSearch';
    const a = await failure(() => run(plain, sql));
    const b = await failure(() => run(r.conn, sql));
    assert.equal(a.code, 'MISSING_KEY');
    assert.equal(b.code, a.code);
    assert.equal(b.message, a.message);
  });

  test('a temporary table (state the synchronous copy lacks) keeps the connection in the asyncify build', async () => {
    const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${r.sandbox.url}`);
    try {
      const sql = 'SELECT MediaType, count(*) FROM Media GROUP BY 1 ORDER BY 1';
      assert.equal((await run(conn, sql)).stats.build, 'synchronous');
      await run(conn, "CREATE TEMP VIEW Recent AS SELECT * FROM Media WHERE MediaType = 'IMAGE'");
      const after = await run(conn, 'SELECT MediaType, count(*) FROM Recent GROUP BY 1');
      assert.equal(after.stats.build, undefined);
      assert.deepEqual(typed(after.rows), typed((await run(plain, "SELECT MediaType, count(*) FROM Media WHERE MediaType = 'IMAGE' GROUP BY 1")).rows));
      assert.equal((await run(conn, sql)).stats.build, undefined, 'later statements too');
    } finally {
      await conn.close();
    }
  });

  test('changes() and last_insert_rowid() read the connection, so they stay in the asyncify build', async () => {
    const [media] = (await run(r.conn, 'SELECT Id FROM Media ORDER BY Id')).rows;
    const res = await run(r.conn, `INSERT INTO Comments (MediaId, Text) VALUES ('${String(media![0])}', 'counted'); SELECT changes() AS changed, count(*) FROM Media`);
    assert.equal(res.stats.build, undefined);
    assert.equal(res.rows[0]![0], 1, 'the INSERT changed one row');
  });

  test('writes are never routed and a statement after a write reads Graph afresh', async () => {
    const [media] = (await run(r.conn, "SELECT Id FROM Media WHERE CommentsCount > 0 ORDER BY Id")).rows;
    const count = `SELECT count(*) FROM Comments WHERE MediaId = '${String(media![0])}'`;
    const res = await run(r.conn, `${count}; INSERT INTO Comments (MediaId, Text) VALUES ('${String(media![0])}', 'routed?'); ${count}`);
    const [before] = (await run(plain, count)).rows;
    assert.equal(res.stats.build, 'synchronous', 'the last statement, a count, is routed');
    assert.deepEqual(res.rows, [before], 'the count after the write includes the new comment');
  });
});

describe('the synchronous build: cancellation and the lock', () => {
  test('cancelling while its listing is read whole ends the query with CANCELLED and frees the connection', async () => {
    const r = await rig({ media: 300, latencyMs: 100 });
    try {
      const ac = new AbortController();
      const running = failure(() => r.conn.query('SELECT MediaType, count(*) FROM Media GROUP BY 1', [], { signal: ac.signal }));
      while (!r.requests().some((q) => q.route.endsWith('/media'))) await new Promise((res) => setTimeout(res, 5));
      ac.abort();
      const e = await running;
      assert.equal(e.code, 'CANCELLED');
      const after = await run(r.conn, 'SELECT MediaType, count(*) AS n FROM Media GROUP BY 1 ORDER BY 1');
      assert.equal(after.stats.build, 'synchronous');
      assert.equal(after.rows.reduce((s, row) => s + Number(row[1]), 0), (await run(r.conn, 'SELECT Id FROM Media')).rows.length);
    } finally {
      await r.close();
    }
  });
});
