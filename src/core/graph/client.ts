/**
 * The Graph client (DESIGN §4): one `got` instance per connection with timeout, TLS/proxy agent, retries for
 * idempotent requests only, usage-header reading and per-query counters. Paths are built from encoded
 * segments, so an id can never change the request path ('1/../me' is sent as '1%2F..%2Fme').
 */
import type { Got, Agents } from 'got';
import { appSecretProof } from '../auth/oauth';
import type { Logger, QueryStats } from '../api';
import { IgsqlError } from '../errors';
import { graphErrorBody, mapGraphError } from './errors';
import { isHttpError, isRequestError, loadGot } from './http';
import { follow } from './pager';
import { backoffMs, describe, maxRetries, paceMs, RETRY_BUDGET, retryable, sleep, type Failure } from './retry';

export const MAX_BATCH = 50;

/** C0 controls and DEL: no Graph id holds one, and several layers (C strings, HTTP) cut or reject them. */
const CONTROL = /[\u0000-\u001f\u007f]/;
/** A UTF-16 surrogate without its pair: it has no UTF-8 form, so it cannot be sent as it is (encodeURIComponent throws, URLSearchParams turns it into U+FFFD, another value). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Refuses a value that cannot reach Graph unchanged (a lone surrogate), naming where it goes. */
export function sendable(value: string, where: string): string {
  if (LONE_SURROGATE.test(value)) {
    throw new IgsqlError('INVALID_VALUE', `The value ${JSON.stringify(value.length > 60 ? value.slice(0, 60) + '…' : value)} for ${where} holds a lone UTF-16 surrogate (half of an emoji or another character outside the BMP), which cannot be sent to Graph. Check where the value comes from (a string cut in the middle of a character) and fix it.`);
  }
  return value;
}

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
  // '.' and '..' are dot-segments: URL parsers remove them (even as %2E), so they would change the path.
  if (/^\.{1,2}$/.test(segment)) throw new IgsqlError('INVALID_VALUE', `The id '${segment}' is not a Graph id (ids are digits and letters). Check where the value comes from.`);
  return encodeURIComponent(sendable(segment, 'an id'));
}

export type Params = Record<string, string | number | boolean | undefined>;

/** Per-query state carried through got's `context` into the hooks. */
export interface CallContext {
  stats: QueryStats;
  signal?: AbortSignal;
  /** What is being read, for error messages ("Media of account 1784…"). */
  what: string;
  /** Tells the query's onProgress now (e.g. that it waits before a retry, stats.waiting). */
  progress?: () => void;
}

export interface GraphClientOptions {
  baseUrl: string;
  version: string;
  timeoutSeconds: number;
  token: () => Promise<string>;
  logger: Logger;
  agent?: Agents;
  https?: { certificateAuthority?: string; rejectUnauthorized?: boolean };
  /** Retries one query may cost over all its reads (retry.ts); default RETRY_BUDGET. */
  retryBudget?: number;
  /** Random numbers for the backoff's jitter (tests pass a fixed one). */
  random?: () => number;
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
  private http?: Promise<Got>;
  readonly usage: Usage = {};

  constructor(private readonly opts: GraphClientOptions) {}

  /**
   * Loads got and makes this client's instance now rather than at the first request. connect() calls it after
   * starting the engine, whose wasm compiles off the main thread meanwhile: the first request then leaves as
   * soon as the engine asks for it instead of ~30–50 ms later (cold process, issue 11).
   */
  preload(): void {
    this.client().catch(() => undefined);
  }

  /** The got instance of this client, made with the first request or preload() (http.ts: got loads then). */
  private client(): Promise<Got> {
    const opts = this.opts;
    return (this.http ??= loadGot().then(({ default: got }) => got.extend({
      timeout: opts.timeoutSeconds > 0 ? { request: opts.timeoutSeconds * 1000 } : {},
      responseType: 'json',
      agent: opts.agent ?? {},
      https: opts.https ?? {},
      headers: { 'user-agent': 'instagram-sql/0.1 (+got)' },
      // Retries are ours (send, batch): got's would resend POSTs of a batch blindly and not see bad bodies.
      retry: { limit: 0 },
      hooks: {
        beforeRequest: [
          (options) => {
            const ctx = options.context as unknown as CallContext | undefined;
            if (ctx) ctx.stats.apiCalls++;
            if (this.opts.logger.enabled?.(2) !== false) this.opts.logger.log(2, `${options.method} ${String(options.url)}`);
          },
        ],
        afterResponse: [
          (response) => {
            const ctx = response.request.options.context as unknown as CallContext | undefined;
            if (ctx) ctx.stats.bytes += response.rawBody?.length ?? 0;
            this.readUsage(response.headers);
            // Only when Verbosity=5 is set: decoding every answer's body (674 KB for 500 media's insights) for a
            // line nobody writes cost each query for nothing.
            if (this.opts.logger.enabled?.(5) !== false) this.opts.logger.log(5, `${response.statusCode} ${response.rawBody?.toString('utf8') ?? ''}`);
            return response;
          },
        ],
      },
    })));
  }

  private readUsage(headers: Record<string, string | string[] | undefined>): void {
    const app = headers['x-app-usage'];
    const biz = headers['x-business-use-case-usage'];
    try {
      if (typeof app === 'string') {
        const a = JSON.parse(app) as { call_count?: unknown; total_time?: unknown; total_cputime?: unknown };
        this.usage.appCallCount = Math.max(...[a.call_count, a.total_time, a.total_cputime].map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)));
      }
      if (typeof biz === 'string') {
        const entries = Object.values(JSON.parse(biz) as Record<string, Array<{ call_count?: unknown; total_time?: unknown; total_cputime?: unknown; estimated_time_to_regain_access?: unknown }>>).flat();
        const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
        this.usage.businessCallCount = Math.max(0, ...entries.map((e) => Math.max(num(e?.call_count), num(e?.total_time), num(e?.total_cputime))));
        this.usage.regainAccessMinutes = Math.max(0, ...entries.map((e) => num(e?.estimated_time_to_regain_access)));
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

  /** Writes are never retried: a POST whose answer is lost has an unknown outcome (see `writeError`). */
  async post<T>(segments: readonly string[], params: Params, ctx: CallContext): Promise<T> {
    return this.send<T>('POST', segments, params, ctx);
  }

  async delete<T>(segments: readonly string[], params: Params, ctx: CallContext): Promise<T> {
    return this.send<T>('DELETE', segments, params, ctx);
  }

  /**
   * Graph batch request (https://developers.facebook.com/docs/graph-api/batch-requests): up to 50 GETs in one
   * HTTP call. Each item settles on its own: an item's Graph error is that item's error. The batch is only
   * reads, so the whole request is retried like a GET (send), and the items that failed transiently (5xx,
   * throttled, or not processed: null) are sent again in a smaller batch; the others keep their answers.
   */
  async batch<T>(items: ReadonlyArray<{ segments: readonly string[]; params: Params }>, ctx: CallContext): Promise<Array<{ ok: true; value: T } | { ok: false; error: IgsqlError }>> {
    if (items.length > MAX_BATCH) throw new IgsqlError('INTERNAL', `A Graph batch holds at most ${MAX_BATCH} requests (got ${items.length}).`);
    const relative = items.map((it) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(it.params)) if (v !== undefined) q.set(k, sendable(String(v), k));
      const qs = q.toString();
      return { method: 'GET', relative_url: `${this.opts.version}/${it.segments.map(pathSegment).join('/')}${qs ? '?' + qs : ''}` };
    });
    const results: Array<{ ok: true; value: T } | { ok: false; error: IgsqlError }> = new Array(items.length);
    let pending = items.map((_, i) => i);
    for (let round = 0; pending.length; round++) {
      const answers = await this.send<unknown>('POST', [], { batch: JSON.stringify(pending.map((i) => relative[i])), include_headers: false }, ctx, true);
      const again: number[] = [];
      let cause: Failure | undefined;
      const whole: Failure | undefined = Array.isArray(answers) && answers.length === pending.length ? undefined : { kind: 'body', sample: JSON.stringify(answers)?.slice(0, 40) ?? '' };
      pending.forEach((idx, j) => {
        const a = whole ? undefined : (answers as unknown[])[j] as { code?: unknown; body?: unknown } | null;
        let failure: Failure | undefined = whole;
        let value: unknown;
        if (!whole) {
          if (!a || typeof a !== 'object' || typeof a.code !== 'number') failure = { kind: 'skipped' };
          else {
            try { value = typeof a.body === 'string' ? JSON.parse(a.body) : undefined; } catch { value = undefined; }
            if (a.code >= 200 && a.code < 300 && value !== undefined && value !== null) { results[idx] = { ok: true, value: value as T }; return; }
            failure = value === undefined && a.code < 300 ? { kind: 'body', sample: String(a.body).slice(0, 40) } : { kind: 'status', status: a.code, graph: graphErrorBody(value) };
          }
        }
        if (this.mayRetry(failure!, round, ctx)) { again.push(idx); cause ??= failure; return; }
        results[idx] = { ok: false, error: this.readError(failure!, ctx, round) };
      });
      if (again.length) await this.backoff(cause!, round + 1, ctx, `${again.length} of ${pending.length} batched requests`);
      pending = again;
    }
    return results;
  }

  /** Follows Graph's paging lazily (pager.ts): one request per page, only when the caller asks for the next page. */
  pages<T>(segments: readonly string[], params: Params, ctx: CallContext): AsyncGenerator<T[]> {
    return follow<T>(params, (p) => this.get<Page<T>>(segments, p, ctx), { what: ctx.what, onPage: () => ctx.stats.pages++ });
  }

  /**
   * One request, and for a read (a GET, or `idempotent`: a POST that only reads, a batch of GETs) its retries
   * (retry.ts). A write is sent once; what its failure means is `writeError`'s.
   */
  private async send<T>(method: 'GET' | 'POST' | 'DELETE', segments: readonly string[], params: Params, ctx: CallContext, idempotent = false): Promise<T> {
    const read = method === 'GET' || idempotent;
    let replayed = false;
    const searchParams: Record<string, string> = {};
    for (const [k, v] of Object.entries(params)) if (v !== undefined) searchParams[k] = sendable(String(v), k);
    const url = segments.length ? this.url(segments) : `${this.opts.baseUrl}/${this.opts.version}/`;
    for (let attempt = 0; ; attempt++) {
      if (ctx.signal?.aborted) throw new IgsqlError('CANCELLED', 'The query was cancelled.');
      await this.pace(ctx);
      const token = await this.opts.token();
      // Checked again right before the request leaves: a write cancelled until here was never sent.
      if (ctx.signal?.aborted) throw new IgsqlError('CANCELLED', 'The query was cancelled.');
      if (this.opts.appSecret) searchParams.appsecret_proof = appSecretProof(token, this.opts.appSecret);
      try {
        const http = await this.client();
        const res = await http<T>(url, {
          method,
          searchParams: method === 'GET' || method === 'DELETE' ? searchParams : undefined,
          form: method === 'POST' ? searchParams : undefined,
          headers: { authorization: `Bearer ${token}` },
          context: ctx as unknown as Record<string, unknown>,
          signal: ctx.signal,
        });
        // Every Graph answer but a batch's is a JSON object; `null`, a list or a bare value is unreadable.
        const body = res.body as unknown;
        if (idempotent || (body !== null && typeof body === 'object' && !Array.isArray(body))) return res.body;
        throw new UnreadableBody(JSON.stringify(body)?.slice(0, 40) ?? '');
      } catch (e) {
        if (ctx.signal?.aborted) throw this.cancelError(read ? 'GET' : method, ctx);
        const failure = classify(e);
        if (!failure) throw e instanceof IgsqlError ? e : new IgsqlError('INTERNAL', `Unexpected error while reading ${ctx.what}: ${(e as Error).message}`);
        if (!read) throw this.writeError(failure, method, ctx);
        // A rejected token on a read: renew once (if InitiateOAuth allows) and replay. Writes are not replayed.
        if (!replayed && failure.kind === 'status' && failure.graph?.code === 190 && this.opts.recover && (await this.opts.recover().catch(() => false))) {
          replayed = true;
          this.opts.logger.log(2, `token renewed after code 190; replaying ${method} ${segments.join('/')}`);
          ctx.stats.retries++;
          continue;
        }
        if (this.mayRetry(failure, attempt, ctx)) {
          await this.backoff(failure, attempt + 1, ctx, ctx.what);
          continue;
        }
        throw this.readError(failure, ctx, attempt);
      }
    }
  }

  /** Whether a read that failed this way may be sent again: retryable, attempts left, and the query's budget. */
  private mayRetry(f: Failure, attempt: number, ctx: CallContext): boolean {
    if (ctx.signal?.aborted) return false;
    const budget = this.opts.retryBudget ?? RETRY_BUDGET;
    return retryable(f, this.usage.regainAccessMinutes ?? 0) && attempt < maxRetries(f) && ctx.stats.retries < budget;
  }

  /** Waits before a retry, saying why in stats.waiting (progress line, CLI stderr) and the log. */
  private async backoff(f: Failure, retry: number, ctx: CallContext, what: string): Promise<void> {
    ctx.stats.retries++;
    const ms = backoffMs(f, retry, this.opts.random);
    const text = `Retrying ${what} in ${(ms / 1000).toFixed(1)} s after ${describe(f)} (retry ${retry}).`;
    this.opts.logger.log(2, text);
    await this.wait(ctx, ms, text);
  }

  /** Slows down before Graph's limit when the usage headers report ≥ 85 % (retry.ts paceMs). */
  private async pace(ctx: CallContext): Promise<void> {
    const percent = Math.max(this.usage.appCallCount ?? 0, this.usage.businessCallCount ?? 0);
    const ms = paceMs(percent);
    if (ms) await this.wait(ctx, ms, `Graph reports ${percent} % of the rate limit used: pausing ${(ms / 1000).toFixed(1)} s between calls.`);
  }

  private async wait(ctx: CallContext, ms: number, text: string): Promise<void> {
    ctx.stats.waiting = text;
    ctx.progress?.();
    try {
      await sleep(ms, ctx.signal);
    } catch {
      throw new IgsqlError('CANCELLED', 'The query was cancelled.');
    } finally {
      if (ctx.stats.waiting === text) delete ctx.stats.waiting;
    }
  }

  private cancelError(method: string, ctx: CallContext): IgsqlError {
    // The request had left: a write may have been applied, and saying CANCELLED would invite sending it again.
    if (method !== 'GET') {
      return new IgsqlError(
        'WRITE_UNKNOWN_OUTCOME',
        `The query was cancelled while the ${method} for ${ctx.what} was on its way: it may or may not have been applied, so it was not sent again. Check the data before retrying.`,
      );
    }
    return new IgsqlError('CANCELLED', 'The query was cancelled.');
  }

  /**
   * A write's failure. Only a Graph error body with a 4xx status says the write was refused (not applied);
   * a connection that never opened did not send it either. Anything else — 5xx, a lost or unreadable answer,
   * a timeout — may come after Graph applied it: WRITE_UNKNOWN_OUTCOME, never a retry.
   */
  private writeError(f: Failure, method: string, ctx: CallContext): IgsqlError {
    if (f.kind === 'status' && f.status >= 400 && f.status < 500 && f.graph) return mapGraphError(f.graph, { what: ctx.what, retryAfterSeconds: this.retryAfter() });
    if (f.kind === 'network' && NEVER_SENT.has(f.code)) {
      return new IgsqlError('NETWORK', `Could not reach Graph at ${this.opts.baseUrl} (${f.code}): ${ctx.what} was not sent. Check your network, proxy settings (ProxyServer, FirewallType) and ApiBaseURL.`);
    }
    return new IgsqlError(
      'WRITE_UNKNOWN_OUTCOME',
      `The ${method} for ${ctx.what} got ${describe(f)} instead of Graph's answer: it may or may not have been applied. It was not sent again: look for ${ctx.what} (in Instagram, or with a SELECT) before retrying.`,
      f.kind === 'status' && f.graph ? { graphCode: f.graph.code, graphSubcode: f.graph.error_subcode, fbtraceId: f.graph.fbtrace_id } : {},
    );
  }

  private retryAfter(): number | undefined {
    return (this.usage.regainAccessMinutes ?? 0) * 60 || undefined;
  }

  /** A read's failure after its retries. */
  private readError(f: Failure, ctx: CallContext, retries: number): IgsqlError {
    const after = retries ? ` (after ${retries} ${retries === 1 ? 'retry' : 'retries'})` : '';
    switch (f.kind) {
      case 'status': {
        if (f.graph) {
          const e = mapGraphError(f.graph, { what: ctx.what, retryAfterSeconds: this.retryAfter() });
          return after ? new IgsqlError(e.code, e.message.replace(/\.?$/, `${after}.`), e.details) : e;
        }
        return new IgsqlError('GRAPH_ERROR', `Graph answered HTTP ${f.status} without a Graph error while reading ${ctx.what}${after}: a proxy or gateway may have answered. Try again later, and check ApiBaseURL (${this.opts.baseUrl}) and the proxy settings.`);
      }
      case 'body':
        return new IgsqlError('GRAPH_ERROR', `Graph's answer while reading ${ctx.what} was not valid JSON${f.sample ? ` (it began ${JSON.stringify(f.sample)})` : ''}${after}: it was cut off, or something between you and Graph answered. Try again later, and check ApiBaseURL and the proxy settings.`);
      case 'skipped':
        return new IgsqlError('GRAPH_ERROR', `Graph did not process a batched request while reading ${ctx.what}${after}. Try again later.`);
      case 'timeout':
        return new IgsqlError('TIMEOUT', `Graph did not answer within ${this.opts.timeoutSeconds} s while reading ${ctx.what}${after}. Try again, or raise the Timeout connection property.`);
      case 'network':
        if (TLS_TRUST.test(f.code)) {
          return new IgsqlError('NETWORK', `The server at ${this.opts.baseUrl} presented a certificate this connection does not trust (${f.code}) while reading ${ctx.what}. If it is your proxy's or a test server's certificate, set SSLServerCert to it (PEM text or a file path), or '*' to accept any certificate (testing only).`);
        }
        if (/proxy|socks/i.test(f.code)) {
          return new IgsqlError('NETWORK', `The proxy refused the connection to ${this.opts.baseUrl} while reading ${ctx.what} (${f.code.replace(/\s+/g, ' ').slice(0, 120)}). Check ProxyUser/ProxyPassword (or FirewallUser/FirewallPassword) and the proxy's address.`);
        }
        return new IgsqlError('NETWORK', `Could not reach Graph at ${this.opts.baseUrl} (${f.code}) while reading ${ctx.what}${after}. Check your network, proxy settings (ProxyServer, FirewallType) and ApiBaseURL.`);
    }
  }
}

/** Node's codes for a certificate that does not verify (self-signed, unknown issuer, wrong host name). */
const TLS_TRUST = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/;

/** Connection errors after which the request certainly did not reach Graph (nothing was written). */
const NEVER_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

/** A 2xx answer whose JSON is not an object. */
class UnreadableBody extends Error {
  constructor(readonly sample: string) { super('unreadable body'); }
}

/** What went wrong with a request, or undefined when it is not a transport or HTTP failure. */
function classify(e: unknown): Failure | undefined {
  if (e instanceof UnreadableBody) return { kind: 'body', sample: e.sample };
  if (isHttpError(e)) return { kind: 'status', status: e.response.statusCode, graph: graphErrorBody(e.response.body) };
  if (isRequestError(e)) {
    if (e.name === 'TimeoutError') return { kind: 'timeout' };
    if (e.code === 'ERR_BODY_PARSE_FAILURE') {
      const raw = (e.response?.rawBody as Buffer | undefined)?.toString('utf8') ?? '';
      return { kind: 'body', sample: raw.replace(/\s+/g, ' ').slice(0, 40) };
    }
    return { kind: 'network', code: e.code ?? e.message };
  }
  return undefined;
}
