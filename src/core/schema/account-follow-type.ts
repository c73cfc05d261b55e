import { breakdownView } from './account-insights-common';

export const AccountFollowType = breakdownView({
  name: 'AccountFollowType',
  description: 'Reach and views split into followers and non-followers, as totals over the EndTime range (default: the last 30 days), one row per 30-day span.',
  breakdown: 'follow_type',
  dimensionColumn: 'FollowType',
  dimensionDescription: 'FOLLOWER or NON_FOLLOWER.',
  daily: false,
});
