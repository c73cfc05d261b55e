import { BUSINESS_ACCOUNT_ID, eachAccount, fieldsFor } from './common';
import type { ColumnDef, TableDef } from './types';

const COLUMNS: ColumnDef[] = [
  { name: 'Id', graphField: 'id', type: 'String', description: 'Instagram business account id.' },
  { name: 'Username', graphField: 'username', type: 'String', description: 'Username.' },
  { name: 'Name', graphField: 'name', type: 'String', description: 'Profile name.' },
  { name: 'Biography', graphField: 'biography', type: 'String', description: 'Biography text.' },
  { name: 'Website', graphField: 'website', type: 'String', description: 'Website in the profile.' },
  { name: 'ProfilePictureUrl', graphField: 'profile_picture_url', type: 'String', description: 'Profile picture URL.' },
  { name: 'FollowersCount', graphField: 'followers_count', type: 'Integer', description: 'Followers.' },
  { name: 'FollowsCount', graphField: 'follows_count', type: 'Integer', description: 'Accounts followed.' },
  { name: 'MediaCount', graphField: 'media_count', type: 'Integer', description: 'Published media.' },
  { ...BUSINESS_ACCOUNT_ID, source: 'the account read (GET /{ig-user-id})' },
];

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user */
export const InstagramBusinessProfile: TableDef = {
  name: 'InstagramBusinessProfile',
  kind: 'view',
  description: 'Profile of each business account: name, biography, follower and media counts.',
  scopes: ['instagram_basic', 'pages_show_list'],
  columns: COLUMNS,
  needs: ['Id'],
  async *list(ctx, f) {
    yield* eachAccount(ctx, f, async function* (acc) {
      const p = await ctx.getOptional<Record<string, unknown>>([acc], { fields: fieldsFor(ctx, InstagramBusinessProfile) }, `account ${acc}`);
      if (!p) return;
      yield [{
        Id: p.id as string, Username: (p.username as string) ?? null, Name: (p.name as string) ?? null,
        Biography: (p.biography as string) ?? null, Website: (p.website as string) ?? null,
        ProfilePictureUrl: (p.profile_picture_url as string) ?? null, FollowersCount: (p.followers_count as number) ?? null,
        FollowsCount: (p.follows_count as number) ?? null, MediaCount: (p.media_count as number) ?? null, BusinessAccountId: acc,
      }];
    });
  },
};
