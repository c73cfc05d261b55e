import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConnectionProps, redactProps, splitConnectionString, IgsqlError } from '../../src/core';

test('parses names case-insensitively, quoted values with semicolons, and fills defaults', () => {
  const p = parseConnectionProps('oauthaccesstoken=abc; BusinessAccountId="17841; 2";Timeout=30;  apibaseurl=http://127.0.0.1:9/');
  assert.equal(p.OAuthAccessToken, 'abc');
  assert.equal(p.BusinessAccountId, '17841; 2');
  assert.equal(p.Timeout, '30');
  assert.equal(p.ApiBaseURL, 'http://127.0.0.1:9');
  assert.equal(p.ApiVersion, 'v24.0');
  assert.equal(p.Pagesize, '100');
});

test('doubled quotes escape a quote inside a quoted value', () => {
  assert.deepEqual(splitConnectionString(`A='it''s';B="say ""hi"""`), [['A', "it's"], ['B', 'say "hi"']]);
});

test('an unknown property is an error naming it and the nearest valid name', () => {
  assert.throws(() => parseConnectionProps('OAuthAcessToken=x'), (e: IgsqlError) => {
    assert.equal(e.code, 'INVALID_PROPERTY');
    assert.match(e.message, /Unknown connection property 'OAuthAcessToken'/);
    assert.match(e.message, /OAuthAccessToken/);
    return true;
  });
});

test('bad values name the property and the allowed values', () => {
  const cases: Array<[string, RegExp]> = [
    ['InitiateOAuth=SOMETIMES', /InitiateOAuth.*OFF, GETANDREFRESH, REFRESH/],
    ['Verbosity=9', /Verbosity.*1 to 5/],
    ['Timeout=ten', /Timeout.*whole number/],
    ['ApiBaseURL=ftp://x', /ApiBaseURL.*http\(s\) URL/],
    ['FirewallType=VPN', /FirewallType.*NONE, TUNNEL, SOCKS4, SOCKS5/],
    ['ApiVersion=24', /ApiVersion/],
    ['Timeout', /has no '='/],
    ['A="open', /no closing/],
  ];
  for (const [cs, re] of cases) {
    assert.throws(() => parseConnectionProps(cs), (e: IgsqlError) => e.code === 'INVALID_PROPERTY' && re.test(e.message), cs);
  }
});

test('enum values are normalised and secrets are masked by redactProps', () => {
  const p = parseConnectionProps({ InitiateOAuth: 'getandrefresh', OAuthClientSecret: 's3cret', OAuthAccessToken: 'tok' });
  assert.equal(p.InitiateOAuth, 'GETANDREFRESH');
  const r = redactProps(p);
  assert.equal(r.OAuthClientSecret, '***');
  assert.equal(r.OAuthAccessToken, '***');
  assert.ok(!JSON.stringify(r).includes('s3cret'));
});
