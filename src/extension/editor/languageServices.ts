/**
 * One language service per connection and account (its catalog and call estimates), shared by the native
 * editor and the query console. The language module (dt-sql-parser) loads on first use, not at activation,
 * and its grammar warms up once the host is idle.
 */
import type * as vscode from 'vscode';
import type { Connection } from '../../core/api';
import type { LanguageService } from '../../language';
import type { ActiveAccount } from '../activeAccount';
import type { Connections } from '../connections';
import type { Target } from '../types';

type LanguageModule = typeof import('../../language');

export class LanguageServices implements vscode.Disposable {
  private module?: Promise<LanguageModule>;
  private readonly services = new WeakMap<Connection, Map<string, LanguageService>>();

  constructor(
    private readonly connections: Connections,
    private readonly active: ActiveAccount,
  ) {}

  /** The target queries from the editor run on: the active account, else the first connection's default. */
  target(): Target | undefined {
    const current = this.active.get();
    const configs = this.connections.configs();
    if (current && configs.some((c) => c.name === current.connection)) return current;
    const first = configs[0];
    return first ? { connection: first.name } : undefined;
  }

  private load(): Promise<LanguageModule> {
    if (!this.module) {
      this.module = import('../../language');
      // Build the grammar when the host is idle, not on the first keystroke (~0.5–3 s, measured).
      void this.module.then((m) => setTimeout(() => m.warmUp(), 1000));
    }
    return this.module;
  }

  /** The service for the current target; undefined when there is no connection yet. */
  async current(): Promise<LanguageService | undefined> {
    return this.forTarget(this.target());
  }

  /** The service for a connection and account (the console's own target). */
  async forTarget(target: Target | undefined): Promise<LanguageService | undefined> {
    if (!target) return undefined;
    const [m, conn] = await Promise.all([this.load(), this.connections.connection(target.connection)]);
    let byAccount = this.services.get(conn);
    if (!byAccount) this.services.set(conn, (byAccount = new Map()));
    const key = target.accountId ?? '';
    let service = byAccount.get(key);
    if (!service) {
      const props = this.connections.configs().find((c) => c.name === target.connection)?.properties ?? {};
      const pageSize = Number(props.Pagesize ?? 100) || 100;
      // The accounts a query reads: the chosen one, else the connection's BusinessAccountId list, else all.
      const only = target.accountId ? [target.accountId] : props.BusinessAccountId?.split(',').map((s) => s.trim());
      // Media counts come with the account list the explorer reads anyway: no Graph call of its own.
      service = new m.LanguageService({
        connection: conn,
        loadWorkload: async () => m.workloadFromAccounts(await this.connections.businessAccounts(target.connection), pageSize, only),
      });
      byAccount.set(key, service);
    }
    return service;
  }

  dispose(): void {}
}
