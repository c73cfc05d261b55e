/**
 * The explorer groups an account's ~30 tables and views by subject, so the list reads well at the default
 * sidebar width. A table not named here (a new schema file) lands in "More", never disappears.
 */
export interface Subject {
  id: string;
  label: string;
  icon: string;
  has(table: string): boolean;
}

const among = (...names: string[]) => (t: string) => names.includes(t);

export const SUBJECTS: readonly Subject[] = [
  { id: 'media', label: 'Media and comments', icon: 'device-camera', has: among('Media', 'IGMedia', 'MediaChildren', 'Stories', 'Tags', 'Comments', 'Replies') },
  { id: 'media-insights', label: 'Media insights', icon: 'graph', has: (t) => /^MediaInsight/.test(t) },
  { id: 'account-insights', label: 'Account insights', icon: 'pulse', has: (t) => /^Account/.test(t) },
  { id: 'audience', label: 'Audience', icon: 'organization', has: among('AudienceInsights', 'OnlineFollowers') },
  { id: 'discovery', label: 'Hashtags and discovery', icon: 'search', has: among('HashtagSearch', 'HashtagTopMedia', 'HashtagRecentMedia', 'BusinessDiscovery') },
  { id: 'publishing', label: 'Publishing', icon: 'cloud-upload', has: among('ContentPublishingLimit') },
  { id: 'profile', label: 'Profile, Pages and permissions', icon: 'account', has: among('InstagramBusinessProfile', 'InstagramPages', 'Pages', 'Permissions') },
];

export const OTHER: Subject = { id: 'more', label: 'More', icon: 'table', has: () => true };

export function subjectOf(table: string): Subject {
  return SUBJECTS.find((s) => s.has(table)) ?? OTHER;
}
