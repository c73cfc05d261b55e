/**
 * Retries that are safe (issue 12): reads (GETs, batches of GETs, items of a batch) are sent again after
 * transient failures, writes never; the sandbox injects each fault over real HTTP.
 */
import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import got from 'got';
import { connect, type QueryStats } from '../../src/core';
import { collect, failure, rig, type Rig } from '../helpers';

describe('retries that are safe', () => {
  let r: Rig;
  let account: string;
  let media: string[];
  let expected: string[];
  const fault = (spec: Record<string, unknown>) => got.post(`${r.sandbox.url}/__sandbox/faults`, { json: spec });
  const SQL = 'SELECT Id, Caption FROM Media WHERE BusinessAccountId = ? ORDER BY Id LIMIT 5';
  before(async () => {
    r = await rig({ media: 20 });
    account = (await r.conn.businessAccounts())[0]!.id;
    const rows = await r.rows(SQL, [account]);
    expected = rows.map((x) => JSON.stringify(x));
    media = rows.map((x) => String(x.Id));
  });
  beforeEach(async () => {
    await got.delete(`${r.sandbox.url}/__sandbox/faults`);
    r.clear();
  });
  after(() => r.close());

  const readKinds: Array<[string, Record<string, unknown>]> = [
    ['HTTP 502 with a Graph error', { kind: 'error', status: 502, code: 2 }],
    ['a connection dropped before the answer', { kind: 'drop' }],
    ['a body cut off mid-way', { kind: 'truncate' }],
    ['a malformed JSON body with status 200', { kind: 'malformed' }],
    ['an HTML page with status 200', { kind: 'html' }],
    ['an HTML page with status 503', { kind: 'html', status: 503 }],
    ['throttling code 4', { kind: 'error', status: 403, code: 4 }],
    ['throttling code 80002', { kind: 'error', status: 403, code: 80002 }],
  ];
  for (const [name, spec] of readKinds) {
    test(`a GET is retried after ${name} and gives the fault-free rows`, async () => {
      await fault({ method: 'GET', path: '/media$', times: 1, ...spec });
      const res = await r.conn.query(SQL, [account]);
      const rows = (await collect(res)).map((x) => JSON.stringify(x));
      assert.deepEqual(rows, expected);
      assert.equal(res.stats.retries, 1);
      assert.equal(r.requests().filter((q) => q.route.endsWith('/media')).length, 2, 'the listing was asked twice');
    });
  }

  test('a read that keeps failing stops after 3 retries with a typed error saying what happened', async () => {
    await fault({ method: 'GET', path: '/media$', times: -1, kind: 'html' });
    const started = Date.now();
    const e = await failure(() => r.conn.query(SQL, [account]));
    assert.equal(e.code, 'GRAPH_ERROR');
    assert.match(e.message, /not valid JSON/);
    assert.match(e.message, /after 3 retries/);
    assert.doesNotMatch(e.message, /Could not reach/);
    assert.equal(r.requests().filter((q) => q.route.endsWith('/media')).length, 4);
    assert.ok(Date.now() - started < 5000, 'a dead API fails in seconds');
  });

  test('the query says why it waits (stats.waiting through onProgress)', async () => {
    await fault({ method: 'GET', path: '/media$', times: 1, kind: 'error', status: 503, code: 2 });
    const seen: string[] = [];
    const res = await r.conn.query(SQL, [account], { onProgress: (s: Readonly<QueryStats>) => { if (s.waiting) seen.push(s.waiting); } });
    await collect(res);
    assert.ok(seen.some((t) => /^Retrying .* after HTTP 503 \(retry 1\)/.test(t)), JSON.stringify(seen));
    assert.equal(res.stats.waiting, undefined, 'no wait is left once the rows end');
  });

  test('throttling with estimated_time_to_regain_access is not retried: RATE_LIMITED with the wait', async () => {
    const sb = await import('../../src/sandbox');
    const limited = await sb.startSandbox({ port: 0, media: 5, rateLimit: 3 });
    const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${limited.url}`);
    try {
      const acct = (await conn.businessAccounts())[0]!.id;
      let e: { code: string; message: string; details: Record<string, unknown> } | undefined;
      for (let i = 0; i < 5 && !e; i++) {
        try { await collect(await conn.query('SELECT Id FROM Media WHERE BusinessAccountId = ? LIMIT 1', [acct])); } catch (x) { e = x as typeof e; }
      }
      assert.equal(e?.code, 'RATE_LIMITED');
      assert.match(e!.message, /Try again in about 1 minute/);
      const calls = limited.requests().length;
      assert.ok(calls <= 6, `no retries against a budget Graph says is spent (${calls} requests)`);
    } finally {
      await conn.close();
      await limited.close();
    }
  });

  test('usage near the limit slows the query down before Graph throttles, and says so', async () => {
    const sb = await import('../../src/sandbox');
    const limited = await sb.startSandbox({ port: 0, media: 5, rateLimit: 20 });
    const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${limited.url}`);
    try {
      const acct = (await conn.businessAccounts())[0]!.id;
      const seen: string[] = [];
      for (let i = 0; i < 18; i++) {
        await collect(await conn.query('SELECT Id FROM Media WHERE BusinessAccountId = ? LIMIT 1', [acct], { onProgress: (s: Readonly<QueryStats>) => { if (s.waiting) seen.push(s.waiting); } }));
      }
      assert.ok(seen.some((t) => /^Graph reports 9\d % of the rate limit used: pausing/.test(t)), JSON.stringify(seen));
      assert.ok(!limited.requests().some((q) => q.status === 403), 'never throttled');
    } finally {
      await conn.close();
      await limited.close();
    }
  });

  test('a batch of GETs is retried whole after a 5xx', async () => {
    await fault({ method: 'POST', path: '^/v[0-9.]+/?$', times: 1, kind: 'error', status: 500, code: 1 });
    const list = media.map((id) => `'${id}'`).join(',');
    const res = await r.conn.query(`SELECT Id, Caption FROM Media WHERE Id IN (${list}) ORDER BY Id`);
    const rows = (await collect(res)).map((x) => JSON.stringify(x));
    assert.deepEqual(rows, expected);
    assert.equal(res.stats.retries, 1);
    assert.equal(r.requests().filter((q) => q.method === 'POST').length, 2);
  });

  test('only the failed items of a batch are sent again', async () => {
    await fault({ method: 'GET', path: `/${media[2]}$`, times: 1, kind: 'error', status: 500, code: 2 });
    const list = media.map((id) => `'${id}'`).join(',');
    const res = await r.conn.query(`SELECT Id, Caption FROM Media WHERE Id IN (${list}) ORDER BY Id`);
    const rows = (await collect(res)).map((x) => JSON.stringify(x));
    assert.deepEqual(rows, expected);
    const posts = r.requests().filter((q) => q.method === 'POST');
    assert.equal(posts.length, 2, 'one batch, then one for the failed item');
    assert.equal(posts[0]!.batch?.length, 5);
    assert.equal(posts[1]!.batch?.length, 1);
    assert.match(posts[1]!.batch![0]!.path, new RegExp(media[2]!));
  });

  test('an item that keeps failing is that item\'s typed error; the query fails with it', async () => {
    await fault({ method: 'GET', path: `/${media[1]}$`, times: -1, kind: 'error', status: 500, code: 2 });
    const list = media.map((id) => `'${id}'`).join(',');
    const e = await failure(() => r.conn.query(`SELECT Id, Caption FROM Media WHERE Id IN (${list})`));
    assert.equal(e.code, 'GRAPH_ERROR');
    assert.match(e.message, /after 3 retries/);
  });

  test('the retry budget is per query: a dead API costs at most 12 retries', async () => {
    await fault({ times: -1, kind: 'error', status: 503, code: 2 });
    const list = media.map((id) => `'${id}'`).join(',');
    const res = r.conn.query(`SELECT Id FROM Media WHERE Id IN (${list}) UNION ALL SELECT Id FROM Media WHERE BusinessAccountId = '${account}'`);
    const e = await failure(() => res);
    assert.equal(e.code, 'GRAPH_ERROR');
    assert.ok(r.requests().length <= 13 + 4, `requests: ${r.requests().length}`);
  });

  test('a write is never retried: a 5xx answer to a comment is WRITE_UNKNOWN_OUTCOME, sent once', async () => {
    await fault({ method: 'POST', path: '/comments$', times: 1, kind: 'errorAfterApply', status: 502, code: 2 });
    const e = await failure(() => r.conn.query(`INSERT INTO Comments (MediaId, Text) VALUES ('${media[0]}', 'hello once')`));
    assert.equal(e.code, 'WRITE_UNKNOWN_OUTCOME');
    assert.match(e.message, /look for a new comment on/);
    assert.equal(r.requests().filter((q) => q.method === 'POST' && q.route.endsWith('/comments')).length, 1);
    const rows = await r.rows(`SELECT Text FROM Comments WHERE MediaId = '${media[0]}' AND Text = 'hello once'`);
    assert.equal(rows.length, 1, 'the sandbox applied it: retrying would have posted it twice');
  });

  for (const [name, spec] of [
    ['a dropped connection', { kind: 'dropAfterApply' }],
    ['a truncated answer', { kind: 'truncate' }],
    ['an HTML answer with status 200', { kind: 'html' }],
    ['a Graph 500 error body', { kind: 'errorAfterApply', status: 500, code: 1 }],
  ] as const) {
    test(`a write answered by ${name} is WRITE_UNKNOWN_OUTCOME`, async () => {
      await fault({ method: 'POST', path: '/comments$', times: 1, ...spec });
      const e = await failure(() => r.conn.query(`INSERT INTO Comments (MediaId, Text) VALUES ('${media[1]}', 'x')`));
      assert.equal(e.code, 'WRITE_UNKNOWN_OUTCOME');
      assert.equal(r.requests().filter((q) => q.method === 'POST').length, 1);
    });
  }

  test('a write answered after Timeout is WRITE_UNKNOWN_OUTCOME, sent once', async () => {
    const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${r.sandbox.url};Timeout=1`);
    try {
      await fault({ method: 'POST', path: '/comments$', times: 1, kind: 'delayAfterApply', delayMs: 1500 });
      const e = await failure(() => conn.query(`INSERT INTO Comments (MediaId, Text) VALUES ('${media[2]}', 'late')`));
      assert.equal(e.code, 'WRITE_UNKNOWN_OUTCOME');
      assert.match(e.message, /timeout/);
      assert.equal(r.requests().filter((q) => q.method === 'POST').length, 1);
    } finally {
      await conn.close();
    }
  });

  test('a write Graph refuses with a 4xx Graph error is that error (known not applied)', async () => {
    await fault({ method: 'POST', path: '/comments$', times: 1, kind: 'error', status: 400, code: 100, message: 'Invalid parameter' });
    const e = await failure(() => r.conn.query(`INSERT INTO Comments (MediaId, Text) VALUES ('${media[3]}', 'refused')`));
    assert.equal(e.code, 'GRAPH_ERROR');
    assert.match(e.message, /Invalid parameter/);
  });
});
