import { breakdownView } from './account-insights-common';

export const AccountTimeSeriesMediaProductType = breakdownView({
  name: 'AccountTimeSeriesMediaProductType',
  description: 'Account metrics split by the kind of content, per day of the EndTime range (days end at midnight Pacific time, as Graph counts them) (default: the last 30 days; one Graph call per day, since Graph gives breakdowns only as totals).',
  breakdown: 'media_product_type',
  dimensionColumn: 'MediaProductType',
  dimensionDescription: 'POST, CAROUSEL_CONTAINER, REEL, STORY or AD (as Graph names them in this breakdown).',
  daily: true,
});
