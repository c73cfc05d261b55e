/** Field types from Graph are read by the column's declared type (issue 12), never printed by SQLite on stderr. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import got from 'got';
import { sqlValue } from '../../src/core/engine/coerce';
import { rig, type Rig } from '../helpers';

let r: Rig;
before(async () => { r = await rig({ media: 10 }); });
after(() => r.close());

test('numbers sent as strings and booleans sent as 0/1 give the same rows as Graph\'s usual types', async () => {
  const sql = 'SELECT Id, LikeCount, CommentsCount, IsCommentEnabled, Timestamp, typeof(LikeCount) AS t FROM Media ORDER BY Id LIMIT 5';
  const expected = await r.rows(sql);
  const conn2 = (await import('../../src/core')).connect;
  const fresh = await conn2(`OAuthAccessToken=sandbox;ApiBaseURL=${r.sandbox.url}`);
  await got.post(`${r.sandbox.url}/__sandbox/faults`, { json: { method: 'GET', path: '/media$', times: -1, kind: 'retype' } });
  const writes: string[] = [];
  const orig = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => { writes.push(String(chunk)); return (orig as (...a: unknown[]) => boolean)(chunk, ...rest); }) as typeof process.stderr.write;
  try {
    const res = await fresh.query(sql);
    const rows: Record<string, unknown>[] = [];
    for await (const row of res.rows) rows.push(Object.fromEntries(res.columns.map((c, i) => [c.name, row[i]])));
    assert.deepEqual(rows, expected);
    assert.equal(rows[0]!.t, 'integer');
  } finally {
    process.stderr.write = orig;
    await got.delete(`${r.sandbox.url}/__sandbox/faults`);
    await fresh.close();
  }
  assert.ok(!writes.some((w) => /converted to null/.test(w)), writes.join(''));
});

test('sqlValue reads what the type can read and gives NULL for the rest', () => {
  assert.equal(sqlValue('12', 'Integer'), 12);
  assert.equal(sqlValue('12345678901234567890', 'Integer'), 12345678901234567890n);
  assert.equal(sqlValue('twelve', 'Integer'), null);
  assert.equal(sqlValue({ a: 1 }, 'Integer'), null);
  assert.equal(sqlValue([1], 'Double'), null);
  assert.equal(sqlValue('1.5e3', 'Double'), 1500);
  assert.equal(sqlValue(Number.NaN, 'Double'), null);
  assert.equal(sqlValue('true', 'Boolean'), 1);
  assert.equal(sqlValue('yes', 'Boolean'), null);
  assert.equal(sqlValue(false, 'Boolean'), 0);
  assert.equal(sqlValue(42, 'String'), '42');
  assert.equal(sqlValue({ id: '1' }, 'String'), '{"id":"1"}');
  assert.equal(sqlValue({ id: '1' }, 'Datetime'), null);
});
