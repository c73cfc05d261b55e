/**
 * Diagnostics from the engine itself: each statement is prepared in SQLite without running (no Graph call),
 * so syntax errors and unknown names are exactly what running would report; the plan SQLite chose gives the
 * estimated Graph calls (information, or a warning when it is many) and MISSING_KEY before anything is sent.
 */
import type { QueryPlan } from '../core/api';
import { identifierText, lineColumn, tokenize } from '../core/sql/tokenize';
import { didYouMean, nearest } from '../core/suggest';
import type { Catalog } from './catalog';
import { estimateCalls, type Workload } from './estimate';
import { codeTokens, statementScope } from './scope';
import { splitStatements, type Statement } from './statements';

export type Severity = 'error' | 'warning' | 'information';

export interface Diagnostic {
  from: number;
  to: number;
  severity: Severity;
  /** IgsqlError code (SQL_SYNTAX, UNKNOWN_TABLE, MISSING_KEY…) or GRAPH_CALLS for an estimate. */
  code: string;
  message: string;
  /** Estimated Graph calls of the statement (GRAPH_CALLS only). */
  calls?: number;
}

/** Prepares a statement without running it (Connection.explain). */
export type Explain = (sql: string) => Promise<QueryPlan>;

/** An estimate at or above this many calls is a warning rather than information. */
export const WARN_CALLS = 20;

interface ErrorLike {
  code?: string;
  message?: string;
  details?: { line?: number; column?: number };
  line?: number;
  column?: number;
}

function offsetOf(text: string, line: number, column: number): number {
  let l = 1;
  let i = 0;
  while (l < line && i < text.length) {
    if (text[i] === '\n') l++;
    i++;
  }
  return i + column - 1;
}

/** The word at `offset` (or the statement's first word): the range a squiggle covers. */
function wordRange(s: Statement, rel: number): { from: number; to: number } {
  const t = tokenize(s.text).find((x) => x.start >= rel && x.type !== 'space') ?? tokenize(s.text).find((x) => x.type !== 'space');
  return t ? { from: s.start + t.start, to: s.start + t.end } : { from: s.start, to: s.end };
}

export class DiagnosticsEngine {
  /** Plans (or errors) by statement text: an edit elsewhere in the file does not prepare this one again. */
  private readonly cache = new Map<string, QueryPlan | ErrorLike>();

  constructor(
    private readonly catalog: Catalog,
    private readonly explain: Explain,
    private readonly workload: () => Workload | undefined,
  ) {}

  /** Diagnostics by statement text, relative to the statement: unchanged statements cost a lookup. */
  private readonly results = new Map<string, Diagnostic[]>();
  private resultsFor?: Workload;

  async diagnose(text: string): Promise<Diagnostic[]> {
    const w = this.workload();
    if (w !== this.resultsFor) {
      this.results.clear();
      this.resultsFor = w;
    }
    const out: Diagnostic[] = [];
    for (const s of splitStatements(text)) {
      let rel = this.results.get(s.text);
      if (!rel) {
        rel = await this.statement({ text: s.text, start: 0, end: s.text.length });
        if (this.results.size > 1000) this.results.clear();
        this.results.set(s.text, rel);
      }
      for (const d of rel) out.push({ ...d, from: d.from + s.start, to: d.to + s.start });
    }
    return out;
  }

  private async plan(s: Statement): Promise<QueryPlan | ErrorLike> {
    let hit = this.cache.get(s.text);
    if (!hit) {
      try {
        hit = await this.explain(s.text);
      } catch (e) {
        hit = e as ErrorLike;
      }
      if (this.cache.size > 500) this.cache.clear();
      this.cache.set(s.text, hit);
    }
    return hit;
  }

  async statement(s: Statement): Promise<Diagnostic[]> {
    const toks = codeTokens(s.text);
    const first = toks[0]?.text.toUpperCase();
    if (first === 'EXEC' || first === 'EXECUTE') return this.exec(s);
    const result = await this.plan(s);
    if (!('accesses' in result)) {
      const e = result;
      const line = e.details?.line ?? e.line;
      const column = e.details?.column ?? e.column;
      const range = line && column ? wordRange(s, offsetOf(s.text, line, column)) : { from: s.start, to: s.end };
      // The core's message says "at line L, column C" of the statement; the squiggle already shows where.
      const message = (e.message ?? String(e)).replace(/ at line \d+, column \d+/, '');
      return [{ ...range, severity: 'error', code: e.code ?? 'SQL_ERROR', message }];
    }
    const out: Diagnostic[] = [];
    const scope = statementScope(s.text, this.catalog);
    const rangeOf = (table: string, alias?: string) => {
      const src = scope.find((x) => (alias && x.name.toLowerCase() === alias.toLowerCase()) || x.table?.toLowerCase() === table.toLowerCase());
      return src ? wordRange(s, src.offset) : wordRange(s, 0);
    };
    for (const a of result.accesses) {
      if (!a.missingKey) continue;
      const first = a.missingKey.split(' or ')[0]!;
      out.push({ ...rangeOf(a.table, a.alias), severity: 'error', code: 'MISSING_KEY', message: `MISSING_KEY: ${a.table} needs ${a.missingKey.split(' or ').map((c) => `${c} = …`).join(' or ')} (add WHERE ${first} = '…', ${first} IN (…), or join on ${first}).` });
    }
    const w = this.workload();
    if (w && result.accesses.length && !out.length) {
      const est = estimateCalls(result, w, (t) => this.catalog.table(t)?.columns.filter((c) => c.keyOps.length).map((c) => c.name) ?? []);
      const main = [...est.accesses].sort((x, y) => y.calls - x.calls)[0];
      if (main) {
        const detail = est.accesses.length > 1 ? ` (${est.accesses.map((x) => `${x.access.alias ?? x.access.table}: ${x.calls}`).join(', ')})` : '';
        out.push({
          ...rangeOf(main.access.table, main.access.alias),
          severity: est.calls >= WARN_CALLS ? 'warning' : 'information',
          code: 'GRAPH_CALLS',
          message: `${est.atLeast ? 'at least ' : ''}~${est.calls} Graph call${est.calls === 1 ? '' : 's'}: ${main.message}${detail}.`,
          calls: est.calls,
        });
      }
    }
    return out;
  }

  /** EXEC is the engine's, not SQLite's: check the procedure and parameter names against the catalog. */
  private exec(s: Statement): Diagnostic[] {
    const toks = codeTokens(s.text);
    const nameTok = toks[1];
    if (!nameTok) return [{ from: s.start, to: s.end, severity: 'error', code: 'SQL_SYNTAX', message: 'EXEC needs a procedure name: EXEC ProcedureName @Param = value.' }];
    const name = identifierText(nameTok);
    const proc = this.catalog.procedure(name);
    const at = (t: { start: number; end: number }) => ({ from: s.start + t.start, to: s.start + t.end });
    if (!proc) {
      const suggestions = nearest(name, this.catalog.procedures.map((p) => p.name));
      return [{ ...at(nameTok), severity: 'error', code: 'UNKNOWN_PROCEDURE', message: `Unknown procedure '${name}'.${didYouMean(suggestions)}` }];
    }
    const out: Diagnostic[] = [];
    const given = new Set<string>();
    for (let i = 2; i < toks.length; i++) {
      const t = toks[i]!;
      if (toks[i + 1]?.text !== '=' || (t.type !== 'param' && t.type !== 'word')) continue;
      const pname = t.text.replace(/^@/, '');
      const p = proc.parameters.find((x) => x.direction === 'in' && x.name.toLowerCase() === pname.toLowerCase());
      if (p) given.add(p.name);
      else {
        const suggestions = nearest(pname, proc.parameters.filter((x) => x.direction === 'in').map((x) => x.name));
        out.push({ ...at(t), severity: 'error', code: 'INVALID_VALUE', message: `${proc.name} has no parameter @${pname}.${didYouMean(suggestions.map((x) => '@' + x))}` });
      }
    }
    const missing = proc.parameters.filter((p) => p.direction === 'in' && p.required && !given.has(p.name));
    if (missing.length) out.push({ ...at(nameTok), severity: 'error', code: 'MISSING_PARAMETER', message: `${proc.name} needs ${missing.map((p) => `@${p.name}`).join(', ')}.` });
    return out;
  }

  clear(): void {
    this.cache.clear();
    this.results.clear();
  }
}

export { lineColumn };
