import { BUSINESS_ACCOUNT_ID, eachAccount, fieldsFor } from './common';
import type { TableDef } from './types';

interface Limit { quota_usage?: number; config?: { quota_total?: number; quota_duration?: number } }

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/content_publishing_limit */
export const ContentPublishingLimit: TableDef = {
  name: 'ContentPublishingLimit',
  kind: 'view',
  description: 'How many posts the account published through the API in the current window, out of its quota (PublishMedia counts against it).',
  scopes: ['instagram_basic', 'instagram_content_publish'],
  columns: [
    { name: 'QuotaUsage', graphField: 'quota_usage', type: 'Integer', description: 'Posts published through the API in the last QuotaDuration seconds.' },
    { name: 'QuotaTotal', graphField: 'config.quota_total', type: 'Integer', description: 'Posts allowed in that window.' },
    { name: 'QuotaDuration', graphField: 'config.quota_duration', type: 'Integer', description: 'Length of the window, in seconds (86400: a moving 24 hours).' },
    { ...BUSINESS_ACCOUNT_ID, source: 'the account read (GET /{ig-user-id}/content_publishing_limit)' },
  ],
  // One row per item of the answer: some field must be asked.
  needs: ['QuotaUsage'],
  async *list(ctx, f) {
    yield* eachAccount(ctx, f, async function* (account) {
      const r = await ctx.get<{ data?: Limit[] }>([account, 'content_publishing_limit'], { fields: fieldsFor(ctx, ContentPublishingLimit) }, `the publishing limit of account ${account}`);
      yield (r.data ?? []).map((l) => ({
        QuotaUsage: l.quota_usage ?? null, QuotaTotal: l.config?.quota_total ?? null, QuotaDuration: l.config?.quota_duration ?? null, BusinessAccountId: account,
      }));
    });
  },
};
