// The sandbox's sign-in surfaces, as Meta documents them: appsecret_proof checking, PKCE on the Facebook
// dialog, Business Login for Instagram's code → short-lived → long-lived → refreshed tokens, revoking a
// permission; and the relay page we ship (media/oauth-relay.html), run as a browser would run its script.
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import got from 'got';
import { consent } from '../consent';
import { harness, V, type Harness } from './helpers';

const RELAY = readFileSync(join(process.cwd(), 'media', 'oauth-relay.html'), 'utf8');

describe('sandbox: sign-in surfaces', () => {
  let h: Harness;
  before(async () => { h = await harness({ media: 6, relayPage: RELAY }); });
  after(async () => { await h.sb.close(); });
  const redirect = 'http://127.0.0.1:5555/cb';

  it('Facebook dialog with a PKCE challenge: the exchange needs the matching verifier; then a wrong appsecret_proof is refused', async () => {
    const verifier = 'v'.repeat(50);
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const dialog = `${h.sb.url}/dialog/oauth?${new URLSearchParams({ client_id: '77', redirect_uri: redirect, state: 's1', scope: 'instagram_basic', code_challenge: challenge, code_challenge_method: 'S256' })}`;
    const code = new URL(await consent(dialog)).searchParams.get('code')!;
    const ex = (params: Record<string, string>) => h.api.get(`${V}/oauth/access_token`, { searchParams: { client_id: '77', client_secret: 'sec', redirect_uri: redirect, code, ...params } });
    const bad = await ex({ code_verifier: 'x'.repeat(50) });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.body, /code_verifier/);
    const good = await ex({ code_verifier: verifier });
    assert.equal(good.statusCode, 200, good.body);
    const token = JSON.parse(good.body).access_token as string;
    const proof = createHmac('sha256', 'sec').update(token).digest('hex');
    assert.equal((await h.get(`${V}/me`, { access_token: token, appsecret_proof: proof })).status, 200);
    const wrong = await h.get(`${V}/me`, { access_token: token, appsecret_proof: 'ab'.repeat(32) });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.error.message, /Invalid appsecret_proof/);
    // A different secret for the same app is refused at the token endpoint.
    const other = await h.api.get(`${V}/oauth/access_token`, { searchParams: { grant_type: 'fb_exchange_token', client_id: '77', client_secret: 'not-it', fb_exchange_token: token } });
    assert.equal(other.statusCode, 400);
  });

  it('Business Login for Instagram: code → short-lived (data[0], permissions) → ig_exchange_token → ig_refresh_token refused before 24 h', async () => {
    const dialog = `${h.sb.url}/instagram/oauth/authorize?${new URLSearchParams({ client_id: '88', redirect_uri: redirect, response_type: 'code', scope: 'instagram_business_basic,instagram_business_manage_insights', state: 'st' })}`;
    const back = new URL(await consent(dialog, 'allow-0'));
    assert.equal(back.hash, '#_');
    assert.equal(back.searchParams.get('state'), 'st');
    const code = back.searchParams.get('code')!;
    const short = await h.api.post('instagram/oauth/access_token', { form: { client_id: '88', client_secret: 'igsec', grant_type: 'authorization_code', redirect_uri: redirect, code } });
    assert.equal(short.statusCode, 200, short.body);
    const first = JSON.parse(short.body).data[0];
    assert.match(first.access_token, /^IGAA/);
    assert.equal(first.permissions, 'instagram_business_basic,instagram_business_manage_insights');
    const replay = await h.api.post('instagram/oauth/access_token', { form: { client_id: '88', client_secret: 'igsec', grant_type: 'authorization_code', redirect_uri: redirect, code } });
    assert.equal(replay.statusCode, 400, 'a code is used once');
    const long = JSON.parse((await h.api.get('instagram/access_token', { searchParams: { grant_type: 'ig_exchange_token', client_secret: 'igsec', access_token: first.access_token } })).body);
    assert.equal(long.expires_in, 5183944);
    const me = JSON.parse((await h.api.get(`instagram/${V}/me`, { searchParams: { fields: 'user_id,username', access_token: long.access_token } })).body);
    assert.equal(me.user_id, first.user_id);
    assert.equal((await h.api.get(`${V}/me`, { searchParams: { access_token: long.access_token } })).statusCode, 400, 'an Instagram token does not work on the Facebook host');
    const early = await h.api.get('instagram/refresh_access_token', { searchParams: { grant_type: 'ig_refresh_token', access_token: long.access_token } });
    assert.equal(early.statusCode, 400);
    assert.match(early.body, /24 hours/);
    const tags = await h.api.get(`instagram/${V}/ig_hashtag_search`, { searchParams: { user_id: me.user_id, q: 'sql', access_token: long.access_token } });
    assert.equal(tags.statusCode, 400, 'no hashtag search on graph.instagram.com');
  });

  it('DELETE /me/permissions/{permission} removes one grant', async () => {
    const t = (await got.post(`${h.sb.url}/__sandbox/tokens`, { json: { scopes: ['instagram_basic', 'instagram_manage_insights'], expiresIn: 600 } }).json<{ access_token: string }>()).access_token;
    assert.equal((await h.del(`${V}/me/permissions/instagram_manage_insights`, { access_token: t })).body.success, true);
    const perms = await h.get(`${V}/me/permissions`, { access_token: t });
    assert.deepEqual(perms.body.data.map((p: any) => p.permission), ['instagram_basic']);
  });

  it('serves the relay page it was given', async () => {
    const r = await h.api.get('relay/oauth-relay.html');
    assert.equal(r.statusCode, 200);
    assert.match(r.body, /Instagram SQL sign-in/);
  });
});

/** Runs the relay page's script with a query string, as a browser would (no DOM: relayTarget only). */
function relay(search: string): { url?: string; error?: string } {
  const script = /<script id="relay">([\s\S]*?)<\/script>/.exec(RELAY)![1]!;
  const sandbox: Record<string, unknown> = { URL, URLSearchParams, atob };
  runInNewContext(`${script}\nthis.result = relayTarget(${JSON.stringify(search)});`, sandbox);
  return JSON.parse(JSON.stringify(sandbox.result)) as { url?: string; error?: string };
}

const stateFor = (callback: string) => `nonce123.${Buffer.from(callback).toString('base64url')}`;

describe('relay page (media/oauth-relay.html)', () => {
  it('forwards code and state to the extension\'s URI (desktop) and to VS Code\'s web callback (code-server, vscode.dev)', () => {
    for (const cb of [
      'vscode://igsql.instagram-sql/auth-callback',
      'code-oss://igsql.instagram-sql/auth-callback',
      'http://127.0.0.1:8080/stable-abc/callback?vscode-scheme=code-oss&vscode-authority=igsql.instagram-sql&vscode-path=%2Fauth-callback',
      'https://vscode.dev/callback?vscode-scheme=vscode&vscode-authority=igsql.instagram-sql&vscode-path=%2Fauth-callback',
    ]) {
      const state = stateFor(cb);
      const r = relay(`?code=THECODE%23_&state=${encodeURIComponent(state)}`);
      assert.ok(r.url, `${cb}: ${r.error}`);
      const u = new URL(r.url!);
      assert.equal(u.searchParams.get('code'), 'THECODE');
      assert.equal(u.searchParams.get('state'), state);
      assert.equal(`${u.protocol}//${u.host}`, `${new URL(cb).protocol}//${new URL(cb).host}`);
    }
  });

  it('refuses every other callback: no open redirect', () => {
    for (const cb of [
      'https://evil.example/callback?vscode-authority=igsql.instagram-sql&vscode-path=%2Fauth-callback',
      'vscode://someone.else/auth-callback',
      'vscode://igsql.instagram-sql/other',
      'http://vscode.dev/callback?vscode-authority=igsql.instagram-sql&vscode-path=%2Fauth-callback',
      'https://vscode.dev.evil.example/callback?vscode-authority=igsql.instagram-sql&vscode-path=%2Fauth-callback',
      'http://127.0.0.1:8080/callback?vscode-authority=other.ext&vscode-path=%2Fauth-callback',
      'https://user:pw@vscode.dev/callback?vscode-authority=igsql.instagram-sql&vscode-path=%2Fauth-callback',
      'javascript:alert(1)',
    ]) {
      const r = relay(`?code=C&state=${encodeURIComponent(stateFor(cb))}`);
      assert.equal(r.url, undefined, cb);
      assert.match(r.error!, /does not lead back to Instagram SQL/);
    }
    assert.ok(relay('?code=C&state=plainstate').error, 'a state without a callback');
  });
});
