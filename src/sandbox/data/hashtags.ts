// Hashtags: ig_hashtag_search answers any well-formed name with a stable id; its top_media (most liked) and
// recent_media (last 24 h, newest first) are other accounts' media generated from (seed, name) alone, so
// results do not depend on the order in which hashtags were searched.
import { GraphError } from '../errors';
import { hash32, Random } from '../random';
import { caption } from './text';
import type { Hashtag, IgUser, Media, World } from './types';

export function hashtagByName(world: World, rawName: string): Hashtag {
  const name = rawName.replace(/^#/, '').toLowerCase();
  const known = world.hashtagsByName.get(name);
  if (known) return world.hashtags.get(known)!;
  const id = `17843${String(hash32(`${world.seed}:tag:${name}`)).padStart(10, '0')}${String(hash32(name) % 100).padStart(2, '0')}`;
  const tag: Hashtag = { id, name, top: [], recent: [] };
  world.hashtags.set(id, tag);
  world.hashtagsByName.set(name, id);
  return tag;
}

export function ensureHashtagMedia(world: World, tag: Hashtag): void {
  if (tag.top.length > 0) return;
  const rnd = Random.derive(world.seed, 'hashtag-media', tag.name);
  const authors = [...world.users.values()].filter((u) => !u.managed);
  const items: Media[] = [];
  const n = rnd.int(40, 80);
  for (let i = 0; i < n; i++) {
    const author: IgUser = rnd.pick(authors);
    let id = `179${rnd.digits(14)}`;
    while (world.media.has(id)) id = `179${rnd.digits(14)}`;
    const recent = rnd.chance(0.4);
    const m: Media = {
      id,
      ig_id: rnd.digits(19).replace(/^0/, '3'),
      ownerId: author.id,
      username: author.username,
      caption: `${caption(rnd, [author.username]) ?? ''} #${tag.name}`.trim(),
      media_type: rnd.chance(0.7) ? 'IMAGE' : 'VIDEO',
      media_product_type: 'FEED',
      media_url: `https://scontent.sandbox.invalid/v/t51.29350-15/${id}_n.jpg`,
      permalink: `https://www.instagram.com/p/${rnd.token(11)}/`,
      shortcode: rnd.token(11),
      timestamp: recent ? world.now - rnd.int(60, 86000) : world.now - rnd.int(86400, 60 * 86400),
      like_count: rnd.longTail(500) + rnd.int(0, 50),
      is_comment_enabled: true,
      children: [],
      comments: [],
      insightSeed: 0,
    };
    world.media.set(id, m);
    items.push(m);
  }
  tag.top = [...items].sort((a, b) => b.like_count - a.like_count).map((m) => m.id);
  tag.recent = items.filter((m) => m.timestamp > world.now - 86400).sort((a, b) => b.timestamp - a.timestamp).map((m) => m.id);
}

/**
 * "You can query a maximum of 30 unique hashtags on behalf of an Instagram Business or Creator Account within a
 * rolling, 7 day period. Once you query a hashtag, it will count against this limit for 7 days. Subsequent
 * queries on the same hashtag within this time frame will not count against your limit, and will not reset its
 * initial query 7 day timer." (Hashtag Search guide,
 * https://developers.facebook.com/documentation/instagram-platform/instagram-api-with-facebook-login/hashtag-search)
 * The guide does not show the error a 31st hashtag gets: the sandbox answers code 100 with a message naming the
 * limit; a client must not depend on that wording (recently_searched_hashtags tells the count).
 */
export const HASHTAG_LIMIT = 30;
export const HASHTAG_WINDOW = 7 * 86400;

/** The hashtags `userId` searched in the 7 days before `now`, oldest first, with their first-search times. */
export function recentHashtagSearches(world: World, userId: string, now: number): Array<[string, number]> {
  const searches = world.hashtagSearches.get(userId);
  if (!searches) return [];
  for (const [name, at] of searches) if (at <= now - HASHTAG_WINDOW) searches.delete(name);
  return [...searches].sort((a, b) => a[1] - b[1]);
}

export function countHashtagSearch(world: World, userId: string, name: string, now: number): void {
  const recent = recentHashtagSearches(world, userId, now);
  if (recent.some(([n]) => n === name)) return;
  if (recent.length >= HASHTAG_LIMIT) {
    throw GraphError.param(`(#100) This account has searched the maximum of ${HASHTAG_LIMIT} unique hashtags in 7 days`);
  }
  if (!world.hashtagSearches.has(userId)) world.hashtagSearches.set(userId, new Map());
  world.hashtagSearches.get(userId)!.set(name, now);
}
