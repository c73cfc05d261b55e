import { text } from './common';
import { refused } from './account-insights-fetch';
import { INSIGHT_VALUE, MEDIA_ID_COLUMN, askedMetrics, MEDIA_METRICS, MEDIA_OWNER_ACCOUNT, fetchMediaInsights, insightTargets, itemValue, mediaKind } from './media-insights-common';
import type { Row, TableDef } from './types';

const ALL_METRICS = [...new Set(Object.values(MEDIA_METRICS).flat())];

/** https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights */
export const MediaInsights: TableDef = {
  name: 'MediaInsights',
  kind: 'view',
  description:
    'Lifetime insights of media, one row per metric. Each media is asked only for the metrics its MediaProductType supports (FEED and albums, REELS, STORY). Filter on MediaId (or join with Media or Stories); without it every media and story of the account is read, batched 50 per call. Stories seen by fewer than 5 accounts have NULL values.',
  scopes: ['instagram_basic', 'instagram_manage_insights'],
  columns: [
    MEDIA_ID_COLUMN,
    { name: 'MediaProductType', type: 'String', description: 'FEED, REELS, STORY or AD: decides which metrics exist.', values: ['FEED', 'REELS', 'STORY', 'AD'], source: "the media's `media_product_type` (from its listing, or looked up)" },
    { name: 'Metric', graphField: 'name', type: 'String', description: `Metric name: ${ALL_METRICS.join(', ')}.`, key: ['='], values: ALL_METRICS },
    { name: 'Period', graphField: 'period', type: 'String', description: 'Always lifetime for media.', values: ['lifetime'] },
    { name: 'Value', graphField: INSIGHT_VALUE, type: 'Double', description: 'Metric value (NULL for a story under the privacy threshold).' },
    { name: 'Title', graphField: 'title', type: 'String', description: "Graph's title of the metric." },
    { name: 'Description', graphField: 'description', type: 'String', description: "Graph's description of the metric." },
    MEDIA_OWNER_ACCOUNT,
  ],
  scanCost: 1e7,
  walks: 'media-and-stories',
  looksUpIds: true,
  async *list(ctx, f) {
    const metric = text(f.eq('Metric'));
    if (metric !== undefined && !ALL_METRICS.includes(metric)) {
      ctx.note(`MediaInsights has no metric '${metric}' (Graph removed impressions, plays, video_views and the carousel_album_* metrics in 2025). Metrics: ${ALL_METRICS.join(', ')}.`);
      return;
    }
    const wants = () => true;
    for await (const page of insightTargets(ctx, f, ['media', 'stories'], wants, 'MediaInsights')) {
      const rows: Row[] = [];
      for (const info of page) {
        const items = await fetchMediaInsights(ctx, info, wants, MediaInsights, metric);
        if (items === undefined) continue;
        const base = { MediaId: info.id, MediaProductType: info.productType, BusinessAccountId: info.accountId };
        if (items === null) {
          // Under the privacy threshold: the metrics exist (in this API version) but Graph withholds them.
          const names = askedMetrics(ctx, 'STORY', 'MediaInsights', metric);
          for (const name of names) rows.push({ ...base, Metric: name, Period: 'lifetime', Value: null, Title: null, Description: null });
          continue;
        }
        for (const item of items) {
          rows.push({ ...base, Metric: item.name, Period: item.period ?? 'lifetime', Value: itemValue(item), Title: item.title ?? null, Description: item.description ?? null });
        }
        // Metrics of its set that Graph refused in this query: NULL, as the notes explain.
        const kind = mediaKind(info.productType)!;
        for (const name of MEDIA_METRICS[kind]) {
          if ((metric === undefined || metric === name) && refused(ctx, kind).has(name) && !items.some((i) => i.name === name)) rows.push({ ...base, Metric: name, Period: 'lifetime', Value: null, Title: null, Description: null });
        }
      }
      if (rows.length) yield rows;
    }
  },
};
