import { breakdownView } from './account-insights-common';

export const AccountTimeSeriesFollowType = breakdownView({
  name: 'AccountTimeSeriesFollowType',
  description: 'Reach and views split into followers and non-followers, per UTC day of the EndTime range (default: the last 30 days; one Graph call per day, since Graph gives breakdowns only as totals).',
  breakdown: 'follow_type',
  dimensionColumn: 'FollowType',
  dimensionDescription: 'FOLLOWER or NON_FOLLOWER.',
  daily: true,
});
