/**
 * Proxies and TLS through real servers (issue 12): every connection property of DESIGN §4 for proxies and
 * certificates, with the proxies' own logs and the sandbox's request log proving the route.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from '../../src/core';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { collect, failure } from '../helpers';
import { httpProxy, socks4Proxy, socks5Proxy, tlsFront, type Running } from './servers';

const SQL = 'SELECT Id FROM Media ORDER BY Id LIMIT 3';

describe('proxies and TLS through real servers', () => {
  let sb: Sandbox;
  let host: string;
  let expected: string;
  const servers: Running[] = [];
  const start = async <T extends Running>(p: Promise<T>) => { const s = await p; servers.push(s); return s; };
  const rows = async (props: string) => {
    const conn = await connect(`OAuthAccessToken=sandbox;${props}`);
    try { return JSON.stringify(await collect(await conn.query(SQL))); } finally { await conn.close(); }
  };
  before(async () => {
    sb = await startSandbox({ port: 0, media: 5 });
    host = sb.url.replace('http://', '');
    expected = await rows(`ApiBaseURL=${sb.url}`);
  });
  after(async () => {
    for (const s of servers) await s.close();
    await sb.close();
  });

  test('ProxyServer/ProxyPort with ProxyAuthScheme=NONE: through the HTTP proxy', async () => {
    const p = await start(httpProxy());
    sb.clearRequests();
    assert.equal(await rows(`ApiBaseURL=${sb.url};ProxyServer=127.0.0.1;ProxyPort=${p.port};ProxyAuthScheme=NONE`), expected);
    assert.ok(p.log.includes(`CONNECT ${host}`), JSON.stringify(p.log));
    assert.ok(sb.requests().length > 0);
  });

  test('ProxyAuthScheme=BASIC with ProxyUser/ProxyPassword: the proxy checks them; wrong ones are a typed error', async () => {
    const p = await start(httpProxy({ user: 'ann', password: 'p@ss;word' }));
    assert.equal(await rows(`ApiBaseURL=${sb.url};ProxyServer=localhost;ProxyPort=${p.port};ProxyUser=ann;ProxyPassword="p@ss;word"`), expected);
    assert.ok(p.log.includes(`CONNECT ${host}`), JSON.stringify(p.log));
    sb.clearRequests();
    const e = await failure(() => rows(`ApiBaseURL=${sb.url};ProxyServer=127.0.0.1;ProxyPort=${p.port};ProxyUser=ann;ProxyPassword=wrong`));
    assert.equal(e.code, 'NETWORK');
    assert.match(e.message, /proxy/i);
    assert.ok(!e.message.includes('wrong'), 'the password is not in the message');
    assert.ok(p.log.some((l) => l.startsWith('407')), JSON.stringify(p.log));
    assert.equal(sb.requests().length, 0, 'nothing reached the sandbox');
  });

  test('ProxyAutoDetect reads HTTP_PROXY, and NO_PROXY exempts the API host', async () => {
    const p = await start(httpProxy());
    const saved = { HTTP_PROXY: process.env.HTTP_PROXY, NO_PROXY: process.env.NO_PROXY };
    try {
      process.env.HTTP_PROXY = `http://127.0.0.1:${p.port}`;
      delete process.env.NO_PROXY;
      assert.equal(await rows(`ApiBaseURL=${sb.url};ProxyAutoDetect=true`), expected);
      const through = p.log.length;
      assert.ok(through > 0, 'went through the proxy');
      process.env.NO_PROXY = 'localhost,127.0.0.1';
      assert.equal(await rows(`ApiBaseURL=${sb.url};ProxyAutoDetect=true`), expected);
      assert.equal(p.log.length, through, 'NO_PROXY: straight to the API');
    } finally {
      for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k]; else process.env[k] = v;
    }
  });

  test('FirewallType=TUNNEL with FirewallUser/FirewallPassword: through the HTTP proxy with its credentials', async () => {
    const p = await start(httpProxy({ user: 'fw', password: 'secret' }));
    assert.equal(await rows(`ApiBaseURL=${sb.url};FirewallType=TUNNEL;FirewallServer=127.0.0.1;FirewallPort=${p.port};FirewallUser=fw;FirewallPassword=secret`), expected);
    assert.ok(p.log.includes(`CONNECT ${host}`), JSON.stringify(p.log));
  });

  test('FirewallType=SOCKS5 without and with credentials; wrong credentials are a typed error', async () => {
    const open = await start(socks5Proxy());
    assert.equal(await rows(`ApiBaseURL=${sb.url};FirewallType=SOCKS5;FirewallServer=127.0.0.1;FirewallPort=${open.port}`), expected);
    assert.ok(open.log.includes(`CONNECT ${host}`), JSON.stringify(open.log));
    const guarded = await start(socks5Proxy({ user: 'bob', password: 'hunter2' }));
    assert.equal(await rows(`ApiBaseURL=${sb.url};FirewallType=SOCKS5;FirewallServer=127.0.0.1;FirewallPort=${guarded.port};FirewallUser=bob;FirewallPassword=hunter2`), expected);
    assert.ok(guarded.log.includes(`CONNECT ${host}`), JSON.stringify(guarded.log));
    const e = await failure(() => rows(`ApiBaseURL=${sb.url};FirewallType=SOCKS5;FirewallServer=127.0.0.1;FirewallPort=${guarded.port};FirewallUser=bob;FirewallPassword=nope`));
    assert.equal(e.code, 'NETWORK');
    assert.ok(guarded.log.includes('refused bob'));
    assert.ok(!e.message.includes('nope'));
  });

  test('FirewallType=SOCKS4 with FirewallUser as its user id; another id is refused with a typed error', async () => {
    const p = await start(socks4Proxy('carol'));
    assert.equal(await rows(`ApiBaseURL=${sb.url};FirewallType=SOCKS4;FirewallServer=127.0.0.1;FirewallPort=${p.port};FirewallUser=carol`), expected);
    assert.ok(p.log.includes(`CONNECT ${host}`), JSON.stringify(p.log));
    const e = await failure(() => rows(`ApiBaseURL=${sb.url};FirewallType=SOCKS4;FirewallServer=127.0.0.1;FirewallPort=${p.port};FirewallUser=mallory`));
    assert.equal(e.code, 'NETWORK');
    assert.ok(p.log.includes('refused mallory'), JSON.stringify(p.log));
  });

  describe('SSLServerCert', () => {
    let front: Running & { url: string; cert: string };
    before(async () => { front = await start(tlsFront(sb.url)); });

    test('a self-signed server is refused without SSLServerCert, with a typed error saying what to set', async () => {
      const e = await failure(() => rows(`ApiBaseURL=${front.url}`));
      assert.equal(e.code, 'NETWORK');
      assert.match(e.message, /SSLServerCert/);
    });

    test('as PEM text and as a file path, the TLS sandbox answers the same rows', async () => {
      sb.clearRequests();
      assert.equal(await rows(`ApiBaseURL=${front.url};SSLServerCert="${front.cert}"`), expected);
      const file = join(mkdtempSync(join(tmpdir(), 'igsql-cert-')), 'sandbox.pem');
      writeFileSync(file, front.cert);
      assert.equal(await rows(`ApiBaseURL=${front.url};SSLServerCert=${file}`), expected);
      assert.ok(front.log.length >= 1, 'TLS sessions on the front');
      assert.ok(sb.requests().length > 0, 'the sandbox answered through it');
    });

    test("'*' trusts any certificate and says so in the log", async () => {
      const lines: string[] = [];
      const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${front.url};SSLServerCert=*`, { logger: { log: (_l, m) => lines.push(m) } });
      try {
        assert.equal(JSON.stringify(await collect(await conn.query(SQL))), expected);
      } finally {
        await conn.close();
      }
      assert.ok(lines.some((l) => /warning: SSLServerCert=\* accepts any certificate/.test(l)), lines.join('\n'));
    });

    test('through the HTTP proxy to the TLS sandbox: both logs show the route', async () => {
      const p = await start(httpProxy());
      assert.equal(await rows(`ApiBaseURL=${front.url};SSLServerCert="${front.cert}";ProxyServer=127.0.0.1;ProxyPort=${p.port}`), expected);
      assert.ok(p.log.includes(`CONNECT localhost:${front.port}`), JSON.stringify(p.log));
    });
  });
});
