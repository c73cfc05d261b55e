import { BUSINESS_ACCOUNT_ID, fieldsFor, text } from './common';
import type { TableDef } from './types';

/** https://developers.facebook.com/docs/graph-api/reference/user/permissions */
export const Permissions: TableDef = {
  name: 'Permissions',
  kind: 'view',
  description: 'Permissions (scopes) the access token was granted or declined.',
  scopes: [],
  columns: [
    { name: 'Permission', graphField: 'permission', type: 'String', description: 'Permission name, e.g. instagram_basic.' },
    { name: 'Status', graphField: 'status', type: 'String', description: 'granted, declined or expired.' },
    { ...BUSINESS_ACCOUNT_ID, description: 'Permissions belong to the token, not to an account: the BusinessAccountId filtered on, else NULL.', source: 'the BusinessAccountId filtered on' },
  ],
  needs: ['Permission'],
  async *list(ctx, f) {
    const account = text(f.eq('BusinessAccountId')) ?? null;
    for await (const page of ctx.pages<{ permission?: string; status?: string }>(['me', 'permissions'], { fields: fieldsFor(ctx, Permissions) }, 'your permissions')) {
      yield page.map((p) => ({ Permission: p.permission ?? null, Status: p.status ?? null, BusinessAccountId: account }));
    }
  },
};
