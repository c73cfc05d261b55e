// Media insights views against the sandbox: the metric set per MediaProductType (asserted from the request log,
// batch items included), values consistent with the media's counters, the story privacy threshold as NULL,
// metric pushdown, and batching (insights of many media cost ceil(N/50) calls).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import got from 'got';
import type { MediaSummary } from '../../src/sandbox';
import { collect, rig, type Rig } from '../helpers';
import { connect } from '../../src/core';

const SETS: Record<string, string[]> = {
  FEED: ['reach', 'likes', 'comments', 'saved', 'shares', 'total_interactions', 'follows', 'profile_visits', 'profile_activity', 'views'],
  REELS: ['reach', 'likes', 'comments', 'saved', 'shares', 'total_interactions', 'views', 'ig_reels_avg_watch_time', 'ig_reels_video_view_total_time', 'reels_skip_rate'],
  STORY: ['reach', 'replies', 'navigation', 'follows', 'profile_visits', 'profile_activity', 'shares', 'total_interactions', 'views'],
};
const REMOVED = ['impressions', 'plays', 'video_views', 'carousel_album_impressions', 'engagement', 'exits', 'taps_forward', 'taps_back'];
const kindOf = (m: MediaSummary) => (m.productType === 'AD' ? 'FEED' : m.productType);

interface Call { method: string; route: string; query: Record<string, string>; status: number; inBatch: boolean }

/** Every Graph call the sandbox saw, batch items flattened, version prefix stripped. */
function calls(r: Rig): Call[] {
  const strip = (p: string) => p.replace(/^\/v\d+\.\d+/, '');
  return r.requests().flatMap((q): Call[] => (q.batch
    ? q.batch.map((b) => ({ method: b.method, route: strip(b.path), query: b.query, status: b.status, inBatch: true }))
    : [{ method: q.method, route: q.route, query: q.query, status: q.status, inBatch: false }]));
}

const insightCalls = (r: Rig) => calls(r).filter((c) => /^\/\d+\/insights$/.test(c.route));
const mediaOf = (c: Call) => c.route.split('/')[1]!;

describe('media insights views', () => {
  let r: Rig;
  let account: string;
  let media: Record<string, MediaSummary>;
  let fewViewers: Set<string>;
  before(async () => {
    r = await rig({ media: 60 });
    const accounts = r.sandbox.summary().accounts;
    account = Object.keys(accounts)[0]!;
    media = accounts[account]!.media;
    // The oracle for the privacy threshold: ask the sandbox directly which stories refuse their insights.
    fewViewers = new Set();
    for (const [id, m] of Object.entries(accounts).flatMap(([, a]) => Object.entries(a.media))) {
      if (m.productType !== 'STORY') continue;
      const res = await got(`${r.sandbox.url}/v24.0/${id}/insights`, { searchParams: { access_token: 'sandbox', metric: 'reach' }, throwHttpErrors: false });
      if (res.statusCode !== 200) {
        assert.equal(JSON.parse(res.body).error.code, 10);
        fewViewers.add(id);
      }
    }
    assert.ok(fewViewers.size >= 1, 'the sandbox has a story under the threshold');
  });
  after(() => r.close());

  test('MediaInsights asks every media of the account for exactly the metrics of its product type, batched', async () => {
    r.clear();
    const rows = await r.rows('SELECT MediaId, MediaProductType, Metric, Value FROM MediaInsights WHERE BusinessAccountId = ?', [account]);
    const asked = insightCalls(r);
    assert.deepEqual(asked.map(mediaOf).sort(), Object.keys(media).sort(), 'one insights call per media and story of the account');
    for (const c of asked) {
      const m = media[mediaOf(c)]!;
      assert.deepEqual(c.query.metric!.split(','), SETS[kindOf(m)], `metrics asked of a ${m.productType}`);
      assert.ok(!c.query.metric!.split(',').some((x) => REMOVED.includes(x)));
    }
    for (const [id, m] of Object.entries(media)) {
      const got = rows.filter((x) => x.MediaId === id);
      assert.deepEqual(got.map((x) => x.Metric).sort(), [...SETS[kindOf(m)]!].sort(), `rows of ${id}`);
      assert.ok(got.every((x) => x.MediaProductType === m.productType));
      if (fewViewers.has(id)) assert.ok(got.every((x) => x.Value === null));
      else assert.ok(got.every((x) => typeof x.Value === 'number'));
    }
    // Economy: insights travel in Graph batches of ≤ 50, never one HTTP request per media.
    const stories = Object.values(media).filter((m) => m.productType === 'STORY').length;
    const feed = Object.keys(media).length - stories;
    const http = r.requests().filter((q) => q.batch || /\/insights$/.test(q.route));
    assert.ok(http.length <= Math.ceil(feed / 50) + Math.ceil(stories / 50), `${http.length} insight requests for ${feed} media and ${stories} stories`);
    assert.ok(r.requests().every((q) => !q.batch || q.batch.length <= 50));
  });

  test('likes from MediaInsights equal LikeCount, through a join with Media and a pushed-down Metric', async () => {
    r.clear();
    const rows = await r.rows(
      `SELECT m.Id, m.LikeCount, i.Value FROM Media m JOIN MediaInsights i ON i.MediaId = m.Id
       WHERE m.BusinessAccountId = ? AND i.Metric = 'likes'`, [account]);
    const feedAndReels = Object.entries(media).filter(([, m]) => m.productType !== 'STORY');
    assert.equal(rows.length, feedAndReels.length);
    for (const x of rows) {
      assert.equal(x.Value, x.LikeCount);
      assert.equal(x.Value, media[x.Id as string]!.likeCount);
    }
    const asked = insightCalls(r);
    assert.ok(asked.length > 0 && asked.every((c) => c.query.metric === 'likes'), 'only the metric asked for is requested');
  });

  test('wide views: one row per media of their type, values agree with the sandbox counters', async () => {
    const expected: Record<string, (m: MediaSummary) => boolean> = {
      MediaInsightsPost: (m) => kindOf(m) === 'FEED' && m.mediaType !== 'CAROUSEL_ALBUM',
      MediaInsightsPostAlbum: (m) => kindOf(m) === 'FEED' && m.mediaType === 'CAROUSEL_ALBUM',
      MediaInsightReels: (m) => m.productType === 'REELS',
      MediaInsightsStory: (m) => m.productType === 'STORY',
    };
    for (const [view, wants] of Object.entries(expected)) {
      r.clear();
      const rows = await r.rows(`SELECT * FROM ${view} WHERE BusinessAccountId = ?`, [account]);
      const ids = Object.entries(media).filter(([, m]) => wants(m)).map(([id]) => id);
      assert.ok(ids.length > 0, `the sandbox has media for ${view}`);
      assert.deepEqual(rows.map((x) => x.MediaId).sort(), ids.sort(), view);
      assert.deepEqual(insightCalls(r).map(mediaOf).sort(), ids.sort(), `${view} asks only its own media`);
      for (const x of rows) {
        const m = media[x.MediaId as string]!;
        if (view === 'MediaInsightsStory') {
          if (fewViewers.has(x.MediaId as string)) assert.ok(Object.entries(x).every(([k, v]) => ['MediaId', 'BusinessAccountId'].includes(k) || v === null));
          else assert.ok((x.Views as number) >= (x.Reach as number) && (x.Reach as number) >= 5);
          continue;
        }
        assert.equal(x.Likes, m.likeCount);
        assert.equal(x.Comments, m.commentsCount);
        assert.equal(x.TotalInteractions, (x.Likes as number) + (x.Comments as number) + (x.Saved as number) + (x.Shares as number));
        if (view === 'MediaInsightReels') assert.ok((x.TotalWatchTimeMs as number) >= (x.AvgWatchTimeMs as number) && typeof x.SkipRate === 'number');
      }
    }
  });

  test('a story under the privacy threshold gives NULL values, not a failed query, and costs no retry', async () => {
    const [few] = [...fewViewers].filter((id) => media[id]);
    const id = few ?? [...fewViewers][0]!;
    r.clear();
    const rows = await r.rows('SELECT Metric, Value FROM MediaInsights WHERE MediaId = ?', [id]);
    assert.deepEqual(rows.map((x) => x.Metric).sort(), [...SETS.STORY!].sort());
    assert.ok(rows.every((x) => x.Value === null));
    assert.equal(insightCalls(r).length, 1);
    const all = await r.rows('SELECT MediaId, Reach FROM MediaInsightsStory');
    const stories = Object.values(r.sandbox.summary().accounts).reduce((n, a) => n + a.storyCount, 0);
    assert.equal(all.length, stories, 'every story of every account, none lost to the error');
    assert.deepEqual(all.filter((x) => x.Reach === null).map((x) => x.MediaId).sort(), [...fewViewers].sort());
  });

  test('a story under the threshold on ApiVersion v21.0: NULL rows of the metrics that version has (views came in v22.0)', async () => {
    const id = [...fewViewers][0]!;
    const old = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${r.sandbox.url};ApiVersion=v21.0`);
    try {
      const metrics = (await collect(await old.query('SELECT Metric FROM MediaInsights WHERE MediaId = ?', [id]))).map((x) => x.Metric).sort();
      assert.deepEqual(metrics, SETS.STORY!.filter((m) => m !== 'views').sort());
      assert.deepEqual(await collect(await old.query("SELECT Metric FROM MediaInsights WHERE MediaId = ? AND Metric = 'views'", [id])), []);
    } finally {
      await old.close();
    }
  });

  test('Metric pushdown: an unsupported metric for the type is never asked; a removed one is explained', async () => {
    const reel = Object.keys(media).find((id) => media[id]!.productType === 'REELS')!;
    r.clear();
    assert.deepEqual(await r.rows("SELECT * FROM MediaInsights WHERE MediaId = ? AND Metric = 'profile_visits'", [reel]), []);
    assert.deepEqual(insightCalls(r), [], 'profile_visits would fail the call for a reel');
    const one = await r.rows("SELECT Metric, Value FROM MediaInsights WHERE MediaId = ? AND Metric = 'reels_skip_rate'", [reel]);
    assert.equal(one.length, 1);
    assert.deepEqual(insightCalls(r).map((c) => c.query.metric), ['reels_skip_rate']);
    r.clear();
    const result = await r.conn.query("SELECT * FROM MediaInsights WHERE MediaId = ? AND Metric = 'impressions'", [reel]);
    assert.deepEqual(await collect(result), []);
    assert.deepEqual(r.requests(), []);
    assert.ok(result.stats.notes.some((n) => /impressions/.test(n) && /2025/.test(n)), result.stats.notes.join('\n'));
  });

  test('a wide view asked for a media of another type answers no row and asks no insights', async () => {
    const album = Object.keys(media).find((id) => media[id]!.mediaType === 'CAROUSEL_ALBUM')!;
    r.clear();
    const result = await r.conn.query('SELECT * FROM MediaInsightReels WHERE MediaId = ?', [album]);
    assert.deepEqual(await collect(result), []);
    assert.deepEqual(insightCalls(r), []);
    assert.ok(result.stats.notes.some((n) => n.includes(album)));
    const rows = await r.rows('SELECT MediaId, Likes FROM MediaInsightsPostAlbum WHERE MediaId = ?', [album]);
    assert.deepEqual(rows, [{ MediaId: album, Likes: media[album]!.likeCount }]);
  });

  test('MediaId IN (10 ids) of unknown media: types and insights each fetched in one batch', async () => {
    const ids = Object.keys(media).slice(0, 10);
    r.clear();
    const rows = await r.rows(`SELECT MediaId, Metric FROM MediaInsights WHERE MediaId IN (${ids.map(() => '?').join(',')})`, ids);
    assert.deepEqual([...new Set(rows.map((x) => x.MediaId))].sort(), [...ids].sort());
    assert.deepEqual(insightCalls(r).map(mediaOf).sort(), [...ids].sort());
    const http = r.requests().filter((q) => q.route !== '/me/permissions');
    assert.ok(http.length <= 2, `${http.length} requests: ${JSON.stringify(http.map((q) => [q.method, q.route, q.batch?.length]))}`);
  });
});
