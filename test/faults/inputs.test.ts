/** Every bad input is a typed error (issue 12): properties before use, values Graph cannot take, never a raw TypeError. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../src/core';
import { noProxyFor } from '../../src/core/graph/agents';
import { pathSegment, sendable } from '../../src/core/graph/client';
import { failure, rig, type Rig } from '../helpers';

describe('bad inputs are typed errors', () => {
  let r: Rig;
  before(async () => { r = await rig({ media: 5 }); });
  after(() => r.close());

  const badProps: Array<[string, string, RegExp]> = [
    ['ProxyServer=http://[bad;ProxyPort=8080', 'ProxyServer', /without a scheme/],
    ['ProxyServer=proxy.example.com:8080', 'ProxyServer', /without a port/],
    ['ProxyServer=exa mple.com', 'ProxyServer', /host name or IP address/],
    ['FirewallType=SOCKS5;FirewallServer=-bad-', 'FirewallServer', /host name/],
    ['ProxyPort=99999', 'ProxyPort', /1 to 65535/],
    ['Timeout=ten', 'Timeout', /whole number/],
    ['Logfile=/no/such/folder/igsql.log', 'Logfile', /folder .* does not/],
    ['SSLServerCert=/no/such/cert.pem', 'SSLServerCert', /PEM text/],
    ['ApiBaseURL=ftp://graph.example.com', 'ApiBaseURL', /http\(s\) URL/],
    ['BusinessAccountId=12\u0000', 'BusinessAccountId', /control characters/],
    ['OAuthAccessToken=abc\ud800', 'OAuthAccessToken', /broken Unicode/],
  ];
  for (const [props, property, message] of badProps) {
    test(`connect refuses ${JSON.stringify(props)} naming ${property}`, async () => {
      const e = await failure(() => connect(`OAuthAccessToken=sandbox;ApiBaseURL=${r.sandbox.url};${props}`));
      assert.equal(e.code, 'INVALID_PROPERTY');
      assert.equal(e.details.property, property);
      assert.match(e.message, message);
      assert.ok(!e.message.includes('\ud800'), 'the broken value is not echoed');
    });
  }

  test('ProxyAutoDetect with a bad HTTPS_PROXY is INVALID_PROPERTY naming the variable', async () => {
    const saved = process.env.HTTP_PROXY;
    process.env.HTTP_PROXY = 'http://[::1';
    try {
      const e = await failure(() => connect(`OAuthAccessToken=sandbox;ApiBaseURL=${r.sandbox.url};ProxyAutoDetect=true`));
      assert.equal(e.code, 'INVALID_PROPERTY');
      assert.match(e.message, /HTTP_PROXY/);
    } finally {
      if (saved === undefined) delete process.env.HTTP_PROXY; else process.env.HTTP_PROXY = saved;
    }
  });

  test('NO_PROXY matches hosts, suffixes, ports and *', () => {
    const u = new URL('https://graph.facebook.com');
    assert.equal(noProxyFor(u, 'facebook.com'), true);
    assert.equal(noProxyFor(u, '.facebook.com'), true);
    assert.equal(noProxyFor(u, 'graph.facebook.com:443'), true);
    assert.equal(noProxyFor(u, 'graph.facebook.com:8443'), false);
    assert.equal(noProxyFor(u, 'notfacebook.com, example.org'), false);
    assert.equal(noProxyFor(u, '*'), true);
    assert.equal(noProxyFor(new URL('http://127.0.0.1:9000'), 'localhost,127.0.0.1'), true);
  });

  test('a lone surrogate in an IN-list value: SQLite holds it as U+FFFD, the query ends without INTERNAL', async () => {
    const res = await r.conn.query("SELECT Id FROM Media WHERE Id IN ('1', char(55296), '2')");
    const rows: unknown[] = [];
    try {
      for await (const row of res.rows) rows.push(row);
    } catch (e) {
      assert.notEqual((e as { code: string }).code, 'INTERNAL', (e as Error).message);
    }
    assert.equal(rows.length, 0);
  });

  test('the Graph client refuses a lone surrogate in an id or a parameter (it has no UTF-8 form)', () => {
    assert.throws(() => pathSegment('12\ud800'), (e: { code?: string; message?: string }) => e.code === 'INVALID_VALUE' && /lone UTF-16 surrogate/.test(e.message!));
    assert.throws(() => sendable('half \ud83d of an emoji', 'message'), (e: { code?: string }) => e.code === 'INVALID_VALUE');
    assert.equal(sendable('a whole \ud83d\ude00', 'message'), 'a whole \ud83d\ude00');
  });
});
