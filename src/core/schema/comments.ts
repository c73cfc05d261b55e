import { isoTime, parentAccount, text } from './common';
import { COMMENT_COLUMNS, COMMENT_NEEDS, commentFields } from './comment-fields';
import { deleteComment, insertComment, updateComment } from './comment-writes';
import { Media } from './media';
import type { Filter, Row, TableContext, TableDef } from './types';

export { COMMENT_FIELDS } from './comment-fields';
export const COMMENTS_MAX_PAGE = 50;

export function commentRow(c: Record<string, unknown>, mediaId: string | null, accountId: string | null): Row {
  const from = c.from as { id?: string; username?: string } | undefined;
  const media = c.media as { id?: string; owner?: { id?: string } } | undefined;
  return {
    Id: c.id as string,
    MediaId: media?.id ?? mediaId,
    Text: (c.text as string | undefined) ?? null,
    Created: isoTime(c.timestamp),
    UserId: from?.id ?? null,
    Username: (c.username as string | undefined) ?? from?.username ?? null,
    Likes: (c.like_count as number | undefined) ?? null,
    Hidden: (c.hidden as boolean | undefined) ?? false,
    ParentId: (c.parent_id as string | undefined) ?? null,
    // The media's owner when Graph tells it (own media): the account the listing would read it under.
    BusinessAccountId: media?.owner?.id ?? accountId,
  };
}

/** Comment rows become known to the query, so replies of a whole page can be fetched in one batch. */
export function publishComments(ctx: TableContext, rows: readonly Row[]): void {
  ctx.publish('comment', rows.map((r) => ({ id: r.Id as string, mediaId: r.MediaId as string | null, accountId: r.BusinessAccountId as string | null })));
}

/**
 * Top-level comments of one media. The first page comes inline with the media when the statement's media
 * listing expanded it (context.ts prime), else batched with the other media of the query; when the statement
 * reads Replies too, each comment comes with the first page of its replies inline (`edgeParams`).
 */
export async function* commentsOf(ctx: TableContext, f: Filter, mediaId: string): AsyncGenerator<Row[]> {
  // Comments' edge even when another table walks the comments (Replies without a CommentId).
  const params = ctx.edgeParams(f, Comments, mediaId);
  if (Comments.edge!.empty!(ctx, mediaId)) return; // Graph would answer an empty page: skip the call
  const batch = {
    group: 'media' as const,
    id: mediaId,
    request: (peer: string) => (Comments.edge!.empty!(ctx, peer) ? undefined : { segments: [peer, 'comments'], params: ctx.edgeParams(f, Comments, peer) }),
  };
  for await (const page of ctx.pages<Record<string, unknown>>([mediaId, 'comments'], params, `the comments of media ${mediaId}`, { batch, prime: 'comment' })) {
    yield Comments.edge!.rows(ctx, f, mediaId, page);
  }
}

/** A page of one media's comments as rows, published for Replies. */
function commentRows(ctx: TableContext, f: Filter, mediaId: string, items: ReadonlyArray<Record<string, unknown>>): Row[] {
  // A media the query listed gives its account (its comments are not asked `media{owner}`, edgeParams);
  // another one's comments carry their media's owner, which commentRow prefers.
  const account = parentAccount(ctx, 'media', mediaId, f);
  const rows = items.map((c) => commentRow(c, mediaId, account));
  publishComments(ctx, rows);
  return rows;
}

export const Comments: TableDef = {
  name: 'Comments',
  kind: 'table',
  description: 'Top-level comments on media. Filter on MediaId to read one media; without it every media of the account is read (many calls). INSERT (MediaId, Text) posts a comment, UPDATE … SET Hidden hides it, DELETE removes it.',
  scopes: ['instagram_basic', 'instagram_manage_comments'],
  columns: COMMENT_COLUMNS,
  needs: COMMENT_NEEDS,
  scanCost: 1e8,
  walks: 'media',
  // https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/comments
  // Listed under a media, a comment's media and account are that media's; ParentId stays asked: Graph leaves
  // it out of a top-level comment's answer, so it costs nothing and keeps a reply out of Comments.
  edge: { of: 'media', name: 'comments', key: 'MediaId', max: COMMENTS_MAX_PAGE, items: 'comment', fromParent: ['MediaId', 'BusinessAccountId'], rows: commentRows,
    empty: (ctx, mediaId) => ctx.lookup('media', mediaId)?.commentsCount === 0,
  },
  primes: 'comment',
  get: {
    async row(ctx, id, f) {
      const c = await ctx.getOptional<Record<string, unknown>>([id], { fields: commentFields(ctx) }, `comment ${id}`, { batch: { group: 'comment', id } });
      if (!c) return undefined;
      if (c.parent_id) ctx.note(`${id} is a reply to comment ${String(c.parent_id)}: it is in Replies, not Comments.`);
      const mediaId = (c.media as { id?: string } | undefined)?.id;
      const account = text(f.eq('BusinessAccountId')) ?? ((mediaId && ctx.lookup('media', mediaId)?.accountId) as string | undefined) ?? null;
      return commentRow(c, null, account);
    },
  },
  async *list(ctx, f) {
    const mediaId = text(f.eq('MediaId'));
    if (mediaId !== undefined) {
      yield* commentsOf(ctx, f, mediaId);
      return;
    }
    let media = 0;
    for await (const page of Media.list(ctx, f)) {
      for (const m of page) {
        media++;
        yield* commentsOf(ctx, f, m.Id as string);
      }
    }
    ctx.note(`Comments without a MediaId filter read the comments of ${media} media (batched); filter on MediaId to use fewer calls.`);
  },
  // Top-level comments on the selected accounts' media, as the listing reads them: a reply (it has a parent)
  // is a row of Replies, a comment on another account's media is no row.
  belongs: (row, { accounts }) => row.ParentId === null && accounts.has(String(row.BusinessAccountId)),
  insert: (ctx, values) => insertComment(ctx, values, 'Comments', 'MediaId'),
  update: (ctx, id, values, old) => updateComment(ctx, id, values, old, 'Comments'),
  delete: (ctx, id) => deleteComment(ctx, id, 'Comments'),
};
