import { BUSINESS_ACCOUNT_ID, pageLimit, text } from './common';
import { commentRow, COMMENTS_MAX_PAGE, Comments } from './comments';
import type { Filter, Row, TableContext, TableDef } from './types';

const REPLY_FIELDS = 'id,text,timestamp,from{id,username},username,like_count,hidden,parent_id,media{id}';

function replyRow(c: Record<string, unknown>, commentId: string | null, mediaId: string | null, accountId: string | null): Row {
  const r = commentRow(c, mediaId, accountId);
  return {
    Id: r.Id, CommentId: (r.ParentId as string | null) ?? commentId, MediaId: r.MediaId, Text: r.Text, Created: r.Created,
    UserId: r.UserId, Username: r.Username, Likes: r.Likes, Hidden: r.Hidden, BusinessAccountId: r.BusinessAccountId,
  };
}

async function* repliesOf(ctx: TableContext, f: Filter, commentId: string, mediaId: string | null, accountId: string | null): AsyncGenerator<Row[]> {
  const params = { fields: REPLY_FIELDS, limit: pageLimit(ctx, f, COMMENTS_MAX_PAGE) };
  for await (const page of ctx.pages<Record<string, unknown>>([commentId, 'replies'], params, `the replies to comment ${commentId}`)) {
    yield page.map((c) => replyRow(c, commentId, mediaId, accountId));
  }
}

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies */
export const Replies: TableDef = {
  name: 'Replies',
  kind: 'table',
  description: 'Replies to comments. Filter on CommentId; without it every comment of every media is read (many calls).',
  scopes: ['instagram_basic', 'instagram_manage_comments'],
  columns: [
    { name: 'Id', type: 'String', description: 'Reply id.', key: ['='] },
    { name: 'CommentId', type: 'String', description: 'Comment replied to.', key: ['='], writable: true },
    { name: 'MediaId', type: 'String', description: 'Media of the comment.' },
    { name: 'Text', type: 'String', description: 'Reply text.', writable: true },
    { name: 'Created', type: 'Datetime', description: 'When it was posted (UTC).' },
    { name: 'UserId', type: 'String', description: 'Id of the author.' },
    { name: 'Username', type: 'String', description: 'Username of the author.' },
    { name: 'Likes', type: 'Integer', description: 'Likes on the reply.' },
    { name: 'Hidden', type: 'Boolean', description: 'Whether the reply is hidden.', writable: true },
    BUSINESS_ACCOUNT_ID,
  ],
  scanCost: 1e9,
  async *list(ctx, f) {
    const id = text(f.eq('Id'));
    const account = text(f.eq('BusinessAccountId')) ?? null;
    if (id !== undefined) {
      const c = await ctx.getOptional<Record<string, unknown>>([id], { fields: REPLY_FIELDS }, `reply ${id}`);
      yield c ? [replyRow(c, null, null, account)] : [];
      return;
    }
    const commentId = text(f.eq('CommentId'));
    if (commentId !== undefined) {
      yield* repliesOf(ctx, f, commentId, null, account);
      return;
    }
    for await (const page of Comments.list(ctx, f)) {
      for (const c of page) yield* repliesOf(ctx, f, c.Id as string, c.MediaId as string, c.BusinessAccountId as string | null);
    }
    ctx.note('Replies without a CommentId filter read the replies of every comment one by one; filter on CommentId to use fewer calls.');
  },
};
