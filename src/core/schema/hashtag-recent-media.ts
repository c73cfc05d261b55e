import { hashtagMediaView } from './hashtag-media';

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-hashtag/recent-media */
export const HashtagRecentMedia = hashtagMediaView({
  name: 'HashtagRecentMedia',
  edge: 'recent_media',
  description: "Public media tagged with a hashtag in the last 24 hours, newest first. Requires WHERE HashtagId = ... or Hashtag = ... (a name is looked up first; each account may look up 30 hashtags in 7 days).",
});
