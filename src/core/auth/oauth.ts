/**
 * The authorization-code flow of each login flavour, host-free: the dialog URL (random `state`, PKCE where the
 * dialog supports it), reading the redirect (state checked, each sign-in answered once), the code exchange up
 * to a long-lived token, renewal, and what a token is (user, scopes, expiry). Opening a browser and receiving
 * the redirect is the host's part (CLI loopback/paste, VS Code's transports).
 *
 * Facebook [FLFB]: code → token (GET /oauth/access_token) → long-lived (grant_type=fb_exchange_token);
 *   debug_token (app token) for expiry and scopes; renewal = fb_exchange_token while the token is valid.
 * Instagram [IGLOGIN]: code → short-lived (POST api.instagram.com/oauth/access_token, 1 h) → long-lived
 *   (GET graph.instagram.com/access_token?grant_type=ig_exchange_token, 60 days) → renewed with
 *   GET graph.instagram.com/refresh_access_token?grant_type=ig_refresh_token (token ≥ 24 h old, not expired).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { Agents } from 'got';
import { isHttpError, isRequestError, loadGot } from '../graph/http';
import { IgsqlError } from '../errors';
import { graphErrorBody, mapGraphError } from '../graph/errors';
import { codeExchangeUrl, dialogUrl, type Flavour } from './flavours';
import type { TokenRecord } from './record';

/** How long a started sign-in waits for its redirect (the extension and the CLI both stop waiting then). */
export const SIGN_IN_TIMEOUT_MS = 5 * 60 * 1000;

export interface OAuthApp {
  flavour: Flavour;
  appId: string;
  appSecret: string;
  /** ApiBaseURL: the flavour's Graph host, or a proxy/sandbox that serves all of its endpoints. */
  apiBaseUrl: string;
  version: string;
  timeoutSeconds?: number;
  agent?: Agents;
  https?: { certificateAuthority?: string; rejectUnauthorized?: boolean };
  /** Registers a value the log must never show (tokens, codes). */
  addSecret?: (value: string) => void;
  now?: () => number;
}

export interface PendingSignIn {
  url: string;
  state: string;
  redirectUri: string;
  /** PKCE code_verifier, when the flavour's dialog takes a challenge. */
  verifier?: string;
  startedAt: number;
}

const b64url = (buf: Buffer) => buf.toString('base64url');

/** HMAC-SHA256 of the token with the app secret, hex: https://developers.facebook.com/docs/graph-api/securing-requests */
export function appSecretProof(token: string, appSecret: string): string {
  return createHmac('sha256', appSecret).update(token).digest('hex');
}

/** The dialog URL for a new sign-in. `scopes` empty → the flavour's defaults; `configId` replaces scopes [FLFB]. */
export function beginSignIn(app: OAuthApp, redirectUri: string, scopes: readonly string[], options: { configId?: string; state?: string } = {}): PendingSignIn {
  const state = options.state ?? b64url(randomBytes(24));
  const url = new URL(dialogUrl(app.flavour, app.apiBaseUrl, app.version));
  url.searchParams.set('client_id', app.appId);
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('state', state);
  if (options.configId && app.flavour.id === 'FACEBOOK') url.searchParams.set('config_id', options.configId);
  else url.searchParams.set('scope', (scopes.length ? scopes : app.flavour.defaultScopes).join(','));
  let verifier: string | undefined;
  if (app.flavour.pkce) {
    verifier = b64url(randomBytes(48));
    url.searchParams.set('code_challenge', b64url(createHash('sha256').update(verifier).digest()));
    url.searchParams.set('code_challenge_method', 'S256');
  }
  return { url: url.toString(), state, redirectUri, ...(verifier ? { verifier } : {}), startedAt: (app.now ?? Date.now)() };
}

/**
 * Sign-ins waiting for their redirect, by state. A redirect is accepted once, for a state we issued, within
 * SIGN_IN_TIMEOUT_MS: a foreign, stale or replayed callback is refused with a message saying so.
 */
export class PendingSignIns {
  private readonly pending = new Map<string, PendingSignIn>();
  private readonly used = new Set<string>();
  constructor(private readonly now: () => number = Date.now) {}

  add(p: PendingSignIn): void {
    this.pending.set(p.state, p);
  }

  /** Forgets a sign-in that was cancelled or timed out. */
  drop(state: string): void {
    if (this.pending.delete(state)) this.used.add(state);
  }

  /** The code and its sign-in, from a redirected URL (or its query string); throws AUTH_REQUIRED when refused. */
  take(redirected: string): { code: string; pending: PendingSignIn } {
    const params = paramsOf(redirected);
    const state = params.get('state') ?? '';
    const p = this.pending.get(state);
    if (!p) {
      throw new IgsqlError('AUTH_REQUIRED', this.used.has(state)
        ? 'This sign-in answer was already used (or its sign-in was cancelled): a redirect is accepted once. Start the sign-in again.'
        : 'The redirect does not answer a sign-in started here (its state does not match). Start the sign-in again from this window.');
    }
    this.pending.delete(state);
    this.used.add(state);
    if (this.now() - p.startedAt > SIGN_IN_TIMEOUT_MS) throw new IgsqlError('AUTH_REQUIRED', 'This sign-in took more than 5 minutes and has expired. Start the sign-in again.');
    const error = params.get('error_description') ?? params.get('error_message') ?? params.get('error');
    if (error) throw new IgsqlError('AUTH_REQUIRED', `The sign-in was not completed: ${error.replace(/\+/g, ' ')}. Start it again and choose Allow.`);
    const code = params.get('code');
    if (!code) throw new IgsqlError('AUTH_REQUIRED', 'The redirect has no code parameter: paste the whole address the browser was sent to after you allowed access.');
    // Instagram appends "#_" to the redirect and some users copy it with the code.
    return { code: code.replace(/#_?=?_?$/, ''), pending: p };
  }
}

function paramsOf(redirected: string): URLSearchParams {
  const text = redirected.trim();
  try {
    const u = new URL(text);
    return u.searchParams;
  } catch {
    return new URLSearchParams(text.replace(/^[?#]/, ''));
  }
}

interface TokenAnswer { access_token?: string; token_type?: string; expires_in?: number; user_id?: string | number; permissions?: string | string[] }

export class OAuthClient {
  constructor(private readonly app: OAuthApp) {}

  private get now(): number {
    return (this.app.now ?? Date.now)();
  }

  private async call<T>(method: 'GET' | 'POST', url: string, params: Record<string, string>, what: string): Promise<T> {
    try {
      const { default: got } = await loadGot();
      const res = await got<T>(url, {
        method,
        responseType: 'json',
        ...(method === 'GET' ? { searchParams: params } : { form: params }),
        timeout: (this.app.timeoutSeconds ?? 60) > 0 ? { request: (this.app.timeoutSeconds ?? 60) * 1000 } : {},
        agent: this.app.agent ?? {},
        https: this.app.https ?? {},
        retry: { limit: 0 },
        headers: { 'user-agent': 'instagram-sql/0.1 (+got)' },
      });
      return res.body;
    } catch (e) {
      if (isHttpError(e)) {
        const g = graphErrorBody(e.response.body);
        // Instagram's OAuth host answers {error_type, code, error_message} instead of Graph's {error:{…}}.
        const ig = e.response.body as { error_message?: string; code?: number } | undefined;
        const mapped = g ? mapGraphError(g, { what }) : new IgsqlError('GRAPH_ERROR', `${what} failed: ${ig?.error_message ?? `HTTP ${e.response.statusCode}`}.`);
        throw explainExchangeError(mapped, what);
      }
      if (isRequestError(e)) throw new IgsqlError('NETWORK', `Could not reach ${new URL(url).host} for ${what} (${e.code ?? e.message}). Check your network and proxy settings.`);
      throw e;
    }
  }

  private base(): string {
    return this.app.apiBaseUrl.replace(/\/+$/, '');
  }

  private secret(v: string | undefined): void {
    if (v) this.app.addSecret?.(v);
  }

  /** The code from the redirect → a long-lived token with what we know about it. */
  async exchangeCode(code: string, pending: PendingSignIn): Promise<TokenRecord> {
    this.secret(code);
    const f = this.app.flavour;
    const what = 'the sign-in (code exchange)';
    const params: Record<string, string> = { client_id: this.app.appId, client_secret: this.app.appSecret, redirect_uri: pending.redirectUri, code };
    if (f.id === 'INSTAGRAM') params.grant_type = 'authorization_code';
    if (pending.verifier) params.code_verifier = pending.verifier;
    const raw = await this.call<TokenAnswer | { data?: TokenAnswer[] }>(f.codeExchange.method, codeExchangeUrl(f, this.app.apiBaseUrl, this.app.version), params, what);
    const first: TokenAnswer = 'data' in raw && Array.isArray(raw.data) ? raw.data[0] ?? {} : (raw as TokenAnswer);
    if (!first.access_token) throw new IgsqlError('GRAPH_ERROR', `${f.title} answered the code exchange without an access token.`);
    this.secret(first.access_token);
    const granted = typeof first.permissions === 'string' ? first.permissions.split(',').filter(Boolean) : first.permissions ?? [];
    const long = await this.longLived(first.access_token);
    return this.describe(long.access_token!, long.expires_in, granted, first.user_id !== undefined ? String(first.user_id) : undefined);
  }

  /** A short-lived token → a long-lived one (fb_exchange_token / ig_exchange_token). */
  private async longLived(token: string): Promise<TokenAnswer> {
    const f = this.app.flavour;
    const r = f.id === 'FACEBOOK'
      ? await this.call<TokenAnswer>('GET', `${this.base()}/${this.app.version}/oauth/access_token`, { grant_type: 'fb_exchange_token', client_id: this.app.appId, client_secret: this.app.appSecret, fb_exchange_token: token }, 'the long-lived token exchange')
      : await this.call<TokenAnswer>('GET', `${this.base()}/access_token`, { grant_type: 'ig_exchange_token', client_secret: this.app.appSecret, access_token: token }, 'the long-lived token exchange');
    if (!r.access_token) throw new IgsqlError('GRAPH_ERROR', `${f.title} answered the long-lived token exchange without a token.`);
    this.secret(r.access_token);
    return r;
  }

  /** A still-valid token → a new long-lived one. Throws AUTH_REQUIRED/TOKEN_EXPIRED when it cannot be renewed. */
  async renew(record: TokenRecord): Promise<TokenRecord> {
    const f = this.app.flavour;
    let r: TokenAnswer;
    if (f.id === 'FACEBOOK') {
      r = await this.longLived(record.accessToken);
    } else {
      r = await this.call<TokenAnswer>('GET', `${this.base()}/refresh_access_token`, { grant_type: 'ig_refresh_token', access_token: record.accessToken }, 'the token renewal');
      if (!r.access_token) throw new IgsqlError('GRAPH_ERROR', `${f.title} answered the token renewal without a token.`);
      this.secret(r.access_token);
    }
    const fresh = await this.describe(r.access_token!, r.expires_in, record.scopes, record.userId);
    return { ...fresh, userName: fresh.userName ?? record.userName };
  }

  /** User, scopes and expiry of a token: debug_token on Facebook, `me` on Instagram (which has no debug_token). */
  async describe(token: string, expiresIn: number | undefined, scopes: readonly string[], userId?: string): Promise<TokenRecord> {
    const f = this.app.flavour;
    const now = this.now;
    const proof = appSecretProof(token, this.app.appSecret);
    const record: TokenRecord = {
      v: 1, flavour: f.id, appId: this.app.appId, accessToken: token, obtainedAt: now,
      expiresAt: typeof expiresIn === 'number' && expiresIn > 0 ? now + expiresIn * 1000 : 0,
      scopes: [...scopes], ...(userId ? { userId } : {}),
    };
    if (f.id === 'FACEBOOK') {
      const d = await this.call<{ data?: { is_valid?: boolean; expires_at?: number; scopes?: string[]; user_id?: string } }>(
        'GET', `${this.base()}/${this.app.version}/debug_token`, { input_token: token, access_token: `${this.app.appId}|${this.app.appSecret}` }, 'reading the token (debug_token)');
      if (d.data?.expires_at) record.expiresAt = d.data.expires_at * 1000;
      if (d.data?.scopes) record.scopes = d.data.scopes;
      if (d.data?.user_id) record.userId = d.data.user_id;
      const me = await this.call<{ id?: string; name?: string }>('GET', `${this.base()}/${this.app.version}/me`, { fields: 'id,name', access_token: token, appsecret_proof: proof }, 'reading your profile');
      if (me.name) record.userName = me.name;
      if (me.id) record.userId = me.id;
    } else {
      const me = await this.call<{ user_id?: string; id?: string; username?: string }>('GET', `${this.base()}/${this.app.version}/me`, { fields: 'user_id,username', access_token: token, appsecret_proof: proof }, 'reading your profile');
      record.userId = me.user_id ?? me.id ?? record.userId;
      if (me.username) record.userName = `@${me.username}`;
    }
    return record;
  }
}

/** Graph's OAuth errors, in words that say what to do. */
function explainExchangeError(e: IgsqlError, what: string): IgsqlError {
  const sub = e.details.graphSubcode;
  const restart = 'Start the sign-in again.';
  if (sub === 36009) return new IgsqlError('AUTH_REQUIRED', `The authorization code was already used: a code can be exchanged once. ${restart}`, e.details);
  if (sub === 36007) return new IgsqlError('AUTH_REQUIRED', `The authorization code expired (codes last about 10 minutes). ${restart}`, e.details);
  if (sub === 36008) return new IgsqlError('INVALID_PROPERTY', 'The redirect URI of the code exchange differs from the sign-in\'s: CallbackURL must be exactly a Valid OAuth Redirect URI of the app.', { ...e.details, property: 'CallbackURL' });
  if (/client_secret|app secret|client secret/i.test(e.message)) return new IgsqlError('INVALID_PROPERTY', `Meta did not accept the app credentials during ${what}: check OAuthClientId and OAuthClientSecret.`, { ...e.details, property: 'OAuthClientSecret' });
  return e;
}
