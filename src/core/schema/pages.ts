import { BUSINESS_ACCOUNT_ID } from './common';
import type { Row, TableDef } from './types';

const PAGE_FIELDS = 'id,name,category,link,followers_count,instagram_business_account{id}';

function pageRow(p: Record<string, unknown>): Row {
  const ig = p.instagram_business_account as { id?: string } | undefined;
  return {
    Id: p.id as string, Name: (p.name as string | undefined) ?? null, Category: (p.category as string | undefined) ?? null,
    Link: (p.link as string | undefined) ?? null, FollowersCount: (p.followers_count as number | undefined) ?? null,
    InstagramBusinessAccountId: ig?.id ?? null, BusinessAccountId: ig?.id ?? null,
  };
}

/** Facebook Pages the user manages: https://developers.facebook.com/docs/graph-api/reference/user/accounts */
export const Pages: TableDef = {
  name: 'Pages',
  kind: 'view',
  description: 'Facebook Pages the signed-in user manages, with the Instagram business account linked to each.',
  scopes: ['pages_show_list'],
  columns: [
    { name: 'Id', type: 'String', description: 'Page id.' },
    { name: 'Name', type: 'String', description: 'Page name.' },
    { name: 'Category', type: 'String', description: 'Page category.' },
    { name: 'Link', type: 'String', description: 'Page URL.' },
    { name: 'FollowersCount', type: 'Integer', description: 'Followers of the Page.' },
    { name: 'InstagramBusinessAccountId', type: 'String', description: 'Linked Instagram business account, NULL when none.' },
    { ...BUSINESS_ACCOUNT_ID, description: 'Same as InstagramBusinessAccountId.' },
  ],
  get: {
    async row(ctx, id) {
      const p = await ctx.getOptional<Record<string, unknown>>([id], { fields: PAGE_FIELDS }, `page ${id}`);
      return p ? pageRow(p) : undefined;
    },
  },
  async *list(ctx) {
    for await (const page of ctx.pages<Record<string, unknown>>(['me', 'accounts'], { fields: PAGE_FIELDS, limit: ctx.pageSize }, 'your Pages')) {
      yield page.map(pageRow);
    }
  },
};
