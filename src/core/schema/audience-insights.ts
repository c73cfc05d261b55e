import { IgsqlError } from '../errors';
import { eachAccount, insightFields, text } from './common';
import { BREAKDOWN_COUNT, BREAKDOWN_VALUE, INSIGHTS_ACCOUNT, INSIGHT_SCOPES, accountInsights, breakdownResults, invalidValue, lookahead } from './account-insights-common';
import type { InsightItem } from './media-insights-common';
import type { Row, TableDef } from './types';

/**
 * The demographic metrics [USER-INS] lists today. reached_audience_demographics is no longer listed (2026-06-16),
 * so it is not asked for.
 * https://developers.facebook.com/documentation/instagram-platform/api-reference/instagram-user/insights
 */
const METRICS = ['follower_demographics', 'engaged_audience_demographics'];
const UNLISTED: Record<string, string> = {
  reached_audience_demographics: "Graph's Instagram Account Insights reference no longer lists reached_audience_demographics",
};
const BREAKDOWNS = ['age', 'city', 'country', 'gender'];
const TIMEFRAMES = ['this_week', 'this_month'];
/** Accepted by Graph before v20.0 only; asking for them now fails the call. */
const REMOVED_TIMEFRAMES = ['last_14_days', 'last_30_days', 'last_90_days', 'prev_month'];
const DEFAULT_TIMEFRAME = 'this_month';

/**
 * Demographics of followers and of the engaged audience (lifetime, total_value, one breakdown per call). Each
 * metric is asked on its own: a metric Graph refuses or withholds (e.g. too few engaged accounts) leaves the
 * others' rows, and the notes say what is missing.
 */
export const AudienceInsights: TableDef = {
  name: 'AudienceInsights',
  kind: 'view',
  description: `Audience demographics by age, city, country or gender: followers and engaged audience. One Graph call per metric and breakdown. Timeframe defaults to ${DEFAULT_TIMEFRAME}. Graph omits demographics of accounts with fewer than 100 followers.`,
  scopes: INSIGHT_SCOPES,
  columns: [
    { name: 'Metric', graphField: 'name', type: 'String', description: `Metric: ${METRICS.join(', ')}.`, key: ['='], values: METRICS },
    { name: 'Timeframe', type: 'String', description: `Period the audience is measured over: this_week (last 7 days) or this_month (last 30 days), default ${DEFAULT_TIMEFRAME}.`, key: ['='], values: TIMEFRAMES, source: "the request's `timeframe`" },
    { name: 'Breakdown', type: 'String', description: `Dimension: ${BREAKDOWNS.join(', ')}.`, key: ['='], values: BREAKDOWNS, source: "the request's `breakdown`" },
    { name: 'DimensionValue', graphField: BREAKDOWN_VALUE, type: 'String', description: 'Value of the dimension: an age range, a city, a country code or a gender (F, M, U).' },
    { name: 'Value', graphField: BREAKDOWN_COUNT, type: 'Integer', description: 'Accounts in that group.' },
    INSIGHTS_ACCOUNT,
  ],
  // A row per result of the breakdown.
  needs: ['DimensionValue'],
  async *list(ctx, f) {
    const metric = text(f.eq('Metric'));
    if (metric !== undefined && !METRICS.includes(metric)) {
      return ctx.note(`AudienceInsights has no metric '${metric}'${UNLISTED[metric] ? ` (${UNLISTED[metric]})` : ''}. Metrics: ${METRICS.join(', ')}.`);
    }
    const breakdown = text(f.eq('Breakdown'));
    if (breakdown !== undefined && !BREAKDOWNS.includes(breakdown)) throw invalidValue('Breakdown', breakdown, BREAKDOWNS);
    const timeframe = text(f.eq('Timeframe')) ?? DEFAULT_TIMEFRAME;
    if (REMOVED_TIMEFRAMES.includes(timeframe)) {
      throw new IgsqlError('INVALID_VALUE', `Timeframe '${timeframe}' was removed by Graph in v20.0: use this_week (the last 7 days) or this_month (the last 30 days).`, { suggestions: TIMEFRAMES });
    }
    if (!TIMEFRAMES.includes(timeframe)) throw invalidValue('Timeframe', timeframe, TIMEFRAMES);
    const metrics = metric === undefined ? METRICS : [metric];
    const breakdowns = breakdown === undefined ? BREAKDOWNS : [breakdown];
    const asks = breakdowns.flatMap((b) => metrics.map((m) => ({ m, b })));
    const fields = insightFields(ctx, AudienceInsights);
    yield* eachAccount(ctx, f, async function* (account) {
      const fetch = async ({ m, b }: { m: string; b: string }): Promise<InsightItem[]> => {
        try {
          return await accountInsights(ctx, account, { metric: m, period: 'lifetime', metric_type: 'total_value', breakdown: b, timeframe, fields });
        } catch (e) {
          // Graph's answer about this metric (refused, withheld): the other metrics still count.
          if (!(e instanceof IgsqlError) || e.code !== 'GRAPH_ERROR') throw e;
          ctx.note(`AudienceInsights has no ${m} by ${b} for account ${account}: ${e.message}`);
          return [];
        }
      };
      for await (const run of lookahead(asks, 4, fetch)) {
        const rows: Row[] = [];
        for (const { item: { b }, value: items } of run) {
          for (const item of items) {
            for (const r of breakdownResults(item, [b])) {
              rows.push({ Metric: item.name, Timeframe: timeframe, Breakdown: b, DimensionValue: r.key, Value: r.value, BusinessAccountId: account });
            }
          }
        }
        if (rows.length) yield rows;
      }
    });
  },
};
