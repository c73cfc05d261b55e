import { breakdownView } from './account-insights-common';

export const AccountMediaProductType = breakdownView({
  name: 'AccountMediaProductType',
  description: 'Account metrics split by the kind of content (posts, albums, reels, stories), as totals over the EndTime range (default: the last 30 days), one row per 30-day span.',
  breakdown: 'media_product_type',
  dimensionColumn: 'MediaProductType',
  dimensionDescription: 'POST, CAROUSEL_CONTAINER, REEL, STORY or AD (as Graph names them in this breakdown).',
  daily: false,
});
