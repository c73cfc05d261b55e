// A query that names no account (neither in WHERE nor in the connection's BusinessAccountId) needs the list of
// the token's accounts to keep only their rows; it is asked together with the rows (issue 11), so a lookup by
// id waits for one round trip, not two. Round trips are counted by the bench's latency proxy.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../src/core';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { roundTrips, startProxy, type LatencyProxy } from '../../bench/proxy';
import { collect, failure } from '../helpers';

describe('the account list is asked with the rows', () => {
  let sandbox: Sandbox;
  let proxy: LatencyProxy;
  let media: string;
  let other: string;
  before(async () => {
    sandbox = await startSandbox({ port: 0, accounts: 2, media: 20 });
    proxy = await startProxy(sandbox.url, 100);
    const accounts = Object.entries(sandbox.summary().accounts);
    media = Object.entries(accounts[0]![1].media).find(([, m]) => m.productType !== 'STORY')![0];
    other = Object.entries(accounts[1]![1].media).find(([, m]) => m.productType !== 'STORY')![0];
  });
  after(async () => {
    await proxy?.close();
    await sandbox?.close();
  });

  test('a media looked up by id on a fresh connection: 2 requests, 1 round trip, the same row', async () => {
    const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${proxy.url}`);
    try {
      proxy.clear();
      const rows = await collect(await conn.query(`SELECT Id, BusinessAccountId FROM Media WHERE Id = '${media}'`));
      const spans = proxy.spans();
      assert.equal(rows.length, 1);
      assert.equal(rows[0]!.Id, media);
      assert.equal(spans.length, 2, spans.map((s) => s.path).join('\n'));
      assert.equal(roundTrips(spans), 1, spans.map((s) => `${s.start.toFixed(0)}–${s.end.toFixed(0)} ${s.path.slice(0, 60)}`).join('\n'));
      // The account list is the connection's from now on: the next lookup is one request.
      proxy.clear();
      assert.equal((await collect(await conn.query(`SELECT Id FROM Media WHERE Id = '${other}'`))).length, 1, 'the second account is the token\'s too');
      assert.equal(proxy.spans().length, 1);
    } finally {
      await conn.close();
    }
  });

  test('a query that ends before the account list answers leaves no request running, and the next query has its rows', async () => {
    const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${proxy.url}`);
    try {
      proxy.clear();
      // A control character in the id fails at once, while the account list is on its way.
      const e = await failure(() => conn.query("SELECT Id FROM Media WHERE Id = 'ZQ' || char(10) || 'X'"));
      assert.equal(e.code, 'INVALID_VALUE');
      for (let waited = 0; proxy.inFlight() > 0 && waited < 50; waited += 5) await new Promise((r) => setTimeout(r, 5));
      assert.equal(proxy.inFlight(), 0, 'the account list was abandoned with the query');
      const rows = await collect(await conn.query(`SELECT Id FROM Media WHERE Id = '${media}'`));
      assert.deepEqual(rows.map((r) => r.Id), [media]);
    } finally {
      await conn.close();
    }
  });

  test('when the account list fails, the query fails with its error, rows or not', async () => {
    const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${sandbox.url}`);
    try {
      await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'GET', path: '/me/accounts$', kind: 'error', status: 403, code: 200, times: -1 }) });
      const e = await failure(() => conn.query(`SELECT Id FROM Media WHERE Id = '${media}'`));
      assert.equal(e.code, 'PERMISSION_DENIED', e.message);
      const none = await failure(() => conn.query("SELECT Id FROM Media WHERE Id = '17999999999999999'"));
      assert.equal(none.code, 'PERMISSION_DENIED', none.message);
    } finally {
      await fetch(`${sandbox.url}/__sandbox/faults`, { method: 'DELETE' });
      await conn.close();
    }
  });
});
