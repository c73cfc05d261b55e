/**
 * got, loaded by the first request instead of with the connector (issue 11): its module code (with
 * http2-wrapper and its caches, ~30 ms) was the largest part of a cold start, and `SELECT 1`, `igsql tables` or
 * a connection that is never queried send no request.
 */
import type * as GotModule from 'got';

let loaded: typeof GotModule | undefined;
let loading: Promise<typeof GotModule> | undefined;

export function loadGot(): Promise<typeof GotModule> {
  return (loading ??= import('got').then((m) => (loaded = m)));
}

/** got's HTTPError (a non-2xx answer). Only a request made with got can throw one, so got is loaded by then. */
export function isHttpError(e: unknown): e is GotModule.HTTPError {
  return !!loaded && e instanceof loaded.HTTPError;
}

/** got's RequestError (transport failures, timeouts, unparsable bodies; HTTPError is one too). */
export function isRequestError(e: unknown): e is GotModule.RequestError {
  return !!loaded && e instanceof loaded.RequestError;
}
