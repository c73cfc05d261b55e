/**
 * Opens core connections lazily and caches them, one per configured connection; the business account a query
 * runs on travels with the query (`QueryOptions.businessAccountId`). Nothing here runs at activation; the
 * first tree expansion or query loads the core (and, for the Sample account, starts the sandbox).
 * `reset` (Refresh, a settings or token change) takes effect at once: closing a core connection cancels the
 * query running on it, and a connection still opening when reset comes is closed as soon as it opens.
 */
import type * as vscode from 'vscode';
import type { BusinessAccount, Connection, ConnectDeps, TokenStore } from '../core/api';
import { IgsqlError } from '../core/errors';
import { closeSandbox, SAMPLE_TOKEN, type SampleSandbox } from './sampleAccount';
import type { SecretTokens } from './secrets';
import type { ConnectionSettings } from './settings';
import type { ConnectionConfig, Loaders } from './types';

/**
 * VS Code's `http.proxy` (e.g. `http://user:secret@proxy.corp:3128` or `socks5://proxy:1080`) as the
 * connection's proxy properties, unless the connection sets a proxy of its own. The Sample account (loopback)
 * never goes through it. A value that is not a URL is passed on as ProxyServer for the core to report.
 */
export function proxyProps(props: Readonly<Record<string, string>>, httpProxy: string | undefined): Record<string, string> {
  const own = Object.keys(props).some((k) => /^(proxyserver|proxyautodetect|firewalltype)$/i.test(k));
  if (own || !httpProxy) return {};
  let u: URL;
  try { u = new URL(httpProxy); } catch { return { ProxyServer: httpProxy }; }
  const user = decodeURIComponent(u.username);
  const password = decodeURIComponent(u.password);
  if (u.protocol === 'socks5:' || u.protocol === 'socks4:' || u.protocol === 'socks:') {
    return {
      FirewallType: u.protocol === 'socks4:' ? 'SOCKS4' : 'SOCKS5', FirewallServer: u.hostname, FirewallPort: u.port || '1080',
      ...(user ? { FirewallUser: user } : {}), ...(password ? { FirewallPassword: password } : {}),
    };
  }
  return {
    ProxyServer: u.hostname, ProxyPort: u.port || (u.protocol === 'https:' ? '443' : '80'),
    ...(user ? { ProxyAuthScheme: 'BASIC', ProxyUser: user, ...(password ? { ProxyPassword: password } : {}) } : { ProxyAuthScheme: 'NONE' }),
  };
}

export interface OpenTimings {
  /** Loading the core module (its first import). */
  loadMs: number;
  sandboxMs: number;
  connectMs: number;
  /** The first `businessAccounts()` call (one Graph request). */
  accountsMs: number;
}

export class Connections implements vscode.Disposable {
  private readonly open = new Map<string, Promise<Connection>>();
  private readonly accounts = new Map<string, Promise<BusinessAccount[]>>();
  readonly timings: OpenTimings = { loadMs: 0, sandboxMs: 0, connectMs: 0, accountsMs: 0 };

  constructor(
    private readonly settings: ConnectionSettings,
    private readonly secrets: SecretTokens,
    private readonly sample: SampleSandbox,
    private readonly loaders: Loaders,
    private readonly deps: ConnectDeps,
  ) {}

  configs(): ConnectionConfig[] {
    return this.settings.configs();
  }

  /** The core connection for a configured connection. */
  connection(name: string): Promise<Connection> {
    const key = name;
    let conn = this.open.get(key);
    if (!conn) {
      conn = this.connect(name);
      this.open.set(key, conn);
      // A failed open is not cached: Retry tries again.
      conn.catch(() => { if (this.open.get(key) === conn) this.open.delete(key); });
    }
    return conn;
  }

  businessAccounts(name: string): Promise<BusinessAccount[]> {
    let list = this.accounts.get(name);
    if (!list) {
      list = this.connection(name).then(async (c) => {
        const t0 = performance.now();
        const accounts = await c.businessAccounts();
        if (this.timings.accountsMs === 0) this.timings.accountsMs = performance.now() - t0;
        return accounts;
      });
      this.accounts.set(name, list);
      list.catch(() => { if (this.accounts.get(name) === list) this.accounts.delete(name); });
    }
    return list;
  }

  /**
   * Forgets and closes the connections of one configured connection, or of all: their running queries end as
   * cancelled. When no Sample account is configured any more, its sandbox stops too.
   */
  async reset(name?: string): Promise<void> {
    const closing: Promise<unknown>[] = [];
    for (const [key, conn] of [...this.open]) {
      if (name !== undefined && key !== name) continue;
      this.open.delete(key);
      closing.push(conn.then((c) => c.close()).catch(() => undefined));
    }
    for (const key of [...this.accounts.keys()]) if (name === undefined || key === name) this.accounts.delete(key);
    await Promise.all(closing);
    if (!this.configs().some((c) => c.sample)) await this.sample.stop();
  }

  /**
   * A new sandbox for the Sample account (its latency setting changed). The old one is detached first, so a
   * query starting now opens the new one; it stops only after the connections to it are closed, so a running
   * query ends as cancelled rather than with a network error from a server that went away under it.
   */
  async restartSample(): Promise<void> {
    const old = this.sample.detach();
    await Promise.all(this.configs().filter((c) => c.sample).map((c) => this.reset(c.name)));
    await closeSandbox(old);
  }

  private async connect(name: string): Promise<Connection> {
    const config = this.settings.config(name);
    if (!config) throw new IgsqlError('NOT_FOUND', `There is no connection named "${name}" in the igsql.connections setting.`);
    const props: Record<string, string> = { ...config.properties };
    if (config.sample) {
      const t0 = performance.now();
      props.ApiBaseURL = await this.sample.url();
      this.timings.sandboxMs = performance.now() - t0;
      props.OAuthAccessToken = SAMPLE_TOKEN;
    }
    let tokenStore: TokenStore = this.secrets;
    if (!config.sample) {
      Object.assign(props, proxyProps(props, (this.settings as { httpProxy?: () => string | undefined }).httpProxy?.()));
      const appSecret = await this.secrets.appSecret(name);
      const token = await this.secrets.accessToken(name);
      if (props.OAuthClientId && appSecret && !token) {
        // Signed in with the app (auth/provider.ts): the core reads the stored token and renews it before expiry;
        // every call carries appsecret_proof.
        props.OAuthClientSecret = appSecret;
        props.InitiateOAuth = 'REFRESH';
        tokenStore = this.secrets.forConnection(name);
      } else if (token) {
        props.OAuthAccessToken = token;
      } else {
        throw new IgsqlError('AUTH_REQUIRED', `Not signed in to "${name}": click Sign in on the connection (or run "Instagram SQL: Set Access Token…" to paste a token).`);
      }
    }
    const t1 = performance.now();
    const { connect } = await this.loaders.core();
    const t2 = performance.now();
    const conn = await connect(props, { ...this.deps, tokenStore });
    if (this.timings.connectMs === 0) {
      this.timings.loadMs = t2 - t1;
      this.timings.connectMs = performance.now() - t2;
    }
    return conn;
  }

  dispose(): void {
    void this.reset();
  }
}
