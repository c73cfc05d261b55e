/** Pieces several schema files share: the BusinessAccountId column, time conversions, id lookups. */
import type { SqlValue } from '../api';
import { IgsqlError } from '../errors';
import type { ColumnDef, Filter, Row, TableContext } from './types';

export const BUSINESS_ACCOUNT_ID: ColumnDef = {
  name: 'BusinessAccountId',
  type: 'String',
  description: "Instagram business account the row belongs to. Defaults to the connection's BusinessAccountId, else every account the token can see.",
  key: ['='],
};

/** Graph's "2026-11-20T10:00:00+0000" → ISO 8601 UTC "2026-11-20T10:00:00Z" (sorts and compares as text). */
export function isoTime(graphTime: unknown): string | null {
  if (typeof graphTime !== 'string' || !graphTime) return null;
  const d = new Date(graphTime.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));
  return Number.isNaN(d.getTime()) ? graphTime : d.toISOString().replace('.000Z', 'Z');
}

/** A SQL value (ISO text, date, or unix seconds) → unix seconds for Graph's since/until. */
export function unixSeconds(v: SqlValue | undefined, column: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number' || typeof v === 'bigint') return Number(v);
  const ms = Date.parse(String(v));
  if (Number.isNaN(ms)) {
    throw new IgsqlError('INVALID_VALUE', `${column} must be compared with a date or time such as '2026-01-31' or '2026-01-31T12:00:00Z' (got '${String(v)}').`);
  }
  return Math.floor(ms / 1000);
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
