/** Pieces several schema files share: the BusinessAccountId column, time conversions, id lookups. */
import type { SqlValue } from '../api';
import { textInstant } from '../engine/quals';
import type { ColumnDef, ColumnsRead, Filter, KeyGroup, Row, TableContext, TableDef } from './types';

export const BUSINESS_ACCOUNT_ID: ColumnDef = {
  name: 'BusinessAccountId',
  type: 'String',
  description: "Instagram business account the row belongs to. Defaults to the connection's BusinessAccountId, else every account the token can see.",
  key: ['='],
};

/** Graph's "2026-11-20T10:00:00+0000" → ISO 8601 UTC "2026-11-20T10:00:00Z" (sorts and compares as text). */
/** Graph's usual form in UTC, for a day every month has (29–31 go the slow way, which rolls over as Date does). */
const GRAPH_UTC = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|1\d|2[0-8])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\+0000$/;

export function isoTime(graphTime: unknown): string | null {
  if (typeof graphTime !== 'string' || !graphTime) return null;
  // Graph's usual form, already UTC: no Date round trip (it showed in the profile of a 1 200-comment join).
  if (GRAPH_UTC.test(graphTime)) return `${graphTime.slice(0, 19)}Z`;
  const d = new Date(graphTime.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(d.getTime()) ? graphTime : d.toISOString().replace('.000Z', 'Z');
}

/**
 * Unix seconds for Graph's since/until. Filter.range already gives seconds (engine/quals.ts); text is read as
 * SQLite compares it (the first instant whose UTC text is not before it), never in the host's time zone.
 */
export function unixSeconds(v: SqlValue | undefined, _column: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
  return textInstant(v);
}

/**
 * The account the query published with `id` of `group` (a listed media or comment), if any: its edge items
 * then take it from their parent instead of asking Graph (EdgeDef.fromParent).
 */
export function publishedAccount(ctx: Pick<TableContext, 'lookup'>, group: KeyGroup, id: string): string | undefined {
  const account = ctx.lookup(group, id)?.accountId;
  return typeof account === 'string' ? account : undefined;
}

/**
 * The account of the items of `parent`'s edge: the parent's when published, else the filter's
 * BusinessAccountId (the items' own owner, asked then, wins over it).
 */
export function parentAccount(ctx: Pick<TableContext, 'lookup'>, group: KeyGroup, parent: string, f: Filter): string | null {
  return publishedAccount(ctx, group, parent) ?? text(f.eq('BusinessAccountId')) ?? null;
}

export function text(v: SqlValue | undefined): string | undefined {
  return v === undefined || v === null ? undefined : String(v);
}

/** Runs `perAccount` for each business account the filter selects, lazily. */
export async function* eachAccount(ctx: TableContext, filter: Filter, perAccount: (accountId: string) => AsyncIterable<Row[]>): AsyncGenerator<Row[]> {
  for (const id of await ctx.accounts(filter)) yield* perAccount(id);
}

/** The account a look-up is made as (hashtag search, business discovery): the filter's, else the first one. */
export async function actingAccount(ctx: TableContext, filter: Filter): Promise<string> {
  return (await ctx.accounts(filter))[0]!;
}

export function pageLimit(ctx: TableContext, filter: Filter, max: number): number {
  return Math.max(1, Math.min(max, filter.limit ?? ctx.pageSize, ctx.pageSize));
}

/** A `fields=` list as a tree: field (with its modifiers, `.limit(5)`) → its sub-fields, if braced. */
type FieldTree = Map<string, FieldTree | undefined>;

/** Splits `a,b{c,d},e.metric(x,y)` at its top-level commas. */
export function topLevel(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === '{' || ch === '(') depth++;
    else if (ch === '}' || ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(list.slice(start, i).trim());
      start = i + 1;
    }
  }
  if (list.slice(start).trim()) out.push(list.slice(start).trim());
  return out.filter(Boolean);
}

function addFields(tree: FieldTree, list: string): void {
  for (const entry of topLevel(list)) {
    let brace = -1;
    for (let i = 0, paren = 0; i < entry.length && brace < 0; i++) {
      if (entry[i] === '(') paren++;
      else if (entry[i] === ')') paren--;
      else if (entry[i] === '{' && paren === 0) brace = i;
    }
    const name = brace < 0 ? entry : entry.slice(0, brace);
    if (brace < 0) {
      if (!tree.has(name)) tree.set(name, undefined);
      continue;
    }
    const sub = tree.get(name) ?? new Map();
    addFields(sub, entry.slice(brace + 1, entry.lastIndexOf('}')));
    tree.set(name, sub);
  }
}

function serialize(tree: FieldTree): string {
  return [...tree].map(([name, sub]) => (sub ? `${name}{${serialize(sub)}}` : name)).join(',');
}

/**
 * The `fields=` entries a column's declaration asks for: each alternative of its `graphField`, up to the part
 * the column reads (`values[].end_time` → `values`, `total_value.value` → `total_value`; `owner{id}` stays).
 */
export function fieldEntries(graphField: string): string[] {
  return topLevel(graphField).map((f) => f.replace(/^(\w+(?:\{.*\})?)[.[].*$/, '$1'));
}

/** Merges `fields=` lists: one entry per field, sub-fields united (`from{id}` + `from{username}` → `from{id,username}`). */
export function mergeFields(...lists: readonly string[]): string {
  const tree: FieldTree = new Map();
  for (const l of lists) addFields(tree, l);
  return serialize(tree);
}

/**
 * THE `fields=` of a table's request, from the Graph fields its columns declare: those of the columns the
 * statement reads (`read`, undefined: all) and of the columns the table's own logic always needs
 * (`TableDef.needs`). Usable for a child table's columns too, when its edge is asked inline by field
 * expansion (`comments{…}`): the same declarations give the same list, so the inline answer and the child's
 * own request agree.
 */
export function requestFields(table: Pick<TableDef, 'columns' | 'needs'>, read: ColumnsRead): string {
  // Asked once per row of a join (each inner cursor's request key): remembered per table and column set. A
  // statement's set only grows (the union of the columns read), so its size tells a changed set apart.
  const memo = FIELDS_MEMO.get(table)?.get(read ?? ALL);
  if (memo && memo.size === (read?.size ?? -1)) return memo.fields;
  const fields = computeFields(table, read);
  if (!FIELDS_MEMO.has(table)) FIELDS_MEMO.set(table, new WeakMap());
  FIELDS_MEMO.get(table)!.set(read ?? ALL, { size: read?.size ?? -1, fields });
  return fields;
}

const ALL: ReadonlySet<string> = new Set();
const FIELDS_MEMO = new WeakMap<object, WeakMap<ReadonlySet<string>, { size: number; fields: string }>>();

function computeFields(table: Pick<TableDef, 'columns' | 'needs'>, read: ColumnsRead): string {
  const wanted = table.columns.filter((c) => !read || read.has(c.name) || table.needs?.includes(c.name));
  return mergeFields(...wanted.flatMap((c) => (c.graphField ? fieldEntries(c.graphField) : [])));
}

/** The `fields=` of `table`'s request in this query: the columns the statement reads of it, and its needs. */
export function fieldsFor(ctx: TableContext, table: Pick<TableDef, 'name' | 'columns' | 'needs'>): string {
  return requestFields(table, ctx.columnsRead(table.name));
}

/**
 * The `fields=` of `table`'s items listed through its edge of a parent the query knows: without the columns
 * the edge's `fromParent` takes from that parent, read or not (the comments of media X are on media X: the
 * path says it, as Graph's `media{id}` would).
 */
export function listedFields(ctx: TableContext, table: TableDef): string {
  let listed = LISTED.get(table);
  if (!listed) {
    const fromParent = table.edge?.fromParent ?? [];
    listed = { name: table.name, columns: table.columns.filter((c) => !fromParent.includes(c.name)), needs: table.needs?.filter((n) => !fromParent.includes(n)) };
    LISTED.set(table, listed);
  }
  return fieldsFor(ctx, listed);
}

// One object per table: requestFields remembers its answers per object.
const LISTED = new WeakMap<TableDef, Pick<TableDef, 'name' | 'columns' | 'needs'>>();

/**
 * The `fields=` of an insights request (the edge's items are Insights Result objects: name, period, values,
 * title, description, total_value, https://developers.facebook.com/docs/graph-api/reference/insights-result/):
 * always `name`, which tells the items apart as an id does nodes, then the fields of the columns read.
 * `title` and `description`, most of an answer's bytes, come only for a statement that reads them.
 */
export function insightFields(ctx: TableContext, table: Pick<TableDef, 'name' | 'columns' | 'needs'>): string {
  return mergeFields('name', fieldsFor(ctx, table));
}

/** Every Graph field the columns declare, as one `fields=` list (what a statement reading all of them asks). */
export function graphFields(columns: ColumnDef[]): string {
  return requestFields({ columns }, undefined);
}
