// Dispatches one Graph call (a top-level request or one batch item) to the node, edge, insights, write,
// hashtag and OAuth handlers. Synchronous and free of HTTP: the server and the batch runner share it.
import type { Host, Tokens } from '../auth';
import { requireScopes } from '../auth';
import { writeTime, type Ctx } from '../context';
import { countHashtagSearch, hashtagByName } from '../data/hashtags';
import type { Comment, Container, IgUser, Media, World } from '../data/types';
import { EDGES, renderEdge } from '../edges';
import { GraphError } from '../errors';
import { parseFields } from '../fields';
import { TYPES, ownerOf, renderNode, resolve, type NodeTypeName } from '../nodes';
import { deleteComment, postComment, postReply, updateComment } from './comments';
import { accountInsights, mediaInsights } from './insights';
import type { InstagramLogin } from './instagram-login';
import type { OAuth } from './oauth';
import { createContainer, publish, publishingLimit } from './publish';

export interface Env { world: World; tokens: Tokens; oauth: OAuth; igLogin: InstagramLogin; origin: string }

export interface GraphCall {
  method: string;
  /** Decoded path segments after the version. */
  segments: string[];
  version: string;
  params: Record<string, string>;
  token?: string;
  /** graph.facebook.com (default) or graph.instagram.com (the /instagram surface). */
  host?: Host;
}

export interface GraphResult { status: number; body: unknown; igUser?: string }

const MAX_IDS = 50;

export function runGraph(env: Env, call: GraphCall): GraphResult {
  const origin = call.host === 'instagram' ? `${env.origin}/instagram` : env.origin;
  const ctx: Partial<Ctx> = { world: env.world, params: call.params, origin, version: call.version };
  try {
    const body = dispatch(env, call, ctx);
    return { status: 200, body, igUser: ctx.igUser };
  } catch (e) {
    if (e instanceof GraphError) return { status: e.status, body: e.body(), igUser: ctx.igUser };
    throw e;
  }
}

function dispatch(env: Env, call: GraphCall, partial: Partial<Ctx>): unknown {
  const [first, second, ...rest] = call.segments;
  const method = call.method.toUpperCase();
  // OAuth endpoints authenticate with the app's credentials, not a user token.
  if (first === 'oauth' && second === 'access_token' && method === 'GET') return env.oauth.accessToken(call.params);
  if (first === 'debug_token' && !second && method === 'GET') return env.oauth.debugToken(call.params, call.token);
  const host = call.host ?? 'facebook';
  partial.token = env.tokens.check(call.token, host);
  env.tokens.checkProof(partial.token, call.params.appsecret_proof);
  const ctx = partial as Ctx;
  // DELETE /me/permissions/{permission}: the user removes one permission from the app.
  // https://developers.facebook.com/docs/graph-api/reference/user/permissions/#Deleting
  if (method === 'DELETE' && first === 'me' && second === 'permissions' && rest.length === 1 && host === 'facebook') {
    env.tokens.revoke(ctx.token, rest[0]!);
    return { success: true };
  }
  if (rest.length > 0) throw GraphError.unknownPath(rest.join('/'));
  if (host === 'instagram') {
    // graph.instagram.com: `me` is the Instagram user; Pages, hashtag search and business discovery do not exist.
    if (first === 'ig_hashtag_search' || call.params.fields?.includes('business_discovery')) throw GraphError.unsupported(method, first ?? '');
    if (first === 'me' || first === ctx.token.igUserId) return instagramMe(env, ctx, method, second, call);
  }
  if (call.params.ids !== undefined && method === 'GET') return multiId(ctx, first);
  if (first === undefined) throw GraphError.param('(#100) Missing the ids parameter, or an object id in the path');
  if (first === 'ig_hashtag_search' && !second) return hashtagSearch(ctx);
  const found = resolve(ctx, first);
  if (!found) throw GraphError.unsupported(method, first);
  ctx.igUser = ownerOf(ctx.world, found.type, found.obj);
  if (second === undefined) return nodeCall(ctx, method, found.type, found.obj, first);
  return edgeCall(ctx, method, found.type, found.obj, first, second);
}

/** `me` on graph.instagram.com: the IG user, with `user_id` (the professional account id) among its fields. */
function instagramMe(env: Env, ctx: Ctx, method: string, edge: string | undefined, call: GraphCall): unknown {
  const user = env.world.users.get(ctx.token.igUserId ?? '');
  if (!user) throw GraphError.invalidToken();
  ctx.igUser = user.id;
  if (edge !== undefined) return edgeCall(ctx, method, 'IGUser', user, user.id, edge);
  if (method !== 'GET') throw GraphError.unsupported(method, 'me');
  const fields = (call.params.fields ?? 'id,username').split(',').map((f) => f.trim());
  const base = renderNode({ ...ctx, params: { ...ctx.params, fields: fields.filter((f) => f !== 'user_id').join(',') || 'id' } }, 'IGUser', user, parseFields(fields.filter((f) => f !== 'user_id').join(',') || 'id'));
  return fields.includes('user_id') ? { user_id: user.id, ...base } : base;
}

function nodeCall(ctx: Ctx, method: string, type: NodeTypeName, obj: unknown, id: string): unknown {
  if (method === 'GET') {
    if (type === 'IGContainer') (obj as Container).polls++;
    return renderNode(ctx, type, obj, parseFields(ctx.params.fields));
  }
  if (type === 'IGComment' && method === 'POST') return updateComment(ctx, obj as Comment);
  if (type === 'IGComment' && method === 'DELETE') return deleteComment(ctx, obj as Comment);
  throw GraphError.unsupported(method, id);
}

function edgeCall(ctx: Ctx, method: string, type: NodeTypeName, obj: unknown, id: string, edge: string): unknown {
  if (method === 'POST') {
    if (type === 'IGMedia' && edge === 'comments') return postComment(ctx, obj as Media);
    if (type === 'IGComment' && edge === 'replies') return postReply(ctx, obj as Comment);
    if (type === 'IGUser' && edge === 'media') return createContainer(ctx, obj as IgUser);
    if (type === 'IGUser' && edge === 'media_publish') return publish(ctx, obj as IgUser);
    throw GraphError.unsupported(method, `${id}/${edge}`);
  }
  if (method !== 'GET') throw GraphError.unsupported(method, `${id}/${edge}`);
  if (type === 'IGMedia' && edge === 'insights') return mediaInsights(ctx, obj as Media);
  if (type === 'IGUser' && edge === 'insights') return accountInsights(ctx, obj as IgUser);
  if (type === 'IGUser' && edge === 'content_publishing_limit') return publishingLimit(ctx, obj as IgUser);
  if (type === 'User' && edge === 'permissions') return { data: ctx.token.scopes.map((permission) => ({ permission, status: 'granted' })) };
  if (!EDGES[type]?.[edge]) throw GraphError.nonexistingField(edge, TYPES[type].graphName);
  return renderEdge(ctx, type, obj, edge, parseFields(ctx.params.fields), ctx.params, `${id}/${edge}`);
}

/** GET /?ids=a,b (nodes) or GET /{edge}?ids=a,b (the edge of each): {"a":…,"b":…}; one bad id fails all. */
function multiId(ctx: Ctx, edge: string | undefined): unknown {
  const ids = ctx.params.ids!.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw GraphError.param('(#100) The parameter ids is required');
  if (ids.length > MAX_IDS) throw GraphError.param(`(#100) Too many IDs. Maximum: ${MAX_IDS}. Got: ${ids.length}.`);
  const specs = parseFields(ctx.params.fields);
  const out: Record<string, unknown> = {};
  for (const id of ids) {
    const found = resolve(ctx, id);
    if (!found) throw GraphError.unsupported('GET', id);
    ctx.igUser ??= ownerOf(ctx.world, found.type, found.obj);
    out[id] = edge === undefined ? renderNode(ctx, found.type, found.obj, specs) : edgeCall(ctx, 'GET', found.type, found.obj, id, edge);
  }
  return out;
}

function hashtagSearch(ctx: Ctx): unknown {
  requireScopes(ctx.token, ['instagram_basic']);
  const userId = ctx.params.user_id;
  if (!userId) throw GraphError.param('(#100) The parameter user_id is required');
  if (!ctx.world.users.get(userId)?.managed) throw GraphError.unsupported('GET', userId);
  ctx.igUser = userId;
  const q = (ctx.params.q ?? '').replace(/^#/, '').trim();
  if (!q) throw GraphError.param('(#100) The parameter q is required');
  if (!/^[\p{L}\p{N}_]+$/u.test(q)) throw GraphError.param('(#100) Invalid hashtag name', 100, 2207024);
  countHashtagSearch(ctx.world, userId, q.toLowerCase(), writeTime(ctx.world));
  return { data: [{ id: hashtagByName(ctx.world, q).id }] };
}
