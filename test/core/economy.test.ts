import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rig, type Rig } from '../helpers';

/** API economy (issue 4): Graph calls counted from the sandbox's request log. */
describe('batching and the per-query GET cache', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 500, accounts: 1 });
    account = (await r.conn.businessAccounts())[0]!.id;
  });
  after(() => r.close());

  const media = () => Object.entries(r.sandbox.summary().accounts[account]!.media).filter(([, m]) => m.productType !== 'STORY');

  test('WHERE MediaId IN (10 ids) costs one request', async () => {
    const ids = media().filter(([, m]) => m.comments > 0 && m.comments <= 50).slice(0, 10).map(([id]) => id);
    assert.equal(ids.length, 10);
    r.clear();
    const rows = await r.rows(`SELECT MediaId, count(*) AS n FROM Comments WHERE MediaId IN (${ids.map((id) => `'${id}'`).join(', ')}) GROUP BY MediaId`);
    assert.equal(r.requests().length, 1, JSON.stringify(r.requests().map((q) => q.route)));
    assert.equal(r.requests()[0]!.batch!.length, 10);
    const byId = new Map(media());
    for (const row of rows) assert.equal(row.n, byId.get(row.MediaId as string)!.comments);
    assert.equal(rows.length, 10);
  });

  test('an IN list of parameters is batched as well', async () => {
    const ids = media().slice(0, 7).map(([id]) => id);
    r.clear();
    const rows = await r.rows(`SELECT Id, LikeCount FROM IGMedia WHERE Id IN (${ids.map(() => '?').join(',')})`, ids);
    assert.equal(rows.length, 7);
    assert.equal(r.requests().length, 1);
  });

  test('repeated identical GETs within one query are fetched once', async () => {
    const [id] = media()[0]!;
    r.clear();
    const rows = await r.rows('SELECT a.Id FROM Media a WHERE a.Id = @id UNION ALL SELECT b.Id FROM Media b WHERE b.Id = @id', { id });
    assert.equal(rows.length, 2);
    assert.equal(r.requests().length, 1);
  });

  test('Media ⋈ Comments over 500 media costs pages + batches, not one call per media', async () => {
    r.clear();
    const res = await r.conn.query('SELECT count(*) AS n FROM Media m JOIN Comments c ON c.MediaId = m.Id WHERE m.BusinessAccountId = ?', [account]);
    let n = 0;
    for await (const row of res.rows) n = Number(row[0]);
    const all = media();
    assert.equal(n, all.reduce((s, [, m]) => s + m.comments, 0), 'every top-level comment');
    const mediaPages = Math.ceil(all.length / 100);
    // Second pages of comments are batched with those of the media whose first pages came in the same batch
    // (overlap on, the default); third and later pages are read one by one.
    const secondPages = all.filter(([, m]) => m.comments > 50).length;
    const laterPages = all.reduce((s, [, m]) => s + Math.max(0, Math.ceil(m.comments / 50) - 2), 0);
    const batches = r.requests().filter((q) => q.batch).length;
    assert.ok(batches <= mediaPages * 4, `${batches} batches for ${mediaPages} pages of 100 media`);
    const singles = r.requests().length - mediaPages - batches;
    assert.ok(singles <= laterPages + mediaPages, `${singles} single requests for ${laterPages} third-or-later pages`);
    const calls = r.requests().reduce((n, q) => n + (q.batch?.length ?? 1), 0);
    assert.ok(calls <= mediaPages + all.length + secondPages + laterPages, `${calls} Graph calls`);
    assert.equal(res.stats.apiCalls, r.requests().length, 'stats count what the sandbox saw');
    assert.ok(r.requests().length < all.length / 5, `${r.requests().length} calls for ${all.length} media`);
  });

  test('all media of an account (500) with their MediaInsights: at most ceil(500/page) + ceil(500/50) requests', async () => {
    r.clear();
    const res = await r.conn.query(
      'SELECT m.MediaProductType, count(DISTINCT m.Id) AS media, count(*) AS metrics FROM Media m JOIN MediaInsights i ON i.MediaId = m.Id WHERE m.BusinessAccountId = ? GROUP BY 1',
      [account],
    );
    let seen = 0;
    for await (const row of res.rows) seen += Number(row[1]);
    const all = media();
    assert.equal(seen, all.length, 'every media has insights');
    const page = Number(r.requests().find((q) => q.route.endsWith('/media'))!.query.limit);
    const bound = Math.ceil(all.length / page) + Math.ceil(all.length / 50);
    assert.ok(r.requests().length <= bound, `${r.requests().length} requests, bound ${bound}`);
  });

  test('Comments ⋈ Replies fetches replies for each page of comments in batches', async () => {
    const m = media().filter(([, x]) => x.comments > 10 && x.comments <= 50)[0]!;
    r.clear();
    const rows = await r.rows('SELECT c.Id, count(rp.Id) AS n FROM Comments c LEFT JOIN Replies rp ON rp.CommentId = c.Id WHERE c.MediaId = ? GROUP BY c.Id', [m[0]]);
    assert.equal(rows.length, m[1].comments);
    for (const row of rows) assert.equal(row.n, m[1].replies[row.Id as string] ?? 0);
    assert.ok(r.requests().length <= 3, `${r.requests().length} requests: comments page + one batch of replies (+ follow-ups)`);
  });
});
