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
import { collatesComparisons, tokenize } from '../sql/tokenize';

/** At most this many peers are fetched ahead for one lookup (a bound on wasted calls if SQLite stops early). */
export const PREFETCH_WINDOW = 200;

/**
 * Pages a listing whose ids feed batches may read ahead of the page SQLite is joining, when the statement
 * wants every row (no LIMIT). A page's batches go out as it arrives and are answered one round trip later,
 * when SQLite is about to reach it: two pages keep the listing at network speed, a third absorbs CPU jitter.
 */
export const RUN_AHEAD_PAGES = 3;

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

/** Whether a statement has a LIMIT anywhere (a subquery's too): its rows may not all be wanted. */
export function hasLimit(sql: string): boolean {
  return tokenize(sql).some((t) => t.type === 'word' && t.text.toUpperCase() === 'LIMIT');
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
  /** The answers of `cache` that have arrived, readable without awaiting (rowsInMemory). */
  private values = new Map<string, unknown>();
  /** Ids published together (a listing page, a literal IN list): one lookup fetches them all. */
  private readonly sets = new Map<string, readonly string[]>();
  /** Attributes published with ids (e.g. a media's CommentsCount); data, so a write drops them. */
  /** What is known of each published id, per group (looked up several times per row of a join). */
  private attrs = new Map<KeyGroup, Map<string, KnownAttrs>>();
  private readonly started = Date.now();
  private lastProgress = 0;
  private ending?: Promise<void>;
  private stale = false;
  private busy?: Promise<unknown>;
  /** The virtual tables SQLite planned in the statements of this query (so fetchers can expand edges inline). */
  readonly tablesRead = new Set<string>();
  /** Counts the plans SQLite weighed (readColumns): what is built from tablesRead and the columns read stays valid until it changes. */
  planVersion = 0;
  /**
   * Complete rows of a listing the statement read whole (sync-route.ts), by table and filter: the synchronous
   * build runs over them, and a fallback to the asyncify build reads them instead of asking Graph again.
   * Per statement, like what a statement reads; emptied before the next one.
   */
  readonly held = new Map<string, readonly Row[]>();
  /** The columns the statements planned so far read of each table (null: every column). */
  private readonly columns = new Map<string, Set<string> | null>();
  /** Listings to wake when their read-ahead window grows (overlap, see readAhead). */
  private readonly batchWatchers = new Set<() => void>();
  /** The statement sent a batch for ids a listing published: its listings read ahead from now on. */
  private batched = false;
  /** The statement has a LIMIT: SQLite may stop early, so nothing is read further ahead than one page. */
  private limited = false;
  /** The statement compares with a COLLATE (collatesComparisons): its String keys are left to SQLite. */
  collating = false;
  /**
   * Batches the statement sent, by group, each as a function sending the same requests for other ids: the
   * ids of a listing's next page get them as soon as the page arrives (run-ahead, no LIMIT only).
   */
  private followers = new Map<KeyGroup, Map<string, (ids: readonly string[]) => void>>();
  /** Cache keys answered inline by an outer request (field expansion). */
  private primedKeys = new Set<string>();
  /** Requests were handed to the HTTP client since the event loop last turned (sending/flush). */
  private outgoing = false;
  private lastTurn = performance.now();
  /** Ids whose followers' requests were sent, so a page published twice is not batched twice. */
  private followed = new Set<string>();

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
    p.then((v) => {
      if (this.cache.get(key) === p) this.values.set(key, v);
    }, () => undefined);
    this.cache.set(key, p);
    return p;
  }

  /** The answer to `key` if it has arrived (a failed or pending request: undefined). */
  settled(key: string): unknown {
    return this.values.get(key);
  }

  /** Stores the answer an outer request carried inline (field expansion) as the answer to `key`. */
  prime(key: string, page: unknown): void {
    this.primedKeys.add(key);
    this.store(key, Promise.resolve(page));
    this.values.set(key, page);
  }

  isPrimed(key: string): boolean {
    return this.primedKeys.has(key);
  }

  publish(group: KeyGroup, items: ReadonlyArray<{ id: string } & KnownAttrs>): void {
    const ids = [...new Set(items.map((i) => i.id).filter((id) => typeof id === 'string' && id))];
    let known = this.attrs.get(group);
    if (!known) this.attrs.set(group, (known = new Map()));
    for (const item of items) {
      const had = known.get(item.id);
      known.set(item.id, had ? { ...had, ...item } : item);
      const key = `${group}:${item.id}`;
      if (ids.length > 1 || !this.sets.has(key)) this.sets.set(key, ids);
    }
    const followers = this.followers.get(group);
    if (!followers?.size || ids.length < 2 || !this.runsAhead) return;
    const fresh = ids.filter((id) => !this.followed.has(`${group}:${id}`));
    if (!fresh.length) return;
    for (const id of fresh) this.followed.add(`${group}:${id}`);
    for (const send of followers.values()) send(fresh);
  }

  /**
   * A batch of `group` was sent for a published set (SQLite is joining a listing row by row): `send` sends
   * the same requests for other ids of the group, and is called with each set published from now on in this
   * statement (the listing's next pages), when the statement wants all its rows. `shape` names the requests,
   * so each kind is registered once.
   */
  followBatches(group: KeyGroup, shape: string, send: (ids: readonly string[]) => void, sentFor: readonly string[]): void {
    let byShape = this.followers.get(group);
    if (!byShape) this.followers.set(group, (byShape = new Map()));
    if (byShape.has(shape)) return;
    byShape.set(shape, send);
    // Sets published before (the page being joined) are SQLite's to ask for: only later pages are followed.
    for (const id of sentFor) this.followed.add(`${group}:${id}`);
  }

  /** Listings run ahead (and batches follow their pages) once a batch was sent, unless a LIMIT may stop early. */
  private get runsAhead(): boolean {
    return this.batched && !this.limited;
  }

  lookup(group: KeyGroup, id: string): KnownAttrs | undefined {
    return this.attrs.get(group)?.get(id);
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

  /**
   * A request was handed to the HTTP client. It reaches the socket only when the event loop turns, and
   * SQLite joining rows from answers already in memory runs on microtasks alone: without a turn the requests
   * sent ahead (the next page, its batches) waited for the whole page to be joined (measured 60–400 ms).
   */
  sending(): void {
    this.outgoing = true;
  }

  /** Whether flush() would turn the event loop now (a request waits to leave, or SQLite held the loop ≥ 4 ms). */
  wantsTurn(): boolean {
    return this.outgoing || performance.now() - this.lastTurn >= 4;
  }

  /**
   * Lets the event loop turn when requests are waiting to go out (see sending()) or SQLite has held it for
   * a few milliseconds: answers that arrived meanwhile are read, and their follow-up requests sent, while
   * SQLite goes on joining (time slices of ~4 ms cost one setImmediate each).
   */
  async flush(): Promise<void> {
    if (!this.wantsTurn()) return;
    this.outgoing = false;
    this.stats.turns = (this.stats.turns ?? 0) + 1;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.lastTurn = performance.now();
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
  beginStatement(sql?: string): void {
    this.limited = sql !== undefined && hasLimit(sql);
    this.collating = sql !== undefined && collatesComparisons(sql);
    this.batched = false;
    this.followers = new Map();
    this.followed = new Set();
    this.held.clear();
    if (!this.stale) return;
    this.stale = false;
    this.cache = new Map();
    this.values = new Map();
    this.attrs = new Map();
    this.primedKeys = new Set();
  }

  /**
   * The read-ahead window of a listing (graph/pager.ts). A batch for the ids of a listing's page means SQLite
   * is joining that page row by row: the listing's next pages will be wanted too, so they are read while the
   * batches are in flight instead of after them. Before any batch: no page ahead (a plain scan gains nothing,
   * and a LIMIT would waste it). After one: RUN_AHEAD_PAGES when the statement wants every row, else one page
   * (the rule for LIMIT: at most one page and its batches are wasted when SQLite stops early).
   */
  readAhead(wake: () => void): { window(): number; dispose(): void } {
    this.batchWatchers.add(wake);
    return {
      window: () => (!this.batched ? 0 : this.limited ? 1 : RUN_AHEAD_PAGES),
      dispose: () => this.batchWatchers.delete(wake),
    };
  }

  /** A batch was sent, or an edge was served inline (SQLite joins a listing row by row): listings may read ahead from now on. */
  batching(): void {
    if (this.batched) return;
    this.batched = true;
    for (const w of [...this.batchWatchers]) w();
  }

  /** SQLite planned a read of `columns` of `table` (undefined: all of them): the union is what requests ask for. */
  readColumns(table: string, columns: ColumnsRead): void {
    this.planVersion++;
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
