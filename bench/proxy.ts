/**
 * A latency proxy in front of the sandbox: every tool of the bench talks to it, so all of them see the same
 * fixed latency per HTTP request, and the proxy records when each request started and ended. From those
 * intervals it computes the sequential round trips (the longest chain of requests each of which started
 * after the previous one ended). Links in answers (`paging.next`) are rewritten to the proxy's own origin,
 * so tools that follow links as given (the SDK's Cursor) stay behind the proxy too.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request through the proxy: when it started and ended, and the bytes of its answer's body. */
export interface Span { start: number; end: number; path: string; bytes: number }

export interface LatencyProxy {
  url: string;
  spans(): Span[];
  /** Requests received and not answered yet. */
  inFlight(): number;
  clear(): void;
  close(): Promise<void>;
}

export async function startProxy(target: string, latencyMs: number): Promise<LatencyProxy> {
  let spans: Span[] = [];
  let origin = '';
  let open = 0;
  const server = http.createServer((req, res) => {
    open++;
    res.on('close', () => open--);
    const span: Span = { start: performance.now(), end: 0, path: req.url ?? '', bytes: 0 };
    const body: Buffer[] = [];
    req.on('data', (c: Buffer) => body.push(c));
    req.on('end', () => {
      setTimeout(() => {
        const up = http.request(target + (req.url ?? ''), { method: req.method, headers: { ...req.headers, host: new URL(target).host } }, (r) => {
          const chunks: Buffer[] = [];
          r.on('data', (c: Buffer) => chunks.push(c));
          r.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8').split(target).join(origin).split(target.replace(/\//g, '\\/')).join(origin.replace(/\//g, '\\/'));
            const headers = { ...r.headers };
            delete headers['content-length'];
            delete headers['transfer-encoding'];
            span.bytes = Buffer.byteLength(text);
            res.writeHead(r.statusCode ?? 502, headers);
            res.end(text, () => {
              span.end = performance.now();
              spans.push(span);
            });
          });
        });
        up.on('error', () => { res.writeHead(502); res.end(); });
        up.end(Buffer.concat(body));
      }, latencyMs);
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: origin,
    spans: () => spans.slice(),
    inFlight: () => open,
    clear: () => { spans = []; },
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

/** The longest chain of requests, each started after the previous one ended: the round trips a user waited. */
export function roundTrips(spans: readonly Span[]): number {
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  const depth: number[] = [];
  let best = 0;
  sorted.forEach((s, i) => {
    let d = 1;
    for (let j = 0; j < i; j++) if (sorted[j]!.end <= s.start) d = Math.max(d, depth[j]! + 1);
    depth.push(d);
    best = Math.max(best, d);
  });
  return best;
}

/**
 * Milliseconds of [from, to] during which at least one request was at Graph (from the proxy receiving it to its
 * answer written): what is left of a tool's wall time is its own work, its HTTP client's included.
 */
export function busyTime(spans: ReadonlyArray<{ start: number; end: number }>, from: number, to: number): number {
  let total = 0;
  let reached = from;
  for (const sp of [...spans].sort((a, b) => a.start - b.start)) {
    const start = Math.max(sp.start, reached);
    const end = Math.min(sp.end, to);
    if (end > start) total += end - start;
    reached = Math.max(reached, end);
  }
  return total;
}
