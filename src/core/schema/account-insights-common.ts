/**
 * Account insights, shared by AccountInsights and its breakdown / time-series views, AudienceInsights and
 * OnlineFollowers: the metric catalogue (with the Graph versions each metric exists in), the requests (which
 * survive a refused metric: account-insights-fetch.ts) and the row builders. The days a view reads are in
 * account-insights-window.ts.
 * [USER-INS] https://developers.facebook.com/documentation/instagram-platform/api-reference/instagram-user/insights
 */
import { IgsqlError } from '../errors';
import { isolatingMetrics, refuse, refused } from './account-insights-fetch';
import { isoSeconds, insightWindow, type InsightWindow, type Span } from './account-insights-window';
import { BUSINESS_ACCOUNT_ID, eachAccount, insightFields, isoTime, text } from './common';
import type { InsightItem } from './media-insights-common';
import type { ColumnDef, Row, TableContext, TableDef } from './types';

export { DAY, MAX_SPAN, insightWindow, isoSeconds, type InsightWindow, type Span } from './account-insights-window';

export const INSIGHT_SCOPES = ['instagram_basic', 'instagram_manage_insights', 'pages_read_engagement'];

export type MetricType = 'time_series' | 'total_value';

export interface AccountMetric {
  name: string;
  types: readonly MetricType[];
  /** The breakdowns a view offers for it, by the dimension's name in our views. */
  breakdowns: readonly string[];
  /**
   * Graph's name(s) for a breakdown of this metric when they differ from the dimension's, in the order to try:
   * the first that Graph accepts is used for the rest of the query.
   */
  breakdownNames?: Readonly<Record<string, readonly string[]>>;
  /** First Graph major version that offers it; older connections (ApiVersion) do not ask for it. */
  since?: number;
  /**
   * First Graph major version without it (Graph deprecates "for vN.0" before removing a metric for all versions):
   * connections on that version or later do not ask for it.
   */
  until?: number;
  /** Only with a breakdown (never in the plain views). */
  breakdownOnly?: boolean;
}

const TS_TV: MetricType[] = ['time_series', 'total_value'];
const TV: MetricType[] = ['total_value'];
const MPT = ['media_product_type'];

/**
 * The period=day metrics [USER-INS] lists today, with the metric types and breakdowns each accepts. Never asked
 * for (a request naming one fails as a whole): impressions (removed 2025-04-21), profile_impressions, plays,
 * video_views, and the v21.0 removals applied to all versions on 2025-01-08 (profile_views, website_clicks,
 * email_contacts, get_directions_clicks, phone_call_clicks, text_message_clicks).
 */
export const DAY_METRICS: readonly AccountMetric[] = [
  { name: 'reach', types: TS_TV, breakdowns: ['media_product_type', 'follow_type'] },
  { name: 'follower_count', types: ['time_series'], breakdowns: [] },
  // views is new in v22.0. [USER-INS]'s metric table names its breakdowns follower_type and media_product_type
  // while the page's parameter list says follow_type: follower_type is tried first, then follow_type.
  { name: 'views', types: TV, breakdowns: ['follow_type', 'media_product_type'], breakdownNames: { follow_type: ['follower_type', 'follow_type'] }, since: 22 },
  { name: 'accounts_engaged', types: TV, breakdowns: [] },
  { name: 'total_interactions', types: TV, breakdowns: MPT },
  { name: 'likes', types: TV, breakdowns: MPT },
  { name: 'comments', types: TV, breakdowns: MPT },
  { name: 'shares', types: TV, breakdowns: MPT },
  { name: 'saves', types: TV, breakdowns: MPT },
  { name: 'replies', types: TV, breakdowns: [] },
  { name: 'reposts', types: TV, breakdowns: [] },
  { name: 'profile_links_taps', types: TV, breakdowns: ['contact_button_type'] },
  // follow_type splits it into follows (FOLLOWER) and unfollows (NON_FOLLOWER).
  { name: 'follows_and_unfollows', types: TV, breakdowns: ['follow_type'], breakdownOnly: true },
];

export const REMOVED_METRICS: Readonly<Record<string, string>> = {
  impressions: 'Graph removed impressions on 2025-04-21; use views',
  profile_impressions: 'Graph removed profile_impressions in 2025',
  plays: 'Graph removed plays in 2025; use views',
  video_views: 'Graph removed video_views in 2025; use views',
  profile_views: 'Graph removed profile_views for all versions on 2025-01-08',
  website_clicks: 'Graph removed website_clicks for all versions on 2025-01-08; profile_links_taps counts taps on the profile links',
  email_contacts: 'Graph removed email_contacts for all versions on 2025-01-08; see profile_links_taps in AccountContactButtonType',
  get_directions_clicks: 'Graph removed get_directions_clicks for all versions on 2025-01-08; see profile_links_taps in AccountContactButtonType',
  phone_call_clicks: 'Graph removed phone_call_clicks for all versions on 2025-01-08; see profile_links_taps in AccountContactButtonType',
  text_message_clicks: 'Graph removed text_message_clicks for all versions on 2025-01-08; see profile_links_taps in AccountContactButtonType',
};

/** "v21.0" → 21 (a malformed version counts as the newest: props.ts validates the property). */
export function majorVersion(apiVersion: string): number {
  const m = /^v(\d+)\./.exec(apiVersion);
  return m ? Number(m[1]) : Number.POSITIVE_INFINITY;
}

/** Whether `metric` exists in Graph `version` ([since, until) of its catalogue entry); when not, a note says why. */
export function inVersion(ctx: TableContext, view: string, metric: string, range: { since?: number; until?: number }, version = majorVersion(ctx.apiVersion)): boolean {
  if (range.since !== undefined && version < range.since) {
    ctx.note(`${metric} exists from Graph v${range.since}.0; this connection uses ApiVersion ${ctx.apiVersion}, so ${view} does not ask for it.`);
    return false;
  }
  if (range.until !== undefined && version >= range.until) {
    ctx.note(`Graph removed ${metric} in v${range.until}.0; this connection uses ApiVersion ${ctx.apiVersion}, so ${view} does not ask for it.`);
    return false;
  }
  return true;
}

/** Metrics of DAY_METRICS accepting `type` (and `breakdown`, when given); without one, not the breakdown-only ones. */
export function metricsFor(type: MetricType, breakdown: string | undefined): AccountMetric[] {
  return DAY_METRICS.filter((m) => m.types.includes(type) && (breakdown === undefined ? !m.breakdownOnly : m.breakdowns.includes(breakdown)));
}

/**
 * The metric names of `offered` a query asks for: narrowed to `want` when given, without the ones newer than the
 * connection's ApiVersion (said in the notes). An unknown or removed `want` is explained in the notes.
 */
export function selectMetrics(ctx: TableContext, view: string, offered: readonly AccountMetric[], want: string | undefined): string[] {
  const names = offered.map((m) => m.name);
  if (want !== undefined && !names.includes(want)) {
    const removed = REMOVED_METRICS[want] ? ` (${REMOVED_METRICS[want]})` : '';
    ctx.note(`${view} has no metric '${want}'${removed}. Metrics: ${names.join(', ')}.`);
    return [];
  }
  const version = majorVersion(ctx.apiVersion);
  const out: string[] = [];
  for (const m of offered) {
    if (want !== undefined && m.name !== want) continue;
    if (!inVersion(ctx, view, m.name, m, version)) continue;
    out.push(m.name);
  }
  return out;
}

export async function accountInsights(ctx: TableContext, account: string, params: Record<string, string | number>): Promise<InsightItem[]> {
  const r = await ctx.get<{ data?: InsightItem[] }>([account, 'insights'], params, `the insights of account ${account}`);
  return r.data ?? [];
}

/**
 * Runs `fetch` for each item, `ahead` at a time, yielding the results in order (independent requests overlap),
 * each with the item it answers. Each yield is a run of consecutive results that are all in: the head, and
 * those behind it already answered (the spans of one Graph batch answer together). The caller makes one page
 * of each run, and SQLite reads a page without suspending: one suspension per span was ~0.2 ms of a 90-day
 * window's 4 (issue 11). A failed fetch ends a run; its error is thrown when it is the head, after the results
 * before it were yielded.
 */
export async function* lookahead<T, R>(items: readonly T[], ahead: number, fetch: (item: T) => Promise<R>): AsyncGenerator<Array<{ item: T; value: R }>> {
  const pending: Array<{ item: T; answer: Promise<R>; value?: { v: R } }> = [];
  let next = 0;
  const fill = () => {
    while (pending.length < ahead && next < items.length) {
      const item = items[next++]!;
      const p: (typeof pending)[number] = { item, answer: fetch(item) };
      p.answer.then((v) => (p.value = { v }), () => undefined);
      pending.push(p);
    }
  };
  fill();
  while (pending.length) {
    const head = pending.shift()!;
    // (R is an answer, never a promise of one: `as R` only drops the Awaited<> TypeScript puts on it.)
    const run = [{ item: head.item, value: (await head.answer) as R }];
    // The answers of one batch settle in the same turn, a few promise hops apart: let the turn end first.
    if (pending.length && !pending[0]!.value) await new Promise((resolve) => setImmediate(resolve));
    while (pending[0]?.value) {
      const p = pending.shift()!;
      run.push({ item: p.item, value: p.value!.v });
    }
    fill();
    yield run;
  }
}

/**
 * The results of a breakdown, each with the value of the dimension `names` (any of them) reads at that key's
 * index in `dimension_keys`: Graph may put other keys first (demographics: ["timeframe","country"]).
 */
export function breakdownResults(item: InsightItem, names: readonly string[]): Array<{ key: string | null; value: number | null }> {
  const b = item.total_value?.breakdowns?.[0];
  const keys = b?.dimension_keys ?? [];
  let at = keys.findIndex((k) => names.includes(k));
  if (at < 0 && keys.length <= 1) at = 0;
  return (b?.results ?? []).map((r) => ({ key: at >= 0 ? (r.dimension_values?.[at] ?? null) : null, value: typeof r.value === 'number' ? r.value : null }));
}

export const END_TIME: ColumnDef = {
  name: 'EndTime', type: 'Datetime',
  description: "End of the period (UTC): Graph's days end at midnight Pacific time (07:00 or 08:00 UTC). A range selects the days whose end lies in it (default: the last 30 days), read in 30-day requests.",
  key: ['>', '>=', '<', '<='],
};

export const METRIC_COLUMN = (metrics: readonly string[]): ColumnDef => ({ name: 'Metric', graphField: 'name', type: 'String', description: `Metric: ${metrics.join(', ')}.`, key: ['='], values: metrics });

/** EndTime of a time series: each value's end_time. */
export const SERIES_END_TIME: ColumnDef = { ...END_TIME, graphField: 'values[].end_time' };

/** EndTime of a total: Graph gives none, so it is the end of the span the request asked (its `until`). */
export const SPAN_END_TIME: ColumnDef = { ...END_TIME, source: 'the end of the span the request asked (its `until`)' };

/** A breakdown's dimension value and count, in `total_value.breakdowns[].results[]`. */
export const BREAKDOWN_VALUE = 'total_value.breakdowns[].results[].dimension_values';
export const BREAKDOWN_COUNT = 'total_value.breakdowns[].results[].value';

/** The account insights views' BusinessAccountId: the account whose insights edge is read. */
export const INSIGHTS_ACCOUNT: ColumnDef = { ...BUSINESS_ACCOUNT_ID, source: 'the account whose insights are read (GET /{ig-user-id}/insights)' };

/** Which Graph breakdown name to send for `metric`'s `dimension` now (the first one not refused in this query). */
const breakdownChoice = new WeakMap<TableContext, Map<string, number>>();

function breakdownNames(metric: string, dimension: string): readonly string[] {
  return DAY_METRICS.find((m) => m.name === metric)?.breakdownNames?.[dimension] ?? [dimension];
}

/**
 * Total-value requests of `metrics` broken down by `dimension` over `span`: one request per Graph breakdown name
 * (views may need another name than reach), each surviving refused metrics; a refused breakdown name is replaced
 * by the next one the catalogue knows.
 */
async function breakdownItems(ctx: TableContext, view: string, fields: string, account: string, metrics: readonly string[], dimension: string, span: Span): Promise<Array<{ item: InsightItem; names: readonly string[] }>> {
  let choice = breakdownChoice.get(ctx);
  if (!choice) breakdownChoice.set(ctx, (choice = new Map()));
  const groups = new Map<string, string[]>();
  const nameOf = (m: string) => breakdownNames(m, dimension)[choice!.get(`${m}|${dimension}`) ?? 0]!;
  for (const m of metrics) groups.set(nameOf(m), [...(groups.get(nameOf(m)) ?? []), m]);
  const out: Array<{ item: InsightItem; names: readonly string[] }> = [];
  for (const [name, group] of groups) {
    try {
      const items = await isolatingMetrics(ctx, 'account', group, view, (ms) =>
        accountInsights(ctx, account, { metric: ms.join(','), period: 'day', metric_type: 'total_value', breakdown: name, since: span.since, until: span.until, fields }));
      for (const item of items) out.push({ item, names: breakdownNames(item.name, dimension) });
    } catch (e) {
      if (!(e instanceof IgsqlError) || e.details.invalidBreakdown === undefined) throw e;
      // Graph refused the breakdown for a metric of the group: find which, one metric per request.
      if (group.length > 1) {
        for (const m of group) out.push(...(await breakdownItems(ctx, view, fields, account, [m], dimension, span)));
        continue;
      }
      // The next name the catalogue has for this metric's breakdown; when none is left, the metric reads as NULL.
      const m = group[0]!;
      const i = breakdownNames(m, dimension).indexOf(name);
      if (i + 1 < breakdownNames(m, dimension).length) {
        choice.set(`${m}|${dimension}`, i + 1);
        out.push(...(await breakdownItems(ctx, view, fields, account, [m], dimension, span)));
      } else {
        refuse(ctx, 'account', m, e, view);
      }
    }
  }
  return out;
}

/**
 * A breakdown view: `breakdown` totals per metric (over each ≤ 30-day request), or, with `daily`, per Pacific day
 * (one request a day: Graph gives breakdowns only as totals). A metric Graph refuses reads as one NULL row.
 */
export function breakdownView(o: {
  name: string; description: string; breakdown: string; dimensionColumn: string; dimensionDescription: string; daily: boolean;
  /** When set, the view is about this one metric and has no Metric column. */
  onlyMetric?: string;
}): TableDef {
  const offered = metricsFor('total_value', o.breakdown).filter((m) => !o.onlyMetric || m.name === o.onlyMetric);
  const names = offered.map((m) => m.name);
  const view: TableDef = {
    name: o.name,
    kind: 'view',
    description: o.description,
    scopes: INSIGHT_SCOPES,
    columns: [
      ...(o.onlyMetric ? [] : [METRIC_COLUMN(names)]),
      { name: o.dimensionColumn, graphField: BREAKDOWN_VALUE, type: 'String', description: o.dimensionDescription },
      o.daily ? { ...SPAN_END_TIME, description: "End of the day: midnight Pacific time, as Graph counts days (07:00 or 08:00 UTC). A range selects the days (default: the last 30), one request a day." } : SPAN_END_TIME,
      { name: 'Value', graphField: BREAKDOWN_COUNT, type: 'Integer', description: 'Metric value (NULL when Graph refuses the metric: see the notes).' },
      INSIGHTS_ACCOUNT,
    ],
    // A row per result of the breakdown.
    needs: [o.dimensionColumn],
    scanCost: o.daily ? 1e5 : 1e4,
    async *list(ctx, f) {
      const selected = selectMetrics(ctx, o.name, offered, o.onlyMetric ? undefined : text(f.eq('Metric')));
      if (!selected.length) return;
      const window = insightWindow(ctx, f);
      const spans = o.daily ? window.days : window.spans;
      if (o.daily && spans.length > 7) ctx.note(`${o.name} reads one day per Graph call (Graph gives breakdowns only as totals): ${spans.length} days; narrow EndTime to use fewer calls.`);
      yield* eachAccount(ctx, f, async function* (account) {
        const fields = insightFields(ctx, view);
        for await (const run of lookahead(spans, o.daily ? 4 : 1, (span) => breakdownItems(ctx, o.name, fields, account, selected, o.breakdown, span))) {
          const rows: Row[] = [];
          for (const { item: span, value: items } of run) {
            const endTime = isoSeconds(span.until);
            const row = (metric: string, key: string | null, value: number | null): Row =>
              ({ ...(o.onlyMetric ? {} : { Metric: metric }), [o.dimensionColumn]: key, EndTime: endTime, Value: value, BusinessAccountId: account });
            for (const { item, names: keys } of items) for (const r of breakdownResults(item, keys)) rows.push(row(item.name, r.key, r.value));
            for (const m of selected) if (refused(ctx, 'account').has(m) && !items.some((x) => x.item.name === m)) rows.push(row(m, null, null));
          }
          if (rows.length) yield rows;
        }
      });
    },
  };
  return view;
}

export function invalidValue(column: string, value: string, allowed: readonly string[]): IgsqlError {
  return new IgsqlError('INVALID_VALUE', `${column} must be one of ${allowed.join(', ')} (got '${value}').`, { suggestions: [...allowed] });
}

/**
 * Rows of `metrics` without breakdown, `type` time_series (a row per day, as Graph labels them) or total_value
 * (a row per ≤ 30-day request), with every column AccountInsights has; narrower views keep the ones they declare.
 * A metric Graph refuses reads as NULL (per day, or per request).
 */
export async function* plainInsightRows(ctx: TableContext, view: string, fields: string, account: string, type: MetricType, metrics: readonly string[], window: InsightWindow): AsyncGenerator<Row[]> {
  if (!metrics.length) return;
  const seen = new Set<string>();
  const params = (ms: readonly string[], span: Span) => ({ metric: ms.join(','), period: 'day', metric_type: type, since: span.since, until: span.until, fields });
  const request = (span: Span) => isolatingMetrics(ctx, 'account', metrics, view, (ms) => accountInsights(ctx, account, params(ms, span)));
  // Every span of a window at once (90 days are 3–4 requests), in one Graph batch: one round trip, and one HTTP
  // request instead of 4 (a refused metric fails its items alone; isolatingMetrics then asks again without it).
  const asked = metrics.filter((m) => !refused(ctx, 'account').has(m));
  if (asked.length) ctx.getTogether(window.spans.map((span) => ({ segments: [account, 'insights'], params: params(asked, span) })), `the insights of account ${account}`);
  const head = (name: string, item?: InsightItem) =>
    ({ Metric: name, Period: item?.period ?? 'day', MetricType: type, Title: item?.title ?? null, Description: item?.description ?? null, BusinessAccountId: account });
  for await (const run of lookahead(window.spans, 4, request)) {
    const rows: Row[] = [];
    for (const { item: span, value: items } of run) {
      for (const item of items) {
        if (type === 'total_value') {
          const v = item.total_value?.value;
          rows.push({ ...head(item.name, item), EndTime: isoSeconds(span.until), Value: typeof v === 'number' ? v : null });
          continue;
        }
        for (const v of item.values ?? []) {
          const end = isoTime(v.end_time);
          const key = `${item.name}|${end}`;
          if (seen.has(key) || !window.accepts(end)) continue;
          seen.add(key);
          rows.push({ ...head(item.name, item), EndTime: end, Value: typeof v.value === 'number' ? v.value : null });
        }
      }
      for (const m of metrics) {
        if (!refused(ctx, 'account').has(m) || items.some((x) => x.name === m)) continue;
        const ends = type === 'total_value' ? [span.until] : window.days.filter((d) => d.since >= span.since && d.until <= span.until).map((d) => d.until);
        for (const e of ends) rows.push({ ...head(m), EndTime: isoSeconds(e), Value: null });
      }
    }
    if (rows.length) yield rows;
  }
}

/** A view of the day metrics without breakdown, of one metric type: Metric, EndTime, Value. */
export function plainInsightsView(o: { name: string; description: string; type: MetricType }): TableDef {
  const offered = metricsFor(o.type, undefined);
  const series = o.type === 'time_series';
  const view: TableDef = {
    name: o.name,
    kind: 'view',
    description: o.description,
    scopes: INSIGHT_SCOPES,
    columns: [
      METRIC_COLUMN(offered.map((m) => m.name)),
      series ? SERIES_END_TIME : SPAN_END_TIME,
      { name: 'Value', graphField: series ? 'values[].value' : 'total_value.value', type: 'Integer', description: 'Metric value (NULL when Graph refuses the metric: see the notes).' },
      INSIGHTS_ACCOUNT,
    ],
    // A time series is a row per value.
    needs: series ? ['EndTime'] : [],
    async *list(ctx, f) {
      const selected = selectMetrics(ctx, o.name, offered, text(f.eq('Metric')));
      if (!selected.length) return;
      const window = insightWindow(ctx, f);
      const fields = insightFields(ctx, view);
      yield* eachAccount(ctx, f, (account) => plainInsightRows(ctx, o.name, fields, account, o.type, selected, window));
    },
  };
  return view;
}
