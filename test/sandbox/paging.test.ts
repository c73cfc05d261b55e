// Paging as Graph documents it: cursor paging (limits: default 25, max 100, comments 50; walking every page
// against the oracle counts, `before`, empty edges), time-based paging when /media is read with since/until,
// hashtag media whose `after` is the same on every page, and the paging faults tests of the pager use.
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

  it('/media read with since/until pages by time: next carries since, until and __paging_token, no cursors', async () => {
    const { id, media } = firstAccount(h.sb);
    const since = Math.floor(Date.parse('2025-06-01T00:00:00Z') / 1000);
    const expected = media.filter(([, m]) => m.productType !== 'STORY' && Date.parse(m.timestamp) / 1000 >= since).length;
    const first = await h.get(`${V}/${id}/media`, { fields: 'id,timestamp', since, limit: 30 });
    assert.equal(first.body.paging.cursors, undefined);
    const next = new URL(first.body.paging.next);
    assert.equal(next.searchParams.get('since'), String(since));
    assert.ok(next.searchParams.get('until') && next.searchParams.get('__paging_token'));
    const all = await collect(first, h.api);
    assert.ok(expected > 30);
    assert.equal(all.length, expected);
    assert.equal(new Set(all.map((m) => m.id)).size, all.length);
    // previous leads back to the page before.
    const second = JSON.parse((await h.api.get(first.body.paging.next, { prefixUrl: '' })).body);
    const back = JSON.parse((await h.api.get(second.paging.previous, { prefixUrl: '' })).body);
    assert.deepEqual(back.data, first.body.data);
  });

  it('hashtag top_media repeats one after cursor on every page, and it still reads the next page', async () => {
    const { id } = firstAccount(h.sb);
    const tag = (await h.get(`${V}/ig_hashtag_search`, { user_id: id, q: 'coffee' })).body.data[0].id;
    const first = await h.get(`${V}/${tag}/top_media`, { user_id: id, fields: 'id', limit: 10 });
    assert.equal(first.body.paging.cursors.before, undefined);
    const afters = [first.body.paging.cursors.after];
    const ids = first.body.data.map((m: { id: string }) => m.id);
    let body = first.body;
    while (body.paging?.next) {
      body = JSON.parse((await h.api.get(body.paging.next, { prefixUrl: '' })).body);
      ids.push(...body.data.map((m: { id: string }) => m.id));
      if (body.paging?.cursors) afters.push(body.paging.cursors.after);
    }
    assert.ok(afters.length >= 2);
    assert.equal(new Set(afters).size, 1);
    assert.equal(new Set(ids).size, ids.length);
    const bad = await h.get(`${V}/${tag}/top_media`, { user_id: id, after: 'c2J4aDpvdGhlcg' });
    assert.equal(bad.status, 400);
  });

  it('paging faults: dropCursors keeps next without cursors; foreignNext writes another host; repeatCursor points next at the same page', async () => {
    const { id } = firstAccount(h.sb);
    const faults = `${h.sb.url}/__sandbox/faults`;
    await h.api.post(faults, { prefixUrl: '', json: { path: '/media$', kind: 'dropCursors' } });
    const a = await h.get(`${V}/${id}/media`, { limit: 5 });
    assert.equal(a.body.paging.cursors, undefined);
    assert.ok(a.body.paging.next);
    await h.api.post(faults, { prefixUrl: '', json: { path: '/media$', kind: 'foreignNext', host: 'https://elsewhere.invalid' } });
    const b = await h.get(`${V}/${id}/media`, { limit: 5 });
    assert.ok(b.body.paging.next.startsWith(`https://elsewhere.invalid/${V}/${id}/media?`));
    const c0 = await h.get(`${V}/${id}/media`, { limit: 5 });
    await h.api.post(faults, { prefixUrl: '', json: { path: '/media$', kind: 'repeatCursor' } });
    const c = JSON.parse((await h.api.get(c0.body.paging.next, { prefixUrl: '' })).body);
    assert.equal(c.paging.next, c0.body.paging.next);
    assert.equal(c.paging.cursors.after, new URL(c0.body.paging.next).searchParams.get('after'));
  });
});
