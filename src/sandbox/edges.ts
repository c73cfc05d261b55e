// Edges (lists with cursor paging), usable as a path (/{id}/media) or inline as a field (media.limit(5){…}).
// Limits: default 25, max 100; comments and replies max 50. /media is newest first, excludes stories and
// honours since/until; /stories is the last 24 h of the anchor; /comments lists top-level comments only.
import { requireScopes } from './auth';
import { ensureHashtagMedia, hashtagByName, recentHashtagSearches } from './data/hashtags';
import type { Comment, FbUser, Hashtag, IgUser, Media, Page } from './data/types';
import { linkFor, writeTime, type Ctx } from './context';
import { GraphError } from './errors';
import { serializeFields, type FieldSpec } from './fields';
import { renderNode, type NodeTypeName } from './nodes';
import { hashtagPage, page, pageParams, timePage, timePageParams, type Paged } from './paging';

export interface EdgeDef {
  scopes: string[];
  max: number;
  itemType: NodeTypeName;
  /** Default fields of the items when none are asked for (Graph's per-edge defaults). */
  defaults?: string[];
  /** Only reachable as a path (/{id}/insights), not as an inline field. */
  pathOnly?: boolean;
  /**
   * How a path request pages (paging.ts): 'time' pages with since/until and __paging_token when either
   * bound is given (Graph's time-based pagination), 'hashtag' repeats one `after` cursor; default cursors.
   */
  paging?: 'time' | 'hashtag';
  /** Unix time of an item, for time-based paging. */
  timeOf?: (item: any) => number;
  list(ctx: Ctx, obj: any, params: Record<string, string>): unknown[];
}

/** since/until accept unix seconds or any date Date.parse understands (Graph accepts strtotime strings). */
export function timeParam(params: Record<string, string>, name: string): number | undefined {
  const raw = params[name];
  if (raw === undefined || raw === '') return undefined;
  if (/^-?\d+$/.test(raw)) return Number(raw);
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw GraphError.param(`(#100) The parameter ${name} must be a unix timestamp or a date`);
  return Math.floor(ms / 1000);
}

function hashtagUser(ctx: Ctx, params: Record<string, string>): void {
  const userId = params.user_id;
  if (!userId) throw GraphError.param('(#100) The parameter user_id is required');
  if (!ctx.world.users.get(userId)?.managed) throw GraphError.param(`(#100) Param user_id must be a valid Instagram business account id`);
}

const media = (ctx: Ctx, ids: readonly string[]) => ids.map((id) => ctx.world.media.get(id)!).filter(Boolean);

export const EDGES: Partial<Record<NodeTypeName, Record<string, EdgeDef>>> = {
  User: {
    accounts: {
      scopes: ['pages_show_list'], max: 100, itemType: 'Page',
      defaults: ['access_token', 'category', 'category_list', 'name', 'id', 'tasks'],
      // Only the Pages the user chose to share in the login dialog.
      list: (ctx: Ctx, _u: FbUser): Page[] => ctx.world.pages.filter((p) => !ctx.token.pageIds || ctx.token.pageIds.includes(p.id)),
    },
  },
  IGUser: {
    media: {
      scopes: ['instagram_basic'], max: 100, itemType: 'IGMedia', paging: 'time', timeOf: (m: Media) => m.timestamp,
      list: (ctx: Ctx, u: IgUser, params) => {
        const since = timeParam(params, 'since');
        const until = timeParam(params, 'until');
        return media(ctx, u.media).filter((m) => (since === undefined || m.timestamp >= since) && (until === undefined || m.timestamp <= until));
      },
    },
    stories: {
      scopes: ['instagram_basic'], max: 100, itemType: 'IGMedia',
      list: (ctx: Ctx, u: IgUser) => media(ctx, u.stories).filter((m) => m.timestamp > ctx.world.now - 86400),
    },
    tags: { scopes: ['instagram_basic'], max: 100, itemType: 'IGMedia', list: (ctx: Ctx, u: IgUser) => media(ctx, u.tags) },
    // The hashtags searched in the last 7 days; 25 a page by default, up to 30 (limit=30).
    // https://developers.facebook.com/docs/instagram-api/reference/ig-user/recently_searched_hashtags
    recently_searched_hashtags: {
      scopes: ['instagram_basic'], max: 30, itemType: 'IGHashtag',
      list: (ctx: Ctx, u: IgUser) => recentHashtagSearches(ctx.world, u.id, writeTime(ctx.world)).map(([name]) => hashtagByName(ctx.world, name)),
    },
  },
  IGMedia: {
    children: { scopes: ['instagram_basic'], max: 100, itemType: 'IGMedia', list: (ctx: Ctx, m: Media) => media(ctx, m.children) },
    comments: {
      scopes: ['instagram_basic', 'instagram_manage_comments'], max: 50, itemType: 'IGComment',
      list: (ctx: Ctx, m: Media): Comment[] => m.comments.map((id) => ctx.world.comments.get(id)!).filter(Boolean),
    },
  },
  IGComment: {
    replies: {
      scopes: ['instagram_basic', 'instagram_manage_comments'], max: 50, itemType: 'IGComment',
      list: (ctx: Ctx, c: Comment): Comment[] => c.replies.map((id) => ctx.world.comments.get(id)!).filter(Boolean),
    },
  },
  IGHashtag: {
    top_media: {
      scopes: ['instagram_basic'], max: 50, itemType: 'IGMedia', paging: 'hashtag',
      list: (ctx: Ctx, h: Hashtag, params) => { hashtagUser(ctx, params); ensureHashtagMedia(ctx.world, h); return media(ctx, h.top); },
    },
    recent_media: {
      scopes: ['instagram_basic'], max: 50, itemType: 'IGMedia', paging: 'hashtag',
      list: (ctx: Ctx, h: Hashtag, params) => { hashtagUser(ctx, params); ensureHashtagMedia(ctx.world, h); return media(ctx, h.recent); },
    },
  },
};

/**
 * Renders one page of an edge. `top` holds the path the request used (e.g. "me/accounts") when the edge is
 * the request's target; undefined when it is expanded inline as a field (then `params` are its modifiers).
 */
export function renderEdge(ctx: Ctx, type: NodeTypeName, obj: any, name: string, sub: FieldSpec[] | undefined, params: Record<string, string>, top: string | undefined): Paged {
  const edge = EDGES[type]?.[name];
  if (!edge) throw GraphError.nonexistingField(name, type);
  requireScopes(ctx.token, edge.scopes);
  const items = edge.list(ctx, obj, params);
  const pp = pageParams(params, edge.max);
  const keep = { ...params };
  for (const k of ['access_token', 'after', 'before', 'limit']) delete keep[k];
  if (!top && sub) keep.fields = serializeFields(sub);
  const path = top ?? `${obj.id}/${name}`;
  const render = (i: unknown) => renderNode(ctx, edge.itemType, i, sub, edge.defaults);
  if (top && edge.paging === 'time' && edge.timeOf && (params.since || params.until)) {
    for (const k of ['__paging_token', '__previous', 'until', 'since']) delete keep[k];
    const tp = timePageParams(params, edge.max);
    const bounds = { ...(params.since ? { since: params.since } : {}), ...(params.until ? { until: params.until } : {}) };
    return timePage(items, (i: any) => String(i.id), edge.timeOf, tp, render, (p) => linkFor(ctx, path, { ...keep, limit: String(tp.limit), ...(p.__previous ? {} : bounds), ...p }));
  }
  if (top && edge.paging === 'hashtag') {
    const session = `${ctx.token.token}|${path}|${params.user_id ?? ''}|${params.fields ?? ''}|${pp.limit}`;
    delete keep.__sandbox_repeat;
    return hashtagPage(ctx.world, session, items, pp, render, (cursor) => linkFor(ctx, path, { ...keep, limit: String(pp.limit), after: cursor.after }), params.__sandbox_repeat === '1');
  }
  return page(items, (i: any) => String(i.id), pp, (i) => renderNode(ctx, edge.itemType, i, sub, edge.defaults),
    (cursor) => linkFor(ctx, path, { ...keep, limit: String(pp.limit), ...(cursor.after ? { after: cursor.after } : { before: cursor.before! }) }));
}
