import { BUSINESS_ACCOUNT_ID, eachAccount } from './common';
import type { TableDef } from './types';

const FIELDS = 'id,username,name,biography,website,profile_picture_url,followers_count,follows_count,media_count';

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user */
export const InstagramBusinessProfile: TableDef = {
  name: 'InstagramBusinessProfile',
  kind: 'view',
  description: 'Profile of each business account: name, biography, follower and media counts.',
  scopes: ['instagram_basic', 'pages_show_list'],
  columns: [
    { name: 'Id', type: 'String', description: 'Instagram business account id.' },
    { name: 'Username', type: 'String', description: 'Username.' },
    { name: 'Name', type: 'String', description: 'Profile name.' },
    { name: 'Biography', type: 'String', description: 'Biography text.' },
    { name: 'Website', type: 'String', description: 'Website in the profile.' },
    { name: 'ProfilePictureUrl', type: 'String', description: 'Profile picture URL.' },
    { name: 'FollowersCount', type: 'Integer', description: 'Followers.' },
    { name: 'FollowsCount', type: 'Integer', description: 'Accounts followed.' },
    { name: 'MediaCount', type: 'Integer', description: 'Published media.' },
    BUSINESS_ACCOUNT_ID,
  ],
  async *list(ctx, f) {
    yield* eachAccount(ctx, f, async function* (acc) {
      const p = await ctx.getOptional<Record<string, unknown>>([acc], { fields: FIELDS }, `account ${acc}`);
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
