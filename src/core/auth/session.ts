/**
 * The connection's token, as InitiateOAuth says (the seed connector's semantics):
 * - OFF: OAuthAccessToken as given (else a token already in the store); never renews, never signs in.
 * - GETANDREFRESH: the stored token; signs in (through the host's `authorize`) when the store holds none or it
 *   cannot be renewed; renews before expiry.
 * - REFRESH: the stored token (or OAuthAccessToken), renewed before expiry; never signs in.
 * After Graph's code 190 during a read, `recover()` renews (or signs in, if allowed) once so the read is replayed.
 */
import type { Authorize, TokenStore } from '../api';
import { IgsqlError } from '../errors';
import { OAuthClient, PendingSignIns, beginSignIn, type OAuthApp } from './oauth';
import { parseRecord, serializeRecord, type TokenRecord } from './record';

export type InitiateOAuth = 'OFF' | 'GETANDREFRESH' | 'REFRESH';

export interface SessionOptions {
  mode: InitiateOAuth;
  /** OAuthAccessToken. */
  given?: string;
  store?: TokenStore;
  key: string;
  /** Needs OAuthClientId and OAuthClientSecret; undefined when the connection has no app. */
  app?: OAuthApp;
  authorize?: Authorize;
  redirectUri?: string;
  scopes: readonly string[];
  configId?: string;
  now: () => number;
  addSecret: (v: string) => void;
}

/** Renew when less than this share of the token's life (and at most 7 days) is left. */
const RENEW_SHARE = 0.5;
const RENEW_MAX_MS = 7 * 86_400_000;

export const SIGN_IN_NEXT_STEP = "Sign in: in VS Code click Sign in on the connection, or run 'igsql login --connection \"…\"' (with InitiateOAuth=GETANDREFRESH), or set OAuthAccessToken.";

export class TokenSession {
  private current?: TokenRecord;
  private loading?: Promise<TokenRecord>;

  constructor(private readonly o: SessionOptions) {}

  private get client(): OAuthClient | undefined {
    return this.o.app && new OAuthClient(this.o.app);
  }

  /** The token for the next call. */
  async token(): Promise<string> {
    if (this.o.mode === 'OFF' && this.o.given) return this.o.given;
    if (!this.current || this.dueForRenewal(this.current)) {
      this.loading ??= this.load().finally(() => (this.loading = undefined));
      this.current = await this.loading;
    }
    return this.current.accessToken;
  }

  /** The token's record (for whoami and the permission check), after token() succeeded once. */
  record(): TokenRecord | undefined {
    return this.current;
  }

  private dueForRenewal(r: TokenRecord): boolean {
    if (this.o.mode === 'OFF' || !r.expiresAt) return false;
    const life = r.obtainedAt ? r.expiresAt - r.obtainedAt : RENEW_MAX_MS * 2;
    return r.expiresAt - this.o.now() < Math.min(RENEW_MAX_MS, life * RENEW_SHARE);
  }

  private expired(r: TokenRecord): boolean {
    return r.expiresAt !== 0 && r.expiresAt <= this.o.now();
  }

  private async stored(): Promise<TokenRecord | undefined> {
    const r = parseRecord(await this.o.store?.get(this.o.key));
    if (r) this.o.addSecret(r.accessToken);
    return r;
  }

  private async save(r: TokenRecord): Promise<TokenRecord> {
    this.o.addSecret(r.accessToken);
    await this.o.store?.set(this.o.key, serializeRecord(r));
    return r;
  }

  private async load(): Promise<TokenRecord> {
    const { mode } = this.o;
    let r = (this.current && this.current.accessToken ? this.current : undefined) ?? (await this.stored());
    if (!r && this.o.given) r = { v: 1, flavour: this.o.app?.flavour.id ?? 'FACEBOOK', appId: this.o.app?.appId ?? '', accessToken: this.o.given, expiresAt: 0, obtainedAt: 0, scopes: [] };
    if (mode === 'OFF') {
      if (r) return r;
      throw new IgsqlError('AUTH_REQUIRED', `No access token: InitiateOAuth is OFF and OAuthAccessToken is not set. Set OAuthAccessToken, or set InitiateOAuth=GETANDREFRESH and sign in ('igsql login').`);
    }
    if (!r) {
      if (mode === 'GETANDREFRESH') return this.signIn();
      throw new IgsqlError('AUTH_REQUIRED', `No stored token to renew (InitiateOAuth=REFRESH only renews). ${SIGN_IN_NEXT_STEP}`);
    }
    if (!this.dueForRenewal(r)) return r;
    try {
      return await this.renew(r);
    } catch (e) {
      if (!this.expired(r)) return r; // still valid: use it, renewal is tried again on the next call
      if (mode === 'GETANDREFRESH' && this.o.authorize) return this.signIn();
      throw new IgsqlError('AUTH_REQUIRED', `The stored token expired and could not be renewed (${(e as Error).message}). ${SIGN_IN_NEXT_STEP}`);
    }
  }

  private async renew(r: TokenRecord): Promise<TokenRecord> {
    const client = this.client;
    if (!client) throw new IgsqlError('INVALID_PROPERTY', 'Renewing the token needs OAuthClientId and OAuthClientSecret.', { property: 'OAuthClientSecret' });
    return this.save(await client.renew(r));
  }

  /** Runs the whole desktop flow through the host's `authorize`. */
  async signIn(signal?: AbortSignal): Promise<TokenRecord> {
    const client = this.client;
    const { app, authorize, redirectUri } = this.o;
    if (!client || !app) {
      throw new IgsqlError('INVALID_PROPERTY', 'Signing in needs OAuthClientId and OAuthClientSecret (your Meta app\'s App ID and App Secret).', { property: this.o.app ? 'OAuthClientSecret' : 'OAuthClientId' });
    }
    if (!authorize || !redirectUri) throw new IgsqlError('AUTH_REQUIRED', `No token yet, and this program cannot open a browser to sign in. ${SIGN_IN_NEXT_STEP}`);
    const pending = new PendingSignIns(this.o.now);
    const p = beginSignIn(app, redirectUri, this.o.scopes, this.o.configId ? { configId: this.o.configId } : {});
    pending.add(p);
    const redirected = await authorize({ url: p.url, redirectUri, ...(signal ? { signal } : {}) });
    const { code } = pending.take(redirected);
    const record = await this.save(await client.exchangeCode(code, p));
    this.current = record;
    return record;
  }

  /** After Graph's 190 on a read: a new token if InitiateOAuth allows one; true when the read may be replayed. */
  async recover(): Promise<boolean> {
    if (this.o.mode === 'OFF' || !this.o.app) return false;
    const old = this.current;
    this.current = undefined;
    try {
      if (old) {
        try {
          this.current = await this.renew(old);
          return true;
        } catch {
          if (this.o.mode !== 'GETANDREFRESH' || !this.o.authorize) return false;
        }
      }
      if (this.o.mode === 'GETANDREFRESH' && this.o.authorize) {
        this.current = await this.signIn();
        return true;
      }
      return false;
    } finally {
      this.current ??= old;
    }
  }
}
