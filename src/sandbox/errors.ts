// Graph's error payloads: {"error":{"message","type","code","error_subcode"?,"is_transient"?,"fbtrace_id"}}.
// Messages are Graph's own wording, so that a client which matches on them behaves as it would live.
// https://developers.facebook.com/docs/graph-api/guides/error-handling
import { randomBytes } from 'node:crypto';

export interface GraphErrorInit {
  status?: number;
  type?: string;
  subcode?: number;
  transient?: boolean;
  userTitle?: string;
  userMsg?: string;
}

export class GraphError extends Error {
  readonly status: number;
  readonly type: string;
  readonly subcode?: number;
  readonly transient?: boolean;
  readonly userTitle?: string;
  readonly userMsg?: string;

  constructor(readonly code: number, message: string, init: GraphErrorInit = {}) {
    super(message);
    this.status = init.status ?? 400;
    this.type = init.type ?? 'OAuthException';
    this.subcode = init.subcode;
    this.transient = init.transient;
    this.userTitle = init.userTitle;
    this.userMsg = init.userMsg;
  }

  body(): { error: Record<string, unknown> } {
    const e: Record<string, unknown> = { message: this.message, type: this.type, code: this.code };
    if (this.subcode !== undefined) e.error_subcode = this.subcode;
    if (this.transient !== undefined) e.is_transient = this.transient;
    if (this.userTitle) e.error_user_title = this.userTitle;
    if (this.userMsg) e.error_user_msg = this.userMsg;
    e.fbtrace_id = fbtraceId();
    return { error: e };
  }

  static param(message: string, code = 100, subcode?: number): GraphError {
    return new GraphError(code, message, { subcode });
  }

  static invalidToken(): GraphError {
    return new GraphError(190, 'Invalid OAuth access token - Cannot parse access token');
  }

  static missingToken(): GraphError {
    return new GraphError(104, 'An access token is required to request this resource.');
  }

  static expiredToken(expiredAt: Date, now: Date): GraphError {
    return new GraphError(190, `Error validating access token: Session has expired on ${fbDate(expiredAt)}. The current time is ${fbDate(now)}.`, { subcode: 463 });
  }

  static permission(message = '(#10) Application does not have permission for this action'): GraphError {
    return new GraphError(10, message);
  }

  static nonexistingField(field: string, nodeType: string): GraphError {
    return new GraphError(100, `(#100) Tried accessing nonexisting field (${field}) on node type (${nodeType})`);
  }

  static unsupported(method: string, id: string): GraphError {
    return new GraphError(100, `Unsupported ${method.toLowerCase()} request. Object with ID '${id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api`, { type: 'GraphMethodException', subcode: 33 });
  }

  static unknownPath(path: string): GraphError {
    return new GraphError(2500, `Unknown path components: ${path}`);
  }

  static transientError(): GraphError {
    return new GraphError(2, 'An unexpected error has occurred. Please retry your request later.', { status: 500, transient: true });
  }

  static rateLimited(): GraphError {
    return new GraphError(4, '(#4) Application request limit reached', { status: 403, transient: true });
  }

  /** The error a fault injection asks for: Graph's wording for the well-known codes. */
  static forCode(code: number, status: number, subcode?: number): GraphError {
    const known: Record<number, [string, boolean]> = {
      1: ['An unknown error occurred', true],
      2: ['An unexpected error has occurred. Please retry your request later.', true],
      4: ['(#4) Application request limit reached', true],
      17: ['(#17) User request limit reached', true],
      32: ['(#32) Page request limit reached', true],
      190: ['Invalid OAuth access token - Cannot parse access token', false],
      613: ['(#613) Calls to this api have exceeded the rate limit.', true],
      80002: ['(#80002) There have been too many calls to this Instagram account. Wait a bit and try again.', true],
    };
    const [message, transient] = known[code] ?? [`(#${code}) An error occurred`, false];
    return new GraphError(code, message, { status, subcode, transient: transient || undefined });
  }
}

/** Graph's trace id: random, never derived from the data seed (errors must not perturb the data). */
export function fbtraceId(): string {
  return `A${randomBytes(16).toString('base64').replace(/[^A-Za-z0-9]/g, '').slice(0, 22)}`;
}

/** "Tuesday, 24-Nov-26 08:00:00 UTC" — the date format of Graph's session-expired message. */
export function fbDate(d: Date): string {
  const days = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())}-${months[d.getUTCMonth()]}-${p(d.getUTCFullYear() % 100)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} UTC`;
}
