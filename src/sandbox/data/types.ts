// The sandbox's in-memory world. Plain records; rendering to Graph JSON happens in nodes.ts.
// Timestamps are unix seconds (Graph's since/until unit).

export type MediaType = 'IMAGE' | 'VIDEO' | 'CAROUSEL_ALBUM';
export type ProductType = 'FEED' | 'REELS' | 'STORY' | 'AD';

export interface FbUser { id: string; name: string }

export interface Page {
  id: string;
  name: string;
  category: string;
  link: string;
  followers_count: number;
  igUserId?: string;
  access_token: string;
}

export interface IgUser {
  id: string;
  ig_id: number;
  username: string;
  name: string;
  biography: string;
  website: string;
  profile_picture_url: string;
  followers_count: number;
  follows_count: number;
  pageId?: string;
  /** True for the accounts the token manages; false for accounts only seen via tags / business discovery. */
  managed: boolean;
  /** Own feed/reels media, newest first (stories excluded). */
  media: string[];
  /** Stories, newest first. */
  stories: string[];
  /** Media of other accounts in which this account is tagged, newest first. */
  tags: string[];
  /** Media count advertised by foreign profiles (their media are not simulated). */
  foreignMediaCount?: number;
}

export interface Media {
  id: string;
  ig_id: string;
  ownerId: string;
  username: string;
  caption?: string;
  media_type: MediaType;
  media_product_type: ProductType;
  media_url: string;
  thumbnail_url?: string;
  permalink: string;
  shortcode: string;
  timestamp: number;
  like_count: number;
  is_comment_enabled: boolean;
  is_shared_to_feed?: boolean;
  alt_text?: string;
  children: string[];
  parentId?: string;
  /** Top-level comment ids, newest first. */
  comments: string[];
  /** Seed of this media's insight values. */
  insightSeed: number;
  /** Stories seen by fewer than 5 accounts answer insights with error 10. */
  fewViewers?: boolean;
}

export interface Comment {
  id: string;
  mediaId: string;
  parentId?: string;
  text: string;
  timestamp: number;
  fromId: string;
  username: string;
  like_count: number;
  hidden: boolean;
  /** Reply ids, oldest first (Graph lists replies chronologically). */
  replies: string[];
}

export interface GraphRules {
  /** Metrics answered as Graph answers a removed one, as if deprecated tomorrow. */
  removedMetrics: ReadonlySet<string>;
  /** The breakdown name account `views` accepts for followers vs non-followers. */
  viewsBreakdown: 'follower_type' | 'follow_type';
}

export interface Hashtag { id: string; name: string; top: string[]; recent: string[] }

export interface Container {
  id: string;
  ownerId: string;
  mediaType: 'IMAGE' | 'VIDEO' | 'REELS' | 'STORIES' | 'CAROUSEL';
  imageUrl?: string;
  videoUrl?: string;
  caption?: string;
  children: string[];
  isCarouselItem: boolean;
  polls: number;
  publishedMediaId?: string;
}

export interface World {
  seed: number;
  now: number; // anchor, unix seconds
  me: FbUser;
  pages: Page[];
  users: Map<string, IgUser>;
  media: Map<string, Media>;
  comments: Map<string, Comment>;
  hashtags: Map<string, Hashtag>;
  hashtagsByName: Map<string, string>;
  containers: Map<string, Container>;
  /** Ids of the (non-professional) users who comment, by username. */
  fanIds: Map<string, string>;
  /** Publishing quota used in the last 24 h, per IG user. */
  publishCount: Map<string, number>;
  /** Per IG user: hashtag name → unix time of its first search in the current 7-day window. */
  hashtagSearches: Map<string, Map<string, number>>;
  /** Test hooks that rehearse Graph's next changes (SandboxOptions). */
  rules: GraphRules;
  nextId: (prefix: string) => string;
}
