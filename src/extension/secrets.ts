/**
 * Secrets in VS Code's SecretStorage, never in settings. VS Code 1.100 has no `SecretStorage.keys()`, so the
 * keys we wrote are indexed in globalState (names only, no values) to be able to list and clear them.
 * Also the core's `TokenStore` (DESIGN §4): the extension's implementation wraps `context.secrets`.
 */
import type * as vscode from 'vscode';
import type { TokenStore } from '../core/api';

const PREFIX = 'igsql.secret.';
const INDEX = 'igsql.secretIndex';

export class SecretTokens implements TokenStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  get(key: string): Promise<string | undefined> {
    return Promise.resolve(this.secrets.get(PREFIX + key));
  }

  async set(key: string, value: string): Promise<void> {
    await this.secrets.store(PREFIX + key, value);
    const index = this.keys();
    if (!index.includes(key)) await this.state.update(INDEX, [...index, key]);
  }

  async delete(key: string): Promise<void> {
    await this.secrets.delete(PREFIX + key);
    await this.state.update(INDEX, this.keys().filter((k) => k !== key));
  }

  keys(): string[] {
    return this.state.get<string[]>(INDEX, []);
  }

  /** The access token entered for a connection (by its name in settings). */
  accessToken(connection: string): Promise<string | undefined> {
    return this.get(`token/${connection}`);
  }

  setAccessToken(connection: string, token: string): Promise<void> {
    return this.set(`token/${connection}`, token);
  }

  deleteAccessToken(connection: string): Promise<void> {
    return this.delete(`token/${connection}`);
  }

  /** The Meta app secret of a connection (never in settings). */
  appSecret(connection: string): Promise<string | undefined> {
    return this.get(`app-secret/${connection}`);
  }

  setAppSecret(connection: string, secret: string): Promise<void> {
    return this.set(`app-secret/${connection}`, secret);
  }

  /** The core's token store for one connection: its sign-in records, apart from every other connection's. */
  forConnection(connection: string): TokenStore {
    const prefix = `session/${connection}/`;
    return { get: (k) => this.get(prefix + k), set: (k, v) => this.set(prefix + k, v), delete: (k) => this.delete(prefix + k) };
  }

  /** Forgets every secret of a connection (its token, app secret and sign-ins). */
  async deleteConnection(connection: string): Promise<void> {
    for (const key of this.keys()) {
      if (key === `token/${connection}` || key === `app-secret/${connection}` || key.startsWith(`session/${connection}/`)) await this.delete(key);
    }
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => { if (e.key.startsWith(PREFIX)) listener(); });
  }
}
