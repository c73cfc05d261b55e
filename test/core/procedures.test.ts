import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import got from 'got';
import { connect, redact, type TokenStore } from '../../src/core';
import { collect, failure, rig, type Rig } from '../helpers';

const APP_ID = '1234567890123456';
const APP_SECRET = 'app-secret-value-42';
const CALLBACK = 'http://127.0.0.1:9/callback';
const appProps = `OAuthClientId=${APP_ID};OAuthClientSecret=${APP_SECRET};CallbackURL=${CALLBACK}`;

class MemoryStore implements TokenStore {
  readonly map = new Map<string, string>();
  async get(key: string) { return this.map.get(key); }
  async set(key: string, value: string) { this.map.set(key, value); }
  async delete(key: string) { this.map.delete(key); }
}

/** Plays the user: opens the dialog, clicks Allow, returns the redirect Facebook would send to the callback. */
async function allow(authUrl: string): Promise<URL> {
  const dialog = await got(authUrl, { throwHttpErrors: false });
  assert.equal(dialog.statusCode, 200, dialog.body);
  const href = /id="allow" href="([^"]+)"/.exec(dialog.body)?.[1]?.replace(/&amp;/g, '&').replace(/&#38;/g, '&');
  assert.ok(href, 'the consent page has an Allow link');
  const res = await got(new URL(href, authUrl).toString(), { followRedirect: false, throwHttpErrors: false });
  assert.equal(res.statusCode, 302);
  return new URL(res.headers.location!);
}

describe('stored procedures: registry and EXEC syntax', () => {
  let r: Rig;
  before(async () => { r = await rig({ media: 20 }, appProps); });
  after(() => r.close());

  test('procedures() lists the four procedures of DATA-MODEL.md with their parameters', () => {
    const procs = r.conn.procedures();
    assert.deepEqual(procs.map((p) => p.name), ['GetOAuthAuthorizationURL', 'GetOAuthAccessToken', 'RefreshOAuthAccessToken', 'PublishMedia']);
    const token = procs.find((p) => p.name === 'GetOAuthAccessToken')!;
    assert.deepEqual(token.parameters.filter((p) => p.direction === 'in').map((p) => p.name), ['AuthMode', 'Verifier', 'CallbackURL', 'Scope', 'State']);
    assert.deepEqual(token.parameters.filter((p) => p.direction === 'out').map((p) => p.name), ['OAuthAccessToken', 'ExpiresIn']);
    assert.equal(token.parameters.find((p) => p.name === 'Verifier')!.required, true);
    const publish = procs.find((p) => p.name === 'PublishMedia')!;
    assert.ok(['ImageUrl', 'VideoUrl', 'Caption', 'MediaType', 'BusinessAccountId'].every((n) => publish.parameters.some((p) => p.name === n && p.direction === 'in')));
    assert.ok(publish.parameters.some((p) => p.name === 'MediaId' && p.direction === 'out'));
  });

  test('EXEC with @Name = literal, EXECUTE without @, and bound @params / ? give the same URL', async () => {
    const a = await r.rows("EXEC GetOAuthAuthorizationURL @CallbackURL = 'https://example.com/cb', @State = 'xyz', @Scope = 'instagram_basic'");
    const b = await r.rows("execute GetOAuthAuthorizationURL CallbackURL='https://example.com/cb', State='xyz', Scope='instagram_basic';");
    const c = await r.rows('EXEC GetOAuthAuthorizationURL @CallbackURL = @cb, @State = @s, @Scope = @scope', { cb: 'https://example.com/cb', s: 'xyz', scope: 'instagram_basic' });
    const d = await r.rows('EXEC GetOAuthAuthorizationURL CallbackURL = ?, State = ?, Scope = ?', ['https://example.com/cb', 'xyz', 'instagram_basic']);
    assert.equal(a.length, 1);
    assert.deepEqual(Object.keys(a[0]!), ['URL']);
    assert.deepEqual(b, a);
    assert.deepEqual(c, a);
    assert.deepEqual(d, a);
    assert.equal(new URL(a[0]!.URL as string).searchParams.get('state'), 'xyz');
  });

  test('a quoted string keeps doubled quotes and semicolons; a number is accepted for a String parameter', async () => {
    const [row] = await r.rows("EXEC GetOAuthAuthorizationURL @State = 'it''s; fine', @CallbackURL = 'https://example.com/cb'");
    assert.equal(new URL(row!.URL as string).searchParams.get('state'), "it's; fine");
    const [n] = await r.rows("EXEC GetOAuthAuthorizationURL @State = 42, @CallbackURL = 'https://example.com/cb'");
    assert.equal(new URL(n!.URL as string).searchParams.get('state'), '42');
  });

  test('the result is a normal QueryResult: typed columns, rows, stats', async () => {
    const res = await r.conn.query("EXEC GetOAuthAuthorizationURL @CallbackURL = 'https://example.com/cb'");
    assert.deepEqual(res.columns, [{ name: 'URL', type: 'String' }]);
    const rows = await collect(res);
    assert.equal(rows.length, 1);
    assert.equal(res.stats.rows, 1);
    assert.equal(res.stats.apiCalls, 0, 'building the URL calls no Graph endpoint');
    assert.equal(res.changes(), 0);
  });

  test('an unknown procedure names the nearest one and lists every procedure', async () => {
    const e = await failure(() => r.conn.query('EXEC GetOAuthAccesToken @Verifier = 1'));
    assert.equal(e.code, 'UNKNOWN_PROCEDURE');
    assert.match(e.message, /Did you mean 'GetOAuthAccessToken'/);
    for (const p of ['GetOAuthAuthorizationURL', 'GetOAuthAccessToken', 'RefreshOAuthAccessToken', 'PublishMedia']) assert.ok(e.message.includes(p), e.message);
    assert.equal((e.details.suggestions as string[])[0], 'GetOAuthAccessToken');
    assert.equal(e.details.line, 1);
    assert.equal(e.details.column, 6);
  });

  test('an unknown parameter names the valid parameters; a missing required one names it', async () => {
    const e = await failure(() => r.conn.query("EXEC GetOAuthAccessToken @Verifer = 'abc'"));
    assert.equal(e.code, 'INVALID_VALUE');
    assert.match(e.message, /no parameter 'Verifer'/);
    assert.match(e.message, /Did you mean 'Verifier'/);
    for (const p of ['AuthMode', 'Verifier (required)', 'CallbackURL', 'Scope', 'State']) assert.ok(e.message.includes(p), e.message);
    const m = await failure(() => r.conn.query("EXEC GetOAuthAccessToken @AuthMode = 'WEB'"));
    assert.equal(m.code, 'INVALID_VALUE');
    assert.match(m.message, /needs Verifier/);
    const v = await failure(() => r.conn.query("EXEC GetOAuthAccessToken @AuthMode = 'BROWSER', @Verifier = 'x'"));
    assert.equal(v.code, 'INVALID_VALUE');
    assert.match(v.message, /AuthMode must be one of APP, WEB/);
    const twice = await failure(() => r.conn.query("EXEC GetOAuthAuthorizationURL @State = 'a', State = 'b'"));
    assert.equal(twice.code, 'INVALID_VALUE');
    assert.match(twice.message, /State is given twice/);
  });

  test('syntax errors are SQL_SYNTAX with line and column', async () => {
    const e = await failure(() => r.conn.query("\nEXEC GetOAuthAuthorizationURL @State 'x'"));
    assert.equal(e.code, 'SQL_SYNTAX');
    assert.match(e.message, /Expected '=' after the parameter name State/);
    assert.equal(e.details.line, 2);
    assert.equal(e.details.column, 38);
    const bare = await failure(() => r.conn.query('EXEC GetOAuthAuthorizationURL @State = hello'));
    assert.equal(bare.code, 'SQL_SYNTAX');
    assert.match(bare.message, /single quotes/);
    const noName = await failure(() => r.conn.query('EXEC'));
    assert.equal(noName.code, 'SQL_SYNTAX');
    const comma = await failure(() => r.conn.query("EXEC GetOAuthAuthorizationURL @State = 'a' @Scope = 'b'"));
    assert.equal(comma.code, 'SQL_SYNTAX');
    assert.match(comma.message, /Expected ','/);
  });

  test('EXEC mixed with other statements is refused with its position; a missing bound value is named', async () => {
    const e = await failure(() => r.conn.query("SELECT 1; EXEC GetOAuthAuthorizationURL @State = 'x'"));
    assert.equal(e.code, 'SQL_SYNTAX');
    assert.match(e.message, /only statement/);
    assert.equal(e.details.column, 11);
    const p = await failure(() => r.conn.query('EXEC GetOAuthAuthorizationURL @State = @missing', { other: 1 }));
    assert.equal(p.code, 'INVALID_VALUE');
    assert.match(p.message, /@missing has no value/);
  });

  test('the log redacts secret EXEC arguments however they are written', () => {
    assert.equal(redact("EXEC GetOAuthAccessToken @Verifier = 'AQx''y', @State = 's'"), "EXEC GetOAuthAccessToken @Verifier = ***, @State = 's'");
    assert.equal(redact('EXECUTE RefreshOAuthAccessToken OAuthAccessToken=EAAabc123'), 'EXECUTE RefreshOAuthAccessToken OAuthAccessToken=***');
    assert.equal(redact('OAuthClientSecret="s;x";OAuthClientId=1'), 'OAuthClientSecret=***;OAuthClientId=1');
  });

  test('ordinary SQL still runs (the EXEC hook only takes EXEC statements)', async () => {
    const rows = await r.rows("SELECT 'EXEC' AS x");
    assert.deepEqual(rows, [{ x: 'EXEC' }]);
  });
});

describe('GetOAuthAuthorizationURL', () => {
  test('on the public Graph host it points at www.facebook.com/{version}/dialog/oauth with every parameter', async () => {
    const conn = await connect(`OAuthClientId=${APP_ID};CallbackURL=https://example.com/cb;ApiVersion=v23.0`);
    try {
      const [row] = await collect(await conn.query("EXEC GetOAuthAuthorizationURL @State = 's1', @Scope = 'instagram_basic, pages_show_list'"));
      const u = new URL(row!.URL as string);
      assert.equal(u.origin + u.pathname, 'https://www.facebook.com/v23.0/dialog/oauth');
      assert.deepEqual(Object.fromEntries(u.searchParams), {
        client_id: APP_ID, redirect_uri: 'https://example.com/cb', state: 's1', scope: 'instagram_basic,pages_show_list', response_type: 'code',
      });
    } finally {
      await conn.close();
    }
  });

  test('without OAuthClientId it fails naming the property; without a callback it names CallbackURL', async () => {
    const conn = await connect('CallbackURL=https://example.com/cb');
    const noCb = await connect(`OAuthClientId=${APP_ID}`);
    try {
      const e = await failure(() => conn.query('EXEC GetOAuthAuthorizationURL'));
      assert.equal(e.code, 'INVALID_PROPERTY');
      assert.match(e.message, /OAuthClientId/);
      const c = await failure(() => noCb.query('EXEC GetOAuthAuthorizationURL'));
      assert.equal(c.code, 'INVALID_VALUE');
      assert.match(c.message, /CallbackURL/);
    } finally {
      await conn.close();
      await noCb.close();
    }
  });
});

describe('OAuth code flow against the sandbox', () => {
  let r: Rig;
  before(async () => { r = await rig({ media: 20 }, appProps); });
  after(() => r.close());

  test("the authorization URL is the sandbox's dialog with every parameter, defaults from the connection", async () => {
    const [row] = await r.rows("EXEC GetOAuthAuthorizationURL @State = 'st-1'");
    const u = new URL(row!.URL as string);
    assert.equal(u.origin + u.pathname, `${r.sandbox.url}/dialog/oauth`);
    assert.equal(u.searchParams.get('client_id'), APP_ID);
    assert.equal(u.searchParams.get('redirect_uri'), CALLBACK);
    assert.equal(u.searchParams.get('state'), 'st-1');
    assert.equal(u.searchParams.get('response_type'), 'code');
    assert.ok(u.searchParams.get('scope')!.split(',').includes('instagram_basic'));
    const page = await got(u.toString(), { throwHttpErrors: false });
    assert.equal(page.statusCode, 200, 'the sandbox accepts every parameter of the URL');
  });

  test('the full flow: URL → consent → code → GetOAuthAccessToken → a token that reads Media; the code is single-use', async () => {
    const [row] = await r.rows("EXEC GetOAuthAuthorizationURL @State = 'flow-1', @Scope = 'instagram_basic,pages_show_list,business_management'");
    const redirect = await allow(row!.URL as string);
    assert.equal(redirect.origin + redirect.pathname, CALLBACK);
    assert.equal(redirect.searchParams.get('state'), 'flow-1');
    const code = redirect.searchParams.get('code')!;
    assert.ok(code);

    r.clear();
    const res = await r.conn.query('EXEC GetOAuthAccessToken @AuthMode = @mode, @Verifier = @code, @State = @state', { mode: 'WEB', code, state: 'flow-1' });
    const [tok] = await collect(res);
    assert.deepEqual(res.columns, [{ name: 'OAuthAccessToken', type: 'String' }, { name: 'ExpiresIn', type: 'Integer' }]);
    assert.match(tok!.OAuthAccessToken as string, /^EAA/);
    assert.ok((tok!.ExpiresIn as number) > 86400);
    const ex = r.requests();
    assert.equal(ex.length, 1);
    assert.equal(ex[0]!.route, '/oauth/access_token');
    assert.equal(res.stats.apiCalls, 1);
    // The sandbox's log masks secrets (client_secret, code): their presence is what can be checked.
    assert.deepEqual(Object.keys(ex[0]!.query).sort(), ['client_id', 'client_secret', 'code', 'redirect_uri']);
    assert.equal(ex[0]!.query.client_id, APP_ID);
    assert.equal(ex[0]!.query.redirect_uri, CALLBACK);

    const user = await connect(`OAuthAccessToken=${tok!.OAuthAccessToken};ApiBaseURL=${r.sandbox.url}`);
    try {
      const media = await collect(await user.query('SELECT * FROM Media LIMIT 1'));
      assert.equal(media.length, 1);
      assert.ok(media[0]!.Id);
    } finally {
      await user.close();
    }

    const again = await failure(() => r.conn.query('EXEC GetOAuthAccessToken @Verifier = ?', [code]));
    assert.equal(again.code, 'AUTH_REQUIRED');
    assert.match(again.message, /already been used/);
    assert.match(again.message, /GetOAuthAuthorizationURL/);
  });

  test('the pasted redirect URL works as Verifier, and its state is checked', async () => {
    const [row] = await r.rows("EXEC GetOAuthAuthorizationURL @State = 'paste'");
    const redirect = await allow(row!.URL as string);
    const wrong = await failure(() => r.conn.query("EXEC GetOAuthAccessToken @Verifier = ?, @State = 'other'", [redirect.toString()]));
    assert.equal(wrong.code, 'AUTH_REQUIRED');
    assert.match(wrong.message, /state/);
    const [tok] = await r.rows("EXEC GetOAuthAccessToken @Verifier = ?, @State = 'paste'", [redirect.toString()]);
    assert.match(tok!.OAuthAccessToken as string, /^EAA/);
  });

  test('a code exchanged with another CallbackURL is refused with a message about the redirect URI', async () => {
    const [row] = await r.rows("EXEC GetOAuthAuthorizationURL @CallbackURL = 'http://127.0.0.1:9/other'");
    const code = (await allow(row!.URL as string)).searchParams.get('code')!;
    const e = await failure(() => r.conn.query('EXEC GetOAuthAccessToken @Verifier = ?', [code]));
    assert.equal(e.code, 'INVALID_VALUE');
    assert.match(e.message, /CallbackURL must be exactly the redirect URI/);
  });

  test('an unknown code is refused clearly', async () => {
    const e = await failure(() => r.conn.query("EXEC GetOAuthAccessToken @Verifier = 'AQnot-a-real-code'"));
    assert.equal(e.code, 'AUTH_REQUIRED');
    assert.match(e.message, /authorization code/);
  });

  test('RefreshOAuthAccessToken exchanges the given token, or the connection\'s, for a new working one', async () => {
    r.clear();
    const [fresh] = await r.rows("EXEC RefreshOAuthAccessToken @OAuthAccessToken = 'sandbox'");
    assert.match(fresh!.OAuthAccessToken as string, /^EAA/);
    assert.ok((fresh!.ExpiresIn as number) > 86400);
    const req = r.requests();
    assert.equal(req.length, 1);
    assert.equal(req[0]!.route, '/oauth/access_token');
    assert.equal(req[0]!.query.grant_type, 'fb_exchange_token');
    assert.ok(req[0]!.query.fb_exchange_token, 'the token to exchange is sent (masked in the log)');
    assert.equal(req[0]!.query.client_id, APP_ID);

    const [again] = await r.rows('EXEC RefreshOAuthAccessToken');
    assert.match(again!.OAuthAccessToken as string, /^EAA/, "the connection's token by default");
    assert.notEqual(again!.OAuthAccessToken, fresh!.OAuthAccessToken);

    const user = await connect(`OAuthAccessToken=${fresh!.OAuthAccessToken};ApiBaseURL=${r.sandbox.url}`);
    try {
      assert.equal((await collect(await user.query('SELECT Id FROM Media LIMIT 1'))).length, 1);
    } finally {
      await user.close();
    }
    const bad = await failure(() => r.conn.query("EXEC RefreshOAuthAccessToken @OAuthAccessToken = 'not-a-token'"));
    assert.equal(bad.code, 'AUTH_REQUIRED');
  });
});

describe('OAuth procedures and the connection', () => {
  let r: Rig;
  before(async () => { r = await rig({ media: 10 }); });
  after(() => r.close());

  test('without OAuthClientSecret the exchange fails naming the property, before any request', async () => {
    const conn = await connect(`OAuthClientId=${APP_ID};CallbackURL=${CALLBACK};ApiBaseURL=${r.sandbox.url}`);
    try {
      r.clear();
      const e = await failure(() => conn.query("EXEC GetOAuthAccessToken @Verifier = 'abc'"));
      assert.equal(e.code, 'INVALID_PROPERTY');
      assert.match(e.message, /OAuthClientSecret/);
      assert.doesNotMatch(e.message, /OAuthClientId and/);
      const both = await connect(`ApiBaseURL=${r.sandbox.url}`);
      const e2 = await failure(() => both.query("EXEC RefreshOAuthAccessToken @OAuthAccessToken = 'sandbox'"));
      await both.close();
      assert.equal(e2.code, 'INVALID_PROPERTY');
      assert.match(e2.message, /OAuthClientId and OAuthClientSecret/);
      const tokenless = await connect(`${appProps};ApiBaseURL=${r.sandbox.url}`);
      const e3 = await failure(() => tokenless.query('EXEC RefreshOAuthAccessToken'));
      await tokenless.close();
      assert.equal(e3.code, 'AUTH_REQUIRED');
      assert.match(e3.message, /no token to exchange/);
      assert.equal(r.requests().length, 0);
    } finally {
      await conn.close();
    }
  });

  test('a connection without a token signs in with EXEC: the token goes to the token store and the connection uses it; the log never shows it', async () => {
    const store = new MemoryStore();
    const lines: string[] = [];
    const conn = await connect(`${appProps};ApiBaseURL=${r.sandbox.url};Verbosity=5`, { tokenStore: store, logger: { log: (_l, m) => lines.push(m) } });
    try {
      const before = await failure(() => conn.query('SELECT Id FROM Media LIMIT 1'));
      assert.equal(before.code, 'AUTH_REQUIRED');
      const [row] = await collect(await conn.query("EXEC GetOAuthAuthorizationURL @State = 's'"));
      const code = (await allow(row!.URL as string)).searchParams.get('code')!;
      // Literals, not bound values: the SQL text itself is logged, and must not show the code or a token.
      const res = await conn.query(`EXEC GetOAuthAccessToken @AuthMode = 'APP', @Verifier = '${code}'`);
      const [tok] = await collect(res);
      const token = tok!.OAuthAccessToken as string;
      assert.equal([...store.map.values()][0], token);
      assert.ok(res.stats.notes.some((n) => /token store/.test(n)), JSON.stringify(res.stats.notes));
      const media = await collect(await conn.query('SELECT Id FROM Media LIMIT 1'));
      assert.equal(media.length, 1);
      const [fresh] = await collect(await conn.query(`EXECUTE RefreshOAuthAccessToken OAuthAccessToken = '${token}'`));
      assert.notEqual(fresh!.OAuthAccessToken, token);
      assert.equal([...store.map.values()][0], fresh!.OAuthAccessToken);
      assert.equal((await collect(await conn.query('SELECT Id FROM Media LIMIT 1'))).length, 1, 'the refreshed token works');

      const log = lines.join('\n');
      assert.ok(log.includes('oauth/access_token'), 'the exchange is logged');
      assert.ok(log.includes('EXEC GetOAuthAccessToken') && log.includes('RefreshOAuthAccessToken OAuthAccessToken = ***'), 'the statements are logged, redacted');
      for (const secret of [token, fresh!.OAuthAccessToken as string, code, APP_SECRET]) assert.ok(!log.includes(secret), `a secret leaked into the log: ${secret.slice(0, 6)}…`);
    } finally {
      await conn.close();
    }
  });
});

describe('PublishMedia', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 20 });
    account = (await r.conn.businessAccounts())[0]!.id;
  });
  after(() => r.close());

  test('publishes an image: container → status polls → one media_publish; the new media is then in Media', async () => {
    r.clear();
    const res = await r.conn.query("EXEC PublishMedia @ImageUrl = 'https://example.com/photo.jpg', @Caption = 'Hello from igsql #sql', @BusinessAccountId = ?", [account]);
    const [row] = await collect(res);
    const mediaId = row!.MediaId as string;
    const containerId = row!.ContainerId as string;
    assert.ok(mediaId && containerId && mediaId !== containerId);
    const log = r.requests();
    const shape = log.map((q) => `${q.method} ${q.route}`);
    assert.equal(shape[0], `POST /${account}/media`);
    assert.equal(log[0]!.query.image_url, 'https://example.com/photo.jpg');
    assert.equal(log[0]!.query.caption, 'Hello from igsql #sql');
    assert.equal(log[0]!.query.media_type, undefined, 'a single image is sent without media_type');
    const polls = shape.slice(1, -1);
    assert.ok(polls.length >= 1 && polls.every((s) => s === `GET /${containerId}`), shape.join('\n'));
    assert.ok(log.slice(1, -1).every((q) => /status_code/.test(q.query.fields ?? '')));
    assert.equal(shape.at(-1), `POST /${account}/media_publish`);
    assert.equal(log.at(-1)!.query.creation_id, containerId);
    assert.equal(shape.filter((s) => s.endsWith('/media_publish')).length, 1, 'exactly one publish POST');
    assert.equal(res.stats.apiCalls, log.length, 'every call is counted in the statement stats');

    const [media] = await r.rows('SELECT Id, Caption, MediaType FROM Media WHERE Id = @id', { id: mediaId });
    assert.equal(media!.Id, mediaId);
    assert.equal(media!.Caption, 'Hello from igsql #sql');
    assert.equal(media!.MediaType, 'IMAGE');
  });

  test('publishes a reel from VideoUrl (MediaType REELS by default)', async () => {
    r.clear();
    const [row] = await r.rows(`EXEC PublishMedia VideoUrl = 'https://example.com/clip.mp4', Caption = 'reel', ShareToFeed = 'true', BusinessAccountId = '${account}'`);
    assert.ok(row!.MediaId);
    const create = r.requests()[0]!;
    assert.equal(create.query.media_type, 'REELS');
    assert.equal(create.query.video_url, 'https://example.com/clip.mp4');
    assert.equal(create.query.share_to_feed, 'true');
    const [media] = await r.rows('SELECT MediaProductType FROM Media WHERE Id = ?', [row!.MediaId]);
    assert.equal(media!.MediaProductType, 'REELS');
  });

  test('a container that fails processing is reported with its status and never published', async () => {
    r.clear();
    const e = await failure(() => r.conn.query("EXEC PublishMedia @ImageUrl = 'https://example.com/error.jpg', @BusinessAccountId = ?", [account]));
    assert.equal(e.code, 'GRAPH_ERROR');
    assert.match(e.message, /ERROR/);
    assert.match(e.message, /2207026/, "Graph's status text is in the message");
    assert.ok(!r.requests().some((q) => q.route.endsWith('/media_publish')));
  });

  test('an account id the token does not see is named as the missing thing, with the accounts it sees; nothing is published', async () => {
    r.clear();
    const e = await failure(() => r.conn.query("EXEC PublishMedia @ImageUrl = 'https://example.com/a.jpg', @Caption = 'Hello', @BusinessAccountId = '1784'"));
    assert.equal(e.code, 'NOT_FOUND');
    assert.match(e.message, /1784 is not an Instagram business account this token can publish to/);
    assert.ok(e.message.includes(account), 'lists the accounts the token sees');
    assert.doesNotMatch(e.message, /media container/);
    assert.ok(!r.requests().some((q) => q.route.endsWith('/media_publish')));
  });

  test('bad arguments are refused before any request', async () => {
    r.clear();
    const both = await failure(() => r.conn.query("EXEC PublishMedia @ImageUrl = 'https://a/x.jpg', @VideoUrl = 'https://a/x.mp4', @BusinessAccountId = '1'"));
    assert.equal(both.code, 'INVALID_VALUE');
    const none = await failure(() => r.conn.query("EXEC PublishMedia @Caption = 'x'"));
    assert.equal(none.code, 'INVALID_VALUE');
    assert.match(none.message, /ImageUrl/);
    const type = await failure(() => r.conn.query("EXEC PublishMedia @ImageUrl = 'https://a/x.jpg', @MediaType = 'CAROUSEL'"));
    assert.equal(type.code, 'INVALID_VALUE');
    assert.match(type.message, /IMAGE, REELS, STORIES/);
    const reel = await failure(() => r.conn.query("EXEC PublishMedia @ImageUrl = 'https://a/x.jpg', @MediaType = 'reels'"));
    assert.equal(reel.code, 'INVALID_VALUE');
    assert.match(reel.message, /REELS needs VideoUrl/);
    // Caption limits (2200 characters, 30 hashtags, 20 @ tags) are checked before the container is created.
    const captions: Array<[string, RegExp]> = [
      ['x'.repeat(2201), /Caption is 2201 characters.*at most 2200.*Nothing was sent/],
      [Array.from({ length: 31 }, (_, i) => `#tag${i}`).join(' '), /Caption has 31 hashtags.*at most 30/],
      [Array.from({ length: 21 }, (_, i) => `@friend${i}`).join(' '), /Caption has 21 @ tags.*at most 20/],
    ];
    for (const [caption, re] of captions) {
      const e = await failure(() => r.conn.query('EXEC PublishMedia @ImageUrl = ?, @Caption = ?, @BusinessAccountId = ?', ['https://example.com/p.jpg', caption, account]));
      assert.equal(e.code, 'INVALID_VALUE');
      assert.match(e.message, re);
    }
    assert.equal(r.requests().length, 0);
  });

  test('with several accounts and no BusinessAccountId it asks which one, listing them, and publishes nothing', async () => {
    r.clear();
    const e = await failure(() => r.conn.query("EXEC PublishMedia @ImageUrl = 'https://example.com/p.jpg'"));
    assert.equal(e.code, 'INVALID_VALUE');
    assert.match(e.message, /BusinessAccountId/);
    assert.ok(e.message.includes(account), e.message);
    assert.ok(!r.requests().some((q) => q.method === 'POST'));
  });

  test('cancelling while the container is processing stops polling and publishes nothing', async () => {
    r.clear();
    const ac = new AbortController();
    let abortedAt = 0;
    // Abort once the sandbox has answered the first status poll: the procedure is then waiting to poll again.
    const timer = setInterval(() => {
      if (r.requests().some((q) => q.method === 'GET')) {
        clearInterval(timer);
        abortedAt = Date.now();
        ac.abort();
      }
    }, 5);
    const e = await failure(() => r.conn.query("EXEC PublishMedia @ImageUrl = 'https://example.com/c.jpg', @BusinessAccountId = ?", [account], { signal: ac.signal }));
    clearInterval(timer);
    assert.equal(e.code, 'CANCELLED');
    assert.ok(abortedAt > 0 && Date.now() - abortedAt < 200, 'the wait between polls ends at once');
    const log = r.requests();
    assert.equal(log[0]!.route, `/${account}/media`);
    assert.ok(!log.some((q) => q.route.endsWith('/media_publish')));
  });
});
