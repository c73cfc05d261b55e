import { IgsqlError } from '../errors';
import { BUSINESS_ACCOUNT_ID, actingAccount, text } from './common';
import type { TableDef } from './types';

const FIELDS = 'username,name,biography,followers_count,media_count,website';
/** Instagram usernames: letters, digits, periods and underscores, ≤ 30 characters. */
const USERNAME = /^[A-Za-z0-9._]{1,30}$/;
/** Graph's "cannot find user" (code 110). */
const NOT_FOUND_SUBCODE = 2207013;

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user/business_discovery */
export const BusinessDiscovery: TableDef = {
  name: 'BusinessDiscovery',
  kind: 'view',
  description: "Public profile of another Instagram business or creator account, by username (WHERE Username = '...' or IN (...)). Personal accounts and unknown usernames give no row.",
  scopes: ['instagram_basic', 'instagram_manage_insights'],
  columns: [
    { name: 'Username', type: 'String', description: 'Username of the account looked up.', key: ['='], required: true },
    { name: 'Name', type: 'String', description: 'Profile name.' },
    { name: 'Biography', type: 'String', description: 'Biography text.' },
    { name: 'FollowersCount', type: 'Integer', description: 'Followers.' },
    { name: 'MediaCount', type: 'Integer', description: 'Published media.' },
    { name: 'Website', type: 'String', description: 'Website in the profile.' },
    { ...BUSINESS_ACCOUNT_ID, description: 'Account the look-up is made as. Defaults to the first business account.' },
  ],
  async *list(ctx, f) {
    const username = text(f.eq('Username'))!; // required: the engine rejects a listing without it
    if (!USERNAME.test(username)) return; // cannot be an Instagram username (and must not reach the fields syntax)
    const account = await actingAccount(ctx, f);
    let found: Record<string, unknown> | undefined;
    try {
      const r = await ctx.get<{ business_discovery?: Record<string, unknown> }>([account], { fields: `business_discovery.username(${username}){${FIELDS}}` }, `the profile of @${username}`);
      found = r.business_discovery;
    } catch (e) {
      if (e instanceof IgsqlError && (e.details.graphSubcode === NOT_FOUND_SUBCODE || e.details.graphCode === 110)) return;
      throw e;
    }
    if (!found) return;
    yield [{
      Username: username, Name: (found.name as string | undefined) ?? null, Biography: (found.biography as string | undefined) ?? null,
      FollowersCount: (found.followers_count as number | undefined) ?? null, MediaCount: (found.media_count as number | undefined) ?? null,
      Website: (found.website as string | undefined) ?? null, BusinessAccountId: account,
    }];
  },
};
