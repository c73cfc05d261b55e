import { wideMediaInsightsView } from './media-insights-common';

/** Carousel albums, a column per metric of the FEED set (albums are asked as a whole, never per child). */
export const MediaInsightsPostAlbum = wideMediaInsightsView({
  name: 'MediaInsightsPostAlbum',
  description: 'Lifetime insights of carousel albums (the album as a whole), one column per metric. Filter on MediaId or join with Media; without it every media of the account is read, batched 50 per call.',
  kind: 'FEED',
  edges: ['media'],
  wants: (m) => (m.productType === 'FEED' || m.productType === 'AD') && m.mediaType === 'CAROUSEL_ALBUM',
  typeLabel: 'carousel albums',
});
