import { IgsqlError } from '../errors';
import { BUSINESS_ACCOUNT_ID, eachAccount, text } from './common';
import { INSIGHT_SCOPES, accountInsights, breakdownResults, invalidValue, noteUnknownMetric } from './account-insights-common';
import type { Row, TableDef } from './types';

const METRICS = ['follower_demographics', 'engaged_audience_demographics', 'reached_audience_demographics'];
const BREAKDOWNS = ['age', 'city', 'country', 'gender'];
const TIMEFRAMES = ['this_week', 'this_month'];
/** Accepted by Graph before v20.0 only; asking for them now fails the call. */
const REMOVED_TIMEFRAMES = ['last_14_days', 'last_30_days', 'last_90_days', 'prev_month'];
const DEFAULT_TIMEFRAME = 'this_month';

/** Demographics of followers and of the engaged and reached audiences (lifetime, total_value, one breakdown per call). */
export const AudienceInsights: TableDef = {
  name: 'AudienceInsights',
  kind: 'view',
  description: `Audience demographics by age, city, country or gender: followers, engaged and reached audience. One Graph call per breakdown (all metrics together). Timeframe defaults to ${DEFAULT_TIMEFRAME}. Graph omits demographics of accounts with fewer than 100 followers.`,
  scopes: INSIGHT_SCOPES,
  columns: [
    { name: 'Metric', type: 'String', description: `Metric: ${METRICS.join(', ')}.`, key: ['='], values: METRICS },
    { name: 'Timeframe', type: 'String', description: `Period the audience is measured over: this_week (last 7 days) or this_month (last 30 days), default ${DEFAULT_TIMEFRAME}.`, key: ['='], values: TIMEFRAMES },
    { name: 'Breakdown', type: 'String', description: `Dimension: ${BREAKDOWNS.join(', ')}.`, key: ['='], values: BREAKDOWNS },
    { name: 'DimensionValue', type: 'String', description: 'Value of the dimension: an age range, a city, a country code or a gender (F, M, U).' },
    { name: 'Value', type: 'Integer', description: 'Accounts in that group.' },
    BUSINESS_ACCOUNT_ID,
  ],
  async *list(ctx, f) {
    const metric = text(f.eq('Metric'));
    if (metric !== undefined && !METRICS.includes(metric)) return noteUnknownMetric(ctx, 'AudienceInsights', metric, METRICS);
    const breakdown = text(f.eq('Breakdown'));
    if (breakdown !== undefined && !BREAKDOWNS.includes(breakdown)) throw invalidValue('Breakdown', breakdown, BREAKDOWNS);
    const timeframe = text(f.eq('Timeframe')) ?? DEFAULT_TIMEFRAME;
    if (REMOVED_TIMEFRAMES.includes(timeframe)) {
      throw new IgsqlError('INVALID_VALUE', `Timeframe '${timeframe}' was removed by Graph in v20.0: use this_week (the last 7 days) or this_month (the last 30 days).`, { suggestions: TIMEFRAMES });
    }
    if (!TIMEFRAMES.includes(timeframe)) throw invalidValue('Timeframe', timeframe, TIMEFRAMES);
    const metrics = metric === undefined ? METRICS : [metric];
    const breakdowns = breakdown === undefined ? BREAKDOWNS : [breakdown];
    yield* eachAccount(ctx, f, async function* (account) {
      for (const b of breakdowns) {
        const items = await accountInsights(ctx, account, { metric: metrics.join(','), period: 'lifetime', metric_type: 'total_value', breakdown: b, timeframe });
        const rows: Row[] = [];
        for (const item of items) {
          for (const r of breakdownResults(item)) {
            rows.push({ Metric: item.name, Timeframe: timeframe, Breakdown: b, DimensionValue: r.key, Value: r.value, BusinessAccountId: account });
          }
        }
        if (rows.length) yield rows;
      }
    });
  },
};
