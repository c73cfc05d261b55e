import { eachAccount, fieldsFor, pageLimit } from './common';
import { MEDIA_COLUMNS, MEDIA_LOOKUP_NEEDS, MEDIA_PUBLISHED, isAlbumChild, mediaRow, publishMedia } from './media-fields';
import type { TableDef } from './types';

/** What a look-up by id asks: Media's fields, with those that tell a listed media apart (MEDIA_LOOKUP_NEEDS). */
const MEDIA_LOOKUP = { name: 'Media', columns: MEDIA_COLUMNS, needs: MEDIA_LOOKUP_NEEDS };

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/media */
export const Media: TableDef = {
  name: 'Media',
  kind: 'view',
  description: "Posts, reels and albums of the business account, newest first (Graph returns at most the 10 000 newest; stories are in Stories).",
  scopes: ['instagram_basic', 'pages_show_list'],
  columns: MEDIA_COLUMNS,
  needs: MEDIA_PUBLISHED,
  scanCost: 1e6,
  walks: 'account-media',
  primes: 'media',
  get: {
    async row(ctx, id) {
      const fields = ctx.expand(fieldsFor(ctx, MEDIA_LOOKUP), 'media');
      const m = await ctx.getOptional<Record<string, unknown>>([id], { fields }, `media ${id}`, { batch: { group: 'media', id }, prime: 'media' });
      if (!m) return undefined;
      const row = mediaRow(m, null);
      if (isAlbumChild(row)) return undefined; // readable by id, never listed: not a row of Media
      publishMedia(ctx, [row]);
      return row;
    },
  },
  async *list(ctx, f) {
    const { min, max } = f.range('Timestamp');
    // With the comments (replies), children… of each media inline when the statement reads those tables.
    const params = { fields: ctx.expand(fieldsFor(ctx, Media), 'media'), limit: pageLimit(ctx, f, 100), since: min, until: max };
    yield* eachAccount(ctx, f, async function* (account) {
      // A page's ids are published as soon as it arrives (read ahead too), so their batches can go out then.
      const arrived = (items: unknown[]) => publishMedia(ctx, (items as Array<Record<string, unknown>>).map((m) => mediaRow(m, account)));
      for await (const page of ctx.pages<Record<string, unknown>>([account, 'media'], params, `the media of account ${account}`, { rows: f.limit, arrived, prime: 'media' })) {
        const rows = page.map((m) => mediaRow(m, account));
        publishMedia(ctx, rows);
        yield rows;
      }
    });
  },
  // The /media edge holds the selected accounts' own posts, reels and albums: a look-up by id of a story, an
  // album child (get drops it) or another account's media (GET /{id} answers all of them) is not a row of Media.
  belongs: (row, { accounts }) => row.MediaProductType !== 'STORY' && accounts.has(String(row.BusinessAccountId)),
};
