/**
 * Account insights, shared by AccountInsights and its breakdown / time-series views, AudienceInsights and
 * OnlineFollowers: the metric catalogue, the EndTime window (default: the last 30 days, because Graph's own
 * default is the last 24 h) split into ≤ 30-day requests, and the row builders.
 * https://developers.facebook.com/docs/instagram-platform/reference/instagram-user/insights
 */
import { IgsqlError } from '../errors';
import { BUSINESS_ACCOUNT_ID, eachAccount, isoTime, text, unixSeconds } from './common';
import type { InsightItem } from './media-insights-common';
import type { ColumnDef, Filter, Row, TableContext, TableDef } from './types';

export const DAY = 86400;
/** Graph refuses since..until spans above 30 days. */
export const MAX_SPAN = 30 * DAY;
export const INSIGHT_SCOPES = ['instagram_basic', 'instagram_manage_insights', 'pages_read_engagement'];

export type MetricType = 'time_series' | 'total_value';

export interface AccountMetric {
  name: string;
  types: readonly MetricType[];
  breakdowns: readonly string[];
}

const TS_TV: MetricType[] = ['time_series', 'total_value'];
const TV: MetricType[] = ['total_value'];
const MPT = ['media_product_type'];

/**
 * The period=day metrics Graph offers (v22+), with the metric types and breakdowns each accepts. Removed in
 * 2025 and never offered: impressions, profile_impressions, plays, video_views, and the profile-click metrics
 * (email_contacts, get_directions_clicks, phone_call_clicks, text_message_clicks).
 */
export const DAY_METRICS: readonly AccountMetric[] = [
  { name: 'reach', types: TS_TV, breakdowns: ['media_product_type', 'follow_type'] },
  { name: 'follower_count', types: ['time_series'], breakdowns: [] },
  { name: 'views', types: TV, breakdowns: ['follow_type', 'media_product_type'] },
  { name: 'accounts_engaged', types: TV, breakdowns: [] },
  { name: 'total_interactions', types: TV, breakdowns: MPT },
  { name: 'likes', types: TV, breakdowns: MPT },
  { name: 'comments', types: TV, breakdowns: MPT },
  { name: 'shares', types: TV, breakdowns: MPT },
  { name: 'saves', types: TV, breakdowns: MPT },
  { name: 'replies', types: TV, breakdowns: [] },
  { name: 'website_clicks', types: TV, breakdowns: [] },
  { name: 'profile_views', types: TV, breakdowns: [] },
  { name: 'profile_links_taps', types: TV, breakdowns: ['contact_button_type'] },
];

export const REMOVED_METRICS = ['impressions', 'profile_impressions', 'plays', 'video_views', 'email_contacts', 'get_directions_clicks', 'phone_call_clicks', 'text_message_clicks'];

/** Metrics of DAY_METRICS accepting `type` (and `breakdown`, when given), narrowed to `metric` when given. */
export function metricsFor(type: MetricType, breakdown: string | undefined, metric: string | undefined): string[] {
  return DAY_METRICS
    .filter((m) => m.types.includes(type) && (breakdown === undefined || m.breakdowns.includes(breakdown)))
    .map((m) => m.name)
    .filter((m) => metric === undefined || m === metric);
}

/** Explains, in the query's notes, why a metric filter selects nothing. */
export function noteUnknownMetric(ctx: TableContext, view: string, metric: string, offered: readonly string[]): void {
  const removed = REMOVED_METRICS.includes(metric) ? ` (Graph removed ${metric} in 2025)` : '';
  ctx.note(`${view} has no metric '${metric}'${removed}. Metrics: ${offered.join(', ')}.`);
}

export interface Span { since: number; until: number }

export interface InsightWindow {
  since: number;
  until: number;
  /** since..until in ≤ 30-day spans (Graph's limit), for totals labelled with their end. */
  spans: Span[];
  /**
   * The spans for time series. Graph labels day D by its end (D+1, 08:00 UTC), so the days whose labels fall
   * in since..until are the days from since − 1 day to until − 1 day: asking for those makes the pushdown
   * exact instead of losing the last day and reading one too many.
   */
  seriesSpans: Span[];
  /**
   * Whether a row labelled `endTime` belongs to the window: inside since..until, and passing SQLite's own
   * check of the WHERE terms (which compares text: '2026-03-05T00:00:00Z' <= '2026-03-05' is false).
   */
  accepts(endTime: string | null): boolean;
  /** The EndTime a total over a span is labelled with: its until, or a second before when only that passes. */
  label(span: Span): string;
}

export function splitSpans(since: number, until: number): Span[] {
  const spans: Span[] = [];
  if (since > until) return spans;
  let s = since;
  do {
    const e = Math.min(s + MAX_SPAN, until);
    spans.push({ since: s, until: e });
    s = e;
  } while (s < until);
  return spans;
}

function compare(a: string, op: string, b: string): boolean {
  switch (op) {
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
    default: return true;
  }
}

/**
 * The EndTime range of the filter as since/until: default the last 30 days before now; only a lower bound →
 * up to now; only an upper bound → the 30 days before it.
 */
export function insightWindow(ctx: TableContext, f: Filter, column = 'EndTime'): InsightWindow {
  const { min, max } = f.range(column);
  const now = Math.floor(ctx.now() / 1000);
  const until = unixSeconds(max, column) ?? now;
  const since = unixSeconds(min, column) ?? until - MAX_SPAN;
  const textBounds = f.keys.filter((k) => k.column === column && typeof k.value === 'string' && k.op !== '=');
  const strictUntil = f.keys.some((k) => k.column === column && k.op === '<');
  const strictSince = f.keys.some((k) => k.column === column && k.op === '>');
  const accepts = (endTime: string | null) => {
    if (!endTime) return false;
    const t = Date.parse(endTime) / 1000;
    if (t < since || t > until || (strictSince && t === since) || (strictUntil && t === until)) return false;
    return textBounds.every((k) => compare(endTime, k.op, k.value as string));
  };
  return {
    since, until, accepts,
    spans: splitSpans(since, until),
    seriesSpans: splitSpans(since - DAY, until - DAY),
    label: (span) => (accepts(isoSeconds(span.until)) ? isoSeconds(span.until) : isoSeconds(span.until - 1)),
  };
}

/** One span per UTC day whose end (midnight UTC) the window accepts: the days a daily breakdown view reads. */
export function daySpans(window: InsightWindow): Span[] {
  const days: Span[] = [];
  for (let d = Math.ceil(window.since / DAY) - 1; (d + 1) * DAY <= window.until; d++) {
    if (window.accepts(isoSeconds((d + 1) * DAY))) days.push({ since: d * DAY, until: (d + 1) * DAY });
  }
  return days;
}

/** Unix seconds → "2026-11-20T10:00:00Z". */
export function isoSeconds(t: number): string {
  return new Date(t * 1000).toISOString().replace('.000Z', 'Z');
}

export async function accountInsights(ctx: TableContext, account: string, params: Record<string, string | number>): Promise<InsightItem[]> {
  const r = await ctx.get<{ data?: InsightItem[] }>([account, 'insights'], params, `the insights of account ${account}`);
  return r.data ?? [];
}

/** Runs `fetch` for each item, `ahead` at a time, yielding in order (independent requests overlap). */
export async function* lookahead<T, R>(items: readonly T[], ahead: number, fetch: (item: T) => Promise<R>): AsyncGenerator<R> {
  const pending: Array<Promise<R>> = [];
  let next = 0;
  const fill = () => {
    while (pending.length < ahead && next < items.length) {
      const p = fetch(items[next++]!);
      p.catch(() => undefined);
      pending.push(p);
    }
  };
  fill();
  while (pending.length) {
    const r = await pending.shift()!;
    fill();
    yield r;
  }
}

export function breakdownResults(item: InsightItem): Array<{ key: string | null; value: number | null }> {
  const b = item.total_value?.breakdowns?.[0];
  return (b?.results ?? []).map((r) => ({ key: r.dimension_values?.[0] ?? null, value: typeof r.value === 'number' ? r.value : null }));
}

export const END_TIME: ColumnDef = {
  name: 'EndTime', type: 'Datetime',
  description: 'End of the period (UTC). A range is sent as since/until (default: the last 30 days), split into 30-day requests.',
  key: ['>', '>=', '<', '<='],
};

export const METRIC_COLUMN = (metrics: readonly string[]): ColumnDef => ({ name: 'Metric', type: 'String', description: `Metric: ${metrics.join(', ')}.`, key: ['='], values: metrics });

/**
 * A breakdown view: `breakdown` totals per metric (over each ≤ 30-day span), or, with `daily`, per UTC day
 * (one request a day: Graph gives breakdowns only as totals).
 */
export function breakdownView(o: {
  name: string; description: string; breakdown: string; dimensionColumn: string; dimensionDescription: string; daily: boolean;
  /** When set, the view is about this one metric and has no Metric column. */
  onlyMetric?: string;
}): TableDef {
  const metrics = o.onlyMetric ? [o.onlyMetric] : metricsFor('total_value', o.breakdown, undefined);
  return {
    name: o.name,
    kind: 'view',
    description: o.description,
    scopes: INSIGHT_SCOPES,
    columns: [
      ...(o.onlyMetric ? [] : [METRIC_COLUMN(metrics)]),
      { name: o.dimensionColumn, type: 'String', description: o.dimensionDescription },
      o.daily ? { ...END_TIME, description: 'End of the UTC day (midnight UTC after it). A range selects the days (default: the last 30), one request a day.' } : END_TIME,
      { name: 'Value', type: 'Integer', description: 'Metric value.' },
      BUSINESS_ACCOUNT_ID,
    ],
    scanCost: o.daily ? 1e5 : 1e4,
    async *list(ctx, f) {
      const want = o.onlyMetric ? undefined : text(f.eq('Metric'));
      const selected = want === undefined ? metrics : metrics.filter((m) => m === want);
      if (!selected.length) return noteUnknownMetric(ctx, o.name, want!, metrics);
      const window = insightWindow(ctx, f);
      const spans = o.daily ? daySpans(window) : window.spans;
      if (o.daily && spans.length > 7) ctx.note(`${o.name} reads one day per Graph call (Graph gives breakdowns only as totals): ${spans.length} days; narrow EndTime to use fewer calls.`);
      yield* eachAccount(ctx, f, async function* (account) {
        const params = (span: Span) => ({ metric: selected.join(','), period: 'day', metric_type: 'total_value', breakdown: o.breakdown, since: span.since, until: span.until });
        let i = 0;
        for await (const items of lookahead(spans, o.daily ? 4 : 1, (span) => accountInsights(ctx, account, params(span)))) {
          const span = spans[i++]!;
          const endTime = o.daily ? isoSeconds(span.until) : window.label(span);
          const rows: Row[] = [];
          for (const item of items) {
            for (const r of breakdownResults(item)) {
              rows.push({ ...(o.onlyMetric ? {} : { Metric: item.name }), [o.dimensionColumn]: r.key, EndTime: endTime, Value: r.value, BusinessAccountId: account });
            }
          }
          if (rows.length) yield rows;
        }
      });
    },
  };
}

export function invalidValue(column: string, value: string, allowed: readonly string[]): IgsqlError {
  return new IgsqlError('INVALID_VALUE', `${column} must be one of ${allowed.join(', ')} (got '${value}').`, { suggestions: [...allowed] });
}

/**
 * Rows of `metrics` without breakdown, `type` time_series (a row per day, as Graph labels them) or total_value
 * (a row per ≤ 30-day span), with every column AccountInsights has; narrower views keep the ones they declare.
 */
export async function* plainInsightRows(ctx: TableContext, account: string, type: MetricType, metrics: readonly string[], window: InsightWindow): AsyncGenerator<Row[]> {
  if (!metrics.length) return;
  const seen = new Set<string>();
  let i = 0;
  const params = (span: Span) => ({ metric: metrics.join(','), period: 'day', metric_type: type, since: span.since, until: span.until });
  const spans = type === 'time_series' ? window.seriesSpans : window.spans;
  for await (const items of lookahead(spans, 2, (span) => accountInsights(ctx, account, params(span)))) {
    const span = spans[i++]!;
    const rows: Row[] = [];
    for (const item of items) {
      const head = { Metric: item.name, Period: item.period ?? 'day', MetricType: type, Title: item.title ?? null, Description: item.description ?? null, BusinessAccountId: account };
      if (type === 'total_value') {
        const v = item.total_value?.value;
        rows.push({ ...head, EndTime: window.label(span), Value: typeof v === 'number' ? v : null });
        continue;
      }
      for (const v of item.values ?? []) {
        const end = isoTime(v.end_time);
        const key = `${item.name}|${end}`;
        if (seen.has(key) || !window.accepts(end)) continue; // adjacent spans share the day they meet on
        seen.add(key);
        rows.push({ ...head, EndTime: end, Value: typeof v.value === 'number' ? v.value : null });
      }
    }
    if (rows.length) yield rows;
  }
}

/** A view of the day metrics without breakdown, of one metric type: Metric, EndTime, Value. */
export function plainInsightsView(o: { name: string; description: string; type: MetricType }): TableDef {
  const metrics = metricsFor(o.type, undefined, undefined);
  return {
    name: o.name,
    kind: 'view',
    description: o.description,
    scopes: INSIGHT_SCOPES,
    columns: [METRIC_COLUMN(metrics), END_TIME, { name: 'Value', type: 'Integer', description: 'Metric value.' }, BUSINESS_ACCOUNT_ID],
    async *list(ctx, f) {
      const want = text(f.eq('Metric'));
      const selected = metricsFor(o.type, undefined, want);
      if (!selected.length) return noteUnknownMetric(ctx, o.name, want!, metrics);
      const window = insightWindow(ctx, f);
      yield* eachAccount(ctx, f, (account) => plainInsightRows(ctx, account, o.type, selected, window));
    },
  };
}
