/**
 * The Graph client (DESIGN §4): one `got` instance per connection with timeout, TLS/proxy agent, retries for
 * idempotent requests only, usage-header reading and per-query counters. Paths are built from encoded
 * segments, so an id can never change the request path ('1/../me' is sent as '1%2F..%2Fme').
 */
import got, { HTTPError, RequestError, type Got, type Agents } from 'got';
import { appSecretProof } from '../auth/oauth';
import type { Logger, QueryStats } from '../api';
import { IgsqlError } from '../errors';
import { graphErrorBody, mapGraphError, THROTTLE_CODES } from './errors';
import { follow } from './pager';

export const MAX_BATCH = 50;

/** C0 controls and DEL: no Graph id holds one, and several layers (C strings, HTTP) cut or reject them. */
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * One path segment, whatever it holds: '/', '..', '?' and '#' are percent-encoded so an id never changes the
 * path. An id with a control character is refused: before the typed key layer read TEXT with its length,
 * 'ZQ' || char(0) || 'X' requested /ZQ, another object.
 */
export function pathSegment(segment: string): string {
  const bad = CONTROL.exec(segment);
  if (bad) {
    const code = `U+${bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new IgsqlError('INVALID_VALUE', `The id ${JSON.stringify(segment)} contains a control character (${code}); Graph ids are digits and letters. Check where the value comes from (a pasted or computed value, char(0) in SQL) and remove it.`);
  }
  if (segment === '') throw new IgsqlError('INVALID_VALUE', 'An empty id was given; Graph ids are digits and letters.');
  return encodeURIComponent(segment);
}

export type Params = Record<string, string | number | boolean | undefined>;

/** Per-query state carried through got's `context` into the hooks. */
export interface CallContext {
  stats: QueryStats;
  signal?: AbortSignal;
  /** What is being read, for error messages ("Media of account 1784…"). */
  what: string;
}

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  timeoutSeconds: number;
  token: () => Promise<string>;
  logger: Logger;
  agent?: Agents;
  https?: { certificateAuthority?: string; rejectUnauthorized?: boolean };
  /** Retries for GETs on 5xx, network errors and throttling codes. */
  retries?: number;
  /** The app secret, when known: every call then carries appsecret_proof (apps with "Require App Secret"). */
  appSecret?: string;
  /**
   * Called once when Graph rejects the token (code 190) on a read: true when a new token was obtained (renewed
   * or signed in again, as InitiateOAuth allows), and the read is then sent once more.
   */
  recover?: () => Promise<boolean>;
}

export interface Page<T> {
  data: T[];
  paging?: { cursors?: { before?: string; after?: string }; next?: string; previous?: string };
}

/** Rolling usage as last reported by Graph (percent of the budget). */
export interface Usage {
  appCallCount?: number;
  businessCallCount?: number;
  regainAccessMinutes?: number;
}

export class GraphClient {
  private readonly http: Got;
  readonly usage: Usage = {};

  constructor(private readonly opts: GraphClientOptions) {
    const retries = opts.retries ?? 2;
    this.http = got.extend({
      timeout: opts.timeoutSeconds > 0 ? { request: opts.timeoutSeconds * 1000 } : {},
      responseType: 'json',
      agent: opts.agent ?? {},
      https: opts.https ?? {},
      headers: { 'user-agent': 'instagram-sql/0.1 (+got)' },
      retry: {
        limit: retries,
        methods: ['GET'],
        statusCodes: [500, 502, 503, 504],
        backoffLimit: 4000,
        calculateDelay: ({ attemptCount, error, computedValue }) => {
          if (error.options.method !== 'GET' || attemptCount > retries) return 0;
          const g = graphErrorBody(error.response?.body);
          if (g?.code !== undefined && THROTTLE_CODES.has(g.code)) {
            // Graph says how long until access returns; retrying sooner only burns budget.
            if ((this.usage.regainAccessMinutes ?? 0) > 0) return 0;
            return 500 * 2 ** attemptCount;
          }
          return computedValue === 0 ? 0 : Math.min(computedValue, 250 * 2 ** attemptCount);
        },
      },
      hooks: {
        beforeRequest: [
          (options) => {
            const ctx = options.context as unknown as CallContext | undefined;
            if (ctx) ctx.stats.apiCalls++;
            this.opts.logger.log(2, `${options.method} ${String(options.url)}`);
          },
        ],
        beforeRetry: [
          (error) => {
            const ctx = error.options.context as unknown as CallContext | undefined;
            if (ctx) ctx.stats.retries++;
            this.opts.logger.log(2, `retry after ${error.code ?? error.response?.statusCode}: ${error.options.method} ${String(error.options.url)}`);
          },
        ],
        afterResponse: [
          (response) => {
            const ctx = response.request.options.context as unknown as CallContext | undefined;
            if (ctx) ctx.stats.bytes += response.rawBody?.length ?? 0;
            this.readUsage(response.headers);
            this.opts.logger.log(5, `${response.statusCode} ${response.rawBody?.toString('utf8') ?? ''}`);
            return response;
          },
        ],
      },
    });
  }

  private readUsage(headers: Record<string, string | string[] | undefined>): void {
    const app = headers['x-app-usage'];
    const biz = headers['x-business-use-case-usage'];
    try {
      if (typeof app === 'string') this.usage.appCallCount = (JSON.parse(app) as { call_count?: number }).call_count;
      if (typeof biz === 'string') {
        const entries = Object.values(JSON.parse(biz) as Record<string, Array<{ call_count?: number; estimated_time_to_regain_access?: number }>>).flat();
        this.usage.businessCallCount = Math.max(0, ...entries.map((e) => e.call_count ?? 0));
        this.usage.regainAccessMinutes = Math.max(0, ...entries.map((e) => e.estimated_time_to_regain_access ?? 0));
      }
    } catch {
      // A malformed usage header is not worth failing a query over.
    }
  }

  /** `segments` are path parts; each is one segment, percent-encoded on its own (pathSegment). */
  url(segments: readonly string[]): string {
    return `${this.opts.baseUrl}/${this.opts.version}/${segments.map(pathSegment).join('/')}`;
  }

  async get<T>(segments: readonly string[], params: Params, ctx: CallContext): Promise<T> {
    return this.send<T>('GET', segments, params, ctx);
  }

  /** Writes are never retried: a POST whose response is lost has an unknown outcome (see `send`). */
  async post<T>(segments: readonly string[], params: Params, ctx: CallContext): Promise<T> {
    return this.send<T>('POST', segments, params, ctx);
  }

  async delete<T>(segments: readonly string[], params: Params, ctx: CallContext): Promise<T> {
    return this.send<T>('DELETE', segments, params, ctx);
  }

  /**
   * Graph batch request (https://developers.facebook.com/docs/graph-api/batch-requests): up to 50 GETs in one
   * HTTP call. Each item settles on its own: an item's Graph error is that item's error; an item Graph did
   * not process (null) is fetched on its own.
   */
  async batch<T>(items: ReadonlyArray<{ segments: readonly string[]; params: Params }>, ctx: CallContext): Promise<Array<{ ok: true; value: T } | { ok: false; error: IgsqlError }>> {
    if (items.length > MAX_BATCH) throw new IgsqlError('INTERNAL', `A Graph batch holds at most ${MAX_BATCH} requests (got ${items.length}).`);
    const relative = items.map((it) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(it.params)) if (v !== undefined) q.set(k, String(v));
      const qs = q.toString();
      return { method: 'GET', relative_url: `${this.opts.version}/${it.segments.map(pathSegment).join('/')}${qs ? '?' + qs : ''}` };
    });
    const answers = await this.send<Array<{ code: number; body: string } | null>>('POST', [], { batch: JSON.stringify(relative), include_headers: false }, ctx, true);
    return Promise.all(items.map(async (it, i) => {
      const a = answers[i];
      if (!a) {
        try {
          return { ok: true as const, value: await this.get<T>(it.segments, it.params, ctx) };
        } catch (e) {
          return { ok: false as const, error: e as IgsqlError };
        }
      }
      let body: unknown;
      try { body = JSON.parse(a.body); } catch { body = undefined; }
      if (a.code >= 200 && a.code < 300 && body !== undefined) return { ok: true as const, value: body as T };
      const g = graphErrorBody(body);
      return { ok: false as const, error: g ? mapGraphError(g, { what: ctx.what }) : new IgsqlError('GRAPH_ERROR', `Graph answered ${a.code} in a batch while reading ${ctx.what}.`) };
    }));
  }

  /** Follows Graph's paging lazily (pager.ts): one request per page, only when the caller asks for the next page. */
  pages<T>(segments: readonly string[], params: Params, ctx: CallContext): AsyncGenerator<T[]> {
    return follow<T>(params, (p) => this.get<Page<T>>(segments, p, ctx), { what: ctx.what, onPage: () => ctx.stats.pages++ });
  }

  /** `idempotent` marks a POST that only reads (a batch of GETs): its lost answer is a NETWORK error, not an unknown write. */
  private async send<T>(method: 'GET' | 'POST' | 'DELETE', segments: readonly string[], params: Params, ctx: CallContext, idempotent = false, replayed = false): Promise<T> {
    if (ctx.signal?.aborted) throw new IgsqlError('CANCELLED', 'The query was cancelled.');
    const token = await this.opts.token();
    // Checked again right before the request leaves: a write cancelled until here was never sent.
    if (ctx.signal?.aborted) throw new IgsqlError('CANCELLED', 'The query was cancelled.');
    const searchParams: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) if (v !== undefined) searchParams[k] = String(v);
    if (this.opts.appSecret) searchParams.appsecret_proof = appSecretProof(token, this.opts.appSecret);
    try {
      const url = segments.length ? this.url(segments) : `${this.opts.baseUrl}/${this.opts.version}/`;
      const res = await this.http<T>(url, {
        method,
        searchParams: method === 'GET' || method === 'DELETE' ? searchParams : undefined,
        form: method === 'POST' ? searchParams : undefined,
        headers: { authorization: `Bearer ${token}` },
        context: ctx as unknown as Record<string, unknown>,
        signal: ctx.signal,
      });
      return res.body;
    } catch (e) {
      const error = this.mapError(e, idempotent ? 'GET' : method, ctx);
      // A rejected token on a read: renew once (if InitiateOAuth allows) and replay. Writes are not replayed.
      const isRead = method === 'GET' || idempotent;
      if (isRead && !replayed && error.details.graphCode === 190 && this.opts.recover && (await this.opts.recover().catch(() => false))) {
        this.opts.logger.log(2, `token renewed after code 190; replaying ${method} ${segments.join('/')}`);
        ctx.stats.retries++;
        return this.send<T>(method, segments, params, ctx, idempotent, true);
      }
      throw error;
    }
  }

  private mapError(e: unknown, method: string, ctx: CallContext): IgsqlError {
    if (ctx.signal?.aborted) {
      // The request had left: a write may have been applied, and saying CANCELLED would invite sending it again.
      if (method !== 'GET') {
        return new IgsqlError(
          'WRITE_UNKNOWN_OUTCOME',
          `The query was cancelled while the ${method} for ${ctx.what} was on its way: it may or may not have been applied, so it was not sent again. Check the data before retrying.`,
        );
      }
      return new IgsqlError('CANCELLED', 'The query was cancelled.');
    }
    if (e instanceof HTTPError) {
      const g = graphErrorBody(e.response.body);
      if (g) return mapGraphError(g, { what: ctx.what, retryAfterSeconds: (this.usage.regainAccessMinutes ?? 0) * 60 || undefined });
      return new IgsqlError('GRAPH_ERROR', `Graph answered HTTP ${e.response.statusCode} while reading ${ctx.what}. Check ApiBaseURL (${this.opts.baseUrl}).`);
    }
    if (e instanceof RequestError) {
      // Refused or unresolvable: the request never left, so even a write has a known outcome (not applied).
      const neverSent = e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN';
      if (method !== 'GET' && !neverSent) {
        return new IgsqlError(
          'WRITE_UNKNOWN_OUTCOME',
          `The ${method} for ${ctx.what} was sent but no answer came back (${e.code}). It may or may not have been applied, so it was not sent again: check the data before retrying.`,
        );
      }
      if (e.name === 'TimeoutError') {
        return new IgsqlError('TIMEOUT', `Graph did not answer within ${this.opts.timeoutSeconds} s while reading ${ctx.what}. Try again, or raise the Timeout connection property.`);
      }
      return new IgsqlError('NETWORK', `Could not reach Graph at ${this.opts.baseUrl} (${e.code ?? e.message}) while reading ${ctx.what}. Check your network, proxy settings (ProxyServer, FirewallType) and ApiBaseURL.`);
    }
    return e instanceof IgsqlError ? e : new IgsqlError('INTERNAL', `Unexpected error while reading ${ctx.what}: ${(e as Error).message}`);
  }
}
