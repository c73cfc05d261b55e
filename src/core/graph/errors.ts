/**
 * Graph error payloads → the typed error family. Codes from
 * https://developers.facebook.com/docs/graph-api/guides/error-handling/
 */
import { IgsqlError } from '../errors';

export interface GraphErrorBody {
  message?: string;
  type?: string;
  code?: number;
  error_subcode?: number;
  fbtrace_id?: string;
  is_transient?: boolean;
  error_user_msg?: string;
}

/**
 * Throttling codes: app (4), user (17), page (32), custom (613), business use case: Pages (80001) and
 * Instagram (80002). https://developers.facebook.com/docs/graph-api/overview/rate-limiting
 */
export const THROTTLE_CODES = new Set([4, 17, 32, 613, 80001, 80002]);
const EXPIRED_SUBCODES = new Set([463, 467]);

export const SIGN_IN_HINT = "Sign in again: in VS Code run 'Instagram SQL: Sign In', or from the command line 'igsql login', or set a new OAuthAccessToken.";

export function graphErrorBody(body: unknown): GraphErrorBody | undefined {
  if (typeof body === 'string') {
    try { body = JSON.parse(body); } catch { return undefined; }
  }
  const e = (body as { error?: Record<string, unknown> } | undefined)?.error;
  if (!e || typeof e !== 'object' || Array.isArray(e)) return undefined;
  // Only the documented types are kept: a number where the message belongs is not worth a crash.
  const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
  const str = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return {
    message: str(e.message), type: str(e.type), code: num(e.code), error_subcode: num(e.error_subcode),
    fbtrace_id: str(e.fbtrace_id), is_transient: e.is_transient === true, error_user_msg: str(e.error_user_msg),
  };
}

export function isNotFound(e: unknown): boolean {
  return e instanceof IgsqlError && e.code === 'NOT_FOUND';
}

/**
 * The ways Graph says an insights metric does not exist (any more, yet, or for this object): an unknown name
 * "(#100) metric[2] must be one of the following values: …" ([USER-INS]/[MEDIA-INS], and every removal of
 * Jan 2025), "(#100) Starting from version v22.0 and above, the impressions metric is no longer supported for
 * the queried user", and "(#100) The Media Insights API does not support the views metric for this media
 * product type" (v21 for views). Code 100 in each case.
 * https://developers.facebook.com/documentation/instagram-platform/api-reference/instagram-user/insights
 */
export function invalidMetricOf(err: GraphErrorBody): { names?: string[]; index?: number } | undefined {
  if (err.code !== 100 || !err.message) return undefined;
  const msg = err.message;
  const indexed = /\bmetric\[(\d+)\] must be one of the following values/i.exec(msg);
  if (indexed) return { index: Number(indexed[1]) };
  const named =
    /\bthe (\w+) metric is no longer supported/i.exec(msg) ??
    // Graph may list several: "does not support the impressions, replies metric for this media product type".
    /\bdoes not support the (\w+(?:, \w+)*) metrics?\b/i.exec(msg) ??
    /\bThe metric (\w+) is not supported\b/i.exec(msg) ??
    /\bmetric (\w+) (?:is|has been) (?:deprecated|removed)/i.exec(msg) ??
    // Metrics that no longer offer this metric_type (e.g. became total_value only): refused for this view.
    /\bThe following metrics \((\w+(?:, ?\w+)*)\)/i.exec(msg);
  return named ? { names: named[1]!.split(/, ?/) } : undefined;
}

/** "(#100) Incompatible breakdowns (follow_type) for metric views", "breakdown[0] must be one of …". */
export function invalidBreakdownOf(err: GraphErrorBody): string | undefined {
  if (err.code !== 100 || !err.message) return undefined;
  return /\bIncompatible breakdowns? \((\w+)\)/i.exec(err.message)?.[1] ?? (/\bbreakdown\[\d+\] must be one of/i.test(err.message) ? '' : undefined);
}

/** Maps a Graph error to IgsqlError. `scopes` are the permissions the failing table needs (for 10/200). */
export function mapGraphError(err: GraphErrorBody, context: { what: string; retryAfterSeconds?: number }): IgsqlError {
  const code = err.code ?? 0;
  const details = { graphCode: code, graphSubcode: err.error_subcode, fbtraceId: err.fbtrace_id };
  const graphMsg = (err.message ?? 'Unknown Graph error').replace(/\s+/g, ' ').trim();
  if (code === 190 || code === 102 || code === 104) {
    if (err.error_subcode !== undefined && EXPIRED_SUBCODES.has(err.error_subcode)) {
      return new IgsqlError('TOKEN_EXPIRED', `The access token has expired. ${SIGN_IN_HINT}`, details);
    }
    return new IgsqlError('AUTH_REQUIRED', `The access token was rejected by Graph (${graphMsg}). ${SIGN_IN_HINT}`, details);
  }
  if (code === 10 && /not enough viewers/i.test(graphMsg)) {
    // Story insights under the privacy threshold: a data condition, not a missing permission.
    return new IgsqlError('GRAPH_ERROR', `Graph withholds insights for ${context.what}: too few viewers.`, details);
  }
  if (code === 10 || (code >= 200 && code <= 299)) {
    return new IgsqlError('PERMISSION_DENIED', `Graph refused ${context.what}: ${graphMsg}`, details);
  }
  if (THROTTLE_CODES.has(code)) {
    const wait = context.retryAfterSeconds;
    return new IgsqlError(
      'RATE_LIMITED',
      `Graph's rate limit was reached while reading ${context.what} (code ${code}).${wait ? ` Try again in about ${Math.ceil(wait / 60)} minute(s).` : ' Wait a few minutes and try again, or narrow the query (filter on Id, MediaId or Timestamp) to use fewer calls.'}`,
      { ...details, retryAfterSeconds: wait },
    );
  }
  const invalidMetric = invalidMetricOf(err);
  if (invalidMetric) {
    const which = invalidMetric.names ? `the metric${invalidMetric.names.length > 1 ? 's' : ''} ${invalidMetric.names.join(', ')}` : 'a metric';
    return new IgsqlError('GRAPH_ERROR', `Graph refused ${which} while reading ${context.what}: ${graphMsg}`, { ...details, invalidMetric });
  }
  const invalidBreakdown = invalidBreakdownOf(err);
  if (invalidBreakdown !== undefined) {
    return new IgsqlError('GRAPH_ERROR', `Graph refused a breakdown while reading ${context.what}: ${graphMsg}`, { ...details, invalidBreakdown });
  }
  if (code === 100 && err.error_subcode === 33) {
    return new IgsqlError('NOT_FOUND', `${context.what} does not exist or is not visible to this token.`, details);
  }
  return new IgsqlError('GRAPH_ERROR', `Graph error while reading ${context.what}: ${graphMsg} (code ${code}${err.error_subcode ? `/${err.error_subcode}` : ''}).`, details);
}
