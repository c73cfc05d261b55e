// Comment writes (create, reply, hide, delete) with message validation and consistent counts, and the
// content-publishing flow (container → poll → publish → visible in /media, quota counted).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collect, firstAccount, harness, token, V, type Harness } from './helpers';

describe('sandbox: comment writes', () => {
  let h: Harness;
  before(async () => { h = await harness({ media: 40 }); });
  after(async () => { await h.sb.close(); });

  const feedMedia = () => {
    const { media } = firstAccount(h.sb);
    return media.find(([, m]) => m.productType === 'FEED' && m.comments > 0 && m.comments < 20)!;
  };
  const count = async (mid: string) => (await h.get(`${V}/${mid}`, { fields: 'comments_count' })).body.comments_count;

  it('POST /{media}/comments creates a top-level comment listed first; comments_count follows', async () => {
    const [mid] = feedMedia();
    const before = await count(mid);
    const r = await h.post(`${V}/${mid}/comments`, { message: 'Thanks everyone! ☕' });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.match(r.body.id, /^\d+$/);
    assert.equal(await count(mid), before + 1);
    const list = await h.get(`${V}/${mid}/comments`, { fields: 'id,text,username' });
    assert.equal(list.body.data[0].id, r.body.id);
    assert.equal(list.body.data[0].text, 'Thanks everyone! ☕');
    assert.equal(list.body.data[0].username, h.sb.summary().accounts[firstAccount(h.sb).id]!.username);
    assert.equal(h.sb.summary().accounts[firstAccount(h.sb).id]!.media[mid]!.commentsCount, before + 1);
  });

  it('replies: POST /{comment}/replies; a reply to a reply lands on the top-level comment', async () => {
    const [mid] = feedMedia();
    const top = (await h.post(`${V}/${mid}/comments`, { message: 'top' })).body.id;
    const r1 = await h.post(`${V}/${top}/replies`, { message: 'first reply' });
    assert.equal(r1.status, 200);
    const r2 = await h.post(`${V}/${r1.body.id}/replies`, { message: 'reply to reply' });
    assert.equal(r2.status, 200);
    const replies = await h.get(`${V}/${top}/replies`, { fields: 'id,parent_id,text' });
    assert.deepEqual(replies.body.data.map((x: any) => x.id), [r1.body.id, r2.body.id]);
    assert.ok(replies.body.data.every((x: any) => x.parent_id === top));
    const node = await h.get(`${V}/${r2.body.id}`, { fields: 'parent_id,media{id}' });
    assert.equal(node.body.parent_id, top);
    assert.equal(node.body.media.id, mid);
  });

  it('hide / unhide / delete', async () => {
    const [mid] = feedMedia();
    const id = (await h.post(`${V}/${mid}/comments`, { message: 'to be moderated' })).body.id;
    assert.deepEqual((await h.post(`${V}/${id}`, { hide: 'true' })).body, { success: true });
    assert.equal((await h.get(`${V}/${id}`, { fields: 'hidden' })).body.hidden, true);
    await h.post(`${V}/${id}`, { hide: 'false' });
    assert.equal((await h.get(`${V}/${id}`, { fields: 'hidden' })).body.hidden, false);
    const reply = (await h.post(`${V}/${id}/replies`, { message: 'reply' })).body.id;
    const beforeCount = await count(mid);
    assert.deepEqual((await h.del(`${V}/${id}`)).body, { success: true });
    assert.equal(await count(mid), beforeCount - 2, 'the comment and its reply are gone');
    assert.equal((await h.get(`${V}/${id}`)).body.error.error_subcode, 33);
    assert.equal((await h.get(`${V}/${reply}`)).body.error.error_subcode, 33);
  });

  it('validates messages: required, ≤ 300 characters, ≤ 4 hashtags, ≤ 1 URL', async () => {
    const [mid] = feedMedia();
    const before = await count(mid);
    const cases: Array<[string | undefined, RegExp]> = [
      [undefined, /message is required/],
      ['x'.repeat(301), /300 characters/],
      ['#a #b #c #d #e', /4 hashtags/],
      ['see https://a.example and https://b.example', /1 URL/],
    ];
    for (const [message, re] of cases) {
      const r = await h.post(`${V}/${mid}/comments`, message === undefined ? {} : { message });
      assert.equal(r.status, 400);
      assert.equal(r.body.error.code, 100);
      assert.match(r.body.error.message, re);
    }
    assert.equal((await h.post(`${V}/${mid}/comments`, { message: '😀'.repeat(300) })).status, 200, '300 emoji are 300 characters');
    assert.equal((await h.post(`${V}/${mid}/comments`, { message: '#a #b #c #d https://x.example' })).status, 200);
    assert.equal(await count(mid), before + 2);
  });

  it('writes need instagram_manage_comments', async () => {
    const [mid] = feedMedia();
    const t = await token(h.sb, ['instagram_basic']);
    const r = await h.post(`${V}/${mid}/comments`, { message: 'hi', access_token: t });
    assert.equal(r.body.error.code, 10);
  });
});

describe('sandbox: content publishing', () => {
  let h: Harness;
  before(async () => { h = await harness({ media: 20 }); });
  after(async () => { await h.sb.close(); });

  it('container → IN_PROGRESS twice → FINISHED → media_publish → first in /media; quota counts', async () => {
    const { id } = firstAccount(h.sb);
    const limit0 = await h.get(`${V}/${id}/content_publishing_limit`);
    assert.deepEqual(limit0.body, { data: [{ quota_usage: 0, config: { quota_total: 100, quota_duration: 86400 } }] });
    const c = await h.post(`${V}/${id}/media`, { image_url: 'https://example.com/a.jpg', caption: 'Hello #sandbox' });
    assert.equal(c.status, 200, JSON.stringify(c.body));
    const early = await h.post(`${V}/${id}/media_publish`, { creation_id: c.body.id });
    assert.equal(early.status, 400, 'not ready before it finishes');
    const statuses: string[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await h.get(`${V}/${c.body.id}`, { fields: 'status_code' })).body.status_code);
    assert.deepEqual(statuses, ['IN_PROGRESS', 'IN_PROGRESS', 'FINISHED']);
    const p = await h.post(`${V}/${id}/media_publish`, { creation_id: c.body.id });
    assert.equal(p.status, 200, JSON.stringify(p.body));
    const first = await h.get(`${V}/${id}/media`, { fields: 'id,caption,media_type', limit: 1 });
    assert.deepEqual(first.body.data[0], { id: p.body.id, caption: 'Hello #sandbox', media_type: 'IMAGE' });
    assert.equal((await h.get(`${V}/${id}/content_publishing_limit`)).body.data[0].quota_usage, 1);
    assert.equal(h.sb.summary().accounts[id]!.mediaCount, 21);
    const all = await collect(await h.get(`${V}/${id}/media`, { limit: 100 }), h.api);
    assert.equal(all.length, 21);
    assert.equal((await h.post(`${V}/${id}/media_publish`, { creation_id: c.body.id })).status, 400, 'single use');
  });

  it('reels need video_url; stories land in /stories', async () => {
    const { id } = firstAccount(h.sb);
    assert.equal((await h.post(`${V}/${id}/media`, { media_type: 'REELS' })).body.error.code, 100);
    const c = await h.post(`${V}/${id}/media`, { media_type: 'STORIES', image_url: 'https://example.com/s.jpg' });
    for (let i = 0; i < 3; i++) await h.get(`${V}/${c.body.id}`, { fields: 'status_code' });
    const p = await h.post(`${V}/${id}/media_publish`, { creation_id: c.body.id });
    const stories = await h.get(`${V}/${id}/stories`, { fields: 'id' });
    assert.equal(stories.body.data[0].id, p.body.id);
  });

  it('publishing needs instagram_content_publish', async () => {
    const { id } = firstAccount(h.sb);
    const t = await token(h.sb, ['instagram_basic']);
    assert.equal((await h.post(`${V}/${id}/media`, { image_url: 'https://example.com/a.jpg', access_token: t })).body.error.code, 10);
  });
});
