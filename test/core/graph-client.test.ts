import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect as netConnect, type Socket } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import got from 'got';
import { connect } from '../../src/core';
import { collect, failure, rig, type Rig } from '../helpers';

describe('Graph client: retries, throttling, timeouts, logging, proxy', () => {
  let r: Rig;
  let account: string;
  const fault = (spec: Record<string, unknown>) => got.post(`${r.sandbox.url}/__sandbox/faults`, { json: spec });
  before(async () => {
    r = await rig({ media: 30 });
    account = (await r.conn.businessAccounts())[0]!.id;
  });
  after(() => r.close());

  test('a transient 500 on a GET is retried once and the query succeeds', async () => {
    await fault({ method: 'GET', path: '/media$', times: 1, kind: 'error', status: 500, code: 2 });
    const res = await r.conn.query('SELECT Id FROM Media WHERE BusinessAccountId = ? LIMIT 3', [account]);
    const rows = await collect(res);
    assert.equal(rows.length, 3);
    assert.equal(res.stats.retries, 1);
    assert.equal(res.stats.apiCalls, 2);
  });

  test('throttling that persists becomes RATE_LIMITED with advice', async () => {
    await fault({ method: 'GET', path: '/media$', times: -1, kind: 'error', status: 403, code: 4 });
    try {
      const e = await failure(() => r.conn.query('SELECT Id FROM Media WHERE BusinessAccountId = ? LIMIT 3', [account]));
      assert.equal(e.code, 'RATE_LIMITED');
      assert.match(e.message, /rate limit/);
      assert.equal(e.details.graphCode, 4);
    } finally {
      await got.delete(`${r.sandbox.url}/__sandbox/faults`);
    }
  });

  test('Timeout (seconds) bounds each request and the error names the property', async () => {
    await fault({ method: 'GET', path: '/media$', times: 3, kind: 'delay', delayMs: 2500 });
    const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${r.sandbox.url};Timeout=1;BusinessAccountId=${account}`);
    try {
      const e = await failure(() => conn.query('SELECT Id FROM Media LIMIT 1'));
      assert.equal(e.code, 'TIMEOUT');
      assert.match(e.message, /Timeout/);
    } finally {
      await conn.close();
      await got.delete(`${r.sandbox.url}/__sandbox/faults`);
    }
  });

  test('Logfile at Verbosity 5 records requests and bodies, never the token', async () => {
    const { access_token } = await got.post(`${r.sandbox.url}/__sandbox/tokens`, { json: { scopes: ['instagram_basic', 'pages_show_list'], expiresIn: 3600 } }).json<{ access_token: string }>();
    const file = join(mkdtempSync(join(tmpdir(), 'igsql-log-')), 'igsql.log');
    const conn = await connect(`OAuthAccessToken=${access_token};ApiBaseURL=${r.sandbox.url};Logfile=${file};Verbosity=5;BusinessAccountId=${account}`);
    await collect(await conn.query('SELECT Id FROM Media LIMIT 2'));
    await conn.close();
    const log = readFileSync(file, 'utf8');
    assert.match(log, /query: SELECT Id FROM Media LIMIT 2/);
    assert.match(log, new RegExp(`GET ${r.sandbox.url.replace(/[.]/g, '\\.')}/v24\\.0/${account}/media`));
    assert.match(log, /"data":\[/, 'wire bodies at verbosity 5');
    assert.ok(!log.includes(access_token), 'the token is redacted');
  });

  describe('ProxyServer', () => {
    let proxy: Server;
    const seen: string[] = [];
    before(async () => {
      // A minimal tunnelling proxy (CONNECT), as hpagent speaks to HTTP proxies for every target.
      proxy = createServer((_req, res) => res.writeHead(405).end());
      proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
        seen.push(`CONNECT ${req.url}`);
        const [host, port] = req.url!.split(':');
        const upstream = netConnect(Number(port), host!, () => {
          client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
          upstream.write(head);
          upstream.pipe(client);
          client.pipe(upstream);
        });
        upstream.on('error', () => client.destroy());
        client.on('error', () => upstream.destroy());
      });
      await new Promise<void>((res) => proxy.listen(0, '127.0.0.1', () => res()));
    });
    after(() => new Promise<void>((res) => proxy.close(() => res())));

    test('routes Graph requests through the configured proxy', async () => {
      const port = (proxy.address() as { port: number }).port;
      const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${r.sandbox.url};ProxyServer=127.0.0.1;ProxyPort=${port};BusinessAccountId=${account}`);
      const rows = await collect(await conn.query('SELECT Id FROM Media LIMIT 2'));
      await conn.close();
      assert.equal(rows.length, 2);
      assert.ok(seen.includes(`CONNECT ${r.sandbox.url.replace('http://', '')}`), JSON.stringify(seen));
    });
  });
});
