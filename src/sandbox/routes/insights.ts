// GET /{media}/insights and GET /{ig-user}/insights with Graph's validation: metric sets per product type,
// removed metrics, period / metric_type / breakdown compatibility, the 30-day since..until window, and
// error 10 for stories seen by fewer than 5 accounts.
import { requireScopes } from '../auth';
import type { Ctx } from '../context';
import { graphTime } from '../context';
import {
  ACCOUNT_METRICS, REMOVED_ACCOUNT_METRICS, TIMEFRAMES, combinations, dailyValue, demographicTotal, onlineFollowers, split,
} from '../data/account-metrics';
import { MEDIA_METRICS, MEDIA_METRIC_TEXT, REMOVED_MEDIA_METRICS, mediaMetricValues, productKind } from '../data/media-metrics';
import type { IgUser, Media } from '../data/types';
import { timeParam } from '../edges';
import { GraphError } from '../errors';

const INSIGHT_SCOPES = ['instagram_basic', 'instagram_manage_insights'];
const DAY = 86400;
const MAX_RANGE = 30 * DAY;

function metricList(ctx: Ctx): string[] {
  const raw = ctx.params.metric;
  if (!raw || raw.trim() === '') throw GraphError.param('(#100) The parameter metric is required');
  return raw.split(',').map((s) => s.trim()).filter(Boolean);
}

function noLongerSupported(metric: string, what: 'media' | 'user'): GraphError {
  const doc = what === 'media' ? 'instagram-media/insights' : 'instagram-user/insights';
  return GraphError.param(`(#100) Starting from version v22.0 and above, the ${metric} metric is no longer supported for the queried ${what}. Please refer to the documentation at https://developers.facebook.com/docs/instagram-platform/reference/${doc} for a list of supported metrics.`);
}

export function mediaInsights(ctx: Ctx, media: Media): unknown {
  requireScopes(ctx.token, INSIGHT_SCOPES);
  const owner = ctx.world.users.get(media.ownerId);
  if (!owner?.managed) throw GraphError.permission('(#10) Not enough permission to access the insights of this media');
  if (media.parentId) throw GraphError.param('(#100) The Media Insights API does not support carousel album children; request the album instead');
  const kind = productKind(media)!;
  const metrics = metricList(ctx);
  const allowed = MEDIA_METRICS[kind];
  for (const m of metrics) {
    if (REMOVED_MEDIA_METRICS.includes(m)) throw noLongerSupported(m, 'media');
    if (!MEDIA_METRIC_TEXT[m]) {
      throw GraphError.param(`(#100) metric[${metrics.indexOf(m)}] must be one of the following values: ${[...new Set(Object.values(MEDIA_METRICS).flat())].join(', ')}`);
    }
    if (!allowed.includes(m)) throw GraphError.param(`(#100) The Media Insights API does not support the ${m} metric for this media product type.`);
  }
  if (media.fewViewers) throw GraphError.permission('(#10) Not enough viewers for the media to show insights');
  const values = mediaMetricValues(ctx.world, media);
  return {
    data: metrics.map((name) => ({
      name, period: 'lifetime', values: [{ value: values[name] ?? 0 }],
      title: MEDIA_METRIC_TEXT[name]![0], description: MEDIA_METRIC_TEXT[name]![1], id: `${media.id}/insights/${name}/lifetime`,
    })),
  };
}

/**
 * One bucket per UTC day D touched by [since, until); Graph labels a day by its end, D+1 at 08:00 UTC
 * (midnight Pacific), so since=Nov 1 and until=Nov 8 give seven values ending Nov 2 … Nov 8.
 */
function dayEnds(since: number, until: number): number[] {
  const ends: number[] = [];
  const first = Math.floor(since / DAY);
  const last = Math.max(first, Math.ceil(until / DAY) - 1);
  for (let d = first; d <= last; d++) ends.push((d + 1) * DAY + 8 * 3600);
  return ends;
}

function window(ctx: Ctx): { since: number; until: number } {
  const sinceP = timeParam(ctx.params, 'since');
  const untilP = timeParam(ctx.params, 'until');
  const until = untilP ?? (sinceP !== undefined ? Math.min(ctx.world.now, sinceP + MAX_RANGE) : ctx.world.now);
  const since = sinceP ?? until - DAY;
  if (until < since) throw GraphError.param('(#100) The since parameter must be before the until parameter');
  if (until - since > MAX_RANGE) throw GraphError.param(`(#100) There cannot be more than 30 days (${MAX_RANGE} s) between since and until`);
  return { since, until };
}

export function accountInsights(ctx: Ctx, user: IgUser): unknown {
  requireScopes(ctx.token, INSIGHT_SCOPES);
  const metrics = metricList(ctx);
  const period = ctx.params.period;
  if (!period) throw GraphError.param('(#100) The parameter period is required');
  const metricType = ctx.params.metric_type || 'time_series';
  if (metricType !== 'time_series' && metricType !== 'total_value') throw GraphError.param('(#100) metric_type must be one of the following values: time_series, total_value');
  const breakdowns = (ctx.params.breakdown ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  for (const m of metrics) {
    if (REMOVED_ACCOUNT_METRICS.includes(m)) throw noLongerSupported(m, 'user');
    const def = ACCOUNT_METRICS[m];
    if (!def) throw GraphError.param(`(#100) metric[${metrics.indexOf(m)}] must be one of the following values: ${Object.keys(ACCOUNT_METRICS).join(', ')}`);
    if (!def.periods.includes(period)) throw GraphError.param(`(#100) Incompatible period (${period}) for metric ${m}; supported: ${def.periods.join(', ')}`);
    if (!def.types.includes(metricType as 'time_series')) {
      throw GraphError.param(`(#100) The following metrics (${m}) should be specified with parameter metric_type=${def.types[0]}`);
    }
    for (const b of breakdowns) if (!def.breakdowns.includes(b)) throw GraphError.param(`(#100) Incompatible breakdowns (${b}) for metric ${m}`);
    if (breakdowns.length && metricType !== 'total_value') throw GraphError.param('(#100) breakdown is only supported with metric_type=total_value');
    if (def.demographic) {
      if (!ctx.params.timeframe || !TIMEFRAMES.includes(ctx.params.timeframe)) throw GraphError.param(`(#100) The parameter timeframe is required and must be one of: ${TIMEFRAMES.join(', ')}`);
      if (breakdowns.length !== 1) throw GraphError.param('(#100) Demographic metrics require exactly one breakdown: age, city, country or gender');
    }
  }
  const { since, until } = window(ctx);
  const ends = dayEnds(since, until);
  const seed = ctx.world.seed;
  const data = metrics.map((name) => {
    const def = ACCOUNT_METRICS[name]!;
    const head = { name, period, title: def.title, description: def.description };
    const id = `${user.id}/insights/${name}/${period}`;
    if (def.demographic) {
      const b = breakdowns[0]!;
      const total = demographicTotal(seed, user, name, ctx.params.timeframe!);
      return { ...head, total_value: { breakdowns: [{ dimension_keys: [b], results: split(seed, `${user.id}:${name}:${b}:${ctx.params.timeframe}`, total, combinations([b])) }] }, id };
    }
    if (name === 'online_followers') return { ...head, values: ends.map((e) => ({ value: onlineFollowers(seed, user, e), end_time: graphTime(e) })), id };
    if (metricType === 'time_series') return { ...head, values: ends.map((e) => ({ value: dailyValue(seed, user, name, e), end_time: graphTime(e) })), id };
    const total = ends.reduce((sum, e) => sum + dailyValue(seed, user, name, e), 0);
    const tv: Record<string, unknown> = { value: total };
    if (breakdowns.length) {
      tv.breakdowns = [{ dimension_keys: breakdowns, results: split(seed, `${user.id}:${name}:${breakdowns.join('+')}:${since}:${until}`, total, combinations(breakdowns)) }];
    }
    return { ...head, total_value: tv, id };
  });
  return { data };
}
