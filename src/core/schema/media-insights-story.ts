import { wideMediaInsightsView } from './media-insights-common';

/** Stories of the last 24 h, a column per metric of the STORY set; NULLs under the privacy threshold. */
export const MediaInsightsStory = wideMediaInsightsView({
  name: 'MediaInsightsStory',
  description: 'Insights of stories, one column per metric. Without a MediaId filter the current stories (last 24 h) are read. A story seen by fewer than 5 accounts has NULL values (Graph withholds them).',
  kind: 'STORY',
  edges: ['stories'],
  wants: (m) => m.productType === 'STORY',
  typeLabel: 'stories',
});
