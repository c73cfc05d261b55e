// Sign-in and tokens (issue 8): both login flavours end to end against the sandbox's dialogs and token
// endpoints over real HTTP, InitiateOAuth semantics, renewal, one replay after code 190, appsecret_proof,
// state checks, and the errors that say what to do next.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import got from 'got';
import { connect, type Authorize, type TokenStore } from '../../src/core';
import { beginSignIn, PendingSignIns, appSecretProof } from '../../src/core/auth/oauth';
import { FileTokenStore } from '../../src/core/auth/file-store';
import { FLAVOURS } from '../../src/core/auth/flavours';
import { parseRecord } from '../../src/core/auth/record';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { consent } from '../consent';
import { collect, failure } from '../helpers';

const APP_ID = '2222333344445555';
const SECRET = 'login-test-app-secret';
const CALLBACK = 'https://localhost:33333/';

class MemoryStore implements TokenStore {
  readonly map = new Map<string, string>();
  async get(k: string) { return this.map.get(k); }
  async set(k: string, v: string) { this.map.set(k, v); }
  async delete(k: string) { this.map.delete(k); }
}

/** An `authorize` that clicks a button of the sandbox dialog, counting its uses. */
function browser(button = 'allow'): Authorize & { calls: string[] } {
  const calls: string[] = [];
  const f = (async ({ url }: { url: string }) => {
    calls.push(url);
    return consent(url, button);
  }) as unknown as Authorize & { calls: string[] };
  f.calls = calls;
  return f;
}

describe('sign-in: both login flavours against the sandbox', () => {
  let sb: Sandbox;
  before(async () => { sb = await startSandbox({ port: 0, media: 12 }); });
  after(() => sb.close());
  const control = (path: string, json: unknown) => got.post(`${sb.url}/__sandbox/${path}`, { json }).json();
  const graphCalls = () => sb.requests().filter((r) => !/oauth|dialog|access_token|debug_token/.test(r.path));

  test('Facebook: GETANDREFRESH signs in (state, PKCE), stores the record, and every Graph call carries a valid appsecret_proof', async () => {
    sb.clearRequests();
    const store = new MemoryStore();
    const authorize = browser();
    const conn = await connect(`OAuthClientId=${APP_ID};OAuthClientSecret=${SECRET};InitiateOAuth=GETANDREFRESH;ApiBaseURL=${sb.url}`, { tokenStore: store, authorize });
    try {
      const rows = await collect(await conn.query('SELECT Id, Caption FROM Media LIMIT 3'));
      assert.equal(rows.length, 3);
      assert.equal(authorize.calls.length, 1);
      const dialog = new URL(authorize.calls[0]!);
      assert.equal(dialog.searchParams.get('redirect_uri'), CALLBACK, 'the seed\'s default CallbackURL');
      assert.ok((dialog.searchParams.get('state') ?? '').length >= 32, 'a random state');
      assert.equal(dialog.searchParams.get('code_challenge_method'), 'S256');
      const record = parseRecord([...store.map.values()][0])!;
      assert.equal(record.flavour, 'FACEBOOK');
      assert.equal(record.appId, APP_ID);
      assert.ok(record.expiresAt > Date.now() + 50 * 86_400_000, 'long-lived (60 days)');
      assert.ok(record.scopes.includes('instagram_basic'));
      assert.ok(record.userName);
      const calls = graphCalls();
      assert.ok(calls.length >= 2);
      // The request log masks the proof; the sandbox checks each one against the app secret (a wrong proof fails the call).
      for (const c of calls) assert.ok(c.query.appsecret_proof, `${c.path} carries the proof`);
      // The code exchange sent the PKCE verifier.
      assert.ok(sb.requests().some((r) => r.path.endsWith('/oauth/access_token') && r.query.code_verifier));
    } finally {
      await conn.close();
    }
  });

  test('an app that requires appsecret_proof works with the secret, and is refused without it', async () => {
    await control('require-proof', { appId: APP_ID });
    const store = new MemoryStore();
    const withSecret = await connect(`OAuthClientId=${APP_ID};OAuthClientSecret=${SECRET};InitiateOAuth=GETANDREFRESH;ApiBaseURL=${sb.url}`, { tokenStore: store, authorize: browser() });
    assert.equal((await collect(await withSecret.query('SELECT Id FROM Media LIMIT 1'))).length, 1);
    await withSecret.close();
    const token = parseRecord([...store.map.values()][0])!.accessToken;
    const without = await connect(`OAuthAccessToken=${token};ApiBaseURL=${sb.url}`);
    const e = await failure(() => without.query('SELECT Id FROM Media LIMIT 1'));
    await without.close();
    assert.equal(e.code, 'GRAPH_ERROR');
    assert.match(e.message, /appsecret_proof/);
  });

  test('Instagram: Business Login signs in on the /instagram hosts; the account is the user; Media reads; HashtagSearch names the flavour that can', async () => {
    sb.clearRequests();
    const store = new MemoryStore();
    const authorize = browser('allow-1');
    const conn = await connect(`LoginFlavour=INSTAGRAM;OAuthClientId=${APP_ID};OAuthClientSecret=${SECRET};InitiateOAuth=GETANDREFRESH;ApiBaseURL=${sb.url}/instagram`, { tokenStore: store, authorize });
    try {
      const rows = await collect(await conn.query('SELECT Id, BusinessAccountId FROM Media LIMIT 2'));
      assert.equal(rows.length, 2);
      const dialog = new URL(authorize.calls[0]!);
      assert.equal(dialog.pathname, '/instagram/oauth/authorize');
      assert.equal(dialog.searchParams.get('scope'), FLAVOURS.INSTAGRAM.defaultScopes.join(','));
      assert.equal(dialog.searchParams.get('code_challenge'), null, 'the Instagram dialog takes no PKCE challenge');
      const accounts = await conn.businessAccounts();
      const second = Object.keys(sb.summary().accounts)[1]!;
      assert.deepEqual(accounts.map((a) => a.id), [second], 'the account chosen in the dialog, and only it');
      assert.ok(rows.every((r) => r.BusinessAccountId === second));
      const record = parseRecord([...store.map.values()][0])!;
      assert.equal(record.flavour, 'INSTAGRAM');
      assert.match(record.accessToken, /^IGAA/);
      assert.equal(record.userName, `@${sb.summary().accounts[second]!.username}`);
      assert.ok(record.scopes.includes('instagram_business_basic'), 'grants from the code exchange');
      const paths = sb.requests().map((r) => `${r.method} ${r.path}`);
      assert.ok(paths.includes('POST /instagram/oauth/access_token'));
      assert.ok(paths.includes('GET /instagram/access_token'), 'ig_exchange_token');
      assert.ok(sb.requests().every((r) => r.path.startsWith('/instagram/')), 'nothing went to the Facebook host');
      const e = await failure(() => conn.query("SELECT Id FROM HashtagSearch WHERE Name = 'sql'"));
      assert.equal(e.code, 'PERMISSION_DENIED');
      assert.match(e.message, /HashtagSearch is not available with Business Login for Instagram/);
      assert.match(e.message, /LoginFlavour=FACEBOOK/);
    } finally {
      await conn.close();
    }
  });

  test('a Facebook token is refused on the Instagram host and the other way round (each login has its own host)', async () => {
    const fb = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${sb.url}/instagram;LoginFlavour=INSTAGRAM`);
    const e = await failure(() => fb.query('SELECT Id FROM Media LIMIT 1'));
    await fb.close();
    assert.equal(e.code, 'AUTH_REQUIRED');
  });

  test('Instagram renewal uses ig_refresh_token before expiry', async () => {
    await control('lifetimes', { long: 120 });
    try {
      const store = new MemoryStore();
      let skew = 0;
      const props = `LoginFlavour=INSTAGRAM;OAuthClientId=${APP_ID};OAuthClientSecret=${SECRET};InitiateOAuth=GETANDREFRESH;ApiBaseURL=${sb.url}/instagram`;
      const conn = await connect(props, { tokenStore: store, authorize: browser('allow-0'), now: () => Date.now() + skew });
      await collect(await conn.query('SELECT Id FROM Media LIMIT 1'));
      const first = parseRecord([...store.map.values()][0])!;
      sb.clearRequests();
      skew = 90_000; // 30 s left of 120: due for renewal
      await collect(await conn.query('SELECT Id FROM Media WHERE Id = (SELECT Id FROM Media LIMIT 1)'));
      await conn.close();
      const renewed = parseRecord([...store.map.values()][0])!;
      assert.notEqual(renewed.accessToken, first.accessToken);
      assert.equal(sb.requests().filter((r) => r.path === '/instagram/refresh_access_token').length, 1);
    } finally {
      await control('lifetimes', { long: 5183944 });
    }
  });
});

describe('InitiateOAuth, expiry and code 190', () => {
  let sb: Sandbox;
  before(async () => { sb = await startSandbox({ port: 0, media: 8 }); });
  after(() => sb.close());
  const control = (path: string, json: unknown) => got.post(`${sb.url}/__sandbox/${path}`, { json }).json();
  const props = (extra = '') => `OAuthClientId=${APP_ID};OAuthClientSecret=${SECRET};ApiBaseURL=${sb.url}${extra}`;

  test('GETANDREFRESH renews a token close to expiry (fb_exchange_token) and the query succeeds', async () => {
    await control('lifetimes', { long: 60 });
    try {
      const store = new MemoryStore();
      const authorize = browser();
      let skew = 0;
      const conn = await connect(props(';InitiateOAuth=GETANDREFRESH'), { tokenStore: store, authorize, now: () => Date.now() + skew });
      await collect(await conn.query('SELECT Id FROM Media LIMIT 1'));
      const first = parseRecord([...store.map.values()][0])!;
      sb.clearRequests();
      skew = 45_000;
      assert.equal((await collect(await conn.query('SELECT Id FROM Media LIMIT 2'))).length, 2);
      await conn.close();
      assert.equal(authorize.calls.length, 1, 'renewed, not signed in again');
      assert.notEqual(parseRecord([...store.map.values()][0])!.accessToken, first.accessToken);
      assert.ok(sb.requests().some((r) => r.path.endsWith('/oauth/access_token') && r.query.grant_type === 'fb_exchange_token'));
    } finally {
      await control('lifetimes', { long: 5183944 });
    }
  });

  test('GETANDREFRESH with an expired token (cannot be renewed) signs in again and the query succeeds', async () => {
    await control('lifetimes', { long: 1 });
    const store = new MemoryStore();
    const authorize = browser();
    let conn = await connect(props(';InitiateOAuth=GETANDREFRESH'), { tokenStore: store, authorize });
    await collect(await conn.query('SELECT Id FROM Media LIMIT 1')).catch(() => undefined);
    await conn.close();
    await control('lifetimes', { long: 5183944 });
    await new Promise((r) => setTimeout(r, 1200));
    assert.ok(parseRecord([...store.map.values()][0])!.expiresAt < Date.now(), 'the stored token has expired');
    conn = await connect(props(';InitiateOAuth=GETANDREFRESH'), { tokenStore: store, authorize });
    assert.equal((await collect(await conn.query('SELECT Id FROM Media LIMIT 1'))).length, 1);
    await conn.close();
    assert.equal(authorize.calls.length, 2);
  });

  test('OFF with an expired token: the error says the token expired and what to do, and nothing is renewed', async () => {
    const expired = (await got.post(`${sb.url}/__sandbox/tokens`, { json: { scopes: ['instagram_basic', 'pages_show_list'], expiresIn: -10 } }).json<{ access_token: string }>()).access_token;
    sb.clearRequests();
    const conn = await connect(props(`;OAuthAccessToken=${expired}`));
    const e = await failure(() => conn.query('SELECT Id FROM Media LIMIT 1'));
    await conn.close();
    assert.equal(e.code, 'TOKEN_EXPIRED');
    assert.match(e.message, /Sign in again: .*igsql login/);
    assert.ok(!sb.requests().some((r) => /access_token/.test(r.path)), 'OFF never renews');
  });

  test('REFRESH with no stored token: AUTH_REQUIRED saying how to sign in; OFF with nothing: AUTH_REQUIRED naming OAuthAccessToken', async () => {
    const refresh = await connect(props(';InitiateOAuth=REFRESH'), { tokenStore: new MemoryStore(), authorize: browser() });
    const e = await failure(() => refresh.query('SELECT Id FROM Media LIMIT 1'));
    await refresh.close();
    assert.equal(e.code, 'AUTH_REQUIRED');
    assert.match(e.message, /REFRESH only renews.*igsql login/);
    const off = await connect(props(), { tokenStore: new MemoryStore() });
    const e2 = await failure(() => off.query('SELECT Id FROM Media LIMIT 1'));
    await off.close();
    assert.equal(e2.code, 'AUTH_REQUIRED');
    assert.match(e2.message, /OAuthAccessToken.*GETANDREFRESH/);
  });

  test('code 190 during a read: renewed once and the read replayed (REFRESH); with OFF the 190 is the answer', async () => {
    const store = new MemoryStore();
    const setup = await connect(props(';InitiateOAuth=GETANDREFRESH'), { tokenStore: store, authorize: browser() });
    await collect(await setup.query('SELECT Id FROM Media LIMIT 1'));
    await setup.close();
    const conn = await connect(props(';InitiateOAuth=REFRESH'), { tokenStore: store });
    await conn.businessAccounts();
    sb.clearRequests();
    await control('faults', { method: 'GET', path: '/media$', times: 1, kind: 'error', status: 400, code: 190 });
    const rows = await collect(await conn.query('SELECT Id FROM Media LIMIT 2'));
    await conn.close();
    assert.equal(rows.length, 2);
    const log = sb.requests().map((r) => `${r.method} ${r.path.replace(/^\/v[\d.]+/, '')}${r.query.grant_type ? ` ${r.query.grant_type}` : ''}`);
    assert.equal(log.filter((l) => l.endsWith('/media')).length, 2, `the read was replayed once: ${log.join(', ')}`);
    assert.equal(log.filter((l) => l.includes('fb_exchange_token')).length, 1);

    const token = parseRecord([...store.map.values()][0])!.accessToken;
    const off = await connect(`OAuthAccessToken=${token};ApiBaseURL=${sb.url}`);
    await off.businessAccounts();
    await control('faults', { method: 'GET', path: '/media$', times: 1, kind: 'error', status: 400, code: 190 });
    const e = await failure(() => off.query('SELECT Id FROM Media LIMIT 2'));
    await off.close();
    assert.equal(e.code, 'AUTH_REQUIRED');
  });

  test('a revoked permission: PERMISSION_DENIED naming the scope', async () => {
    const store = new MemoryStore();
    const conn = await connect(props(';InitiateOAuth=GETANDREFRESH'), { tokenStore: store, authorize: browser() });
    await conn.businessAccounts();
    const token = parseRecord([...store.map.values()][0])!.accessToken;
    const del = await got.delete(`${sb.url}/v24.0/me/permissions/instagram_manage_insights`, { searchParams: { access_token: token, appsecret_proof: appSecretProof(token, SECRET) } }).json<{ success: boolean }>();
    assert.equal(del.success, true);
    const e = await failure(() => conn.query("SELECT * FROM MediaInsights WHERE MediaId = (SELECT Id FROM Media WHERE MediaProductType = 'FEED' LIMIT 1)"));
    await conn.close();
    assert.equal(e.code, 'PERMISSION_DENIED');
    assert.deepEqual(e.details.scopes, ['instagram_manage_insights']);
    assert.match(e.message, /instagram_manage_insights/);
  });

  test('a user who shares no Page with an Instagram account: the error says how to link one', async () => {
    const conn = await connect(props(';InitiateOAuth=GETANDREFRESH'), { tokenStore: new MemoryStore(), authorize: browser('allow-no-pages') });
    const e = await failure(() => conn.query('SELECT Id FROM Media LIMIT 1'));
    await conn.close();
    assert.equal(e.code, 'NOT_FOUND');
    assert.match(e.message, /no Instagram professional account: link an Instagram professional account to a Facebook Page/);
  });
});

describe('state checks and the token file', () => {
  const app = { flavour: FLAVOURS.FACEBOOK, appId: APP_ID, appSecret: SECRET, apiBaseUrl: 'http://127.0.0.1:1', version: 'v24.0' };

  test('a redirect with another state is refused; a replayed redirect is refused; a cancelled sign-in says so', () => {
    const pending = new PendingSignIns();
    const p = beginSignIn(app, CALLBACK, []);
    pending.add(p);
    assert.throws(() => pending.take(`${CALLBACK}?code=abc&state=someone-else`), (e: any) => e.code === 'AUTH_REQUIRED' && /does not answer a sign-in started here/.test(e.message));
    const ok = pending.take(`${CALLBACK}?code=abc&state=${p.state}#_=_`);
    assert.equal(ok.code, 'abc');
    assert.throws(() => pending.take(`${CALLBACK}?code=abc&state=${p.state}`), (e: any) => e.code === 'AUTH_REQUIRED' && /already used/.test(e.message));
    const q = beginSignIn(app, CALLBACK, []);
    pending.add(q);
    assert.throws(() => pending.take(`${CALLBACK}?error=access_denied&error_description=Permissions+error&state=${q.state}`), (e: any) => /not completed: Permissions error/.test(e.message));
    assert.notEqual(p.state, q.state);
  });

  test('a sign-in answered after 5 minutes is refused', () => {
    let now = 0;
    const pending = new PendingSignIns(() => now);
    const p = beginSignIn({ ...app, now: () => now }, CALLBACK, []);
    pending.add(p);
    now = 5 * 60_000 + 1;
    assert.throws(() => pending.take(`${CALLBACK}?code=x&state=${p.state}`), /more than 5 minutes/);
  });

  test('FileTokenStore: mode 0600, the documented format, tightened again if loosened', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'igsql-store-'));
    const path = join(dir, 'sub', 'tokens.json');
    const store = new FileTokenStore(path);
    await store.set('k1', '{"v":1}');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(path, 'utf8')), { version: 1, tokens: { k1: '{"v":1}' } });
    const { chmodSync } = await import('node:fs');
    chmodSync(path, 0o644);
    await store.set('k2', 'x');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    await store.delete('k1');
    assert.deepEqual(await store.keys(), ['k2']);
  });
});
