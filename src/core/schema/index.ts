/** The registry of tables and views: adding a table is adding a file and a line here. */
import { Comments } from './comments';
import { IGMedia } from './ig-media';
import { InstagramBusinessProfile } from './instagram-business-profile';
import { InstagramPages } from './instagram-pages';
import { Media } from './media';
import { MediaChildren } from './media-children';
import { Pages } from './pages';
import { Replies } from './replies';
import type { TableDef } from './types';

export const TABLES: readonly TableDef[] = [Comments, Replies, Pages, InstagramPages, InstagramBusinessProfile, Media, IGMedia, MediaChildren];

const BY_NAME = new Map(TABLES.map((t) => [t.name.toLowerCase(), t]));

export function findTable(name: string): TableDef | undefined {
  return BY_NAME.get(name.toLowerCase());
}
