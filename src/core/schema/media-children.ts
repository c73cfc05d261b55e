import { BUSINESS_ACCOUNT_ID, eachAccount, isoTime, listedFields, pageLimit, parentAccount, text } from './common';
import type { Row, TableDef } from './types';

function childRow(c: Record<string, unknown>, parentId: string, accountId: string | null): Row {
  return {
    Id: c.id as string, ParentId: parentId, MediaType: (c.media_type as string | undefined) ?? null,
    MediaUrl: (c.media_url as string | undefined) ?? null, ThumbnailUrl: (c.thumbnail_url as string | undefined) ?? null,
    Timestamp: isoTime(c.timestamp), BusinessAccountId: (c.owner as { id?: string } | undefined)?.id ?? accountId,
  };
}

/** Items of carousel albums: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-media/children */
export const MediaChildren: TableDef = {
  name: 'MediaChildren',
  kind: 'view',
  description: 'Images and videos inside carousel albums. Filter on ParentId for one album; without it the albums are read with their children inline (one call per page of media).',
  scopes: ['instagram_basic'],
  columns: [
    { name: 'Id', graphField: 'id', type: 'String', description: 'Child media id.' },
    { name: 'ParentId', type: 'String', description: 'Album id.', key: ['='], group: 'media', source: 'the album whose `children` edge holds it' },
    { name: 'MediaType', graphField: 'media_type', type: 'String', description: 'IMAGE or VIDEO.', values: ['IMAGE', 'VIDEO'] },
    { name: 'MediaUrl', graphField: 'media_url', type: 'String', description: 'URL of the image or video.' },
    { name: 'ThumbnailUrl', graphField: 'thumbnail_url', type: 'String', description: 'Thumbnail URL (videos).' },
    { name: 'Timestamp', graphField: 'timestamp', type: 'Datetime', description: 'When the album was published (UTC).' },
    // owner: the account the album is listed under, whichever way it was reached.
    { ...BUSINESS_ACCOUNT_ID, graphField: 'owner{id}', source: 'the listed account when Graph gives no owner' },
  ],
  // The id, and the owner the `belongs` rule reads.
  needs: ['Id', 'BusinessAccountId'],
  // Above Media's: joined with Media, the media listing (children inline) is the cheaper outer loop than
  // this listing with a Media look-up per child.
  scanCost: 2e6,
  walks: 'account-media', // children come expanded in the media pages
  // Joined with Media, the children come inline with each page of media (field expansion); Graph gives an
  // album's children in one answer, without a limit.
  edge: {
    of: 'media', name: 'children', key: 'ParentId', fromParent: ['BusinessAccountId'],
    // An album the query listed gives its account (edgeParams then leaves `owner` out); another's children carry it.
    rows: (ctx, f, parent, items) => {
      const account = parentAccount(ctx, 'media', parent, f);
      return items.map((c) => childRow(c, parent, account));
    },
    // Only albums have children.
    empty: (ctx, parent) => {
      const t = ctx.lookup('media', parent)?.mediaType;
      return !!t && t !== 'CAROUSEL_ALBUM';
    },
  },
  // Children of the selected accounts' albums, as the listing reads them.
  belongs: (row, { accounts }) => accounts.has(String(row.BusinessAccountId)),
  async *list(ctx, f) {
    const parent = text(f.eq('ParentId'));
    if (parent !== undefined) {
      if (MediaChildren.edge!.empty!(ctx, parent)) return;
      const params = ctx.edgeParams(f, MediaChildren, parent);
      const batch = {
        group: 'media' as const,
        id: parent,
        request: (peer: string) => (MediaChildren.edge!.empty!(ctx, peer) ? undefined : { segments: [peer, 'children'], params: ctx.edgeParams(f, MediaChildren, peer) }),
      };
      for await (const page of ctx.pages<Record<string, unknown>>([parent, 'children'], params, `the children of media ${parent}`, { batch })) {
        yield MediaChildren.edge!.rows(ctx, f, parent, page);
      }
      return;
    }
    // Field expansion reads each page of media with its albums' children in the same call.
    const params = { fields: `id,media_type,children{${listedFields(ctx, MediaChildren)}}`, limit: pageLimit(ctx, f, 100) };
    yield* eachAccount(ctx, f, async function* (acc) {
      for await (const page of ctx.pages<Record<string, unknown>>([acc, 'media'], params, `the albums of account ${acc}`)) {
        // The parents are known media: a look-up of them by id (a join on ParentId) is batched per page.
        ctx.publish('media', page.map((m) => ({ id: m.id as string, mediaType: (m.media_type as string | undefined) ?? null })));
        yield page.flatMap((m) => ((m.children as { data?: Record<string, unknown>[] } | undefined)?.data ?? []).map((c) => childRow(c, m.id as string, acc)));
      }
    });
  },
};
