// Ask only for what the query reads (issue 11): the `fields=` of each request come from the columns SQLite
// says the statement uses (colUsed), plus the ones the table's own logic needs; never a row lacking a field.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Media } from '../../src/core/schema/media';
import { MediaInsights } from '../../src/core/schema/media-insights';
import { Comments } from '../../src/core/schema/comments';
import { fieldEntries, mergeFields, requestFields, topLevel } from '../../src/core/schema/common';
import { columnsFromMask } from '../../src/core/engine/vtab';
import type { TableDef } from '../../src/core/schema/types';
import { rig, type Rig } from '../helpers';

const entries = (fields: string | undefined) => new Set(topLevel(fields ?? ''));
/** The fields=: entries the declarations give for `columns` of `table` (what the request may hold, at most). */
const declared = (table: TableDef, columns: readonly string[]) =>
  entries(mergeFields(...table.columns.filter((c) => columns.includes(c.name) || table.needs?.includes(c.name)).flatMap((c) => (c.graphField ? fieldEntries(c.graphField) : []))));

describe('requests ask for the fields of the columns read', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 60, accounts: 1 });
    account = (await r.conn.businessAccounts())[0]!.id;
  });
  after(() => r.close());

  const mediaPages = () => r.requests().filter((q) => q.route === `/${account}/media`);

  test('SELECT Id FROM Media asks for the id and what Media itself needs, not the caption or the URLs', async () => {
    r.clear();
    const ids = await r.rows('SELECT Id FROM Media');
    assert.equal(ids.length, 60);
    const asked = entries(mediaPages()[0]!.query.fields);
    assert.deepEqual(asked, declared(Media, ['Id']));
    for (const f of ['caption', 'media_url', 'thumbnail_url', 'like_count', 'timestamp']) assert.ok(!asked.has(f), `${f} is not asked`);
    // What Media's own logic reads (its belongs rule, what it publishes) is asked whatever the statement reads;
    // what only tells a media looked up by id apart from a listed one (album child, owner) is not.
    for (const f of ['id', 'media_type', 'media_product_type', 'comments_count']) assert.ok(asked.has(f), `${f} is asked`);
    for (const f of ['permalink', 'is_comment_enabled', 'owner']) assert.ok(!asked.has(f), `${f} is not asked by a listing`);
  });

  test('a media looked up by id asks what tells it apart: permalink, is_comment_enabled, owner', async () => {
    const [m] = await r.rows('SELECT Id FROM Media LIMIT 1');
    r.clear();
    const rows = await r.rows('SELECT Id FROM Media WHERE Id = ?', [m!.Id]);
    assert.deepEqual(rows, [{ Id: m!.Id }]);
    const asked = entries(r.requests().find((q) => q.route === `/${String(m!.Id)}`)!.query.fields);
    for (const f of ['id', 'media_product_type', 'permalink', 'is_comment_enabled', 'owner{id}']) assert.ok(asked.has(f), `${f} is asked: ${[...asked].join(',')}`);
    assert.ok(!asked.has('caption'));
  });

  test('SELECT Caption adds caption; WHERE and ORDER BY columns are read too', async () => {
    r.clear();
    const rows = await r.rows("SELECT Caption FROM Media WHERE LikeCount > 0 ORDER BY Timestamp");
    assert.ok(rows.length > 0 && rows.some((x) => x.Caption !== null));
    const asked = entries(mediaPages()[0]!.query.fields);
    assert.deepEqual(asked, declared(Media, ['Caption', 'LikeCount', 'Timestamp']));
    assert.ok(asked.has('caption') && asked.has('like_count') && asked.has('timestamp') && !asked.has('media_url'));
  });

  test('the rows are those of a statement reading every column', async () => {
    const cols = 'Id, Caption, LikeCount, Timestamp, MediaType';
    const few = await r.rows(`SELECT ${cols} FROM Media ORDER BY Id`);
    r.clear();
    // A materialized CTE of SELECT * reads every column (a plain subquery would be flattened, its columns pruned).
    const all = await r.rows(`WITH all_columns AS MATERIALIZED (SELECT * FROM Media) SELECT ${cols} FROM all_columns ORDER BY Id`);
    assert.deepEqual(entries(mediaPages()[0]!.query.fields), declared(Media, Media.columns.map((c) => c.name)));
    assert.deepEqual(few, all);
  });

  test('an insights query without Title and Description does not ask for them, and its rows are the same', async () => {
    r.clear();
    const few = await r.conn.query('SELECT MediaId, Metric, Value FROM MediaInsights ORDER BY MediaId, Metric');
    const fewRows = [];
    for await (const row of few.rows) fewRows.push(row);
    const insights = r.calls().filter((q) => q.path.endsWith('/insights'));
    assert.ok(insights.length > 0);
    for (const q of insights) {
      const asked = entries(q.query.fields);
      assert.deepEqual(asked, declared(MediaInsights, ['MediaId', 'Metric', 'Value', 'name']));
      assert.ok(!asked.has('title') && !asked.has('description'));
    }
    const all = await r.conn.query('WITH all_columns AS MATERIALIZED (SELECT * FROM MediaInsights) SELECT MediaId, Metric, Value FROM all_columns ORDER BY MediaId, Metric');
    const allRows = [];
    for await (const row of all.rows) allRows.push(row);
    assert.deepEqual(fewRows, allRows);
    assert.ok(fewRows.length > 100);
    assert.ok(few.stats.bytes < all.stats.bytes * 0.6, `${few.stats.bytes} bytes without titles and descriptions, ${all.stats.bytes} with`);
    const titled = await r.rows('SELECT Title, Description FROM MediaInsights WHERE MediaId = (SELECT Id FROM Media LIMIT 1)');
    assert.ok(titled.length > 0 && titled.every((x) => typeof x.Title === 'string' && typeof x.Description === 'string'));
  });

  test('two references to one table ask the union of their columns: one request per page and per batch, no row lacking a field', async () => {
    r.clear();
    const rows = await r.rows('SELECT a.Id, a.Caption, b.LikeCount, b.Shortcode FROM Media a JOIN Media b ON b.Id = a.Id ORDER BY a.Id');
    const union = declared(Media, ['Id', 'Caption', 'LikeCount', 'Shortcode']);
    // A look-up by id asks, as well, what tells a media looked up apart from a listed one.
    const lookup = declared(Media, ['Id', 'Caption', 'LikeCount', 'Shortcode', 'Permalink', 'IsCommentEnabled', 'OwnerId']);
    const gets = r.calls().filter((q) => q.query.fields !== undefined);
    assert.ok(gets.some((q) => q.path.endsWith('/media')) && gets.some((q) => !q.path.endsWith('/media')));
    for (const q of gets) assert.deepEqual(entries(q.query.fields), q.path.endsWith('/media') ? union : lookup, q.path);
    const alone = await r.rows('SELECT Id, Caption, LikeCount, Shortcode FROM Media ORDER BY Id');
    assert.deepEqual(rows, alone);
    assert.ok(rows.every((x) => x.Shortcode !== null));
  });

  test('a batched lookup shared by two cursors with different columns serves each its columns', async () => {
    const ids = (await r.rows('SELECT Id FROM Media LIMIT 12')).map((x) => x.Id as string);
    const list = ids.map((id) => `'${id}'`).join(', ');
    r.clear();
    const rows = await r.rows(`SELECT x.Id, x.Caption, (SELECT y.LikeCount FROM IGMedia y WHERE y.Id = x.Id) AS Likes, (SELECT z.Permalink FROM IGMedia z WHERE z.Id = x.Id) AS Link FROM IGMedia x WHERE x.Id IN (${list}) ORDER BY x.Id`);
    // One batch for the 12 ids, which the three cursors share: they ask the same fields (the union).
    assert.equal(r.requests().length, 1, JSON.stringify(r.requests().map((q) => q.route)));
    assert.equal(r.requests()[0]!.batch!.length, 12);
    const alone = await r.rows(`SELECT Id, Caption, LikeCount AS Likes, Permalink AS Link FROM IGMedia WHERE Id IN (${list}) ORDER BY Id`);
    assert.deepEqual(rows, alone);
    assert.ok(rows.every((x) => x.Likes !== null && x.Link !== null));
  });

  test('a statement that writes reads every column of the table it updates', async () => {
    const [c] = await r.rows('SELECT Id FROM Comments WHERE MediaId IN (SELECT Id FROM Media WHERE CommentsCount > 0 LIMIT 1) LIMIT 1');
    r.clear();
    await r.rows('UPDATE Comments SET Hidden = 1 WHERE Id = ?', [c!.Id]);
    const read = r.requests().find((q) => q.method === 'GET' && q.route === `/${String(c!.Id)}`)!;
    assert.deepEqual(entries(read.query.fields), entries(requestFields(Comments, undefined)));
    const [after] = await r.rows('SELECT Hidden FROM Comments WHERE Id = ?', [c!.Id]);
    assert.equal(after!.Hidden, 1);
  });

  test('COUNT(*) reads no column: only what the table needs is asked', async () => {
    r.clear();
    const [n] = await r.rows('SELECT count(*) AS n FROM Media');
    assert.equal(n!.n, 60);
    assert.deepEqual(entries(mediaPages()[0]!.query.fields), declared(Media, []));
  });
});

describe('fields= lists', () => {
  test('merging unites sub-fields and keeps modifiers (with their commas) whole', () => {
    assert.equal(mergeFields('id,from{id}', 'from{username},media{owner{id}}', 'media{id},id'), 'id,from{id,username},media{owner{id},id}');
    assert.equal(mergeFields('name', 'insights.metric(reach,likes){name,values}', 'insights.metric(reach,likes){period}'), 'name,insights.metric(reach,likes){name,values,period}');
    assert.deepEqual(topLevel('a,b{c,d},e.metric(x,y)'), ['a', 'b{c,d}', 'e.metric(x,y)']);
  });

  test('a declared path asks for the top of its field', () => {
    assert.deepEqual(fieldEntries('values[].value,total_value.value'), ['values', 'total_value']);
    assert.deepEqual(fieldEntries('total_value.breakdowns[].results[].dimension_values'), ['total_value']);
    assert.deepEqual(fieldEntries('media{owner{id}}'), ['media{owner{id}}']);
    assert.deepEqual(fieldEntries('username,from{username}'), ['username', 'from{username}']);
  });
});

describe("SQLite's colUsed mask", () => {
  const table = (n: number): TableDef => ({ name: 'T', kind: 'view', description: '', scopes: [], columns: Array.from({ length: n }, (_, i) => ({ name: `C${i}`, type: 'String', description: '' })), async *list() {} });

  test('bits name the columns, the 32nd included (wa-sqlite reads the mask as a signed 32-bit number)', () => {
    assert.deepEqual([...columnsFromMask(table(32), 0b101)!], ['C0', 'C2']);
    assert.deepEqual([...columnsFromMask(table(32), -2147483648)!], ['C31']);
    assert.equal(columnsFromMask(table(32), 0)!.size, 0);
  });

  test('a table wider than the 32 bits wa-sqlite passes is read whole', () => {
    assert.equal(columnsFromMask(table(33), 1), undefined);
    assert.equal(columnsFromMask(table(100), -1), undefined);
  });
});
