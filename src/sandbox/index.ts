// Public API of the Graph API sandbox (DESIGN §6, contract): a real HTTP server on 127.0.0.1 speaking the
// Instagram Graph API wire format over seeded, realistic data. It imports nothing from src/core: it is an
// independent oracle written from Graph's documented behaviour.
import type { AddressInfo } from 'node:net';
import { Tokens } from './auth';
import { createWorld, summarize, type SandboxSummary } from './data/world';
import { Faults } from './faults';
import { RequestLog, type RequestLogEntry } from './log';
import { InstagramLogin } from './routes/instagram-login';
import { OAuth } from './routes/oauth';
import { createSandboxServer } from './server';
import { Usage } from './usage';

export type { RequestLogEntry } from './log';
export type { AccountSummary, MediaSummary, SandboxSummary } from './data/world';
export type { FaultSpec } from './faults';

export interface SandboxOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default 42. Same seed + options + now → identical data, ids included. */
  seed?: number;
  /** Instagram accounts (each linked to a Facebook Page), default 3. */
  accounts?: number;
  /** Feed media per account (stories come on top), default 300. */
  media?: number;
  /** Delay added to every Graph response. */
  latencyMs?: number;
  /** 0..1: share of GETs answered with a transient HTTP 500 (code 2), decided by a seeded generator. */
  failRate?: number;
  /** Calls per minute before code 4 "Application request limit reached"; 0 = unlimited. */
  rateLimit?: number;
  /** ms epoch anchor for generated timestamps; default Date.now() floored to the UTC day. */
  now?: number;
  /** HTML of the OAuth relay page, served at /relay/oauth-relay.html (stands in for the user's https host). */
  relayPage?: string;
  /**
   * Insight metrics (account or media) to answer as Graph answers a removed metric: rehearses the next
   * deprecation, which Graph announces in each version's changelog.
   */
  removedMetrics?: string[];
  /**
   * The breakdown name account `views` accepts for followers vs non-followers: [USER-INS]'s metric table says
   * follower_type (default), its parameter list follow_type.
   */
  viewsBreakdown?: 'follower_type' | 'follow_type';
}

export interface Sandbox {
  /** http://127.0.0.1:PORT — no trailing slash, no version. */
  url: string;
  port: number;
  requests(): RequestLogEntry[];
  clearRequests(): void;
  summary(): SandboxSummary;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const nowMs = options.now ?? Math.floor(Date.now() / 86_400_000) * 86_400_000;
  const world = createWorld({
    seed: options.seed ?? 42,
    accounts: options.accounts ?? 3,
    media: options.media ?? 300,
    now: Math.floor(nowMs / 1000),
    rules: { removedMetrics: new Set(options.removedMetrics ?? []), viewsBreakdown: options.viewsBreakdown ?? 'follower_type' },
  });
  const tokens = new Tokens(world);
  const log = new RequestLog();
  const env = { world, tokens, oauth: new OAuth(world, tokens), igLogin: new InstagramLogin(world, tokens), origin: '' };
  const server = createSandboxServer({
    env,
    usage: new Usage(options.rateLimit ?? 0),
    faults: new Faults(),
    log,
    options: { latencyMs: options.latencyMs ?? 0, failRate: options.failRate ?? 0, seed: world.seed, ...(options.relayPage ? { relayPage: options.relayPage } : {}) },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  env.origin = `http://127.0.0.1:${port}`;
  return {
    url: env.origin,
    port,
    requests: () => log.list(),
    clearRequests: () => log.clear(),
    summary: () => summarize(world),
    close: () => new Promise<void>((resolve, reject) => {
      server.closeAllConnections?.();
      server.close((err) => (err ? reject(err) : resolve()));
    }),
  };
}
