// Batch requests: POST / with batch=[{"method","relative_url","body"?},…] → a JSON array with one
// {"code","headers","body":"<JSON string>"} per item, in order. At most 50 items; each counts as one call.
// https://developers.facebook.com/docs/graph-api/batch-requests
import { GraphError } from '../errors';
import type { RequestLogEntry } from '../log';
import type { GraphCall, GraphResult } from './graph';

export const MAX_BATCH = 50;

interface BatchItem { method?: string; relative_url?: string; body?: string | Record<string, unknown>; name?: string }

export type Exec = (call: GraphCall, path: string) => Promise<GraphResult>;

export function splitPath(pathname: string): { segments: string[]; version: string } {
  const segments = pathname.split('/').filter((s) => s !== '').map((s) => {
    try { return decodeURIComponent(s); } catch { return s; } // decode each segment; never re-split
  });
  const version = segments.length && /^v\d+(\.\d+)?$/.test(segments[0]!) ? segments.shift()! : '';
  return { segments, version };
}

function toRecord(q: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of q) out[k] = v;
  return out;
}

function parseItems(raw: string | undefined): BatchItem[] {
  let items: unknown;
  try { items = JSON.parse(raw ?? ''); } catch { throw GraphError.param('(#100) The parameter batch must be a JSON-encoded array'); }
  if (!Array.isArray(items)) throw GraphError.param('(#100) The parameter batch must be a JSON-encoded array');
  if (items.length === 0) throw GraphError.param('(#100) The parameter batch is required');
  if (items.length > MAX_BATCH) throw GraphError.param(`Too many requests in batch message. Maximum batch size is ${MAX_BATCH}`);
  return items as BatchItem[];
}

export async function runBatch(params: Record<string, string>, token: string | undefined, exec: Exec): Promise<{ body: unknown; log: RequestLogEntry[] }> {
  const items = parseItems(params.batch);
  const withHeaders = params.include_headers !== 'false';
  const out: unknown[] = [];
  const log: RequestLogEntry[] = [];
  for (const item of items) {
    const time = new Date().toISOString();
    const method = (item.method ?? 'GET').toUpperCase();
    const rel = (item.relative_url ?? '').replace(/^\/+/, '');
    const [pathPart, queryPart = ''] = rel.split(/\?(.*)/s, 2) as [string, string?];
    const query = toRecord(new URLSearchParams(queryPart));
    const body = typeof item.body === 'string' ? toRecord(new URLSearchParams(item.body))
      : Object.fromEntries(Object.entries(item.body ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    const merged = { ...query, ...body };
    const { segments, version } = splitPath(`/${pathPart}`);
    let result: GraphResult;
    if (!item.relative_url) result = { status: 400, body: GraphError.param('(#100) The parameter relative_url is required').body() };
    else result = await exec({ method, segments, version, params: merged, token: merged.access_token ?? token }, `/${pathPart}`);
    out.push({
      code: result.status,
      ...(withHeaders ? { headers: [{ name: 'Content-Type', value: 'application/json; charset=UTF-8' }] } : {}),
      body: JSON.stringify(result.body),
    });
    log.push({ method, path: `/${pathPart}`, query: merged, time, status: result.status });
  }
  return { body: out, log };
}
