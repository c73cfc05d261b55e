/** The registry of tables and views: adding a table is adding a file and a line here. */
import { AccountContactButtonType } from './account-contact-button-type';
import { AccountFollowType } from './account-follow-type';
import { AccountInsights } from './account-insights';
import { AccountMediaProductType } from './account-media-product-type';
import { AccountTimeSeriesFollowType } from './account-time-series-follow-type';
import { AccountTimeSeriesMediaProductType } from './account-time-series-media-product-type';
import { AccountTimeSeriesWithoutBreakdown } from './account-time-series-without-breakdown';
import { AccountWithoutBreakdown } from './account-without-breakdown';
import { AudienceInsights } from './audience-insights';
import { BusinessDiscovery } from './business-discovery';
import { Comments } from './comments';
import { ContentPublishingLimit } from './content-publishing-limit';
import { HashtagRecentMedia } from './hashtag-recent-media';
import { HashtagSearch } from './hashtag-search';
import { HashtagTopMedia } from './hashtag-top-media';
import { IGMedia } from './ig-media';
import { InstagramBusinessProfile } from './instagram-business-profile';
import { InstagramPages } from './instagram-pages';
import { Media } from './media';
import { MediaChildren } from './media-children';
import { MediaInsightReels } from './media-insight-reels';
import { MediaInsights } from './media-insights';
import { MediaInsightsPost } from './media-insights-post';
import { MediaInsightsPostAlbum } from './media-insights-post-album';
import { MediaInsightsStory } from './media-insights-story';
import { OnlineFollowers } from './online-followers';
import { Pages } from './pages';
import { Permissions } from './permissions';
import { Replies } from './replies';
import { Stories } from './stories';
import { Tags } from './tags';
import type { TableDef } from './types';

export const TABLES: readonly TableDef[] = [
  Comments, Replies, Pages, InstagramPages, InstagramBusinessProfile, Media, IGMedia, MediaChildren,
  Permissions, Stories, Tags,
  MediaInsights, MediaInsightsPost, MediaInsightsPostAlbum, MediaInsightReels, MediaInsightsStory,
  AccountInsights, AccountWithoutBreakdown, AccountTimeSeriesWithoutBreakdown, AccountFollowType, AccountTimeSeriesFollowType,
  AccountMediaProductType, AccountTimeSeriesMediaProductType, AccountContactButtonType, AudienceInsights, OnlineFollowers,
  HashtagSearch, HashtagTopMedia, HashtagRecentMedia, BusinessDiscovery, ContentPublishingLimit,
];

const BY_NAME = new Map(TABLES.map((t) => [t.name.toLowerCase(), t]));

export function findTable(name: string): TableDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}
