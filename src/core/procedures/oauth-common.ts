/** Shared by the OAuth procedures: Facebook Login URLs, the redirect URI, and Graph's OAuth error codes. */
import { IgsqlError, isIgsqlError } from '../errors';
import type { ProcedureArgs, ProcedureContext } from './types';

/** The public Graph host; its login dialog lives on www.facebook.com. Any other ApiBaseURL (the sandbox) serves its own. */
const PUBLIC_GRAPH_HOSTS = new Set(['graph.facebook.com']);

/** Facebook Login's dialog: https://www.facebook.com/{version}/dialog/oauth, or {ApiBaseURL}/dialog/oauth elsewhere. */
export function dialogBase(apiBaseUrl: string, version: string): string {
  const host = new URL(apiBaseUrl).hostname.toLowerCase();
  return PUBLIC_GRAPH_HOSTS.has(host) ? `https://www.facebook.com/${version}/dialog/oauth` : `${apiBaseUrl.replace(/\/+$/, '')}/dialog/oauth`;
}

/** CallbackURL from the argument, else the connection property; it must be an http(s) URL. */
export function callbackUrl(ctx: ProcedureContext, args: ProcedureArgs, procedure: string): string {
  const value = (args.CallbackURL as string | null | undefined) || ctx.props.CallbackURL;
  if (!value) {
    throw new IgsqlError('INVALID_VALUE', `${procedure} needs a redirect URI: pass @CallbackURL = 'https://…' or set the CallbackURL connection property (it must match a Valid OAuth Redirect URI of your Facebook app exactly).`);
  }
  try {
    const u = new URL(value);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
  } catch {
    throw new IgsqlError('INVALID_VALUE', `${procedure}: CallbackURL must be an http(s) URL (got '${value}').`);
  }
  return value;
}

/** Scopes as Facebook Login wants them: comma-separated, no spaces, no duplicates. */
export function scopeList(ctx: ProcedureContext, args: ProcedureArgs): string {
  const raw = (args.Scope as string | null | undefined) || ctx.props.Scope || '';
  return [...new Set(raw.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean))].join(',');
}

export interface TokenAnswer {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
}

const RESTART = "Start the sign-in again: EXEC GetOAuthAuthorizationURL, open the URL, allow access, and pass the new code as @Verifier.";

/** Graph's OAuth errors (code 100, subcodes 36007–36009, bad code) as messages that say what to do. */
export function explainCodeExchangeError(e: unknown): unknown {
  if (!isIgsqlError(e) || e.code !== 'GRAPH_ERROR') return e;
  const sub = e.details.graphSubcode;
  const d = e.details;
  if (sub === 36009) return new IgsqlError('AUTH_REQUIRED', `The authorization code (Verifier) has already been used: a code can be exchanged only once. ${RESTART}`, d);
  if (sub === 36007) return new IgsqlError('AUTH_REQUIRED', `The authorization code (Verifier) has expired (codes are valid for about 10 minutes). ${RESTART}`, d);
  if (sub === 36008) {
    return new IgsqlError('INVALID_VALUE', 'Graph rejected the code exchange: CallbackURL must be exactly the redirect URI used to get the code (same scheme, host, port, path and trailing slash).', d);
  }
  if (/verification code|authorization code/i.test(e.message)) return new IgsqlError('AUTH_REQUIRED', `Graph did not accept the authorization code (Verifier): ${e.message} ${RESTART}`, d);
  if (/client_secret|client secret|app secret/i.test(e.message)) {
    return new IgsqlError('INVALID_PROPERTY', `Graph did not accept the app credentials: check OAuthClientId and OAuthClientSecret (${e.message}).`, { ...d, property: 'OAuthClientSecret' });
  }
  return e;
}

/** The Graph answer as procedure output; the token is registered as a secret first, so no log line can show it. */
export async function tokenResult(ctx: ProcedureContext, r: TokenAnswer, what: string): Promise<Array<{ OAuthAccessToken: string; ExpiresIn: number | null }>> {
  if (!r.access_token) throw new IgsqlError('GRAPH_ERROR', `Graph answered ${what} without an access_token.`);
  ctx.addSecret(r.access_token);
  if (await ctx.storeToken(r.access_token)) {
    ctx.note(ctx.props.OAuthAccessToken
      ? 'The new token was saved in the token store; this connection keeps using its OAuthAccessToken property.'
      : 'The new token was saved in the token store: this connection now uses it.');
  }
  return [{ OAuthAccessToken: r.access_token, ExpiresIn: typeof r.expires_in === 'number' ? r.expires_in : null }];
}
