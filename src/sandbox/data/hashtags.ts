// Hashtags: ig_hashtag_search answers any well-formed name with a stable id; its top_media (most liked) and
// recent_media (last 24 h, newest first) are other accounts' media generated from (seed, name) alone, so
// results do not depend on the order in which hashtags were searched.
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
