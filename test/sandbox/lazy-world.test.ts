// The world is generated on demand (src/sandbox/data/lazy.ts): whatever is read first, every id and value
// must be the ones of the world generated at once, so answers never depend on the order of requests.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWorld, summarize } from '../../src/sandbox/data/world';
import type { World } from '../../src/sandbox/data/types';
import { collect, harness, V, type Harness } from './helpers';

const OPTIONS = { seed: 11, accounts: 3, media: 14 };
const MEDIA_FIELDS = 'id,ig_id,caption,media_type,media_product_type,timestamp,like_count,comments_count,is_comment_enabled,permalink,shortcode,username,children{id,media_type,media_url}';
const COMMENT_FIELDS = 'id,text,timestamp,like_count,hidden,username,from{id,username},parent_id';

/** Everything the HTTP API shows of the world, keyed by id (so the order the dump was read in does not show). */
async function dump(h: Harness, accountOrder: (ids: string[]) => string[], mediaOrder: (ids: string[]) => string[]): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  const pages = await h.get(`${V}/me/accounts`, { fields: 'id,name,followers_count,instagram_business_account{id,username,followers_count,media_count}' });
  assert.equal(pages.status, 200, JSON.stringify(pages.body));
  out.pages = pages.body.data;
  const accounts = pages.body.data.map((p: any) => p.instagram_business_account?.id).filter(Boolean) as string[];
  const media: Record<string, unknown> = {};
  const lists: Record<string, unknown> = {};
  const mediaIds: string[] = [];
  for (const id of accountOrder(accounts)) {
    const feed = await collect(await h.get(`${V}/${id}/media`, { fields: 'id', limit: 5 }), h.api);
    const stories = await collect(await h.get(`${V}/${id}/stories`, { fields: 'id' }), h.api);
    const tags = await collect(await h.get(`${V}/${id}/tags`, { fields: 'id' }), h.api);
    lists[id] = { feed: feed.map((m) => m.id), stories: stories.map((m) => m.id), tags: tags.map((m) => m.id) };
    mediaIds.push(...feed.map((m) => m.id), ...stories.map((m) => m.id), ...tags.map((m) => m.id));
  }
  for (const id of mediaOrder(mediaIds)) {
    const m = await h.get(`${V}/${id}`, { fields: MEDIA_FIELDS });
    assert.equal(m.status, 200, JSON.stringify(m.body));
    const comments = await collect(await h.get(`${V}/${id}/comments`, { fields: COMMENT_FIELDS, limit: 50 }), h.api);
    const replies: Record<string, unknown> = {};
    for (const c of [...comments].reverse()) {
      const r = await collect(await h.get(`${V}/${c.id}/replies`, { fields: COMMENT_FIELDS }), h.api);
      if (r.length) replies[c.id] = r;
    }
    media[id] = { node: m.body, comments, replies };
  }
  out.lists = lists;
  out.media = media;
  return out;
}

const same = <T>(a: T[]) => a;
const reversed = <T>(a: T[]) => [...a].reverse();

async function withSandbox<T>(run: (h: Harness) => Promise<T>): Promise<T> {
  const h = await harness(OPTIONS);
  try { return await run(h); } finally { await h.sb.close(); }
}

/** A world's content as plain data, every generated object included (fans' ids too), in insertion order. */
function contents(w: World): string {
  const users = [...w.users.values()].map((u) => ({ ...u, media: u.media, stories: u.stories, tags: u.tags }));
  return JSON.stringify({ me: w.me, pages: w.pages, users, media: [...w.media.entries()], comments: [...w.comments.entries()], fans: [...w.fanIds.entries()] });
}

describe('sandbox: the world generated on demand', () => {
  it('serves the same data through the HTTP API whichever requests come first', async () => {
    // Eager: the summary generates everything before the first Graph request.
    const eager = await withSandbox(async (h) => {
      h.sb.summary();
      return dump(h, same, same);
    });
    // On demand, in another order: the last account and the oldest media first.
    const lazyReversed = await withSandbox((h) => dump(h, reversed, reversed));
    assert.deepEqual(lazyReversed, eager);
    const mediaCount = Object.keys(eager.media as object).length;
    assert.ok(mediaCount > OPTIONS.accounts * OPTIONS.media, `feed, stories and tags are all dumped (${mediaCount})`);
  });

  it('finds an object by id before anything that comes earlier in the world was read', async () => {
    const ref = await withSandbox(async (h) => {
      const s = h.sb.summary();
      const accounts = Object.values(s.accounts);
      const last = accounts[accounts.length - 1]!;
      const [mediaId, m] = Object.entries(last.media).find(([, x]) => x.comments > 0)!;
      const comments = await h.get(`${V}/${mediaId}/comments`, { fields: COMMENT_FIELDS, limit: 50 });
      return { mediaId, commentId: comments.body.data[0].id as string, m, node: (await h.get(`${V}/${mediaId}`, { fields: MEDIA_FIELDS })).body, comment: (await h.get(`${V}/${comments.body.data[0].id}`, { fields: COMMENT_FIELDS })).body };
    });
    await withSandbox(async (h) => {
      // A fresh sandbox, asked first for a comment of the last account's media, then for the media itself.
      const comment = await h.get(`${V}/${ref.commentId}`, { fields: COMMENT_FIELDS });
      assert.equal(comment.status, 200, JSON.stringify(comment.body));
      assert.deepEqual(comment.body, ref.comment);
      const node = await h.get(`${V}/${ref.mediaId}`, { fields: MEDIA_FIELDS });
      assert.deepEqual(node.body, ref.node);
      assert.equal(node.body.comments_count, ref.m.commentsCount);
    });
  });

  it('an unknown id is still unknown (the whole world was searched)', async () => {
    await withSandbox(async (h) => {
      const r = await h.get(`${V}/17999999999999999`, { fields: 'id' });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 100);
    });
  });

  it('holds exactly the objects and ids of the world generated at once, whatever was read first', () => {
    const options = { seed: 5, accounts: 4, media: 30, now: Date.UTC(2026, 10, 24) / 1000 };
    const eager = createWorld(options);
    summarize(eager); // generates everything
    const lazy = createWorld(options);
    // Reads in an unnatural order: a media id from the middle of the world first, then the last account's tags,
    // the first account's stories, then an id made for a write (which comes after every generated one).
    const users = [...lazy.users.values()].filter((u) => u.managed);
    const eagerUsers = [...eager.users.values()].filter((u) => u.managed);
    const middle = eagerUsers[2]!.media[7]!;
    assert.deepEqual(lazy.media.get(middle), eager.media.get(middle));
    assert.deepEqual(users[3]!.tags, eagerUsers[3]!.tags);
    assert.deepEqual(users[0]!.stories, eagerUsers[0]!.stories);
    assert.equal(lazy.nextId('178'), eager.nextId('178'));
    // A write first: its id comes after the whole world, as in the world generated at once.
    const writeFirst = createWorld(options);
    const fresh = createWorld(options);
    summarize(fresh);
    assert.equal(writeFirst.nextId('179'), fresh.nextId('179'));
    assert.equal(contents(lazy), contents(eager));
  });
});
