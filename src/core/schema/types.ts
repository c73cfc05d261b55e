/**
 * What a schema file declares (DESIGN §5): one table per file, declarative, Steampipe-style. The engine knows
 * nothing about Instagram beyond this.
 */
import type { KeyOp, SqlType, SqlValue } from '../api';
import type { Params } from '../graph/client';

export type Row = Record<string, SqlValue | boolean | undefined>;

export interface ColumnDef {
  name: string;
  type: SqlType;
  description: string;
  /** Operators the Graph API can apply for this column. */
  key?: KeyOp[];
  /**
   * The table cannot be listed without `=` on this column. A string names a group: at least one column of
   * the group must be given (e.g. HashtagId or Hashtag).
   */
  required?: boolean | string;
  /**
   * The kind of Graph object this column's values identify ('media', 'comment', 'account'). Key columns
   * with a group take part in batching: ids published for the group (by a listing's pages, or by a literal
   * IN list) are fetched together.
   */
  group?: KeyGroup;
  /** The values the column takes (metric names, enums): offered by completion, listed by hover. */
  values?: readonly string[];
  /** Can be set by INSERT/UPDATE. */
  writable?: boolean;
  /**
   * The Graph field the column is read from (shown by hover), as written in `fields=` (`like_count`,
   * `owner{id}`), followed by the part of it the column reads when that is not the whole field
   * (`values[].end_time`, `total_value.breakdowns[].results[].value`). Alternatives are separated by commas
   * (`values[].value,total_value.value`). The request asks for the top of each path (`values`): the one
   * list of fields is built from these declarations (common.ts requestFields). Absent for columns that come
   * from the query's keys or the request itself, or that the connector computes: `source` says where.
   */
  graphField?: string;
  /**
   * Where a column without (or besides) a Graph field comes from, for hover: "the request's `timeframe`",
   * "the account whose /media edge listed it". Also names the insight a wide view's metric column reads.
   */
  source?: string;
}

/**
 * The columns a statement reads of a table (SQLite's colUsed, engine/vtab.ts), for building `fields=`:
 * undefined means every column (a statement that writes, a table SQLite cannot describe in its mask).
 */
export type ColumnsRead = ReadonlySet<string> | undefined;

export interface KeyConstraint {
  column: string;
  op: KeyOp;
  /**
   * The value, typed once by the column's type (engine/quals.ts): text for String and Datetime columns (an id
   * is text even when SQLite passed a number), a number for numeric columns, null for NULL.
   */
  value: SqlValue;
  /** Datetime columns: the instants (unix seconds, inclusive) SQLite's text comparison can accept. */
  time?: { lower?: number; upper?: number };
}

/** The pushed-down part of a WHERE clause, typed (engine/quals.ts toFilter). */
export class Filter {
  /**
   * A Filter kept for the life of the process. V8 lets a class's hidden class go once no instance of it is left,
   * and deoptimizes the code that checked it: a full garbage collection between two queries (V8 runs one when
   * the process idles) collected every Filter of the last query, so toFilter, eq, edgeParams, rowsInMemory and
   * pageLimit ran unoptimized in the next query's xFilters, one per row of a join, until V8 compiled them again
   * (issue 11; `node --trace-deopt`, "weak objects" in 12 runs of a comments + replies join with a full GC
   * before each: ~40 in these functions, none with the specimen).
   */
  static readonly specimen = new Filter([]);

  constructor(
    readonly keys: readonly KeyConstraint[],
    /** LIMIT that SQLite passed down (a page-size hint), when any. */
    readonly limit?: number,
    /** A term can never be true (a comparison with NULL, a time range no instant meets): no row, no call. */
    readonly none = false,
  ) {}

  eq(column: string): SqlValue | undefined {
    // A loop, not find(): several calls per xFilter of a join's inner table, each allocating its closure.
    for (const k of this.keys) if (k.op === '=' && k.column === column) return k.value;
    return undefined;
  }

  /**
   * Bounds of a Datetime column in unix seconds (inclusive), read as SQLite compares its text: a value
   * without a zone is UTC, whatever the host's time zone. Several bounds intersect.
   */
  range(column: string): { min?: number; max?: number } {
    const out: { min?: number; max?: number } = {};
    for (const k of this.keys) {
      if (k.column !== column || !k.time) continue;
      if (k.time.lower !== undefined) out.min = Math.max(out.min ?? -Infinity, k.time.lower);
      if (k.time.upper !== undefined) out.max = Math.min(out.max ?? Infinity, k.time.upper);
    }
    return out;
  }
}

export type KeyGroup = 'media' | 'comment' | 'account';

/** Attributes known about an object id during a query (e.g. a media's account and product type). */
export type KnownAttrs = Record<string, SqlValue | boolean | undefined>;

export interface FetchOptions {
  /**
   * pages(): the edge repeats its `after` cursor on every page (hashtag media); repeats are judged by content
   * and the first page is always sent, never served from the query's cache.
   */
  repeatingCursor?: boolean;
  /** pages(): SQLite reads at most this many rows (its LIMIT): no page is read ahead beyond them. */
  rows?: number;
  /** pages(): called with each page's items as soon as it arrives (maybe read ahead), e.g. to publish its ids. */
  arrived?: (items: unknown[]) => void;
  /**
   * The answer's items (a page's, or the object got) are objects of this group, asked with
   * `ctx.expand(fields, group)`: their inline edges serve the first pages of the tables that read them.
   */
  prime?: KeyGroup;
  /**
   * This request is one of many alike, keyed by `id` of `group` (e.g. the insights of media X). When X was
   * published with others, the request is sent for all of them at once (Graph batch, ≤ 50 per call) and the
   * rest are served from the query's cache.
   */
  batch?: {
    group: KeyGroup;
    id: string;
    /**
     * The same request for another id of the group; default: `id` replaced in the path, same params.
     * Return undefined to leave a peer out (e.g. a media known to have no comments).
     */
    request?: (peerId: string) => { segments: string[]; params: Params } | undefined;
  };
}

/** What a fetcher can use during one query. Every Graph call goes through here, so it is counted. */
export interface TableContext {
  /** The connection's page-size property (Pagesize), already capped by nothing. */
  readonly pageSize: number;
  /** The connection's Graph version (ApiVersion, "v24.0"): metrics newer than it are not asked for. */
  readonly apiVersion: string;
  get<T>(segments: readonly string[], params: Params, what: string, options?: FetchOptions): Promise<T>;
  /**
   * Sends these GETs now, together (one Graph batch when there are several); the `get`s of the same requests
   * that follow take their answers (e.g. the 3–4 spans of a 90-day insights window: one HTTP request).
   */
  getTogether(requests: ReadonlyArray<{ segments: readonly string[]; params: Params }>, what: string): void;
  /** Like `get`, but a missing object (Graph 100/33) yields undefined instead of an error. */
  getOptional<T>(segments: readonly string[], params: Params, what: string, options?: FetchOptions): Promise<T | undefined>;
  /** Graph's paging (graph/pager.ts: cursor, time-based, hashtag), one request per page as the caller pulls; with `batch`, the first page is batched. */
  pages<T>(segments: readonly string[], params: Params, what: string, options?: FetchOptions): AsyncGenerator<T[]>;
  /** Makes ids known to the query: they form one batch group, and their attributes can be looked up. */
  publish(group: KeyGroup, items: ReadonlyArray<{ id: string } & KnownAttrs>): void;
  lookup(group: KeyGroup, id: string): KnownAttrs | undefined;
  /**
   * The columns the running query reads of `table` (default: the table this context serves): the union over
   * every reference to it in the statements planned so far, so two cursors on one table, and a parent that
   * asks a child's edge inline, build the same `fields=` (one request, one cache entry). undefined: every
   * column (a write, or a table the statement does not read).
   */
  columnsRead(table?: string): ColumnsRead;
  /**
   * `fields` plus, by Graph field expansion, the edge of each table this statement reads that hangs off
   * objects of `group` (`comments.limit(50){…,replies.limit(50){…}}`). Pass `prime: group` with the request
   * so the answers serve those tables. Unchanged when the statement reads no such table.
   */
  expand(fields: string, group: KeyGroup): string;
  /**
   * The first-page request of `table`'s declared `edge` (default: the table being read) for the filter, its
   * fields with the expansions of its items: the request inline answers were primed for.
   */
  edgeParams(f: Filter, table: TableDef, parent: string): Params;
  /**
   * The rows of this context's table for `f` when they are all in memory already: every page of its edge
   * for the parent `f` names was answered or came inline (graph/pager.ts answeredPages: one page, or two when
   * the second came in the batch for overflowing edges), and nothing else waits to be sent. Served without
   * awaiting (no asyncify unwind, no promise per layer); quals.ts applies the `belongs` rule as for the
   * usual path. undefined: read it as usual.
   */
  rowsInMemory(f: Filter): Row[] | undefined;
  /** The accounts the filter or the connection names; undefined when only a request can tell (`accounts`). */
  namedAccounts(filter: Filter): readonly string[] | undefined;
  post<T>(segments: readonly string[], params: Params, what: string): Promise<T>;
  delete<T>(segments: readonly string[], params: Params, what: string): Promise<T>;
  /** Business accounts to read: the filter's BusinessAccountId, the connection's, or every visible one. */
  accounts(filter: Filter): Promise<string[]>;
  /** A remark shown with the query's stats. */
  note(message: string): void;
  readonly now: () => number;
}

/**
 * A table that reads one Graph edge of each object of a group (Comments: `/{media}/comments`). When the
 * statement reads it along with a listing of those objects, the listing asks for the edge inline (field
 * expansion, https://developers.facebook.com/docs/graph-api/guides/field-expansion) and the inline answers
 * serve this table's first pages, for the request `ctx.edgeParams(filter)` builds.
 */
export interface EdgeDef {
  /** The group of the objects the edge hangs off ('media' for comments). */
  of: KeyGroup;
  /** The edge's name, as a path segment and as a field. */
  name: string;
  /** Graph's largest page for the edge, sent as `limit` / `.limit()`; none: the edge takes no limit. */
  max?: number;
  /**
   * Columns an item listed through the edge takes from its parent object, when the query knows that parent
   * (published by the listing that reached it): its id and its account, the values Graph would give. Graph is
   * not asked for them (common.ts listedFields): `media{id,owner{id}}` on every comment was 60 % of the bytes
   * of the comments + replies of 50 media. A lookup by id, or a parent the query has not seen, asks them.
   */
  fromParent?: readonly string[];
  /** The column that names the parent (Comments: MediaId): with `=` on it, one parent's edge is read. */
  key: string;
  /**
   * The rows of one page of the edge's items under `parent` (publishing what other tables of the query look
   * up). The table's listing and the in-memory path (TableContext.rowsInMemory) both build rows with it.
   */
  rows(ctx: TableContext, f: Filter, parent: string, items: ReadonlyArray<Record<string, unknown>>): Row[];
  /** Whether what the query knows of `parent` says its edge is empty (a media without comments): no request. */
  empty?(ctx: TableContext, parent: string): boolean;
  /** The group of the edge's items, whose own edges may be expanded inside (Comments: 'comment', for replies). */
  items?: KeyGroup;
}

export type Walk = 'accounts' | 'account-media' | 'media' | 'media-and-stories' | 'stories' | 'comments';

export interface TableDef {
  name: string;
  kind: 'table' | 'view';
  description: string;
  scopes: string[];
  columns: ColumnDef[];
  /**
   * Columns whose Graph fields are asked for whatever the statement reads: the ones the table's own logic
   * needs (its `belongs` rule, the attributes it publishes for other tables, the rows it splits into).
   */
  needs?: readonly string[];
  /** Relative cost of a full listing (the planner prefers keyed plans). */
  scanCost?: number;
  /**
   * What a listing without keys walks, for the editor's call estimate: one page set per account (default),
   * the pages of each account's media, an edge of every media (batched 50 per call), or of every comment.
   */
  walks?: Walk;
  /** The Graph edge this table reads per object of a group, which a listing of those objects can expand. */
  edge?: EdgeDef;
  /**
   * Its requests ask for the edges of its rows' objects (this group) that the statement reads, inline (they
   * pass `ctx.expand(…, group)` and `prime: group`): the tables declaring those edges cost no first page.
   */
  primes?: KeyGroup;
  /** Ids given in the SQL are looked up first (e.g. a media's product type decides its metrics): one more batch. */
  looksUpIds?: boolean;
  /**
   * One object by its key (default `Id`), as Steampipe's Get: the engine calls it when the key is given with
   * `=` (each IN value too) and never calls `list` then. undefined: no such object.
   */
  get?: {
    key?: string;
    row(ctx: TableContext, id: string, filter: Filter): Promise<Row | undefined>;
  };
  /**
   * Steampipe's List: the rows for the filter's key columns (declared on the columns: `key` operators and
   * `required`). Values arrive typed; the get branch is not re-implemented here.
   */
  list(ctx: TableContext, filter: Filter): AsyncIterable<Row[]>;
  /**
   * The rule every row of the listing meets (e.g. Media has no stories and only the selected accounts' media).
   * The engine applies it to every row, from `get` or keyed lookups alike, so a plan never changes the rows.
   */
  belongs?(row: Row, scope: { accounts: ReadonlySet<string> }): boolean;
  insert?(ctx: TableContext, values: Row): Promise<Row>;
  /** `old` is the row as read by this statement, when the engine has it (to refuse changes Graph cannot make). */
  update?(ctx: TableContext, id: string, values: Row, old: Row | undefined): Promise<void>;
  delete?(ctx: TableContext, id: string): Promise<void>;
}
