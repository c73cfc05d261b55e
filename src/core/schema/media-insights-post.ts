import { wideMediaInsightsView } from './media-insights-common';

/** Feed posts (images and videos, not albums), a column per metric of the FEED set. */
export const MediaInsightsPost = wideMediaInsightsView({
  name: 'MediaInsightsPost',
  description: 'Lifetime insights of feed posts (images and videos; albums are in MediaInsightsPostAlbum), one column per metric. Filter on MediaId or join with Media; without it every media of the account is read, batched 50 per call.',
  kind: 'FEED',
  edges: ['media'],
  wants: (m) => (m.productType === 'FEED' || m.productType === 'AD') && m.mediaType !== 'CAROUSEL_ALBUM',
  typeLabel: 'feed posts (IMAGE or VIDEO)',
});
