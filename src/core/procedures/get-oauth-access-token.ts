/**
 * GetOAuthAccessToken: exchanges the code from the Facebook Login redirect for a user access token
 * (GET /{version}/oauth/access_token with client_id, client_secret, redirect_uri, code). The token is an output
 * by design; it is registered as a secret so that no log line shows it, and saved in the token store when the
 * host provides one.
 */
import { IgsqlError } from '../errors';
import { callbackUrl, explainCodeExchangeError, tokenResult, type TokenAnswer } from './oauth-common';
import type { ProcedureDef } from './types';

/** The code itself, or the code read from a pasted redirect URL (checking its state when State is given). */
function verifierCode(verifier: string, state: string | undefined): string {
  const v = verifier.trim();
  if (!/^https?:\/\//i.test(v)) return v;
  const u = new URL(v);
  const error = u.searchParams.get('error_description') ?? u.searchParams.get('error');
  if (error) throw new IgsqlError('AUTH_REQUIRED', `The sign-in was not completed: ${error}. Start again with GetOAuthAuthorizationURL.`);
  const code = u.searchParams.get('code');
  if (!code) throw new IgsqlError('INVALID_VALUE', 'GetOAuthAccessToken: the Verifier URL has no code parameter; pass the code, or the whole URL Facebook redirected to.');
  const got = u.searchParams.get('state');
  if (state !== undefined && got !== null && got !== state) {
    throw new IgsqlError('AUTH_REQUIRED', 'The state in the redirect does not match @State: this redirect answers another sign-in request. Start again with GetOAuthAuthorizationURL.');
  }
  return code;
}

export const GetOAuthAccessToken: ProcedureDef = {
  name: 'GetOAuthAccessToken',
  description:
    'Exchanges the authorization code (Verifier) from the Facebook Login redirect for a user access token. Needs OAuthClientId and OAuthClientSecret, and the same CallbackURL as the authorization URL.',
  parameters: [
    { name: 'AuthMode', type: 'String', direction: 'in', required: false, values: ['APP', 'WEB'], description: "WEB (default): you pass the code. APP: desktop apps; 'igsql login' and the VS Code sign-in run the browser part, then exchange the code the same way." },
    { name: 'Verifier', type: 'String', direction: 'in', required: true, description: 'The code parameter of the redirect (or the whole redirected URL).' },
    { name: 'CallbackURL', type: 'String', direction: 'in', required: false, description: 'The redirect URI used to get the code, exactly; default: the CallbackURL connection property.' },
    { name: 'Scope', type: 'String', direction: 'in', required: false, description: 'Accepted for compatibility; the token carries the permissions the user granted.' },
    { name: 'State', type: 'String', direction: 'in', required: false, description: 'When Verifier is a redirected URL, its state must equal this.' },
    { name: 'OAuthAccessToken', type: 'String', direction: 'out', required: false, description: 'The user access token.' },
    { name: 'ExpiresIn', type: 'Integer', direction: 'out', required: false, description: 'Seconds until the token expires (NULL when Graph gives no expiry).' },
  ],
  async run(ctx, args) {
    ctx.requireProps(['OAuthClientId', 'OAuthClientSecret'], 'the code exchange');
    const redirect = callbackUrl(ctx, args, 'GetOAuthAccessToken');
    const code = verifierCode(String(args.Verifier), args.State === undefined || args.State === null ? undefined : String(args.State));
    ctx.addSecret(code);
    let r: TokenAnswer;
    try {
      r = await ctx.oauthGet<TokenAnswer>(['oauth', 'access_token'], { client_id: ctx.props.OAuthClientId, client_secret: ctx.props.OAuthClientSecret, redirect_uri: redirect, code }, 'the authorization code exchange');
    } catch (e) {
      throw explainCodeExchangeError(e);
    }
    return tokenResult(ctx, r, 'the authorization code exchange');
  },
};
