import { plainInsightsView } from './account-insights-common';

/** Daily values of the time-series metrics (reach, follower_count), no breakdown. */
export const AccountTimeSeriesWithoutBreakdown = plainInsightsView({
  name: 'AccountTimeSeriesWithoutBreakdown',
  description: "Account metrics per day (reach, follower_count) over the EndTime range (default: the last 30 days); Graph labels each day by its end, midnight Pacific time (07:00 or 08:00 UTC).",
  type: 'time_series',
});
