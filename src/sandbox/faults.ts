// Injected faults (POST /__sandbox/faults): the next matching request(s) fail, hang, or lose their
// connection, before (drop) or after (dropAfterApply) the write is applied — the "unknown outcome" case.
import { GraphError } from './errors';

export type FaultKind = 'error' | 'drop' | 'dropAfterApply' | 'delay';

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
}

interface Fault { method?: string; path: RegExp; left: number; kind: FaultKind; status: number; code: number; subcode?: number; message?: string; delayMs: number }

export class Faults {
  private list: Fault[] = [];

  add(spec: FaultSpec): void {
    const kind = spec.kind ?? 'error';
    if (!['error', 'drop', 'dropAfterApply', 'delay'].includes(kind)) throw new Error(`unknown fault kind ${kind}`);
    this.list.push({
      method: spec.method?.toUpperCase(), path: new RegExp(spec.path ?? '.*'), left: spec.times ?? 1, kind,
      status: spec.status ?? 500, code: spec.code ?? 2, subcode: spec.subcode, message: spec.message, delayMs: spec.delayMs ?? 1000,
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
