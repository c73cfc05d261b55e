// The HTTP layer: parses requests (query, form or JSON body, bearer token), applies the cross-cutting
// behaviour (faults, failRate, rate limit, latency, usage headers, request log) and hands Graph calls to
// runGraph. Control endpoints under /__sandbox bypass all of it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { GraphError } from './errors';
import type { Faults } from './faults';
import { ANSWER_FAULTS, bendPaging, faultError, PAGING_FAULTS, retype, type FaultKind } from './faults';
import type { RequestLog, RequestLogEntry } from './log';
import { Random } from './random';
import { runBatch, splitPath } from './routes/batch';
import { handleControl } from './routes/control';
import { runGraph, type Env, type GraphCall, type GraphResult } from './routes/graph';
import type { Usage } from './usage';

export interface ServerOptions {
  latencyMs: number;
  failRate: number;
  seed: number;
  /** HTML of the OAuth relay page to serve at /relay/oauth-relay.html (a stand-in for the user's https host). */
  relayPage?: string;
}

/** Paths under this prefix are Business Login for Instagram's hosts (www/api/graph.instagram.com). */
const INSTAGRAM_PREFIX = '/instagram';
export interface ServerDeps { env: Env; usage: Usage; faults: Faults; log: RequestLog; options: ServerOptions }

const JSON_TYPE = 'application/json; charset=UTF-8';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function bodyParams(req: IncomingMessage, raw: string): { params: Record<string, string>; json?: unknown } {
  if (!raw) return { params: {} };
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    let json: unknown;
    try { json = JSON.parse(raw); } catch { return { params: {} }; }
    const params: Record<string, string> = {};
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      for (const [k, v] of Object.entries(json)) params[k] = typeof v === 'string' ? v : JSON.stringify(v);
    }
    return { params, json };
  }
  return { params: Object.fromEntries(new URLSearchParams(raw)) };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string>): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': JSON_TYPE, ...headers, 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

export function createSandboxServer(deps: ServerDeps): Server {
  const { env, usage, faults, log, options } = deps;
  const failRnd = Random.derive(options.seed, 'fail-rate');

  /** One Graph call with its transient failure, rate limit and usage accounting. */
  function call(c: GraphCall): GraphResult {
    const oauth = c.segments[0] === 'oauth' || c.segments[0] === 'debug_token';
    if (c.method === 'GET' && !oauth && options.failRate > 0 && failRnd.next() < options.failRate) {
      const e = GraphError.transientError();
      return { status: e.status, body: e.body() };
    }
    if (!usage.take()) {
      const e = GraphError.rateLimited();
      return { status: e.status, body: e.body() };
    }
    const result = runGraph(env, c);
    if (result.igUser) usage.attribute(result.igUser);
    return result;
  }

  function usageHeaders(igUsers: string[]): Record<string, string> {
    const h: Record<string, string> = { 'X-App-Usage': usage.appUsage(), 'facebook-api-version': 'v24.0' };
    if (igUsers.length) h['X-Business-Use-Case-Usage'] = usage.businessUsage(igUsers);
    return h;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const time = new Date().toISOString();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    let pathname = q >= 0 ? rawUrl.slice(0, q) : rawUrl; // not new URL(): it would normalise "..", we must not
    const host = pathname === INSTAGRAM_PREFIX || pathname.startsWith(`${INSTAGRAM_PREFIX}/`) ? 'instagram' as const : 'facebook' as const;
    if (host === 'instagram') pathname = pathname.slice(INSTAGRAM_PREFIX.length) || '/';
    const query = Object.fromEntries(new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : ''));
    const { params: body, json } = bodyParams(req, method === 'GET' ? '' : await readBody(req));

    if (pathname === '/relay/oauth-relay.html' && host === 'facebook' && options.relayPage) {
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Referrer-Policy': 'no-referrer' });
      return void res.end(options.relayPage);
    }

    if (pathname.startsWith('/__sandbox/') && host === 'facebook') {
      const r = handleControl({ world: env.world, tokens: env.tokens, faults, log }, method, pathname, json);
      return send(res, r.status, r.body, {});
    }

    const params: Record<string, string> = { ...query, ...body };
    const { segments, version } = splitPath(pathname);
    const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const token = params.access_token ?? bearer;
    const entry: RequestLogEntry = { method, path: host === 'instagram' ? INSTAGRAM_PREFIX + pathname : pathname, query: { ...params }, time, status: 0 };

    if (host === 'instagram') {
      const ig = env.igLogin;
      const route = segments.join('/');
      if (route === 'oauth/authorize' || route === 'oauth/authorize/allow') {
        const r = route.endsWith('allow') ? ig.allow(params) : ig.dialog(params);
        log.add({ ...entry, status: r.status });
        res.writeHead(r.status, r.headers);
        return void res.end(r.body);
      }
      const oauthCall = (method === 'POST' && route === 'oauth/access_token' && (() => ig.exchangeCode(params)))
        || (method === 'GET' && route === 'access_token' && (() => ig.longLived(params)))
        || (method === 'GET' && route === 'refresh_access_token' && (() => ig.refresh(params)));
      if (oauthCall) {
        let status = 200;
        let body: unknown;
        try { body = oauthCall(); } catch (e) {
          if (!(e instanceof GraphError)) throw e;
          status = e.status;
          body = e.body();
        }
        log.add({ ...entry, status });
        return send(res, status, body, usageHeaders([]));
      }
    }

    if (host === 'facebook' && segments[0] === 'dialog' && segments[1] === 'oauth' && segments.length <= 3) {
      const r = segments[2] === 'allow' ? env.oauth.allow(params) : env.oauth.dialog(params);
      log.add({ ...entry, status: r.status });
      res.writeHead(r.status, r.headers);
      return void res.end(r.body);
    }

    const fault = faults.take(method, pathname);
    if (fault?.kind === 'drop') {
      log.add(entry);
      return void req.socket.destroy();
    }
    if (fault?.kind === 'error') {
      const e = faultError(fault);
      log.add({ ...entry, status: e.status });
      return send(res, e.status, e.body(), usageHeaders([]));
    }
    if (fault?.kind === 'delay') await sleep(fault.delayMs);

    let result: GraphResult;
    const igUsers: string[] = [];
    const isBatch = method === 'POST' && segments.length === 0 && params.batch !== undefined;
    if (isBatch) {
      delete entry.query.batch;
      try {
        env.tokens.check(token);
        const batch = await runBatch(params, token, async (c, path) => {
          const f = faults.take(c.method, path, ['error', 'delay']); // connection faults apply to whole requests
          if (f?.kind === 'error') { const e = faultError(f); return { status: e.status, body: e.body() }; }
          if (f?.kind === 'delay') await sleep(f.delayMs);
          const r = call({ ...c, host });
          if (r.igUser && !igUsers.includes(r.igUser)) igUsers.push(r.igUser);
          return r;
        });
        entry.batch = batch.log;
        result = { status: 200, body: batch.body };
      } catch (e) {
        if (!(e instanceof GraphError)) throw e;
        result = { status: e.status, body: e.body() };
      }
    } else {
      result = call({ method, segments, version, params, token, host });
      if (result.igUser) igUsers.push(result.igUser);
    }

    if (fault && PAGING_FAULTS.includes(fault.kind) && result.status === 200) {
      result = { ...result, body: bendPaging(fault, result.body, `http://${req.headers.host ?? '127.0.0.1'}${rawUrl}`) };
    }
    if (options.latencyMs > 0) await sleep(options.latencyMs);
    log.add({ ...entry, status: result.status });
    if (fault && ANSWER_FAULTS.includes(fault.kind)) return spoilAnswer(res, fault, result, usageHeaders(igUsers));
    send(res, result.status, result.body, usageHeaders(igUsers));
  }

  /** The request was carried out (a write is applied); its answer is lost, late or spoilt (faults.ts). */
  async function spoilAnswer(res: ServerResponse, fault: { kind: FaultKind; status: number; code: number; subcode?: number; message?: string; delayMs: number }, result: GraphResult, headers: Record<string, string>): Promise<void> {
    const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body);
    switch (fault.kind) {
      case 'dropAfterApply':
        return void res.socket?.destroy();
      case 'errorAfterApply': {
        const e = faultError(fault);
        return send(res, e.status, e.body(), headers);
      }
      case 'delayAfterApply':
        await sleep(fault.delayMs);
        return send(res, result.status, result.body, headers);
      case 'truncate':
        // The full length is announced and half is sent: the client sees the connection close mid-body.
        res.writeHead(result.status, { 'Content-Type': JSON_TYPE, ...headers, 'Content-Length': Buffer.byteLength(text) });
        res.write(text.slice(0, Math.floor(text.length / 2)));
        return void setTimeout(() => res.socket?.destroy(), 20);
      case 'malformed':
        return send(res, result.status, text.slice(0, Math.max(1, Math.floor(text.length / 2))), headers);
      case 'retype':
        return send(res, result.status, retype(result.body), headers);
      case 'html': {
        const page = `<!DOCTYPE html><html><head><title>${fault.status} Service Unavailable</title></head><body><h1>Please try again later</h1></body></html>`;
        res.writeHead(fault.status, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(page) });
        return void res.end(page);
      }
    }
  }

  return createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      const e = new GraphError(1, `An unknown error occurred (${String((err as Error)?.message ?? err)})`, { status: 500 });
      if (!res.headersSent) send(res, 500, e.body(), {});
      else res.destroy();
    });
  });
}
