/**
 * The TableContext a fetcher sees during one query: Graph calls counted in the query's stats and carrying its
 * AbortSignal, business-account resolution, and permission errors turned into the missing scope's name.
 */
import type { BusinessAccount } from './api';
import type { QueryRun } from './engine/engine';
import { IgsqlError } from './errors';
import type { CallContext, GraphClient, Params } from './graph/client';
import { isNotFound } from './graph/errors';
import { text } from './schema/common';
import type { Filter, TableContext, TableDef } from './schema/types';

export interface ConnectionServices {
  graph: GraphClient;
  pageSize: number;
  /** The connection's BusinessAccountId property (comma-separated ids allowed). */
  defaultAccounts?: string;
  businessAccounts(call: CallContext): Promise<BusinessAccount[]>;
  grantedScopes(call: CallContext): Promise<string[] | undefined>;
  now: () => number;
}

export class QueryContext implements TableContext {
  readonly pageSize: number;
  readonly now: () => number;

  constructor(
    private readonly services: ConnectionServices,
    private readonly table: TableDef,
    private readonly run: QueryRun,
  ) {
    this.pageSize = services.pageSize;
    this.now = services.now;
  }

  private call(what: string): CallContext {
    return { stats: this.run.stats, signal: this.run.signal, what };
  }

  private async guard<T>(what: string, f: (call: CallContext) => Promise<T>): Promise<T> {
    try {
      const out = await f(this.call(what));
      this.run.progress();
      return out;
    } catch (e) {
      if (e instanceof IgsqlError && e.code === 'PERMISSION_DENIED') throw await this.explainPermission(e);
      throw e;
    }
  }

  /** Names the scope: asks /me/permissions which of the table's scopes the token lacks. */
  private async explainPermission(e: IgsqlError): Promise<IgsqlError> {
    let missing: string[] = [];
    try {
      const granted = await this.services.grantedScopes(this.call('your permissions'));
      if (granted) missing = this.table.scopes.filter((s) => !granted.includes(s));
    } catch {
      // Keep the original error if the permissions cannot be read either.
    }
    const scopes = missing.length ? missing : this.table.scopes;
    return new IgsqlError(
      'PERMISSION_DENIED',
      `Reading ${this.table.name} needs the permission${scopes.length > 1 ? 's' : ''} ${scopes.join(', ')}, which this token ${missing.length ? 'lacks' : 'may lack'}. Sign in again and grant ${scopes.length > 1 ? 'them' : 'it'} (add to the Scope property if you set it).`,
      { ...e.details, scopes },
    );
  }

  get<T>(segments: readonly string[], params: Params, what: string): Promise<T> {
    return this.guard(what, (c) => this.services.graph.get<T>(segments, params, c));
  }

  async getOptional<T>(segments: readonly string[], params: Params, what: string): Promise<T | undefined> {
    try {
      return await this.get<T>(segments, params, what);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async *pages<T>(segments: readonly string[], params: Params, what: string): AsyncGenerator<T[]> {
    const it = this.services.graph.pages<T>(segments, params, this.call(what));
    for (;;) {
      const r = await this.guard(what, () => it.next());
      if (r.done) return;
      yield r.value;
    }
  }

  post<T>(segments: readonly string[], params: Params, what: string): Promise<T> {
    return this.guard(what, (c) => this.services.graph.post<T>(segments, params, c));
  }

  delete<T>(segments: readonly string[], params: Params, what: string): Promise<T> {
    return this.guard(what, (c) => this.services.graph.delete<T>(segments, params, c));
  }

  async accounts(filter: Filter): Promise<string[]> {
    const explicit = text(filter.eq('BusinessAccountId'));
    if (explicit !== undefined) return [explicit];
    if (this.services.defaultAccounts) return this.services.defaultAccounts.split(',').map((s) => s.trim()).filter(Boolean);
    const all = await this.guard('your business accounts', (c) => this.services.businessAccounts(c));
    if (!all.length) {
      throw new IgsqlError('NOT_FOUND', 'This token sees no Instagram business account: link an Instagram professional account to a Facebook Page you manage, or set BusinessAccountId.');
    }
    return all.map((a) => a.id);
  }

  note(message: string): void {
    if (!this.run.stats.notes.includes(message)) this.run.stats.notes.push(message);
  }
}
