// A closed connection's SQLite instance serves the next connection of the process (sqlite.ts recycleSqlite):
// no new 16.8 MB of wasm memory per connection, and nothing of the old connection reachable or disturbed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../src/core';
import { instancesMade } from '../../src/core/engine/sqlite';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { collect, failure } from '../helpers';

describe('SQLite instances of closed connections', () => {
  let sandbox: Sandbox;
  let props: string;
  before(async () => {
    sandbox = await startSandbox({ port: 0, accounts: 1, media: 20 });
    props = `OAuthAccessToken=sandbox;ApiBaseURL=${sandbox.url};BusinessAccountId=${Object.keys(sandbox.summary().accounts)[0]}`;
  });
  after(() => sandbox?.close());

  test('the next connection reuses the instance; the old one and its results stay closed', async () => {
    const first = await connect(props);
    const expected = await collect(await first.query('SELECT Id, Caption FROM Media ORDER BY Id LIMIT 5'));
    // A result left unread when the connection closes.
    const dangling = await first.query('SELECT Id FROM Media');
    await first.close();
    const made = instancesMade('wa-sqlite-async.wasm');
    const second = await connect(props);
    try {
      assert.deepEqual(await collect(await second.query('SELECT Id, Caption FROM Media ORDER BY Id LIMIT 5')), expected);
      assert.equal(instancesMade('wa-sqlite-async.wasm'), made, 'no new instance');
      // The closed connection's result and queries fail as closed, and do not touch the new connection's database.
      const e = await failure(async () => { for await (const _ of dangling.rows) void _; });
      assert.equal(e.code, 'CANCELLED');
      assert.equal((await failure(() => first.query('SELECT 1'))).code, 'CANCELLED');
      const third = await connect(props);
      try {
        // Only one closed instance is kept: a connection opened while the second is open gets a new one.
        assert.deepEqual(await collect(await third.query('SELECT count(*) AS n FROM Media')), await collect(await second.query('SELECT count(*) AS n FROM Media')));
        assert.equal(instancesMade('wa-sqlite-async.wasm'), made + 1);
      } finally {
        await third.close();
      }
      assert.deepEqual(await collect(await second.query('SELECT Id, Caption FROM Media ORDER BY Id LIMIT 5')), expected, 'the second connection is untouched');
    } finally {
      await second.close();
    }
  });

  test('tables, temporary tables and writes of a closed connection do not reach the next one', async () => {
    const first = await connect(props);
    const count = await collect(await first.query('SELECT count(*) AS n FROM Media'));
    await collect(await first.query('CREATE TEMP TABLE notes(x)'));
    await collect(await first.query("INSERT INTO notes VALUES ('kept?')"));
    await first.close();
    const second = await connect(props);
    try {
      const e = await failure(() => second.query('SELECT x FROM notes'));
      assert.match(e.message, /Unknown table 'notes'/);
      assert.deepEqual(await collect(await second.query('SELECT count(*) AS n FROM Media')), count);
    } finally {
      await second.close();
    }
  });
});
