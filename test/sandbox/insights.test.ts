// Media and account insights: metric sets per product type, removed metrics, consistency with the media's
// counters, the few-viewers story error, time series vs total value, breakdowns and the 30-day window.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { firstAccount, harness, NOW, V, type Harness } from './helpers';

const FEED = 'reach,likes,comments,saved,shares,total_interactions,follows,profile_visits,profile_activity,views';
const REELS = 'reach,likes,comments,saved,shares,total_interactions,views,ig_reels_avg_watch_time,ig_reels_video_view_total_time,reels_skip_rate';
const STORY = 'reach,replies,navigation,follows,profile_visits,profile_activity,shares,total_interactions,views';

describe('sandbox: insights', () => {
  let h: Harness;
  before(async () => { h = await harness({ media: 60 }); });
  after(async () => { await h.sb.close(); });

  const values = (body: any) => Object.fromEntries(body.data.map((d: any) => [d.name, d.values[0].value]));

  it('feed media: full metric set, Graph item shape, counters consistent', async () => {
    const { media } = firstAccount(h.sb);
    for (const [mid, m] of media.filter(([, x]) => x.productType === 'FEED').slice(0, 10)) {
      const r = await h.get(`${V}/${mid}/insights`, { metric: FEED });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const item = r.body.data[0];
      assert.deepEqual(Object.keys(item).sort(), ['description', 'id', 'name', 'period', 'title', 'values']);
      assert.equal(item.period, 'lifetime');
      assert.equal(item.id, `${mid}/insights/reach/lifetime`);
      const v = values(r.body);
      assert.equal(v.likes, m.likeCount);
      assert.equal(v.comments, m.commentsCount);
      assert.ok(v.reach >= v.likes);
      assert.ok(v.views >= v.reach);
      assert.equal(v.total_interactions, v.likes + v.comments + v.saved + v.shares);
    }
  });

  it('reels have their own set; a feed-only metric on a reel fails with (#100)', async () => {
    const { media } = firstAccount(h.sb);
    const [rid] = media.find(([, m]) => m.productType === 'REELS')!;
    const ok = await h.get(`${V}/${rid}/insights`, { metric: REELS });
    assert.equal(ok.body.data.length, 10);
    const bad = await h.get(`${V}/${rid}/insights`, { metric: 'reach,profile_visits' });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, 100);
    assert.match(bad.body.error.message, /does not support the profile_visits metric for this media product type/);
    const two = await h.get(`${V}/${rid}/insights`, { metric: 'follows,reach,profile_visits' });
    assert.equal(two.body.error.message, '(#100) The Media Insights API does not support the follows, profile_visits metric for this media product type.');
  });

  it('stories: story set works; a story with < 5 viewers answers (#10) not enough viewers', async () => {
    const all = Object.values(h.sb.summary().accounts).flatMap((a) => Object.entries(a.media)).filter(([, m]) => m.productType === 'STORY');
    let few = 0;
    let ok = 0;
    for (const [sid] of all) {
      const r = await h.get(`${V}/${sid}/insights`, { metric: STORY });
      if (r.status === 200) { ok++; assert.equal(r.body.data.length, 9); continue; }
      assert.equal(r.body.error.code, 10);
      assert.equal(r.body.error.message, '(#10) Not enough viewers for the media to show insights');
      few++;
    }
    assert.ok(few >= 1 && ok >= 1, `few=${few} ok=${ok}`);
    const saved = await h.get(`${V}/${all[0]![0]}/insights`, { metric: 'saved' });
    assert.equal(saved.body.error.code, 100);
  });

  it('removed metrics say they are no longer supported', async () => {
    const { media } = firstAccount(h.sb);
    for (const metric of ['impressions', 'plays', 'video_views']) {
      const r = await h.get(`${V}/${media[0]![0]}/insights`, { metric });
      assert.equal(r.body.error.code, 100);
      assert.match(r.body.error.message, new RegExp(`${metric} metric is no longer supported`));
    }
  });

  it('account time series: days end at midnight Pacific (07:00 UTC in summer, 08:00 in winter); time-based paging', async () => {
    const { id } = firstAccount(h.sb);
    // DST ends on 2026-11-01: the day of Oct 31 ends 07:00 UTC, the days after it 08:00 UTC.
    const since = Math.floor(Date.parse('2026-10-31T07:00:00Z') / 1000);
    const until = Math.floor(Date.parse('2026-11-07T08:00:00Z') / 1000);
    const r = await h.get(`${V}/${id}/insights`, { metric: 'reach,follower_count', period: 'day', since, until });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    for (const series of r.body.data) {
      assert.deepEqual(series.values.map((v: any) => v.end_time), [
        '2026-11-01T07:00:00+0000', '2026-11-02T08:00:00+0000', '2026-11-03T08:00:00+0000', '2026-11-04T08:00:00+0000',
        '2026-11-05T08:00:00+0000', '2026-11-06T08:00:00+0000', '2026-11-07T08:00:00+0000']);
      assert.ok(series.values.every((v: any) => Number.isInteger(v.value)));
      assert.equal(series.id, `${id}/insights/${series.name}/day`);
    }
    // Time-based paging: previous/next carry since/until (the windows before and after), no cursors.
    const next = new URL(r.body.paging.next);
    const prev = new URL(r.body.paging.previous);
    assert.equal(r.body.paging.cursors, undefined);
    assert.equal(next.searchParams.get('since'), String(until));
    assert.equal(Number(next.searchParams.get('until')), until + (until - since));
    assert.equal(Number(prev.searchParams.get('until')), since);
    assert.equal(next.searchParams.get('metric'), 'reach,follower_count');
    const followed = await h.api.get(r.body.paging.next, { prefixUrl: '' }).json<any>();
    assert.equal(followed.data[0].values[0].end_time, '2026-11-08T08:00:00+0000', 'next starts where this page ended');
    const again = await h.get(`${V}/${id}/insights`, { metric: 'reach', period: 'day', since, until });
    assert.deepEqual(again.body.data[0].values, r.body.data[0].values, 'deterministic');
    const dflt = await h.get(`${V}/${id}/insights`, { metric: 'reach', period: 'day' });
    assert.ok(dflt.body.data[0].values.length >= 1 && dflt.body.data[0].values.length <= 2);
    const summer = await h.get(`${V}/${id}/insights`, { metric: 'reach', period: 'day', since: Date.parse('2026-07-01T07:00:00Z') / 1000, until: Date.parse('2026-07-03T07:00:00Z') / 1000 });
    assert.deepEqual(summer.body.data[0].values.map((v: any) => v.end_time), ['2026-07-02T07:00:00+0000', '2026-07-03T07:00:00+0000']);
  });

  it('metrics removed in 2025 are refused with Graph\'s error; views needs v22.0; the account views breakdown is follower_type', async () => {
    const { id } = firstAccount(h.sb);
    for (const metric of ['profile_views', 'website_clicks', 'email_contacts', 'get_directions_clicks', 'phone_call_clicks', 'text_message_clicks']) {
      const r = await h.get(`${V}/${id}/insights`, { metric: `reach,${metric}`, period: 'day', metric_type: 'total_value' });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 100);
      assert.equal(r.body.error.type, 'OAuthException');
      assert.match(r.body.error.message, /^\(#100\) metric\[1\] must be one of the following values: reach, follower_count, views, /);
      assert.ok(!r.body.error.message.includes(metric), 'the list no longer names it');
    }
    const imp = await h.get(`${V}/${id}/insights`, { metric: 'impressions', period: 'day' });
    assert.match(imp.body.error.message, /the impressions metric is no longer supported/);
    const old = await h.get(`v21.0/${id}/insights`, { metric: 'views', period: 'day', metric_type: 'total_value' });
    assert.equal(old.body.error.code, 100);
    assert.match(old.body.error.message, /metric\[0\] must be one of the following values: /);
    const oldMedia = await h.get(`v21.0/${firstAccount(h.sb).media[0]![0]}/insights`, { metric: 'reach,views' });
    assert.match(oldMedia.body.error.message, /does not support the views metric/);
    const ok = await h.get(`${V}/${id}/insights`, { metric: 'views', period: 'day', metric_type: 'total_value', breakdown: 'follower_type' });
    assert.equal(ok.status, 200, JSON.stringify(ok.body));
    assert.deepEqual(ok.body.data[0].total_value.breakdowns[0].dimension_keys, ['follower_type']);
    const other = await h.get(`${V}/${id}/insights`, { metric: 'views', period: 'day', metric_type: 'total_value', breakdown: 'follow_type' });
    assert.match(other.body.error.message, /Incompatible breakdowns \(follow_type\) for metric views/);
    const reached = await h.get(`${V}/${id}/insights`, { metric: 'reached_audience_demographics', period: 'lifetime', metric_type: 'total_value', breakdown: 'age', timeframe: 'this_week' });
    assert.match(reached.body.error.message, /metric\[0\] must be one of/);
  });

  it('total_value with a breakdown: results add up to the value', async () => {
    const { id } = firstAccount(h.sb);
    for (const [metric, breakdown] of [['reach', 'media_product_type'], ['reach', 'follow_type'], ['profile_links_taps', 'contact_button_type'], ['follows_and_unfollows', 'follow_type']]) {
      const r = await h.get(`${V}/${id}/insights`, { metric, period: 'day', metric_type: 'total_value', breakdown });
      assert.equal(r.status, 200, JSON.stringify(r.body));
      const tv = r.body.data[0].total_value;
      assert.deepEqual(tv.breakdowns[0].dimension_keys, [breakdown]);
      assert.equal(tv.breakdowns[0].results.reduce((s: number, x: any) => s + x.value, 0), tv.value);
    }
  });

  it('more than 30 days between since and until → (#100)', async () => {
    const { id } = firstAccount(h.sb);
    const since = Math.floor(Date.parse('2026-09-01T00:00:00Z') / 1000);
    const r = await h.get(`${V}/${id}/insights`, { metric: 'reach', period: 'day', since, until: since + 31 * 86400 });
    assert.equal(r.body.error.code, 100);
    assert.match(r.body.error.message, /30 days/);
    const ok = await h.get(`${V}/${id}/insights`, { metric: 'reach', period: 'day', since, until: since + 30 * 86400 });
    assert.equal(ok.status, 200);
  });

  it('total_value-only metrics reject time_series; online_followers is hourly; demographics need timeframe', async () => {
    const { id } = firstAccount(h.sb);
    const ts = await h.get(`${V}/${id}/insights`, { metric: 'views', period: 'day' });
    assert.match(ts.body.error.message, /metric_type=total_value/);
    const online = await h.get(`${V}/${id}/insights`, { metric: 'online_followers', period: 'lifetime' });
    assert.deepEqual(Object.keys(online.body.data[0].values[0].value).map(Number).sort((a, b) => a - b), Array.from({ length: 24 }, (_, i) => i));
    const since60 = Math.floor(NOW / 1000) - 60 * 86400;
    const stale = await h.get(`${V}/${id}/insights`, { metric: 'online_followers', period: 'lifetime', since: since60, until: since60 + 7 * 86400 });
    assert.equal(stale.status, 200);
    assert.deepEqual(stale.body.data, [], 'older than 30 days: an empty data set, not zeros');
    const noTf = await h.get(`${V}/${id}/insights`, { metric: 'follower_demographics', period: 'lifetime', metric_type: 'total_value', breakdown: 'country' });
    assert.equal(noTf.body.error.code, 100);
    const demo = await h.get(`${V}/${id}/insights`, { metric: 'follower_demographics', period: 'lifetime', metric_type: 'total_value', breakdown: 'age', timeframe: 'this_month' });
    // The timeframe is a dimension key before the breakdown [USER-INS].
    assert.deepEqual(demo.body.data[0].total_value.breakdowns[0].dimension_keys, ['timeframe', 'age']);
    const results = demo.body.data[0].total_value.breakdowns[0].results;
    assert.ok(results.every((x: any) => x.dimension_values[0] === 'THIS_MONTH'));
    assert.ok(results.some((x: any) => x.dimension_values[1] === '25-34'));
    const gone = await h.get(`${V}/${id}/insights`, { metric: 'follower_demographics', period: 'lifetime', metric_type: 'total_value', breakdown: 'age', timeframe: 'last_90_days' });
    assert.equal(gone.body.error.code, 100, 'timeframes before v20.0 are refused');
    assert.equal(results.reduce((s: number, x: any) => s + x.value, 0), h.sb.summary().accounts[id]!.followersCount);
    const imp = await h.get(`${V}/${id}/insights`, { metric: 'impressions', period: 'day' });
    assert.match(imp.body.error.message, /no longer supported/);
  });

  it('fields= selects the fields of each insight (the id always comes); a field insights lack fails with (#100)', async () => {
    const { media } = firstAccount(h.sb);
    const [mid] = media.find(([, m]) => m.productType === 'FEED')!;
    const full = await h.get(`${V}/${mid}/insights`, { metric: FEED });
    const some = await h.get(`${V}/${mid}/insights`, { metric: FEED, fields: 'name,values' });
    assert.equal(some.status, 200, JSON.stringify(some.body));
    assert.deepEqual(some.body.data.map((d: any) => Object.keys(d).sort()), full.body.data.map(() => ['id', 'name', 'values']));
    assert.deepEqual(some.body.data.map((d: any) => [d.id, d.name, d.values]), full.body.data.map((d: any) => [d.id, d.name, d.values]));
    const { id } = firstAccount(h.sb);
    const day = await h.get(`${V}/${id}/insights`, { metric: 'reach', period: 'day', metric_type: 'total_value', fields: 'name,total_value' });
    assert.deepEqual(Object.keys(day.body.data[0]).sort(), ['id', 'name', 'total_value']);
    const bad = await h.get(`${V}/${mid}/insights`, { metric: 'reach', fields: 'name,caption' });
    assert.equal(bad.body.error.code, 100);
    assert.match(bad.body.error.message, /nonexisting field \(caption\)/);
  });
});
