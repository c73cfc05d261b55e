/**
 * A fault-injecting reverse proxy of our own between the connector and the sandbox (issue 12): it knows
 * nothing of either, forwards raw HTTP, and spoils one chosen request the ways networks, gateways and Graph
 * do. A fault hits the `nth` request matching `method`/`path` (counting from when it was set), `times` times.
 * It keeps its own log, so a test can count what reached the sandbox and what the proxy did.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultName =
  | 'dropBefore' | 'dropMidBody' | 'truncatedJson' | 'malformedJson' | 'html502' | 'html200' | 'graph500'
  | 'throttle' | 'throttleLong' | 'tokenExpired' | 'delayPastTimeout' | 'repeatCursor' | 'missingCursor'
  | 'foreignNext' | 'batchFail' | 'batchItemFail' | 'answerLost' | 'appliedThen502';

export const FAULTS: readonly FaultName[] = [
  'dropBefore', 'dropMidBody', 'truncatedJson', 'malformedJson', 'html502', 'html200', 'graph500', 'throttle',
  'throttleLong', 'tokenExpired', 'delayPastTimeout', 'repeatCursor', 'missingCursor', 'foreignNext', 'batchFail',
  'batchItemFail', 'answerLost', 'appliedThen502',
];

/** Faults that never forward the request: the sandbox does not see it. */
const NOT_FORWARDED: readonly FaultName[] = ['dropBefore', 'html502', 'graph500', 'throttle', 'throttleLong', 'tokenExpired', 'batchFail'];

export interface Rule { fault: FaultName; method?: string; path?: RegExp; nth?: number; times?: number; delayMs?: number }

export interface FaultProxy {
  url: string;
  /** Requests the proxy forwarded to the sandbox, and those it answered itself. */
  log: Array<{ method: string; path: string; fault?: FaultName; forwarded: boolean }>;
  set(rule: Rule | undefined): void;
  close(): Promise<void>;
}

const graphError = (code: number, message: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ error: { message, type: 'OAuthException', code, fbtrace_id: 'FaultProxy', ...extra } });

export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const up = new URL(target);
  const log: FaultProxy['log'] = [];
  let rule: (Rule & { seen: number; left: number }) | undefined;
  const sockets = new Set<Socket>();

  function pick(method: string, path: string): FaultName | undefined {
    if (!rule || rule.left === 0) return undefined;
    if (rule.method && rule.method !== method) return undefined;
    if (rule.path && !rule.path.test(path)) return undefined;
    rule.seen++;
    if (rule.seen < (rule.nth ?? 1)) return undefined;
    rule.left--;
    return rule.fault;
  }

  function forward(req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const out = request({ host: up.hostname, port: up.port, method: req.method, path: req.url, headers: { ...req.headers, host: up.host } }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string' && k !== 'content-length' && k !== 'connection' && k !== 'keep-alive') headers[k] = v;
          resolve({ status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
        });
        res.on('error', reject);
      });
      out.on('error', reject);
      out.end(body);
    });
  }

  const reply = (res: ServerResponse, status: number, body: string | Buffer, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };

  /** Rewrites the answer's `paging` (JSON answers with a `next` link only). */
  function bend(body: Buffer, f: FaultName, self: string): Buffer {
    let json: { paging?: { next?: string; cursors?: Record<string, string> } };
    try { json = JSON.parse(body.toString('utf8')); } catch { return body; }
    const p = json.paging;
    if (!p?.next) return body;
    if (f === 'repeatCursor') {
      p.next = self;
      const after = new URL(self).searchParams.get('after');
      if (after && p.cursors) p.cursors.after = after;
    } else if (f === 'missingCursor') delete p.cursors;
    else if (f === 'foreignNext') p.next = p.next.replace(/^https?:\/\/[^/]+/, 'https://graph.example.invalid');
    return Buffer.from(JSON.stringify(json));
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks);
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const fault = pick(method, path);
    const forwarded = !fault || !NOT_FORWARDED.includes(fault);
    log.push({ method, path, fault, forwarded });
    switch (fault) {
      case 'dropBefore': return void req.socket.destroy();
      case 'html502': return reply(res, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', { 'content-type': 'text/html' });
      case 'graph500': return reply(res, 500, graphError(2, 'Service temporarily unavailable', { is_transient: true }));
      case 'batchFail': return reply(res, 503, graphError(1, 'An unknown error occurred', { is_transient: true }));
      case 'throttle': return reply(res, 403, graphError(4, 'Application request limit reached', { is_transient: true }), { 'x-app-usage': JSON.stringify({ call_count: 100, total_time: 40, total_cputime: 20 }) });
      case 'throttleLong': return reply(res, 403, graphError(80002, 'There have been too many calls to this Instagram account.'), {
        'x-business-use-case-usage': JSON.stringify({ '1': [{ type: 'instagram', call_count: 100, total_cputime: 10, total_time: 10, estimated_time_to_regain_access: 12 }] }),
      });
      case 'tokenExpired': return reply(res, 400, graphError(190, 'Error validating access token: Session has expired.', { error_subcode: 463 }));
      case 'delayPastTimeout': await new Promise((r) => setTimeout(r, rule?.delayMs ?? 1500)); break;
      default: break;
    }
    let answer: Awaited<ReturnType<typeof forward>>;
    try {
      answer = await forward(req, body);
    } catch {
      return void req.socket.destroy();
    }
    const text = answer.body.toString('utf8');
    switch (fault) {
      case 'dropMidBody':
        res.writeHead(answer.status, { ...answer.headers, 'content-length': answer.body.length });
        res.write(answer.body.subarray(0, answer.body.length >> 1));
        return void setTimeout(() => req.socket.destroy(), 10);
      case 'truncatedJson': return reply(res, answer.status, text.slice(0, text.length >> 1), answer.headers);
      case 'malformedJson': return reply(res, answer.status, text.replace(/":/, '" '), answer.headers);
      case 'html200': return reply(res, 200, '<!DOCTYPE html><html><body>Sign in to the Wi-Fi</body></html>', { 'content-type': 'text/html' });
      case 'repeatCursor': case 'missingCursor': case 'foreignNext':
        return reply(res, answer.status, bend(answer.body, fault, `${up.protocol}//${req.headers.host}${req.url}`), answer.headers);
      case 'batchItemFail': {
        let items: unknown;
        try { items = JSON.parse(text); } catch { items = undefined; }
        if (Array.isArray(items) && items.length) items[items.length >> 1] = { code: 500, body: graphError(2, 'Service temporarily unavailable', { is_transient: true }) };
        return reply(res, answer.status, JSON.stringify(items ?? text), answer.headers);
      }
      case 'answerLost': return void req.socket.destroy();
      case 'appliedThen502': return reply(res, 502, '<html><body>502 Bad Gateway</body></html>', { 'content-type': 'text/html' });
      default: return reply(res, answer.status, answer.body, answer.headers);
    }
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => req.socket.destroy());
  });
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    log,
    set: (r) => { rule = r && { ...r, seen: 0, left: r.times ?? 1 }; },
    close: () => new Promise<void>((resolve) => { for (const s of sockets) s.destroy(); server.close(() => resolve()); }),
  };
}
