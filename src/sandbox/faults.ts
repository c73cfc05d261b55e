// Injected faults (POST /__sandbox/faults): the next matching request(s) fail, hang, or lose their
// connection, before (drop) or after (dropAfterApply) the write is applied — the "unknown outcome" case.
// A write can also be applied and then answered with an error (errorAfterApply: a gateway's 502 after Graph
// did the work) or answered late (delayAfterApply: past the client's timeout). Body faults spoil a 200
// answer the way networks and middleboxes do: truncate (the connection drops mid-body), malformed (a
// complete answer that is not JSON), html (an HTML page, status `status`, default 200, as a captive portal
// or a load balancer sends). retype sends numbers as strings and booleans as 0/1 (field types as a
// middlebox or an older version may give them).
// Paging faults bend a listing's `paging` the ways a server can (GRAPH-2026 §Paging: "a server can send a
// repeated or a missing cursor"), for tests of the connector's pager: repeatCursor (next leads back to the
// page just served, as a stuck cursor does), dropCursors (next without cursors), foreignNext (next written
// with another host, e.g. a test server that must receive nothing).
import { GraphError } from './errors';

export type FaultKind =
  | 'error' | 'drop' | 'dropAfterApply' | 'errorAfterApply' | 'delayAfterApply' | 'delay'
  | 'truncate' | 'malformed' | 'html' | 'retype'
  | 'repeatCursor' | 'dropCursors' | 'foreignNext';
const KINDS: readonly FaultKind[] = ['error', 'drop', 'dropAfterApply', 'errorAfterApply', 'delayAfterApply', 'delay', 'truncate', 'malformed', 'html', 'retype', 'repeatCursor', 'dropCursors', 'foreignNext'];
/** Faults applied to the answer after the request was carried out. */
export const ANSWER_FAULTS: readonly FaultKind[] = ['dropAfterApply', 'errorAfterApply', 'delayAfterApply', 'truncate', 'malformed', 'html', 'retype'];

/** retype: numbers become strings and booleans 0/1, everywhere in the answer except `paging`. */
export function retype(body: unknown): unknown {
  if (typeof body === 'number') return String(body);
  if (typeof body === 'boolean') return body ? 1 : 0;
  if (Array.isArray(body)) return body.map(retype);
  if (body && typeof body === 'object') return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, k === 'paging' ? v : retype(v)]));
  return body;
}
export const PAGING_FAULTS: readonly FaultKind[] = ['repeatCursor', 'dropCursors', 'foreignNext'];

export interface FaultSpec {
  method?: string;
  /** Regular expression tested against the request path, e.g. "/comments$". */
  path?: string;
  /** How many matching requests it applies to (default 1; -1 = every one). */
  times?: number;
  kind?: FaultKind;
  status?: number;
  code?: number;
  subcode?: number;
  /** The error's message instead of Graph's usual wording for `code` (e.g. a new wording of a known error). */
  message?: string;
  delayMs?: number;
  /** foreignNext: the origin written in `next` (default https://graph.example.invalid). */
  host?: string;
}

interface Fault { method?: string; path: RegExp; left: number; kind: FaultKind; status: number; code: number; subcode?: number; message?: string; delayMs: number; host: string }

export class Faults {
  private list: Fault[] = [];

  add(spec: FaultSpec): void {
    const kind = spec.kind ?? 'error';
    if (!KINDS.includes(kind)) throw new Error(`unknown fault kind ${kind}`);
    this.list.push({
      method: spec.method?.toUpperCase(), path: new RegExp(spec.path ?? '.*'), left: spec.times ?? 1, kind,
      status: spec.status ?? (kind === 'html' ? 200 : kind === 'errorAfterApply' ? 502 : 500), code: spec.code ?? 2, subcode: spec.subcode, message: spec.message, delayMs: spec.delayMs ?? 1000,
      host: spec.host ?? 'https://graph.example.invalid',
    });
  }

  clear(): void {
    this.list = [];
  }

  /** The first fault matching this request (and one of `kinds`, when given), consumed once. */
  take(method: string, path: string, kinds?: readonly FaultKind[]): Fault | undefined {
    const f = this.list.find((x) => (!x.method || x.method === method.toUpperCase()) && x.path.test(path) && (!kinds || kinds.includes(x.kind)));
    if (!f) return undefined;
    if (f.left > 0 && --f.left === 0) this.list = this.list.filter((x) => x !== f);
    return f;
  }
}

export function faultError(f: { status: number; code: number; subcode?: number; message?: string }): GraphError {
  if (f.message !== undefined) return new GraphError(f.code, f.message, { status: f.status, subcode: f.subcode });
  return GraphError.forCode(f.code, f.status, f.subcode);
}

/**
 * A paging fault applied to a listing's answer. `self` is the absolute URL of the request just served.
 * Answers without a `next` link (last pages, nodes, errors) are left alone.
 */
export function bendPaging(f: { kind: FaultKind; host: string }, body: unknown, self: string): unknown {
  const paging = (body as { paging?: { next?: string; cursors?: { after?: string } } } | null)?.paging;
  if (!paging?.next) return body;
  if (f.kind === 'repeatCursor') {
    // A hashtag edge repeats its `after` by design (paging.ts): the marker makes the server serve the same
    // page again, which is what a stuck position looks like there.
    const same = new URL(self);
    if (same.pathname.endsWith('_media')) same.searchParams.set('__sandbox_repeat', '1');
    paging.next = same.href;
    const after = new URL(self).searchParams.get('after');
    if (paging.cursors && after) paging.cursors.after = after;
  } else if (f.kind === 'dropCursors') {
    delete paging.cursors;
  } else if (f.kind === 'foreignNext') {
    const next = new URL(paging.next);
    paging.next = `${f.host.replace(/\/$/, '')}${next.pathname}${next.search}`;
  }
  return body;
}
