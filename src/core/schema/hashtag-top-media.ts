import { hashtagMediaView } from './hashtag-media';

/** https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-hashtag/top-media */
export const HashtagTopMedia = hashtagMediaView({
  name: 'HashtagTopMedia',
  edge: 'top_media',
  description: "The most popular public media tagged with a hashtag. Requires WHERE HashtagId = ... or Hashtag = ... (a name is looked up first; each account may look up 30 hashtags in 7 days).",
});
