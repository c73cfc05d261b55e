/**
 * The IG Comment fields of Comments and Replies, declared once per column (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment),
 * and the `fields=` each asks in a query. A parent that asks replies inline (`replies{…}`, field expansion)
 * uses `replyFields` too, so the inline answer and Replies' own request are the same request.
 */
import { BUSINESS_ACCOUNT_ID, fieldsFor, graphFields } from './common';
import type { ColumnDef, TableContext } from './types';

/** What a comment's row reads, shared by both tables; Graph gives `username` directly and under `from`. */
const TEXT: ColumnDef = { name: 'Text', graphField: 'text', type: 'String', description: '', writable: true };
// media{owner}: the account a comment belongs to, whichever way it was reached (by id, by its parent or listed).
const ACCOUNT: ColumnDef = { ...BUSINESS_ACCOUNT_ID, graphField: 'media{owner{id}}', source: "the listed account when Graph gives no media owner" };

export const COMMENT_COLUMNS: ColumnDef[] = [
  { name: 'Id', graphField: 'id', type: 'String', description: 'Comment id.', group: 'comment' },
  { name: 'MediaId', graphField: 'media{id}', type: 'String', description: 'Media the comment is on.', key: ['='], group: 'media', writable: true },
  { ...TEXT, description: 'Comment text (≤ 300 characters, ≤ 4 hashtags, ≤ 1 URL when written).' },
  { name: 'Created', graphField: 'timestamp', type: 'Datetime', description: 'When it was posted (UTC).' },
  { name: 'UserId', graphField: 'from{id}', type: 'String', description: 'Id of the commenter (only for commenters Graph exposes).' },
  { name: 'Username', graphField: 'username,from{username}', type: 'String', description: 'Username of the commenter.' },
  { name: 'Likes', graphField: 'like_count', type: 'Integer', description: 'Likes on the comment.' },
  { name: 'Hidden', graphField: 'hidden', type: 'Boolean', description: 'Whether the comment is hidden.', writable: true },
  { name: 'ParentId', graphField: 'parent_id', type: 'String', description: 'Parent comment id (set on replies).' },
  ACCOUNT,
];

/** The id; the parent and owner the `belongs` rule reads; the media, published for Replies. */
export const COMMENT_NEEDS = ['Id', 'MediaId', 'ParentId', 'BusinessAccountId'] as const;

export const REPLY_COLUMNS: ColumnDef[] = [
  { name: 'Id', graphField: 'id', type: 'String', description: 'Reply id.', group: 'comment' },
  { name: 'CommentId', graphField: 'parent_id', type: 'String', description: 'Comment replied to.', key: ['='], group: 'comment', writable: true },
  { name: 'MediaId', graphField: 'media{id}', type: 'String', description: 'Media of the comment.' },
  { ...TEXT, description: 'Reply text (≤ 300 characters, ≤ 4 hashtags, ≤ 1 URL when written).' },
  { name: 'Created', graphField: 'timestamp', type: 'Datetime', description: 'When it was posted (UTC).' },
  { name: 'UserId', graphField: 'from{id}', type: 'String', description: 'Id of the author.' },
  { name: 'Username', graphField: 'username,from{username}', type: 'String', description: 'Username of the author.' },
  { name: 'Likes', graphField: 'like_count', type: 'Integer', description: 'Likes on the reply.' },
  { name: 'Hidden', graphField: 'hidden', type: 'Boolean', description: 'Whether the reply is hidden.', writable: true },
  ACCOUNT,
];

/** The id; the parent and owner the `belongs` rule reads. */
export const REPLY_NEEDS = ['Id', 'CommentId', 'BusinessAccountId'] as const;

/** Every comment field the columns declare (a statement reading every column asks these). */
export const COMMENT_FIELDS = graphFields(COMMENT_COLUMNS);

// One object each: requestFields remembers its answers per object (a literal per call missed every time,
// 6 ms of a 50-media comments + replies join).
const COMMENTS_SHAPE = { name: 'Comments', columns: COMMENT_COLUMNS, needs: COMMENT_NEEDS };
const REPLIES_SHAPE = { name: 'Replies', columns: REPLY_COLUMNS, needs: REPLY_NEEDS };

/** The `fields=` of a comment looked up by id in this query (a listing asks common.ts listedFields). */
export function commentFields(ctx: TableContext): string {
  return fieldsFor(ctx, COMMENTS_SHAPE);
}

/** The `fields=` of a reply looked up by id in this query. */
export function replyFields(ctx: TableContext): string {
  return fieldsFor(ctx, REPLIES_SHAPE);
}
