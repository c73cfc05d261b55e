/** Shared test plumbing: a sandbox on a free loopback port and a connection to it, real HTTP both ways. */
import { connect, type Connection, type QueryParams, type QueryResult, type SqlValue } from '../src/core';
import { startSandbox, type Sandbox, type SandboxOptions, type RequestLogEntry } from '../src/sandbox';

export interface Rig {
  sandbox: Sandbox;
  conn: Connection;
  /** Graph requests seen by the sandbox since the last clear (version prefix stripped from paths). */
  requests(): Array<RequestLogEntry & { route: string }>;
  /** Graph calls since the last clear: each item of a batch as its own entry, requests sent alone as they are. */
  calls(): Array<RequestLogEntry & { route: string }>;
  clear(): void;
  rows(sql: string, params?: QueryParams): Promise<Record<string, SqlValue>[]>;
  close(): Promise<void>;
}

const routed = (r: RequestLogEntry): RequestLogEntry & { route: string } => ({ ...r, route: r.path.replace(/^\/v\d+\.\d+/, '') });

export async function rig(options: SandboxOptions = {}, props = ''): Promise<Rig> {
  const sandbox = await startSandbox({ port: 0, ...options });
  const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${sandbox.url}${props ? ';' + props : ''}`);
  return {
    sandbox,
    conn,
    requests: () => sandbox.requests().map(routed),
    calls: () => sandbox.requests().flatMap((r) => r.batch ?? [r]).map(routed),
    clear: () => sandbox.clearRequests(),
    rows: async (sql, params) => collect(await conn.query(sql, params)),
    close: async () => {
      await conn.close();
      await sandbox.close();
    },
  };
}

export async function collect(result: QueryResult): Promise<Record<string, SqlValue>[]> {
  const out: Record<string, SqlValue>[] = [];
  for await (const row of result.rows) {
    const o: Record<string, SqlValue> = {};
    result.columns.forEach((c, i) => (o[c.name] = row[i]!));
    out.push(o);
  }
  return out;
}

/** Runs `f` and returns the IgsqlError it throws (fails the test when it does not throw). */
export async function failure(f: () => Promise<unknown>): Promise<{ code: string; message: string; details: Record<string, unknown> }> {
  try {
    const r = await f();
    if (r && typeof r === 'object' && 'rows' in r) for await (const _ of (r as QueryResult).rows) void _;
  } catch (e) {
    return e as { code: string; message: string; details: Record<string, unknown> };
  }
  throw new Error('expected an error, got none');
}
