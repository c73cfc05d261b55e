import { IgsqlError } from '../errors';
import { BUSINESS_ACCOUNT_ID, actingAccount, fieldsFor, text } from './common';
import type { TableDef } from './types';
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
    { name: 'Username', graphField: 'business_discovery{username}', type: 'String', description: 'Username of the account looked up.', key: ['='], required: true },
    { name: 'Name', graphField: 'business_discovery{name}', type: 'String', description: 'Profile name.' },
    { name: 'Biography', graphField: 'business_discovery{biography}', type: 'String', description: 'Biography text.' },
    { name: 'FollowersCount', graphField: 'business_discovery{followers_count}', type: 'Integer', description: 'Followers.' },
    { name: 'MediaCount', graphField: 'business_discovery{media_count}', type: 'Integer', description: 'Published media.' },
    { name: 'Website', graphField: 'business_discovery{website}', type: 'String', description: 'Website in the profile.' },
    { ...BUSINESS_ACCOUNT_ID, description: 'Account the look-up is made as. Defaults to the first business account.', source: 'the account the look-up is made as (GET /{ig-user-id}?fields=business_discovery…)' },
  ],
  // An answer without business_discovery is no row: the field is always asked.
  needs: ['Username'],
  async *list(ctx, f) {
    const username = text(f.eq('Username'))!; // required: the engine rejects a listing without it
    if (!USERNAME.test(username)) return; // cannot be an Instagram username (and must not reach the fields syntax)
    const account = await actingAccount(ctx, f);
    let found: Record<string, unknown> | undefined;
    try {
      // The declared fields, `business_discovery{username,…}`, with the account named (field expansion's modifier).
      const fields = fieldsFor(ctx, BusinessDiscovery).replace(/^business_discovery\{/, `business_discovery.username(${username}){`);
      const r = await ctx.get<{ business_discovery?: Record<string, unknown> }>([account], { fields }, `the profile of @${username}`);
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
