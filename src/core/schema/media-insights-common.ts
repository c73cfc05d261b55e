/**
 * Media insights, shared by MediaInsights (long format) and the per-type wide views: the metric set each
 * MediaProductType supports, the media's type (known from the query or fetched, batched), the insights request
 * (batched with its published peers) and the story privacy threshold.
 * https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
 */
import { IgsqlError } from '../errors';
import type { Params } from '../graph/client';
import { isolatingMetrics, refused } from './account-insights-fetch';
import { inVersion } from './account-insights-common';
import { BUSINESS_ACCOUNT_ID, insightFields, text } from './common';
import { Filter, type ColumnDef, type KnownAttrs, type Row, type TableContext, type TableDef } from './types';

export type MediaKind = 'FEED' | 'REELS' | 'STORY';

/**
 * Metrics Graph supports per product type (v22+). Asking a media for a metric outside its set fails the whole
 * call, so requests only ever use these. Removed in 2025 and never offered: impressions, plays, video_views,
 * carousel_album_*, engagement, taps_forward/back, exits.
 */
export const MEDIA_METRICS: Record<MediaKind, readonly string[]> = {
  FEED: ['reach', 'likes', 'comments', 'saved', 'shares', 'total_interactions', 'follows', 'profile_visits', 'profile_activity', 'views'],
  REELS: ['reach', 'likes', 'comments', 'saved', 'shares', 'total_interactions', 'views', 'ig_reels_avg_watch_time', 'ig_reels_video_view_total_time', 'reels_skip_rate'],
  STORY: ['reach', 'replies', 'navigation', 'follows', 'profile_visits', 'profile_activity', 'shares', 'total_interactions', 'views'],
};

/**
 * The Graph versions a media metric exists in, when not all ([since, until) major versions): views exists from
 * v22.0 [MEDIA-INS].
 */
export const MEDIA_METRIC_VERSIONS: Readonly<Record<string, { since?: number; until?: number }>> = { views: { since: 22 } };

/**
 * The metrics of `kind` this query asks for: without those the connection's ApiVersion lacks (noted once) and
 * those Graph refused earlier in the query for this product type (they read as NULL).
 */
export function askedMetrics(ctx: TableContext, kind: MediaKind, view: string, only?: string): string[] {
  const gone = refused(ctx, kind);
  return MEDIA_METRICS[kind].filter((m) => (only === undefined || m === only) && inVersion(ctx, view, m, MEDIA_METRIC_VERSIONS[m] ?? {}) && !gone.has(m));
}

/** FEED and AD posts (albums too) share the feed set. */
export function mediaKind(productType: unknown): MediaKind | undefined {
  if (productType === 'FEED' || productType === 'AD') return 'FEED';
  if (productType === 'REELS' || productType === 'STORY') return productType;
  return undefined;
}

export interface MediaInfo {
  id: string;
  productType: string | null;
  mediaType: string | null;
  accountId: string | null;
}

export interface InsightItem {
  name: string;
  period?: string;
  title?: string;
  description?: string;
  values?: Array<{ value?: unknown; end_time?: string }>;
  total_value?: { value?: unknown; breakdowns?: Array<{ dimension_keys?: string[]; results?: Array<{ dimension_values?: string[]; value?: unknown }> }> };
}

// owner: the account the media is listed under, whichever way it was reached.
// permalink and is_comment_enabled: both absent on album children, which no listing holds (media-fields.ts).
const INFO_FIELDS = 'media_product_type,media_type,owner{id},permalink,is_comment_enabled';

function infoFrom(id: string, attrs: KnownAttrs | undefined, fallbackAccount: string | null): MediaInfo {
  return {
    id,
    productType: (attrs?.productType as string | null | undefined) ?? null,
    mediaType: (attrs?.mediaType as string | null | undefined) ?? null,
    accountId: (attrs?.accountId as string | null | undefined) ?? fallbackAccount,
  };
}

/**
 * The product and media type of a media: known when a listing of this query published it, else fetched
 * (batched with its published peers). The peers' types, fetched by that same batch, are made known too, so the
 * insights request that follows can be batched for all of them.
 */
export async function mediaInfo(ctx: TableContext, id: string, account: string | null): Promise<MediaInfo | undefined> {
  const known = ctx.lookup('media', id);
  if (known?.productType) return infoFrom(id, known, account);
  const peers: string[] = [];
  const request = (peer: string) => {
    peers.push(peer);
    return { segments: [peer], params: { fields: INFO_FIELDS } };
  };
  const json = await ctx.getOptional<Record<string, unknown>>([id], { fields: INFO_FIELDS }, `media ${id}`, { batch: { group: 'media', id, request } });
  if (!json) return undefined;
  const learn = (mid: string, j: Record<string, unknown>) =>
    ctx.publish('media', [{ id: mid, productType: (j.media_product_type as string | undefined) ?? null, mediaType: (j.media_type as string | undefined) ?? null, ...((j.owner as { id?: string } | undefined)?.id ? { accountId: (j.owner as { id: string }).id } : {}), child: j.permalink === undefined && j.is_comment_enabled === undefined }]);
  learn(id, json);
  for (const peer of peers) {
    if (peer === id || ctx.lookup('media', peer)?.productType) continue;
    // Served from the query's cache: the batch above already asked for it.
    const pj = await ctx.getOptional<Record<string, unknown>>([peer], { fields: INFO_FIELDS }, `media ${peer}`).catch(() => undefined);
    if (pj) learn(peer, pj);
  }
  return infoFrom(id, ctx.lookup('media', id), account);
}

/**
 * The insights request params for a media of `kind`: the metrics it is asked for, or one metric if among them,
 * and the `fields` of the view's columns the statement reads (common.ts insightFields).
 */
export function insightParams(ctx: TableContext, kind: MediaKind, view: string, fields: string, metric?: string): Params | undefined {
  const set = askedMetrics(ctx, kind, view, metric);
  if (metric !== undefined) return set.includes(metric) ? { metric, fields } : undefined;
  return set.length ? { metric: set.join(','), fields } : undefined;
}

/**
 * The insights of one media. undefined: nothing to ask (unknown type, or the metric is not offered for it);
 * null: a story under the privacy threshold (Graph error 10), whose values are NULL. A metric Graph refuses is
 * dropped and asked no more in this query (account-insights-fetch.ts); it reads as NULL.
 */
export async function fetchMediaInsights(
  ctx: TableContext, info: MediaInfo, wants: (attrs: KnownAttrs) => boolean, view: TableDef, metric?: string,
): Promise<InsightItem[] | null | undefined> {
  const kind = mediaKind(info.productType);
  if (!kind) return undefined;
  const fields = insightFields(ctx, view);
  const first = insightParams(ctx, kind, view.name, fields, metric);
  // Nothing left to ask: no row when the metric is not offered, NULLs (an empty answer) when Graph refused it.
  if (!first) return MEDIA_METRICS[kind].some((m) => (metric === undefined || m === metric) && refused(ctx, kind).has(m)) ? [] : undefined;
  const request = (peer: string) => {
    const attrs = ctx.lookup('media', peer);
    const k = mediaKind(attrs?.productType);
    if (!attrs || !k || !wants(attrs)) return undefined;
    const p = insightParams(ctx, k, view.name, fields, metric);
    return p ? { segments: [peer, 'insights'], params: p } : undefined;
  };
  try {
    return await isolatingMetrics(ctx, kind, String(first.metric).split(','), view.name, async (ms) => {
      const r = await ctx.get<{ data?: InsightItem[] }>([info.id, 'insights'], { metric: ms.join(','), fields }, `the insights of media ${info.id}`, { batch: { group: 'media', id: info.id, request } });
      return r.data ?? [];
    });
  } catch (e) {
    if (kind === 'STORY' && e instanceof IgsqlError && e.details.graphCode === 10) return null;
    throw e;
  }
}

/** First value of a lifetime insight item. */
export function itemValue(item: InsightItem): number | null {
  const v = item.values?.[0]?.value ?? item.total_value?.value;
  return typeof v === 'number' ? v : null;
}

const LIST_FIELDS = 'id,media_type,media_product_type';

/** The media (or stories) of an account with their types, page by page, published for batching. */
export async function* accountMediaInfos(ctx: TableContext, account: string, edge: 'media' | 'stories'): AsyncGenerator<MediaInfo[]> {
  // Only ids and types, read at Graph's largest page: fewer listing calls, and bigger sets to batch.
  const params = { fields: LIST_FIELDS, limit: 100 };
  const infosOf = (page: ReadonlyArray<Record<string, unknown>>): MediaInfo[] => page.map((m) => ({
    id: m.id as string,
    productType: (m.media_product_type as string | undefined) ?? (edge === 'stories' ? 'STORY' : null),
    mediaType: (m.media_type as string | undefined) ?? null,
    accountId: account,
  }));
  const publish = (infos: readonly MediaInfo[]) => ctx.publish('media', infos.map((i) => ({ id: i.id, accountId: account, productType: i.productType, mediaType: i.mediaType })));
  // Published as each page arrives (read ahead too): the insights batches of a page go out then.
  const arrived = (items: unknown[]) => publish(infosOf(items as Array<Record<string, unknown>>));
  for await (const page of ctx.pages<Record<string, unknown>>([account, edge], params, `the ${edge === 'media' ? 'media' : 'stories'} of account ${account}`, { arrived })) {
    const infos = infosOf(page);
    publish(infos);
    yield infos;
  }
}

/**
 * The media a media-insights view reads: the one of `MediaId =`, or every media (and/or story) of the selected
 * accounts, filtered by `wants`, a page at a time.
 */
export async function* insightTargets(
  ctx: TableContext, f: Filter, edges: ReadonlyArray<'media' | 'stories'>, wants: (attrs: KnownAttrs) => boolean, view: string,
): AsyncGenerator<MediaInfo[]> {
  const mediaId = text(f.eq('MediaId'));
  const account = text(f.eq('BusinessAccountId')) ?? null;
  const accounts = new Filter(f.keys.filter((k) => k.column === 'BusinessAccountId'));
  if (mediaId !== undefined) {
    const info = await mediaInfo(ctx, mediaId, account);
    // A look-up answers what the listing would: the selected accounts' own media and stories, no album child.
    const child = !!ctx.lookup('media', mediaId)?.child;
    const own = !!info && (await ctx.accounts(accounts)).includes(info.accountId ?? '');
    if (info && own && !child) yield wants(info as unknown as KnownAttrs) ? [info] : [];
    else if (info) ctx.note(`${view}: media ${mediaId} is ${child ? 'an album child (Graph gives insights for the album)' : "not one of the selected accounts' media (Graph gives insights only to its owner)"}, so it has no row.`);
    return;
  }
  ctx.note(`${view} without a MediaId filter reads the insights of every ${edges.map((e) => (e === 'media' ? 'media' : 'story')).join(' and ')} of the account (batched, 50 per call); filter on MediaId or join with Media to read fewer.`);
  for (const acc of await ctx.accounts(accounts)) {
    for (const edge of edges) {
      for await (const page of accountMediaInfos(ctx, acc, edge)) yield page.filter((i) => wants(i as unknown as KnownAttrs));
    }
  }
}

export const MEDIA_ID_COLUMN: ColumnDef = {
  name: 'MediaId', type: 'String', description: 'Media id. Without a filter on it, every media of the account is read.', key: ['='], group: 'media',
  source: 'the media whose insights edge is read (GET /{ig-media-id}/insights)',
};

/** An insight's value: Graph gives lifetime media metrics in `values`, and some as a `total_value`. */
export const INSIGHT_VALUE = 'values[].value,total_value.value';

/** The media insights' own BusinessAccountId: the media's owner. */
export const MEDIA_OWNER_ACCOUNT: ColumnDef = { ...BUSINESS_ACCOUNT_ID, source: "the media's account (its listing, or `owner{id}` when looked up)" };

/** Metric name → wide-view column. */
export const METRIC_COLUMNS: Record<string, { column: string; type: 'Integer' | 'Double'; description: string }> = {
  reach: { column: 'Reach', type: 'Integer', description: 'Unique accounts that saw the media.' },
  views: { column: 'Views', type: 'Integer', description: 'Times the media was played or displayed.' },
  likes: { column: 'Likes', type: 'Integer', description: 'Likes.' },
  comments: { column: 'Comments', type: 'Integer', description: 'Comments.' },
  saved: { column: 'Saved', type: 'Integer', description: 'Saves.' },
  shares: { column: 'Shares', type: 'Integer', description: 'Shares.' },
  total_interactions: { column: 'TotalInteractions', type: 'Integer', description: 'Likes, saves, comments and shares (stories: replies and shares), minus the undone ones.' },
  follows: { column: 'Follows', type: 'Integer', description: 'Accounts that started following after seeing it.' },
  profile_visits: { column: 'ProfileVisits', type: 'Integer', description: 'Profile visits from it.' },
  profile_activity: { column: 'ProfileActivity', type: 'Integer', description: 'Actions taken on the profile after engaging with it.' },
  ig_reels_avg_watch_time: { column: 'AvgWatchTimeMs', type: 'Integer', description: 'Average watch time, in milliseconds.' },
  ig_reels_video_view_total_time: { column: 'TotalWatchTimeMs', type: 'Integer', description: 'Total watch time including replays, in milliseconds.' },
  reels_skip_rate: { column: 'SkipRate', type: 'Double', description: 'Percentage of views skipped within the first 3 seconds.' },
  replies: { column: 'Replies', type: 'Integer', description: 'Replies to the story.' },
  navigation: { column: 'Navigation', type: 'Integer', description: 'Forward, back, next-story and exit actions.' },
};

/**
 * A wide media-insights view: one row per media of the matching type, one column per metric of its set.
 * Stories under the privacy threshold give a row of NULLs.
 */
export function wideMediaInsightsView(o: {
  name: string; description: string; kind: MediaKind; edges: ReadonlyArray<'media' | 'stories'>;
  wants: (attrs: KnownAttrs) => boolean; typeLabel: string;
}): TableDef {
  const metrics = MEDIA_METRICS[o.kind];
  const view: TableDef = {
    name: o.name,
    kind: 'view',
    description: o.description,
    scopes: ['instagram_basic', 'instagram_manage_insights'],
    columns: [
      MEDIA_ID_COLUMN,
      ...metrics.map((m) => ({ name: METRIC_COLUMNS[m]!.column, type: METRIC_COLUMNS[m]!.type, description: METRIC_COLUMNS[m]!.description, graphField: INSIGHT_VALUE, source: `the \`${m}\` insight (GET /{ig-media-id}/insights)` })),
      MEDIA_OWNER_ACCOUNT,
    ],
    scanCost: 1e7,
    walks: o.edges.includes('stories') ? (o.edges.includes('media') ? 'media-and-stories' : 'stories') : 'media',
    looksUpIds: true,
    async *list(ctx, f) {
      for await (const page of insightTargets(ctx, f, o.edges, o.wants, o.name)) {
        const rows: Row[] = [];
        for (const info of page) {
          const items = await fetchMediaInsights(ctx, info, o.wants, view);
          if (items === undefined) continue;
          const row: Row = { MediaId: info.id, BusinessAccountId: info.accountId };
          for (const m of metrics) row[METRIC_COLUMNS[m]!.column] = null;
          for (const item of items ?? []) {
            const col = METRIC_COLUMNS[item.name]?.column;
            if (col) row[col] = itemValue(item);
          }
          rows.push(row);
        }
        if (page.length === 0 && text(f.eq('MediaId')) !== undefined) {
          ctx.note(`${o.name} only has ${o.typeLabel}; media ${text(f.eq('MediaId'))} is not one (see MediaInsights for any media).`);
        }
        if (rows.length) yield rows;
      }
    },
  };
  return view;
}
