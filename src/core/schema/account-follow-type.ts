import { breakdownView } from './account-insights-common';

export const AccountFollowType = breakdownView({
  name: 'AccountFollowType',
  description: 'Reach, views and follows/unfollows split by follow type, as totals over the EndTime range (default: the last 30 days), one row per 30-day span.',
  breakdown: 'follow_type',
  dimensionColumn: 'FollowType',
  dimensionDescription: 'FOLLOWER, NON_FOLLOWER or UNKNOWN (for follows_and_unfollows: FOLLOWER = follows, NON_FOLLOWER = unfollows).',
  daily: false,
});
