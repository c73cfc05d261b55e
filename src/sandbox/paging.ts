// Cursor-based paging as Graph does it: {"data":[…],"paging":{"cursors":{"before","after"},"next","previous"}}.
// Cursors are opaque base64 naming the item (its key, with the position as a fallback when the item has
// since been deleted), so pages stay stable while comments are written. `next` is an absolute URL with the
// same parameters and a new `after`; it is absent on the last page. An empty edge is just {"data":[]}.
// https://developers.facebook.com/docs/graph-api/results
import { GraphError } from './errors';

export const DEFAULT_LIMIT = 25;

export interface PageParams { limit: number; after?: string; before?: string }

export interface Paged {
  data: unknown[];
  paging?: { cursors?: { before?: string; after?: string }; next?: string; previous?: string };
}

function encodeCursor(key: string, index: number): string {
  return Buffer.from(`sbx:${index}:${key}`, 'utf8').toString('base64url');
}

function decodeCursor(cursor: string, which: string): { key: string; index: number } {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const m = /^sbx:(\d+):(.*)$/s.exec(text);
  if (!m) throw GraphError.param(`(#100) The ${which} cursor is invalid`);
  return { index: Number(m[1]), key: m[2]! };
}

function position(keys: readonly string[], cursor: string, which: string): number {
  const c = decodeCursor(cursor, which);
  const at = keys.indexOf(c.key);
  return at >= 0 ? at : Math.min(c.index, keys.length);
}

/** Reads `limit` (default 25, clamped to [1, max]) and the cursors from the request parameters. */
export function pageParams(params: Record<string, string>, max: number, modifierLimit?: string): PageParams {
  const raw = modifierLimit ?? params.limit;
  let limit = raw === undefined || raw === '' ? DEFAULT_LIMIT : Number.parseInt(raw, 10);
  if (!Number.isFinite(limit)) limit = DEFAULT_LIMIT;
  limit = Math.max(1, Math.min(max, limit));
  return { limit, after: params.after || undefined, before: params.before || undefined };
}

/**
 * One page of `items`. `link(cursorParam)` builds the absolute URL for next/previous, or returns undefined
 * when no link should be given (e.g. inside a batch without a base URL).
 */
export function page<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  p: PageParams,
  render: (item: T) => unknown,
  link: (cursor: { after?: string; before?: string }) => string | undefined,
): Paged {
  const keys = items.map(keyOf);
  let start: number;
  let end: number;
  if (p.after) {
    start = position(keys, p.after, 'after') + (keys.includes(decodeCursor(p.after, 'after').key) ? 1 : 0);
    end = Math.min(items.length, start + p.limit);
  } else if (p.before) {
    end = position(keys, p.before, 'before');
    start = Math.max(0, end - p.limit);
  } else {
    start = 0;
    end = Math.min(items.length, p.limit);
  }
  const slice = items.slice(start, end);
  if (slice.length === 0) return { data: [] };
  const before = encodeCursor(keys[start]!, start);
  const after = encodeCursor(keys[end - 1]!, end - 1);
  const paging: NonNullable<Paged['paging']> = { cursors: { before, after } };
  if (end < items.length) {
    const next = link({ after });
    if (next) paging.next = next;
  }
  if (start > 0) {
    const previous = link({ before });
    if (previous) paging.previous = previous;
  }
  return { data: slice.map(render), paging };
}

// Time-based paging, as Graph pages an edge read with since/until (https://developers.facebook.com/docs/graph-api/results,
// "Time-based Pagination"): `next` and `previous` carry `since`/`until` and an opaque `__paging_token`, and the
// response has no cursors. The token names the last item of the page, so items sharing a timestamp are neither
// lost nor repeated; `until` in `next` is that item's time, `since` in `previous` the first item's.
export interface TimePageParams { limit: number; token?: string; previous: boolean }

export function timePageParams(params: Record<string, string>, max: number): TimePageParams {
  const { limit } = pageParams(params, max);
  return { limit, token: params.__paging_token || undefined, previous: params.__previous === '1' };
}

export function timePage<T>(
  items: readonly T[],
  keyOf: (item: T) => string,
  timeOf: (item: T) => number,
  p: TimePageParams,
  render: (item: T) => unknown,
  link: (params: Record<string, string>) => string | undefined,
): Paged {
  const keys = items.map(keyOf);
  let start = 0;
  let end = Math.min(items.length, p.limit);
  if (p.token) {
    const { key, index } = decodeCursor(p.token, '__paging_token');
    const at = keys.indexOf(key);
    const pos = at >= 0 ? at : Math.min(index, items.length);
    if (p.previous) { end = pos; start = Math.max(0, end - p.limit); } else { start = at >= 0 ? at + 1 : pos; end = Math.min(items.length, start + p.limit); }
  }
  const slice = items.slice(start, end);
  if (slice.length === 0) return { data: [] };
  const paging: { next?: string; previous?: string } = {};
  const last = items[end - 1]!;
  const first = items[start]!;
  if (end < items.length) {
    const next = link({ until: String(timeOf(last)), __paging_token: encodeCursor(keys[end - 1]!, end - 1) });
    if (next) paging.next = next;
  }
  if (start > 0) {
    const previous = link({ since: String(timeOf(first)), __paging_token: encodeCursor(keys[start]!, start), __previous: '1' });
    if (previous) paging.previous = previous;
  }
  return { data: slice.map(render), ...(paging.next || paging.previous ? { paging: paging as Paged['paging'] } : {}) };
}

// Hashtag media (top_media, recent_media): only an `after` cursor, and it "will always be the same for each page,
// but it can still be used to get the next page"
// (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-hashtag/recent-media).
// The position therefore lives here, per caller and query: a request without `after` starts over, a request
// with the cursor gets the page after the last one served.
const hashtagSessions = new WeakMap<object, Map<string, { start: number; end: number }>>();

export function hashtagPage<T>(
  world: object,
  session: string,
  items: readonly T[],
  p: PageParams,
  render: (item: T) => unknown,
  link: (cursor: { after: string }) => string | undefined,
  repeat = false,
): Paged {
  const sessions = hashtagSessions.get(world) ?? new Map<string, { start: number; end: number }>();
  hashtagSessions.set(world, sessions);
  const cursor = Buffer.from(`sbxh:${session}`, 'utf8').toString('base64url');
  if (p.after !== undefined && p.after !== cursor) throw GraphError.param('(#100) The after cursor is invalid');
  const last = sessions.get(session);
  // `repeat` (the repeatCursor fault, faults.ts) serves the last page again, as a server whose position is stuck.
  const start = p.after ? (repeat && last ? last.start : last?.end ?? 0) : 0;
  const end = Math.min(items.length, start + p.limit);
  sessions.set(session, { start, end });
  const slice = items.slice(start, end);
  if (slice.length === 0) return { data: [] };
  const paging: NonNullable<Paged['paging']> = { cursors: { after: cursor } };
  if (end < items.length) {
    const next = link({ after: cursor });
    if (next) paging.next = next;
  }
  return { data: slice.map(render), paging };
}
