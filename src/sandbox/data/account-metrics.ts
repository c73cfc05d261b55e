// Account insight definitions and values, deterministic from (seed, account, day, metric).
// https://developers.facebook.com/docs/instagram-platform/reference/instagram-user/insights
import { Random } from '../random';
import type { IgUser } from './types';

export interface AccountMetric {
  periods: readonly string[];
  types: readonly ('time_series' | 'total_value')[];
  breakdowns: readonly string[];
  /** Daily value as a fraction of followers (rough scale). */
  scale: number;
  title: string;
  description: string;
  demographic?: boolean;
  /** First Graph version that offers it (e.g. 22 for views); absent = every supported version. */
  since?: number;
}

const m = (types: AccountMetric['types'], breakdowns: string[], scale: number, title: string, description: string): AccountMetric =>
  ({ periods: ['day'], types, breakdowns, scale, title, description });
const TV = ['total_value'] as const;
const MPT = ['media_product_type'];

export const ACCOUNT_METRICS: Record<string, AccountMetric> = {
  reach: m(['time_series', 'total_value'], ['media_product_type', 'follow_type'], 0.08, 'Accounts reached', 'The number of unique accounts that have seen your content, at least once, including in ads.'),
  follower_count: m(['time_series'], [], 0.002, 'Follower count', 'The number of new followers each day.'),
  // [USER-INS] metric table: views (v22.0+) breaks down by follower_type and media_product_type (its parameter
  // list says follow_type; the sandbox follows the metric table, and the option viewsBreakdown flips it).
  views: { ...m(TV, ['follower_type', 'media_product_type'], 0.2, 'Views', 'The number of times your content was played or displayed.'), since: 22 },
  accounts_engaged: m(TV, [], 0.01, 'Accounts engaged', 'The number of accounts that have interacted with your content, including in ads.'),
  total_interactions: m(TV, MPT, 0.015, 'Content interactions', 'The total number of post interactions, story interactions, reels interactions, video interactions and live video interactions.'),
  likes: m(TV, MPT, 0.01, 'Likes', 'The number of likes on your posts, reels and videos.'),
  comments: m(TV, MPT, 0.001, 'Comments', 'The number of comments on your posts, reels, videos and live videos.'),
  shares: m(TV, MPT, 0.001, 'Shares', 'The number of shares of your posts, stories, reels, videos and live videos.'),
  saves: m(TV, MPT, 0.001, 'Saves', 'The number of saves of your posts, reels and videos.'),
  replies: m(TV, [], 0.0005, 'Replies', 'The number of replies you received from your story, including text replies and quick reaction replies.'),
  follows_and_unfollows: m(TV, ['follow_type'], 0.003, 'Follows and unfollows', 'The number of accounts that followed you and the number of accounts that unfollowed you or left Instagram.'),
  reposts: m(TV, [], 0.0007, 'Reposts', 'The number of times your content was reposted.'),
  profile_links_taps: m(TV, ['contact_button_type'], 0.0006, 'Profile links taps', 'The number of taps on your business address, call button, email button and text button.'),
  online_followers: { periods: ['lifetime'], types: ['time_series'], breakdowns: [], scale: 0.3, title: 'Online followers', description: 'Total number of your followers who were online on Instagram, by hour.' },
  follower_demographics: { periods: ['lifetime'], types: TV, breakdowns: ['age', 'city', 'country', 'gender'], scale: 1, title: 'Follower demographics', description: 'The demographic characteristics of followers, including countries, cities and gender distribution.', demographic: true },
  engaged_audience_demographics: { periods: ['lifetime'], types: TV, breakdowns: ['age', 'city', 'country', 'gender'], scale: 0.05, title: 'Engaged audience demographics', description: 'The demographic characteristics of the engaged audience, including countries, cities and gender distribution.', demographic: true },
  // reached_audience_demographics is no longer listed by [USER-INS] (2026-06-16): answered as an unknown metric.
};

/**
 * Deprecated for v22.0 and removed for all versions on 2025-04-21 [USER-INS]: answered with (#100) "Starting from
 * version v22.0 and above, the … metric is no longer supported" (the wording Graph sends for impressions).
 */
export const REMOVED_ACCOUNT_METRICS = ['impressions', 'profile_impressions', 'video_views', 'plays'];
// The v21.0 removals (all versions since 2025-01-08: email_contacts, get_directions_clicks, phone_call_clicks,
// profile_views, text_message_clicks, website_clicks) are simply no longer in the list, so Graph answers them
// like any unknown name: "(#100) metric[i] must be one of the following values: …".

/** Graph accepts only these since v20.0 [USER-INS] (last_14_days, last_30_days, last_90_days, prev_month are gone). */
export const TIMEFRAMES = ['this_week', 'this_month'];

export const DIMENSIONS: Record<string, readonly string[]> = {
  // [USER-INS]: media product types include AD, follow types UNKNOWN.
  media_product_type: ['POST', 'CAROUSEL_CONTAINER', 'REEL', 'STORY', 'AD'],
  follow_type: ['FOLLOWER', 'NON_FOLLOWER', 'UNKNOWN'],
  follower_type: ['FOLLOWER', 'NON_FOLLOWER', 'UNKNOWN'],
  contact_button_type: ['BOOK_NOW', 'CALL', 'DIRECTION', 'EMAIL', 'INSTANT_EXPERIENCE', 'TEXT', 'UNDEFINED'],
  age: ['13-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65+'],
  gender: ['F', 'M', 'U'],
  country: ['US', 'GB', 'DE', 'FR', 'BR', 'IN', 'CA', 'AU', 'ES', 'IT', 'JP', 'MX', 'NL', 'PT'],
  city: ['London, England', 'New York, New York', 'Los Angeles, California', 'Portland, Oregon', 'Berlin, Berlin', 'Lisbon, Lisbon', 'São Paulo, São Paulo', 'Toronto, Ontario', 'Paris, Île-de-France', 'Tokyo, Tokyo'],
};

/** The metric's value for the day ending at `endTime` (unix seconds). */
export function dailyValue(seed: number, user: IgUser, metric: string, endTime: number): number {
  const def = ACCOUNT_METRICS[metric]!;
  const rnd = Random.derive(seed, 'acct', user.id, metric, Math.floor(endTime / 86400));
  const weekly = 1 + 0.25 * Math.sin((endTime / 86400) * (2 * Math.PI / 7));
  return Math.max(0, Math.round(user.followers_count * def.scale * weekly * (0.5 + rnd.next())));
}

/** Followers online per hour of the day ending at `endTime`: {"0":N,…,"23":N}. */
export function onlineFollowers(seed: number, user: IgUser, endTime: number): Record<string, number> {
  const rnd = Random.derive(seed, 'online', user.id, Math.floor(endTime / 86400));
  const out: Record<string, number> = {};
  for (let h = 0; h < 24; h++) {
    const curve = 0.35 + 0.65 * Math.max(0, Math.sin(((h - 6) / 24) * 2 * Math.PI));
    out[String(h)] = Math.round(user.followers_count * 0.3 * curve * (0.85 + rnd.next() * 0.3));
  }
  return out;
}

/** Splits `total` across `values` deterministically; the parts add up to `total`. */
export function split(seed: number, label: string, total: number, values: readonly string[][]): Array<{ dimension_values: string[]; value: number }> {
  const rnd = Random.derive(seed, 'split', label);
  const weights = values.map((_, i) => (0.2 + rnd.next()) / (1 + i * 0.35));
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  parts[0]! += total - parts.reduce((a, b) => a + b, 0);
  return values.map((v, i) => ({ dimension_values: v, value: parts[i]! })).filter((r) => r.value > 0);
}

/** Every combination of the breakdowns' dimension values, e.g. [["REEL","FOLLOWER"], …]. */
export function combinations(breakdowns: readonly string[]): string[][] {
  let out: string[][] = [[]];
  for (const b of breakdowns) out = out.flatMap((prefix) => (DIMENSIONS[b] ?? []).map((v) => [...prefix, v]));
  return out;
}

/** Demographic totals: followers for follower_demographics, a share of them for the engaged audience. */
export function demographicTotal(seed: number, user: IgUser, metric: string, timeframe: string): number {
  const def = ACCOUNT_METRICS[metric]!;
  const days = timeframe === 'this_week' ? 7 : 30;
  if (metric === 'follower_demographics') return user.followers_count;
  const rnd = Random.derive(seed, 'demo', user.id, metric, timeframe);
  return Math.round(user.followers_count * def.scale * Math.sqrt(days / 7) * (0.7 + rnd.next() * 0.6));
}
