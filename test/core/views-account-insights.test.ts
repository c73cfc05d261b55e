// Account insight views against the sandbox: the 30-day default window, longer EndTime ranges split into
// ≤ 30-day requests (since/until read from the request log), exact EndTime pushdown for Graph's day labels,
// breakdowns that add up to the totals, audience demographics and online followers.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { collect, failure, rig, type Rig } from '../helpers';

const DAY = 86400;
const REMOVED = ['impressions', 'profile_impressions', 'plays', 'video_views', 'email_contacts', 'get_directions_clicks', 'phone_call_clicks', 'text_message_clicks'];
const sec = (iso: string) => Date.parse(iso) / 1000;

describe('account insights views', () => {
  let r: Rig;
  let account: string;
  let followers: number;
  const insightRequests = () => r.requests().filter((q) => q.route === `/${account}/insights`);
  before(async () => {
    r = await rig({ media: 5 });
    const [id, a] = Object.entries(r.sandbox.summary().accounts)[0]!;
    account = id;
    followers = a.followersCount;
  });
  after(() => r.close());

  test('without an EndTime range: one request covering the last 30 days up to now', async () => {
    r.clear();
    const before = Date.now() / 1000;
    const rows = await r.rows('SELECT Metric, EndTime, Value FROM AccountWithoutBreakdown WHERE BusinessAccountId = ?', [account]);
    const [q, ...more] = insightRequests();
    assert.equal(more.length, 0);
    assert.equal(q!.query.metric_type, 'total_value');
    assert.equal(Number(q!.query.until) - Number(q!.query.since), 30 * DAY);
    assert.ok(Math.abs(Number(q!.query.until) - before) < 120, 'until is now');
    assert.ok(rows.length >= 10 && rows.every((x) => typeof x.Value === 'number'));
    assert.ok(!q!.query.metric!.split(',').some((m) => REMOVED.includes(m)));

    r.clear();
    const series = await r.rows("SELECT EndTime FROM AccountTimeSeriesWithoutBreakdown WHERE BusinessAccountId = ? AND Metric = 'reach'", [account]);
    assert.equal(insightRequests().length, 1);
    assert.equal(series.length, 30, 'thirty daily values');
    assert.equal(new Set(series.map((x) => x.EndTime)).size, 30);
  });

  test('a 90-day EndTime range is split into three 30-day requests; each day is read once', async () => {
    r.clear();
    const rows = await r.rows(
      "SELECT EndTime, Value FROM AccountTimeSeriesWithoutBreakdown WHERE BusinessAccountId = ? AND Metric = 'reach' AND EndTime >= '2026-01-01' AND EndTime < '2026-04-01'",
      [account]);
    const spans = insightRequests().map((q) => [Number(q.query.since), Number(q.query.until)] as const).sort((a, b) => a[0] - b[0]);
    assert.equal(spans.length, 3);
    assert.ok(spans.every(([s, u]) => u - s <= 30 * DAY));
    for (let i = 1; i < spans.length; i++) assert.equal(spans[i]![0], spans[i - 1]![1], 'contiguous spans');
    // Graph labels day D by its end (D+1, 08:00 UTC): the days are asked one day earlier than the labels.
    assert.equal(spans[0]![0], sec('2026-01-01') - DAY);
    assert.equal(spans[2]![1], sec('2026-04-01') - DAY);
    assert.ok(insightRequests().every((q) => q.query.metric === 'reach' && q.query.metric_type === 'time_series' && q.query.period === 'day'));
    assert.equal(rows.length, 90, 'every day of the range, none lost at the edges or repeated at the seams');
    assert.equal(new Set(rows.map((x) => x.EndTime)).size, 90);
    assert.ok(rows.every((x) => (x.EndTime as string) >= '2026-01-01' && (x.EndTime as string) < '2026-04-01'));

    r.clear();
    const totals = await r.rows(
      "SELECT EndTime, Value FROM AccountWithoutBreakdown WHERE BusinessAccountId = ? AND Metric = 'reach' AND EndTime >= '2026-01-01' AND EndTime < '2026-04-01' ORDER BY EndTime",
      [account]);
    assert.deepEqual(insightRequests().map((q) => [q.query.since, q.query.until]).sort(),
      [['2026-01-01', '2026-01-31'], ['2026-01-31', '2026-03-02'], ['2026-03-02', '2026-04-01']].map(([s, u]) => [String(sec(s!)), String(sec(u!))]));
    assert.equal(totals.length, 3);
    // The totals add up to the daily values of the same days (Jan 1 … Mar 31, labelled Jan 2 … Apr 1).
    const daily = await r.rows(
      "SELECT sum(Value) AS s, count(*) AS n FROM AccountTimeSeriesWithoutBreakdown WHERE BusinessAccountId = ? AND Metric = 'reach' AND EndTime >= '2026-01-02' AND EndTime < '2026-04-02'",
      [account]);
    assert.equal(daily[0]!.n, 90);
    assert.equal(totals.reduce((s, x) => s + (x.Value as number), 0), daily[0]!.s);
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
    assert.ok(result.stats.notes.some((n) => /impressions in 2025/.test(n)), result.stats.notes.join('\n'));

    const bad = await failure(() => r.conn.query("SELECT * FROM AccountInsights WHERE BusinessAccountId = ? AND MetricType = 'lifetime'", [account]));
    assert.equal(bad.code, 'INVALID_VALUE');
    assert.match(bad.message, /time_series, total_value/);
  });

  test('breakdowns add up to the total of the same window (follow type, media product type)', async () => {
    const where = "BusinessAccountId = @acc AND EndTime >= '2026-02-01' AND EndTime <= '2026-02-15'";
    const [total] = await r.rows(`SELECT Value FROM AccountWithoutBreakdown WHERE Metric = 'reach' AND ${where}`, { acc: account });
    r.clear();
    const follow = await r.rows(`SELECT FollowType, Value FROM AccountFollowType WHERE Metric = 'reach' AND ${where}`, { acc: account });
    assert.deepEqual(follow.map((x) => x.FollowType).sort(), ['FOLLOWER', 'NON_FOLLOWER']);
    assert.equal(follow.reduce((s, x) => s + (x.Value as number), 0), total!.Value);
    assert.deepEqual(insightRequests().map((q) => q.query.breakdown), ['follow_type']);
    const mpt = await r.rows(`SELECT MediaProductType, Value FROM AccountMediaProductType WHERE Metric = 'reach' AND ${where}`, { acc: account });
    assert.ok(mpt.length >= 2);
    assert.equal(mpt.reduce((s, x) => s + (x.Value as number), 0), total!.Value);
    r.clear();
    const taps = await r.rows(`SELECT ContactButtonType, Value FROM AccountContactButtonType WHERE ${where}`, { acc: account });
    assert.ok(taps.length >= 1 && taps.every((x) => typeof x.ContactButtonType === 'string'));
    assert.deepEqual(insightRequests().map((q) => [q.query.metric, q.query.breakdown]), [['profile_links_taps', 'contact_button_type']]);
  });

  test('daily breakdown views: one request per day, each day equal to that day of the time series', async () => {
    r.clear();
    const rows = await r.rows(
      "SELECT EndTime, FollowType, Value FROM AccountTimeSeriesFollowType WHERE BusinessAccountId = ? AND Metric = 'reach' AND EndTime >= '2026-03-01' AND EndTime < '2026-03-06'",
      [account]);
    const days = insightRequests().map((q) => [Number(q.query.since), Number(q.query.until)]);
    assert.equal(days.length, 5, 'the days ending Mar 1 … Mar 5');
    assert.ok(days.every(([s, u]) => u! - s! === DAY && s! % DAY === 0));
    const ends = [...new Set(rows.map((x) => x.EndTime as string))].sort();
    assert.deepEqual(ends, ['2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05'].map((d) => `${d}T00:00:00Z`));
    const series = await r.rows(
      "SELECT EndTime, Value FROM AccountTimeSeriesWithoutBreakdown WHERE BusinessAccountId = ? AND Metric = 'reach' AND EndTime >= '2026-03-01' AND EndTime < '2026-03-06'",
      [account]);
    for (const end of ends) {
      const day = rows.filter((x) => x.EndTime === end).reduce((s, x) => s + (x.Value as number), 0);
      // The time series labels the same day 08:00 UTC (midnight Pacific) instead of midnight UTC.
      const label = end.replace('T00:00:00Z', 'T08:00:00Z');
      assert.equal(day, series.find((x) => x.EndTime === label)?.Value, `day ending ${end}`);
    }
  });

  test('AudienceInsights: one request per breakdown, this_month by default; follower demographics add up to the followers', async () => {
    r.clear();
    const rows = await r.rows('SELECT * FROM AudienceInsights WHERE BusinessAccountId = ?', [account]);
    const q = insightRequests();
    assert.deepEqual(q.map((x) => x.query.breakdown).sort(), ['age', 'city', 'country', 'gender']);
    assert.ok(q.every((x) => x.query.timeframe === 'this_month' && x.query.period === 'lifetime' && x.query.metric_type === 'total_value'));
    assert.ok(rows.every((x) => x.Timeframe === 'this_month'));
    for (const b of ['age', 'city', 'country', 'gender']) {
      const sum = rows.filter((x) => x.Metric === 'follower_demographics' && x.Breakdown === b).reduce((s, x) => s + (x.Value as number), 0);
      assert.equal(sum, followers, `followers by ${b}`);
    }
    assert.deepEqual([...new Set(rows.map((x) => x.Metric))].sort(), ['engaged_audience_demographics', 'follower_demographics', 'reached_audience_demographics']);

    r.clear();
    const gender = await r.rows("SELECT DimensionValue FROM AudienceInsights WHERE BusinessAccountId = ? AND Breakdown = 'gender' AND Metric = 'follower_demographics' AND Timeframe = 'this_week'", [account]);
    assert.ok(gender.every((x) => ['F', 'M', 'U'].includes(x.DimensionValue as string)) && gender.length > 0);
    assert.deepEqual(insightRequests().map((x) => [x.query.metric, x.query.breakdown, x.query.timeframe]), [['follower_demographics', 'gender', 'this_week']]);

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

  test('OnlineFollowers: 24 hourly values per day, lifetime period, the EndTime range pushed down', async () => {
    r.clear();
    const rows = await r.rows("SELECT EndTime, Hour, Value FROM OnlineFollowers WHERE BusinessAccountId = ? AND EndTime >= '2026-05-01' AND EndTime < '2026-05-08'", [account]);
    const [q, ...more] = insightRequests();
    assert.equal(more.length, 0);
    assert.equal(q!.query.metric, 'online_followers');
    assert.equal(q!.query.period, 'lifetime');
    const ends = [...new Set(rows.map((x) => x.EndTime))];
    assert.equal(ends.length, 7);
    for (const e of ends) assert.deepEqual(rows.filter((x) => x.EndTime === e).map((x) => x.Hour), Array.from({ length: 24 }, (_, h) => h));
    assert.ok(rows.every((x) => (x.Value as number) >= 0 && (x.Value as number) <= followers));
  });
});
