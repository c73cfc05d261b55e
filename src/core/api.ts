/**
 * The connector core's public contract (DESIGN §4). The extension, the CLI, tests and benchmarks depend on
 * these types only; everything else under src/core is internal.
 */
export type SqlType = 'String' | 'Integer' | 'Boolean' | 'Datetime' | 'Double';
export type SqlValue = string | number | bigint | null | Uint8Array;
export type KeyOp = '=' | '>' | '>=' | '<' | '<=';

export interface ColumnInfo {
  name: string;
  type: SqlType;
  description: string;
  /** Operators the Graph API applies for this column (pushdown), empty when the engine filters it. */
  keyOps: KeyOp[];
  /** The table cannot be read without a filter on this column. */
  required: boolean;
  /** Known values (metric names, enums), when the column has a fixed set. */
  values?: string[];
  /**
   * The Graph field the column comes from (`like_count`, `values[].end_time`; alternatives comma-separated:
   * `values[].value,total_value.value`), when it maps to one.
   */
  graphField?: string;
  /** Where the column comes from when that is not (only) a Graph field: "the request's `timeframe`". */
  source?: string;
}

export interface TableInfo {
  name: string;
  kind: 'table' | 'view';
  description: string;
  /** Graph permissions needed to read it. */
  scopes: string[];
  columns: ColumnInfo[];
}

export interface ProcedureParameter {
  name: string;
  type: SqlType;
  direction: 'in' | 'out';
  required: boolean;
  description: string;
}

export interface ProcedureInfo {
  name: string;
  description: string;
  parameters: ProcedureParameter[];
}

export interface QueryStats {
  /** HTTP requests sent to Graph (a batch request counts once). */
  apiCalls: number;
  /** Result pages read from Graph edges. */
  pages: number;
  /**
   * Of `pages`, those a join served from answers already in memory (an edge that came inline, or batched)
   * without waiting; absent when none.
   */
  memoryPages?: number;
  /**
   * Times the query let the event loop turn while SQLite joined (a request waiting to leave, or ~4 ms of
   * SQLite's time): a page a join reaches then is awaited, not served from memory. Absent when none.
   */
  turns?: number;
  rows: number;
  retries: number;
  bytes: number;
  elapsedMs: number;
  /** Remarks for the user, e.g. "Comments without a MediaId filter iterated 120 media". */
  notes: string[];
  /** Why the query is waiting right now (a retry's backoff, Graph's usage near its limit); absent otherwise. */
  waiting?: string;
  /**
   * 'synchronous' when the last statement read its listings whole and ran in wa-sqlite's synchronous build
   * (engine/sync-route.ts: the same rows, faster sorting and aggregation); absent otherwise.
   */
  build?: 'synchronous';
}

export interface ResultColumn {
  name: string;
  /** Declared type when the column comes straight from a table, else null (expressions). */
  type: SqlType | null;
}

export interface QueryResult {
  columns: ResultColumn[];
  /**
   * Rows as SQLite steps; pulling slowly pulls Graph pages slowly. Iterate once. The connection runs nothing
   * else until the rows end, fail, or the iterator is closed (`break`, `return()`, even before the first row).
   */
  rows: AsyncIterable<SqlValue[]>;
  /** Live counters; final (they change no more) once `rows` has ended, failed or been closed. */
  stats: QueryStats;
  /** Rows changed by INSERT/UPDATE/DELETE, else 0. */
  changes(): number;
}

export interface QueryOptions {
  signal?: AbortSignal;
  /**
   * Business account(s) this query reads by default (comma-separated), instead of the connection's
   * BusinessAccountId property; a `BusinessAccountId =` filter in the SQL still wins.
   */
  businessAccountId?: string;
  onProgress?: (stats: Readonly<QueryStats>) => void;
}

export type QueryParams = Record<string, SqlValue | boolean> | Array<SqlValue | boolean>;

/** How one table of a statement will be read, from SQLite's plan (prepared, not run). */
export interface PlanAccess {
  table: string;
  alias?: string;
  /** Key columns Graph will filter on (pushed down by xBestIndex); `values` counts a literal IN list. */
  keys: Array<{ column: string; op: KeyOp; values?: number }>;
  /** LIMIT went down to the table as a page-size hint. */
  limitPushed: boolean;
  /** Read once per row of an outer table (the inner side of a nested-loop join or a correlated subquery). */
  inner: boolean;
  /**
   * How rows are fetched: `id` looks objects up by Id (batched 50 per call), `edge` reads an edge of each
   * given object (MediaId =, CommentId =…, batched), `list` walks what `walks` says.
   */
  read: 'id' | 'edge' | 'list';
  walks: 'accounts' | 'account-media' | 'media' | 'media-and-stories' | 'stories' | 'comments';
  /** Ids given literally are looked up first (one more batch). */
  looksUpIds: boolean;
  /**
   * The table's first pages come inline with an outer table's answers (Graph field expansion of its edge):
   * only the pages that did not fit cost calls.
   */
  inline?: boolean;
  /** The required key the plan lacks ("HashtagId or Hashtag"): running would fail with MISSING_KEY. */
  missingKey?: string;
}

export interface QueryPlan {
  accesses: PlanAccess[];
  /** SQLite's EXPLAIN QUERY PLAN lines, for the Explain view. */
  details: string[];
}

export interface BusinessAccount {
  id: string;
  username: string;
  name: string;
  pageId: string;
  pageName: string;
  /** Published media (Graph's media_count), read in the same call: the editor's call estimates use it. */
  mediaCount?: number;
}

export interface Connection {
  query(sql: string, params?: QueryParams, options?: QueryOptions): Promise<QueryResult>;
  tables(): TableInfo[];
  table(name: string): TableInfo | undefined;
  procedures(): ProcedureInfo[];
  /**
   * Prepares `sql` in SQLite without running it (no Graph call) and returns the plan the virtual tables chose.
   * Throws the error running it would throw first (SQL_SYNTAX, UNKNOWN_TABLE/COLUMN with suggestions).
   */
  explain(sql: string): Promise<QueryPlan>;
  /** Business accounts the token can see (one Graph call, cached for the connection). */
  businessAccounts(options?: { signal?: AbortSignal }): Promise<BusinessAccount[]>;
  /** Cancels the running and waiting queries (they fail with CANCELLED) and releases the engine. */
  close(): Promise<void>;
}

/** Stores OAuth tokens by app id + user (file for the CLI, SecretStorage for the extension). */
export interface TokenStore {
  get(key: string): Promise<string | undefined>;
  set(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

export type LogLevel = 1 | 2 | 3 | 4 | 5;
export interface Logger {
  log(level: LogLevel, message: string): void;
  /** Whether a line of `level` would be written; a caller skips building one that would not (default: yes). */
  enabled?(level: LogLevel): boolean;
}

export interface TelemetrySink {
  event(name: string, properties?: Record<string, string>, measurements?: Record<string, number>): void;
}

/**
 * The host's part of a sign-in (InitiateOAuth=GETANDREFRESH): show `url` (the flavour's consent dialog) to the
 * user and resolve with the address the browser was redirected to (it carries `code` and `state`).
 */
export type Authorize = (request: { url: string; redirectUri: string; signal?: AbortSignal }) => Promise<string>;

export interface ConnectDeps {
  tokenStore?: TokenStore;
  /** Lets GETANDREFRESH sign in when there is no usable token (the CLI's loopback flow). */
  authorize?: Authorize;
  logger?: Logger;
  telemetry?: TelemetrySink;
  /** Milliseconds since the epoch; injectable for tests of time windows. */
  now?: () => number;
  /**
   * Round-trip overlap and request merging (read the next listing page while a batch is in flight). On by
   * default; tests turn it off to check that answers do not depend on it.
   */
  overlap?: boolean;
  /**
   * Graph field expansion of the child edges a statement reads (Comments, Replies, MediaChildren inline with
   * the media listing). On by default (off whenever `overlap` is off); tests turn it off to compare.
   */
  expand?: boolean;
  /**
   * Statements that read their listings whole run in wa-sqlite's synchronous build (engine/sync-route.ts). On
   * by default; tests turn it off to check that answers do not depend on it.
   */
  synchronousBuild?: boolean;
  /**
   * Rows whose Graph answer is already in memory are served without awaiting (TableContext.rowsInMemory). On
   * by default; tests turn it off to check that answers do not depend on it.
   */
  fromMemory?: boolean;
}
