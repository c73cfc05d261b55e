/**
 * Values of another type than a text column's key. SQLite compares a plain number with text as text, a CAST or a
 * numeric column's value as a number (every text follows it), a BLOB after every text; the table cannot tell a
 * plain number from a CAST. Each gives the rows SQLite gives without the pushdown (the subquery with LIMIT -1
 * keeps the outer terms from reaching the table, and the column keeps its affinity).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rig, type Rig } from '../helpers';

describe('key values of another type than the column', () => {
  let r: Rig;
  let media: string;
  before(async () => {
    r = await rig({ media: 40 });
    media = String((await r.rows('SELECT Id FROM Media LIMIT 1'))[0]!.Id);
  });
  after(() => r.close());

  const lines = async (sql: string, params?: unknown[]) => (await r.rows(sql, params as never)).map((x) => JSON.stringify(x)).sort();

  test('a number or a BLOB bound on a timestamp: the rows of SQLite\'s own comparison', async () => {
    const all = await lines('SELECT Id FROM Media');
    for (const term of ['Timestamp < 2026.0', 'Timestamp > CAST(3000 AS INTEGER)', "Timestamp >= CAST('2026' AS NUMERIC)", 'Timestamp <= 2026', "Timestamp < X'32303236'", 'Timestamp > 1780000000']) {
      const expected = await lines(`SELECT Id FROM (SELECT * FROM Media LIMIT -1) WHERE ${term}`);
      assert.deepEqual(await lines(`SELECT Id FROM Media WHERE ${term}`), expected, term);
    }
    // The affinities differ: a REAL literal is compared as text ('2026-…' < '2026.0'), a CAST as a number.
    assert.ok((await lines('SELECT Id FROM Media WHERE Timestamp < 2026.0')).length > 0);
    assert.deepEqual(await lines('SELECT Id FROM Media WHERE Timestamp > CAST(3000 AS INTEGER)'), all);
    assert.deepEqual(await lines('SELECT Id FROM Media WHERE Timestamp < ?', [new Uint8Array([50, 48])]), all, 'a BLOB follows every text');

    const window = "MetricType = 'time_series' AND Metric = 'reach' AND EndTime >= '2026-10-01' AND EndTime < '2026-11-01'";
    for (const term of ['EndTime <= 2026.0', 'EndTime > CAST(2026 AS REAL)']) {
      const expected = await lines(`SELECT EndTime, Value FROM (SELECT * FROM AccountInsights WHERE ${window} LIMIT -1) WHERE ${term}`);
      assert.ok(expected.length > 0, term);
      assert.deepEqual(await lines(`SELECT EndTime, Value FROM AccountInsights WHERE ${window} AND ${term}`), expected, term);
    }
  });

  test('an id as a BLOB matches nothing (was "an empty id"); as a REAL, the text SQLite compares, not a nearby id', async () => {
    assert.deepEqual(await r.rows(`SELECT Id FROM Comments WHERE MediaId = CAST('${media}' AS BLOB)`), []);
    assert.deepEqual(await r.rows(`SELECT Id FROM Media WHERE Id = CAST('${media}' AS BLOB)`), []);
    // 1.7956381550000361e16 as a double is 17956381550000360: SQLite compares its text, '1.79563815500004e+16'.
    r.clear();
    assert.deepEqual(await r.rows('SELECT Id FROM Media WHERE Id = 1.7956381550000361e16'), []);
    assert.ok(!r.calls().some((c) => c.route.includes('17956381550000360')), r.calls().map((c) => c.route).join('\n'));
    // An integer is compared as text: the media.
    assert.deepEqual((await r.rows(`SELECT Id FROM Media WHERE Id = ${media}`)).map((x) => x.Id), [media]);
  });
});

describe('COLLATE in a comparison (the table cannot see it: its String keys are left to SQLite)', () => {
  let r: Rig;
  let media: string;
  before(async () => {
    r = await rig({ media: 20 });
    media = String((await r.rows("SELECT Id FROM Media WHERE MediaProductType = 'FEED' LIMIT 1"))[0]!.Id);
  });
  after(() => r.close());

  const lines = async (sql: string) => (await r.rows(sql)).map((x) => JSON.stringify(x)).sort();

  test('NOCASE and RTRIM terms give the rows of SQLite\'s own comparison', async () => {
    const window = "EndTime >= '2026-10-01' AND EndTime < '2026-11-01'";
    for (const [table, columns, where] of [
      ['MediaInsights', 'MediaId, Metric, Value', `MediaId = '${media}' AND Metric = 'Reach' COLLATE NOCASE`],
      ['MediaInsights', 'MediaId, Metric', `MediaId = '${media}' AND Metric COLLATE NOCASE IN ('REACH', 'likes')`],
      ['AccountInsights', 'Metric, MetricType, EndTime, Value', `Period = 'DAY' COLLATE NOCASE AND Metric = 'reach' AND ${window}`],
      ['AccountInsights', 'Metric, EndTime, Value', `MetricType = 'TOTAL_VALUE' COLLATE NOCASE AND ${window}`],
      ['Media', 'Id', `Id = '${media} ' COLLATE RTRIM`],
    ] as const) {
      const expected = await lines(`SELECT ${columns} FROM (SELECT * FROM ${table} WHERE ${table === 'AccountInsights' ? window : '1'} LIMIT -1) WHERE ${where}`);
      assert.ok(expected.length > 0, where);
      assert.deepEqual(await lines(`SELECT ${columns} FROM ${table} WHERE ${where}`), expected, where);
    }
  });

  test('a COLLATE of ORDER BY leaves the keys pushed down', async () => {
    r.clear();
    await r.rows(`SELECT Metric, Value FROM MediaInsights WHERE MediaId = '${media}' AND Metric = 'reach' ORDER BY Metric COLLATE NOCASE`);
    const asked = r.calls().filter((c) => c.route === `/${media}/insights`).map((c) => c.query.metric);
    assert.deepEqual(asked, ['reach']);
  });
});
