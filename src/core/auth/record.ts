/**
 * What a token store holds for one sign-in: the token and what we know about it (flavour, user, scopes,
 * expiry). Serialised as one JSON object per store key; the format is documented in README ("Token file").
 * A plain string (what earlier versions and the OAuth procedures stored) reads as a record with only a token.
 */
import type { FlavourId } from './flavours';

export interface TokenRecord {
  /** Format version of this record. */
  v: 1;
  flavour: FlavourId;
  appId: string;
  accessToken: string;
  /** ms since the epoch; 0 = unknown or never expires. */
  expiresAt: number;
  /** ms since the epoch when we received the token (Instagram refuses to refresh a token younger than 24 h). */
  obtainedAt: number;
  /** Scopes granted, when known (debug_token or the code exchange said so). */
  scopes: string[];
  /** The signed-in user: Facebook user id, or the Instagram user id for Business Login for Instagram. */
  userId?: string;
  userName?: string;
}

export function parseRecord(raw: string | undefined): TokenRecord | undefined {
  if (!raw) return undefined;
  const text = raw.trim();
  if (!text.startsWith('{')) return { v: 1, flavour: 'FACEBOOK', appId: '', accessToken: text, expiresAt: 0, obtainedAt: 0, scopes: [] };
  try {
    const o = JSON.parse(text) as Partial<TokenRecord>;
    if (typeof o.accessToken !== 'string' || !o.accessToken) return undefined;
    return {
      v: 1,
      flavour: o.flavour === 'INSTAGRAM' ? 'INSTAGRAM' : 'FACEBOOK',
      appId: typeof o.appId === 'string' ? o.appId : '',
      accessToken: o.accessToken,
      expiresAt: typeof o.expiresAt === 'number' ? o.expiresAt : 0,
      obtainedAt: typeof o.obtainedAt === 'number' ? o.obtainedAt : 0,
      scopes: Array.isArray(o.scopes) ? o.scopes.filter((s): s is string => typeof s === 'string') : [],
      ...(typeof o.userId === 'string' ? { userId: o.userId } : {}),
      ...(typeof o.userName === 'string' ? { userName: o.userName } : {}),
    };
  } catch {
    return undefined;
  }
}

export function serializeRecord(r: TokenRecord): string {
  return JSON.stringify(r);
}

/** What may be shown of a record: everything but the token. */
export function describeRecord(r: TokenRecord): Omit<TokenRecord, 'accessToken'> {
  const { accessToken: _hidden, ...rest } = r;
  void _hidden;
  return rest;
}
