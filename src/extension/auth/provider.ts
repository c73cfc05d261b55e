/**
 * Instagram SQL's AuthenticationProvider (the Accounts menu lists the signed-in users, one per connection;
 * supportsMultipleAccounts). Tokens and app secrets live only in SecretStorage (through SecretTokens); an index
 * of who is signed in where (no secrets) lives in globalState, since VS Code 1.100 has no SecretStorage.keys().
 * secrets.onDidChange keeps windows in step, as the authenticationprovider-sample does.
 *
 * Sign-in: withProgress({cancellable}) → env.openExternal(dialog) → the connection's transport brings the code
 * back → the state is checked (core PendingSignIns) → code exchange → long-lived token stored. Waiting ends
 * after 5 minutes; cancelling is not an error (no toast).
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { FlavourId, TokenRecord } from '../../core';
import { IgsqlError } from '../../core/errors';
import type { SecretTokens } from '../secrets';
import type { ConnectionSettings } from '../settings';
import type { Loaders } from '../types';
import type { AuthCallbacks } from './callbacks';
import { transport } from './transports';

export const PROVIDER_ID = 'igsql';
const INDEX = 'igsql.signedIn';
const CONNECTION_SCOPE = 'connection:';
/** Warn this long before a token expires. */
export const EXPIRY_WARNING_MS = 7 * 86_400_000;

/** Who is signed in on a connection: shown in the tree, the Accounts menu and the status bar. No secrets. */
export interface SignedInUser {
  connection: string;
  flavour: FlavourId;
  userId: string;
  userName: string;
  scopes: string[];
  expiresAt: number;
}

export class InstagramAuthProvider implements vscode.AuthenticationProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<vscode.AuthenticationProviderAuthenticationSessionsChangeEvent>();
  readonly onDidChangeSessions = this.emitter.event;
  private readonly usersEmitter = new vscode.EventEmitter<void>();
  /** Fires when a connection's signed-in user changes (this window or another). */
  readonly onDidChangeUsers = this.usersEmitter.event;
  private readonly subscriptions: vscode.Disposable[] = [];
  private known: SignedInUser[];

  constructor(
    private readonly secrets: SecretTokens,
    private readonly state: vscode.Memento,
    private readonly settings: ConnectionSettings,
    private readonly callbacks: AuthCallbacks,
    private readonly loaders: Loaders,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.known = this.users();
    // Another window signed in or out: re-read and tell VS Code what changed.
    this.subscriptions.push(secrets.onDidChange(() => this.reconcile()));
  }

  users(): SignedInUser[] {
    return this.state.get<SignedInUser[]>(INDEX, []);
  }

  user(connection: string): SignedInUser | undefined {
    return this.users().find((u) => u.connection === connection);
  }

  private session(u: SignedInUser, token: string): vscode.AuthenticationSession {
    return { id: u.connection, accessToken: token, account: { id: u.userId, label: `${u.userName} (${u.connection})` }, scopes: [`${CONNECTION_SCOPE}${u.connection}`, ...u.scopes] };
  }

  /** The stored record of a connection's sign-in (the token inside never leaves the extension host). */
  async record(connection: string): Promise<TokenRecord | undefined> {
    const core = await this.loaders.core();
    const config = this.settings.config(connection);
    if (!config) return undefined;
    const props = core.parseConnectionProps(config.properties);
    return core.parseRecord(await this.secrets.forConnection(connection).get(core.tokenStoreKey(props)));
  }

  async getSessions(scopes?: readonly string[]): Promise<vscode.AuthenticationSession[]> {
    const wanted = scopes?.find((s) => s.startsWith(CONNECTION_SCOPE))?.slice(CONNECTION_SCOPE.length);
    const out: vscode.AuthenticationSession[] = [];
    for (const u of this.users()) {
      if (wanted !== undefined && u.connection !== wanted) continue;
      const r = await this.record(u.connection).catch(() => undefined);
      if (r) out.push(this.session(u, r.accessToken));
    }
    return out;
  }

  async createSession(scopes: readonly string[]): Promise<vscode.AuthenticationSession> {
    let connection = scopes.find((s) => s.startsWith(CONNECTION_SCOPE))?.slice(CONNECTION_SCOPE.length);
    if (!connection) {
      const names = this.settings.configs().filter((c) => !c.sample && c.properties.OAuthClientId).map((c) => c.name);
      connection = names.length === 1 ? names[0] : await vscode.window.showQuickPick(names, { placeHolder: 'Sign in to which connection?' });
      if (!connection) throw new IgsqlError('CANCELLED', 'The sign-in was cancelled.');
    }
    const u = await this.signIn(connection);
    const r = await this.record(connection);
    return this.session(u, r!.accessToken);
  }

  async removeSession(sessionId: string): Promise<void> {
    await this.signOut(sessionId);
  }

  /** Runs the whole sign-in for a connection; resolves with the signed-in user. */
  async signIn(connection: string): Promise<SignedInUser> {
    const core = await this.loaders.core();
    const config = this.settings.config(connection);
    if (!config || config.sample) throw new IgsqlError('NOT_FOUND', `There is no connection named "${connection}" to sign in to.`);
    let appSecret = await this.secrets.appSecret(connection);
    if (!appSecret && config.properties.OAuthClientId) {
      // A connection written in settings (or synced from another machine) has no secret here yet: ask once.
      appSecret = (await vscode.window.showInputBox({
        title: `App Secret for "${connection}"`,
        prompt: `The App Secret of your Meta app ${config.properties.OAuthClientId}: kept in VS Code's secret storage, never in settings.`,
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (/^\S{8,}$/.test(v.trim()) ? undefined : 'Paste the whole App Secret'),
      }))?.trim();
      if (!appSecret) throw new IgsqlError('CANCELLED', 'The sign-in was cancelled.');
      await this.secrets.setAppSecret(connection, appSecret);
    }
    const props = core.parseConnectionProps({ ...config.properties, ...(appSecret ? { OAuthClientSecret: appSecret } : {}) });
    const app = core.oauthApp(props);
    if (!app) {
      throw new IgsqlError('INVALID_PROPERTY', `"${connection}" has no ${props.OAuthClientId ? 'app secret' : 'app id'}: run "Instagram SQL: Add Connection…" again with your Meta app's App ID and App Secret.`, { property: props.OAuthClientId ? 'OAuthClientSecret' : 'OAuthClientId' });
    }
    const t = transport(config.transport);
    const redirectUri = props.CallbackURL ?? core.DEFAULT_CALLBACK_URL;
    const why = t.unsupported(redirectUri);
    if (why) throw new IgsqlError('INVALID_PROPERTY', `Cannot sign in to "${connection}" this way: ${why}`, { property: 'CallbackURL' });

    const record = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Signing in to "${connection}" in your browser…`, cancellable: true }, async (_progress, token) => {
      const ac = new AbortController();
      const sub = token.onCancellationRequested(() => ac.abort());
      const pendings = new core.PendingSignIns();
      const prepared = await t.prepare(randomBytes(18).toString('base64url'), redirectUri, this.callbacks);
      let timer: NodeJS.Timeout | undefined;
      try {
        const pending = core.beginSignIn(app, redirectUri, props.Scope ? props.Scope.split(',') : [], { state: prepared.state, ...(props.OAuthConfigId ? { configId: props.OAuthConfigId } : {}) });
        pendings.add(pending);
        // Listen before opening the browser: an answer may come back before openExternal resolves.
        const answer = prepared.wait(ac.signal);
        answer.catch(() => undefined);
        await vscode.env.openExternal(vscode.Uri.parse(pending.url, true));
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            ac.abort();
            reject(new IgsqlError('AUTH_REQUIRED', `No answer from the browser within 5 minutes: the sign-in to "${connection}" was stopped. Try again.`));
          }, core.SIGN_IN_TIMEOUT_MS);
        });
        const redirected = await Promise.race([answer, timeout]);
        const { code } = pendings.take(redirected);
        return await new core.OAuthClient(app).exchangeCode(code, pending);
      } finally {
        clearTimeout(timer);
        sub.dispose();
        prepared.dispose();
      }
    });
    await this.secrets.forConnection(connection).set(core.tokenStoreKey(props), core.serializeRecord(record));
    const user: SignedInUser = {
      connection, flavour: record.flavour, userId: record.userId ?? '', userName: record.userName ?? record.userId ?? 'signed in',
      scopes: record.scopes, expiresAt: record.expiresAt,
    };
    await this.state.update(INDEX, [...this.users().filter((u) => u.connection !== connection), user]);
    this.log.info(`Signed in to "${connection}" as ${user.userName} (${record.flavour}).`);
    this.reconcile();
    return user;
  }

  /** Deletes the connection's sign-in (token) from SecretStorage; the app secret stays for the next sign-in. */
  async signOut(connection: string): Promise<void> {
    for (const key of this.secrets.keys()) if (key.startsWith(`session/${connection}/`)) await this.secrets.delete(key);
    await this.state.update(INDEX, this.users().filter((u) => u.connection !== connection));
    this.reconcile();
  }

  /** Renews the connection's token now (fb_exchange_token / ig_refresh_token); resolves with the new expiry. */
  async renew(connection: string): Promise<number> {
    const core = await this.loaders.core();
    const config = this.settings.config(connection);
    const secret = await this.secrets.appSecret(connection);
    const props = core.parseConnectionProps({ ...config?.properties, ...(secret ? { OAuthClientSecret: secret } : {}) });
    const app = core.oauthApp(props);
    const record = await this.record(connection);
    if (!app || !record) throw new IgsqlError('AUTH_REQUIRED', `Not signed in to "${connection}".`);
    const fresh = await new core.OAuthClient(app).renew(record);
    await this.secrets.forConnection(connection).set(core.tokenStoreKey(props), core.serializeRecord(fresh));
    await this.state.update(INDEX, this.users().map((x) => (x.connection === connection ? { ...x, expiresAt: fresh.expiresAt } : x)));
    this.reconcile();
    return fresh.expiresAt;
  }

  /** Users whose token expires within EXPIRY_WARNING_MS (from the index: no secret read, no network). */
  expiringSoon(now = Date.now()): SignedInUser[] {
    return this.users().filter((u) => u.expiresAt > 0 && u.expiresAt - now < EXPIRY_WARNING_MS);
  }

  /** Fires added/removed/changed against what this window last saw (its own changes and other windows'). */
  private reconcile(): void {
    const now = this.users();
    const before = this.known;
    this.known = now;
    const key = (u: SignedInUser) => `${u.connection}\u0000${u.userId}\u0000${u.expiresAt}`;
    const added = now.filter((u) => !before.some((b) => b.connection === u.connection));
    const removed = before.filter((b) => !now.some((u) => u.connection === b.connection));
    const changed = now.filter((u) => before.some((b) => b.connection === u.connection && key(b) !== key(u)));
    if (!added.length && !removed.length && !changed.length) return;
    const asSession = (u: SignedInUser) => this.session(u, '');
    this.emitter.fire({ added: added.map(asSession), removed: removed.map(asSession), changed: changed.map(asSession) });
    this.usersEmitter.fire();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
    this.usersEmitter.dispose();
  }
}
