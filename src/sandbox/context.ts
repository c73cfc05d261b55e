// What every Graph handler receives: the world, the caller's token, the request parameters, and how to
// build absolute links (paging `next`) back to this server.
import type { TokenInfo } from './auth';
import type { World } from './data/types';

export interface Ctx {
  world: World;
  token: TokenInfo;
  /** Query-string and form-body parameters, merged (Graph accepts either). */
  params: Record<string, string>;
  /** http://127.0.0.1:PORT */
  origin: string;
  /** The version segment of the request path ("v24.0"), or "" when none was given. */
  version: string;
  /** The IG user the call is about, for X-Business-Use-Case-Usage; set by the handlers. */
  igUser?: string;
}

/** Absolute URL for a Graph path with parameters, carrying the access token as Graph's links do. */
export function linkFor(ctx: Ctx, path: string, params: Record<string, string>): string {
  const q = new URLSearchParams(params);
  if (ctx.params.access_token) q.set('access_token', ctx.params.access_token);
  return `${ctx.origin}${ctx.version ? `/${ctx.version}` : ''}/${path}?${q.toString()}`;
}

/** "2026-11-20T10:00:00+0000": Graph's timestamp format. */
export function graphTime(unixSeconds: number): string {
  return new Date(unixSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/** The clock for writes: the real time, but never before the data's anchor (new items sort first). */
export function writeTime(world: World): number {
  return Math.max(Math.floor(Date.now() / 1000), world.now);
}
