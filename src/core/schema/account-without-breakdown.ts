import { plainInsightsView } from './account-insights-common';

/** Totals of the day metrics over the EndTime range (metric_type=total_value, no breakdown). */
export const AccountWithoutBreakdown = plainInsightsView({
  name: 'AccountWithoutBreakdown',
  description: 'Account metrics as totals over the EndTime range (default: the last 30 days), one row per metric and 30-day span; EndTime is the end of the span.',
  type: 'total_value',
});
