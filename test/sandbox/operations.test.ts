// Batch requests, fault injection, rate limiting, transient failures, usage headers, latency and the
// request log.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import got from 'got';
import { firstAccount, harness, V, type Harness } from './helpers';

describe('sandbox: batch, faults, log', () => {
  let h: Harness;
  before(async () => { h = await harness({ media: 30 }); });
  after(async () => { await h.sb.close(); });

  const batch = (items: unknown[], path = `${V}/`) => h.post(path, { batch: JSON.stringify(items) });

  it('batch answers one {code, headers, body-string} per item, errors included', async () => {
    const { media } = firstAccount(h.sb);
    const [mid, m] = media.find(([, x]) => x.productType === 'FEED')!;
    const r = await batch([
      { method: 'GET', relative_url: `${V}/${mid}/insights?metric=likes` },
      { method: 'GET', relative_url: `${mid}?fields=like_count` },
      { method: 'GET', relative_url: `${V}/424242?fields=id` },
    ]);
    assert.equal(r.status, 200);
    assert.equal(r.body.length, 3);
    assert.deepEqual(r.body[0].headers, [{ name: 'Content-Type', value: 'application/json; charset=UTF-8' }]);
    assert.equal(r.body[0].code, 200);
    assert.equal(typeof r.body[0].body, 'string');
    assert.equal(JSON.parse(r.body[0].body).data[0].values[0].value, m.likeCount);
    assert.equal(JSON.parse(r.body[1].body).like_count, m.likeCount);
    assert.equal(r.body[2].code, 400);
    assert.equal(JSON.parse(r.body[2].body).error.error_subcode, 33);
    const entry = h.sb.requests().at(-1)!;
    assert.equal(entry.batch?.length, 3);
    assert.equal(entry.batch?.[0]?.path, `/${V}/${mid}/insights`);
    assert.ok(!('batch' in entry.query));
  });

  it('batch POST items write; more than 50 items is refused', async () => {
    const { media } = firstAccount(h.sb);
    const [mid] = media.find(([, x]) => x.productType === 'FEED')!;
    const r = await batch([{ method: 'POST', relative_url: `${V}/${mid}/comments`, body: 'message=from%20a%20batch' }], '');
    assert.match(JSON.parse(r.body[0].body).id, /^\d+$/);
    const big = await batch(Array.from({ length: 51 }, () => ({ method: 'GET', relative_url: 'me' })));
    assert.equal(big.status, 400);
    assert.equal(big.body.error.code, 100);
    assert.equal(big.body.error.message, 'Too many requests in batch message. Maximum batch size is 50');
  });

  it('fault kind=error answers the configured error once', async () => {
    await got.post(`${h.sb.url}/__sandbox/faults`, { json: { method: 'GET', path: '/me$', kind: 'error', status: 500, code: 2 } });
    const r = await h.get(`${V}/me`);
    assert.equal(r.status, 500);
    assert.equal(r.body.error.code, 2);
    assert.equal(r.body.error.is_transient, true);
    assert.equal((await h.get(`${V}/me`)).status, 200, 'times defaults to 1');
  });

  it('fault kind=dropAfterApply applies the write but never answers; drop does not apply it', async () => {
    const { media } = firstAccount(h.sb);
    const [mid] = media.find(([, x]) => x.productType === 'FEED')!;
    const before = h.sb.summary().accounts[firstAccount(h.sb).id]!.media[mid]!.commentsCount;
    await got.post(`${h.sb.url}/__sandbox/faults`, { json: { method: 'POST', path: '/comments$', kind: 'dropAfterApply' } });
    await assert.rejects(h.post(`${V}/${mid}/comments`, { message: 'lost answer' }));
    assert.equal(h.sb.summary().accounts[firstAccount(h.sb).id]!.media[mid]!.commentsCount, before + 1);
    await got.post(`${h.sb.url}/__sandbox/faults`, { json: { method: 'POST', path: '/comments$', kind: 'drop' } });
    await assert.rejects(h.post(`${V}/${mid}/comments`, { message: 'never arrives' }));
    assert.equal(h.sb.summary().accounts[firstAccount(h.sb).id]!.media[mid]!.commentsCount, before + 1);
  });

  it('an error fault can hit one batch item; the others still answer', async () => {
    await got.post(`${h.sb.url}/__sandbox/faults`, { json: { path: '/permissions$', kind: 'error', status: 500, code: 2 } });
    const r = await batch([{ method: 'GET', relative_url: 'me' }, { method: 'GET', relative_url: 'me/permissions' }]);
    assert.deepEqual(r.body.map((x: any) => x.code), [200, 500]);
    assert.equal(JSON.parse(r.body[1].body).error.code, 2);
  });

  it('faults can be cleared', async () => {
    await got.post(`${h.sb.url}/__sandbox/faults`, { json: { path: '/me$', kind: 'error', times: -1 } });
    assert.equal((await h.get(`${V}/me`)).status, 500);
    await got.delete(`${h.sb.url}/__sandbox/faults`);
    assert.equal((await h.get(`${V}/me`)).status, 200);
  });

  it('usage headers: X-App-Usage always, X-Business-Use-Case-Usage on IG-user calls', async () => {
    const { id } = firstAccount(h.sb);
    const me = await h.get(`${V}/me`);
    assert.match(me.headers['content-type'] as string, /^application\/json; charset=UTF-8$/);
    const app = JSON.parse(me.headers['x-app-usage'] as string);
    assert.deepEqual(Object.keys(app).sort(), ['call_count', 'total_cputime', 'total_time']);
    assert.equal(me.headers['x-business-use-case-usage'], undefined);
    const ig = await h.get(`${V}/${id}/media`);
    const buc = JSON.parse(ig.headers['x-business-use-case-usage'] as string);
    assert.deepEqual(Object.keys(buc), [id]);
    assert.equal(buc[id][0].type, 'instagram');
    assert.ok('estimated_time_to_regain_access' in buc[id][0]);
  });

  it('the request log redacts tokens, can be read over HTTP and cleared', async () => {
    h.sb.clearRequests();
    await h.get(`${V}/me`, { fields: 'id' });
    const log = await got(`${h.sb.url}/__sandbox/requests`).json<any[]>();
    assert.equal(log.length, 1);
    assert.equal(log[0].method, 'GET');
    assert.equal(log[0].path, `/${V}/me`);
    assert.deepEqual(log[0].query, { fields: 'id', access_token: '***' });
    assert.equal(log[0].status, 200);
    assert.ok(!Number.isNaN(Date.parse(log[0].time)));
    await got.delete(`${h.sb.url}/__sandbox/requests`);
    assert.equal(h.sb.requests().length, 0, 'control requests are not logged');
    const summary = await got(`${h.sb.url}/__sandbox/summary`).json<any>();
    assert.deepEqual(summary, JSON.parse(JSON.stringify(h.sb.summary())));
  });
});

describe('sandbox: rate limit, transient failures, latency', () => {
  it('rateLimit: after the budget, code 4 with is_transient and X-App-Usage call_count ≥ 100', async () => {
    const h = await harness({ media: 5, rateLimit: 5 });
    try {
      for (let i = 0; i < 5; i++) assert.equal((await h.get(`${V}/me`)).status, 200);
      const r = await h.get(`${V}/me`);
      assert.equal(r.body.error.code, 4);
      assert.equal(r.body.error.is_transient, true);
      assert.equal(r.body.error.message, '(#4) Application request limit reached');
      assert.ok(JSON.parse(r.headers['x-app-usage'] as string).call_count >= 100);
    } finally { await h.sb.close(); }
  });

  it('rateLimit counts each batch item', async () => {
    const h = await harness({ media: 5, rateLimit: 3 });
    try {
      const r = await h.post(`${V}/`, { batch: JSON.stringify(Array.from({ length: 4 }, () => ({ method: 'GET', relative_url: 'me' }))) });
      assert.deepEqual(r.body.map((x: any) => x.code), [200, 200, 200, 403]);
      assert.equal(JSON.parse(r.body[3].body).error.code, 4);
    } finally { await h.sb.close(); }
  });

  it('failRate returns transient 500s (code 2) on GETs at about that rate, never on POSTs', async () => {
    const h = await harness({ media: 5, failRate: 0.5 });
    try {
      let fails = 0;
      for (let i = 0; i < 60; i++) {
        const r = await h.get(`${V}/me`);
        if (r.status === 500) {
          fails++;
          assert.equal(r.body.error.code, 2);
          assert.equal(r.body.error.is_transient, true);
          assert.equal(r.body.error.message, 'An unexpected error has occurred. Please retry your request later.');
        }
      }
      assert.ok(fails > 15 && fails < 45, `fails=${fails}`);
      const { media } = firstAccount(h.sb);
      for (let i = 0; i < 10; i++) assert.equal((await h.post(`${V}/${media[0]![0]}/comments`, { message: 'x' })).status, 200);
    } finally { await h.sb.close(); }
  });

  it('latencyMs delays Graph responses', async () => {
    const h = await harness({ media: 5, latencyMs: 120 });
    try {
      const t0 = Date.now();
      await h.get(`${V}/me`);
      assert.ok(Date.now() - t0 >= 110);
    } finally { await h.sb.close(); }
  });
});
