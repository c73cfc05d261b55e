/**
 * The one pager every edge goes through (DESIGN §10). It follows what Graph returns rather than one paging
 * style (https://developers.facebook.com/docs/graph-api/results):
 * - cursor paging: `paging.cursors.after` and a `next` link carrying it;
 * - time-based paging (edges filtered with since/until): `next` carries `since`, `until` and `__paging_token`,
 *   and there are no cursors at all;
 * - hashtag top_media/recent_media: the `after` cursor "will always be the same for each page, but it can still
 *   be used to get the next page" (https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-hashtag/recent-media).
 * So the next request is the `next` link's query parameters sent to our own base URL and path: the token
 * written in the link is dropped (ours goes in the Authorization header) and the link's host is never called.
 * A listing goes on while Graph gives `next` (a page without cursors does not end it), and a position Graph
 * already gave (the same parameters again, or a page of items all seen before) ends it with PAGING_LOOP
 * instead of paging forever.
 */
import { IgsqlError } from '../errors';
import type { Page, Params } from './client';

/** Link parameters that carry credentials: ours are added by the client, never copied from a link. */
const CREDENTIALS = new Set(['access_token', 'appsecret_proof']);

export interface PagerOptions {
  /** What is being read, for messages ("the media of account 1784…"). */
  what: string;
  /** The edge repeats its `after` cursor on every page by design (hashtag media): judge repeats by content. */
  repeatingCursor?: boolean;
  /** Called once per page received (stats). */
  onPage?: () => void;
  /**
   * Read-ahead: how many pages may be requested beyond the one the caller is reading (0: none, the default),
   * asked again whenever a page arrives or the caller moves on. `wake` is to be called when that number may
   * have grown (e.g. the query started batching the listing's ids), so the next request goes out at once.
   * Returns the current window and a function to call when the listing ends. The requests are the same, in
   * the same order, only earlier.
   */
  readAhead?: (wake: () => void) => { window(): number; dispose(): void };
  /** Called with each page's items as soon as it arrives, before the caller asks for it (read ahead). */
  arrived?: (items: unknown[]) => void;
  /** The caller reads at most this many items (SQLite's LIMIT): no read-ahead once they are in. */
  rows?: number;
}

/** Whether `page` links to a next page (nextParams then reads it, or finds it unreadable). */
export function hasNextLink(page: Page<unknown>): boolean {
  const next = page.paging?.next;
  return next !== undefined && next !== null && next !== '';
}

/** The parameters of Graph's `next` link, without credentials; undefined on the last page. */
export function nextParams(page: Page<unknown>, what: string): Params | undefined {
  if (!hasNextLink(page)) return undefined;
  const next = page.paging!.next;
  let url: URL;
  try {
    url = new URL(String(next));
  } catch {
    throw new IgsqlError('GRAPH_ERROR', `Graph's link to the next page of ${what} is not a URL, so the rest cannot be read. Try again; if it persists, report it with the request log (Verbosity=2).`);
  }
  const params: Params = {};
  for (const [k, v] of url.searchParams) if (!CREDENTIALS.has(k)) params[k] = v;
  return params;
}

function positionKey(params: Params): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .sort()
    .join('&');
}

function itemKey(item: unknown): string {
  const id = (item as { id?: unknown } | null)?.id;
  return typeof id === 'string' || typeof id === 'number' ? `id:${id}` : JSON.stringify(item);
}

function loop(what: string, pages: number, how: string): IgsqlError {
  return new IgsqlError(
    'PAGING_LOOP',
    `Graph sent a page of ${what} it had already sent (${how}) after ${pages} page${pages === 1 ? '' : 's'}; the query stopped instead of reading the same pages forever. Try again later; add a narrower filter to read fewer pages.`,
  );
}

/**
 * The items of a page. Graph's edges always answer `{"data": [objects…]}`; anything else (no `data`, a
 * `null` item, a number where an object belongs) is an answer we cannot read, said as such — not an empty
 * listing, which would be different rows without an error, and not a crash in the row builder.
 */
export function pageData<T>(page: Page<T> | undefined, what: string): T[] {
  const data = (page as { data?: unknown } | null | undefined)?.data;
  if (!page || typeof page !== 'object' || Array.isArray(page)) throw unreadable(what, 'it is not a JSON object');
  if (!Array.isArray(data)) throw unreadable(what, 'it has no list of items ("data")');
  for (const x of data) if (x === null || typeof x !== 'object' || Array.isArray(x)) throw unreadable(what, 'an item of its list is not an object');
  return data as T[];
}

function unreadable(what: string, how: string): IgsqlError {
  return new IgsqlError('GRAPH_ERROR', `Graph's answer for ${what} could not be read: ${how}. Try again later; if it persists, something between you and Graph may be changing the answers (check ApiBaseURL and the proxy settings).`);
}

/**
 * The items of an edge's pages when every page follow() would read is answered already: the first page, and the
 * second when the first links to it and `answer` has it (the batch for the edges that overflowed a page asked
 * inline; undefined: not arrived, or a link back to the first position). A third page is never cached, so an
 * edge that long gets undefined, as does anything follow() would judge: a bad page or link, a second page of
 * items all seen on the first (PAGING_LOOP). A join then reads an overflowed edge without suspending SQLite
 * for each page (24 suspensions after the last answer of the comments + replies of 50 media, issue 11).
 */
export function answeredPages<T extends { id?: unknown }>(first: Page<T> | undefined, what: string, answer: (next: Params) => Page<T> | undefined): T[][] | undefined {
  try {
    if (!first) return undefined;
    const items = pageData(first, what);
    // Only whether there is a link matters first, so a single-page edge never parses it (a URL parse per edge
    // showed in the profile of a join).
    if (!hasNextLink(first)) return [items];
    const second = answer(nextParams(first, what)!);
    if (!second || hasNextLink(second)) return undefined;
    const more = pageData(second, what);
    const seen = new Set(items.map(itemKey));
    if (more.length && more.every((x) => seen.has(itemKey(x)))) return undefined;
    return [items, more];
  } catch {
    return undefined; // a bad answer or link: follow() reports it
  }
}

/**
 * Pages of an edge, one request per page as the caller pulls, or up to `readAhead`'s window ahead of it.
 * `fetch(params, index)` sends one request (index 0 is the first page, which callers may serve from a cache
 * or a batch). A page read ahead is requested only from the `next` link of the page before it, at a position
 * not requested yet, so a looping server is still caught when the caller reaches the repeat.
 */
export async function* follow<T>(first: Params, fetch: (params: Params, index: number) => Promise<Page<T>>, opts: PagerOptions): AsyncGenerator<T[]> {
  // The first position is keyed only once a next link needs comparing (most edges have a single page).
  let positions: Set<string> | undefined;
  const seen = (params: Params) => (positions ??= new Set([positionKey(first)])).has(positionKey(params));
  const visit = (params: Params) => (positions ??= new Set([positionKey(first)])).add(positionKey(params));
  const items = new Set<string>();
  /** Pages requested, by index: the caller reads `index`; pages after it were read ahead. */
  const requested: Array<Promise<Page<T>>> = [];
  let index = 0;
  let arrivedItems = 0;
  let ended = false;
  const request = (params: Params, at: number) => {
    const p = fetch(params, at);
    requested[at] = p;
    // A page read ahead is not awaited until the caller gets there: its rejection must not go unhandled.
    p.then((page) => onArrival(page), () => undefined);
  };
  // The page after the last one requested goes out once that one is in, while the window allows it.
  const extend = () => {
    const last = requested.length - 1;
    if (ended || !ahead || last < 0 || last - index >= ahead.window()) return;
    if (opts.rows !== undefined && arrivedItems >= opts.rows) return;
    requested[last]!.then((page) => {
      if (ended || requested.length - 1 !== last || last - index >= ahead.window()) return;
      let next: Params | undefined;
      try {
        next = nextParams(page, opts.what);
      } catch {
        return; // the caller meets the bad link itself
      }
      if (!next || (!opts.repeatingCursor && seen(next))) return;
      visit(next);
      request(next, last + 1);
    }, () => undefined);
  };
  const onArrival = (page: Page<T>) => {
    if (ended) return;
    let data: T[];
    try {
      data = pageData(page, opts.what);
    } catch {
      return; // the caller meets the bad page itself
    }
    arrivedItems += data.length;
    try {
      opts.arrived?.(data);
    } catch {
      // Publishing early is an optimisation: the caller handles the page again when it reads it.
    }
    extend();
  };
  const ahead = opts.readAhead?.(() => extend());
  try {
    request(first, 0);
    for (;;) {
      const page = await requested[index]!;
      opts.onPage?.();
      const data = pageData(page, opts.what);
      if (data.length) {
        const keys = data.map(itemKey);
        if (index > 0 && keys.every((k) => items.has(k))) throw loop(opts.what, index, 'every item of the page was on an earlier page');
        for (const k of keys) items.add(k);
      }
      const next = nextParams(page, opts.what);
      // A next page already requested came from this very link; otherwise a known position is a loop.
      const repeated = next !== undefined && requested[index + 1] === undefined && !opts.repeatingCursor && seen(next);
      yield data;
      if (!next) return;
      if (repeated) throw loop(opts.what, index + 1, 'its next link repeats an earlier position');
      if (requested[index + 1] === undefined) {
        visit(next);
        request(next, index + 1);
      }
      index++;
      extend();
    }
  } finally {
    ended = true;
    ahead?.dispose();
  }
}
