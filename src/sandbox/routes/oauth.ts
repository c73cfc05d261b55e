// Facebook Login for the sandbox (DESIGN §6): /dialog/oauth shows a consent page whose "Allow" link
// redirects to redirect_uri with ?code=…&state=…; /oauth/access_token exchanges a code (single use, 10
// minutes, same redirect_uri, code_verifier when the dialog had a code_challenge) or a token
// (grant_type=fb_exchange_token); /debug_token describes a token.
// https://developers.facebook.com/docs/facebook-login/guides/advanced/manual-flow
// PKCE: https://developers.facebook.com/docs/facebook-login/guides/advanced/oidc-token
// Business Login for Instagram lives in instagram-login.ts.
import { createHash, randomBytes } from 'node:crypto';
import { ALL_SCOPES, type Tokens } from '../auth';
import type { World } from '../data/types';
import { GraphError } from '../errors';

const CODE_TTL_MS = 10 * 60 * 1000;

interface PendingCode { clientId: string; redirectUri: string; scopes: string[]; issuedAt: number; used: boolean; challenge?: string; pageIds?: string[] }

export interface HtmlResult { status: number; headers: Record<string, string>; body: string }

export const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function htmlPage(title: string, inner: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>` +
    '<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;color:#1c1e21}' +
    'a.button{display:inline-block;padding:.5rem 1.2rem;border-radius:6px;background:#1877f2;color:#fff;text-decoration:none;margin-right:.5rem}' +
    'a.cancel{background:#e4e6eb;color:#1c1e21}</style></head>' +
    `<body>${inner}</body></html>`;
}

export class OAuth {
  private readonly codes = new Map<string, PendingCode>();

  constructor(private readonly world: World, private readonly tokens: Tokens) {}

  private scopesOf(params: Record<string, string>): string[] {
    const list = (params.scope ?? '').split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
    return list.length ? list : ['public_profile'];
  }

  /** GET /dialog/oauth: the consent page. */
  dialog(params: Record<string, string>): HtmlResult {
    const error = this.dialogError(params);
    if (error) return { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: htmlPage('Error', `<h1>Error</h1><p>${esc(error)}</p>`) };
    const scopes = this.scopesOf(params);
    const query = new URLSearchParams(params).toString();
    const deny = new URL(params.redirect_uri!);
    deny.searchParams.set('error', 'access_denied');
    deny.searchParams.set('error_code', '200');
    deny.searchParams.set('error_description', 'Permissions error');
    deny.searchParams.set('error_reason', 'user_denied');
    if (params.state) deny.searchParams.set('state', params.state);
    const body = htmlPage('Log in with Facebook (sandbox)',
      `<h1>Instagram SQL sandbox</h1><p>Continue as <strong>${esc(this.world.me.name)}</strong>?</p>` +
      `<p>The app ${esc(params.client_id!)} is requesting:</p><ul>${scopes.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>` +
      `<p>Pages: ${this.world.pages.map((p) => esc(p.name)).join(', ')}</p>` +
      `<p><a class="button" id="allow" href="/dialog/oauth/allow?${esc(query)}">Allow</a>` +
      // Facebook Login for Business lets the user choose the Pages to share: sharing none leaves the token
      // with no Instagram account (the "no linked account" case).
      `<a class="button cancel" id="allow-no-pages" href="/dialog/oauth/allow?${esc(new URLSearchParams({ ...params, pages: '' }).toString())}">Allow, share no Pages</a>` +
      `<a class="button cancel" id="cancel" href="${esc(deny.toString())}">Cancel</a></p>`);
    return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body };
  }

  private dialogError(params: Record<string, string>): string | undefined {
    if (!params.client_id) return 'Invalid App ID: the client_id parameter is required.';
    if (!params.redirect_uri) return 'The redirect_uri parameter is required.';
    try { new URL(params.redirect_uri); } catch { return "URL blocked: This redirect failed because the redirect URI is not whitelisted in the app's Client OAuth Settings."; }
    if (params.response_type && params.response_type !== 'code') return `Unsupported response_type: ${params.response_type}`;
    if (params.code_challenge && params.code_challenge_method && params.code_challenge_method !== 'S256') return 'Invalid code_challenge_method: use S256.';
    const bad = this.scopesOf(params).filter((s) => !ALL_SCOPES.includes(s));
    if (bad.length) return `Invalid Scopes: ${bad.join(', ')}. This message is only shown to developers.`;
    return undefined;
  }

  /** GET /dialog/oauth/allow: the user clicked Allow → 302 to redirect_uri?code=…&state=…#_=_ */
  allow(params: Record<string, string>): HtmlResult {
    const error = this.dialogError(params);
    if (error) return { status: 400, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: htmlPage('Error', `<p>${esc(error)}</p>`) };
    const code = `AQ${randomBytes(48).toString('base64url')}`;
    const pageIds = params.pages === undefined ? undefined : params.pages.split(',').filter(Boolean);
    this.codes.set(code, {
      clientId: params.client_id!, redirectUri: params.redirect_uri!, scopes: this.scopesOf(params), issuedAt: Date.now(), used: false,
      ...(params.code_challenge ? { challenge: params.code_challenge } : {}), ...(pageIds ? { pageIds } : {}),
    });
    const target = new URL(params.redirect_uri!);
    target.searchParams.set('code', code);
    if (params.state !== undefined) target.searchParams.set('state', params.state);
    target.hash = '_=_'; // Facebook appends this fragment to its redirects
    return { status: 302, headers: { Location: target.toString(), 'Content-Type': 'text/html; charset=utf-8' }, body: '' };
  }

  /** GET /oauth/access_token: code exchange or fb_exchange_token. */
  accessToken(params: Record<string, string>): unknown {
    if (!params.client_id) throw new GraphError(101, 'Missing client_id parameter.');
    if (!params.client_secret) throw new GraphError(1, 'Missing client_secret parameter.');
    if (!this.tokens.learnSecret(params.client_id, params.client_secret)) throw new GraphError(1, 'Error validating client secret.');
    const long = this.tokens.lifetimes.long;
    if (params.grant_type === 'fb_exchange_token') {
      const old = this.tokens.check(params.fb_exchange_token);
      const info = this.tokens.issue(old.scopes, long, params.client_id, old.userId || this.world.me.id, old.pageIds ? { pageIds: old.pageIds } : {});
      return { access_token: info.token, token_type: 'bearer', expires_in: long };
    }
    if (params.grant_type && params.grant_type !== 'authorization_code') {
      throw GraphError.param(`Invalid grant_type: '${params.grant_type}'. Supported types: authorization_code, client_credentials, fb_exchange_token`);
    }
    if (!params.code) throw GraphError.param('Missing code parameter.');
    const pending = this.codes.get(params.code);
    if (!pending || pending.clientId !== params.client_id) throw GraphError.param('Invalid verification code format.');
    if (pending.used) throw GraphError.param('This authorization code has been used.', 100, 36009);
    if (Date.now() - pending.issuedAt > CODE_TTL_MS) throw GraphError.param('This authorization code has expired.', 100, 36007);
    if (pending.redirectUri !== params.redirect_uri) {
      throw GraphError.param('Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request', 100, 36008);
    }
    if (pending.challenge) {
      const verifier = params.code_verifier ?? '';
      if (createHash('sha256').update(verifier).digest('base64url') !== pending.challenge) throw GraphError.param('Invalid code_verifier: it does not match the code_challenge of the login dialog.');
    }
    pending.used = true;
    const info = this.tokens.issue(pending.scopes, this.tokens.lifetimes.long, params.client_id, this.world.me.id, pending.pageIds ? { pageIds: pending.pageIds } : {});
    return { access_token: info.token, token_type: 'bearer', expires_in: this.tokens.lifetimes.long };
  }

  /** GET /debug_token?input_token=…: validity, expiry and scopes of a token. */
  debugToken(params: Record<string, string>, callerToken: string | undefined): unknown {
    if (!callerToken) throw GraphError.missingToken();
    const caller = this.tokens.lookup(callerToken);
    if (!caller) throw GraphError.invalidToken();
    if (caller.type === 'APP' && !this.tokens.learnSecret(caller.appId, callerToken.split('|')[1]!)) throw GraphError.invalidToken();
    if (!params.input_token) throw GraphError.param('(#100) The parameter input_token is required');
    const info = this.tokens.lookup(params.input_token);
    if (!info) return { data: { is_valid: false, error: { code: 190, message: 'Invalid OAuth access token - Cannot parse access token' }, scopes: [] } };
    const expired = info.expiresAt !== 0 && info.expiresAt <= Date.now();
    const data: Record<string, unknown> = {
      app_id: info.appId, type: info.type, application: 'Instagram SQL (sandbox)',
      data_access_expires_at: Math.floor(Date.now() / 1000) + 90 * 86400,
      expires_at: info.expiresAt === 0 ? 0 : Math.floor(info.expiresAt / 1000),
      is_valid: !expired, issued_at: Math.floor(info.issuedAt / 1000), scopes: info.scopes, user_id: info.userId,
    };
    if (expired) data.error = { code: 190, subcode: 463, message: `Error validating access token: Session has expired on ${new Date(info.expiresAt).toUTCString()}.` };
    return { data };
  }
}
