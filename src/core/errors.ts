/**
 * One typed error family for everything the core reports (DESIGN §4). `code` is for programs, `message` is for
 * people and always says what to do next. Messages never contain secrets: they are built from our own words,
 * names and Graph's error text, and the Graph client redacts tokens from anything it passes through.
 */
export type ErrorCode =
  | 'SQL_SYNTAX'
  | 'SQL_ERROR'
  | 'UNKNOWN_TABLE'
  | 'UNKNOWN_COLUMN'
  | 'UNKNOWN_PROCEDURE'
  | 'AUTH_REQUIRED'
  | 'TOKEN_EXPIRED'
  | 'PERMISSION_DENIED'
  | 'RATE_LIMITED'
  | 'NOT_FOUND'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'CANCELLED'
  | 'INVALID_PROPERTY'
  | 'INVALID_VALUE'
  | 'MISSING_KEY'
  | 'READ_ONLY'
  | 'WRITE_UNKNOWN_OUTCOME'
  | 'HASHTAG_LIMIT'
  | 'GRAPH_ERROR'
  /** Graph sent a page position it had already sent: the listing stopped instead of looping. */
  | 'PAGING_LOOP'
  | 'INTERNAL';

export interface ErrorDetails {
  /** 1-based line and column of the problem in the SQL text, when known. */
  line?: number;
  column?: number;
  /** Nearest valid names for UNKNOWN_* errors. */
  suggestions?: string[];
  /** Missing scopes for PERMISSION_DENIED. */
  scopes?: string[];
  /** Seconds to wait for RATE_LIMITED. */
  retryAfterSeconds?: number;
  /** Graph's own error code/subcode/trace id, when the error came from Graph. */
  graphCode?: number;
  graphSubcode?: number;
  fbtraceId?: string;
  /** Rows a multi-row INSERT/UPDATE/DELETE wrote before it stopped (cancelled, failed or unknown). */
  written?: number;
  /** Connection property name for INVALID_PROPERTY. */
  property?: string;
  /**
   * Graph refused an insights metric (removed, not yet offered by this version, or not for this object):
   * their names when Graph's message gives them, else the index in the request's metric list.
   */
  invalidMetric?: { names?: string[]; index?: number };
  /** Graph refused a breakdown name for a metric. */
  invalidBreakdown?: string;
  /** HASHTAG_LIMIT: the limit (hashtags per 7 days), and when a slot frees up (ISO time) if known. */
  limit?: number;
  freesAt?: string;
}

export class IgsqlError extends Error {
  override readonly name = 'IgsqlError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  toJSON(): { code: ErrorCode; message: string } & ErrorDetails {
    return { code: this.code, message: this.message, ...this.details };
  }
}

export function isIgsqlError(e: unknown): e is IgsqlError {
  return e instanceof IgsqlError || (typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'IgsqlError');
}

/** Wraps anything thrown into the family, keeping typed errors as they are. */
export function toIgsqlError(e: unknown): IgsqlError {
  if (isIgsqlError(e)) return e;
  if (e instanceof Error && (e.name === 'AbortError' || (e as { code?: string }).code === 'ABORT_ERR')) {
    return new IgsqlError('CANCELLED', 'The query was cancelled.');
  }
  const message = e instanceof Error ? e.message : String(e);
  return new IgsqlError('INTERNAL', `Unexpected error: ${message}. Please report it with the query that caused it.`, {}, { cause: e });
}
