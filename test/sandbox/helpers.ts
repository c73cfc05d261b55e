// Shared set-up for the sandbox conformance tests: a sandbox on a free port and a got client that never
// retries or throws on HTTP errors, so each test sees exactly what the server answered.
import got, { type Got } from 'got';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index';

export const NOW = Date.UTC(2026, 10, 24); // fixed anchor: 2026-11-24T00:00:00Z
export const V = 'v24.0';

export interface Harness { sb: Sandbox; api: Got; get(path: string, params?: Record<string, string | number>): Promise<Res>; post(path: string, form?: Record<string, string>): Promise<Res>; del(path: string, params?: Record<string, string>): Promise<Res> }
export interface Res { status: number; body: any; headers: Record<string, string | string[] | undefined> }

export async function harness(options: SandboxOptions = {}): Promise<Harness> {
  const sb = await startSandbox({ port: 0, now: NOW, ...options });
  const api = got.extend({ prefixUrl: sb.url, throwHttpErrors: false, retry: { limit: 0 }, followRedirect: false, timeout: { request: 10_000 } });
  const wrap = async (p: Promise<any>): Promise<Res> => {
    const r = await p;
    let body: unknown = r.body;
    try { body = JSON.parse(r.body as string); } catch { /* HTML or empty */ }
    return { status: r.statusCode, body, headers: r.headers };
  };
  return {
    sb,
    api,
    get: (path, params = {}) => wrap(api.get(path, { searchParams: { access_token: 'sandbox', ...params } })),
    post: (path, form = {}) => wrap(api.post(path, { form: { access_token: 'sandbox', ...form } })),
    del: (path, params = {}) => wrap(api.delete(path, { searchParams: { access_token: 'sandbox', ...params } })),
  };
}

/** Follows `next` links from a first page to the end; returns every item. */
export async function collect(first: Res, api: Got): Promise<any[]> {
  const items: any[] = [...first.body.data];
  let next: string | undefined = first.body.paging?.next;
  let guard = 0;
  while (next && guard++ < 1000) {
    const r = await api.get(next, { prefixUrl: '' });
    const body = JSON.parse(r.body);
    items.push(...body.data);
    next = body.paging?.next;
  }
  return items;
}

/** The first managed account of the summary, and its media of a product type / media type. */
export function firstAccount(sb: Sandbox): { id: string; media: Array<[string, ReturnType<Sandbox['summary']>['accounts'][string]['media'][string]]> } {
  const [id, acc] = Object.entries(sb.summary().accounts)[0]!;
  return { id, media: Object.entries(acc.media) };
}

export async function token(sb: Sandbox, scopes: string[], expiresIn = 3600): Promise<string> {
  const r = await got.post(`${sb.url}/__sandbox/tokens`, { json: { scopes, expiresIn } }).json<{ access_token: string }>();
  return r.access_token;
}
