import { eachAccount, insightFields, isoTime } from './common';
import { INSIGHTS_ACCOUNT, INSIGHT_SCOPES, SERIES_END_TIME, accountInsights, insightWindow, lookahead, type Span } from './account-insights-common';
import type { Row, TableDef } from './types';

/**
 * Followers online per hour of each day (online_followers, lifetime, time_series). [USER-INS]: not for accounts
 * under 100 followers, and only for the last 30 days; an unavailable metric answers an empty data set, not 0.
 * https://developers.facebook.com/documentation/instagram-platform/api-reference/instagram-user/insights
 */
export const OnlineFollowers: TableDef = {
  name: 'OnlineFollowers',
  kind: 'view',
  description: 'How many of your followers were online in each hour (0–23, Pacific time as Graph reports it) of each day of the EndTime range (default: the last 30 days; Graph keeps about 30 days). Days end at midnight Pacific time (07:00 or 08:00 UTC). No rows for accounts under 100 followers.',
  scopes: INSIGHT_SCOPES,
  columns: [
    SERIES_END_TIME,
    // Each day's value is an object keyed by hour: {"0": 12, "1": 9, …}.
    { name: 'Hour', graphField: 'values[].value', type: 'Integer', description: 'Hour of the day, 0–23 (the keys of the day\'s value).' },
    { name: 'Value', graphField: 'values[].value', type: 'Integer', description: 'Followers online during that hour.' },
    INSIGHTS_ACCOUNT,
  ],
  // A row per day and hour.
  needs: ['EndTime', 'Hour'],
  async *list(ctx, f) {
    const window = insightWindow(ctx, f);
    if (window.since < ctx.now() / 1000 - 30 * 86400) ctx.note('Graph keeps online followers for the last 30 days only: older days have no rows.');
    yield* eachAccount(ctx, f, async function* (account) {
      const seen = new Set<string>();
      const params = (span: Span) => ({ metric: 'online_followers', period: 'lifetime', since: span.since, until: span.until, fields: insightFields(ctx, OnlineFollowers) });
      for await (const run of lookahead(window.spans, 2, (span) => accountInsights(ctx, account, params(span)))) {
        const rows: Row[] = [];
        for (const v of run.flatMap(({ value: items }) => items.find((i) => i.name === 'online_followers')?.values ?? [])) {
          const end = isoTime(v.end_time);
          if (seen.has(String(end)) || !window.accepts(end)) continue;
          seen.add(String(end));
          const hours = v.value && typeof v.value === 'object' ? (v.value as Record<string, unknown>) : {};
          for (const [hour, n] of Object.entries(hours).sort(([a], [b]) => Number(a) - Number(b))) {
            rows.push({ EndTime: end, Hour: Number(hour), Value: typeof n === 'number' ? n : null, BusinessAccountId: account });
          }
        }
        if (rows.length) yield rows;
      }
    });
  },
};
