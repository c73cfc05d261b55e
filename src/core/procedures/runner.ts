/**
 * Runs EXEC statements (the engine hands them over before SQLite sees them): finds the procedure, checks the
 * arguments against its declared parameters, runs it with a context whose Graph calls are counted in the
 * statement's stats, and returns its rows as an ordinary QueryResult.
 */
import type { QueryOptions, QueryParams, QueryResult, QueryStats, ResultColumn, SqlType, SqlValue } from '../api';
import { IgsqlError, toIgsqlError } from '../errors';
import type { CallContext, Params } from '../graph/client';
import { isSecretProperty } from '../props';
import type { Row } from '../schema/types';
import { lineColumn, type Statement } from '../sql/tokenize';
import { didYouMean, nearest } from '../suggest';
import { isExec, parseExec, syntaxError } from './parse';
import type { ProcedureArgs, ProcedureContext, ProcedureDef, ProcedureHost, ProcedureParam, ProcedureServices } from './types';

function zeroStats(): QueryStats {
  return { apiCalls: 0, pages: 0, rows: 0, retries: 0, bytes: 0, elapsedMs: 0, notes: [] };
}

const cancelled = () => new IgsqlError('CANCELLED', 'The query was cancelled.');

export function parameterList(def: ProcedureDef): string {
  const ins = def.parameters.filter((p) => p.direction === 'in');
  return ins.length ? ins.map((p) => `${p.name}${p.required ? ' (required)' : ''}`).join(', ') : '(none)';
}

/** Converts an argument to the parameter's declared type; INVALID_VALUE when it cannot be. */
function coerce(def: ProcedureDef, p: ProcedureParam, value: SqlValue): SqlValue {
  const bad = (what: string) => new IgsqlError('INVALID_VALUE', `${def.name}: ${p.name} ${what}.`);
  if (value === null) return null;
  if (value instanceof Uint8Array) throw bad('cannot be a blob');
  let out: SqlValue = value;
  switch (p.type as SqlType) {
    case 'Integer': {
      const n = typeof value === 'string' ? Number(value.trim()) : Number(value);
      if (!Number.isSafeInteger(n)) throw bad(`must be a whole number (got '${String(value)}')`);
      out = n;
      break;
    }
    case 'Double': {
      const n = Number(value);
      if (!Number.isFinite(n)) throw bad(`must be a number (got '${String(value)}')`);
      out = n;
      break;
    }
    case 'Boolean': {
      const s = String(value).toLowerCase();
      if (!['true', 'false', '1', '0', 'yes', 'no'].includes(s)) throw bad(`must be true or false (got '${String(value)}')`);
      out = s === 'true' || s === '1' || s === 'yes' ? 1 : 0;
      break;
    }
    default:
      out = typeof value === 'bigint' ? value.toString() : String(value);
  }
  if (p.values && typeof out === 'string') {
    const canonical = p.values.find((v) => v.toLowerCase() === (out as string).toLowerCase());
    if (!canonical) throw bad(`must be one of ${p.values.join(', ')} (got '${out}')`);
    out = canonical;
  }
  return out;
}

export class ProcedureRunner implements ProcedureHost {
  private readonly byName: Map<string, ProcedureDef>;

  constructor(
    private readonly procedures: readonly ProcedureDef[],
    private readonly services: ProcedureServices,
  ) {
    this.byName = new Map(procedures.map((p) => [p.name.toLowerCase(), p]));
  }

  tryExec(sql: string, statements: readonly Statement[], params: QueryParams, options: QueryOptions): Promise<QueryResult> | undefined {
    const at = statements.findIndex((s) => isExec(s.text));
    if (at < 0) return undefined;
    if (statements.length > 1) {
      return Promise.reject(syntaxError(sql, statements[at]!.start, 'EXEC must be the only statement of a query: run it on its own, then the other statements'));
    }
    return this.exec(sql, statements[at]!, params, options);
  }

  private find(sql: string, name: string, offset: number): ProcedureDef {
    const def = this.byName.get(name.toLowerCase());
    if (def) return def;
    const all = this.procedures.map((p) => p.name);
    const suggestions = nearest(name, all);
    throw new IgsqlError('UNKNOWN_PROCEDURE', `Unknown procedure '${name}'.${didYouMean(suggestions)} Procedures: ${all.join(', ')}.`, { ...lineColumn(sql, offset), suggestions });
  }

  private async exec(sql: string, stmt: Statement, params: QueryParams, options: QueryOptions): Promise<QueryResult> {
    const started = Date.now();
    const call = parseExec(sql, stmt, params);
    const def = this.find(sql, call.name, call.offset);
    const args: Record<string, SqlValue> = {};
    const inputs = def.parameters.filter((p) => p.direction === 'in');
    for (const a of call.args) {
      const p = inputs.find((x) => x.name.toLowerCase() === a.name.toLowerCase());
      if (!p) {
        const suggestions = nearest(a.name, inputs.map((x) => x.name));
        throw new IgsqlError('INVALID_VALUE', `${def.name} has no parameter '${a.name}'.${didYouMean(suggestions)} Its parameters: ${parameterList(def)}.`, { ...lineColumn(sql, a.offset), suggestions });
      }
      if (p.name in args) throw new IgsqlError('INVALID_VALUE', `${def.name}: ${p.name} is given twice.`, lineColumn(sql, a.offset));
      args[p.name] = coerce(def, p, a.value);
    }
    const missing = inputs.filter((p) => p.required && (args[p.name] === undefined || args[p.name] === null || args[p.name] === ''));
    if (missing.length) {
      throw new IgsqlError('INVALID_VALUE', `${def.name} needs ${missing.map((p) => p.name).join(' and ')}. Its parameters: ${parameterList(def)}. Example: EXEC ${def.name} ${missing.map((p) => `@${p.name} = '…'`).join(', ')}`);
    }

    const stats = zeroStats();
    let lastProgress = 0;
    const progress = () => {
      stats.elapsedMs = Date.now() - started;
      if (options.onProgress && stats.elapsedMs - lastProgress >= 100) {
        lastProgress = stats.elapsedMs;
        options.onProgress(stats);
      }
    };
    const ctx = this.context(def, stats, options.signal, progress);
    let rows: Row[];
    try {
      if (options.signal?.aborted) throw cancelled();
      rows = await def.run(ctx, args as ProcedureArgs);
    } catch (e) {
      throw options.signal?.aborted ? cancelled() : toIgsqlError(e);
    } finally {
      stats.elapsedMs = Date.now() - started;
    }
    const outs = def.parameters.filter((p) => p.direction === 'out');
    const columns: ResultColumn[] = outs.map((p) => ({ name: p.name, type: p.type }));
    async function* stream(): AsyncGenerator<SqlValue[]> {
      for (const r of rows) {
        if (options.signal?.aborted) throw cancelled();
        stats.rows++;
        yield outs.map((p) => {
          const v = r[p.name];
          return v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v;
        });
      }
    }
    return { columns, rows: stream(), stats, changes: () => 0 };
  }

  private context(def: ProcedureDef, stats: QueryStats, signal: AbortSignal | undefined, progress: () => void): ProcedureContext {
    const s = this.services;
    const call = (what: string): CallContext => ({ stats, signal, what });
    const counted = async <T>(f: () => Promise<T>): Promise<T> => {
      const out = await f();
      progress();
      return out;
    };
    const requireProps = (names: readonly string[], purpose: string) => {
      const missing = names.filter((n) => !s.props[n]);
      if (missing.length) {
        const secretNote = missing.some(isSecretProperty) ? ' (keep the secret out of shared settings: the extension stores it in SecretStorage)' : '';
        throw new IgsqlError('INVALID_PROPERTY', `${def.name} needs the connection propert${missing.length > 1 ? 'ies' : 'y'} ${missing.join(' and ')} for ${purpose}: set ${missing.length > 1 ? 'them' : 'it'} to your Facebook app's ${missing.map((m) => (m === 'OAuthClientId' ? 'App ID' : m === 'OAuthClientSecret' ? 'App Secret' : m)).join(' and ')}${secretNote}.`, { property: missing[0] });
      }
    };
    return {
      props: s.props,
      signal,
      now: s.now,
      get: (segments, params: Params, what) => counted(() => s.graph.get(segments, params, call(what))),
      post: (segments, params: Params, what) => counted(() => s.graph.post(segments, params, call(what))),
      oauthGet: (segments, params: Params, what) => {
        requireProps(['OAuthClientId', 'OAuthClientSecret'], what);
        return counted(() => s.appGraph().get(segments, params, call(what)));
      },
      requireProps,
      currentToken: () => s.currentToken(),
      storeToken: async (token) => {
        if (!s.tokenStore) return false;
        await s.tokenStore.set(s.tokenKey, token);
        return true;
      },
      addSecret: (v) => s.addSecret(v),
      businessAccounts: () => counted(() => s.businessAccounts(call('your business accounts'))),
      sleep: (ms) =>
        new Promise<void>((resolve, reject) => {
          if (signal?.aborted) return reject(cancelled());
          const onAbort = () => {
            clearTimeout(timer);
            reject(cancelled());
          };
          const timer = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          }, ms);
          signal?.addEventListener('abort', onAbort, { once: true });
        }),
      note: (m) => {
        if (!stats.notes.includes(m)) stats.notes.push(m);
      },
    };
  }
}
