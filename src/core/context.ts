/**
 * The TableContext a fetcher sees during one query: Graph calls counted in the query's stats and carrying its
 * AbortSignal, the query session's GET cache and batching (engine/session.ts), writes through the session's
 * journal, business-account resolution, and permission errors turned into the missing scope's name.
 */
import type { BusinessAccount } from './api';
import { FLAVOURS, tableScopes, type Flavour } from './auth/flavours';
import type { QuerySession } from './engine/session';
import { IgsqlError } from './errors';
import { MAX_BATCH, type CallContext, type GraphClient, type Page, type Params } from './graph/client';
import { EdgeExpansion } from './expansion';
import { isNotFound } from './graph/errors';
import { answeredPages, follow, nextParams } from './graph/pager';
import { requestKey, runLimited } from './prefetch';
import { TABLES } from './schema';
import { text } from './schema/common';
import type { ColumnsRead, FetchOptions, Filter, KeyGroup, KnownAttrs, Row, TableContext, TableDef } from './schema/types';

/** Batch calls sent at the same time for one lookup. */
const BATCH_CONCURRENCY = 4;

export interface ConnectionServices {
  graph: GraphClient;
  pageSize: number;
  apiVersion: string;
  /** The connection's BusinessAccountId property (comma-separated ids allowed). */
  defaultAccounts?: string;
  businessAccounts(call: CallContext): Promise<BusinessAccount[]>;
  /** The connection's login flavour (default Facebook). */
  flavour?: Flavour;
  grantedScopes(call: CallContext): Promise<string[] | undefined>;
  now: () => number;
  /** Overlapping round trips (read-ahead of listing pages while batches are in flight); off only to compare. */
  overlap?: boolean;
  /** Graph field expansion of the child edges a statement reads (default on with overlap); off only to compare. */
  expand?: boolean;
  /** Rows served from answers in memory without awaiting (default on); off only to compare. */
  fromMemory?: boolean;
  /** The tables whose edges may be expanded (default: the schema's). */
  tables?: readonly TableDef[];
}

export class QueryContext implements TableContext {
  readonly pageSize: number;
  readonly apiVersion: string;
  readonly now: () => number;
  private readonly expansion: EdgeExpansion;

  constructor(
    private readonly services: ConnectionServices,
    private readonly table: TableDef,
    /** The query session (named `run` since it replaced the per-query run object). */
    private readonly run: QuerySession,
  ) {
    this.pageSize = services.pageSize;
    this.apiVersion = services.apiVersion;
    this.now = services.now;
    const enabled = services.overlap !== false && services.expand !== false;
    this.expansion = new EdgeExpansion(this, run, { enabled, tables: services.tables ?? TABLES, pageSize: services.pageSize });
  }

  private call(what: string): CallContext {
    this.run.sending();
    return { stats: this.run.stats, signal: this.run.signal, what, progress: () => this.run.progress(true) };
  }

  private async guard<T>(f: () => Promise<T>): Promise<T> {
    try {
      const out = await f();
      this.run.progress();
      return out;
    } catch (e) {
      if (e instanceof IgsqlError && e.code === 'PERMISSION_DENIED' && !e.details.scopes) throw await this.explainPermission(e);
      throw e;
    }
  }

  /** Names the scope: asks /me/permissions which of the table's scopes the token lacks. */
  private async explainPermission(e: IgsqlError): Promise<IgsqlError> {
    let missing: string[] = [];
    let granted: string[] | undefined;
    const needed = tableScopes(this.services.flavour ?? FLAVOURS.FACEBOOK, this.table.scopes);
    try {
      granted = await this.services.grantedScopes(this.call('your permissions'));
      if (granted) missing = needed.filter((s) => !granted!.includes(s));
    } catch {
      // Keep the original error if the permissions cannot be read either.
    }
    if (granted && !missing.length) {
      // Every scope is granted: the object itself is out of reach (e.g. another account's media).
      return new IgsqlError(
        'PERMISSION_DENIED',
        `${e.message.replace(/\.?$/, '.')} This token has every permission ${this.table.name} needs (${needed.join(', ')}), so the object is not accessible to this account: it may belong to another account.`,
        { ...e.details, scopes: [] },
      );
    }
    const scopes = missing.length ? missing : needed;
    return new IgsqlError(
      'PERMISSION_DENIED',
      `Reading ${this.table.name} needs the permission${scopes.length > 1 ? 's' : ''} ${scopes.join(', ')}, which this token ${missing.length ? 'lacks' : 'may lack'}. Sign in again and grant ${scopes.length > 1 ? 'them' : 'it'} (add to the Scope property if you set it).`,
      { ...e.details, scopes },
    );
  }

  get<T>(segments: readonly string[], params: Params, what: string, options?: FetchOptions): Promise<T> {
    const answer = this.guard(() => this.cachedGet<T>(segments, params, what, options));
    const group = options?.prime;
    if (!group) return answer;
    return answer.then((v) => {
      if (v && typeof v === 'object') this.prime(group, [v as Record<string, unknown>], String(params.fields ?? ''));
      return v;
    });
  }

  /** Every GET of the query goes through the cache; a batched one may fill it for its peers too. */
  private cachedGet<T>(segments: readonly string[], params: Params, what: string, options?: FetchOptions): Promise<T> {
    const session = this.run;
    const key = requestKey(segments, params);
    const hit = session.cached(key);
    if (hit) {
      // An edge served inline means SQLite joins the listing row by row, as a batch does: read ahead.
      if (session.isPrimed(key)) session.batching();
      return session.flush().then(() => hit as Promise<T>);
    }
    if (options?.batch) {
      const pending = this.batchPeers(segments, params, what, options.batch);
      const mine = session.cached(key);
      if (pending && mine) return mine as Promise<T>;
    }
    return session.store(key, this.services.graph.get<T>(segments, params, this.call(what)));
  }

  /**
   * Sends the request for every published peer of `batch.id` that is not cached yet, ≤ 50 per Graph batch,
   * a few batches at a time, as background work of the session (aborted and awaited when the query ends).
   * Returns false when there is nothing to batch (a lone id).
   */
  private batchPeers(segments: readonly string[], params: Params, what: string, batch: NonNullable<FetchOptions['batch']>): boolean {
    const session = this.run;
    const peers = session.peers(batch.group, batch.id);
    if (peers.length < 2) return false;
    const requests: Array<{ segments: readonly string[]; params: Params }> = [];
    for (const peer of peers) {
      const req = this.peerRequest(segments, params, batch, peer);
      if (req) requests.push(req);
    }
    if (this.services.overlap !== false) {
      // The same requests for the ids of the listing's next pages, sent as each page arrives (session.ts).
      const shape = `${this.table.name}|${requestKey(segments.map((s) => (s === batch.id ? '{id}' : s)), params)}`;
      session.followBatches(batch.group, shape, (ids) => {
        const more: Array<{ segments: readonly string[]; params: Params }> = [];
        for (const id of ids) {
          const req = this.peerRequest(segments, params, batch, id);
          if (req) more.push(req);
        }
        this.sendBatched(more, what);
      }, peers);
    }
    session.batching();
    this.sendBatched(requests, what);
    return true;
  }

  /** The request `batch` makes for `peer` (the caller's own for its own id); undefined leaves it out. */
  private peerRequest(segments: readonly string[], params: Params, batch: NonNullable<FetchOptions['batch']>, peer: string) {
    if (peer === batch.id) return { segments, params };
    return batch.request ? batch.request(peer) : { segments: segments.map((s) => (s === batch.id ? peer : s)), params };
  }

  /**
   * Sends the requests not cached yet, ≤ 50 per Graph batch, a few batches at a time, as background work of
   * the session (aborted and awaited when the query ends); each answer fills the cache under its request.
   */
  private sendBatched(requests: ReadonlyArray<{ segments: readonly string[]; params: Params }>, what: string): void {
    const session = this.run;
    const todo: Array<{ key: string; segments: readonly string[]; params: Params; resolve: (v: unknown) => void; reject: (e: unknown) => void }> = [];
    for (const req of requests) {
      const key = requestKey(req.segments, req.params);
      if (session.cached(key) || todo.some((t) => t.key === key)) continue;
      let resolve!: (v: unknown) => void;
      let reject!: (e: unknown) => void;
      session.store(key, new Promise((res, rej) => { resolve = res; reject = rej; }));
      todo.push({ key, segments: req.segments, params: req.params, resolve, reject });
    }
    if (todo.length < 2) {
      // A single request is cheaper as itself than as a batch of one.
      for (const t of todo) session.track(this.services.graph.get(t.segments, t.params, this.call(what)).then(t.resolve, t.reject));
      return;
    }
    const chunks: Array<typeof todo> = [];
    for (let i = 0; i < todo.length; i += MAX_BATCH) chunks.push(todo.slice(i, i + MAX_BATCH));
    const started = new Set<typeof todo>();
    session.track(runLimited(chunks.map((chunk) => async () => {
      started.add(chunk);
      try {
        const answers = await this.services.graph.batch(chunk, this.call(what));
        answers.forEach((a, i) => (a.ok ? chunk[i]!.resolve(a.value) : chunk[i]!.reject(a.error)));
      } catch (e) {
        for (const t of chunk) t.reject(e);
      }
    }), BATCH_CONCURRENCY, session.signal).finally(() => {
      // Peers whose chunk never started (the query ended first) must not leave a pending promise behind.
      // One error for them all: an error (and its stack trace) per peer showed in the profile of a 500-media join.
      const unsent = chunks.filter((c) => !started.has(c));
      if (!unsent.length) return;
      const error = session.cancelledError();
      for (const chunk of unsent) for (const t of chunk) t.reject(error);
    }));
  }

  /**
   * The second page of a batched edge (comments of a media that has more than a page): the peers whose first
   * pages came in the same batch and also have a next page get theirs in one batch too, instead of one
   * request each when SQLite reaches them. Later pages are read one by one (rare: > 100 comments).
   */
  private async secondPage<T>(segments: readonly string[], first: Params, next: Params, what: string, batch: NonNullable<FetchOptions['batch']>): Promise<Page<T>> {
    const session = this.run;
    const mine = requestKey(segments, next);
    if (!session.cached(mine)) {
      const requests: Array<{ segments: readonly string[]; params: Params }> = [];
      for (const peer of session.peers(batch.group, batch.id)) {
        const req = this.peerRequest(segments, first, batch, peer);
        const answered = req && session.cached(requestKey(req.segments, req.params));
        if (!req || !answered) continue;
        const page = (await answered.catch(() => undefined)) as Page<unknown> | undefined;
        let after: Params | undefined;
        try {
          after = page ? nextParams(page, what) : undefined;
        } catch {
          after = undefined; // a bad link fails that edge's own read, not this one
        }
        if (after) requests.push({ segments: req.segments, params: after });
      }
      if (!requests.some((r) => requestKey(r.segments, r.params) === mine)) requests.push({ segments, params: next });
      this.sendBatched(requests, what);
    }
    return session.cached(mine) as Promise<Page<T>>;
  }

  getTogether(requests: ReadonlyArray<{ segments: readonly string[]; params: Params }>, what: string): void {
    this.sendBatched(requests, what);
  }

  async getOptional<T>(segments: readonly string[], params: Params, what: string, options?: FetchOptions): Promise<T | undefined> {
    try {
      return await this.get<T>(segments, params, what, options);
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** Graph's paging (graph/pager.ts): one request per page as the caller pulls; the first page may come from a batch. */
  pages<T>(segments: readonly string[], params: Params, what: string, options?: FetchOptions): AsyncGenerator<T[]> {
    const session = this.run;
    const fetch = (p: Params, index: number): Promise<Page<T>> => {
      // Only first pages go through the query cache (they are what nested loops ask again); later pages are
      // read once, so caching them would only hold memory, except second pages batched with their peers'
      // (or asked at once because their first page came inline). An edge whose position lives on Graph's
      // side (hashtag media) is never served from the cache: its next pages follow the request actually sent.
      const answer = index === 0 && !options?.repeatingCursor
        ? this.get<Page<T>>(segments, p, what, options?.batch ? { batch: options.batch } : undefined)
        : index === 1 && options?.batch && this.services.overlap !== false
          ? this.guard(() => this.secondPage<T>(segments, params, p, what, options.batch!))
          : this.guard(() => this.services.graph.get<Page<T>>(segments, p, this.call(what)));
      // A page read ahead may still be on its way when the query ends: the session aborts and awaits it.
      if (index > 0) session.track(answer.then(() => undefined));
      return answer;
    };
    const readAhead = this.services.overlap === false ? undefined : (wake: () => void) => session.readAhead(wake);
    const group = options?.prime;
    const arrived = !group && !options?.arrived ? undefined : (items: unknown[]) => {
      options?.arrived?.(items);
      if (group) this.prime(group, items as Array<Record<string, unknown>>, String(params.fields ?? ''));
    };
    return follow<T>(params, fetch, { what, repeatingCursor: options?.repeatingCursor, onPage: () => session.stats.pages++, readAhead, arrived, rows: options?.rows });
  }

  // --- field expansion (expansion.ts): child edges asked inline, their answers primed in the query's cache ---

  expand(fields: string, group: KeyGroup): string {
    return this.expansion.expand(fields, group);
  }

  edgeParams(f: Filter, table: TableDef, parent: string): Params {
    return this.expansion.edgeParams(f, table, parent);
  }

  rowsInMemory(f: Filter): Row[] | undefined {
    const table = this.table;
    const e = table.edge;
    const run = this.run;
    const parent = e ? text(f.eq(e.key)) : undefined;
    // A request waiting to leave, or a time slice used up: the usual path, whose flush() lets the loop turn.
    if (!e || parent === undefined || this.services.fromMemory === false || run.isCancelled || run.wantsTurn()) return undefined;
    if (e.empty?.(this, parent)) return []; // as the listing: no request, no page
    const params = this.edgeParams(f, table, parent);
    const key = requestKey([parent, e.name], params);
    const pages = answeredPages(run.settled(key) as Page<Record<string, unknown>> | undefined, e.name, (next) => {
      const nextKey = requestKey([parent, e.name], next);
      return nextKey === key ? undefined : (run.settled(nextKey) as Page<Record<string, unknown>> | undefined);
    });
    if (!pages) return undefined;
    // What the usual path does with each page: read ahead when it came inline, count it, prime what it carries.
    if (run.isPrimed(key)) run.batching();
    run.stats.pages += pages.length;
    run.stats.memoryPages = (run.stats.memoryPages ?? 0) + pages.length;
    const rows: Row[] = [];
    for (const items of pages) {
      if (e.items) this.prime(e.items, items, String(params.fields ?? ''));
      rows.push(...e.rows(this, f, parent, items));
    }
    run.progress();
    return rows;
  }

  /**
   * Primes the child edges `items` carried inline; those that did not fit get their next pages in one batch,
   * sent first: it is the round trip the join will wait for.
   */
  private prime(group: KeyGroup, items: ReadonlyArray<Record<string, unknown>>, requested: string): void {
    const { pages, overflow } = this.expansion.inline(group, items, requested);
    if (overflow.length) this.sendBatched(overflow, `the next pages of ${overflow.length} edges`);
    this.expansion.prime(pages);
  }

  post<T>(segments: readonly string[], params: Params, what: string): Promise<T> {
    return this.write(what, () => this.services.graph.post<T>(segments, params, this.call(what)));
  }

  delete<T>(segments: readonly string[], params: Params, what: string): Promise<T> {
    return this.write(what, () => this.services.graph.delete<T>(segments, params, this.call(what)));
  }

  /** Every write goes through the session's journal; later statements of the query then read Graph afresh. */
  private async write<T>(what: string, send: () => Promise<T>): Promise<T> {
    const session = this.run;
    try {
      return await session.journal.write(what, () => (session.isCancelled ? session.cancelledError() : undefined), () => this.guard(send));
    } finally {
      session.wrote();
    }
  }

  publish(group: KeyGroup, items: ReadonlyArray<{ id: string } & KnownAttrs>): void {
    this.run.publish(group, items);
  }

  lookup(group: KeyGroup, id: string): KnownAttrs | undefined {
    return this.run.lookup(group, id);
  }

  columnsRead(table = this.table.name): ColumnsRead {
    return this.run.columnsRead(table);
  }

  namedAccounts(filter: Filter): string[] | undefined {
    const explicit = text(filter.eq('BusinessAccountId'));
    if (explicit !== undefined) return [explicit];
    const fallback = this.run.businessAccountId ?? this.services.defaultAccounts;
    if (!fallback) return undefined;
    if (this.split?.text !== fallback) this.split = { text: fallback, ids: fallback.split(',').map((s) => s.trim()).filter(Boolean) };
    return this.split.ids;
  }

  /** The last account list split (the same for every row of a query). */
  private split?: { text: string; ids: string[] };

  async accounts(filter: Filter): Promise<string[]> {
    const named = this.namedAccounts(filter);
    if (named) return [...named];
    const all = await this.guard(() => this.services.businessAccounts(this.call('your business accounts')));
    if (!all.length) {
      const f = this.services.flavour ?? FLAVOURS.FACEBOOK;
      throw new IgsqlError('NOT_FOUND', `This sign-in (${f.title}) sees no Instagram professional account: ${f.linkHint}. Or set BusinessAccountId.`);
    }
    return all.map((a) => a.id);
  }

  note(message: string): void {
    if (!this.run.stats.notes.includes(message)) this.run.stats.notes.push(message);
  }
}
