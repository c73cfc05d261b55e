import { BUSINESS_ACCOUNT_ID, fieldsFor } from './common';
import type { Row, TableDef } from './types';

function row(p: Record<string, unknown>): Row | undefined {
  const ig = p.instagram_business_account as { id?: string; username?: string } | undefined;
  if (!ig?.id) return undefined;
  return { PageId: p.id as string, PageName: (p.name as string | undefined) ?? null, InstagramBusinessAccountId: ig.id, Username: ig.username ?? null, BusinessAccountId: ig.id };
}

export const InstagramPages: TableDef = {
  name: 'InstagramPages',
  kind: 'view',
  description: 'Pages linked to an Instagram business account: the accounts this connection can query.',
  scopes: ['pages_show_list', 'instagram_basic'],
  columns: [
    { name: 'PageId', graphField: 'id', type: 'String', description: 'Facebook Page id.' },
    { name: 'PageName', graphField: 'name', type: 'String', description: 'Facebook Page name.' },
    { name: 'InstagramBusinessAccountId', graphField: 'instagram_business_account{id}', type: 'String', description: 'Instagram business account id.' },
    { name: 'Username', graphField: 'instagram_business_account{username}', type: 'String', description: 'Instagram username.' },
    { ...BUSINESS_ACCOUNT_ID, graphField: 'instagram_business_account{id}', description: 'Same as InstagramBusinessAccountId.' },
  ],
  // A Page without an Instagram account is no row.
  needs: ['PageId', 'InstagramBusinessAccountId'],
  get: {
    key: 'PageId',
    async row(ctx, id) {
      const p = await ctx.getOptional<Record<string, unknown>>([id], { fields: fieldsFor(ctx, InstagramPages) }, `page ${id}`);
      return p ? row(p) : undefined;
    },
  },
  async *list(ctx) {
    for await (const page of ctx.pages<Record<string, unknown>>(['me', 'accounts'], { fields: fieldsFor(ctx, InstagramPages), limit: ctx.pageSize }, 'your Pages')) {
      yield page.map(row).filter((r): r is Row => !!r);
    }
  },
};
