// Business Login for Instagram for the sandbox, served under /instagram (standing in for www.instagram.com,
// api.instagram.com and graph.instagram.com):
//   GET  /instagram/oauth/authorize        consent page (client_id, redirect_uri, response_type=code, scope, state)
//   GET  /instagram/oauth/authorize/allow  302 to redirect_uri?code=…&state=…#_
//   POST /instagram/oauth/access_token     code → short-lived token {data:[{access_token,user_id,permissions}]}
//   GET  /instagram/access_token           grant_type=ig_exchange_token → long-lived {access_token,token_type,expires_in}
//   GET  /instagram/refresh_access_token   grant_type=ig_refresh_token → renewed long-lived token
// https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login
import { randomBytes } from 'node:crypto';
import { INSTAGRAM_SCOPES, type Tokens } from '../auth';
import type { World } from '../data/types';
import { GraphError } from '../errors';
import { esc, htmlPage, type HtmlResult } from './oauth';

const CODE_TTL_MS = 10 * 60 * 1000;
/** Instagram refuses to refresh a long-lived token younger than 24 hours (unless lifetimes were shortened). */
const MIN_REFRESH_AGE_MS = 24 * 3600 * 1000;

interface PendingCode { clientId: string; redirectUri: string; scopes: string[]; igUserId: string; issuedAt: number; used: boolean }

const html = (status: number, body: string): HtmlResult => ({ status, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body });

export class InstagramLogin {
  private readonly codes = new Map<string, PendingCode>();

  constructor(private readonly world: World, private readonly tokens: Tokens) {}

  private scopesOf(params: Record<string, string>): string[] {
    return (params.scope ?? '').split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
  }

  private dialogError(params: Record<string, string>): string | undefined {
    if (!params.client_id) return 'Invalid app ID: the client_id parameter is required.';
    if (!params.redirect_uri) return 'Invalid redirect_uri: the parameter is required.';
    try { new URL(params.redirect_uri); } catch { return 'Invalid redirect_uri.'; }
    if (params.response_type !== 'code') return 'response_type must be code.';
    const scopes = this.scopesOf(params);
    if (!scopes.includes('instagram_business_basic')) return 'Invalid scope: instagram_business_basic is required.';
    const bad = scopes.filter((s) => !(s in INSTAGRAM_SCOPES));
    if (bad.length) return `Invalid scope: ${bad.join(', ')}.`;
    return undefined;
  }

  /** The accounts a user could log in with: the managed (professional) Instagram accounts of the world. */
  private accounts() {
    return [...this.world.users.values()].filter((u) => u.managed);
  }

  dialog(params: Record<string, string>): HtmlResult {
    const error = this.dialogError(params);
    if (error) return html(400, htmlPage('Error', `<h1>Error</h1><p>${esc(error)}</p>`));
    const deny = new URL(params.redirect_uri!);
    deny.searchParams.set('error', 'access_denied');
    deny.searchParams.set('error_reason', 'user_denied');
    deny.searchParams.set('error_description', 'The user denied your request.');
    if (params.state) deny.searchParams.set('state', params.state);
    const links = this.accounts().map((u, i) =>
      `<a class="button" id="allow-${i}" href="/instagram/oauth/authorize/allow?${esc(new URLSearchParams({ ...params, account: u.id }).toString())}">Allow as @${esc(u.username)}</a>`).join('');
    return html(200, htmlPage('Log in with Instagram (sandbox)',
      `<h1>Instagram SQL sandbox</h1><p>The app ${esc(params.client_id!)} is requesting:</p>` +
      `<ul>${this.scopesOf(params).map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>` +
      `<p>${links}<a class="button cancel" id="cancel" href="${esc(deny.toString())}">Cancel</a></p>`));
  }

  allow(params: Record<string, string>): HtmlResult {
    const error = this.dialogError(params);
    if (error) return html(400, htmlPage('Error', `<p>${esc(error)}</p>`));
    const user = this.accounts().find((u) => u.id === params.account) ?? this.accounts()[0];
    if (!user) return html(400, htmlPage('Error', '<p>No professional account to log in with.</p>'));
    const code = `AQ${randomBytes(48).toString('base64url')}`;
    this.codes.set(code, { clientId: params.client_id!, redirectUri: params.redirect_uri!, scopes: this.scopesOf(params), igUserId: user.id, issuedAt: Date.now(), used: false });
    const target = new URL(params.redirect_uri!);
    target.searchParams.set('code', code);
    if (params.state !== undefined) target.searchParams.set('state', params.state);
    target.hash = '_'; // Instagram appends "#_" to its redirects
    return { status: 302, headers: { Location: target.toString(), 'Content-Type': 'text/html; charset=utf-8' }, body: '' };
  }

  /** POST /oauth/access_token (api.instagram.com). */
  exchangeCode(params: Record<string, string>): unknown {
    if (!params.client_id || !params.client_secret) throw new GraphError(101, 'Missing client_id or client_secret parameter.');
    if (params.grant_type !== 'authorization_code') throw GraphError.param('Invalid grant_type: authorization_code is required.');
    if (!this.tokens.learnSecret(params.client_id, params.client_secret)) throw GraphError.param('Error validating client secret.', 1);
    const pending = params.code ? this.codes.get(params.code.replace(/#_$/, '')) : undefined;
    if (!pending || pending.clientId !== params.client_id) throw GraphError.param('Invalid authorization code');
    if (pending.used) throw GraphError.param('This authorization code has been used', 100, 36009);
    if (Date.now() - pending.issuedAt > CODE_TTL_MS) throw GraphError.param('This authorization code has expired', 100, 36007);
    if (pending.redirectUri !== params.redirect_uri) throw GraphError.param('Error validating verification code. Please make sure your redirect_uri is identical to the one you used in the OAuth dialog request', 100, 36008);
    pending.used = true;
    const info = this.tokens.issue(pending.scopes, this.tokens.lifetimes.short, params.client_id, pending.igUserId, { host: 'instagram', igUserId: pending.igUserId });
    return { data: [{ access_token: info.token, user_id: pending.igUserId, permissions: pending.scopes.join(',') }] };
  }

  /** GET /access_token?grant_type=ig_exchange_token (graph.instagram.com). */
  longLived(params: Record<string, string>): unknown {
    if (params.grant_type !== 'ig_exchange_token') throw GraphError.param('Invalid grant_type: ig_exchange_token is required.');
    if (!params.client_secret) throw GraphError.param('Missing client_secret parameter.');
    const old = this.tokens.check(params.access_token, 'instagram');
    if (!this.tokens.learnSecret(old.appId, params.client_secret)) throw GraphError.param('Error validating client secret.', 1);
    const long = this.tokens.lifetimes.long;
    const info = this.tokens.issue(old.scopes, long, old.appId, old.userId, { host: 'instagram', igUserId: old.igUserId! });
    return { access_token: info.token, token_type: 'bearer', expires_in: long };
  }

  /** GET /refresh_access_token?grant_type=ig_refresh_token (graph.instagram.com). */
  refresh(params: Record<string, string>): unknown {
    if (params.grant_type !== 'ig_refresh_token') throw GraphError.param('Invalid grant_type: ig_refresh_token is required.');
    const old = this.tokens.check(params.access_token, 'instagram');
    const long = this.tokens.lifetimes.long;
    const minAge = long * 1000 > 2 * MIN_REFRESH_AGE_MS ? MIN_REFRESH_AGE_MS : 0;
    if (Date.now() - old.issuedAt < minAge) throw GraphError.param('The access token must be at least 24 hours old to be refreshed.');
    const info = this.tokens.issue(old.scopes, long, old.appId, old.userId, { host: 'instagram', igUserId: old.igUserId! });
    return { access_token: info.token, token_type: 'bearer', expires_in: long };
  }
}
