// The OAuth code flow of DESIGN §6: consent page → Allow → redirect with code and state → code exchange
// (single use, redirect_uri must match) → token that works; fb_exchange_token and debug_token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, V, type Harness } from './helpers';

describe('sandbox: OAuth', () => {
  let h: Harness;
  before(async () => { h = await harness({ media: 10 }); });
  after(async () => { await h.sb.close(); });

  const redirect = 'http://127.0.0.1:5555/callback';
  const dialogParams = { client_id: '111', redirect_uri: redirect, state: 'xyz-123', scope: 'instagram_basic,pages_show_list', response_type: 'code' };

  async function authorize(): Promise<string> {
    const page = await h.api.get(`${V}/dialog/oauth`, { searchParams: dialogParams });
    assert.equal(page.statusCode, 200);
    assert.match(page.headers['content-type']!, /text\/html/);
    assert.match(page.body, /instagram_basic/);
    const allow = /href="([^"]*\/dialog\/oauth\/allow[^"]*)"/.exec(page.body)![1]!.replace(/&amp;/g, '&').replace(/&#38;/g, '&');
    const r = await h.api.get(allow.replace(/^\//, ''));
    assert.equal(r.statusCode, 302);
    const loc = new URL(r.headers.location!);
    assert.equal(`${loc.origin}${loc.pathname}`, redirect);
    assert.equal(loc.searchParams.get('state'), 'xyz-123');
    return loc.searchParams.get('code')!;
  }

  const exchange = (code: string, redirectUri = redirect) =>
    h.api.get(`${V}/oauth/access_token`, { searchParams: { client_id: '111', client_secret: 's3cret', redirect_uri: redirectUri, code } }).then((r) => ({ status: r.statusCode, body: JSON.parse(r.body) }));

  it('code → token (once); the token carries the granted scopes', async () => {
    const code = await authorize();
    const t = await exchange(code);
    assert.equal(t.status, 200, JSON.stringify(t.body));
    assert.equal(t.body.token_type, 'bearer');
    assert.equal(t.body.expires_in, 5183944);
    const perms = await h.get(`${V}/me/permissions`, { access_token: t.body.access_token });
    assert.deepEqual(perms.body.data.map((p: any) => p.permission).sort(), ['instagram_basic', 'pages_show_list']);
    const again = await exchange(code);
    assert.equal(again.status, 400);
    assert.equal(again.body.error.code, 100);
    assert.match(again.body.error.message, /has been used/);
  });

  it('a different redirect_uri or a made-up code is refused', async () => {
    const code = await authorize();
    const wrong = await exchange(code, 'http://127.0.0.1:5555/other');
    assert.equal(wrong.body.error.code, 100);
    assert.equal(wrong.body.error.error_subcode, 36008);
    const bogus = await exchange('not-a-code');
    assert.equal(bogus.body.error.message, 'Invalid verification code format.');
  });

  it('fb_exchange_token issues a new working token (with the app\'s one secret); debug_token describes it', async () => {
    const t = (await exchange(await authorize())).body.access_token;
    const r = await h.api.get(`${V}/oauth/access_token`, { searchParams: { grant_type: 'fb_exchange_token', client_id: '111', client_secret: 's3cret', fb_exchange_token: t } });
    const long = JSON.parse(r.body);
    assert.notEqual(long.access_token, t);
    assert.equal((await h.get(`${V}/me`, { access_token: long.access_token })).status, 200);
    const dbg = await h.get(`${V}/debug_token`, { input_token: long.access_token, access_token: '111|s3cret' });
    assert.equal(dbg.body.data.is_valid, true);
    assert.equal(dbg.body.data.type, 'USER');
    assert.deepEqual([...dbg.body.data.scopes].sort(), ['instagram_basic', 'pages_show_list']);
    assert.ok(dbg.body.data.expires_at > Date.now() / 1000);
    const bad = await h.get(`${V}/debug_token`, { input_token: 'garbage', access_token: '111|s3cret' });
    assert.equal(bad.body.data.is_valid, false);
  });

  it('Cancel redirects with error=access_denied and the state', async () => {
    const page = await h.api.get(`${V}/dialog/oauth`, { searchParams: dialogParams });
    const cancel = new URL(/id="cancel" href="([^"]+)"/.exec(page.body)![1]!.replace(/&#38;/g, '&'));
    assert.equal(cancel.searchParams.get('error'), 'access_denied');
    assert.equal(cancel.searchParams.get('state'), 'xyz-123');
  });

  it('secrets and codes are redacted in the request log', async () => {
    const code = await authorize();
    await exchange(code);
    const text = JSON.stringify(h.sb.requests());
    assert.ok(!text.includes(code));
    assert.ok(!text.includes('s3cret'));
    const ex = h.sb.requests().find((e) => e.path.endsWith('/oauth/access_token'))!;
    assert.equal(ex.query.code, '***');
    assert.equal(ex.query.client_secret, '***');
  });
});
