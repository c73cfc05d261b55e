import { eachAccount, fieldsFor, pageLimit } from './common';
import { UNKEYED_MEDIA_COLUMNS, mediaRow } from './media-fields';
import type { TableDef } from './types';

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/tags */
export const Tags: TableDef = {
  name: 'Tags',
  kind: 'view',
  description: 'Media of other accounts in which the business account is tagged, newest first. BusinessAccountId is the tagged account; OwnerId and Username are the author.',
  scopes: ['instagram_basic', 'instagram_manage_comments', 'pages_show_list'],
  columns: UNKEYED_MEDIA_COLUMNS,
  // Other accounts' media, published nowhere: only the id.
  needs: ['Id'],
  scanCost: 1e5,
  async *list(ctx, f) {
    const params = { fields: fieldsFor(ctx, Tags), limit: pageLimit(ctx, f, 100) };
    yield* eachAccount(ctx, f, async function* (account) {
      for await (const page of ctx.pages<Record<string, unknown>>([account, 'tags'], params, `the media account ${account} is tagged in`)) {
        yield page.map((m) => mediaRow(m, account));
      }
    });
  },
};
