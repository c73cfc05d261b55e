/** HashtagTopMedia and HashtagRecentMedia: the same listing on two edges of an IG Hashtag. */
import { BUSINESS_ACCOUNT_ID, actingAccount, fieldsFor, isoTime, pageLimit, text } from './common';
import { hashtagId, hashtagNamed } from './hashtag-search';
import type { Row, TableDef } from './types';
/** Graph pages hashtag media by at most 50. */
const MAX_PAGE = 50;

function row(m: Record<string, unknown>, tagId: string, tag: string | null, account: string): Row {
  return {
    Id: m.id as string, Caption: (m.caption as string | undefined) ?? null, MediaType: (m.media_type as string | undefined) ?? null,
    Permalink: (m.permalink as string | undefined) ?? null, Timestamp: isoTime(m.timestamp),
    LikeCount: (m.like_count as number | undefined) ?? null, CommentsCount: (m.comments_count as number | undefined) ?? null,
    HashtagId: tagId, Hashtag: tag, BusinessAccountId: account,
  };
}

export function hashtagMediaView(o: { name: string; edge: 'top_media' | 'recent_media'; description: string }): TableDef {
  const view: TableDef = {
    name: o.name,
    kind: 'view',
    description: o.description,
    scopes: ['instagram_basic'],
    columns: [
      { name: 'Id', graphField: 'id', type: 'String', description: 'Media id.' },
      { name: 'Caption', graphField: 'caption', type: 'String', description: 'Caption text.' },
      { name: 'MediaType', graphField: 'media_type', type: 'String', description: 'IMAGE, VIDEO or CAROUSEL_ALBUM.', values: ['IMAGE', 'VIDEO', 'CAROUSEL_ALBUM'] },
      { name: 'Permalink', graphField: 'permalink', type: 'String', description: 'Permanent URL of the post.' },
      { name: 'Timestamp', graphField: 'timestamp', type: 'Datetime', description: 'When it was published (UTC).' },
      { name: 'LikeCount', graphField: 'like_count', type: 'Integer', description: 'Likes (NULL when hidden).' },
      { name: 'CommentsCount', graphField: 'comments_count', type: 'Integer', description: 'Comments.' },
      { name: 'HashtagId', type: 'String', description: 'Hashtag id (from HashtagSearch). Filter on it or on Hashtag.', key: ['='], required: 'hashtag', source: "the HashtagId filtered on, or ig_hashtag_search's `id` for the Hashtag" },
      { name: 'Hashtag', type: 'String', description: 'Hashtag name without #; looked up with ig_hashtag_search first. Filter on it or on HashtagId.', key: ['='], required: 'hashtag', source: 'the Hashtag filtered on' },
      { ...BUSINESS_ACCOUNT_ID, description: 'Account the look-up is made as. Defaults to the first business account.', source: 'the account the look-up is made as (`user_id`)' },
    ],
    needs: ['Id'],
    async *list(ctx, f) {
      const account = await actingAccount(ctx, f);
      const tag = text(f.eq('Hashtag')) ?? null;
      const given = text(f.eq('HashtagId'));
      const id = given ?? (tag !== null ? await hashtagId(ctx, account, tag) : undefined);
      if (id === undefined) return;
      // Both given: the rows are the id's media, labelled with the name; another hashtag's name matches none.
      if (given !== undefined && tag !== null && !(await hashtagNamed(ctx, given, tag))) return;
      const params = { user_id: account, fields: fieldsFor(ctx, view), limit: pageLimit(ctx, f, MAX_PAGE) };
      for await (const page of ctx.pages<Record<string, unknown>>([id, o.edge], params, `the ${o.edge.replace('_', ' ')} of hashtag ${tag ? `#${tag}` : id}`, { repeatingCursor: true })) {
        yield page.map((m) => row(m, id, tag, account));
      }
    },
  };
  return view;
}
