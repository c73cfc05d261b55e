import { fieldsFor } from './common';
import { MEDIA_COLUMNS, MEDIA_PUBLISHED, mediaRow, publishMedia } from './media-fields';
import type { TableDef } from './types';

/** Any media by id, including stories and album children: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media */
export const IGMedia: TableDef = {
  name: 'IGMedia',
  kind: 'view',
  description: 'Any media object looked up by id (stories and album children included). Requires a filter on Id.',
  scopes: ['instagram_basic'],
  columns: [
    ...MEDIA_COLUMNS.map((c) => (c.name === 'Id' ? { ...c, required: true } : c)),
    { name: 'IGId', graphField: 'ig_id', type: 'String', description: 'Legacy Instagram media id.' },
  ],
  // What it publishes, and the owner: a media looked up by id belongs to its owner's account.
  needs: [...MEDIA_PUBLISHED, 'OwnerId'],
  get: {
    async row(ctx, id) {
      const m = await ctx.getOptional<Record<string, unknown>>([id], { fields: fieldsFor(ctx, IGMedia) }, `media ${id}`, { batch: { group: 'media', id } });
      if (!m) return undefined;
      const row = { ...mediaRow(m, null), IGId: (m.ig_id as string | undefined) ?? null };
      publishMedia(ctx, [row]);
      return row;
    },
  },
  // Id is required, so the engine always answers through get.
  async *list() {},
};
