// Media of every kind: feed images and videos, carousel albums with 2–10 children, reels, stories in the
// last 24 h of the anchor, and foreign media (tags, hashtag results). Timestamps spread over ~2 years.
import { Random } from '../random';
import { addComments } from './comments';
import { altText, caption } from './text';
import type { IgUser, Media, MediaType, ProductType, World } from './types';

const DAY = 86400;
const CDN = 'https://scontent.sandbox.invalid/v/t51.29350-15';

interface Shape { mediaType: MediaType; productType: ProductType; timestamp: number; likeScale: number }

export function newMedia(world: World, rnd: Random, owner: IgUser, shape: Shape, captionText?: string): Media {
  const id = world.nextId('179');
  const shortcode = rnd.token(11);
  const video = shape.mediaType === 'VIDEO';
  const media: Media = {
    id,
    ig_id: rnd.digits(19).replace(/^0/, '3'),
    ownerId: owner.id,
    username: owner.username,
    caption: captionText,
    media_type: shape.mediaType,
    media_product_type: shape.productType,
    media_url: `${CDN}/${id}_n.${video ? 'mp4' : 'jpg'}`,
    thumbnail_url: video ? `${CDN}/${id}_thumb.jpg` : undefined,
    permalink: `https://www.instagram.com/${shape.productType === 'REELS' ? 'reel' : shape.productType === 'STORY' ? `stories/${owner.username}` : 'p'}/${shape.productType === 'STORY' ? id : shortcode}/`,
    shortcode,
    timestamp: shape.timestamp,
    like_count: shape.likeScale > 0 ? rnd.longTail(shape.likeScale) + rnd.int(0, Math.ceil(shape.likeScale / 4)) : 0,
    is_comment_enabled: shape.productType !== 'STORY' && !rnd.chance(0.03),
    is_shared_to_feed: shape.productType === 'REELS' ? rnd.chance(0.8) : undefined,
    alt_text: shape.mediaType === 'IMAGE' ? altText(rnd) : undefined,
    children: [],
    comments: [],
    insightSeed: Math.floor(rnd.next() * 2 ** 31),
  };
  world.media.set(id, media);
  return media;
}

function addChildren(world: World, rnd: Random, owner: IgUser, album: Media): void {
  const n = rnd.int(2, 10);
  for (let i = 0; i < n; i++) {
    const child = newMedia(world, rnd, owner, { mediaType: rnd.chance(0.8) ? 'IMAGE' : 'VIDEO', productType: 'FEED', timestamp: album.timestamp, likeScale: 0 });
    child.parentId = album.id;
    child.is_comment_enabled = album.is_comment_enabled;
    album.children.push(child.id);
  }
}

const GUARANTEED: ReadonlyArray<{ mediaType: MediaType; productType: ProductType }> = [
  { mediaType: 'VIDEO', productType: 'REELS' },
  { mediaType: 'CAROUSEL_ALBUM', productType: 'FEED' },
  { mediaType: 'IMAGE', productType: 'FEED' },
  { mediaType: 'VIDEO', productType: 'FEED' },
];

function pickShape(rnd: Random): { mediaType: MediaType; productType: ProductType } {
  const r = rnd.next();
  if (r < 0.42) return { mediaType: 'IMAGE', productType: 'FEED' };
  if (r < 0.52) return { mediaType: 'VIDEO', productType: 'FEED' };
  if (r < 0.74) return { mediaType: 'CAROUSEL_ALBUM', productType: 'FEED' };
  return { mediaType: 'VIDEO', productType: 'REELS' };
}

/**
 * Feed media and reels over ~2 years before the anchor, newest first, with their comments. A step per media
 * (data/lazy.ts): the world stops after any of them until a read needs the next.
 */
export function* addAccountMedia(world: World, owner: IgUser, count: number, mentionPool: readonly string[]): Generator<undefined> {
  const rnd = Random.derive(world.seed, 'media', owner.id);
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(world.now - 2 * 3600 - Math.floor(rnd.next() * 730 * DAY));
  times.sort((a, b) => b - a);
  const likeScale = 20 + owner.followers_count * 0.02;
  for (let i = 0; i < count; i++) {
    const shape = pickShape(rnd);
    // Guarantee every type exists even in a tiny account (the first four are the newest).
    if (i < GUARANTEED.length) Object.assign(shape, GUARANTEED[i]);
    const media = newMedia(world, rnd, owner, { ...shape, timestamp: times[i]!, likeScale: shape.productType === 'REELS' ? likeScale * 2 : likeScale }, caption(rnd, mentionPool));
    if (media.media_type === 'CAROUSEL_ALBUM') addChildren(world, rnd, owner, media);
    owner.media.push(media.id);
    addComments(world, media, owner, Random.derive(world.seed, 'comments', media.id), i === 1);
    // People who comment mostly like too: keep likes plausibly above the comment count.
    media.like_count = Math.max(media.like_count, media.comments.length * rnd.int(2, 6));
    yield;
  }
}

/** 3–8 stories in the 24 h before the anchor; about one in ten has fewer than 5 viewers. */
export function addStories(world: World, owner: IgUser): void {
  const rnd = Random.derive(world.seed, 'stories', owner.id);
  const n = rnd.int(3, 8);
  const times: number[] = [];
  for (let i = 0; i < n; i++) times.push(world.now - 60 - Math.floor(rnd.next() * (DAY - 120)));
  times.sort((a, b) => b - a);
  for (const t of times) {
    const story = newMedia(world, rnd, owner, { mediaType: rnd.chance(0.65) ? 'IMAGE' : 'VIDEO', productType: 'STORY', timestamp: t, likeScale: 0 });
    story.fewViewers = rnd.chance(0.1);
    owner.stories.push(story.id);
  }
}

/** Media posted by other accounts that tag `owner`, newest first. */
export function addTags(world: World, owner: IgUser, foreign: readonly IgUser[]): void {
  const rnd = Random.derive(world.seed, 'tags', owner.id);
  const n = rnd.int(8, 20);
  const items: Media[] = [];
  for (let i = 0; i < n; i++) {
    const author = rnd.pick(foreign);
    const shape = pickShape(rnd);
    const t = world.now - 3600 - Math.floor(rnd.next() * 365 * DAY);
    const m = newMedia(world, rnd, author, { ...shape, timestamp: t, likeScale: 40 }, `Thanks @${owner.username}! ${caption(rnd, [owner.username]) ?? ''}`.trim());
    if (m.media_type === 'CAROUSEL_ALBUM') addChildren(world, rnd, author, m);
    author.media.push(m.id);
    items.push(m);
  }
  items.sort((a, b) => b.timestamp - a.timestamp);
  owner.tags = items.map((m) => m.id);
  for (const u of foreign) u.media.sort((a, b) => world.media.get(b)!.timestamp - world.media.get(a)!.timestamp);
}
