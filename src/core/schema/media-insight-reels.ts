import { wideMediaInsightsView } from './media-insights-common';

/** Reels, a column per metric of the REELS set (watch time and skip rate included). */
export const MediaInsightReels = wideMediaInsightsView({
  name: 'MediaInsightReels',
  description: 'Lifetime insights of reels, one column per metric, with average and total watch time (ms) and skip rate. Filter on MediaId or join with Media; without it every media of the account is read, batched 50 per call.',
  kind: 'REELS',
  edges: ['media'],
  wants: (m) => m.productType === 'REELS',
  typeLabel: 'reels',
});
