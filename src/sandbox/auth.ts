// Access tokens: the fixed token `sandbox` (every scope, never expires), page tokens, and tokens issued by
// the OAuth endpoints or the /__sandbox/tokens test hook. Expiry is judged on the real clock.
import { createHmac, randomBytes } from 'node:crypto';
import { GraphError } from './errors';
import type { World } from './data/types';

export const ALL_SCOPES = [
  'public_profile', 'pages_show_list', 'pages_read_engagement', 'business_management', 'instagram_basic',
  'instagram_manage_comments', 'instagram_manage_insights', 'instagram_content_publish',
];

export const SANDBOX_APP_ID = '1234567890123456';

/**
 * Business Login for Instagram's permissions, and the Facebook Login permission each stands for when the
 * sandbox checks what a call needs. https://developers.facebook.com/docs/instagram-platform/instagram-api-with-instagram-login/business-login
 */
export const INSTAGRAM_SCOPES: Record<string, string> = {
  instagram_business_basic: 'instagram_basic',
  instagram_business_manage_comments: 'instagram_manage_comments',
  instagram_business_manage_insights: 'instagram_manage_insights',
  instagram_business_content_publish: 'instagram_content_publish',
  instagram_business_manage_messages: 'instagram_manage_messages',
};

/** Which login issued a token: Facebook Login tokens work on graph.facebook.com, Instagram's on graph.instagram.com. */
export type Host = 'facebook' | 'instagram';

export interface TokenInfo {
  token: string;
  type: 'USER' | 'PAGE' | 'APP';
  host?: Host;
  /** Instagram tokens: the IG user the token belongs to (it is `me`). */
  igUserId?: string;
  /** Facebook tokens: the Pages the user chose to share in the dialog; undefined = all. */
  pageIds?: string[];
  scopes: string[];
  /** ms epoch; 0 = never expires. */
  expiresAt: number;
  issuedAt: number;
  appId: string;
  userId: string;
}

export class Tokens {
  private readonly byToken = new Map<string, TokenInfo>();
  /** App secrets learned from the OAuth endpoints (app id → secret), to check appsecret_proof. */
  private readonly secrets = new Map<string, string>();
  /** Apps with "Require App Secret" on: calls without appsecret_proof are refused. */
  readonly requireProof = new Set<string>();
  /** Token lifetimes in seconds (long: 5183944, as Graph reports for 60 days); tests shorten them (POST /__sandbox/lifetimes). */
  lifetimes = { short: 3600, long: 5183944 };

  constructor(world: World) {
    const base = { scopes: [...ALL_SCOPES], expiresAt: 0, issuedAt: Date.now(), appId: SANDBOX_APP_ID, userId: world.me.id };
    this.byToken.set('sandbox', { token: 'sandbox', type: 'USER', ...base });
    for (const p of world.pages) this.byToken.set(p.access_token, { token: p.access_token, type: 'PAGE', ...base });
  }

  issue(scopes: readonly string[], expiresInSec: number, appId: string, userId: string, extra: Partial<TokenInfo> = {}): TokenInfo {
    // Instagram User tokens start with IGAA, Facebook User tokens with EAA.
    const token = `${extra.host === 'instagram' ? 'IGAA' : 'EAA'}${randomBytes(60).toString('base64url')}`;
    const now = Date.now();
    const info: TokenInfo = { token, type: 'USER', scopes: [...new Set(scopes)], expiresAt: now + expiresInSec * 1000, issuedAt: now, appId, userId, ...extra };
    this.byToken.set(token, info);
    return info;
  }

  /** Remembers an app's secret the first time a valid exchange shows it; false when it differs from the known one. */
  learnSecret(appId: string, secret: string): boolean {
    const known = this.secrets.get(appId);
    if (known === undefined) this.secrets.set(appId, secret);
    return known === undefined || known === secret;
  }

  /** A permission removed by the user (DELETE /me/permissions/{permission}). */
  revoke(token: TokenInfo, permission: string): void {
    token.scopes = token.scopes.filter((s) => s !== permission);
  }

  /**
   * appsecret_proof: HMAC-SHA256 of the token with the app secret.
   * https://developers.facebook.com/docs/graph-api/securing-requests
   */
  checkProof(info: TokenInfo, proof: string | undefined): void {
    const secret = info.type === 'APP' ? info.token.split('|')[1] : this.secrets.get(info.appId);
    if (proof === undefined) {
      if (this.requireProof.has(info.appId)) throw new GraphError(100, 'API calls from the server require an appsecret_proof argument', { type: 'GraphMethodException' });
      return;
    }
    if (secret === undefined) return; // the sandbox does not know this app's secret: nothing to compare with
    const expected = createHmac('sha256', secret).update(info.token).digest('hex');
    if (proof !== expected) throw new GraphError(100, 'Invalid appsecret_proof provided in the API argument', { type: 'GraphMethodException' });
  }

  lookup(token: string | undefined): TokenInfo | undefined {
    if (!token) return undefined;
    const app = /^(\d+)\|(.+)$/.exec(token); // app access token "app_id|app_secret"
    if (app) return { token, type: 'APP', scopes: [], expiresAt: 0, issuedAt: 0, appId: app[1]!, userId: '' };
    return this.byToken.get(token);
  }

  /** The token's info, or Graph's 104 / 190 / 190-463 error. A token works only on the host of its login. */
  check(token: string | undefined, host: Host = 'facebook'): TokenInfo {
    if (!token) throw GraphError.missingToken();
    const info = this.lookup(token);
    if (!info || (info.host ?? 'facebook') !== host) throw GraphError.invalidToken();
    if (info.expiresAt !== 0 && info.expiresAt <= Date.now()) throw GraphError.expiredToken(new Date(info.expiresAt), new Date());
    return info;
  }
}

/** The Facebook Login permissions a token holds (an Instagram token's are translated). */
export function effectiveScopes(token: TokenInfo): string[] {
  return token.host === 'instagram' ? token.scopes.map((s) => INSTAGRAM_SCOPES[s]).filter((s): s is string => !!s) : token.scopes;
}

export function requireScopes(token: TokenInfo, scopes: readonly string[]): void {
  const held = effectiveScopes(token);
  for (const s of scopes) if (!held.includes(s)) throw GraphError.permission();
}
