// Account insight views against the sandbox: the 30-day default window, longer EndTime ranges split into
// ≤ 30-day requests (since/until read from the request log), exact EndTime pushdown for Graph's day labels,
// breakdowns that add up to the totals, audience demographics and online followers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { collect, failure, rig, type Rig } from '../helpers';
import { lookahead } from '../../src/core/schema/account-insights-common';

const DAY = 86400;
const REMOVED = ['impressions', 'profile_impressions', 'plays', 'video_views', 'profile_views', 'website_clicks', 'email_contacts', 'get_directions_clicks', 'phone_call_clicks', 'text_message_clicks'];
const isoOf = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', 'Z');

describe('account insights views', () => {
  let r: Rig;
  let account: string;
  let followers: number;
  // Graph calls, whether sent alone or inside a batch (a window's spans go together).
  const insightRequests = () => r.calls().filter((q) => q.route === `/${account}/insights`);
  before(async () => {
    r = await rig({ media: 5 });
    const [id, a] = Object.entries(r.sandbox.summary().accounts)[0]!;
    account = id;
    followers = a.followersCount;
  });
  after(() => r.close());

  test('without an EndTime range: the last 30 days up to now, asked on Pacific midnights; removed metrics never asked', async () => {
    r.clear();
    const before = Date.now() / 1000;
    const rows = await r.rows('SELECT Metric, EndTime, Value FROM AccountWithoutBreakdown WHERE BusinessAccountId = ?', [account]);
    const qs = insightRequests();
    assert.ok(qs.length >= 1 && qs.length <= 2, 'one request, two when the 30 days cross a DST change');
    for (const q of qs) {
      assert.equal(q.query.metric_type, 'total_value');
      for (const t of [q.query.since, q.query.until]) assert.match(isoOf(Number(t)), /T0[78]:00:00Z$/, 'a Pacific midnight');
      assert.ok(!q.query.metric!.split(',').some((m) => REMOVED.includes(m)), q.query.metric);
    }
    const last = Math.max(...qs.map((q) => Number(q.query.until)));
    assert.ok(last <= before && before - last <= DAY + 3600, 'up to the last Pacific midnight');
    assert.ok(rows.length >= 10 && rows.every((x) => typeof x.Value === 'number'));
    assert.ok(rows.some((x) => x.Metric === 'views'), 'views is a total_value metric (v22+)');

    r.clear();
    const series = await r.rows("SELECT EndTime FROM AccountTimeSeriesWithoutBreakdown WHERE BusinessAccountId = ? AND Metric = 'reach'", [account]);
    assert.ok(insightRequests().length <= 2);
    assert.equal(series.length, 30, 'thirty daily values');
    assert.equal(new Set(series.map((x) => x.EndTime)).size, 30);
    assert.ok(series.every((x) => /T0[78]:00:00Z$/.test(x.EndTime as string)));
  });

  test('a 90-day EndTime range: contiguous ≤ 30-day requests on Pacific midnights, across the DST change; each day read once', async () => {
    r.clear();
    const rows = await r.rows(
      "SELECT EndTime, Value FROM AccountTimeSeriesWithoutBreakdown WHERE BusinessAccountId = ? AND Metric = 'reach' AND EndTime >= '2026-01-01' AND EndTime < '2026-04-01'",
      [account]);
    const spans = insightRequests().map((q) => [Number(q.query.since), Number(q.query.until)] as const).sort((a, b) => a[0] - b[0]);
    assert.equal(spans.length, 3);
    assert.ok(spans.every(([s, u]) => u - s <= 30 * DAY));
    for (let i = 1; i < spans.length; i++) assert.equal(spans[i]![0], spans[i - 1]![1], 'contiguous spans');
    // The first day is the one ending Jan 1 08:00 UTC (midnight PST); the last ends Mar 31 07:00 UTC (PDT from Mar 8).
    assert.equal(isoOf(spans[0]![0]), '2025-12-31T08:00:00Z');
    assert.equal(isoOf(spans[2]![1]), '2026-03-31T07:00:00Z');
    assert.ok(insightRequests().every((q) => q.query.metric === 'reach' && q.query.metric_type === 'time_series' && q.query.period === 'day'));
    assert.equal(r.requests().length, 1, 'the three spans in one Graph batch: one HTTP request');
    assert.equal(rows.length, 90, 'every day of the range, none lost at the edges or repeated at the seams');
    assert.equal(new Set(rows.map((x) => x.EndTime)).size, 90);
    const ends = rows.map((x) => x.EndTime as string).sort();
    assert.equal(ends[0], '2026-01-01T08:00:00Z');
    assert.ok(ends.includes('2026-03-08T08:00:00Z') && ends.includes('2026-03-09T07:00:00Z'), 'the label moves with daylight saving time');
    assert.equal(ends[89], '2026-03-31T07:00:00Z');

    r.clear();
    const totals = await r.rows(
      "SELECT EndTime, Value FROM AccountWithoutBreakdown WHERE BusinessAccountId = ? AND Metric = 'reach' AND EndTime >= '2026-01-01' AND EndTime < '2026-04-01' ORDER BY EndTime",
      [account]);
    assert.deepEqual(insightRequests().map((q) => [Number(q.query.since), Number(q.query.until)]).sort((a, b) => a[0]! - b[0]!), spans.map((x) => [...x]),
      'the totals ask for the same days as the time series');
    assert.equal(totals.length, 3);
    assert.deepEqual(totals.map((x) => x.EndTime), spans.map(([, u]) => isoOf(u)), 'a total is labelled with the end of its last day');
    // The totals add up to the daily values of the same days.
    assert.equal(totals.reduce((s, x) => s + (x.Value as number), 0), rows.reduce((s, x) => s + (x.Value as number), 0));
  });

  test('AccountInsights: both metric types by default, MetricType pushdown, removed metrics explained without a call', async () => {
    r.clear();
    const rows = await r.rows("SELECT Metric, Period, MetricType, EndTime, Value, Title FROM AccountInsights WHERE BusinessAccountId = ? AND EndTime >= '2026-02-01' AND EndTime <= '2026-02-10'", [account]);
    const types = insightRequests().map((q) => q.query.metric_type).sort();
    assert.deepEqual(types, ['time_series', 'total_value']);
    assert.ok(rows.some((x) => x.MetricType === 'time_series') && rows.some((x) => x.MetricType === 'total_value'));
    assert.ok(rows.every((x) => x.Period === 'day' && typeof x.Title === 'string'));
    const follower = rows.filter((x) => x.Metric === 'follower_count');
    assert.ok(follower.length > 0 && follower.every((x) => x.MetricType === 'time_series'));

    r.clear();
    const tv = await r.rows("SELECT DISTINCT MetricType FROM AccountInsights WHERE BusinessAccountId = ? AND MetricType = 'total_value'", [account]);
    assert.deepEqual(tv, [{ MetricType: 'total_value' }]);
    assert.deepEqual(insightRequests().map((q) => q.query.metric_type), ['total_value']);

    r.clear();
    const result = await r.conn.query("SELECT * FROM AccountInsights WHERE BusinessAccountId = ? AND Metric = 'impressions'", [account]);
    assert.deepEqual(await collect(result), []);
    assert.deepEqual(insightRequests(), []);
    assert.ok(result.stats.notes.some((n) => /impressions on 2025-04-21/.test(n)), result.stats.notes.join('\n'));
    for (const gone of ['profile_views', 'website_clicks']) {
      const res = await r.conn.query(`SELECT * FROM AccountWithoutBreakdown WHERE BusinessAccountId = ? AND Metric = '${gone}'`, [account]);
      assert.deepEqual(await collect(res), []);
      assert.ok(res.stats.notes.some((n) => n.includes(`removed ${gone} for all versions on 2025-01-08`)), res.stats.notes.join('\n'));
    }
    assert.deepEqual(insightRequests(), []);

    const bad = await failure(() => r.conn.query("SELECT * FROM AccountInsights WHERE BusinessAccountId = ? AND MetricType = 'lifetime'", [account]));
    assert.equal(bad.code, 'INVALID_VALUE');
    assert.match(bad.message, /time_series, total_value/);
  });

  test('breakdowns add up to the total of the same days; views asks for follower_type, reach for follow_type', async () => {
    const where = "BusinessAccountId = @acc AND EndTime >= '2026-02-01' AND EndTime <= '2026-02-15'";
    const totals = await r.rows(`SELECT Metric, Value FROM AccountWithoutBreakdown WHERE Metric IN ('reach', 'views') AND ${where}`, { acc: account });
    const total = (m: string) => totals.find((x) => x.Metric === m)!.Value as number;
    r.clear();
    const follow = await r.rows(`SELECT Metric, FollowType, Value FROM AccountFollowType WHERE ${where}`, { acc: account });
    for (const m of ['reach', 'views']) {
      const part = follow.filter((x) => x.Metric === m);
      assert.ok(part.length >= 2 && part.every((x) => ['FOLLOWER', 'NON_FOLLOWER', 'UNKNOWN'].includes(x.FollowType as string)), m);
      assert.equal(part.reduce((s, x) => s + (x.Value as number), 0), total(m), `${m} by follow type adds up`);
    }
    assert.ok(follow.some((x) => x.Metric === 'follows_and_unfollows'), 'follows_and_unfollows is offered with its follow_type breakdown');
    assert.deepEqual(insightRequests().map((q) => [q.query.breakdown, q.query.metric]).sort(),
      [['follow_type', 'reach,follows_and_unfollows'], ['follower_type', 'views']]);
    const mpt = await r.rows(`SELECT MediaProductType, Value FROM AccountMediaProductType WHERE Metric = 'reach' AND ${where}`, { acc: account });
    assert.ok(mpt.length >= 2);
    assert.equal(mpt.reduce((s, x) => s + (x.Value as number), 0), total('reach'));
    r.clear();
    const taps = await r.rows(`SELECT ContactButtonType, Value FROM AccountContactButtonType WHERE ${where}`, { acc: account });
    assert.ok(taps.length >= 1 && taps.every((x) => typeof x.ContactButtonType === 'string'));
    assert.deepEqual(insightRequests().map((q) => [q.query.metric, q.query.breakdown]), [['profile_links_taps', 'contact_button_type']]);
  });

  test('daily breakdown views: one request per Pacific day, each equal to that day of the time series', async () => {
    r.clear();
    const rows = await r.rows(
      "SELECT EndTime, FollowType, Value FROM AccountTimeSeriesFollowType WHERE BusinessAccountId = ? AND Metric = 'reach' AND EndTime >= '2026-03-06' AND EndTime < '2026-03-11'",
      [account]);
    const days = insightRequests().map((q) => [Number(q.query.since), Number(q.query.until)] as const).sort((a, b) => a[0] - b[0]);
    assert.equal(days.length, 5, 'the days ending Mar 6 … Mar 10');
    assert.ok(days.every(([s, u]) => /T0[78]:00:00Z$/.test(isoOf(s)) && /T0[78]:00:00Z$/.test(isoOf(u))));
    assert.equal(days[3]![1] - days[3]![0], DAY - 3600, 'Mar 8, the day DST starts, lasts 23 hours');
    const ends = [...new Set(rows.map((x) => x.EndTime as string))].sort();
    assert.deepEqual(ends, ['2026-03-06T08:00:00Z', '2026-03-07T08:00:00Z', '2026-03-08T08:00:00Z', '2026-03-09T07:00:00Z', '2026-03-10T07:00:00Z']);
    const series = await r.rows(
      "SELECT EndTime, Value FROM AccountTimeSeriesWithoutBreakdown WHERE BusinessAccountId = ? AND Metric = 'reach' AND EndTime >= '2026-03-06' AND EndTime < '2026-03-11'",
      [account]);
    assert.deepEqual(series.map((x) => x.EndTime).sort(), ends, 'the same labels as the time series');
    for (const end of ends) {
      const day = rows.filter((x) => x.EndTime === end).reduce((s, x) => s + (x.Value as number), 0);
      assert.equal(day, series.find((x) => x.EndTime === end)?.Value, `day ending ${end}`);
    }
  });

  test('AudienceInsights: each listed metric on its own per breakdown; values read at the breakdown\'s key, after the timeframe key', async () => {
    r.clear();
    const rows = await r.rows('SELECT * FROM AudienceInsights WHERE BusinessAccountId = ?', [account]);
    const q = insightRequests();
    assert.equal(q.length, 8, 'two metrics × four breakdowns');
    assert.deepEqual([...new Set(q.map((x) => x.query.metric))].sort(), ['engaged_audience_demographics', 'follower_demographics']);
    assert.deepEqual([...new Set(q.map((x) => x.query.breakdown))].sort(), ['age', 'city', 'country', 'gender']);
    assert.ok(q.every((x) => x.query.timeframe === 'this_month' && x.query.period === 'lifetime' && x.query.metric_type === 'total_value'));
    assert.ok(rows.every((x) => x.Timeframe === 'this_month'));
    for (const b of ['age', 'city', 'country', 'gender']) {
      const sum = rows.filter((x) => x.Metric === 'follower_demographics' && x.Breakdown === b).reduce((s, x) => s + (x.Value as number), 0);
      assert.equal(sum, followers, `followers by ${b}`);
    }
    assert.ok(!rows.some((x) => x.DimensionValue === 'THIS_MONTH'), 'not the timeframe key at position 0');
    assert.ok(rows.filter((x) => x.Breakdown === 'age').every((x) => /^\d+(-\d+|\+)$/.test(x.DimensionValue as string)));
    assert.deepEqual([...new Set(rows.map((x) => x.Metric))].sort(), ['engaged_audience_demographics', 'follower_demographics']);

    r.clear();
    const gender = await r.rows("SELECT DimensionValue FROM AudienceInsights WHERE BusinessAccountId = ? AND Breakdown = 'gender' AND Metric = 'follower_demographics' AND Timeframe = 'this_week'", [account]);
    assert.ok(gender.every((x) => ['F', 'M', 'U'].includes(x.DimensionValue as string)) && gender.length > 0);
    assert.deepEqual(insightRequests().map((x) => [x.query.metric, x.query.breakdown, x.query.timeframe]), [['follower_demographics', 'gender', 'this_week']]);

    r.clear();
    const reached = await r.conn.query("SELECT * FROM AudienceInsights WHERE BusinessAccountId = ? AND Metric = 'reached_audience_demographics'", [account]);
    assert.deepEqual(await collect(reached), []);
    assert.ok(reached.stats.notes.some((n) => /no longer lists reached_audience_demographics/.test(n)), reached.stats.notes.join('\n'));
    assert.deepEqual(insightRequests(), []);

    const bad = await failure(() => r.conn.query("SELECT * FROM AudienceInsights WHERE Timeframe = 'yesterday'"));
    assert.equal(bad.code, 'INVALID_VALUE');
    assert.match(bad.message, /this_week/);

    // Graph dropped the other timeframes in v20.0: refused before any call, naming the ones that remain.
    r.clear();
    for (const gone of ['last_14_days', 'last_30_days', 'last_90_days', 'prev_month']) {
      const e = await failure(() => r.conn.query(`SELECT * FROM AudienceInsights WHERE BusinessAccountId = ? AND Timeframe = '${gone}'`, [account]));
      assert.equal(e.code, 'INVALID_VALUE');
      assert.match(e.message, new RegExp(`${gone}.*v20\\.0.*this_week.*this_month`));
    }
    assert.deepEqual(insightRequests(), []);
  });

  test('a redundant looser bound keeps the day on the tighter one (each bound strict or not on its own)', async () => {
    const series = async (where: string) =>
      (await r.rows(`SELECT EndTime, Value FROM AccountTimeSeriesWithoutBreakdown WHERE BusinessAccountId = ? AND Metric = 'reach' AND ${where}`, [account])).map((x) => `${String(x.EndTime)}=${String(x.Value)}`).sort();
    const wide = await series("EndTime >= '2026-10-01' AND EndTime < '2026-10-31'");
    // October (PDT): days end at 07:00 UTC.
    const within = (lo: (t: string) => boolean, hi: (t: string) => boolean) => wide.filter((x) => lo(x.split('=')[0]!) && hi(x.split('=')[0]!));
    const tenth = '2026-10-10T07:00:00Z';
    const upper = await series(`EndTime >= '2026-10-05' AND EndTime <= '${tenth}' AND EndTime < '2026-10-20'`);
    assert.deepEqual(upper, within((t) => t >= '2026-10-05', (t) => t <= tenth));
    assert.ok(upper.some((x) => x.startsWith(tenth)), 'the day on the `<=` bound');
    const lower = await series(`EndTime >= '${tenth}' AND EndTime > '2026-10-01' AND EndTime < '2026-10-15'`);
    assert.deepEqual(lower, within((t) => t >= tenth, (t) => t < '2026-10-15'));
    assert.ok(lower.some((x) => x.startsWith(tenth)), 'the day on the `>=` bound');

    const total = async (where: string) =>
      (await r.rows(`SELECT sum(Value) AS v FROM AccountInsights WHERE BusinessAccountId = ? AND Metric = 'likes' AND MetricType = 'total_value' AND ${where}`, [account]))[0]!.v;
    assert.equal(
      await total(`EndTime >= '2026-10-05' AND EndTime <= '${tenth}' AND EndTime < '2026-10-20'`),
      await total(`EndTime >= '2026-10-05' AND EndTime <= '${tenth}'`),
    );
  });

  test('OnlineFollowers: 24 hourly values per day, lifetime period, the EndTime range pushed down', async () => {
    r.clear();
    // Graph keeps 30 days: a week ending yesterday (dates relative to today).
    const day = (n: number) => new Date(Date.now() - n * DAY * 1000).toISOString().slice(0, 10);
    const rows = await r.rows('SELECT EndTime, Hour, Value FROM OnlineFollowers WHERE BusinessAccountId = ? AND EndTime >= ? AND EndTime < ?', [account, day(8), day(1)]);
    const [q, ...more] = insightRequests();
    assert.equal(more.length, 0);
    assert.equal(q!.query.metric, 'online_followers');
    assert.equal(q!.query.period, 'lifetime');
    const ends = [...new Set(rows.map((x) => x.EndTime))];
    assert.equal(ends.length, 7);
    for (const e of ends) assert.deepEqual(rows.filter((x) => x.EndTime === e).map((x) => x.Hour), Array.from({ length: 24 }, (_, h) => h));
    assert.ok(rows.every((x) => (x.Value as number) >= 0 && (x.Value as number) <= followers));

    const old = await r.conn.query("SELECT * FROM OnlineFollowers WHERE BusinessAccountId = ? AND EndTime >= '2026-05-01' AND EndTime < '2026-05-08'", [account]);
    assert.deepEqual(await collect(old), [], 'Graph answers an empty data set for days older than 30 days');
    assert.ok(old.stats.notes.some((n) => /last 30 days only/.test(n)), old.stats.notes.join('\n'));
  });
});

describe('lookahead (the spans of an insights window)', () => {
  // Answers controlled by the test: each fetch returns a promise the test settles.
  const controlled = () => {
    const settle: Array<{ ok: (v: string) => void; fail: (e: Error) => void }> = [];
    const asked: number[] = [];
    const fetch = (i: number) => new Promise<string>((ok, fail) => { asked.push(i); settle[i] = { ok, fail }; });
    return { settle, asked, fetch };
  };

  test('answers that came together are one run, in order, each with its item; later ones their own runs', async () => {
    const { settle, asked, fetch } = controlled();
    const it = lookahead([0, 1, 2, 3, 4], 4, fetch);
    const first = it.next();
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(asked, [0, 1, 2, 3], 'four asked at once, the fifth when a slot frees');
    // 2 answers before 0 and 1: still yielded after them.
    settle[2]!.ok('c');
    settle[1]!.ok('b');
    settle[0]!.ok('a');
    assert.deepEqual((await first).value, [{ item: 0, value: 'a' }, { item: 1, value: 'b' }, { item: 2, value: 'c' }]);
    assert.deepEqual(asked, [0, 1, 2, 3, 4]);
    const second = it.next();
    settle[3]!.ok('d');
    assert.deepEqual((await second).value, [{ item: 3, value: 'd' }], '4 was not in yet');
    const third = it.next();
    settle[4]!.ok('e');
    assert.deepEqual((await third).value, [{ item: 4, value: 'e' }]);
    assert.equal((await it.next()).done, true);
  });

  test('a failed fetch ends the run before it, and its error comes when it is the head', async () => {
    const { settle, fetch } = controlled();
    const it = lookahead([0, 1, 2], 3, fetch);
    const first = it.next();
    await new Promise((r) => setImmediate(r));
    settle[1]!.fail(new Error('span 1 failed'));
    settle[2]!.ok('c');
    settle[0]!.ok('a');
    assert.deepEqual((await first).value, [{ item: 0, value: 'a' }], 'the answer before the failure is not lost');
    await assert.rejects(it.next(), /span 1 failed/);
  });
});
