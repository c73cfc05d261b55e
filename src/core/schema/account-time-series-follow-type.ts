import { breakdownView } from './account-insights-common';

export const AccountTimeSeriesFollowType = breakdownView({
  name: 'AccountTimeSeriesFollowType',
  description: 'Reach, views and follows/unfollows split by follow type, per day of the EndTime range (days end at midnight Pacific time, as Graph counts them) (default: the last 30 days; one Graph call per day, since Graph gives breakdowns only as totals).',
  breakdown: 'follow_type',
  dimensionColumn: 'FollowType',
  dimensionDescription: 'FOLLOWER, NON_FOLLOWER or UNKNOWN (for follows_and_unfollows: FOLLOWER = follows, NON_FOLLOWER = unfollows).',
  daily: true,
});
