/**
 * The peers of the bench, each answering the same questions as our SQL: a `got` loop as a competent user
 * writes it (a pool of 8 requests in flight), the same loop with Graph field expansion and `ids=`
 * (https://developers.facebook.com/docs/graph-api/guides/field-expansion,
 * https://developers.facebook.com/docs/graph-api/reference#read — "multiple ID read requests"), and Meta's
 * facebook-nodejs-business-sdk, whose base URL (FacebookAdsApi.GRAPH) is redirected to the bench's proxy.
 * Each returns canonical rows (strings) so the bench can check every tool gives the same answer.
 */
import got from 'got';
import { MEDIA_METRICS, mediaKind } from '../src/core/schema/media-insights-common';

export const POOL = 8;

/** At most `limit` tasks at a time, as p-limit does. */
export function pool(limit: number): <T>(task: () => Promise<T>) => Promise<T> {
  let active = 0;
  const queue: Array<() => void> = [];
  return <T>(task: () => Promise<T>) => new Promise<T>((resolve, reject) => {
    const run = () => {
      active++;
      task().then(resolve, reject).finally(() => {
        active--;
        queue.shift()?.();
      });
    };
    if (active < limit) run();
    else queue.push(run);
  });
}

interface Page<T> { data: T[]; paging?: { next?: string } }
type Media = { id: string; media_product_type?: string };

export function gotClient(base: string, version: string) {
  const http = got.extend({ prefixUrl: `${base}/${version}`, responseType: 'json', headers: { authorization: 'Bearer sandbox' }, retry: { limit: 0 } });
  const abs = got.extend({ responseType: 'json', headers: { authorization: 'Bearer sandbox' }, retry: { limit: 0 } });
  return {
    get: <T>(path: string, searchParams: Record<string, string | number>) => http.get(path, { searchParams }).json<T>(),
    next: <T>(url: string) => abs.get(url).json<T>(),
  };
}
export type GotClient = ReturnType<typeof gotClient>;

async function allPages<T>(c: GotClient, first: Page<T>): Promise<T[]> {
  const out = [...first.data];
  let p = first;
  while (p.paging?.next) {
    p = await c.next<Page<T>>(p.paging.next);
    out.push(...p.data);
  }
  return out;
}

const metricsOf = (m: Media) => MEDIA_METRICS[mediaKind(m.media_product_type)!].join(',');
const insightRows = (id: string, data: Array<{ name: string; values?: Array<{ value?: number }>; total_value?: { value?: number } }>) =>
  data.map((i) => `${id}|${i.name}|${i.values?.[0]?.value ?? i.total_value?.value ?? null}`);

// --- 500 media + insights ---

/** List the media (100 a page), then one insights request per media, 8 at a time. */
export async function insightsGot(c: GotClient, account: string): Promise<string[]> {
  const media = await allPages(c, await c.get<Page<Media>>(`${account}/media`, { fields: 'id,media_product_type', limit: 100 }));
  const limit = pool(POOL);
  const rows = await Promise.all(media.map((m) => limit(async () => insightRows(m.id, (await c.get<Page<never>>(`${m.id}/insights`, { metric: metricsOf(m) })).data))));
  return rows.flat();
}

/** The expert's loop: while the next page of media is read, `GET /insights?ids=…` (50 ids, one metric set each). */
export async function insightsGotExpanded(c: GotClient, account: string): Promise<string[]> {
  const limit = pool(POOL);
  const work: Array<Promise<string[]>> = [];
  let page = await c.get<Page<Media>>(`${account}/media`, { fields: 'id,media_product_type', limit: 100 });
  for (;;) {
    const byKind = new Map<string, Media[]>();
    for (const m of page.data) byKind.set(metricsOf(m), [...(byKind.get(metricsOf(m)) ?? []), m]);
    for (const [metric, ms] of byKind) {
      for (let i = 0; i < ms.length; i += 50) {
        const ids = ms.slice(i, i + 50).map((m) => m.id);
        work.push(limit(async () => {
          const answer = await c.get<Record<string, Page<never>>>('insights', { ids: ids.join(','), metric });
          return ids.flatMap((id) => insightRows(id, answer[id]!.data));
        }));
      }
    }
    if (!page.paging?.next) break;
    page = await c.next<Page<Media>>(page.paging.next);
  }
  return (await Promise.all(work)).flat();
}

// --- comments and replies of the 50 newest media ---

type Reply = { id: string };
type Comment = { id: string; replies?: Page<Reply> };
type MediaC = { id: string; comments?: Page<Comment> };

/** One request per comments page and per replies page, 8 at a time. */
export async function commentsGot(c: GotClient, account: string): Promise<string[]> {
  const limit = pool(POOL);
  const media = (await c.get<Page<MediaC>>(`${account}/media`, { fields: 'id', limit: 50 })).data;
  const perMedia = await Promise.all(media.map(async (m) => {
    const comments = await limit(async () => allPages(c, await c.get<Page<Comment>>(`${m.id}/comments`, { fields: 'id', limit: 50 })));
    const perComment = await Promise.all(comments.map((cm) => limit(async () => {
      const replies = await allPages(c, await c.get<Page<Reply>>(`${cm.id}/replies`, { fields: 'id', limit: 50 }));
      return replies.length ? replies.map((r) => `${cm.id}|${r.id}`) : [`${cm.id}|null`];
    })));
    return perComment.flat();
  }));
  return perMedia.flat();
}

/** One request with nested field expansion; only edges that did not fit are paged, in parallel. */
export async function commentsGotExpanded(c: GotClient, account: string): Promise<string[]> {
  const limit = pool(POOL);
  const page = await c.get<Page<MediaC>>(`${account}/media`, { fields: 'id,comments.limit(50){id,replies.limit(50){id}}', limit: 50 });
  const rest = <T>(p: Page<T> | undefined): Promise<T[]> => (p?.paging?.next ? limit(() => allPages(c, { data: [], paging: p.paging })) : Promise.resolve([]));
  const commentsOf = async (m: MediaC) => [...(m.comments?.data ?? []), ...(await rest(m.comments))];
  const repliesOf = async (cm: Comment) => [...(cm.replies?.data ?? []), ...(await rest(cm.replies))];
  const perMedia = await Promise.all(page.data.map(async (m) => {
    const comments = await commentsOf(m);
    const perComment = await Promise.all(comments.map(async (cm) => {
      const replies = await repliesOf(cm);
      return replies.length ? replies.map((r) => `${cm.id}|${r.id}`) : [`${cm.id}|null`];
    }));
    return perComment.flat();
  }));
  return perMedia.flat();
}

// --- daily reach over 90 days ---

export interface DaySpan { since: number; until: number }

/** One request per 30-day span, all at once (Graph refuses longer spans). */
export async function reachGot(c: GotClient, account: string, spans: readonly DaySpan[]): Promise<string[]> {
  const answers = await Promise.all(spans.map((s) => c.get<Page<{ values?: Array<{ value: number; end_time: string }> }>>(`${account}/insights`, { metric: 'reach', period: 'day', metric_type: 'time_series', since: s.since, until: s.until })));
  return reachRows(answers.flatMap((a) => a.data.flatMap((i) => i.values ?? [])), spans);
}

export function reachRows(values: ReadonlyArray<{ value: number | null; end_time: string }>, spans: readonly DaySpan[]): string[] {
  const since = spans[0]!.since;
  const until = spans[spans.length - 1]!.until;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of values) {
    const t = Date.parse(v.end_time) / 1000;
    const iso = new Date(t * 1000).toISOString().replace('.000Z', 'Z');
    if (t <= since || t > until || seen.has(iso)) continue;
    seen.add(iso);
    out.push(`${iso}|${v.value}`);
  }
  return out;
}

// --- Meta's SDK ---

/* eslint-disable @typescript-eslint/no-explicit-any */
export function sdk(base: string, version: string): any {
  // Required lazily: the SDK is a devDependency used only here.
  const bizSdk = require('facebook-nodejs-business-sdk');
  // The SDK builds every URL from the static getter FacebookAdsApi.GRAPH ('https://graph.facebook.com').
  Object.defineProperty(bizSdk.FacebookAdsApi, 'GRAPH', { get: () => base, configurable: true });
  bizSdk.FacebookAdsApi.init('sandbox');
  return { ...bizSdk, version };
}

async function sdkAll(cursor: any): Promise<any[]> {
  const out = [...cursor];
  while (cursor.hasNext()) {
    cursor = await cursor.next();
    out.push(...cursor);
  }
  return out;
}

export async function insightsSdk(s: any, account: string): Promise<string[]> {
  const limit = pool(POOL);
  const media = await sdkAll(await new s.IGUser(account).getMedia(['id', 'media_product_type'], { limit: 100 }));
  const rows = await Promise.all(media.map((m: any) => limit(async () => {
    const items = await new s.IGMedia(m.id).getInsights([], { metric: metricsOf(m._data ?? m) });
    return insightRows(m.id, [...items].map((i: any) => i._data ?? i));
  })));
  return rows.flat();
}

export async function commentsSdk(s: any, account: string): Promise<string[]> {
  const limit = pool(POOL);
  const media = [...(await new s.IGUser(account).getMedia(['id'], { limit: 50 }))];
  const perMedia = await Promise.all(media.map(async (m: any) => {
    const comments = await limit(async () => sdkAll(await new s.IGMedia(m.id).getComments(['id'], { limit: 50 })));
    const perComment = await Promise.all(comments.map((cm: any) => limit(async () => {
      const replies = await sdkAll(await new s.IGComment(cm.id).getReplies(['id'], { limit: 50 }));
      return replies.length ? replies.map((r: any) => `${cm.id}|${r.id}`) : [`${cm.id}|null`];
    })));
    return perComment.flat();
  }));
  return perMedia.flat();
}

export async function reachSdk(s: any, account: string, spans: readonly DaySpan[]): Promise<string[]> {
  const answers = await Promise.all(spans.map((sp) => new s.IGUser(account).getInsights([], { metric: 'reach', period: 'day', metric_type: 'time_series', since: sp.since, until: sp.until })));
  return reachRows(answers.flatMap((a: any) => [...a].flatMap((i: any) => (i._data ?? i).values ?? [])), spans);
}
