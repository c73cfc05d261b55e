// The request log (GET /__sandbox/requests). Secrets are replaced by "***" when the entry is recorded, so
// they never sit in memory or reach a test's output.
export interface RequestLogEntry {
  method: string;
  path: string;
  /** Query-string and form-body parameters (secrets redacted). */
  query: Record<string, string>;
  time: string;
  status: number;
  batch?: RequestLogEntry[];
}

const SECRET_PARAMS = ['access_token', 'client_secret', 'code', 'fb_exchange_token', 'input_token', 'appsecret_proof'];

export function redact(params: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(params)) out[k] = SECRET_PARAMS.includes(k) ? '***' : v;
  return out;
}

export class RequestLog {
  private entries: RequestLogEntry[] = [];

  add(entry: RequestLogEntry): void {
    this.entries.push({ ...entry, query: redact(entry.query), ...(entry.batch ? { batch: entry.batch.map((b) => ({ ...b, query: redact(b.query) })) } : {}) });
  }

  list(): RequestLogEntry[] {
    return this.entries.map((e) => ({ ...e }));
  }

  clear(): void {
    this.entries = [];
  }
}
