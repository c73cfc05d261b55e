// Hover names the Graph field each column comes from (issue 9), and requests ask only for the fields of the
// columns a statement reads (issue 11). Both come from one declaration per column, so for EVERY table: reading
// all of its columns must send each declared field (the sandbox refuses a field its node lacks), and every
// column holding a value must find it in what the sandbox returned under the declared path. A column without a
// Graph field says where it comes from instead.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import got from 'got';
import { LanguageService } from '../../src/language';
import { TABLES } from '../../src/core/schema';
import { fieldEntries, mergeFields, topLevel } from '../../src/core/schema/common';
import type { RequestLogEntry } from '../../src/sandbox';
import { rig, type Rig } from '../helpers';

/** Every GET the sandbox saw, batch items included. */
function gets(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  return entries.flatMap((e) => (e.batch ? gets(e.batch) : e.method === 'GET' && !e.path.endsWith('/') ? [e] : []));
}

/** Whether `entry` (`media{owner{id}}`) is inside the `fields=` list `sent`. */
function sentIn(sent: string, entry: string): boolean {
  return mergeFields(sent, entry) === mergeFields(sent);
}

/** The values at a declared path (`values[].end_time`, `media{owner{id}}`, `total_value.breakdowns[].results[].value`). */
function resolve(node: unknown, path: string): unknown[] {
  const steps = path.replace(/\{/g, '.').replace(/\}/g, '').replace(/\[\]/g, '.[]').split('.').filter(Boolean);
  let at: unknown[] = [node];
  for (const s of steps) {
    at = at.flatMap((v) => (s === '[]' ? (Array.isArray(v) ? v : []) : v && typeof v === 'object' ? [(v as Record<string, unknown>)[s]] : []));
  }
  return at.filter((v) => v !== undefined && v !== null);
}

/** The objects of an answer: a node, the items of an edge, or the nodes of a multi-id answer. */
function objects(body: unknown): unknown[] {
  if (!body || typeof body !== 'object') return [];
  const data = (body as { data?: unknown }).data;
  return Array.isArray(data) ? data : [body];
}

describe('Graph fields: declared once, asked for, found in the answers (every table)', () => {
  let r: Rig;
  let ls: LanguageService;
  const where: Record<string, string> = {};
  before(async () => {
    r = await rig({ media: 40 });
    ls = new LanguageService({ connection: r.conn });
    const one = async (sql: string) => Object.values((await r.rows(sql))[0]!)[0] as string;
    const ids = (await r.rows('SELECT Id FROM Media LIMIT 8')).map((x) => `'${String(x.Id)}'`);
    const stories = (await r.rows('SELECT Id FROM Stories LIMIT 2')).map((x) => `'${String(x.Id)}'`);
    const album = await one("SELECT Id FROM Media WHERE MediaType = 'CAROUSEL_ALBUM' LIMIT 1");
    const reel = await one("SELECT Id FROM Media WHERE MediaProductType = 'REELS' LIMIT 1");
    const commented = await one('SELECT Id FROM Media WHERE CommentsCount > 0 LIMIT 1');
    const comment = await one(`SELECT CommentId FROM Replies WHERE CommentId IN (SELECT Id FROM Comments WHERE MediaId = '${commented}') LIMIT 1`);
    const other = Object.values(r.sandbox.summary().accounts)[1]!.username;
    const media = [...ids, ...stories, `'${album}'`, `'${reel}'`].join(', ');
    Object.assign(where, {
      IGMedia: `Id IN (${media})`,
      MediaChildren: `ParentId = '${album}'`,
      Comments: `MediaId = '${commented}'`,
      Replies: `CommentId = '${comment}'`,
      MediaInsights: `MediaId IN (${media})`,
      MediaInsightsPost: `MediaId IN (${media})`,
      MediaInsightsPostAlbum: `MediaId IN (${media})`,
      MediaInsightReels: `MediaId IN (${media})`,
      MediaInsightsStory: `MediaId IN (${media})`,
      HashtagSearch: "Name = 'coffee'",
      HashtagTopMedia: "Hashtag = 'coffee'",
      HashtagRecentMedia: "Hashtag = 'coffee'",
      BusinessDiscovery: `Username = '${other}'`,
      AudienceInsights: "Breakdown = 'country'",
    });
  });
  after(() => r.close());

  for (const table of TABLES) {
    test(`${table.name}: each column's Graph field is asked for and found in the answers, or its source is said`, async () => {
      r.clear();
      const rows = await r.rows(`SELECT * FROM ${table.name}${where[table.name] ? ` WHERE ${where[table.name]}` : ''}`);
      assert.ok(rows.length > 0, `${table.name} has rows to check`);
      const sent = gets(r.sandbox.requests()).filter((q) => q.query.fields !== undefined);
      // The answers, read again as they were sent (real HTTP, the connection's token).
      const answers = await Promise.all(sent.map(async (q) => objects(await got(`${r.sandbox.url}${q.path}`, { searchParams: { ...q.query, access_token: 'sandbox' } }).json())));
      for (const c of table.columns) {
        assert.ok(c.graphField || c.source, `${table.name}.${c.name} names its Graph field or where it comes from`);
        if (!c.graphField) continue;
        for (const entry of fieldEntries(c.graphField)) {
          assert.ok(sent.some((q) => sentIn(q.query.fields!, entry) || q.query.fields!.includes(`${entry.replace(/\{.*$/, '')}.`)),
            `${table.name}.${c.name}: ${entry} is in a request's fields (${[...new Set(sent.map((q) => q.query.fields))].join(' | ')})`);
        }
        // Graph leaves out a field without a value: a column holds a value exactly when an answer holds its field.
        const found = topLevel(c.graphField).some((path) => answers.some((objs) => objs.some((o) => resolve(o, path).length > 0)));
        const held = rows.some((x) => x[c.name] !== null);
        assert.equal(found, held, `${table.name}.${c.name}: ${held ? 'has values, so the answers must hold' : 'is NULL in every row, so no answer may hold'} ${c.graphField}`);
      }
    });
  }

  test('hover on every column of every table shows the Graph field it declares, or where it comes from', () => {
    for (const table of TABLES) {
      for (const c of table.columns) {
        // Qualified: a column named like a table (MediaInsightsPost.Comments) is then the column.
        const sql = `SELECT t.${c.name} FROM ${table.name} t`;
        const h = ls.hover(sql, 'SELECT t.'.length + 1)?.contents ?? '';
        assert.match(h, new RegExp(`\\*\\*${table.name}\\.${c.name}\\*\\*`), sql);
        if (c.graphField) for (const f of topLevel(c.graphField)) assert.ok(h.includes(`\`${f}\``) && h.includes('Graph field:'), `${sql}: ${f}\n${h}`);
        else assert.doesNotMatch(h, /Graph field/, sql);
        if (c.source) assert.ok(h.includes(`From ${c.source}.`), `${sql}: ${c.source}\n${h}`);
      }
    }
  });

  test('hover names the Graph field, its alternatives, or where the column comes from', () => {
    const at = (sql: string) => ls.hover(sql.replace('|', ''), sql.indexOf('|'))!.contents;
    assert.match(at('SELECT m.Like|Count FROM Media m'), /Graph field: `like_count`/);
    assert.match(at('SELECT Capt|ion FROM Stories'), /\*\*Stories\.Caption\*\*[^]*Graph field: `caption`/);
    assert.match(at('SELECT c.Lik|es FROM Comments c'), /Graph field: `like_count`/);
    assert.match(at('SELECT End|Time FROM AccountTimeSeriesWithoutBreakdown'), /Graph field: `values\[\]\.end_time`/);
    assert.match(at('SELECT Val|ue FROM MediaInsights'), /Graph field: `values\[\]\.value` or `total_value\.value`/);
    assert.match(at('SELECT Time|frame FROM AudienceInsights'), /From the request's `timeframe`/);
    // A column named like a table is the column where its table is in scope.
    assert.match(at('SELECT Comm|ents FROM MediaInsightsPost'), /\*\*MediaInsightsPost\.Comments\*\*: Integer[^]*From the `comments` insight/);
    assert.match(at('SELECT * FROM Comm|ents'), /\*\*Comments\*\* \(table\)/);
    const account = at('SELECT BusinessAccount|Id FROM Media');
    assert.doesNotMatch(account, /Graph field/);
    assert.match(account, /From the account whose edge listed it/);
  });
});
