/**
 * SQLite's OR plan over two pushed-down columns (MULTI-INDEX OR): one xFilter per branch on the same cursor, and
 * a row whose rowid an earlier branch returned is dropped. The rowid must name the row, not its place in a page.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Connection } from '../../src/core';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { collect } from '../helpers';

describe('OR across two pushed-down columns', () => {
  let sandbox: Sandbox;
  let conn: Connection;
  let plain: Connection;
  let account: string;
  before(async () => {
    // 250 media: the listing comes in three pages of 100.
    sandbox = await startSandbox({ port: 0, accounts: 1, media: 250 });
    account = Object.keys(sandbox.summary().accounts)[0]!;
    const props = `OAuthAccessToken=sandbox;ApiBaseURL=${sandbox.url};BusinessAccountId=${account}`;
    conn = await connect(props);
    plain = await connect(props, { overlap: false, synchronousBuild: false, fromMemory: false });
  });
  after(async () => {
    await conn?.close();
    await plain?.close();
    await sandbox?.close();
  });

  const lines = async (c: Connection, sql: string) => (await collect(await c.query(sql))).map((r) => JSON.stringify(r)).sort();

  test('Media: every media once, the one named by both branches included, whatever its page', async () => {
    const all = await lines(plain, 'SELECT Id FROM Media');
    assert.equal(all.length, 250);
    const ids = all.map((l) => (JSON.parse(l) as { Id: string }).Id);
    for (const x of [ids[0]!, ids[100]!, ids[249]!]) {
      for (const sql of [`SELECT Id FROM Media WHERE Id = '${x}' OR Timestamp >= '2000-01-01'`, `SELECT Id FROM Media WHERE Id = '${x}' OR BusinessAccountId = '${account}'`]) {
        assert.match((await conn.explain(sql)).details.join(' | '), /MULTI-INDEX OR/, sql);
        for (const c of [conn, plain]) assert.deepEqual(await lines(c, sql), all, sql);
      }
    }
  });

  test('a table without ids (MediaInsights): the rows SQLite gives with the keys not pushed down', async () => {
    const [m] = (await collect(await plain.query('SELECT Id FROM Media LIMIT 1'))).map((r) => String(r.Id));
    const sql = `SELECT MediaId, Metric, Value FROM MediaInsights WHERE MediaId = '${m}' OR Metric = 'reach'`;
    assert.match((await conn.explain(sql)).details.join(' | '), /MULTI-INDEX OR/);
    // `+col` keeps a term from being pushed down: one scan, filtered by SQLite.
    const expected = await lines(plain, `SELECT MediaId, Metric, Value FROM MediaInsights WHERE +MediaId = '${m}' OR +Metric = 'reach'`);
    assert.ok(expected.length > 250, `${expected.length} rows: every media's reach and the first media's other metrics`);
    for (const c of [conn, plain]) assert.deepEqual(await lines(c, sql), expected);
  });
});
