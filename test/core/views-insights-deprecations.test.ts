// Surviving Graph's deprecations (GRAPH-2026 "Survive deprecations"), against a sandbox told to refuse a metric
// as Graph refuses a removed one: the view still answers, the refused metric reads as NULL, the notes say why,
// and it is not asked again. Also: metrics newer than the connection's ApiVersion are not asked for, the views
// breakdown name falls back when Graph wants the other one, and the weekly hashtag quota is reported as such.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import got from 'got';
import { collect, failure, rig, type Rig } from '../helpers';

const insightRoutes = (r: Rig) => r.requests().flatMap((q) => (q.batch
  ? q.batch.map((b) => ({ route: b.path.replace(/^\/v\d+\.\d+/, ''), query: b.query, status: b.status }))
  : [{ route: q.route, query: q.query, status: q.status }])).filter((c) => /\/insights$/.test(c.route));
const metricsOf = (q: { query: Record<string, string> }) => (q.query.metric ?? '').split(',');

describe('insights views survive a refused metric', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 30, removedMetrics: ['accounts_engaged', 'follower_count', 'saved'] });
    account = Object.keys(r.sandbox.summary().accounts)[0]!;
  });
  after(() => r.close());

  test('account totals: the refused metric is NULL with a note, the others answer; asked once per query', async () => {
    r.clear();
    const res = await r.conn.query("SELECT Metric, EndTime, Value FROM AccountWithoutBreakdown WHERE BusinessAccountId = ? AND EndTime >= '2026-06-01' AND EndTime < '2026-06-20'", [account]);
    const rows = await collect(res);
    const engaged = rows.filter((x) => x.Metric === 'accounts_engaged');
    assert.deepEqual(engaged.map((x) => x.Value), [null], 'one NULL row for the span');
    assert.ok(rows.filter((x) => x.Metric !== 'accounts_engaged').every((x) => typeof x.Value === 'number'));
    assert.ok(rows.some((x) => x.Metric === 'reach') && rows.some((x) => x.Metric === 'views'));
    assert.ok(res.stats.notes.some((n) => /refused the metric accounts_engaged/.test(n) && /must be one of/.test(n)), res.stats.notes.join('\n'));
    const qs = insightRoutes(r);
    assert.equal(qs.length, 2, 'the request, then the same without the refused metric');
    assert.equal(qs[0]!.status, 400);
    assert.ok(metricsOf(qs[0]!).includes('accounts_engaged') && !metricsOf(qs[1]!).includes('accounts_engaged'));
    assert.deepEqual(metricsOf(qs[1]!), metricsOf(qs[0]!).filter((m) => m !== 'accounts_engaged'));
  });

  test('account time series: a NULL per day for the refused metric; later requests of the query leave it out', async () => {
    r.clear();
    const res = await r.conn.query("SELECT Metric, EndTime, Value FROM AccountTimeSeriesWithoutBreakdown WHERE BusinessAccountId = ? AND EndTime >= '2026-01-01' AND EndTime < '2026-03-01'", [account]);
    const rows = await collect(res);
    const follower = rows.filter((x) => x.Metric === 'follower_count');
    const reach = rows.filter((x) => x.Metric === 'reach');
    assert.equal(reach.length, 59);
    assert.ok(reach.every((x) => typeof x.Value === 'number'));
    assert.deepEqual(follower.map((x) => x.EndTime).sort(), reach.map((x) => x.EndTime).sort(), 'the same days');
    assert.ok(follower.every((x) => x.Value === null));
    const ok = insightRoutes(r).filter((q) => q.status === 200);
    assert.equal(ok.length, 2, 'two 30-day spans answered');
    assert.ok(ok.every((q) => !metricsOf(q).includes('follower_count')));
    assert.ok(insightRoutes(r).length <= 4, 'at most one refusal per span in flight');
  });

  test('media insights: the refused metric is a NULL column; the rest of the set is read, batched', async () => {
    r.clear();
    const res = await r.conn.query('SELECT MediaId, Likes, Saved, Reach FROM MediaInsightsPost WHERE BusinessAccountId = ?', [account]);
    const rows = await collect(res);
    assert.ok(rows.length >= 5);
    assert.ok(rows.every((x) => x.Saved === null && typeof x.Likes === 'number' && typeof x.Reach === 'number'));
    assert.ok(res.stats.notes.some((n) => /refused the metric saved/.test(n) && /no longer supported/.test(n)), res.stats.notes.join('\n'));
    const answered = insightRoutes(r).filter((q) => q.status === 200);
    assert.ok(answered.length >= rows.length && answered.every((q) => !metricsOf(q).includes('saved')));
    const http = r.requests().filter((q) => q.batch || /\/insights$/.test(q.route));
    assert.ok(http.length <= 6, `batched: ${http.length} HTTP calls`);

    r.clear();
    const long = await collect(await r.conn.query("SELECT MediaId, Metric, Value FROM MediaInsights WHERE MediaId = ? AND Metric = 'saved'", [rows[0]!.MediaId]));
    assert.deepEqual(long, [{ MediaId: rows[0]!.MediaId, Metric: 'saved', Value: null }]);
    // Within one query: every feed media has its NULL row, though only the first request named the metric.
    r.clear();
    const ids = rows.slice(0, 4).map((x) => x.MediaId as string);
    const several = await collect(await r.conn.query(`SELECT MediaId, Value FROM MediaInsights WHERE Metric = 'saved' AND MediaId IN (${ids.map(() => '?').join(',')})`, ids));
    assert.deepEqual(several.map((x) => x.MediaId).sort(), [...ids].sort());
    assert.ok(several.every((x) => x.Value === null));
  });
});

describe('an invalid-metric answer that does not say which metric', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 5 });
    account = Object.keys(r.sandbox.summary().accounts)[0]!;
  });
  after(() => r.close());

  test('the metrics are asked one at a time, so the rest still answers', async () => {
    // An index outside the request's list: Graph refused something, but not a metric the request can name.
    await got.post(`${r.sandbox.url}/__sandbox/faults`, { json: { path: '/insights$', times: 1, status: 400, code: 100, message: '(#100) metric[40] must be one of the following values: reach' } });
    r.clear();
    const res = await r.conn.query("SELECT Metric, Value FROM AccountWithoutBreakdown WHERE BusinessAccountId = ? AND EndTime >= '2026-06-01' AND EndTime < '2026-06-10'", [account]);
    const rows = await collect(res);
    const qs = insightRoutes(r);
    const asked = metricsOf(qs[0]!);
    assert.ok(asked.length > 5);
    assert.equal(qs[0]!.status, 400);
    assert.deepEqual(qs.slice(1).map((q) => q.query.metric), asked, 'then one request per metric');
    assert.deepEqual(rows.map((x) => x.Metric).sort(), [...asked].sort());
    assert.ok(rows.every((x) => typeof x.Value === 'number'));
  });
});

describe('a breakdown Graph refuses for a metric', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 5 });
    account = Object.keys(r.sandbox.summary().accounts)[0]!;
  });
  after(() => r.close());

  test('the group is split to find the metric; it reads as NULL, the others answer', async () => {
    // The request of reach and follows_and_unfollows by follow_type is refused, then reach alone is refused too.
    await got.post(`${r.sandbox.url}/__sandbox/faults`, { json: { path: '/insights$', times: 2, status: 400, code: 100, message: '(#100) Incompatible breakdowns (follow_type) for metric reach' } });
    r.clear();
    const res = await r.conn.query("SELECT Metric, FollowType, Value FROM AccountFollowType WHERE BusinessAccountId = ? AND EndTime >= '2026-06-01' AND EndTime < '2026-06-10'", [account]);
    const rows = await collect(res);
    assert.deepEqual(rows.filter((x) => x.Metric === 'reach'), [{ Metric: 'reach', FollowType: null, Value: null }]);
    for (const m of ['views', 'follows_and_unfollows']) assert.ok(rows.filter((x) => x.Metric === m).length >= 2 && rows.filter((x) => x.Metric === m).every((x) => typeof x.Value === 'number'), m);
    assert.ok(res.stats.notes.some((n) => /refused the metric reach/.test(n) && /Incompatible breakdowns/.test(n)), res.stats.notes.join('\n'));
    assert.deepEqual(insightRoutes(r).map((q) => [q.query.metric, q.query.breakdown, q.status]), [
      ['reach,follows_and_unfollows', 'follow_type', 400], ['reach', 'follow_type', 400], ['follows_and_unfollows', 'follow_type', 200], ['views', 'follower_type', 200]]);
  });
});

describe('metrics Graph refuses for one product type', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 40 });
    account = Object.keys(r.sandbox.summary().accounts)[0]!;
  });
  after(() => r.close());

  test('refused for reels only: NULL on reels, still read for feed posts; both metrics named in one answer are dropped at once', async () => {
    const media = r.sandbox.summary().accounts[account]!.media;
    const reel = Object.entries(media).find(([, m]) => m.productType === 'REELS')![0];
    const post = Object.entries(media).find(([, m]) => m.productType === 'FEED' && m.mediaType === 'IMAGE')![0];
    await got.post(`${r.sandbox.url}/__sandbox/faults`, { json: { path: `/${reel}/insights$`, times: 1, status: 400, code: 100, message: '(#100) The Media Insights API does not support the shares, saved metric for this media product type.' } });
    r.clear();
    const res = await r.conn.query('SELECT MediaId, Metric, Value FROM MediaInsights WHERE MediaId IN (?, ?)', [reel, post]);
    const rows = await collect(res);
    const value = (id: string, m: string) => rows.find((x) => x.MediaId === id && x.Metric === m)?.Value;
    assert.equal(value(reel, 'shares'), null);
    assert.equal(value(reel, 'saved'), null);
    assert.equal(typeof value(reel, 'likes'), 'number');
    for (const m of ['shares', 'saved', 'likes']) assert.equal(typeof value(post, m), 'number', `feed ${m}`);
    assert.ok(res.stats.notes.some((n) => /refused the metric shares/.test(n)) && res.stats.notes.some((n) => /refused the metric saved/.test(n)), res.stats.notes.join('\n'));
    const reelAsks = insightRoutes(r).filter((q) => q.route === `/${reel}/insights`);
    assert.equal(reelAsks.length, 2, 'one refusal, one retry without both metrics');
    assert.ok(!metricsOf(reelAsks[1]!).includes('shares') && !metricsOf(reelAsks[1]!).includes('saved'));
  });
});

describe('metrics newer than the connection\'s ApiVersion are not asked for', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 10 }, 'ApiVersion=v21.0');
    account = Object.keys(r.sandbox.summary().accounts)[0]!;
  });
  after(() => r.close());

  test('v21.0: no views in account or media requests, a note says why, the rest answers', async () => {
    r.clear();
    const res = await r.conn.query('SELECT Metric, Value FROM AccountWithoutBreakdown WHERE BusinessAccountId = ?', [account]);
    const rows = await collect(res);
    assert.ok(rows.length > 5 && rows.every((x) => x.Metric !== 'views' && typeof x.Value === 'number'));
    assert.ok(res.stats.notes.some((n) => /views exists from Graph v22\.0; this connection uses ApiVersion v21\.0/.test(n)), res.stats.notes.join('\n'));
    assert.ok(insightRoutes(r).every((q) => q.status === 200 && !metricsOf(q).includes('views')));

    r.clear();
    const media = await r.conn.query('SELECT MediaId, Views, Reach FROM MediaInsightsPost WHERE BusinessAccountId = ?', [account]);
    const mrows = await collect(media);
    assert.ok(mrows.length >= 1 && mrows.every((x) => x.Views === null && typeof x.Reach === 'number'));
    assert.ok(insightRoutes(r).every((q) => q.status === 200 && !metricsOf(q).includes('views')));
    assert.ok(media.stats.notes.some((n) => /views exists from Graph v22\.0/.test(n)));

    r.clear();
    const only = await r.conn.query("SELECT * FROM AccountFollowType WHERE BusinessAccountId = ? AND Metric = 'views'", [account]);
    assert.deepEqual(await collect(only), []);
    assert.deepEqual(insightRoutes(r), []);
  });
});

describe('the views breakdown name', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 5, viewsBreakdown: 'follow_type' });
    account = Object.keys(r.sandbox.summary().accounts)[0]!;
  });
  after(() => r.close());

  test('when Graph wants follow_type for views, the view falls back to it and the values still add up', async () => {
    const where = "BusinessAccountId = @acc AND EndTime >= '2026-02-01' AND EndTime <= '2026-02-15'";
    const [total] = await r.rows(`SELECT Value FROM AccountWithoutBreakdown WHERE Metric = 'views' AND ${where}`, { acc: account });
    r.clear();
    const rows = await r.rows(`SELECT FollowType, Value FROM AccountFollowType WHERE Metric = 'views' AND ${where}`, { acc: account });
    assert.ok(rows.length >= 2);
    assert.equal(rows.reduce((s, x) => s + (x.Value as number), 0), total!.Value);
    assert.deepEqual(insightRoutes(r).map((q) => [q.query.breakdown, q.status]), [['follower_type', 400], ['follow_type', 200]]);

    r.clear();
    const daily = await r.rows("SELECT EndTime, Value FROM AccountTimeSeriesFollowType WHERE BusinessAccountId = ? AND Metric = 'views' AND EndTime >= '2026-02-01' AND EndTime < '2026-02-11'", [account]);
    assert.equal(new Set(daily.map((x) => x.EndTime)).size, 10);
    const refusedCalls = insightRoutes(r).filter((q) => q.status !== 200);
    assert.ok(refusedCalls.length <= 4, `the fallback is remembered (${refusedCalls.length} refusals, at most one per request in flight)`);
  });
});

describe('the weekly hashtag quota', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 5 });
    account = Object.keys(r.sandbox.summary().accounts)[0]!;
  });
  after(() => r.close());

  test('the 31st unique hashtag fails with HASHTAG_LIMIT naming the limit; a repeat still works', async () => {
    for (let i = 0; i < 30; i++) {
      const rows = await r.rows('SELECT Id FROM HashtagSearch WHERE Name = ? AND BusinessAccountId = ?', [`quota${i}`, account]);
      assert.equal(rows.length, 1);
    }
    const e = await failure(() => r.conn.query('SELECT Id FROM HashtagSearch WHERE Name = ? AND BusinessAccountId = ?', ['quota30', account]));
    assert.equal(e.code, 'HASHTAG_LIMIT');
    assert.equal(e.details.limit, 30);
    assert.match(e.message, /30 unique hashtag searches of the last 7 days/);
    assert.match(e.message, /#quota30/);
    const again = await r.rows('SELECT Id FROM HashtagSearch WHERE Name = ? AND BusinessAccountId = ?', ['quota3', account]);
    assert.equal(again.length, 1, 'a hashtag of this week costs nothing');
    const other = await failure(() => r.conn.query("SELECT Id FROM HashtagSearch WHERE Name = 'not-a-tag!' AND BusinessAccountId = ?", [account]));
    assert.equal(other.code, 'GRAPH_ERROR', 'an invalid name is not reported as the quota');
  });
});
