// GET /{media}/insights and GET /{ig-user}/insights with Graph's validation as the 2026 references state it:
// metric sets per product type, removed metrics (and views only from v22.0), period / metric_type / breakdown
// compatibility, the 30-day since..until window, days that end at midnight Pacific, and error 10 for stories
// seen by fewer than 5 accounts.
// [USER-INS] https://developers.facebook.com/documentation/instagram-platform/api-reference/instagram-user/insights
// [MEDIA-INS] https://developers.facebook.com/documentation/instagram-platform/reference/instagram-media/insights
import { requireScopes } from '../auth';
import type { Ctx } from '../context';
import { graphTime, linkFor } from '../context';
import {
  ACCOUNT_METRICS, REMOVED_ACCOUNT_METRICS, TIMEFRAMES, combinations, dailyValue, demographicTotal, onlineFollowers, split,
} from '../data/account-metrics';
import { MEDIA_METRICS, MEDIA_METRIC_TEXT, REMOVED_MEDIA_METRICS, mediaMetricValues, productKind } from '../data/media-metrics';
import { nextPacificMidnight, pacificDayStart } from '../data/pacific';
import type { IgUser, Media } from '../data/types';
import { timeParam } from '../edges';
import { GraphError } from '../errors';
import { parseFields } from '../fields';

/** The fields of an Insights Result object (https://developers.facebook.com/docs/graph-api/reference/insights-result/), with IG's total_value. */
const INSIGHT_FIELDS = ['id', 'name', 'period', 'values', 'title', 'description', 'total_value'];

/**
 * `fields=` on the insights edge selects the fields of each Insights Result, as on any edge
 * (https://developers.facebook.com/docs/graph-api/guides/field-expansion); without it every field comes. A
 * field the object does not have fails the call, as Graph's "(#100) Tried accessing nonexisting field".
 * The id always comes, as for every node.
 */
function selectInsightFields(ctx: Ctx, data: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  const specs = parseFields(ctx.params.fields);
  if (!specs) return data;
  for (const s of specs) if (!INSIGHT_FIELDS.includes(s.name)) throw GraphError.nonexistingField(s.name, 'InstagramInsightsResult');
  return data.map((item) => {
    const out: Record<string, unknown> = {};
    for (const s of specs) if (item[s.name] !== undefined) out[s.name] = item[s.name];
    out.id = item.id;
    return out;
  });
}

const INSIGHT_SCOPES = ['instagram_basic', 'instagram_manage_insights'];
const DAY = 86400;
/** since..until may span at most 30 days [USER-INS]. */
const MAX_RANGE = 30 * DAY;

function metricList(ctx: Ctx): string[] {
  const raw = ctx.params.metric;
  if (!raw || raw.trim() === '') throw GraphError.param('(#100) The parameter metric is required');
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

/** "v21.0" → 21; no version in the path means the app's default, the newest. */
function majorVersion(ctx: Ctx): number {
  const m = /^v(\d+)\./.exec(ctx.version);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

function noLongerSupported(metric: string, what: 'media' | 'user'): GraphError {
  const doc = what === 'media' ? 'instagram-media/insights' : 'instagram-user/insights';
  return GraphError.param(`(#100) Starting from version v22.0 and above, the ${metric} metric is no longer supported for the queried ${what}. Please refer to the documentation at https://developers.facebook.com/docs/instagram-platform/reference/${doc} for a list of supported metrics.`);
}

/** Graph's answer to a name outside the metric list, e.g. "(#100) metric[0] must be one of the following values: …". */
function notOneOf(index: number, allowed: readonly string[]): GraphError {
  return GraphError.param(`(#100) metric[${index}] must be one of the following values: ${allowed.join(', ')}`);
}

export function mediaInsights(ctx: Ctx, media: Media): unknown {
  requireScopes(ctx.token, INSIGHT_SCOPES);
  const owner = ctx.world.users.get(media.ownerId);
  if (!owner?.managed) throw GraphError.permission('(#10) Not enough permission to access the insights of this media');
  if (media.parentId) throw GraphError.param('(#100) The Media Insights API does not support carousel album children; request the album instead');
  const kind = productKind(media)!;
  const metrics = metricList(ctx);
  const allowed = MEDIA_METRICS[kind];
  const unsupported: string[] = [];
  for (const m of metrics) {
    if (REMOVED_MEDIA_METRICS.includes(m) || ctx.world.rules.removedMetrics.has(m)) throw noLongerSupported(m, 'media');
    if (!MEDIA_METRIC_TEXT[m]) {
      throw notOneOf(metrics.indexOf(m), [...new Set(Object.values(MEDIA_METRICS).flat())]);
    }
    // views exists from v22.0 [MEDIA-INS]; v21 answers as for a metric the product type lacks (as Graph did).
    if (!allowed.includes(m) || (m === 'views' && majorVersion(ctx) < 22)) unsupported.push(m);
  }
  // Graph names every unsupported metric at once: "does not support the impressions, replies metric for this
  // media product type" (reported answers to v20.0 requests).
  if (unsupported.length) throw GraphError.param(`(#100) The Media Insights API does not support the ${unsupported.join(', ')} metric for this media product type.`);
  if (media.fewViewers) throw GraphError.permission('(#10) Not enough viewers for the media to show insights');
  const values = mediaMetricValues(ctx.world, media);
  return {
    data: selectInsightFields(ctx, metrics.map((name) => ({
      name, period: 'lifetime', values: [{ value: values[name] ?? 0 }],
      title: MEDIA_METRIC_TEXT[name]![0], description: MEDIA_METRIC_TEXT[name]![1], id: `${media.id}/insights/${name}/lifetime`,
    }))),
  };
}

/**
 * The end of each Pacific day touched by [since, until), as Graph labels a day: by its end, midnight Pacific
 * (07:00 UTC in summer, 08:00 UTC in winter) [USER-INS]. since=Nov 1 08:00Z, until=Nov 8 08:00Z (Pacific midnights)
 * give the seven days labelled Nov 2 … Nov 8; a range that cuts a day counts that whole day.
 */
function dayEnds(since: number, until: number): number[] {
  const ends: number[] = [];
  let start = pacificDayStart(since);
  do {
    const end = nextPacificMidnight(start);
    ends.push(end);
    start = end;
  } while (start < until);
  return ends;
}

function window(ctx: Ctx): { since: number; until: number } {
  const sinceP = timeParam(ctx.params, 'since');
  const untilP = timeParam(ctx.params, 'until');
  // Without since/until Graph answers the last 24 hours [USER-INS].
  const until = untilP ?? (sinceP !== undefined ? Math.min(ctx.world.now, sinceP + MAX_RANGE) : ctx.world.now);
  const since = sinceP ?? until - DAY;
  if (until < since) throw GraphError.param('(#100) The since parameter must be before the until parameter');
  if (until - since > MAX_RANGE) throw GraphError.param(`(#100) There cannot be more than 30 days (${MAX_RANGE} s) between since and until`);
  return { since, until };
}

/** The metric names this version lists, in Graph's order (the text of "must be one of"). */
function listedAccountMetrics(ctx: Ctx): string[] {
  const v = majorVersion(ctx);
  return Object.entries(ACCOUNT_METRICS).filter(([name, d]) => (d.since ?? 0) <= v && !ctx.world.rules.removedMetrics.has(name)).map(([name]) => name);
}

function checkAccountMetric(ctx: Ctx, m: string, index: number, period: string, metricType: string, breakdowns: string[]): void {
  if (REMOVED_ACCOUNT_METRICS.includes(m)) throw noLongerSupported(m, 'user');
  // A metric removed by SandboxOptions.removedMetrics leaves the list, as the Jan 2025 removals did.
  const listed = listedAccountMetrics(ctx);
  if (!listed.includes(m)) throw notOneOf(index, listed);
  const def = ACCOUNT_METRICS[m]!;
  if (!def.periods.includes(period)) throw GraphError.param(`(#100) Incompatible period (${period}) for metric ${m}; supported: ${def.periods.join(', ')}`);
  if (!def.types.includes(metricType as 'time_series')) {
    throw GraphError.param(`(#100) The following metrics (${m}) should be specified with parameter metric_type=${def.types[0]}`);
  }
  const accepted = m === 'views' ? def.breakdowns.map((b) => (b === 'follower_type' ? ctx.world.rules.viewsBreakdown : b)) : def.breakdowns;
  for (const b of breakdowns) if (!accepted.includes(b)) throw GraphError.param(`(#100) Incompatible breakdowns (${b}) for metric ${m}`);
  if (breakdowns.length && metricType !== 'total_value') throw GraphError.param('(#100) breakdown is only supported with metric_type=total_value');
  if (def.demographic) {
    if (!ctx.params.timeframe || !TIMEFRAMES.includes(ctx.params.timeframe)) throw GraphError.param(`(#100) The parameter timeframe is required and must be one of: ${TIMEFRAMES.join(', ')}`);
    if (breakdowns.length !== 1) throw GraphError.param('(#100) Demographic metrics require exactly one breakdown: age, city, country or gender');
  }
}

/**
 * Time-based paging of a time series: previous/next name the windows before and after with since/until and no
 * cursors ("Time-based Pagination", https://developers.facebook.com/docs/graph-api/results).
 */
function timePaging(ctx: Ctx, user: IgUser, since: number, until: number): { previous: string; next: string } {
  const span = Math.max(until - since, DAY);
  const keep = { ...ctx.params };
  delete keep.access_token;
  const at = (s: number, u: number) => linkFor(ctx, `${user.id}/insights`, { ...keep, since: String(s), until: String(u) });
  return { previous: at(since - span, since), next: at(until, until + span) };
}

export function accountInsights(ctx: Ctx, user: IgUser): unknown {
  requireScopes(ctx.token, INSIGHT_SCOPES);
  const metrics = metricList(ctx);
  const period = ctx.params.period;
  if (!period) throw GraphError.param('(#100) The parameter period is required');
  const metricType = ctx.params.metric_type || 'time_series';
  if (metricType !== 'time_series' && metricType !== 'total_value') throw GraphError.param('(#100) metric_type must be one of the following values: time_series, total_value');
  const breakdowns = (ctx.params.breakdown ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  // A request naming any metric Graph rejects fails as a whole [USER-INS].
  metrics.forEach((m, i) => checkAccountMetric(ctx, m, i, period, metricType, breakdowns));
  const { since, until } = window(ctx);
  const ends = dayEnds(since, until);
  const seed = ctx.world.seed;
  let series = false;
  const data = metrics.map((name) => {
    const def = ACCOUNT_METRICS[name]!;
    const head = { name, period, title: def.title, description: def.description };
    const id = `${user.id}/insights/${name}/${period}`;
    if (def.demographic) {
      // The answer names the timeframe as a dimension before the breakdown ([USER-INS] example: keys
      // ["timeframe","country"], values ["LAST_90_DAYS","AR"]: the timeframe's name upper-cased).
      const b = breakdowns[0]!;
      const timeframe = ctx.params.timeframe!;
      const total = demographicTotal(seed, user, name, timeframe);
      const results = split(seed, `${user.id}:${name}:${b}:${timeframe}`, total, combinations([b]))
        .map((r) => ({ ...r, dimension_values: [timeframe.toUpperCase(), ...r.dimension_values] }));
      return { ...head, total_value: { breakdowns: [{ dimension_keys: ['timeframe', b], results }] }, id };
    }
    if (name === 'online_followers') {
      series = true;
      // "Insights data for the online_followers metric is only available for the last 30 days" [USER-INS].
      const recent = ends.filter((e) => e > ctx.world.now - MAX_RANGE);
      return { ...head, values: recent.map((e) => ({ value: onlineFollowers(seed, user, e), end_time: graphTime(e) })), id };
    }
    if (metricType === 'time_series') {
      series = true;
      return { ...head, values: ends.map((e) => ({ value: dailyValue(seed, user, name, e), end_time: graphTime(e) })), id };
    }
    const total = ends.reduce((sum, e) => sum + dailyValue(seed, user, name, e), 0);
    const tv: Record<string, unknown> = { value: total };
    if (breakdowns.length) {
      tv.breakdowns = [{ dimension_keys: breakdowns, results: split(seed, `${user.id}:${name}:${breakdowns.join('+')}:${since}:${until}`, total, combinations(breakdowns)) }];
    }
    return { ...head, total_value: tv, id };
  });
  // An unavailable metric answers an empty data set, not 0 [USER-INS].
  const answered = selectInsightFields(ctx, data.filter((d) => !('values' in d) || (d.values as unknown[]).length > 0));
  return series ? { data: answered, paging: timePaging(ctx, user, since, until) } : { data: answered };
}
