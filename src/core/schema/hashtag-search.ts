import { IgsqlError } from '../errors';
import { BUSINESS_ACCOUNT_ID, actingAccount, fieldsFor, text } from './common';
import type { TableContext, TableDef } from './types';

/**
 * "You can query a maximum of 30 unique hashtags on behalf of an Instagram Business or Creator Account within a
 * rolling, 7 day period" (Hashtag Search guide); recently_searched_hashtags lists the ones that count.
 * https://developers.facebook.com/documentation/instagram-platform/instagram-api-with-facebook-login/hashtag-search
 */
export const HASHTAG_LIMIT = 30;

/**
 * When ig_hashtag_search fails with a Graph error, whether the account's weekly hashtag quota is the cause. The
 * guide documents the limit but not the error Graph sends, so the account's recently_searched_hashtags decides
 * (30 listed: the quota is used up), with Graph's own words as a fallback.
 */
async function quotaError(ctx: TableContext, account: string, q: string, e: IgsqlError): Promise<IgsqlError | undefined> {
  let used: number | undefined;
  try {
    const r = await ctx.get<{ data?: unknown[] }>([account, 'recently_searched_hashtags'], { limit: HASHTAG_LIMIT }, `the hashtags account ${account} searched this week`);
    used = r.data?.length;
  } catch {
    // Keep Graph's message as the only evidence.
  }
  const saysLimit = /hashtag/i.test(e.message) && /\b(limit|maximum|30)\b/i.test(e.message);
  if (used === undefined ? !saysLimit : used < HASHTAG_LIMIT) return undefined;
  return new IgsqlError(
    'HASHTAG_LIMIT',
    `Account ${account} has used its ${HASHTAG_LIMIT} unique hashtag searches of the last 7 days, so Graph refuses #${q}. Each hashtag counts for 7 days from its first search (Graph does not say when the oldest frees up); searching one of the same hashtags again costs nothing. Use another BusinessAccountId, reuse a hashtag searched this week, or try again later.`,
    { ...e.details, limit: HASHTAG_LIMIT },
  );
}

/** A hashtag name as Graph takes it: without its '#'. */
const bare = (name: string) => name.replace(/^#/, '');

/** Whether hashtag `id` is #`name` (its node's name, case aside: the search's quota is not spent). */
export async function hashtagNamed(ctx: TableContext, id: string, name: string): Promise<boolean> {
  const node = await ctx.getOptional<{ name?: string }>([id], { fields: 'name' }, `the hashtag ${id}`);
  return typeof node?.name === 'string' && node.name.toLowerCase() === bare(name).toLowerCase();
}

/**
 * The hashtag id of a name (ig_hashtag_search, as the given account: each account may look up 30 distinct
 * hashtags in 7 days). undefined when Graph knows no such hashtag.
 */
export async function hashtagId(ctx: TableContext, account: string, name: string): Promise<string | undefined> {
  const q = bare(name);
  try {
    const r = await ctx.get<{ data?: Array<{ id?: string }> }>(['ig_hashtag_search'], { user_id: account, q, fields: fieldsFor(ctx, HashtagSearch) }, `the hashtag #${q}`);
    return r.data?.[0]?.id;
  } catch (e) {
    // 2207024: an invalid hashtag name, not the quota.
    if (e instanceof IgsqlError && e.code === 'GRAPH_ERROR' && e.details.graphSubcode !== 2207024) throw (await quotaError(ctx, account, q, e)) ?? e;
    throw e;
  }
}

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-hashtag-search */
export const HashtagSearch: TableDef = {
  name: 'HashtagSearch',
  kind: 'view',
  description: 'The id of a hashtag by name (WHERE Name = ...), for HashtagTopMedia and HashtagRecentMedia. Graph allows 30 distinct hashtags per account in a rolling 7 days; past that the query fails with HASHTAG_LIMIT.',
  scopes: ['instagram_basic'],
  columns: [
    { name: 'Id', graphField: 'id', type: 'String', description: 'Hashtag id.' },
    { name: 'Name', type: 'String', description: 'Hashtag name, without #.', key: ['='], required: true, source: "the Name filtered on (ig_hashtag_search's `q`)" },
    { ...BUSINESS_ACCOUNT_ID, description: 'Account the search is made as (its weekly hashtag quota is used). Defaults to the first business account.', source: "the account the search is made as (ig_hashtag_search's `user_id`)" },
  ],
  needs: ['Id'],
  async *list(ctx, f) {
    const name = text(f.eq('Name'))!; // required: the engine rejects a listing without it
    const account = await actingAccount(ctx, f);
    const id = await hashtagId(ctx, account, name);
    yield id ? [{ Id: id, Name: name, BusinessAccountId: account }] : [];
  },
};
