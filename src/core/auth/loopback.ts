/**
 * The loopback listener of the desktop flow (the seed's CallbackURL https://localhost:33333/): receives the
 * sign-in redirect on a localhost address, once, then closes. https is served with a certificate for localhost
 * made at run time (selfsigned), for apps whose redirect URI must be https; http:// for apps in development mode.
 * Node only (the CLI and VS Code's extension host), no vscode.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { IgsqlError } from '../errors';
import { SIGN_IN_TIMEOUT_MS } from './oauth';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The loopback listener: serves CallbackURL's path once, then closes. */
export async function listenForRedirect(redirectUri: string, signal?: AbortSignal): Promise<{ wait: Promise<string>; close: () => void }> {
  const u = new URL(redirectUri);
  if (!LOOPBACK.has(u.hostname)) {
    throw new IgsqlError('INVALID_PROPERTY', `CallbackURL ${redirectUri} is not a localhost address, so igsql cannot receive the redirect: use --no-browser and paste the address you are sent to, or register https://localhost:33333/ for your app.`, { property: 'CallbackURL' });
  }
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  let resolve!: (v: string) => void;
  let reject!: (e: unknown) => void;
  const wait = new Promise<string>((res, rej) => { resolve = res; reject = rej; });
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0];
    const query = new URL(req.url ?? '/', 'http://x').searchParams;
    if (path !== u.pathname || (!query.has('code') && !query.has('error'))) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Not the Instagram SQL sign-in.');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Referrer-Policy': 'no-referrer' })
      .end('<!doctype html><meta charset="utf-8"><title>Instagram SQL</title><body style="font-family:system-ui;margin:3rem"><h1>Instagram SQL</h1><p>Sign-in received. You can close this tab and return to where you started it.</p></body>');
    resolve(`${u.protocol}//${u.host}${req.url ?? '/'}`);
  };
  let servers: Server[];
  if (u.protocol === 'https:') {
    // A certificate for localhost made now, for this sign-in only; the browser warns once about it. selfsigned
    // is loaded here, not with the module: its X.509 stack takes ~30 ms to load, which every command paid.
    // (require, not import(): the bundle is then loadable from V8's code cache, bin/igsql.)
    const { generate } = require('selfsigned') as typeof import('selfsigned');
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048, algorithm: 'sha256',
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
    } as Parameters<typeof generate>[1]);
    const make = () => createHttpsServer({ key: pems.private, cert: pems.cert }, handler);
    servers = [make(), make()];
  } else {
    servers = [createHttpServer(handler), createHttpServer(handler)];
  }
  // localhost may resolve to 127.0.0.1 or ::1 in the browser: listen on both (never on a public interface).
  const hosts = u.hostname === 'localhost' ? ['127.0.0.1', '::1'] : [u.hostname.replace(/^\[|\]$/g, '')];
  const listening: Server[] = [];
  for (const [i, host] of hosts.entries()) {
    const server = servers[i]!;
    try {
      await new Promise<void>((res, rej) => { server.once('error', rej); server.listen(port, host, () => res()); });
      listening.push(server);
    } catch (e) {
      if (i === 0) {
        throw new IgsqlError('INVALID_PROPERTY', `Cannot listen on ${host}:${port} for the sign-in redirect (${(e as NodeJS.ErrnoException).code}): close the program using that port, or change CallbackURL (and your app's redirect URI).`, { property: 'CallbackURL' });
      }
    }
  }
  const timer = setTimeout(() => reject(new IgsqlError('AUTH_REQUIRED', 'No answer from the browser within 5 minutes: run igsql login again (or use --no-browser).')), SIGN_IN_TIMEOUT_MS);
  const onAbort = () => reject(new IgsqlError('CANCELLED', 'The sign-in was cancelled.'));
  signal?.addEventListener('abort', onAbort, { once: true });
  const close = () => {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
    for (const s of listening) { s.closeAllConnections?.(); s.close(); }
  };
  return { wait, close };
}

