import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import got from 'got';
import { connect, type QueryResult } from '../../src/core';
import { collect, failure, rig, type Rig } from '../helpers';

describe('pushdown and paging, counted from the sandbox request log', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 120 });
    account = (await r.conn.businessAccounts())[0]!.id;
  });
  after(() => r.close());

  test('SELECT * FROM Media LIMIT 5 makes exactly one Graph request for media', async () => {
    r.clear();
    const rows = await r.rows('SELECT * FROM Media LIMIT 5');
    assert.equal(rows.length, 5);
    const media = r.requests().filter((q) => q.route.endsWith('/media'));
    assert.equal(media.length, 1, JSON.stringify(r.requests()));
    assert.equal(media[0]!.query.limit, '5', 'LIMIT is pushed down as the page size');
  });

  test('LIMIT with OFFSET asks Graph for LIMIT + OFFSET rows in one page', async () => {
    r.clear();
    const all = await r.rows('SELECT Id FROM Media LIMIT 12');
    const rows = await r.rows('SELECT Id FROM Media LIMIT 4 OFFSET 8');
    assert.deepEqual(rows.map((x) => x.Id), all.slice(8).map((x) => x.Id));
    const media = r.requests().filter((q) => q.route.endsWith('/media'));
    assert.deepEqual(media.map((q) => q.query.limit), ['12', '12']);
  });

  test('LIMIT is not used as the page size when SQLite filters rows itself', async () => {
    r.clear();
    const rows = await r.rows("SELECT Id FROM Media WHERE MediaType = 'CAROUSEL_ALBUM' LIMIT 5");
    assert.equal(rows.length, 5);
    const media = r.requests().filter((q) => q.route.endsWith('/media'));
    assert.ok(media.every((q) => q.query.limit === '100'), JSON.stringify(media.map((q) => q.query.limit)));
    assert.equal(media.length, 1);
  });

  test('a filter on a non-id key does not turn a table into the outer loop of a join', async () => {
    const accounts = await r.conn.businessAccounts();
    r.clear();
    const rows = await r.rows(
      "SELECT count(*) AS n FROM Media m JOIN MediaInsights i ON i.MediaId = m.Id WHERE m.BusinessAccountId = ? AND i.Metric IN ('reach', 'likes')",
      [account],
    );
    assert.ok(Number(rows[0]!.n) > 0);
    const others = accounts.filter((a) => a.id !== account).map((a) => a.id);
    const touched = r.requests().flatMap((q) => (q.batch ? q.batch.map((b) => b.path) : [q.path]));
    assert.ok(!touched.some((p) => others.some((o) => p.includes(o))), 'only the filtered account is read');
    assert.ok(!touched.some((p) => p.endsWith('/stories')), 'no scan of every media and story');
  });

  test("WHERE Id = '…' makes one request, to that object", async () => {
    const [first] = await r.rows('SELECT Id FROM Media LIMIT 1');
    r.clear();
    const rows = await r.rows('SELECT Id, Caption, LikeCount FROM Media WHERE Id = @id', { id: first!.Id });
    assert.equal(rows.length, 1);
    assert.equal(rows[0]!.Id, first!.Id);
    assert.deepEqual(r.requests().map((q) => q.route), [`/${first!.Id}`]);
  });

  test('a join of Media and Comments reads the media by id, batched, with their comments inline (field expansion)', async () => {
    const ids = (await r.rows('SELECT Id FROM Media WHERE CommentsCount > 0 LIMIT 3')).map((x) => x.Id as string);
    assert.equal(ids.length, 3);
    r.clear();
    const rows = await r.rows(
      `SELECT m.Id, c.Text FROM Media m JOIN Comments c ON c.MediaId = m.Id WHERE m.Id IN (${ids.map(() => '?').join(',')})`,
      ids,
    );
    assert.ok(rows.length > 0);
    assert.ok(rows.every((x) => ids.includes(x.Id as string)));
    const counts = Object.fromEntries(ids.map((id) => [id, (rows.filter((x) => x.Id === id)).length]));
    const summary = r.sandbox.summary().accounts[account]!.media;
    for (const id of ids) assert.equal(counts[id], summary[id]!.comments, `every comment of ${id}`);
    const log = r.requests();
    const items = log.flatMap((q) => (q.batch ? q.batch : [q]));
    assert.ok(!items.some((q) => q.path.endsWith('/media')), 'no listing of all media');
    const batches = log.filter((q) => q.batch);
    assert.deepEqual(batches[0]!.batch!.map((b) => b.path.replace(/^\/v\d+\.\d+/, '')).sort(), ids.map((id) => `/${id}`).sort(), 'one batch for the 3 media');
    assert.ok(batches[0]!.batch!.every((b) => b.query.fields!.includes(',comments.limit(50){')), 'each media with its comments inline');
    assert.ok(items.filter((q) => q.path.endsWith('/comments')).every((q) => q.query.after), 'comments requests only follow cursors (first pages came inline)');
    assert.ok(log.length <= 2, `${log.length} requests: the media, then the comment pages that did not fit`);
  });

  test('reading every media of an account follows every cursor and returns exactly the sandbox count', async () => {
    const expected = r.sandbox.summary().accounts[account]!.mediaCount;
    r.clear();
    const [row] = await r.rows('SELECT count(*) AS n, count(DISTINCT Id) AS d FROM Media WHERE BusinessAccountId = ?', [account]);
    assert.equal(row!.n, expected);
    assert.equal(row!.d, expected, 'no duplicates across pages');
    const pages = r.requests().filter((q) => q.route === `/${account}/media`);
    assert.equal(pages.length, Math.ceil(expected / Number(pages[0]!.query.limit)));
    assert.equal(pages.filter((q) => q.query.after).length, pages.length - 1, 'every page after the first uses the after cursor');
  });

  test('QueryOptions.businessAccountId picks the account a query reads', async () => {
    const accounts = await r.conn.businessAccounts();
    const other = accounts[1]!.id;
    r.clear();
    const rows = await collect(await r.conn.query('SELECT DISTINCT BusinessAccountId AS a FROM Media', [], { businessAccountId: other }));
    assert.deepEqual(rows, [{ a: other }]);
    assert.ok(r.requests().every((q) => q.route === `/${other}/media`));
  });

  test('a Timestamp range is sent as since/until', async () => {
    r.clear();
    const rows = await r.rows("SELECT Timestamp FROM Media WHERE BusinessAccountId = ? AND Timestamp >= '2026-01-01' AND Timestamp < '2026-06-01'", [account]);
    const q = r.requests().find((x) => x.route.endsWith('/media'))!;
    assert.equal(q.query.since, String(Date.parse('2026-01-01') / 1000));
    assert.equal(q.query.until, String(Date.parse('2026-06-01') / 1000));
    assert.ok(rows.every((x) => (x.Timestamp as string) >= '2026-01-01' && (x.Timestamp as string) < '2026-06-01'));
  });

  test("an id can never change the request path: '1/../me' is sent encoded", async () => {
    r.clear();
    const rows = await r.rows("SELECT * FROM Media WHERE Id = '1/../me'");
    assert.equal(rows.length, 0);
    const routes = r.requests().map((q) => q.route);
    assert.deepEqual(routes, ['/1%2F..%2Fme']);
  });

  test('full SQLite SQL runs over the virtual tables: CTE, GROUP BY, window functions, parameters', async () => {
    const rows = await r.rows(
      `WITH m AS (SELECT MediaType, LikeCount FROM Media WHERE BusinessAccountId = @acc)
       SELECT MediaType, count(*) AS n, sum(LikeCount) AS likes,
              rank() OVER (ORDER BY sum(LikeCount) DESC) AS rnk
       FROM m GROUP BY MediaType ORDER BY rnk`,
      { acc: account },
    );
    assert.ok(rows.length >= 3, 'IMAGE, VIDEO and CAROUSEL_ALBUM at least');
    assert.deepEqual(rows.map((x) => x.rnk), rows.map((_, i) => i + 1));
    const total = rows.reduce((s, x) => s + Number(x.n), 0);
    assert.equal(total, r.sandbox.summary().accounts[account]!.mediaCount);
  });

  test('result columns carry the declared types of table columns', async () => {
    const res = await r.conn.query('SELECT Id, LikeCount, IsCommentEnabled, Timestamp, 1 + 1 AS two FROM Media LIMIT 1');
    await collect(res);
    assert.deepEqual(res.columns.map((c) => c.type), ['String', 'Integer', 'Boolean', 'Datetime', null]);
  });
});

describe('clear errors', () => {
  let r: Rig;
  before(async () => (r = await rig({ media: 30 })));
  after(() => r.close());

  test('a syntax error gives line and column', async () => {
    const e = await failure(() => r.conn.query('SELECT Caption,\nFROM Media'));
    assert.equal(e.code, 'SQL_SYNTAX');
    assert.equal(e.details.line, 2);
    assert.equal(e.details.column, 1);
    assert.match(e.message, /near "FROM".*line 2, column 1/);
  });

  test('line and column point into the whole text when the second statement fails', async () => {
    const e = await failure(() => r.conn.query('SELECT 1;\nSELECT * FRM Media'));
    assert.equal(e.code, 'SQL_SYNTAX');
    assert.deepEqual([e.details.line, e.details.column], [2, 10]);
  });

  test('an unknown table suggests the nearest names', async () => {
    const e = await failure(() => r.conn.query('SELECT * FROM Medai'));
    assert.equal(e.code, 'UNKNOWN_TABLE');
    assert.ok((e.details.suggestions as string[]).includes('Media'));
    assert.match(e.message, /Did you mean 'Media'/);
  });

  test('an unknown column suggests columns of the tables in the query', async () => {
    const e = await failure(() => r.conn.query('SELECT LikeCont FROM Media'));
    assert.equal(e.code, 'UNKNOWN_COLUMN');
    assert.deepEqual((e.details.suggestions as string[])[0], 'LikeCount');
    assert.equal(e.details.column, 8);
  });

  test('a missing parameter is named', async () => {
    const e = await failure(() => r.conn.query('SELECT * FROM Media WHERE Id = @mediaId'));
    assert.equal(e.code, 'INVALID_VALUE');
    assert.match(e.message, /@mediaId/);
  });

  test('a table that needs a key says which column to filter on', async () => {
    const e = await failure(() => r.conn.query('SELECT * FROM IGMedia'));
    assert.equal(e.code, 'MISSING_KEY');
    assert.match(e.message, /IGMedia needs a filter on Id/);
  });

  test('an expired token is TOKEN_EXPIRED and says how to sign in again', async () => {
    const { access_token } = await got.post(`${r.sandbox.url}/__sandbox/tokens`, { json: { scopes: ['instagram_basic', 'pages_show_list'], expiresIn: 0 } }).json<{ access_token: string }>();
    const conn = await connect(`OAuthAccessToken=${access_token};ApiBaseURL=${r.sandbox.url}`);
    const e = await failure(() => conn.query('SELECT * FROM Media LIMIT 1'));
    await conn.close();
    assert.equal(e.code, 'TOKEN_EXPIRED');
    assert.match(e.message, /Sign in again/);
    assert.ok(!e.message.includes(access_token), 'the token never appears in messages');
  });

  test('a missing permission is PERMISSION_DENIED naming the scope', async () => {
    const { access_token } = await got.post(`${r.sandbox.url}/__sandbox/tokens`, { json: { scopes: ['instagram_basic', 'pages_show_list'], expiresIn: 3600 } }).json<{ access_token: string }>();
    const conn = await connect(`OAuthAccessToken=${access_token};ApiBaseURL=${r.sandbox.url}`);
    const [m] = await collect(await conn.query('SELECT Id FROM Media LIMIT 1'));
    const e = await failure(() => conn.query('SELECT * FROM Comments WHERE MediaId = ?', [m!.Id]));
    await conn.close();
    assert.equal(e.code, 'PERMISSION_DENIED');
    assert.deepEqual(e.details.scopes, ['instagram_manage_comments']);
    assert.match(e.message, /instagram_manage_comments/);
  });

  test("another account's media has no insights row (as in the listing), and a note says why", async () => {
    r.clear();
    const result = await r.conn.query('SELECT i.* FROM Tags t JOIN MediaInsights i ON i.MediaId = t.Id LIMIT 2');
    assert.deepEqual(await collect(result), []);
    assert.match(result.stats.notes.join('\n'), /not one of the selected accounts' media \(Graph gives insights only to its owner\)/);
    assert.ok(r.requests().every((q) => !q.route.endsWith('/insights')), 'no insights request for media the account does not own');
  });

  test('an unknown token is AUTH_REQUIRED', async () => {
    const conn = await connect(`OAuthAccessToken=not-a-token;ApiBaseURL=${r.sandbox.url}`);
    const e = await failure(() => conn.query('SELECT * FROM Media LIMIT 1'));
    await conn.close();
    assert.equal(e.code, 'AUTH_REQUIRED');
  });

  test('an unreachable Graph is NETWORK and names the base URL', async () => {
    const conn = await connect('OAuthAccessToken=sandbox;ApiBaseURL=http://127.0.0.1:9;BusinessAccountId=1');
    const e = await failure(() => conn.query('SELECT * FROM Media LIMIT 1'));
    await conn.close();
    assert.equal(e.code, 'NETWORK');
    assert.match(e.message, /127\.0\.0\.1:9/);
  });

  test('the connection stays usable after errors', async () => {
    await failure(() => r.conn.query('SELEC 1'));
    await failure(() => r.conn.query('SELECT * FROM IGMedia'));
    const rows = await r.rows('SELECT count(*) AS n FROM Media LIMIT 1');
    assert.ok(Number(rows[0]!.n) > 0);
  });
});

describe('cancellation', () => {
  test('aborting stops paging: no request is sent after the abort', async () => {
    const r = await rig({ media: 300, latencyMs: 150 });
    try {
      const ac = new AbortController();
      const res = await r.conn.query('SELECT * FROM Media', [], { signal: ac.signal });
      let abortedAt = 0;
      setTimeout(() => { abortedAt = Date.now(); ac.abort(); }, 400);
      const e = await failure(async () => { for await (const _ of res.rows) void _; });
      assert.equal(e.code, 'CANCELLED');
      // The sandbox logs a request once answered (after its 150 ms latency), so one on its way at the abort
      // shows up late; allow for that and for event-loop lag on a loaded machine.
      await new Promise((res2) => setTimeout(res2, 400));
      const settled = r.requests().length;
      await new Promise((res2) => setTimeout(res2, 500));
      assert.equal(r.requests().length, settled, 'no request is sent after the abort');
      // Requests arriving well after the abort would mean paging went on (250 ms allows for a loaded machine).
      const late = r.requests().filter((q) => Date.parse(q.time) > abortedAt + 250);
      assert.deepEqual(late, [], 'nothing started after the abort');
      assert.ok(r.requests().length < 8, `cancelled early (${r.requests().length} requests; a full read is 37)`);
    } finally {
      await r.close();
    }
  });
});

describe('result values', () => {
  let r: Rig;
  before(async () => {
    r = await rig({ media: 3 });
  });
  after(() => r.close());

  test('every SQLite type comes back as SQLite holds it, on both builds', async () => {
    const sql = "SELECT 'héllo ✓ 𝄞', '', NULL, 1.5, -0.25, 42, -7, 9007199254740993, -9007199254740993, x'00ff10', CAST('a' || char(0) || 'b' AS TEXT)";
    const expected = ['héllo ✓ 𝄞', '', null, 1.5, -0.25, 42, -7, 9007199254740993n, -9007199254740993n, new Uint8Array([0, 255, 16]), 'a'];
    const raw = async (res: QueryResult) => {
      const out: unknown[][] = [];
      for await (const row of res.rows) out.push(row);
      return out;
    };
    const res = await r.conn.query(sql);
    const rows = await raw(res);
    assert.deepEqual(rows[0], expected);
    // The same values through a table read whole in the synchronous build.
    const held = await r.conn.query(`SELECT ${sql.slice(7)}, count(*) FROM Media`);
    const heldRows = await raw(held);
    assert.equal(held.stats.build, 'synchronous');
    assert.deepEqual(heldRows[0]!.slice(0, -1), expected);
    assert.ok(typeof heldRows[0]!.at(-1) === 'number' && (heldRows[0]!.at(-1) as number) > 0);
    const blob = rows[0]![9] as Uint8Array;
    assert.equal(blob.buffer.byteLength, 3, 'a blob is a copy, not a view of SQLite memory');
  });
});
