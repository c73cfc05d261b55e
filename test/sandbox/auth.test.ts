// Tokens and scopes: the error payloads for a missing, unknown and expired token and a missing scope.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { firstAccount, harness, token, V, type Harness } from './helpers';

describe('sandbox: tokens, scopes and error shapes', () => {
  let h: Harness;
  before(async () => { h = await harness({ media: 30 }); });
  after(async () => { await h.sb.close(); });

  it('unknown token → 400, code 190, OAuthException, exact message, fbtrace_id', async () => {
    const r = await h.get(`${V}/me`, { access_token: 'nope' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 190);
    assert.equal(r.body.error.type, 'OAuthException');
    assert.equal(r.body.error.message, 'Invalid OAuth access token - Cannot parse access token');
    assert.match(r.body.error.fbtrace_id, /^\w{8,}$/);
    assert.ok(!('error_subcode' in r.body.error));
  });

  it('no token at all → code 104', async () => {
    const r = await h.api.get(`${V}/me`);
    assert.equal(JSON.parse(r.body).error.code, 104);
  });

  it('expired token → 190 / 463 with Graph\'s session-expired message', async () => {
    const t = await token(h.sb, ['instagram_basic'], 0);
    const r = await h.get(`${V}/me`, { access_token: t });
    assert.equal(r.body.error.code, 190);
    assert.equal(r.body.error.error_subcode, 463);
    assert.match(r.body.error.message, /^Error validating access token: Session has expired on .+\. The current time is .+\.$/);
  });

  it('issued tokens work via query, Bearer header and POST form', async () => {
    const t = await token(h.sb, ['instagram_basic', 'pages_show_list']);
    assert.equal((await h.get(`${V}/me`, { access_token: t })).status, 200);
    const viaHeader = await h.api.get(`${V}/me`, { headers: { authorization: `Bearer ${t}` } });
    assert.equal(viaHeader.statusCode, 200);
  });

  it('missing scope → 400, code 10, "(#10) Application does not have permission for this action"', async () => {
    const t = await token(h.sb, ['pages_show_list']);
    const { id, media } = firstAccount(h.sb);
    const cases = [
      [`${V}/${id}`, {}],
      [`${V}/${media[0]![0]}/comments`, {}],
      [`${V}/${media[0]![0]}/insights`, { metric: 'reach' }],
    ] as const;
    for (const [path, params] of cases) {
      const r = await h.get(path, { ...params, access_token: t });
      assert.equal(r.status, 400, path);
      assert.equal(r.body.error.code, 10);
      assert.equal(r.body.error.type, 'OAuthException');
      assert.equal(r.body.error.message, '(#10) Application does not have permission for this action');
    }
    const basicOnly = await token(h.sb, ['instagram_basic']);
    assert.equal((await h.get(`${V}/me/accounts`, { access_token: basicOnly })).body.error.code, 10);
    assert.equal((await h.get(`${V}/${id}`, { access_token: basicOnly, fields: 'username' })).status, 200);
    const comments = await h.get(`${V}/${media[0]![0]}/comments`, { access_token: basicOnly });
    assert.equal(comments.body.error.code, 10);
  });

  it('/me/permissions names exactly the token\'s scopes', async () => {
    const t = await token(h.sb, ['instagram_basic', 'pages_show_list']);
    const r = await h.get(`${V}/me/permissions`, { access_token: t });
    assert.deepEqual(r.body.data.map((p: any) => p.permission).sort(), ['instagram_basic', 'pages_show_list']);
  });

  it('page tokens from /me/accounts are valid', async () => {
    const pages = await h.get(`${V}/me/accounts`);
    const pageToken = pages.body.data[0].access_token;
    assert.equal(typeof pageToken, 'string');
    const me = await h.get(`${V}/me`, { access_token: pageToken });
    assert.equal(me.body.id, pages.body.data[0].id);
  });

  it('field syntax errors are reported, not ignored', async () => {
    const r = await h.get(`${V}/me`, { fields: 'id,{name' });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.code, 2500);
  });
});
