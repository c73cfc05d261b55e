/** Pieces several schema files share: the BusinessAccountId column, time conversions, id lookups. */
import type { SqlValue } from '../api';
import { textInstant } from '../engine/quals';
import type { ColumnDef, Filter, Row, TableContext } from './types';

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

/** A request's `fields=`, built from the Graph fields its columns declare (one list for both). */
export function graphFields(columns: readonly ColumnDef[]): string {
  return columns.flatMap((c) => (c.graphField ? [c.graphField] : [])).join(',');
}
