// Nodes, fields and field expansion, default fields, unknown fields, ids=, and odd object ids.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collect, firstAccount, harness, V, type Harness } from './helpers';

describe('sandbox: reading nodes and fields', () => {
  let h: Harness;
  before(async () => { h = await harness({ media: 80 }); });
  after(async () => { await h.sb.close(); });

  it('/me returns id and name by default', async () => {
    const r = await h.get(`${V}/me`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body).sort(), ['id', 'name']);
    assert.equal(r.body.id, h.sb.summary().me.id);
  });

  it('a node without fields returns only its id; fields select exactly what is asked (+ id)', async () => {
    const { id } = firstAccount(h.sb);
    const bare = await h.get(`${V}/${id}`);
    assert.deepEqual(bare.body, { id });
    const r = await h.get(`${V}/${id}`, { fields: 'username,followers_count' });
    assert.deepEqual(Object.keys(r.body).sort(), ['followers_count', 'id', 'username']);
    assert.equal(r.body.username, h.sb.summary().accounts[id]!.username);
    assert.equal(typeof r.body.followers_count, 'number');
  });

  it('/me/accounts lists every page; linked ones expand instagram_business_account{id,username}', async () => {
    const r = await h.get(`${V}/me/accounts`, { fields: 'id,name,instagram_business_account{id,username}' });
    const s = h.sb.summary();
    assert.equal(r.body.data.length, s.pages.length);
    assert.equal(r.body.data.length, Object.keys(s.accounts).length + 1, 'one page has no IG account');
    const linked = r.body.data.filter((p: any) => p.instagram_business_account);
    assert.equal(linked.length, Object.keys(s.accounts).length);
    for (const p of linked) assert.equal(p.instagram_business_account.username, s.accounts[p.instagram_business_account.id]!.username);
    const page = await h.get(`${V}/${r.body.data[0].id}`);
    assert.deepEqual(Object.keys(page.body).sort(), ['id', 'name']);
  });

  it('media fields: types, timestamp format, owner{id,username}, children inline, null fields omitted', async () => {
    const { id, media } = firstAccount(h.sb);
    const albumId = media.find(([, m]) => m.mediaType === 'CAROUSEL_ALBUM')![0];
    const r = await h.get(`${V}/${albumId}`, { fields: 'id,media_type,media_product_type,timestamp,owner{id,username},children{id,media_type},like_count,comments_count,thumbnail_url' });
    assert.equal(r.status, 200);
    assert.equal(r.body.media_type, 'CAROUSEL_ALBUM');
    assert.match(r.body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    assert.deepEqual(r.body.owner, { id, username: h.sb.summary().accounts[id]!.username });
    assert.ok(Array.isArray(r.body.children.data));
    assert.equal(r.body.children.data.length, h.sb.summary().accounts[id]!.media[albumId]!.children);
    assert.ok(r.body.children.data.every((c: any) => ['IMAGE', 'VIDEO'].includes(c.media_type) && c.id));
    assert.ok(!('thumbnail_url' in r.body), 'thumbnail_url only on videos');
    assert.equal(r.body.comments_count, h.sb.summary().accounts[id]!.media[albumId]!.commentsCount);
  });

  it('edges expand inline with .limit(n) and a next link', async () => {
    const { id } = firstAccount(h.sb);
    const r = await h.get(`${V}/${id}`, { fields: 'media.limit(3){id,caption}' });
    assert.equal(r.body.media.data.length, 3);
    assert.match(r.body.media.paging.next, /limit=3/);
    assert.match(r.body.media.paging.next, new RegExp(`/${id}/media\\?`));
  });

  it('comments: default fields are timestamp,text,id; from{id,username} expands', async () => {
    const { media } = firstAccount(h.sb);
    const mid = media.find(([, m]) => m.comments > 0)![0];
    const r = await h.get(`${V}/${mid}/comments`);
    assert.deepEqual(Object.keys(r.body.data[0]).sort(), ['id', 'text', 'timestamp']);
    const f = await h.get(`${V}/${mid}/comments`, { fields: 'id,from{id,username},like_count,hidden,media{id}' });
    assert.equal(typeof f.body.data[0].from.username, 'string');
    assert.deepEqual(f.body.data[0].media, { id: mid });
    assert.equal(typeof f.body.data[0].hidden, 'boolean');
  });

  it('unknown field → (#100) naming the field and the node type', async () => {
    const { media } = firstAccount(h.sb);
    const r = await h.get(`${V}/${media[0]![0]}`, { fields: 'id,bogus' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 100);
    assert.equal(r.body.error.message, '(#100) Tried accessing nonexisting field (bogus) on node type (IGMedia)');
    const nested = await h.get(`${V}/${media[0]![0]}`, { fields: 'owner{nope}' });
    assert.match(nested.body.error.message, /nonexisting field \(nope\) on node type \(IGUser\)/);
  });

  it('nonexistent ids → 100/33 GraphMethodException, percent-encoded ids are decoded but not re-split', async () => {
    for (const raw of ['999', '1%2F..%2Fme']) {
      const r = await h.get(`${V}/${raw}`);
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 100);
      assert.equal(r.body.error.error_subcode, 33);
      assert.equal(r.body.error.type, 'GraphMethodException');
      assert.ok(r.body.error.message.startsWith(`Unsupported get request. Object with ID '${decodeURIComponent(raw)}' does not exist`));
      assert.ok(r.body.error.fbtrace_id);
    }
  });

  it('accepts any version and no version', async () => {
    for (const p of ['v19.0/me', 'v99.9/me', 'me']) assert.equal((await h.get(p)).status, 200);
  });

  it('ids= returns a map; an unknown id fails the whole request; > 50 ids is an error', async () => {
    const ids = firstAccount(h.sb).media.slice(0, 3).map(([id]) => id);
    const r = await h.get(`${V}/`, { ids: ids.join(','), fields: 'id,like_count' });
    assert.deepEqual(Object.keys(r.body).sort(), [...ids].sort());
    assert.equal(r.body[ids[0]!].id, ids[0]);
    const bad = await h.get(`${V}/`, { ids: `${ids[0]},123`, fields: 'id' });
    assert.equal(bad.body.error.code, 100);
    const many = await h.get(`${V}/`, { ids: Array.from({ length: 51 }, () => ids[0]).join(',') });
    assert.equal(many.body.error.code, 100);
  });

  it('ids= on an edge returns each id\'s page', async () => {
    const ids = firstAccount(h.sb).media.filter(([, m]) => m.comments > 0).slice(0, 2).map(([id]) => id);
    const r = await h.get(`${V}/comments`, { ids: ids.join(','), fields: 'id' });
    for (const id of ids) assert.ok(Array.isArray(r.body[id].data));
  });

  it('/me/permissions lists the token scopes', async () => {
    const r = await h.get(`${V}/me/permissions`);
    const names = r.body.data.map((p: any) => p.permission);
    assert.ok(names.includes('instagram_basic') && names.includes('instagram_manage_insights'));
    assert.ok(r.body.data.every((p: any) => p.status === 'granted'));
  });

  it('business discovery finds another account by username; unknown username → 110/2207013', async () => {
    const [a, b] = Object.entries(h.sb.summary().accounts);
    const r = await h.get(`${V}/${a![0]}`, { fields: `business_discovery.username(${b![1].username}){username,followers_count,media_count}` });
    assert.equal(r.body.business_discovery.username, b![1].username);
    assert.equal(r.body.business_discovery.media_count, b![1].mediaCount);
    const nf = await h.get(`${V}/${a![0]}`, { fields: 'business_discovery.username(nobody_here_123){username}' });
    assert.equal(nf.body.error.code, 110);
    assert.equal(nf.body.error.error_subcode, 2207013);
  });

  it('hashtag search returns a stable id; top_media / recent_media need user_id', async () => {
    const { id } = firstAccount(h.sb);
    const s = await h.get(`${V}/ig_hashtag_search`, { user_id: id, q: 'coffee' });
    const tag = s.body.data[0].id;
    assert.equal((await h.get(`${V}/ig_hashtag_search`, { user_id: id, q: 'coffee' })).body.data[0].id, tag);
    assert.deepEqual((await h.get(`${V}/${tag}`, { fields: 'id,name' })).body, { id: tag, name: 'coffee' });
    const top = await h.get(`${V}/${tag}/top_media`, { user_id: id, fields: 'id,like_count,caption' });
    assert.ok(top.body.data.length > 0);
    const likes = top.body.data.map((m: any) => m.like_count);
    assert.deepEqual(likes, [...likes].sort((x: number, y: number) => y - x));
    assert.equal((await h.get(`${V}/${tag}/recent_media`, { fields: 'id' })).body.error.code, 100);
  });

  it('tags and stories edges', async () => {
    const { id } = firstAccount(h.sb);
    const acc = h.sb.summary().accounts[id]!;
    const tags = await h.get(`${V}/${id}/tags`, { fields: 'id,username', limit: 100 });
    assert.equal(tags.body.data.length, acc.tagsCount);
    assert.ok(tags.body.data.every((m: any) => m.username !== acc.username));
    const stories = await h.get(`${V}/${id}/stories`, { fields: 'id,media_product_type,timestamp' });
    assert.equal(stories.body.data.length, acc.storyCount);
    assert.ok(stories.body.data.every((m: any) => m.media_product_type === 'STORY'));
  });
});

// Nested field expansion as https://developers.facebook.com/docs/graph-api/guides/field-expansion describes it:
// each nested edge is a page of its own with `.limit()`, cursors and a `next` link to the edge's own path,
// carrying the nested fields; an empty edge is left out.
describe('sandbox: nested edges page like the edge itself', () => {
  let h: Harness;
  before(async () => { h = await harness({ media: 60, accounts: 1 }); });
  after(async () => { await h.sb.close(); });

  it('media with comments.limit(n){…,replies.limit(k){…}}: nested pages, cursors and next links that continue the edge', async () => {
    const { id, media } = firstAccount(h.sb);
    const r = await h.get(`${V}/${id}/media`, { fields: 'id,comments.limit(3){id,replies.limit(1){id}}', limit: 60 });
    assert.equal(r.status, 200);
    const byId = new Map(media);
    let overflowing = 0;
    for (const m of r.body.data) {
      const s = byId.get(m.id)!;
      if (s.comments === 0) {
        assert.ok(!('comments' in m), 'an empty edge is left out');
        continue;
      }
      assert.equal(m.comments.data.length, Math.min(3, s.comments));
      assert.ok(m.comments.paging.cursors.after, 'cursors');
      for (const c of m.comments.data) {
        const replies = s.replies[c.id] ?? 0;
        if (replies === 0) assert.ok(!('replies' in c));
        else {
          assert.equal(c.replies.data.length, 1);
          assert.equal(!!c.replies.paging.next, replies > 1, 'next only when more replies follow');
        }
      }
      if (s.comments <= 3) {
        assert.ok(!m.comments.paging.next);
        continue;
      }
      overflowing++;
      const next = new URL(m.comments.paging.next);
      assert.equal(next.pathname, `/${V}/${m.id}/comments`);
      assert.equal(next.searchParams.get('limit'), '3');
      assert.equal(next.searchParams.get('fields'), 'id,replies.limit(1){id}');
      // The link continues after the nested page, and the cursor alone does the same on the edge's path.
      const page2 = JSON.parse((await h.api.get(m.comments.paging.next, { prefixUrl: '' })).body);
      const byCursor = await h.get(`${V}/${m.id}/comments`, { fields: 'id,replies.limit(1){id}', limit: 3, after: m.comments.paging.cursors.after });
      assert.deepEqual(byCursor.body.data, page2.data);
      const seen = new Set(m.comments.data.map((c: { id: string }) => c.id));
      assert.ok(page2.data.length > 0 && page2.data.every((c: { id: string }) => !seen.has(c.id)), 'no comment repeated');
      const all = await collect({ status: 200, body: { data: m.comments.data, paging: m.comments.paging }, headers: {} }, h.api);
      assert.equal(all.length, s.comments, 'following next links reads every comment once');
      assert.equal(new Set(all.map((c) => c.id)).size, s.comments);
    }
    assert.ok(overflowing > 0, 'some media have more comments than the nested limit');
  });

  it('a nested .limit() above the edge maximum is capped (comments: 50)', async () => {
    const { id, media } = firstAccount(h.sb);
    const big = media.find(([, m]) => m.comments > 50);
    assert.ok(big, 'the sandbox has a media with more than 50 comments');
    const r = await h.get(`${V}/${big![0]}`, { fields: 'comments.limit(80){id}' });
    assert.equal(r.body.comments.data.length, 50);
    assert.match(r.body.comments.paging.next, /limit=50/);
    void id;
  });

  it('ids= with nested fields: each node with its own nested pages', async () => {
    const ids = firstAccount(h.sb).media.filter(([, m]) => m.comments > 0).slice(0, 3).map(([mid]) => mid);
    const r = await h.get(`${V}/`, { ids: ids.join(','), fields: 'id,comments.limit(2){id}' });
    assert.deepEqual(Object.keys(r.body).sort(), [...ids].sort());
    for (const mid of ids) {
      const direct = await h.get(`${V}/${mid}/comments`, { fields: 'id', limit: 2 });
      assert.deepEqual(r.body[mid].comments.data, direct.body.data);
    }
  });
});
