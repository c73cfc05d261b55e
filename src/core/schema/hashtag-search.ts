import { BUSINESS_ACCOUNT_ID, actingAccount, text } from './common';
import type { TableContext, TableDef } from './types';

/**
 * The hashtag id of a name (ig_hashtag_search, as the given account: each account may look up 30 distinct
 * hashtags in 7 days). undefined when Graph knows no such hashtag.
 */
export async function hashtagId(ctx: TableContext, account: string, name: string): Promise<string | undefined> {
  const q = name.replace(/^#/, '');
  const r = await ctx.get<{ data?: Array<{ id?: string }> }>(['ig_hashtag_search'], { user_id: account, q }, `the hashtag #${q}`);
  return r.data?.[0]?.id;
}

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-hashtag-search */
export const HashtagSearch: TableDef = {
  name: 'HashtagSearch',
  kind: 'view',
  description: 'The id of a hashtag by name (WHERE Name = ...), for HashtagTopMedia and HashtagRecentMedia. Graph allows 30 distinct hashtags per account in 7 days.',
  scopes: ['instagram_basic'],
  columns: [
    { name: 'Id', type: 'String', description: 'Hashtag id.' },
    { name: 'Name', type: 'String', description: 'Hashtag name, without #.', key: ['='], required: true },
    { ...BUSINESS_ACCOUNT_ID, description: 'Account the search is made as (its weekly hashtag quota is used). Defaults to the first business account.' },
  ],
  async *list(ctx, f) {
    const name = text(f.eq('Name'))!; // required: the engine rejects a listing without it
    const account = await actingAccount(ctx, f);
    const id = await hashtagId(ctx, account, name);
    yield id ? [{ Id: id, Name: name, BusinessAccountId: account }] : [];
  },
};
