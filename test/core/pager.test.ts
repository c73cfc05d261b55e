// The one pager (graph/pager.ts) against the sandbox's paging styles and paging faults, over real HTTP: a
// listing never pages forever on a repeated position and never ends early while Graph says there is more; the
// `next` link's parameters go to our own base URL, never to the host written in the link.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import got from 'got';
import { failure, rig, type Rig } from '../helpers';
import { answeredPages } from '../../src/core/graph/pager';

const NOW = Date.UTC(2026, 10, 24);

async function fault(r: Rig, spec: Record<string, unknown>): Promise<void> {
  await got.post(`${r.sandbox.url}/__sandbox/faults`, { json: spec });
}

describe('pager: one pager for every edge, following what Graph returns', () => {
  let r: Rig;
  let account: string;
  let mediaCount: number;
  before(async () => {
    r = await rig({ media: 250, now: NOW, accounts: 1 });
    const [id, acc] = Object.entries(r.sandbox.summary().accounts)[0]!;
    account = id;
    mediaCount = acc.mediaCount;
  });
  after(() => r.close());

  const countMedia = async (where = '') => Number((await r.rows(`SELECT count(*) AS n FROM Media WHERE BusinessAccountId = @acc ${where}`, { acc: account }))[0]!.n);
  const mediaRequests = () => r.requests().filter((q) => q.route === `/${account}/media`);

  test('cursor paging reads every page (3 pages of 100 for 250 media)', async () => {
    r.clear();
    assert.equal(await countMedia(), mediaCount);
    assert.equal(mediaRequests().length, Math.ceil(mediaCount / 100));
  });

  test('a page whose next link repeats an earlier position ends the query with PAGING_LOOP, after a few requests', async () => {
    r.clear();
    await fault(r, { path: '/media$', kind: 'repeatCursor', times: -1 });
    try {
      const e = await failure(() => r.conn.query('SELECT count(*) FROM Media WHERE BusinessAccountId = @acc', { acc: account }));
      assert.equal(e.code, 'PAGING_LOOP');
      assert.match(e.message, /already sent/);
      assert.ok(mediaRequests().length <= 3, `${mediaRequests().length} requests before stopping`);
    } finally {
      await got.delete(`${r.sandbox.url}/__sandbox/faults`);
    }
  });

  test('reading ahead (a join that batches the listing\'s ids) meets a repeated position too: PAGING_LOOP, a few requests', async () => {
    r.clear();
    await fault(r, { path: '/media$', kind: 'repeatCursor', times: -1 });
    try {
      const e = await failure(() => r.conn.query('SELECT m.Id, i.Value FROM Media m JOIN MediaInsights i ON i.MediaId = m.Id WHERE m.BusinessAccountId = @acc', { acc: account }));
      assert.equal(e.code, 'PAGING_LOOP');
      assert.ok(mediaRequests().length <= 3, `${mediaRequests().length} listing requests before stopping`);
    } finally {
      await got.delete(`${r.sandbox.url}/__sandbox/faults`);
    }
  });

  test('reading ahead follows next links without cursors to the end: every media joined once', async () => {
    r.clear();
    await fault(r, { path: '/media$', kind: 'dropCursors', times: -1 });
    try {
      const [row] = await r.rows('SELECT count(DISTINCT m.Id) AS n FROM Media m JOIN MediaInsights i ON i.MediaId = m.Id WHERE m.BusinessAccountId = @acc', { acc: account });
      assert.equal(Number(row!.n), mediaCount);
      assert.equal(mediaRequests().length, Math.ceil(mediaCount / 100));
    } finally {
      await got.delete(`${r.sandbox.url}/__sandbox/faults`);
    }
  });

  test('pages with next but no cursors are followed to the end: every media, not the first page', async () => {
    r.clear();
    await fault(r, { path: '/media$', kind: 'dropCursors', times: -1 });
    try {
      assert.equal(await countMedia(), mediaCount);
      const pages = mediaRequests();
      assert.equal(pages.length, Math.ceil(mediaCount / 100));
      assert.ok(pages.slice(1).every((q) => q.query.after), 'later pages carry the after taken from the next link');
    } finally {
      await got.delete(`${r.sandbox.url}/__sandbox/faults`);
    }
  });

  test('a next link written with another host is followed on our own base URL; that host gets nothing, not even the token', async () => {
    let foreignHits = 0;
    const foreign: Server = createServer((_req, res) => { foreignHits++; res.end('{}'); });
    await new Promise<void>((res) => foreign.listen(0, '127.0.0.1', () => res()));
    const host = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}`;
    r.clear();
    await fault(r, { path: '/media$', kind: 'foreignNext', host, times: -1 });
    try {
      assert.equal(await countMedia(), mediaCount);
      assert.equal(foreignHits, 0);
      assert.equal(mediaRequests().length, Math.ceil(mediaCount / 100));
      // The token goes in the Authorization header, never copied from the link into the query string.
      assert.ok(r.requests().every((q) => !('access_token' in q.query)));
    } finally {
      await got.delete(`${r.sandbox.url}/__sandbox/faults`);
      await new Promise<void>((res) => foreign.close(() => res()));
    }
  });

  test('time-based paging (Timestamp range → since/until): next carries __paging_token, no cursors; every row once', async () => {
    const where = "AND Timestamp >= '2025-01-01' AND Timestamp < '2026-10-01'";
    const unkeyed = Number((await r.rows("SELECT count(*) AS n FROM Media WHERE BusinessAccountId = @acc AND +Timestamp >= '2025-01-01' AND +Timestamp < '2026-10-01'", { acc: account }))[0]!.n);
    r.clear();
    const rows = await r.rows(`SELECT Id FROM Media WHERE BusinessAccountId = @acc ${where}`, { acc: account });
    assert.ok(unkeyed > 100, `${unkeyed} media in range: more than one page`);
    assert.equal(rows.length, unkeyed);
    assert.equal(new Set(rows.map((x) => x.Id)).size, rows.length);
    const pages = mediaRequests();
    assert.equal(pages.length, Math.ceil(unkeyed / 100));
    assert.ok(pages.slice(1).every((q) => q.query.__paging_token && q.query.since && q.query.until && !q.query.after));
  });

  test('a time-based page repeated by the server ends with PAGING_LOOP', async () => {
    r.clear();
    await fault(r, { path: '/media$', kind: 'repeatCursor', times: -1 });
    try {
      const e = await failure(() => r.conn.query("SELECT Id FROM Media WHERE BusinessAccountId = @acc AND Timestamp >= '2026-01-01'", { acc: account }));
      assert.equal(e.code, 'PAGING_LOOP');
      assert.ok(mediaRequests().length <= 3);
    } finally {
      await got.delete(`${r.sandbox.url}/__sandbox/faults`);
    }
  });
});

describe('pager: hashtag media, whose after cursor is the same on every page', () => {
  let r: Rig;
  before(async () => { r = await rig({ media: 20, now: NOW, accounts: 1 }, 'Pagesize=10'); });
  after(() => r.close());
  const edge = () => r.requests().filter((q) => q.route.endsWith('/top_media'));

  test('every page is read through the repeated cursor, each media once', async () => {
    r.clear();
    const rows = await r.rows("SELECT Id FROM HashtagTopMedia WHERE Hashtag = 'coffee'");
    const pages = edge();
    assert.ok(pages.length >= 2, `${pages.length} pages of 10`);
    const afters = new Set(pages.slice(1).map((q) => q.query.after));
    assert.equal(afters.size, 1, 'Graph repeats one after cursor');
    assert.equal(new Set(rows.map((x) => x.Id)).size, rows.length);
    assert.ok(rows.length > 10);
  });

  test('a hashtag page served again (stuck position) ends with PAGING_LOOP', async () => {
    await fault(r, { path: '/top_media$', kind: 'repeatCursor', times: -1 });
    r.clear();
    try {
      const e = await failure(() => r.conn.query("SELECT Id FROM HashtagTopMedia WHERE Hashtag = 'coffee'"));
      assert.equal(e.code, 'PAGING_LOOP');
      assert.ok(edge().length <= 3);
    } finally {
      await got.delete(`${r.sandbox.url}/__sandbox/faults`);
    }
  });
});

describe('ids are one path segment', () => {
  let r: Rig;
  before(async () => { r = await rig({ media: 5, now: NOW, accounts: 1 }); });
  after(() => r.close());

  for (const [name, sql, params] of [
    ['a NUL in SQL text', "SELECT * FROM Media WHERE Id = 'ZQ' || char(0) || 'X'", []],
    ['a NUL in a bound parameter', 'SELECT * FROM Comments WHERE Id = ?', ['ZQ\u0000X']],
    ['a line feed', "SELECT * FROM IGMedia WHERE Id = 'ZQ' || char(10) || 'X'", []],
  ] as const) {
    test(`an id with a control character is refused with INVALID_VALUE, nothing sent (${name})`, async () => {
      r.clear();
      const e = await failure(() => r.conn.query(sql, [...params]));
      assert.equal(e.code, 'INVALID_VALUE');
      assert.match(e.message, /control character \(U\+00(00|0A)\)/);
      assert.deepEqual(r.requests().filter((q) => q.route.includes('ZQ')), []);
    });
  }

  test("'/' and '..' stay inside the segment", async () => {
    r.clear();
    assert.deepEqual(await r.rows("SELECT * FROM Comments WHERE Id = '1/../me'"), []);
    assert.ok(r.requests().some((q) => q.path.endsWith('/1%2F..%2Fme')));
  });
});

describe('pager: pages a join reads from memory (answeredPages)', () => {
  const page = (ids: string[], next?: string) => ({ data: ids.map((id) => ({ id })), ...(next ? { paging: { next } } : {}) });
  const link = (after: string) => `https://graph.facebook.com/v24.0/1/comments?limit=2&after=${after}&access_token=x`;
  const answers = new Map<string, ReturnType<typeof page>>([['B', page(['c', 'd'])], ['C', page(['e'], link('D'))], ['R', page(['a', 'b'])]]);
  const answer = (next: Record<string, unknown>) => answers.get(String(next.after));

  test('one page; two when the second is answered, its link read without the token', () => {
    assert.deepEqual(answeredPages(page(['a', 'b']), 'comments', answer), [[{ id: 'a' }, { id: 'b' }]]);
    const asked: Array<Record<string, unknown>> = [];
    const two = answeredPages(page(['a', 'b'], link('B')), 'comments', (next) => (asked.push(next), answer(next)));
    assert.deepEqual(two, [[{ id: 'a' }, { id: 'b' }], [{ id: 'c' }, { id: 'd' }]]);
    assert.deepEqual(asked, [{ limit: '2', after: 'B' }]);
  });

  test('the usual path (undefined) for what follow() must read or judge', () => {
    assert.equal(answeredPages(undefined, 'comments', answer), undefined, 'first page not arrived');
    assert.equal(answeredPages(page(['a'], link('X')), 'comments', answer), undefined, 'second page not arrived');
    assert.equal(answeredPages(page(['a'], link('C')), 'comments', answer), undefined, 'a third page');
    assert.equal(answeredPages(page(['a', 'b'], link('R')), 'comments', answer), undefined, 'a second page of items already seen (PAGING_LOOP)');
    assert.equal(answeredPages(page(['a'], 'not a url'), 'comments', answer), undefined, 'a bad link');
    assert.equal(answeredPages({ data: null } as never, 'comments', answer), undefined, 'a bad page');
  });
});
