// Access tokens: the fixed token `sandbox` (every scope, never expires), page tokens, and tokens issued by
// the OAuth endpoints or the /__sandbox/tokens test hook. Expiry is judged on the real clock.
import { randomBytes } from 'node:crypto';
import { GraphError } from './errors';
import type { World } from './data/types';

export const ALL_SCOPES = [
  'public_profile', 'pages_show_list', 'pages_read_engagement', 'business_management', 'instagram_basic',
  'instagram_manage_comments', 'instagram_manage_insights', 'instagram_content_publish',
];

export const SANDBOX_APP_ID = '1234567890123456';

export interface TokenInfo {
  token: string;
  type: 'USER' | 'PAGE' | 'APP';
  scopes: string[];
  /** ms epoch; 0 = never expires. */
  expiresAt: number;
  issuedAt: number;
  appId: string;
  userId: string;
}

export class Tokens {
  private readonly byToken = new Map<string, TokenInfo>();

  constructor(world: World) {
    const base = { scopes: [...ALL_SCOPES], expiresAt: 0, issuedAt: Date.now(), appId: SANDBOX_APP_ID, userId: world.me.id };
    this.byToken.set('sandbox', { token: 'sandbox', type: 'USER', ...base });
    for (const p of world.pages) this.byToken.set(p.access_token, { token: p.access_token, type: 'PAGE', ...base });
  }

  issue(scopes: readonly string[], expiresInSec: number, appId: string, userId: string): TokenInfo {
    const token = `EAA${randomBytes(60).toString('base64url')}`;
    const now = Date.now();
    const info: TokenInfo = { token, type: 'USER', scopes: [...new Set(scopes)], expiresAt: now + expiresInSec * 1000, issuedAt: now, appId, userId };
    this.byToken.set(token, info);
    return info;
  }

  lookup(token: string | undefined): TokenInfo | undefined {
    if (!token) return undefined;
    const app = /^(\d+)\|(.+)$/.exec(token); // app access token "app_id|app_secret"
    if (app) return { token, type: 'APP', scopes: [], expiresAt: 0, issuedAt: 0, appId: app[1]!, userId: '' };
    return this.byToken.get(token);
  }

  /** The token's info, or Graph's 104 / 190 / 190-463 error. */
  check(token: string | undefined): TokenInfo {
    if (!token) throw GraphError.missingToken();
    const info = this.lookup(token);
    if (!info) throw GraphError.invalidToken();
    if (info.expiresAt !== 0 && info.expiresAt <= Date.now()) throw GraphError.expiredToken(new Date(info.expiresAt), new Date());
    return info;
  }
}

export function requireScopes(token: TokenInfo, scopes: readonly string[]): void {
  for (const s of scopes) if (!token.scopes.includes(s)) throw GraphError.permission();
}
