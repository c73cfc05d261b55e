import { eachAccount, pageLimit, text, unixSeconds } from './common';
import { MEDIA_COLUMNS, MEDIA_GRAPH_FIELDS, mediaRow, publishMedia } from './media-fields';
import type { TableDef } from './types';

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media */
export const Media: TableDef = {
  name: 'Media',
  kind: 'view',
  description: "Posts, reels and albums of the business account, newest first (Graph returns at most the 10 000 newest; stories are in Stories).",
  scopes: ['instagram_basic', 'pages_show_list'],
  columns: MEDIA_COLUMNS,
  scanCost: 1e6,
  walks: 'account-media',
  async *list(ctx, f) {
    const id = text(f.eq('Id'));
    if (id !== undefined) {
      const m = await ctx.getOptional<Record<string, unknown>>([id], { fields: MEDIA_GRAPH_FIELDS }, `media ${id}`, { batch: { group: 'media', id } });
      const rows = m ? [mediaRow(m, null)] : [];
      publishMedia(ctx, rows);
      yield rows;
      return;
    }
    const { min, max } = f.range('Timestamp');
    const params = {
      fields: MEDIA_GRAPH_FIELDS,
      limit: pageLimit(ctx, f, 100),
      since: unixSeconds(min, 'Timestamp'),
      until: unixSeconds(max, 'Timestamp'),
    };
    yield* eachAccount(ctx, f, async function* (account) {
      for await (const page of ctx.pages<Record<string, unknown>>([account, 'media'], params, `the media of account ${account}`)) {
        const rows = page.map((m) => mediaRow(m, account));
        publishMedia(ctx, rows);
        yield rows;
      }
    });
  },
};
