/**
 * One query's life (DESIGN §10 "Query session"): the connection's lock, the request cache and batch registry,
 * the background batches and the journal of writes belong to one object and end together. A session ends
 * exactly once, when its result is finished, abandoned (return() or collected) or closed early, or when the
 * connection closes: background batches are aborted and awaited, the stats are final, and the lock is free.
 */
import type { QueryOptions, QueryStats } from '../api';
import { IgsqlError } from '../errors';
import type { ColumnsRead, KeyGroup, KnownAttrs, Row } from '../schema/types';
import { WriteJournal } from './journal';

/** At most this many peers are fetched ahead for one lookup (a bound on wasted calls if SQLite stops early). */
export const PREFETCH_WINDOW = 200;

const cancelled = (why?: string) => new IgsqlError('CANCELLED', why ? `The query was cancelled: ${why}.` : 'The query was cancelled.');

/**
 * The connection's lock, first come first served. Asyncify allows one suspended call per WebAssembly instance,
 * so the queries of a connection run one at a time. A waiter can leave (its signal aborted) and `closeAll`
 * refuses every waiter at once, so nothing waits for a lock that will never be released.
 */
export class ConnectionLock {
  private held = false;
  private readonly waiters: Array<{ grant: () => void; refuse: (e: IgsqlError) => void }> = [];

  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(cancelled());
    if (!this.held) {
      this.held = true;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => {
        const i = this.waiters.indexOf(waiter);
        if (i >= 0) this.waiters.splice(i, 1);
        reject(cancelled());
      };
      const waiter = {
        grant: () => { signal?.removeEventListener('abort', onAbort); resolve(); },
        refuse: (e: IgsqlError) => { signal?.removeEventListener('abort', onAbort); reject(e); },
      };
      this.waiters.push(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    const next = this.waiters.shift();
    if (next) next.grant();
    else this.held = false;
  }

  refuseWaiting(error: IgsqlError): void {
    for (const w of this.waiters.splice(0)) w.refuse(error);
  }
}

function zeroStats(): QueryStats {
  return { apiCalls: 0, pages: 0, rows: 0, retries: 0, bytes: 0, elapsedMs: 0, notes: [] };
}

export class QuerySession {
  readonly stats: QueryStats = zeroStats();
  readonly businessAccountId?: string;
  readonly journal = new WriteJournal();
  /** The query's first error (SQLite itself only sees SQLITE_ERROR). */
  error?: IgsqlError;
  /** The prepared statement being stepped, finalized when the session ends. */
  stmt?: number;
  /** Rows changed by the query's INSERT/UPDATE/DELETE statements. */
  changes = 0;

  /** Aborted when the session ends or is cancelled; every Graph call of the query carries `signal`. */
  private readonly stop = new AbortController();
  readonly signal: AbortSignal;
  private cancelReason?: string;
  private readonly background = new Set<Promise<void>>();
  /** Request key → its answer (a settled or pending promise). Emptied before the statement after a write. */
  private cache = new Map<string, Promise<unknown>>();
  /** Ids published together (a listing page, a literal IN list): one lookup fetches them all. */
  private readonly sets = new Map<string, readonly string[]>();
  /** Attributes published with ids (e.g. a media's CommentsCount); data, so a write drops them. */
  private attrs = new Map<string, KnownAttrs>();
  private readonly started = Date.now();
  private lastProgress = 0;
  private ending?: Promise<void>;
  private stale = false;
  private busy?: Promise<unknown>;
  /** The virtual tables SQLite planned in the statements of this query (so fetchers can expand edges inline). */
  readonly tablesRead = new Set<string>();
  /**
   * Complete rows of a listing the statement read whole (sync-route.ts), by table and filter: the synchronous
   * build runs over them, and a fallback to the asyncify build reads them instead of asking Graph again.
   * Per statement, like what a statement reads; emptied before the next one.
   */
  readonly held = new Map<string, readonly Row[]>();
  /** The columns the statements planned so far read of each table (null: every column). */
  private readonly columns = new Map<string, Set<string> | null>();
  /** Listings waiting to read their next page as soon as the query sends a batch (overlap, see readAheadOnBatch). */
  private readonly batchWatchers = new Set<() => void>();

  constructor(private readonly options: QueryOptions, private readonly onEnd: (s: QuerySession) => Promise<void>) {
    this.businessAccountId = options.businessAccountId;
    this.signal = options.signal ? AbortSignal.any([options.signal, this.stop.signal]) : this.stop.signal;
  }

  get ended(): boolean {
    return this.ending !== undefined;
  }

  /** The user's cancel, or the connection closing: the query must stop and say CANCELLED. */
  get isCancelled(): boolean {
    return !!this.options.signal?.aborted || this.cancelReason !== undefined;
  }

  cancelledError(): IgsqlError {
    return cancelled(this.cancelReason);
  }

  throwIfCancelled(): void {
    if (this.isCancelled) throw this.cancelledError();
  }

  /** Stops the query from outside (the connection is closing); the holder of the result sees CANCELLED. */
  cancel(reason: string): void {
    this.cancelReason ??= reason;
    this.stop.abort();
  }

  /** Tells onProgress, at most every 100 ms unless `now` (a change the user should see at once, e.g. a wait). */
  progress(now = false): void {
    if (this.ending) return; // the stats are final once the session ends
    this.stats.elapsedMs = Date.now() - this.started;
    if (this.options.onProgress && (now || this.stats.elapsedMs - this.lastProgress >= 100)) {
      this.lastProgress = this.stats.elapsedMs;
      this.options.onProgress(this.stats);
    }
  }

  fail(error: IgsqlError): void {
    this.error ??= error;
  }

  /** Runs one step of the query's SQLite work; `end` waits for it, so a statement is never finalized mid-step. */
  async step<T>(f: () => Promise<T>): Promise<T> {
    const p = f();
    this.busy = p;
    try {
      return await p;
    } finally {
      if (this.busy === p) this.busy = undefined;
    }
  }

  // --- the request cache and the batch registry (DESIGN §3) ---

  cached(key: string): Promise<unknown> | undefined {
    return this.cache.get(key);
  }

  /** Stores a pending answer; a rejection nobody awaits must not crash the process. */
  store<T>(key: string, p: Promise<T>): Promise<T> {
    p.catch(() => undefined);
    this.cache.set(key, p);
    return p;
  }

  publish(group: KeyGroup, items: ReadonlyArray<{ id: string } & KnownAttrs>): void {
    const ids = [...new Set(items.map((i) => i.id).filter((id) => typeof id === 'string' && id))];
    for (const item of items) {
      const key = `${group}:${item.id}`;
      this.attrs.set(key, { ...this.attrs.get(key), ...item });
      if (ids.length > 1 || !this.sets.has(key)) this.sets.set(key, ids);
    }
  }

  lookup(group: KeyGroup, id: string): KnownAttrs | undefined {
    return this.attrs.get(`${group}:${id}`);
  }

  /** The ids published together with `id` (at most PREFETCH_WINDOW of them, from `id` on). */
  peers(group: KeyGroup, id: string): readonly string[] {
    const set = this.sets.get(`${group}:${id}`);
    if (!set) return [id];
    // SQLite may ask in another order than published (it sorts IN lists): small sets go whole.
    if (set.length <= PREFETCH_WINDOW) return set;
    const at = set.indexOf(id);
    return set.slice(Math.max(0, at), Math.max(0, at) + PREFETCH_WINDOW);
  }

  /** A write was sent (whatever its outcome): what Graph answers may have changed. */
  wrote(): void {
    this.stale = true;
  }

  /**
   * Called before each statement is prepared. After a write, later statements must ask Graph again: answers
   * and attributes go, which ids are published together stays (ids, not data). Within one statement the
   * answers stay as read (a statement works on what it read; re-reading after each row of a multi-row write
   * would cost a batch per row). Requests still on their way settle into the old cache, which nobody reads.
   */
  beginStatement(): void {
    this.held.clear();
    if (!this.stale) return;
    this.stale = false;
    this.cache = new Map();
    this.attrs = new Map();
  }

  /**
   * A batch for the ids of a listing's page means SQLite is joining that page row by row: the listing's next
   * page will be wanted too, so it is read while the batch is in flight instead of after it (one round trip
   * per page saved). `start` runs at the first batch sent after it was registered; the returned function
   * unregisters it.
   */
  readAheadOnBatch(start: () => void): () => void {
    this.batchWatchers.add(start);
    return () => this.batchWatchers.delete(start);
  }

  /** A batch was sent: the registered listings start their next page. */
  batching(): void {
    const watchers = [...this.batchWatchers];
    this.batchWatchers.clear();
    for (const w of watchers) w();
  }

  /** SQLite planned a read of `columns` of `table` (undefined: all of them): the union is what requests ask for. */
  readColumns(table: string, columns: ColumnsRead): void {
    const had = this.columns.get(table);
    if (had === null) return;
    if (!columns) return void this.columns.set(table, null);
    this.columns.set(table, new Set([...(had ?? []), ...columns]));
  }

  /** The columns of `table` the query reads (undefined: all, or a table it does not read). */
  columnsRead(table: string): ColumnsRead {
    return this.columns.get(table) ?? undefined;
  }

  /** Background work (batches fetched ahead): aborted and awaited when the session ends. */
  track(work: Promise<void>): void {
    const p = work.catch(() => undefined);
    this.background.add(p);
    void p.then(() => this.background.delete(p));
  }

  /** Ends the session once (finalizing the statement through `onEnd`); later calls wait for the same end. */
  end(): Promise<void> {
    this.ending ??= (async () => {
      // A step in flight finishes first (with the signal aborted, its requests fail at once).
      if (this.busy) await this.busy.catch(() => undefined);
      this.stop.abort();
      while (this.background.size) await Promise.all([...this.background]);
      this.stats.elapsedMs = Date.now() - this.started;
      await this.onEnd(this);
    })();
    return this.ending;
  }
}
