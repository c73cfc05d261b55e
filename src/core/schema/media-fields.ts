/** The IG Media node's fields and their columns, shared by Media, IGMedia, Stories and Tags. */
import { BUSINESS_ACCOUNT_ID, graphFields, isoTime } from './common';
import type { ColumnDef, Row, TableContext } from './types';

export const MEDIA_COLUMNS: ColumnDef[] = [
  { name: 'Id', graphField: 'id', type: 'String', description: 'Media id (looked up one by one, batched, when given with = or IN).', group: 'media' },
  { name: 'Caption', graphField: 'caption', type: 'String', description: 'Caption text, with hashtags and mentions; NULL when none.' },
  { name: 'MediaType', graphField: 'media_type', type: 'String', description: 'IMAGE, VIDEO or CAROUSEL_ALBUM.', values: ['IMAGE', 'VIDEO', 'CAROUSEL_ALBUM'] },
  { name: 'MediaProductType', graphField: 'media_product_type', type: 'String', description: 'Surface: FEED, REELS, STORY or AD.', values: ['FEED', 'REELS', 'STORY', 'AD'] },
  { name: 'MediaUrl', graphField: 'media_url', type: 'String', description: 'URL of the image or video (may expire; absent for copyrighted media).' },
  { name: 'ThumbnailUrl', graphField: 'thumbnail_url', type: 'String', description: 'Thumbnail URL (videos only).' },
  { name: 'Permalink', graphField: 'permalink', type: 'String', description: 'Permanent URL of the post on instagram.com.' },
  { name: 'Shortcode', graphField: 'shortcode', type: 'String', description: 'Shortcode of the post.' },
  { name: 'Timestamp', graphField: 'timestamp', type: 'Datetime', description: 'When it was published (UTC). Ranges are pushed to Graph as since/until.', key: ['>', '>=', '<', '<='] },
  { name: 'Username', graphField: 'username', type: 'String', description: 'Username of the owner.' },
  { name: 'LikeCount', graphField: 'like_count', type: 'Integer', description: 'Likes (NULL when the owner hid like counts).' },
  { name: 'CommentsCount', graphField: 'comments_count', type: 'Integer', description: 'Comments, replies included.' },
  { name: 'IsCommentEnabled', graphField: 'is_comment_enabled', type: 'Boolean', description: 'Whether comments are enabled.' },
  { name: 'IsSharedToFeed', graphField: 'is_shared_to_feed', type: 'Boolean', description: 'Reels only: whether the reel also appears in the feed.' },
  { name: 'AltText', graphField: 'alt_text', type: 'String', description: 'Alternative text for accessibility.' },
  { name: 'OwnerId', graphField: 'owner{id}', type: 'String', description: 'Id of the owner account.' },
  { ...BUSINESS_ACCOUNT_ID, source: "the account whose edge listed it; for a media looked up by id, its `owner{id}`" },
];

/**
 * The media columns a listing that publishes its rows asks for whatever the statement reads: the id, and the
 * types and comment count other tables of the query read from what is published (MediaInsights picks metrics by
 * product type, MediaInsightsPost leaves albums out by media type, Comments skips media without comments).
 */
export const MEDIA_PUBLISHED = ['Id', 'MediaType', 'MediaProductType', 'CommentsCount'] as const;

/**
 * A media looked up by id also needs what tells it apart from the account's listed media: permalink and
 * is_comment_enabled (isAlbumChild) and the owner (its account). A listing does not: the /media edge holds the
 * account's own posts, reels and albums only (issue 11: those fields were ~110 bytes of every listed media).
 */
export const MEDIA_LOOKUP_NEEDS = [...MEDIA_PUBLISHED, 'Permalink', 'IsCommentEnabled', 'OwnerId'] as const;

/** Every IG Media field the columns above declare (what a statement reading all of them asks). */
export const MEDIA_GRAPH_FIELDS = graphFields(MEDIA_COLUMNS);

/**
 * Album children are IG Media too, readable by id, but never in an account's /media edge. Graph omits
 * `permalink` on children ("Some fields, such as permalink, cannot be used on photos within albums",
 * https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/children) and
 * `is_comment_enabled` with it; a copyrighted post lacks only its permalink.
 */
export function isAlbumChild(row: Row): boolean {
  return row.Permalink === null && row.IsCommentEnabled === null;
}

/** The media columns without pushdown, for edges that filter on nothing but the account (Stories, Tags). */
export const UNKEYED_MEDIA_COLUMNS: ColumnDef[] = MEDIA_COLUMNS.map((c) => (c.name === 'BusinessAccountId' ? c : { ...c, key: undefined }));

/** Tells the query which media it has seen, so later per-media requests can be batched and typed. */
export function publishMedia(ctx: TableContext, rows: readonly Row[]): void {
  ctx.publish('media', rows.map((r) => ({
    id: r.Id as string,
    accountId: r.BusinessAccountId as string | null,
    productType: r.MediaProductType as string | null,
    mediaType: r.MediaType as string | null,
    commentsCount: r.CommentsCount as number | null,
  })));
}

export function mediaRow(m: Record<string, unknown>, accountId: string | null): Row {
  const owner = m.owner as { id?: string } | undefined;
  return {
    Id: m.id as string,
    Caption: (m.caption as string | undefined) ?? null,
    MediaType: (m.media_type as string | undefined) ?? null,
    MediaProductType: (m.media_product_type as string | undefined) ?? null,
    MediaUrl: (m.media_url as string | undefined) ?? null,
    ThumbnailUrl: (m.thumbnail_url as string | undefined) ?? null,
    Permalink: (m.permalink as string | undefined) ?? null,
    Shortcode: (m.shortcode as string | undefined) ?? null,
    Timestamp: isoTime(m.timestamp),
    Username: (m.username as string | undefined) ?? null,
    LikeCount: (m.like_count as number | undefined) ?? null,
    CommentsCount: (m.comments_count as number | undefined) ?? null,
    IsCommentEnabled: (m.is_comment_enabled as boolean | undefined) ?? null,
    IsSharedToFeed: (m.is_shared_to_feed as boolean | undefined) ?? null,
    AltText: (m.alt_text as string | undefined) ?? null,
    OwnerId: owner?.id ?? null,
    BusinessAccountId: accountId ?? owner?.id ?? null,
  };
}
