/** `connect()`: wires properties, the Graph client, the engine and the schema into a Connection (DESIGN §4). */
import type { BusinessAccount, ConnectDeps, Connection, ProcedureInfo, QueryOptions, QueryParams, QueryPlan, QueryResult, QueryStats, TableInfo } from './api';
import { QueryContext, type ConnectionServices } from './context';
import { Engine } from './engine/engine';
import { compiledModule } from './engine/sqlite';
import { IgsqlError } from './errors';
import { SharedAnswer } from './shared-answer';
import { agentsFor, tlsFor } from './graph/agents';
import { GraphClient, type CallContext } from './graph/client';
import { flavourOf, unservedError, type Flavour } from './auth/flavours';
import type { OAuthApp } from './auth/oauth';
import { TokenSession, type InitiateOAuth } from './auth/session';
import { fileSink, RedactingLogger } from './log';
import { parseConnectionProps, redactProps, type ConnectionProps } from './props';
import { TABLES, findTable } from './schema';
import { referencedTables } from './sql/tokenize';
import { PROCEDURES, ProcedureRunner, procedureInfo } from './procedures';
import { keyOps } from './engine/quals';
import { systemTables } from './schema/system';
import type { TableDef } from './schema/types';

export function tableInfo(t: TableDef): TableInfo {
  return {
    name: t.name,
    kind: t.kind,
    description: t.description,
    scopes: [...t.scopes],
    columns: t.columns.map((c) => ({ name: c.name, type: c.type, description: c.description, keyOps: [...keyOps(t, c.name)], required: !!c.required, ...(c.values ? { values: [...c.values] } : {}), ...(c.graphField ? { graphField: c.graphField } : {}), ...(c.source ? { source: c.source } : {}) })),
  };
}

/** Where the connection keeps a token it did not get from OAuthAccessToken (app id + user, per flavour). */
export function tokenStoreKey(props: ConnectionProps): string {
  const base = `${props.OAuthClientId ?? 'default'}:${props.BusinessAccountId ?? 'user'}`;
  return props.LoginFlavour === 'INSTAGRAM' ? `${base}:instagram` : base;
}

/** The default CallbackURL of the desktop flow (the seed's). */
export const DEFAULT_CALLBACK_URL = 'https://localhost:33333/';

/** The OAuth app of a connection, or undefined without OAuthClientId and OAuthClientSecret. */
export function oauthApp(props: ConnectionProps, extra: Partial<OAuthApp> = {}): OAuthApp | undefined {
  if (!props.OAuthClientId || !props.OAuthClientSecret) return undefined;
  return {
    flavour: flavourOf(props.LoginFlavour), appId: props.OAuthClientId, appSecret: props.OAuthClientSecret,
    apiBaseUrl: props.ApiBaseURL!, version: props.ApiVersion!, timeoutSeconds: Number(props.Timeout),
    agent: agentsFor(props), https: tlsFor(props), ...extra,
  };
}

/** A table this flavour cannot serve answers, when read or written, the error naming the flavour that can. */
function servedBy(flavour: Flavour, t: TableDef): TableDef {
  if (!flavour.unserved.has(t.name.toLowerCase())) return t;
  const refuse = () => { throw unservedError(flavour, t.name); };
  return { ...t, list: () => refuse(), ...(t.insert ? { insert: refuse } : {}), ...(t.update ? { update: refuse } : {}), ...(t.delete ? { delete: refuse } : {}) };
}

/** What stored procedures need beyond the services tables use. */
interface ProcedureWiring {
  /** A Graph client with the app access token OAuthClientId|OAuthClientSecret (OAuth endpoints). */
  appGraph(): GraphClient;
  /** The connection's token: OAuthAccessToken, else the token store; throws AUTH_REQUIRED when none. */
  token(): Promise<string>;
}

function emptyStats(): QueryStats {
  return { apiCalls: 0, pages: 0, rows: 0, retries: 0, bytes: 0, elapsedMs: 0, notes: [] };
}

class IgConnection implements Connection {
  private engine?: Promise<Engine>;
  /** Aborted by close(): what the connection keeps for all its queries is asked under it (shared-answer.ts). */
  private readonly lifetime = new AbortController();
  private readonly accounts = new SharedAnswer<BusinessAccount[]>(this.lifetime.signal);
  private readonly scopes = new SharedAnswer<string[] | undefined>(this.lifetime.signal);
  private closed = false;

  constructor(
    readonly props: ConnectionProps,
    private readonly graph: GraphClient,
    private readonly logger: RedactingLogger,
    private readonly deps: ConnectDeps,
    private readonly wiring?: ProcedureWiring,
    private readonly session?: TokenSession,
  ) {}

  private get flavour(): Flavour {
    return flavourOf(this.props.LoginFlavour);
  }

  private services(): ConnectionServices {
    return {
      graph: this.graph,
      pageSize: Number(this.props.Pagesize),
      apiVersion: this.props.ApiVersion!,
      defaultAccounts: this.props.BusinessAccountId,
      businessAccounts: (call) => this.loadAccounts(call),
      flavour: this.flavour,
      grantedScopes: (call) => {
        // Instagram has no /me/permissions: the grants came with the code exchange (the stored record).
        if (this.flavour.id === 'INSTAGRAM') {
          const scopes = this.session?.record()?.scopes;
          return Promise.resolve(scopes?.length ? scopes : undefined);
        }
        // A token's grants do not change while the connection holds it: ask Graph once.
        return this.scopes.get((signal) => this.graph
          .get<{ data?: Array<{ permission: string; status: string }> }>(['me', 'permissions'], {}, { ...call, signal })
          .then((r) => r.data?.filter((p) => p.status === 'granted').map((p) => p.permission)), call.signal);
      },
      now: this.deps.now ?? Date.now,
      overlap: this.deps.overlap,
      expand: this.deps.expand,
      fromMemory: this.deps.fromMemory,
    };
  }

  /**
   * Starts creating the SQLite engine in the background as soon as the connection exists (it is opened when
   * it is about to be used): the first query then finds it ready instead of waiting ≈ 100 ms for the module
   * to instantiate and its code to warm up before its first Graph request (issue 11). A failure here is
   * reported by the query that needs the engine.
   */
  warmUp(): void {
    this.getEngine().catch(() => undefined);
  }

  private getEngine(): Promise<Engine> {
    if (!this.engine) {
      const services = this.services();
      const sources = { tables: () => TABLES, procedures: () => PROCEDURES, props: this.props, sqliteVersion: async () => (await this.engine)?.sqliteVersion };
      this.engine = Engine.create({
        tables: [...TABLES.map((t) => servedBy(this.flavour, t)), ...systemTables(sources)],
        provider: { forTable: (table, run) => new QueryContext(services, table, run) },
        maxRows: Number(this.props.MaxRows),
        procedures: this.procedureRunner(),
        synchronousBuild: this.deps.synchronousBuild,
      });
      this.engine.catch(() => (this.engine = undefined));
    }
    return this.engine;
  }

  async query(sql: string, params?: QueryParams, options?: QueryOptions): Promise<QueryResult> {
    if (this.logger.enabled(1)) this.logger.log(1, `query: ${sql.replace(/\s+/g, ' ').slice(0, 2000)}`);
    // A closed connection never opens a new engine (it would reach a server that may be gone, e.g. a stopped
    // sandbox after the settings changed): the query is cancelled, as the running one was.
    if (this.closed) throw new IgsqlError('CANCELLED', 'The query was cancelled: the connection was closed.');
    // A statement that reads Instagram tables will send requests: load got now, while the engine may still be
    // compiling on another thread, rather than when the first request leaves (issue 11). `SELECT 1` or a system
    // table does not pay for it; a table the scan misses only loads it later.
    if (referencedTables(sql).some((t) => findTable(t))) this.graph.preload();
    const engine = await this.getEngine();
    try {
      return await engine.query(sql, params, options);
    } catch (e) {
      this.logger.log(1, `error: ${(e as Error).message}`);
      throw e;
    }
  }

  async explain(sql: string): Promise<QueryPlan> {
    return (await this.getEngine()).explain(sql);
  }

  tables(): TableInfo[] {
    return TABLES.map(tableInfo);
  }

  table(name: string): TableInfo | undefined {
    const t = findTable(name) ?? this.systemTables().find((s) => s.name.toLowerCase() === name.toLowerCase());
    return t && tableInfo(t);
  }

  private systemTables(): TableDef[] {
    return systemTables({ tables: () => TABLES, procedures: () => PROCEDURES, props: this.props });
  }

  procedures(): ProcedureInfo[] {
    return PROCEDURES.map(procedureInfo);
  }

  private procedureRunner(): ProcedureRunner {
    const appGraph = this.wiring?.appGraph;
    const token = this.wiring?.token;
    return new ProcedureRunner(PROCEDURES, {
      props: this.props,
      graph: this.graph,
      appGraph: () => {
        if (!appGraph) throw new IgsqlError('INTERNAL', 'This connection cannot reach the OAuth endpoints.');
        return appGraph();
      },
      tokenStore: this.deps.tokenStore,
      tokenKey: tokenStoreKey(this.props),
      currentToken: async () => (token ? token().catch(() => undefined) : undefined),
      addSecret: (v) => this.logger.addSecret(v),
      businessAccounts: (call) => this.loadAccounts(call),
      now: this.deps.now ?? Date.now,
    });
  }

  private loadAccounts(call: CallContext): Promise<BusinessAccount[]> {
    return this.accounts.get((signal) => this.askAccounts({ ...call, signal }), call.signal);
  }

  private async askAccounts(call: CallContext): Promise<BusinessAccount[]> {
    if (this.flavour.id === 'INSTAGRAM') {
      // Business Login for Instagram: the signed-in user is the account (graph.instagram.com/me).
      const me = await this.graph.get<{ user_id?: string; id?: string; username?: string; name?: string }>(['me'], { fields: 'user_id,username,name' }, call);
      const id = me.user_id ?? me.id;
      return id ? [{ id, username: me.username ?? '', name: me.name ?? me.username ?? '', pageId: '', pageName: '' }] : [];
    }
    const out: BusinessAccount[] = [];
    const fields = 'id,name,instagram_business_account{id,username,name,media_count}';
    for await (const page of this.graph.pages<{ id: string; name?: string; instagram_business_account?: { id: string; username?: string; name?: string; media_count?: number } }>(['me', 'accounts'], { fields, limit: 100 }, call)) {
      for (const p of page) {
        const ig = p.instagram_business_account;
        if (ig?.id) out.push({ id: ig.id, username: ig.username ?? '', name: ig.name ?? ig.username ?? '', pageId: p.id, pageName: p.name ?? '', ...(typeof ig.media_count === 'number' ? { mediaCount: ig.media_count } : {}) });
      }
    }
    return out;
  }

  businessAccounts(options: { signal?: AbortSignal } = {}): Promise<BusinessAccount[]> {
    return this.loadAccounts({ stats: emptyStats(), signal: options.signal, what: 'your business accounts' });
  }

  /** Cancels the running query (its reader sees CANCELLED) and any waiting; later queries are refused. */
  async close(): Promise<void> {
    this.closed = true;
    this.lifetime.abort();
    const engine = this.engine;
    this.engine = undefined;
    if (engine) await (await engine.catch(() => undefined))?.close();
  }
}

/** The token session of a connection (InitiateOAuth, the token store, the host's authorize). */
export function sessionFor(props: ConnectionProps, deps: ConnectDeps, logger: { addSecret(v: string): void }): TokenSession {
  return new TokenSession({
    mode: props.InitiateOAuth as InitiateOAuth,
    ...(props.OAuthAccessToken ? { given: props.OAuthAccessToken } : {}),
    ...(deps.tokenStore ? { store: deps.tokenStore } : {}),
    key: tokenStoreKey(props),
    app: oauthApp(props, { addSecret: (v) => logger.addSecret(v), now: deps.now ?? Date.now }),
    ...(deps.authorize ? { authorize: deps.authorize } : {}),
    redirectUri: props.CallbackURL ?? DEFAULT_CALLBACK_URL,
    scopes: (props.Scope ?? '').split(/[,\s]+/).filter(Boolean),
    ...(props.OAuthConfigId ? { configId: props.OAuthConfigId } : {}),
    now: deps.now ?? Date.now,
    addSecret: (v) => logger.addSecret(v),
  });
}

/**
 * Starts compiling the engine's WebAssembly (on another thread) ahead of connect(), for a caller with other work
 * to do first: the CLI starts its sandbox meanwhile (issue 11). Once per process, like the compile itself.
 */
export function prepareEngine(): void {
  compiledModule('wa-sqlite-async.wasm').catch(() => undefined);
}

/** Opens a connection. Nothing is sent to Graph until the first query or businessAccounts() call. */
export async function connect(input: string | Readonly<Record<string, string | number | boolean | undefined>>, deps: ConnectDeps = {}): Promise<Connection> {
  const props = parseConnectionProps(input);
  const sinks: Array<(line: string, level: 1 | 2 | 3 | 4 | 5) => void> = [];
  if (props.Logfile) sinks.push(fileSink(props.Logfile));
  if (deps.logger) sinks.push((line, level) => deps.logger!.log(level, line));
  const logger = new RedactingLogger(Number(props.Verbosity), sinks);
  for (const k of ['OAuthAccessToken', 'OAuthClientSecret', 'ProxyPassword', 'FirewallPassword']) logger.addSecret(props[k]);
  logger.log(3, `connect: ${JSON.stringify(redactProps(props))}`);
  if (props.SSLServerCert === '*') logger.log(1, `warning: SSLServerCert=* accepts any certificate for ${props.ApiBaseURL}: anyone between you and the server can read the token and the data. Use it for testing only.`);

  const session = sessionFor(props, deps, logger);
  const token = () => session.token();
  const graphOptions = {

    baseUrl: props.ApiBaseURL!,
    version: props.ApiVersion!,
    timeoutSeconds: Number(props.Timeout),
    logger,
    agent: agentsFor(props),
    https: tlsFor(props),
  };
  const graph = new GraphClient({
    ...graphOptions, token, recover: () => session.recover(),
    ...(props.OAuthClientSecret ? { appSecret: props.OAuthClientSecret } : {}),
  });
  // OAuth endpoints (code exchange, fb_exchange_token) authenticate the app, not a user: app access token.
  let appGraph: GraphClient | undefined;
  const app = () => (appGraph ??= new GraphClient({ ...graphOptions, token: async () => `${props.OAuthClientId}|${props.OAuthClientSecret}` }));
  const conn = new IgConnection(props, graph, logger, deps, { appGraph: app, token }, session);
  conn.warmUp();
  return conn;
}
