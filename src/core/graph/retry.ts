/**
 * When a Graph request may be sent again, and how long to wait first (DESIGN §4, issue 12). One place decides
 * for single requests, whole batches and the items of a batch.
 *
 * - Only reads are retried: a GET, or a batch made only of GETs. A write is never sent twice (client.ts says
 *   what its outcome is instead).
 * - Retried: HTTP 5xx, a connection reset or drop, a timeout, a body that is not JSON (truncated, malformed,
 *   an HTML error page with status 200, as proxies and load balancers send), Graph errors marked
 *   `is_transient`, and the throttling codes — unless Graph says access returns only in minutes
 *   (`estimated_time_to_regain_access` in X-Business-Use-Case-Usage), when waiting in a query is pointless.
 * - One budget per query (`RETRY_BUDGET` retries over all its requests), a few attempts per request and
 *   exponential backoff with jitter, so a dead API fails in seconds rather than minutes.
 * https://developers.facebook.com/docs/graph-api/overview/rate-limiting
 * https://developers.facebook.com/docs/graph-api/guides/error-handling/
 */
import type { GraphErrorBody } from './errors';
import { THROTTLE_CODES } from './errors';

/** Retries one request may cost (attempts = 1 + this). */
export const RETRIES_PER_REQUEST = 3;
/** Retries one query may cost over all its requests. */
export const RETRY_BUDGET = 12;
/** A timeout already cost the whole Timeout: it is retried once only. */
export const TIMEOUT_RETRIES = 1;

/** Network error codes after which the server may never have seen the request, or lost its answer. */
const TRANSIENT_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ETIMEDOUT', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH', 'ECONNREFUSED', 'ERR_STREAM_PREMATURE_CLOSE']);

export type Failure =
  | { kind: 'status'; status: number; graph?: GraphErrorBody }
  | { kind: 'network'; code: string }
  | { kind: 'timeout' }
  | { kind: 'body'; sample: string }
  /** A batch item Graph answered with null: it did not process it (e.g. it ran out of time). */
  | { kind: 'skipped' };

/** Why a read failed, in words for the progress line ("HTTP 502", "throttled (code 4)"). */
export function describe(f: Failure): string {
  switch (f.kind) {
    case 'status': return f.graph?.code !== undefined && THROTTLE_CODES.has(f.graph.code) ? `throttled by Graph (code ${f.graph.code})` : `HTTP ${f.status}`;
    case 'network': return `connection error ${f.code}`;
    case 'timeout': return 'timeout';
    case 'body': return 'an unreadable answer';
    case 'skipped': return 'a batched request Graph did not process';
  }
}

export function isThrottle(f: Failure): boolean {
  return f.kind === 'status' && f.graph?.code !== undefined && THROTTLE_CODES.has(f.graph.code);
}

/** Whether a read that failed this way may be sent again (budget and attempts aside). */
export function retryable(f: Failure, regainAccessMinutes: number): boolean {
  switch (f.kind) {
    case 'status':
      if (isThrottle(f)) return regainAccessMinutes <= 0;
      return f.status >= 500 || f.graph?.is_transient === true;
    case 'network': return TRANSIENT_NETWORK.has(f.code);
    case 'timeout': return true;
    case 'body': return true;
    case 'skipped': return true;
  }
}

/**
 * Wait before retry number `attempt` (1-based): 250 ms doubling for errors, 1 s doubling when throttled; each
 * drawn between half and all of that (jitter, so parallel requests do not retry in step).
 */
export function backoffMs(f: Failure, attempt: number, random: () => number = Math.random): number {
  const base = (isThrottle(f) ? 1000 : 250) * 2 ** (attempt - 1);
  return Math.round(base * (0.5 + random() / 2));
}

/**
 * Pause before a request when Graph reports usage near its limit: from 85 % on, 100 ms per percent point
 * (1.5 s at 100 %), so a long query slows down instead of running into code 4 and a wait of minutes.
 */
export function paceMs(usagePercent: number): number {
  return usagePercent >= 85 ? Math.min(1500, Math.round((usagePercent - 85) * 100)) : 0;
}

export function maxRetries(f: Failure): number {
  return f.kind === 'timeout' ? TIMEOUT_RETRIES : RETRIES_PER_REQUEST;
}

/** Waits `ms`, or rejects at once when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(new Error('aborted')); };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
