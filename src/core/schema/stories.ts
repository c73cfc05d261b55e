import { eachAccount, fieldsFor, pageLimit } from './common';
import { MEDIA_PUBLISHED, UNKEYED_MEDIA_COLUMNS, mediaRow, publishMedia } from './media-fields';
import type { TableDef } from './types';

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/stories */
export const Stories: TableDef = {
  name: 'Stories',
  kind: 'view',
  description: 'Stories the business account published in the last 24 hours (Graph keeps no older ones here; their insights are in MediaInsightsStory).',
  scopes: ['instagram_basic', 'instagram_manage_insights', 'pages_show_list'],
  columns: UNKEYED_MEDIA_COLUMNS,
  needs: MEDIA_PUBLISHED,
  async *list(ctx, f) {
    const params = { fields: fieldsFor(ctx, Stories), limit: pageLimit(ctx, f, 100) };
    yield* eachAccount(ctx, f, async function* (account) {
      for await (const page of ctx.pages<Record<string, unknown>>([account, 'stories'], params, `the stories of account ${account}`)) {
        const rows = page.map((m) => mediaRow(m, account));
        publishMedia(ctx, rows); // stories joined with MediaInsights are then fetched together
        yield rows;
      }
    });
  },
};
