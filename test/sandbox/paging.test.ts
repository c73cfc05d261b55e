// Cursor paging: limits (default 25, max 100, comments 50), walking every page against the oracle counts,
// `before`, since/until, empty edges.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { collect, firstAccount, harness, V, type Harness } from './helpers';

describe('sandbox: paging', () => {
  let h: Harness;
  before(async () => { h = await harness(); }); // default size: 3 accounts × 300 media
  after(async () => { await h.sb.close(); });

  it('limit defaults to 25 and clamps to 100', async () => {
    const { id } = firstAccount(h.sb);
    assert.equal((await h.get(`${V}/${id}/media`)).body.data.length, 25);
    assert.equal((await h.get(`${V}/${id}/media`, { limit: 7 })).body.data.length, 7);
    const big = await h.get(`${V}/${id}/media`, { limit: 500 });
    assert.equal(big.body.data.length, 100);
    assert.match(big.body.paging.next, /limit=100/);
  });

  it('comments clamp to 50 a page; a media with > 50 comments pages', async () => {
    const { media } = firstAccount(h.sb);
    const [mid, m] = media.find(([, x]) => x.comments > 50)!;
    const r = await h.get(`${V}/${mid}/comments`, { limit: 100 });
    assert.equal(r.body.data.length, 50);
    assert.ok(r.body.paging.next);
    const all = await collect(r, h.api);
    assert.equal(all.length, m.comments);
  });

  it('walking /media through every page yields the summary count, newest first, without duplicates', async () => {
    for (const [id, acc] of Object.entries(h.sb.summary().accounts)) {
      const first = await h.get(`${V}/${id}/media`, { fields: 'id,timestamp,media_product_type', limit: 40 });
      const all = await collect(first, h.api);
      assert.equal(all.length, acc.mediaCount);
      assert.equal(new Set(all.map((m) => m.id)).size, all.length);
      assert.ok(all.every((m) => m.media_product_type !== 'STORY'));
      const times = all.map((m) => Date.parse(m.timestamp.replace('+0000', 'Z')));
      assert.deepEqual(times, [...times].sort((a, b) => b - a));
    }
  });

  it('the last page has no next; next keeps the other parameters and the token', async () => {
    const { id } = firstAccount(h.sb);
    const first = await h.get(`${V}/${id}/media`, { fields: 'id', limit: 100 });
    const url = new URL(first.body.paging.next);
    assert.equal(url.searchParams.get('fields'), 'id');
    assert.equal(url.searchParams.get('access_token'), 'sandbox');
    assert.ok(url.href.startsWith(`${h.sb.url}/${V}/${id}/media?`));
    let body = first.body;
    while (body.paging?.next) body = JSON.parse((await h.api.get(body.paging.next, { prefixUrl: '' })).body);
    assert.ok(body.data.length > 0);
    assert.ok(!('next' in body.paging));
  });

  it('cursors are opaque base64; before pages backwards', async () => {
    const { id } = firstAccount(h.sb);
    const p1 = await h.get(`${V}/${id}/media`, { fields: 'id', limit: 10 });
    assert.match(p1.body.paging.cursors.after, /^[A-Za-z0-9_=-]+$/);
    const p2 = await h.get(`${V}/${id}/media`, { fields: 'id', limit: 10, after: p1.body.paging.cursors.after });
    assert.notEqual(p2.body.data[0].id, p1.body.data[0].id);
    assert.ok(p2.body.paging.previous);
    const back = await h.get(`${V}/${id}/media`, { fields: 'id', limit: 10, before: p2.body.paging.cursors.before });
    assert.deepEqual(back.body.data, p1.body.data);
  });

  it('since/until filter /media by unix time', async () => {
    const { id, media } = firstAccount(h.sb);
    const feed = media.filter(([, m]) => m.productType !== 'STORY');
    const since = Math.floor(Date.parse('2026-06-01T00:00:00Z') / 1000);
    const until = Math.floor(Date.parse('2026-09-01T00:00:00Z') / 1000);
    const expected = feed.filter(([, m]) => { const t = Date.parse(m.timestamp) / 1000; return t >= since && t <= until; }).length;
    assert.ok(expected > 0);
    const all = await collect(await h.get(`${V}/${id}/media`, { fields: 'id,timestamp', since, until, limit: 100 }), h.api);
    assert.equal(all.length, expected);
  });

  it('an empty edge is {"data":[]}', async () => {
    const { media } = firstAccount(h.sb);
    const mid = media.find(([, m]) => m.comments === 0 && m.productType !== 'STORY')![0];
    assert.deepEqual((await h.get(`${V}/${mid}/comments`)).body, { data: [] });
  });

  it('replies page and match the summary reply counts', async () => {
    const { media } = firstAccount(h.sb);
    const [, m] = media.find(([, x]) => Object.keys(x.replies).length > 0)!;
    for (const [cid, n] of Object.entries(m.replies)) {
      const all = await collect(await h.get(`${V}/${cid}/replies`, { fields: 'id,parent_id', limit: 2 }), h.api);
      assert.equal(all.length, n);
      assert.ok(all.every((r) => r.parent_id === cid));
    }
  });
});
