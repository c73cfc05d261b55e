// Builds the world from (seed, accounts, media, now) on demand (data/lazy.ts) and answers the oracle summary for tests.
import { Random } from '../random';
import { addAccounts, addForeignAccounts } from './accounts';
import { commentsCount } from './comments';
import { LazyMap, lazyList, Progress } from './lazy';
import { addAccountMedia, addStories, addTags } from './media';
import type { Comment, GraphRules, IgUser, Media, World } from './types';

export interface WorldOptions { seed: number; accounts: number; media: number; now: number /* unix seconds */; rules?: Partial<GraphRules> }

const lazyOf = new WeakMap<World, { progress: Progress; feedMedia: number }>();

/**
 * The world with its Pages and accounts; media, comments, stories and tags are generated when first read, in
 * the fixed order of generate() below, so that every id and value is the one the whole world generated at once
 * would have.
 */
export function createWorld(o: WorldOptions): World {
  const idRnd = Random.derive(o.seed, 'ids');
  let seq = 0;
  let progress: Progress | undefined;
  const media = new LazyMap<Media>();
  const comments = new LazyMap<Comment>();
  const world: World = {
    seed: o.seed,
    now: o.now,
    me: { id: `10${Random.derive(o.seed, 'me').digits(13)}`, name: 'Sandbox Analyst' },
    pages: [],
    users: new Map(),
    media,
    comments,
    hashtags: new Map(),
    hashtagsByName: new Map(),
    containers: new Map(),
    publishCount: new Map(),
    fanIds: new Map(),
    hashtagSearches: new Map(),
    rules: { removedMetrics: o.rules?.removedMetrics ?? new Set(), viewsBreakdown: o.rules?.viewsBreakdown ?? 'follower_type' },
    // Ids are 17 digits like Graph's: prefix, a sequence number (uniqueness) and random filler. An id made
    // for a write (a comment, a container) comes after every generated one, as when the world was eager.
    nextId: (prefix: string) => {
      progress?.complete();
      seq++;
      return `${prefix}${idRnd.digits(17 - prefix.length - 7)}${String(seq).padStart(7, '0')}`;
    },
  };
  addAccounts(world, o.accounts);
  const managed = [...world.users.values()];
  const foreign = addForeignAccounts(world);
  progress = new Progress(generate(world, o, managed, foreign));
  lazyOf.set(world, { progress, feedMedia: o.media });
  media.bind(progress, () => seq);
  comments.bind(progress, () => seq);
  for (const u of managed) {
    lazyList(u, 'media', progress, `media:${u.id}`);
    lazyList(u, 'stories', progress, `stories:${u.id}`);
    lazyList(u, 'tags', progress, `tags:${u.id}`);
  }
  // Foreign accounts collect the media that tag every managed account: complete only at the end.
  for (const u of foreign) lazyList(u, 'media', progress, 'end');
  return world;
}

/** The generation steps, in the order the eager generator ran them; each yields the mark of what it completed. */
function* generate(world: World, o: WorldOptions, managed: IgUser[], foreign: IgUser[]): Generator<string | undefined> {
  const mentionPool = foreign.map((u) => u.username);
  for (const [i, user] of managed.entries()) {
    yield* addAccountMedia(world, user, o.media, mentionPool);
    yield `media:${user.id}`;
    addStories(world, user);
    // Stories exist for every account once the last one has its own: the fix-up runs before any is read.
    if (i === managed.length - 1) ensureFewViewerStory(world, managed);
    yield `stories:${user.id}`;
    addTags(world, user, foreign);
    yield `tags:${user.id}`;
  }
  yield 'end';
}

/** Generates whatever is not generated yet. */
export function completeWorld(world: World): void {
  lazyOf.get(world)?.progress.complete();
}

/**
 * A managed account's media_count without generating its media (the first request of a connection asks for it):
 * the planned count until they are generated (nothing is published before: a write completes the world).
 */
export function feedMediaCount(world: World, user: IgUser): number {
  const lazy = lazyOf.get(world);
  return !lazy || lazy.progress.done || lazy.progress.hasMark(`media:${user.id}`) ? user.media.length : lazy.feedMedia;
}

/** Tests need at least one story whose insights fail with "not enough viewers". */
function ensureFewViewerStory(world: World, managed: IgUser[]): void {
  const stories = managed.flatMap((u) => u.stories.map((id) => world.media.get(id)!));
  if (stories.length > 0 && !stories.some((s) => s.fewViewers)) stories[stories.length - 1]!.fewViewers = true;
}

/**
 * The oracle counts tests compare the connector's answers against. Reflects writes made so far.
 * - `accounts[igUserId].mediaCount`: items in /{ig-user}/media (stories excluded); `storyCount`: /stories.
 * - `accounts[igUserId].media[mediaId]`: every own media (feed, reels, stories; not album children) with
 *   `comments` = top-level comments (/comments), `commentsCount` = Graph's comments_count (top-level +
 *   replies) and `replies[commentId]` = replies of each top-level comment that has any.
 */
export interface SandboxSummary {
  seed: number;
  now: string;
  me: { id: string; name: string };
  pages: Array<{ id: string; name: string; igUserId?: string }>;
  accounts: Record<string, AccountSummary>;
}
export interface AccountSummary {
  username: string;
  name: string;
  pageId: string;
  followersCount: number;
  mediaCount: number;
  storyCount: number;
  tagsCount: number;
  media: Record<string, MediaSummary>;
}
export interface MediaSummary {
  productType: string;
  mediaType: string;
  timestamp: string;
  likeCount: number;
  children: number;
  comments: number;
  commentsCount: number;
  replies: Record<string, number>;
}

export function summarize(world: World): SandboxSummary {
  completeWorld(world);
  const accounts: Record<string, AccountSummary> = {};
  for (const u of world.users.values()) {
    if (!u.managed) continue;
    const media: Record<string, MediaSummary> = {};
    for (const id of [...u.media, ...u.stories]) {
      const m = world.media.get(id)!;
      const replies: Record<string, number> = {};
      for (const cid of m.comments) {
        const n = world.comments.get(cid)?.replies.length ?? 0;
        if (n > 0) replies[cid] = n;
      }
      media[id] = {
        productType: m.media_product_type,
        mediaType: m.media_type,
        timestamp: new Date(m.timestamp * 1000).toISOString(),
        likeCount: m.like_count,
        children: m.children.length,
        comments: m.comments.length,
        commentsCount: commentsCount(world, m),
        replies,
      };
    }
    accounts[u.id] = {
      username: u.username, name: u.name, pageId: u.pageId ?? '', followersCount: u.followers_count,
      mediaCount: u.media.length, storyCount: u.stories.length, tagsCount: u.tags.length, media,
    };
  }
  return {
    seed: world.seed,
    now: new Date(world.now * 1000).toISOString(),
    me: { ...world.me },
    pages: world.pages.map((p) => ({ id: p.id, name: p.name, ...(p.igUserId ? { igUserId: p.igUserId } : {}) })),
    accounts,
  };
}
