import { BUSINESS_ACCOUNT_ID, fieldsFor } from './common';
import type { Row, TableDef } from './types';

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
    { name: 'Id', graphField: 'id', type: 'String', description: 'Page id.' },
    { name: 'Name', graphField: 'name', type: 'String', description: 'Page name.' },
    { name: 'Category', graphField: 'category', type: 'String', description: 'Page category.' },
    { name: 'Link', graphField: 'link', type: 'String', description: 'Page URL.' },
    { name: 'FollowersCount', graphField: 'followers_count', type: 'Integer', description: 'Followers of the Page.' },
    { name: 'InstagramBusinessAccountId', graphField: 'instagram_business_account{id}', type: 'String', description: 'Linked Instagram business account, NULL when none.' },
    { ...BUSINESS_ACCOUNT_ID, graphField: 'instagram_business_account{id}', description: 'Same as InstagramBusinessAccountId.' },
  ],
  needs: ['Id'],
  get: {
    async row(ctx, id) {
      const p = await ctx.getOptional<Record<string, unknown>>([id], { fields: fieldsFor(ctx, Pages) }, `page ${id}`);
      return p ? pageRow(p) : undefined;
    },
  },
  async *list(ctx) {
    for await (const page of ctx.pages<Record<string, unknown>>(['me', 'accounts'], { fields: fieldsFor(ctx, Pages), limit: ctx.pageSize }, 'your Pages')) {
      yield page.map(pageRow);
    }
  },
};
