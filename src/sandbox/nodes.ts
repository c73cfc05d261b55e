// Node types and their fields, rendered exactly as Graph does: only the requested fields (or the type's
// defaults), null values omitted, `id` always present, nested nodes and edges expanded inline, and an
// unknown field failing the whole request with (#100).
import { requireScopes } from './auth';
import { commentsCount } from './data/comments';
import { feedMediaCount } from './data/world';
import type { Comment, Container, FbUser, Hashtag, IgUser, Media, Page, World } from './data/types';
import { graphTime, type Ctx } from './context';
import { EDGES, renderEdge } from './edges';
import { GraphError } from './errors';
import type { FieldSpec } from './fields';

export type NodeTypeName = 'User' | 'Page' | 'IGUser' | 'IGMedia' | 'IGComment' | 'IGHashtag' | 'IGContainer';
type Getter = (o: any, ctx: Ctx) => unknown;
type Special = (o: any, spec: FieldSpec, ctx: Ctx) => unknown;

interface NodeType {
  /** The name Graph uses in "(#100) Tried accessing nonexisting field (x) on node type (…)". */
  graphName: string;
  scopes: string[];
  defaults: string[];
  values: Record<string, Getter>;
  nodes?: Record<string, { type: NodeTypeName; get: Getter }>;
  special?: Record<string, Special>;
}

const mediaCount = (u: IgUser, ctx: Ctx) => (u.managed ? feedMediaCount(ctx.world, u) : u.foreignMediaCount ?? u.media.length);
const isChild = (m: Media) => m.parentId !== undefined;
const noEngagement = (m: Media) => isChild(m) || m.media_product_type === 'STORY';

export const TYPES: Record<NodeTypeName, NodeType> = {
  User: {
    graphName: 'User', scopes: [], defaults: ['id', 'name'],
    values: { id: (u: FbUser) => u.id, name: (u: FbUser) => u.name },
  },
  Page: {
    graphName: 'Page', scopes: ['pages_show_list'], defaults: ['id', 'name'],
    values: {
      id: (p: Page) => p.id, name: (p: Page) => p.name, category: (p: Page) => p.category, link: (p: Page) => p.link,
      category_list: (p: Page) => [{ id: String(2200 + p.category.length), name: p.category }],
      followers_count: (p: Page) => p.followers_count, fan_count: (p: Page) => p.followers_count,
      tasks: () => ['ADVERTISE', 'ANALYZE', 'CREATE_CONTENT', 'MESSAGING', 'MODERATE', 'MANAGE'],
      access_token: (p: Page) => p.access_token,
    },
    nodes: {
      instagram_business_account: { type: 'IGUser', get: (p: Page, ctx) => (p.igUserId ? ctx.world.users.get(p.igUserId) : undefined) },
      connected_instagram_account: { type: 'IGUser', get: (p: Page, ctx) => (p.igUserId ? ctx.world.users.get(p.igUserId) : undefined) },
    },
  },
  IGUser: {
    graphName: 'IGUser', scopes: ['instagram_basic'], defaults: ['id'],
    values: {
      id: (u: IgUser) => u.id, ig_id: (u: IgUser) => u.ig_id, username: (u: IgUser) => u.username, name: (u: IgUser) => u.name,
      biography: (u: IgUser) => u.biography, website: (u: IgUser) => u.website,
      profile_picture_url: (u: IgUser) => u.profile_picture_url, followers_count: (u: IgUser) => u.followers_count,
      follows_count: (u: IgUser) => u.follows_count, media_count: mediaCount,
    },
    special: { business_discovery: businessDiscovery },
  },
  IGMedia: {
    graphName: 'IGMedia', scopes: ['instagram_basic'], defaults: ['id'],
    values: {
      id: (m: Media) => m.id, ig_id: (m: Media) => m.ig_id, caption: (m: Media) => m.caption,
      media_type: (m: Media) => m.media_type, media_product_type: (m: Media) => m.media_product_type,
      media_url: (m: Media) => m.media_url, thumbnail_url: (m: Media) => m.thumbnail_url,
      permalink: (m: Media) => (isChild(m) ? undefined : m.permalink), // not available on album children
      shortcode: (m: Media) => m.shortcode, timestamp: (m: Media) => graphTime(m.timestamp), username: (m: Media) => m.username,
      like_count: (m: Media) => (noEngagement(m) ? undefined : m.like_count),
      comments_count: (m: Media, ctx) => (noEngagement(m) ? undefined : commentsCount(ctx.world, m)),
      is_comment_enabled: (m: Media) => (isChild(m) ? undefined : m.is_comment_enabled),
      is_shared_to_feed: (m: Media) => m.is_shared_to_feed, alt_text: (m: Media) => m.alt_text,
    },
    nodes: { owner: { type: 'IGUser', get: (m: Media, ctx) => ctx.world.users.get(m.ownerId) } },
  },
  IGComment: {
    graphName: 'IGComment', scopes: ['instagram_basic', 'instagram_manage_comments'], defaults: ['timestamp', 'text', 'id'],
    values: {
      id: (c: Comment) => c.id, text: (c: Comment) => c.text, timestamp: (c: Comment) => graphTime(c.timestamp),
      username: (c: Comment) => c.username, like_count: (c: Comment) => c.like_count, hidden: (c: Comment) => c.hidden,
      parent_id: (c: Comment) => c.parentId,
    },
    nodes: { media: { type: 'IGMedia', get: (c: Comment, ctx) => ctx.world.media.get(c.mediaId) } },
    special: { from: fromField },
  },
  IGHashtag: {
    graphName: 'IGHashtag', scopes: ['instagram_basic'], defaults: ['id'],
    values: { id: (h: Hashtag) => h.id, name: (h: Hashtag) => h.name },
  },
  IGContainer: {
    graphName: 'ShadowIGMediaBuilder', scopes: ['instagram_basic'], defaults: ['id'],
    values: { id: (c: Container) => c.id, status_code: (c: Container) => containerStatus(c)[0], status: (c: Container) => containerStatus(c)[1] },
  },
};

/** Containers report IN_PROGRESS for their first two polls, then FINISHED (or ERROR for a bad URL). */
export function containerStatus(c: Container): [string, string] {
  if (c.publishedMediaId) return ['PUBLISHED', 'Published: Media has been published.'];
  if (/error|invalid/i.test(c.imageUrl ?? c.videoUrl ?? '')) return ['ERROR', 'Error: Media upload has failed with error code 2207026'];
  if (c.polls <= 2) return ['IN_PROGRESS', 'In Progress: Media is still being processed.'];
  return ['FINISHED', 'Finished: Media has been uploaded and it is complete.'];
}

function fromField(c: Comment, spec: FieldSpec): unknown {
  const all: Record<string, string> = { id: c.fromId, username: c.username };
  const out: Record<string, string> = {};
  const wanted: FieldSpec[] = spec.sub ?? [{ name: 'id', modifiers: {} }, { name: 'username', modifiers: {} }];
  for (const s of wanted) {
    if (!(s.name in all)) throw GraphError.nonexistingField(s.name, 'IGCommentFromUser');
    out[s.name] = all[s.name]!;
  }
  return out;
}

/** business_discovery.username(x){…}: another professional account's public profile, or 110/2207013. */
function businessDiscovery(_self: IgUser, spec: FieldSpec, ctx: Ctx): unknown {
  const username = spec.modifiers.username;
  if (!username) throw GraphError.param('(#100) The parameter username is required');
  const target = [...ctx.world.users.values()].find((u) => u.username.toLowerCase() === username.toLowerCase());
  if (!target) {
    throw new GraphError(110, 'Invalid user id', { subcode: 2207013, userTitle: 'Cannot find User', userMsg: `The user with username: ${username} cannot be found.` });
  }
  return renderNode(ctx, 'IGUser', target, spec.sub, ['id']);
}

/** Finds the object behind an id; undefined → the caller answers (#100) subcode 33. */
export function resolve(ctx: Ctx, id: string): { type: NodeTypeName; obj: unknown } | undefined {
  const w: World = ctx.world;
  if (id === 'me') {
    if (ctx.token.type === 'PAGE') {
      const page = w.pages.find((p) => p.access_token === ctx.token.token);
      if (page) return { type: 'Page', obj: page };
    }
    return { type: 'User', obj: w.me };
  }
  if (id === w.me.id) return { type: 'User', obj: w.me };
  const page = w.pages.find((p) => p.id === id);
  if (page) return { type: 'Page', obj: page };
  const user = w.users.get(id);
  if (user?.managed) return { type: 'IGUser', obj: user };
  const media = w.media.get(id);
  if (media) return { type: 'IGMedia', obj: media };
  const comment = w.comments.get(id);
  if (comment) return { type: 'IGComment', obj: comment };
  const tag = w.hashtags.get(id);
  if (tag) return { type: 'IGHashtag', obj: tag };
  const container = w.containers.get(id);
  if (container) return { type: 'IGContainer', obj: container };
  return undefined;
}

/** The IG user an object belongs to (for the X-Business-Use-Case-Usage header). */
export function ownerOf(world: World, type: NodeTypeName, obj: unknown): string | undefined {
  if (type === 'IGUser') return (obj as IgUser).id;
  if (type === 'IGMedia') return (obj as Media).ownerId;
  if (type === 'IGComment') return world.media.get((obj as Comment).mediaId)?.ownerId;
  if (type === 'IGContainer') return (obj as Container).ownerId;
  return undefined;
}

export function renderNode(ctx: Ctx, type: NodeTypeName, obj: unknown, specs?: FieldSpec[], defaults?: string[]): Record<string, unknown> {
  const t = TYPES[type];
  requireScopes(ctx.token, t.scopes);
  const list: FieldSpec[] = specs ?? (defaults ?? t.defaults).map((name) => ({ name, modifiers: {} }));
  const out: Record<string, unknown> = {};
  for (const spec of list) {
    const { name } = spec;
    const value = t.values[name];
    if (value) {
      const v = value(obj, ctx);
      if (v !== undefined && v !== null) out[name] = v;
      continue;
    }
    const node = t.nodes?.[name];
    if (node) {
      const ref = node.get(obj, ctx);
      if (ref) out[name] = renderNode(ctx, node.type, ref, spec.sub, ['id']);
      continue;
    }
    const special = t.special?.[name];
    if (special) {
      out[name] = special(obj, spec, ctx);
      continue;
    }
    const edge = EDGES[type]?.[name];
    if (edge && !edge.pathOnly) {
      // An inline edge with no items is left out, as Graph does.
      const paged = renderEdge(ctx, type, obj, name, spec.sub, { ...spec.modifiers }, undefined);
      if (paged.data.length > 0) out[name] = paged;
      continue;
    }
    throw GraphError.nonexistingField(name, t.graphName);
  }
  const id = t.values.id?.(obj, ctx);
  if (id !== undefined && !('id' in out)) out.id = id; // Graph always returns the id
  return out;
}
