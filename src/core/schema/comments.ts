import { isoTime, pageLimit, text } from './common';
import { BUSINESS_ACCOUNT_ID } from './common';
import { Media } from './media';
import type { Filter, Row, TableContext, TableDef } from './types';

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/comments */
export const COMMENT_FIELDS = 'id,text,timestamp,from{id,username},username,like_count,hidden,parent_id,media{id}';
export const COMMENTS_MAX_PAGE = 50;

export function commentRow(c: Record<string, unknown>, mediaId: string | null, accountId: string | null): Row {
  const from = c.from as { id?: string; username?: string } | undefined;
  const media = c.media as { id?: string } | undefined;
  return {
    Id: c.id as string,
    MediaId: media?.id ?? mediaId,
    Text: (c.text as string | undefined) ?? null,
    Created: isoTime(c.timestamp),
    UserId: from?.id ?? null,
    Username: (c.username as string | undefined) ?? from?.username ?? null,
    Likes: (c.like_count as number | undefined) ?? null,
    Hidden: (c.hidden as boolean | undefined) ?? null,
    ParentId: (c.parent_id as string | undefined) ?? null,
    BusinessAccountId: accountId,
  };
}

/** Top-level comments of one media, page by page. */
export async function* commentsOf(ctx: TableContext, f: Filter, mediaId: string, accountId: string | null): AsyncGenerator<Row[]> {
  const params = { fields: COMMENT_FIELDS, limit: pageLimit(ctx, f, COMMENTS_MAX_PAGE) };
  for await (const page of ctx.pages<Record<string, unknown>>([mediaId, 'comments'], params, `the comments of media ${mediaId}`)) {
    yield page.map((c) => commentRow(c, mediaId, accountId));
  }
}

export const Comments: TableDef = {
  name: 'Comments',
  kind: 'table',
  description: 'Top-level comments on media. Filter on MediaId to read one media; without it every media of the account is read (many calls).',
  scopes: ['instagram_basic', 'instagram_manage_comments'],
  columns: [
    { name: 'Id', type: 'String', description: 'Comment id.', key: ['='] },
    { name: 'MediaId', type: 'String', description: 'Media the comment is on.', key: ['='], writable: true },
    { name: 'Text', type: 'String', description: 'Comment text (≤ 300 characters, ≤ 4 hashtags, ≤ 1 URL when written).', writable: true },
    { name: 'Created', type: 'Datetime', description: 'When it was posted (UTC).' },
    { name: 'UserId', type: 'String', description: 'Id of the commenter (only for commenters Graph exposes).' },
    { name: 'Username', type: 'String', description: 'Username of the commenter.' },
    { name: 'Likes', type: 'Integer', description: 'Likes on the comment.' },
    { name: 'Hidden', type: 'Boolean', description: 'Whether the comment is hidden.', writable: true },
    { name: 'ParentId', type: 'String', description: 'Parent comment id (set on replies).' },
    BUSINESS_ACCOUNT_ID,
  ],
  scanCost: 1e8,
  async *list(ctx, f) {
    const id = text(f.eq('Id'));
    if (id !== undefined) {
      const c = await ctx.getOptional<Record<string, unknown>>([id], { fields: COMMENT_FIELDS }, `comment ${id}`);
      yield c ? [commentRow(c, null, text(f.eq('BusinessAccountId')) ?? null)] : [];
      return;
    }
    const mediaId = text(f.eq('MediaId'));
    if (mediaId !== undefined) {
      yield* commentsOf(ctx, f, mediaId, text(f.eq('BusinessAccountId')) ?? null);
      return;
    }
    let media = 0;
    for await (const page of Media.list(ctx, f)) {
      for (const m of page) {
        if (!m.CommentsCount) continue; // Graph would answer an empty page: skip the call
        media++;
        yield* commentsOf(ctx, f, m.Id as string, m.BusinessAccountId as string);
      }
    }
    ctx.note(`Comments without a MediaId filter read the comments of ${media} media one by one; filter on MediaId to use fewer calls.`);
  },
};
