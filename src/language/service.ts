/**
 * The language service: one per connection, shared by the native editor and the Monaco console. Host-free
 * (no vscode, no monaco); offsets in, offsets out.
 */
import type { Connection } from '../core/api';
import { Catalog } from './catalog';
import { Completer, type CompletionList } from './completion';
import { DiagnosticsEngine, type Diagnostic, type Explain } from './diagnostics';
import type { Workload } from './estimate';
import { hoverAt, type Hover } from './hover';
import { splitStatements, statementAtCaret, type Statement } from './statements';
import { codeTokens } from './scope';
import { identifierText } from '../core/sql/tokenize';
import type { ProcedureInfo, QueryPlan } from '../core/api';
import { estimateCalls, type Estimate } from './estimate';

export interface ExplainReport {
  /** SQLite's EXPLAIN QUERY PLAN lines. */
  plan: string[];
  estimate?: Estimate;
  diagnostics: Diagnostic[];
  /** Markdown: the estimate and, per table, the keys Graph gets. */
  text: string;
}

export interface SignatureHelp {
  procedure: ProcedureInfo;
  /** Index of the parameter being written, among the procedure's input parameters. */
  active: number;
  label: string;
}

export interface LanguageServiceSource {
  connection: Pick<Connection, 'tables' | 'procedures' | 'table' | 'explain'>;
  /** Reads what the call estimate needs (account media counts); called once, in the background. */
  loadWorkload?: () => Promise<Workload>;
}

export class LanguageService {
  readonly catalog: Catalog;
  private readonly completer: Completer;
  private readonly diagnostics: DiagnosticsEngine;
  private workload?: Workload;
  private workloadLoading?: Promise<void>;

  constructor(private readonly source: LanguageServiceSource) {
    this.catalog = new Catalog(source.connection);
    this.completer = new Completer(this.catalog);
    const explain: Explain = (sql) => source.connection.explain(sql);
    this.diagnostics = new DiagnosticsEngine(this.catalog, explain, () => this.workload);
  }

  complete(text: string, offset: number): CompletionList {
    return this.completer.complete(text, offset);
  }

  hover(text: string, offset: number): Hover | undefined {
    return hoverAt(this.catalog, text, offset);
  }

  /** Errors, MISSING_KEY and estimated Graph calls for every statement; prepares without running. */
  async diagnose(text: string): Promise<Diagnostic[]> {
    await this.ensureWorkload();
    return this.diagnostics.diagnose(text);
  }

  /** Known data sizes for estimates; set by tests and by the host when it has them. */
  setWorkload(w: Workload): void {
    this.workload = w;
  }

  private async ensureWorkload(): Promise<void> {
    if (this.workload || !this.source.loadWorkload) return;
    this.workloadLoading ??= this.source.loadWorkload().then(
      (w) => { this.workload = w; },
      () => { this.workloadLoading = undefined; }, // retried on the next diagnose
    );
    await this.workloadLoading;
  }

  /** The Explain view of one statement: SQLite's plan lines, the estimate per table, and the diagnostics. */
  async explain(sql: string): Promise<ExplainReport> {
    await this.ensureWorkload();
    const diagnostics = await this.diagnostics.diagnose(sql);
    if (/^\s*EXEC(UTE)?\b/i.test(sql)) return { plan: [], diagnostics, text: 'EXEC runs a stored procedure: its Graph calls depend on the procedure.' };
    let plan: QueryPlan;
    try {
      plan = await this.source.connection.explain(sql);
    } catch {
      return { plan: [], diagnostics, text: diagnostics.map((d) => d.message).join('\n') };
    }
    const est = this.workload ? estimateCalls(plan, this.workload, (t) => this.catalog.table(t)?.columns.filter((c) => c.keyOps.length).map((c) => c.name) ?? []) : undefined;
    const lines = plan.accesses.map((a) => {
      const e = est?.accesses.find((x) => x.access === a);
      const keys = a.keys.length ? a.keys.map((k) => `${k.column} ${k.op}${k.values ? ` (${k.values} values)` : ''}`).join(', ') : 'no key: a listing';
      return `- ${a.alias ? `${a.alias} = ` : ''}${a.table}: ${keys}${a.inner ? ', once per outer row' : ''}${a.missingKey ? ` — MISSING_KEY: needs ${a.missingKey}` : e ? ` — ${e.message}` : ''}`;
    });
    const total = est ? `Estimated Graph calls: ${est.atLeast ? 'at least ' : ''}~${est.calls}` : 'Estimated Graph calls: unknown (the data sizes are not loaded)';
    return { plan: plan.details, estimate: est, diagnostics, text: [total, '', ...lines].join('\n') };
  }

  statements(text: string): Statement[] {
    return splitStatements(text);
  }

  statementAt(text: string, offset: number): Statement {
    return statementAtCaret(text, offset);
  }

  /** Inside `EXEC Proc @A = 1, |`: the procedure and the parameter being written. */
  signatureHelp(text: string, offset: number): SignatureHelp | undefined {
    const s = statementAtCaret(text, offset);
    const toks = codeTokens(s.text.slice(0, offset - s.start));
    if (!/^EXEC(UTE)?$/i.test(toks[0]?.text ?? '') || !toks[1]) return undefined;
    const procedure = this.catalog.procedure(identifierText(toks[1]));
    if (!procedure || toks.length < 2 || (toks.length === 2 && !/\s$/.test(s.text.slice(0, offset - s.start)))) return undefined;
    const inputs = procedure.parameters.filter((p) => p.direction === 'in');
    let active = toks.slice(2).filter((t) => t.text === ',').length;
    const named = [...toks].reverse().find((t) => t.type === 'param' || (t.type === 'word' && inputs.some((p) => p.name.toLowerCase() === t.text.toLowerCase())));
    if (named) {
      const i = inputs.findIndex((p) => p.name.toLowerCase() === named.text.replace(/^@/, '').toLowerCase());
      if (i >= 0 && toks[toks.length - 1]?.text !== ',') active = i;
    }
    const label = `EXEC ${procedure.name} ${inputs.map((p) => `@${p.name} = ${p.type}${p.required ? '' : '?'}`).join(', ')}`;
    return { procedure, active: Math.min(active, inputs.length - 1), label };
  }
}

/**
 * The data sizes the editor can know for free: each account's media count comes with the business-account
 * list the explorer reads anyway (one call per connection, cached). Comment pages beyond the first are not
 * known this way: estimates of comment walks are then lower bounds ("at least").
 */
export function workloadFromAccounts(accounts: ReadonlyArray<{ id: string; mediaCount?: number }>, pageSize: number, only?: readonly string[]): Workload {
  const chosen = only?.length ? accounts.filter((a) => only.includes(a.id)) : accounts;
  return { mediaPerAccount: chosen.map((a) => a.mediaCount ?? 0), pageSize };
}

/**
 * The data sizes behind a connection, measured (a few calls) (a few calls): each account's media count
 * (InstagramBusinessProfile, one call per account) and, from the newest page of media, how many comment pages
 * beyond the first a media needs on average.
 */
export async function loadWorkload(conn: Pick<Connection, 'query'>, pageSize: number, businessAccountId?: string): Promise<Workload> {
  const rows = async (sql: string, params: string[] = []) => {
    // The accounts queries will read: the one chosen in the editor, else the connection's default ones.
    const res = await conn.query(sql, params, businessAccountId ? { businessAccountId } : {});
    const out: Array<Array<unknown>> = [];
    for await (const row of res.rows) out.push(row);
    return out;
  };
  const mediaPerAccount = (await rows('SELECT MediaCount FROM InstagramBusinessProfile')).map((r) => Number(r[0] ?? 0));
  // CommentsCount includes replies, which Comments does not page through: count the top-level comments of the
  // sampled media that might need a second page (more than 50 in all), and only those.
  const sample = await rows(`SELECT Id, CommentsCount FROM Media LIMIT ${pageSize}`);
  const heavy = sample.filter((r) => Number(r[1] ?? 0) > 50).map((r) => String(r[0]));
  let followUps = 0;
  let second = 0;
  if (heavy.length) {
    const counts = await rows(`SELECT MediaId, count(*) FROM Comments WHERE MediaId IN (${heavy.map(() => '?').join(', ')}) GROUP BY MediaId`, heavy);
    followUps = counts.reduce((s, r) => s + Math.max(0, Math.ceil(Number(r[1]) / 50) - 1), 0);
    second = counts.filter((r) => Number(r[1]) > 50).length;
  }
  return { mediaPerAccount, pageSize, commentFollowUps: sample.length ? followUps / sample.length : 0, commentSecondPages: sample.length ? second / sample.length : 0 };
}