import { eachAccount, insightFields, text } from './common';
import { INSIGHTS_ACCOUNT, INSIGHT_SCOPES, METRIC_COLUMN, SERIES_END_TIME, insightWindow, invalidValue, metricsFor, plainInsightRows, selectMetrics, type MetricType } from './account-insights-common';
import type { TableDef } from './types';

const TYPES: readonly MetricType[] = ['time_series', 'total_value'];
const NAMES = [...new Set(TYPES.flatMap((t) => metricsFor(t, undefined).map((m) => m.name)))];

/** https://developers.facebook.com/documentation/instagram-platform/api-reference/instagram-user/insights */
export const AccountInsights: TableDef = {
  name: 'AccountInsights',
  kind: 'view',
  description:
    'Daily account insights in long format: time_series rows (one per day) and total_value rows (one per 30-day request). Default: the last 30 days; a longer EndTime range is read in 30-day requests. A metric Graph refuses reads as NULL, with a note. Demographics are in AudienceInsights, online followers in OnlineFollowers.',
  scopes: INSIGHT_SCOPES,
  columns: [
    METRIC_COLUMN(NAMES),
    { name: 'Period', graphField: 'period', type: 'String', description: 'Aggregation period: day.', key: ['='], values: ['day'] },
    { name: 'MetricType', type: 'String', description: 'time_series (a value per day) or total_value (one total per span).', key: ['='], source: 'the request\'s `metric_type`' },
    { ...SERIES_END_TIME, source: 'the end of the span the request asked (its `until`), for total_value rows' },
    { name: 'Value', graphField: 'values[].value,total_value.value', type: 'Integer', description: 'Metric value (NULL when Graph refuses the metric: see the notes).' },
    { name: 'Title', graphField: 'title', type: 'String', description: "Graph's title of the metric." },
    { name: 'Description', graphField: 'description', type: 'String', description: "Graph's description of the metric." },
    INSIGHTS_ACCOUNT,
  ],
  // A time series is a row per value.
  needs: ['EndTime'],
  async *list(ctx, f) {
    const metric = text(f.eq('Metric'));
    if (metric !== undefined && !NAMES.includes(metric)) {
      selectMetrics(ctx, 'AccountInsights', [...new Map(TYPES.flatMap((t) => metricsFor(t, undefined)).map((m) => [m.name, m])).values()], metric); // explains it in the notes
      return;
    }
    const period = text(f.eq('Period'));
    if (period !== undefined && period !== 'day') return ctx.note(`AccountInsights has only Period 'day' (online followers are in OnlineFollowers, demographics in AudienceInsights).`);
    const type = text(f.eq('MetricType'));
    if (type !== undefined && !TYPES.includes(type as MetricType)) throw invalidValue('MetricType', type, TYPES);
    const types = type === undefined ? TYPES : [type as MetricType];
    const window = insightWindow(ctx, f);
    const selected = types.map((t) => {
      const offered = metricsFor(t, undefined);
      return metric !== undefined && !offered.some((m) => m.name === metric) ? [] : selectMetrics(ctx, 'AccountInsights', offered, metric);
    });
    const fields = insightFields(ctx, AccountInsights);
    yield* eachAccount(ctx, f, async function* (account) {
      for (const [i, t] of types.entries()) yield* plainInsightRows(ctx, 'AccountInsights', fields, account, t, selected[i]!, window);
    });
  },
};
