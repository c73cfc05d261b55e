/**
 * RefreshOAuthAccessToken: exchanges a user token (short- or long-lived) for a new long-lived one
 * (GET /{version}/oauth/access_token?grant_type=fb_exchange_token). Facebook has no refresh tokens: a token
 * can be exchanged while it is still valid.
 */
import { IgsqlError } from '../errors';
import { SIGN_IN_HINT } from '../graph/errors';
import { explainCodeExchangeError, tokenResult, type TokenAnswer } from './oauth-common';
import type { ProcedureDef } from './types';

export const RefreshOAuthAccessToken: ProcedureDef = {
  name: 'RefreshOAuthAccessToken',
  description:
    "Exchanges a still-valid user access token for a new long-lived one (about 60 days). Needs OAuthClientId and OAuthClientSecret. An expired token cannot be exchanged: sign in again.",
  parameters: [
    { name: 'OAuthAccessToken', type: 'String', direction: 'in', required: false, description: "The token to exchange; default: the connection's current token." },
    { name: 'OAuthAccessToken', type: 'String', direction: 'out', required: false, description: 'The new long-lived token.' },
    { name: 'ExpiresIn', type: 'Integer', direction: 'out', required: false, description: 'Seconds until the new token expires.' },
  ],
  async run(ctx, args) {
    ctx.requireProps(['OAuthClientId', 'OAuthClientSecret'], 'the token exchange');
    const token = (args.OAuthAccessToken as string | null | undefined) || (await ctx.currentToken());
    if (!token) throw new IgsqlError('AUTH_REQUIRED', `RefreshOAuthAccessToken: there is no token to exchange; pass @OAuthAccessToken = '…'. ${SIGN_IN_HINT}`);
    ctx.addSecret(token);
    let r: TokenAnswer;
    try {
      r = await ctx.oauthGet<TokenAnswer>(['oauth', 'access_token'], { grant_type: 'fb_exchange_token', client_id: ctx.props.OAuthClientId, client_secret: ctx.props.OAuthClientSecret, fb_exchange_token: token }, 'the token exchange');
    } catch (e) {
      throw explainCodeExchangeError(e);
    }
    return tokenResult(ctx, r, 'the token exchange');
  },
};
