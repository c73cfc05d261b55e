/**
 * Real servers for the proxy and TLS tests: an HTTP proxy (node:http; the `proxy` package loads its
 * package.json through import.meta.url, which the CommonJS test bundle cannot) and a SOCKS5 proxy
 * (`simple-socks`) on loopback, each with its own log of what it carried, and a TLS front (node:tls with a
 * certificate from `selfsigned`) that terminates TLS for the sandbox, so the sandbox is reached over https.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect as netConnect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import socks from 'simple-socks';
import { generate } from 'selfsigned';

export interface Running { port: number; log: string[]; close(): Promise<void> }

const closing = (server: Server | TlsServer, sockets: Set<Socket>) => () => new Promise<void>((resolve) => {
  for (const s of sockets) s.destroy();
  server.close(() => resolve());
});

function track(server: Server | TlsServer): Set<Socket> {
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
  return sockets;
}

/** An HTTP proxy; with `auth`, it requires Proxy-Authorization: Basic user:password (answers 407 otherwise). */
export async function httpProxy(auth?: { user: string; password: string }): Promise<Running> {
  const log: string[] = [];
  const expected = auth && 'Basic ' + Buffer.from(`${auth.user}:${auth.password}`).toString('base64');
  const allowed = (req: IncomingMessage) => {
    if (!expected || req.headers['proxy-authorization'] === expected) return true;
    log.push(`407 ${req.method} ${req.url}`);
    return false;
  };
  // Plain-HTTP requests in absolute form are not used by the agents (they tunnel); refuse them visibly.
  const server = createServer((req, res) => { log.push(`${req.method} ${req.url}`); res.writeHead(405).end(); });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    if (!allowed(req)) return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
    log.push(`CONNECT ${req.url}`);
    const i = req.url!.lastIndexOf(':');
    const upstream = netConnect(Number(req.url!.slice(i + 1)), req.url!.slice(0, i), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).on('error', () => undefined);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const sockets = track(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, log, close: closing(server, sockets) };
}

/** A SOCKS5 proxy; with `auth`, it requires that user name and password (RFC 1929). */
export async function socks5Proxy(auth?: { user: string; password: string }): Promise<Running> {
  const log: string[] = [];
  const server = socks.createServer(auth ? {
    authenticate: (user: string, password: string, _socket: Socket, callback: (err?: Error) => void) => {
      if (user === auth.user && password === auth.password) return setImmediate(callback);
      log.push(`refused ${user}`);
      return setImmediate(callback, new Error('bad credentials'));
    },
  } : {}) as Server;
  server.on('proxyConnect', (info: { address: string; port: number }) => log.push(`CONNECT ${info.address}:${info.port}`));
  server.on('proxyError', () => undefined);
  const sockets = track(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, log, close: closing(server, sockets) };
}

/**
 * A SOCKS4 proxy (no package fits: simple-socks speaks SOCKS5 only). SOCKS4 has a user id and no password;
 * with `user`, other user ids are rejected (reply 0x5B).
 */
export async function socks4Proxy(user?: string): Promise<Running> {
  const log: string[] = [];
  const server = createNetServer((client) => {
    client.once('data', (buf: Buffer) => {
      const end = buf.indexOf(0, 8);
      if (buf[0] !== 4 || buf[1] !== 1 || end < 0) return void client.destroy();
      const port = buf.readUInt16BE(2);
      const host = `${buf[4]}.${buf[5]}.${buf[6]}.${buf[7]}`;
      const id = buf.subarray(8, end).toString('utf8');
      if (user !== undefined && id !== user) {
        log.push(`refused ${id}`);
        return void client.end(Buffer.from([0, 0x5b, 0, 0, 0, 0, 0, 0]));
      }
      log.push(`CONNECT ${host}:${port}`);
      const upstream = netConnect(port, host, () => {
        client.write(Buffer.from([0, 0x5a, 0, 0, 0, 0, 0, 0]));
        const rest = buf.subarray(end + 1);
        if (rest.length) upstream.write(rest);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
  });
  const sockets = track(server as unknown as Server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, log, close: closing(server as unknown as Server, sockets) };
}

/** TLS for the sandbox at `target` (http://127.0.0.1:port): a self-signed certificate for localhost and 127.0.0.1. */
export async function tlsFront(target: string): Promise<Running & { url: string; cert: string }> {
  const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }] }],
  } as Parameters<typeof generate>[1]);
  const log: string[] = [];
  const upstream = new URL(target);
  const server = createTlsServer({ key: pems.private, cert: pems.cert }, (tls) => {
    log.push('TLS session');
    const up = netConnect(Number(upstream.port), upstream.hostname);
    tls.pipe(up).pipe(tls);
    up.on('error', () => tls.destroy());
    tls.on('error', () => up.destroy());
  });
  const sockets = track(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as AddressInfo).port;
  return { port, url: `https://localhost:${port}`, cert: pems.cert, log, close: closing(server, sockets) };
}
