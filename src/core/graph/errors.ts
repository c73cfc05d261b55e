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

/** Throttling codes: app (4), user (17), page (32), custom (613), IG business use case (80002). */
export const THROTTLE_CODES = new Set([4, 17, 32, 613, 80002]);
const EXPIRED_SUBCODES = new Set([463, 467]);

export const SIGN_IN_HINT = "Sign in again: in VS Code run 'Instagram SQL: Sign In', or from the command line 'igsql login', or set a new OAuthAccessToken.";

export function graphErrorBody(body: unknown): GraphErrorBody | undefined {
  if (typeof body === 'string') {
    try { body = JSON.parse(body); } catch { return undefined; }
  }
  const e = (body as { error?: GraphErrorBody } | undefined)?.error;
  return e && typeof e === 'object' ? e : undefined;
}

export function isNotFound(e: unknown): boolean {
  return e instanceof IgsqlError && e.code === 'NOT_FOUND';
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
  if (code === 100 && err.error_subcode === 33) {
    return new IgsqlError('NOT_FOUND', `${context.what} does not exist or is not visible to this token.`, details);
  }
  return new IgsqlError('GRAPH_ERROR', `Graph error while reading ${context.what}: ${graphMsg} (code ${code}${err.error_subcode ? `/${err.error_subcode}` : ''}).`, details);
}
