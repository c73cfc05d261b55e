// Comment moderation writes: POST /{media}/comments, POST /{comment}/replies, POST /{comment}?hide=,
// DELETE /{comment}. Messages are validated as Instagram does (≤ 300 characters, ≤ 4 hashtags, ≤ 1 URL).
// comments_count stays consistent because it is always derived from the comment data.
// https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-comment
import { requireScopes } from '../auth';
import { writeTime, type Ctx } from '../context';
import type { Comment, Media } from '../data/types';
import { GraphError } from '../errors';

const WRITE_SCOPES = ['instagram_basic', 'instagram_manage_comments'];

export function validateMessage(message: string | undefined): string {
  if (message === undefined || message.trim() === '') throw GraphError.param('(#100) The parameter message is required');
  if ([...message].length > 300) throw GraphError.param('(#100) The comment is too long: a comment can have at most 300 characters');
  const hashtags = message.match(/#[\p{L}\p{N}_]+/gu) ?? [];
  if (hashtags.length > 4) throw GraphError.param('(#100) The comment has too many hashtags: a comment can have at most 4 hashtags');
  const urls = message.match(/\b(?:https?:\/\/|www\.)\S+/giu) ?? [];
  if (urls.length > 1) throw GraphError.param('(#100) The comment has too many URLs: a comment can have at most 1 URL');
  return message;
}

function newComment(ctx: Ctx, media: Media, text: string, parentId?: string): Comment {
  const owner = ctx.world.users.get(media.ownerId)!;
  const c: Comment = {
    id: ctx.world.nextId('178'), mediaId: media.id, parentId, text, timestamp: writeTime(ctx.world),
    fromId: owner.id, username: owner.username, like_count: 0, hidden: false, replies: [],
  };
  ctx.world.comments.set(c.id, c);
  return c;
}

function ownMedia(ctx: Ctx, media: Media, method: string): void {
  const owner = ctx.world.users.get(media.ownerId);
  if (!owner?.managed) throw GraphError.permission();
  if (media.parentId || media.media_product_type === 'STORY') throw GraphError.unsupported(method, media.id);
}

export function postComment(ctx: Ctx, media: Media): unknown {
  requireScopes(ctx.token, WRITE_SCOPES);
  ownMedia(ctx, media, 'POST');
  const text = validateMessage(ctx.params.message);
  if (!media.is_comment_enabled) throw GraphError.param('(#100) Comments are disabled for this media');
  const c = newComment(ctx, media, text);
  media.comments.unshift(c.id); // newest first
  return { id: c.id };
}

export function postReply(ctx: Ctx, target: Comment): unknown {
  requireScopes(ctx.token, WRITE_SCOPES);
  // "Replies to a reply will be added to the top-level comment."
  const top = target.parentId ? ctx.world.comments.get(target.parentId)! : target;
  const media = ctx.world.media.get(top.mediaId)!;
  ownMedia(ctx, media, 'POST');
  const text = validateMessage(ctx.params.message);
  if (top.hidden) throw GraphError.param('(#100) You cannot reply to a hidden comment');
  const c = newComment(ctx, media, text, top.id);
  top.replies.push(c.id); // replies are listed oldest first
  return { id: c.id };
}

export function updateComment(ctx: Ctx, comment: Comment): unknown {
  requireScopes(ctx.token, WRITE_SCOPES);
  const hide = ctx.params.hide;
  if (hide === undefined) throw GraphError.unsupported('POST', comment.id);
  if (hide !== 'true' && hide !== 'false') throw GraphError.param('(#100) Param hide must be a boolean');
  comment.hidden = hide === 'true';
  return { success: true };
}

export function deleteComment(ctx: Ctx, comment: Comment): unknown {
  requireScopes(ctx.token, WRITE_SCOPES);
  const w = ctx.world;
  if (comment.parentId) {
    const parent = w.comments.get(comment.parentId);
    if (parent) parent.replies = parent.replies.filter((id) => id !== comment.id);
  } else {
    const media = w.media.get(comment.mediaId);
    if (media) media.comments = media.comments.filter((id) => id !== comment.id);
    for (const r of comment.replies) w.comments.delete(r);
  }
  w.comments.delete(comment.id);
  return { success: true };
}
