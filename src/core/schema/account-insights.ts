import { BUSINESS_ACCOUNT_ID, eachAccount, text } from './common';
import { DAY_METRICS, END_TIME, INSIGHT_SCOPES, METRIC_COLUMN, insightWindow, invalidValue, metricsFor, noteUnknownMetric, plainInsightRows, type MetricType } from './account-insights-common';
import type { TableDef } from './types';

const TYPES: readonly MetricType[] = ['time_series', 'total_value'];
const NAMES = DAY_METRICS.map((m) => m.name);

/** https://developers.facebook.com/docs/instagram-platform/reference/instagram-user/insights */
export const AccountInsights: TableDef = {
  name: 'AccountInsights',
  kind: 'view',
  description:
    'Daily account insights in long format: time_series rows (one per day) and total_value rows (one per 30-day span). Default: the last 30 days; a longer EndTime range is split into 30-day requests. Demographics are in AudienceInsights, online followers in OnlineFollowers.',
  scopes: INSIGHT_SCOPES,
  columns: [
    METRIC_COLUMN(NAMES),
    { name: 'Period', type: 'String', description: 'Aggregation period: day.', key: ['='], values: ['day'] },
    { name: 'MetricType', type: 'String', description: 'time_series (a value per day) or total_value (one total per span).', key: ['='] },
    END_TIME,
    { name: 'Value', type: 'Integer', description: 'Metric value.' },
    { name: 'Title', type: 'String', description: "Graph's title of the metric." },
    { name: 'Description', type: 'String', description: "Graph's description of the metric." },
    BUSINESS_ACCOUNT_ID,
  ],
  async *list(ctx, f) {
    const metric = text(f.eq('Metric'));
    if (metric !== undefined && !NAMES.includes(metric)) return noteUnknownMetric(ctx, 'AccountInsights', metric, NAMES);
    const period = text(f.eq('Period'));
    if (period !== undefined && period !== 'day') return ctx.note(`AccountInsights has only Period 'day' (online followers are in OnlineFollowers, demographics in AudienceInsights).`);
    const type = text(f.eq('MetricType'));
    if (type !== undefined && !TYPES.includes(type as MetricType)) throw invalidValue('MetricType', type, TYPES);
    const types = type === undefined ? TYPES : [type as MetricType];
    const window = insightWindow(ctx, f);
    yield* eachAccount(ctx, f, async function* (account) {
      for (const t of types) yield* plainInsightRows(ctx, account, t, metricsFor(t, undefined, metric), window);
    });
  },
};
