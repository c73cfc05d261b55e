// Comments (0–60 per media, a few above 50 so that the 50-per-page limit pages) and one level of replies.
// Top-level lists are newest first; replies oldest first. comments_count is derived from this data.
import type { Random } from '../random';
import { commentText, fanUsername, replyText } from './text';
import type { Comment, IgUser, Media, World } from './types';

export function fanId(world: World, username: string): string {
  let id = world.fanIds.get(username);
  if (!id) {
    id = world.nextId('1784');
    world.fanIds.set(username, id);
  }
  return id;
}

function commentCount(rnd: Random, forceMany: boolean): number {
  if (forceMany) return rnd.int(51, 60);
  const r = rnd.next();
  if (r < 0.3) return 0;
  if (r < 0.88) return rnd.int(1, 15);
  if (r < 0.96) return rnd.int(16, 50);
  return rnd.int(51, 60);
}

/** The time between the post and the anchor, biased towards the first hours after posting. */
function after(rnd: Random, start: number, end: number): number {
  const span = Math.max(1, end - start);
  return start + 1 + Math.floor(Math.pow(rnd.next(), 3) * (span - 1));
}

export function addComments(world: World, media: Media, owner: IgUser, rnd: Random, forceMany: boolean): void {
  if (!media.is_comment_enabled) return;
  const n = commentCount(rnd, forceMany);
  const top: Comment[] = [];
  for (let i = 0; i < n; i++) {
    const username = fanUsername(rnd);
    const c: Comment = {
      id: world.nextId('178'),
      mediaId: media.id,
      text: commentText(rnd),
      timestamp: after(rnd, media.timestamp, world.now),
      fromId: fanId(world, username),
      username,
      like_count: rnd.chance(0.6) ? 0 : rnd.longTail(3),
      hidden: rnd.chance(0.03),
      replies: [],
    };
    world.comments.set(c.id, c);
    top.push(c);
    const replies = rnd.chance(0.75) ? 0 : rnd.chance(0.9) ? rnd.int(1, 4) : rnd.int(5, 12);
    let t = c.timestamp;
    for (let j = 0; j < replies; j++) {
      const byOwner = rnd.chance(0.5);
      const replier = byOwner ? owner.username : fanUsername(rnd);
      t = after(rnd, t, Math.min(world.now, t + 7 * 86400));
      const r: Comment = {
        id: world.nextId('178'),
        mediaId: media.id,
        parentId: c.id,
        text: replyText(rnd, username),
        timestamp: t,
        fromId: byOwner ? owner.id : fanId(world, replier),
        username: replier,
        like_count: rnd.chance(0.7) ? 0 : rnd.int(1, 5),
        hidden: false,
        replies: [],
      };
      world.comments.set(r.id, r);
      c.replies.push(r.id);
    }
  }
  top.sort((a, b) => b.timestamp - a.timestamp || (a.id < b.id ? 1 : -1));
  media.comments = top.map((c) => c.id);
}

/** Graph's comments_count: top-level comments plus their replies. */
export function commentsCount(world: World, media: Media): number {
  let n = 0;
  for (const id of media.comments) n += 1 + (world.comments.get(id)?.replies.length ?? 0);
  return n;
}
