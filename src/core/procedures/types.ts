/**
 * What a stored procedure declares (DESIGN §3, DATA-MODEL "Stored procedures"): one procedure per file, run by
 * `EXEC name @Param = value, …`. The runner validates the arguments against `parameters` before `run` is
 * called, so `run` sees only declared, canonical names with values of the declared type.
 */
import type { BusinessAccount, ProcedureParameter, QueryOptions, QueryParams, QueryResult, SqlValue, TokenStore } from '../api';
import type { CallContext, GraphClient, Params } from '../graph/client';
import type { ConnectionProps } from '../props';
import type { Row } from '../schema/types';
import type { Statement } from '../sql/tokenize';

export interface ProcedureParam extends ProcedureParameter {
  /** Allowed values (case-insensitive; the canonical spelling is passed to `run`). */
  values?: readonly string[];
}

/** Arguments by canonical parameter name; a parameter that was not passed is absent. */
export type ProcedureArgs = Readonly<Record<string, SqlValue>>;

/** What a procedure can use while it runs. Every Graph call goes through here, so it is counted in the stats. */
export interface ProcedureContext {
  /** The connection's properties (defaults filled in). */
  readonly props: ConnectionProps;
  readonly signal?: AbortSignal;
  readonly now: () => number;
  /** Graph with the connection's user token. */
  get<T>(segments: readonly string[], params: Params, what: string): Promise<T>;
  /** A write: never retried (a lost answer is WRITE_UNKNOWN_OUTCOME). */
  post<T>(segments: readonly string[], params: Params, what: string): Promise<T>;
  /**
   * Graph's OAuth endpoints, authenticated as the app (OAuthClientId + OAuthClientSecret). Fails with
   * INVALID_PROPERTY naming the missing properties before anything is sent.
   */
  oauthGet<T>(segments: readonly string[], params: Params, what: string): Promise<T>;
  /** Throws INVALID_PROPERTY naming every listed connection property that is not set, for `purpose`. */
  requireProps(names: readonly string[], purpose: string): void;
  /** The token the connection would use now (OAuthAccessToken, else the token store), if any. */
  currentToken(): Promise<string | undefined>;
  /** Saves a token in the connection's token store, where the connection's queries look for it; false without a store. */
  storeToken(token: string): Promise<boolean>;
  /** Marks a value (a token) as secret: the log never shows it. */
  addSecret(value: string): void;
  /** Business accounts the token can see (cached for the connection). */
  businessAccounts(): Promise<BusinessAccount[]>;
  /** Waits, or fails with CANCELLED as soon as the query's signal aborts. */
  sleep(ms: number): Promise<void>;
  /** A remark shown with the statement's stats. */
  note(message: string): void;
}

export interface ProcedureDef {
  name: string;
  description: string;
  /** Inputs ('in') and the result columns ('out'), in order. */
  parameters: ProcedureParam[];
  /** Rows keyed by the 'out' parameter names. */
  run(ctx: ProcedureContext, args: ProcedureArgs): Promise<Row[]>;
}

/** What the connection provides to procedures (wired in connection.ts). */
export interface ProcedureServices {
  props: ConnectionProps;
  /** The connection's Graph client (user token). */
  graph: GraphClient;
  /** A Graph client authenticated with the app access token `OAuthClientId|OAuthClientSecret` (made on demand). */
  appGraph(): GraphClient;
  tokenStore?: TokenStore;
  /** The token-store key the connection reads its token from. */
  tokenKey: string;
  currentToken(): Promise<string | undefined>;
  addSecret(value: string): void;
  businessAccounts(call: CallContext): Promise<BusinessAccount[]>;
  now: () => number;
}

/** The engine's EXEC hook: a result for an EXEC statement, undefined for anything else. */
export interface ProcedureHost {
  tryExec(sql: string, statements: readonly Statement[], params: QueryParams, options: QueryOptions): Promise<QueryResult> | undefined;
}
