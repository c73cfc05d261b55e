// Media insight values. Deterministic per media and consistent with the media's own counters:
// likes = like_count, comments = comments_count, reach ≥ likes, views ≥ reach,
// total_interactions = likes + comments + saved + shares (stories: replies + shares).
// https://developers.facebook.com/docs/instagram-platform/reference/instagram-media/insights
import { Random } from '../random';
import { commentsCount } from './comments';
import type { Media, World } from './types';

export const MEDIA_METRICS: Record<'FEED' | 'REELS' | 'STORY', readonly string[]> = {
  FEED: ['reach', 'likes', 'comments', 'saved', 'shares', 'total_interactions', 'follows', 'profile_visits', 'profile_activity', 'views'],
  REELS: ['reach', 'likes', 'comments', 'saved', 'shares', 'total_interactions', 'views', 'ig_reels_avg_watch_time', 'ig_reels_video_view_total_time', 'reels_skip_rate'],
  STORY: ['reach', 'replies', 'navigation', 'follows', 'profile_visits', 'profile_activity', 'shares', 'total_interactions', 'views'],
};

/**
 * Metrics Graph removed (deprecated for v22.0, all versions from 2025-04-21, [MEDIA-INS]): asking for them fails
 * with (#100) "no longer supported". views exists from v22.0 (routes/insights.ts).
 */
export const REMOVED_MEDIA_METRICS = [
  'impressions', 'plays', 'video_views', 'clips_replays_count', 'ig_reels_aggregated_all_plays_count',
  'carousel_album_impressions', 'carousel_album_reach', 'carousel_album_engagement', 'carousel_album_saved',
  'carousel_album_video_views', 'engagement', 'taps_forward', 'taps_back', 'exits',
];

export const MEDIA_METRIC_TEXT: Record<string, [string, string]> = {
  reach: ['Accounts reached', 'The number of unique accounts that have seen this post at least once.'],
  likes: ['Likes', 'The number of likes on your post.'],
  comments: ['Comments', 'The number of comments on your post.'],
  saved: ['Saves', 'The number of saves of your post.'],
  shares: ['Shares', 'The number of shares of your post.'],
  total_interactions: ['Interactions', 'The number of likes, saves, comments and shares on your post minus the number of unlikes, unsaves and deleted comments.'],
  follows: ['Follows', 'The number of accounts that started following you.'],
  profile_visits: ['Profile visits', 'The number of times your profile was visited.'],
  profile_activity: ['Profile activity', 'The number of actions people take when they visit your profile after engaging with your post.'],
  views: ['Views', 'The number of times your content was played or displayed.'],
  ig_reels_avg_watch_time: ['Average watch time', 'The average amount of time spent playing your reel, in milliseconds.'],
  ig_reels_video_view_total_time: ['Watch time', 'The total amount of time your reel was played, including replays, in milliseconds.'],
  reels_skip_rate: ['Skip rate', 'The percentage of views in which your reel was skipped within the first 3 seconds.'],
  replies: ['Replies', 'The number of replies to your story.'],
  navigation: ['Navigation', 'The total number of actions taken from your story: forward, back, next story and exits.'],
};

export function productKind(m: Media): 'FEED' | 'REELS' | 'STORY' | undefined {
  if (m.media_product_type === 'FEED' || m.media_product_type === 'AD') return 'FEED';
  if (m.media_product_type === 'REELS' || m.media_product_type === 'STORY') return m.media_product_type;
  return undefined;
}

export function mediaMetricValues(world: World, m: Media): Record<string, number> {
  const rnd = new Random(m.insightSeed || 1);
  const owner = world.users.get(m.ownerId);
  const followers = owner?.followers_count ?? 1000;
  if (m.media_product_type === 'STORY') {
    const reach = m.fewViewers ? rnd.int(0, 4) : Math.max(5, Math.floor(followers * (0.02 + rnd.next() * 0.08)));
    const replies = Math.floor(reach * rnd.next() * 0.02);
    const shares = Math.floor(reach * rnd.next() * 0.01);
    const visits = Math.floor(reach * (0.01 + rnd.next() * 0.04));
    return {
      reach, replies, shares, navigation: Math.floor(reach * (0.6 + rnd.next())), follows: Math.floor(visits * rnd.next() * 0.3),
      profile_visits: visits, profile_activity: Math.floor(visits * rnd.next() * 0.5), total_interactions: replies + shares,
      views: reach + Math.floor(reach * rnd.next() * 0.6),
    };
  }
  const likes = m.like_count;
  const comments = commentsCount(world, m);
  const saved = Math.floor(likes * (0.02 + rnd.next() * 0.1));
  const shares = Math.floor(likes * (0.01 + rnd.next() * 0.07));
  const reach = Math.max(likes + comments, Math.floor(likes * (2.5 + rnd.next() * 6)) + rnd.int(10, 300));
  const views = reach + Math.floor(reach * (0.1 + rnd.next() * 1.4));
  const visits = Math.floor(reach * (0.005 + rnd.next() * 0.03));
  const avgWatch = rnd.int(1800, 24000);
  return {
    reach, likes, comments, saved, shares, views, total_interactions: likes + comments + saved + shares,
    follows: Math.floor(visits * rnd.next() * 0.2), profile_visits: visits, profile_activity: Math.floor(visits * (0.1 + rnd.next() * 0.4)),
    ig_reels_avg_watch_time: avgWatch, ig_reels_video_view_total_time: avgWatch * views,
    reels_skip_rate: Math.round((12 + rnd.next() * 55) * 100) / 100,
  };
}
