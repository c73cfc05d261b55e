import { parentAccount, text } from './common';
import { REPLY_COLUMNS, REPLY_NEEDS, replyFields } from './comment-fields';
import { deleteComment, insertComment, updateComment } from './comment-writes';
import { commentRow, COMMENTS_MAX_PAGE, Comments } from './comments';
import type { Filter, Row, TableContext, TableDef } from './types';

function replyRow(c: Record<string, unknown>, commentId: string | null, mediaId: string | null, accountId: string | null): Row {
  const r = commentRow(c, mediaId, accountId);
  return {
    Id: r.Id, CommentId: (r.ParentId as string | null) ?? commentId, MediaId: r.MediaId, Text: r.Text, Created: r.Created,
    UserId: r.UserId, Username: r.Username, Likes: r.Likes, Hidden: r.Hidden, BusinessAccountId: r.BusinessAccountId,
  };
}

/** Replies to one comment; the first page is batched with the other comments the query has seen. */
async function* repliesOf(ctx: TableContext, f: Filter, commentId: string): AsyncGenerator<Row[]> {
  const params = ctx.edgeParams(f, Replies, commentId);
  const batch = { group: 'comment' as const, id: commentId, request: (peer: string) => ({ segments: [peer, 'replies'], params: ctx.edgeParams(f, Replies, peer) }) };
  for await (const page of ctx.pages<Record<string, unknown>>([commentId, 'replies'], params, `the replies to comment ${commentId}`, { batch })) {
    yield Replies.edge!.rows(ctx, f, commentId, page);
  }
}

/** A page of one comment's replies as rows. */
function replyRows(ctx: TableContext, f: Filter, commentId: string, items: ReadonlyArray<Record<string, unknown>>): Row[] {
  const mediaId = (ctx.lookup('comment', commentId)?.mediaId as string | undefined) ?? null;
  // As for comments (comments.ts commentRows): a comment the query listed gives its account.
  const account = parentAccount(ctx, 'comment', commentId, f);
  return items.map((c) => replyRow(c, commentId, mediaId, account));
}

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies */
export const Replies: TableDef = {
  name: 'Replies',
  kind: 'table',
  description: 'Replies to comments. Filter on CommentId; without it every comment of every media is read (many calls). INSERT (CommentId, Text) replies, UPDATE … SET Hidden hides, DELETE removes.',
  scopes: ['instagram_basic', 'instagram_manage_comments'],
  columns: REPLY_COLUMNS,
  needs: REPLY_NEEDS,
  scanCost: 1e9,
  walks: 'comments',
  // https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment/replies
  edge: { of: 'comment', name: 'replies', key: 'CommentId', max: COMMENTS_MAX_PAGE, fromParent: ['CommentId', 'BusinessAccountId'], rows: replyRows },
  get: {
    async row(ctx, id, f) {
      const c = await ctx.getOptional<Record<string, unknown>>([id], { fields: replyFields(ctx) }, `reply ${id}`, { batch: { group: 'comment', id } });
      if (c && !c.parent_id) ctx.note(`${id} is a top-level comment: it is in Comments, not Replies.`);
      return c ? replyRow(c, null, null, text(f.eq('BusinessAccountId')) ?? null) : undefined;
    },
  },
  async *list(ctx, f) {
    const commentId = text(f.eq('CommentId'));
    if (commentId !== undefined) {
      yield* repliesOf(ctx, f, commentId);
      return;
    }
    for await (const page of Comments.list(ctx, f)) {
      for (const c of page) yield* repliesOf(ctx, f, c.Id as string);
    }
    ctx.note('Replies without a CommentId filter read the replies of every comment (batched); filter on CommentId to use fewer calls.');
  },
  // Only a comment with a parent is a reply (a top-level comment is a row of Comments), on the selected
  // accounts' media.
  belongs: (row, { accounts }) => row.CommentId !== null && accounts.has(String(row.BusinessAccountId)),
  insert: (ctx, values) => insertComment(ctx, values, 'Replies', 'CommentId'),
  update: (ctx, id, values, old) => updateComment(ctx, id, values, old, 'Replies'),
  delete: (ctx, id) => deleteComment(ctx, id, 'Replies'),
};
