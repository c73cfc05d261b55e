/**
 * Prepares a statement without running it and reads the plan the virtual tables chose (issue 9): the editor's
 * diagnostics come from SQLite itself, so a syntax error or an unknown name is exactly what running would say,
 * and no Graph call is made.
 *
 * The plan comes from `EXPLAIN QUERY PLAN`: for a virtual table SQLite prints
 * `SCAN <table> [AS <alias>] VIRTUAL TABLE INDEX <idxNum>:<idxStr>`, and our xBestIndex writes the pushed key
 * columns into idxStr as JSON. Stepping an EXPLAIN QUERY PLAN statement calls xBestIndex only, never xFilter,
 * so nothing awaits inside SQLite (measured: the explain step never suspends).
 */
import type { KeyOp, PlanAccess, QueryPlan } from '../api';
import { IgsqlError } from '../errors';
import type { TableDef } from '../schema/types';
import { identifierText, splitStatements, tableReferences, tokenize } from '../sql/tokenize';
import { translateSqliteError, type NameSource } from './sql-errors';
import type { SQLiteAPI } from './sqlite';
import { missingRequiredKey } from './vtab';

const SQLITE_ROW = 100;
const DETAIL = /^(SCAN|SEARCH) (\S+)(?: AS (\S+))? VIRTUAL TABLE INDEX (-?\d+):(.*)$/s;

interface IdxPlan {
  keys?: Array<{ column: string; op: KeyOp } | 'LIMIT' | 'OFFSET'>;
}

/** Reads one EXPLAIN QUERY PLAN row; undefined for rows about something else than a virtual table. */
export function parsePlanRow(detail: string, parentIsLoop: boolean, tables: readonly TableDef[], aliases: ReadonlyMap<string, string> = new Map()): PlanAccess | undefined {
  const m = detail.match(DETAIL);
  if (!m) return undefined;
  // SQLite names an aliased table by its alias only ("SCAN m VIRTUAL TABLE …").
  const name = aliases.get(m[2]!.toLowerCase()) ?? m[2]!;
  const def = tables.find((t) => t.name.toLowerCase() === name.toLowerCase());
  if (!def) return undefined;
  let idx: IdxPlan = {};
  try {
    idx = JSON.parse(m[5]!) as IdxPlan;
  } catch {
    // not ours (a table without a plan string): treat as a plain scan
  }
  const keys = (idx.keys ?? []).filter((k): k is { column: string; op: KeyOp } => typeof k === "object").map((k) => ({ column: k.column, op: k.op }) as PlanAccess["keys"][number]);
  const missing = missingRequiredKey(def, (c) => keys.some((k) => k.op === '=' && k.column === c));
  const eq = keys.filter((k) => k.op === '=').map((k) => def.columns.find((c) => c.name === k.column)!);
  const read = eq.some((c) => c.name === 'Id' && c.group) ? 'id' : eq.some((c) => c.group || c.required) ? 'edge' : 'list';
  return {
    table: def.name,
    read,
    walks: def.walks ?? 'accounts',
    looksUpIds: !!def.looksUpIds,
    alias: m[3] ?? (name.toLowerCase() !== m[2]!.toLowerCase() ? m[2] : undefined),
    keys,
    limitPushed: (idx.keys ?? []).includes('LIMIT'),
    inner: parentIsLoop,
    missingKey: missing,
  };
}

/**
 * Plans every statement of `sql` (offsets in errors point into `sql`). EXEC statements are not SQLite's:
 * they are left out of the plan, and the caller checks them against the procedure list.
 */
export async function explainSql(sqlite3: SQLiteAPI, db: number, sql: string, tables: readonly TableDef[], names: NameSource): Promise<QueryPlan> {
  const plan: QueryPlan = { accesses: [], details: [] };
  for (const s of splitStatements(sql)) {
    if (/^\s*EXEC(UTE)?\b/i.test(s.text)) continue;
    const str = sqlite3.str_new(db, `EXPLAIN QUERY PLAN ${s.text}`);
    let stmt: number | undefined;
    try {
      let prepared: { stmt: number; sql: number } | null;
      try {
        prepared = await sqlite3.prepare_v2(db, sqlite3.str_value(str));
      } catch (e) {
        if (e instanceof IgsqlError) throw e;
        // EXPLAIN QUERY PLAN adds 19 characters before the statement: SQLite's message names tokens, not offsets.
        throw translateSqliteError((e as Error).message, sql, s.start, names);
      }
      if (!prepared) continue;
      stmt = prepared.stmt;
      const aliases = new Map<string, string>();
      for (const r of tableReferences(s.text)) if (r.alias) aliases.set(r.alias.toLowerCase(), r.table);
      // The plan is a tree (id, parent). Loops at one parent are listed outermost first, so a table after a
      // sibling loop runs once per outer row; so does everything under a CORRELATED subquery or an inner loop.
      const nodes = new Map<number, { parent: number; loopy: boolean }>();
      const loopsAt = new Map<number, number>();
      const first = plan.accesses.length;
      while ((await sqlite3.step(stmt)) === SQLITE_ROW) {
        const [id, parent, , detail] = sqlite3.row(stmt) as [number, number, number, string];
        plan.details.push(detail);
        const isLoop = /^(SCAN|SEARCH) /.test(detail);
        const parentLoopy = nodes.get(parent)?.loopy ?? false;
        const inner = parentLoopy || (isLoop && (loopsAt.get(parent) ?? 0) > 0);
        if (isLoop) loopsAt.set(parent, (loopsAt.get(parent) ?? 0) + 1);
        nodes.set(Number(id), { parent, loopy: inner || /^CORRELATED /.test(detail) });
        const access = parsePlanRow(detail, inner, tables, aliases);
        if (access) {
          for (const k of access.keys) if (k.op === '=') {
            const n = inListLength(s.text, k.column, access.alias);
            if (n !== undefined) k.values = n;
          }
          plan.accesses.push(access);
        }
      }
      markInline(plan.accesses.slice(first), tables);
    } finally {
      if (stmt !== undefined) await sqlite3.finalize(stmt).catch(() => undefined);
      sqlite3.str_finish(str);
    }
  }
  return plan;
}

/**
 * An edge read per outer row comes inline when an outer table of the statement asks for it (field expansion,
 * context.ts): the outer table `primes` the group the edge hangs off (Media → Comments, MediaChildren;
 * Comments → Replies), or the table's own listing walks those objects (Comments without a MediaId).
 */
function markInline(accesses: PlanAccess[], tables: readonly TableDef[]): void {
  const def = (name: string) => tables.find((t) => t.name === name);
  accesses.forEach((a, i) => {
    const d = def(a.table);
    const edge = d?.edge;
    if (!edge) return;
    // A listing of the table walks the media itself (Comments without MediaId): its edge comes with them.
    if (a.read === 'list' && d.walks === 'media' && edge.of === 'media') a.inline = true;
    if (!a.inner || a.read !== 'edge') return;
    if (accesses.slice(0, i).some((o) => def(o.table)?.primes === edge.of)) a.inline = true;
  });
}

/** Length of a literal `[alias.]column IN (…)` list in the statement, when there is one. */
export function inListLength(sql: string, column: string, alias?: string): number | undefined {
  const toks = tokenize(sql).filter((t) => t.type !== 'space' && t.type !== 'comment');
  for (let i = 0; i + 2 < toks.length; i++) {
    if (identifierText(toks[i]!).toLowerCase() !== column.toLowerCase()) continue;
    if (toks[i + 1]!.text.toUpperCase() !== 'IN' || toks[i + 2]!.text !== '(') continue;
    const q = toks[i - 1]?.text === '.' ? identifierText(toks[i - 2]!).toLowerCase() : undefined;
    if (q && alias && q !== alias.toLowerCase()) continue;
    let n = 0;
    for (let j = i + 3; j < toks.length && toks[j]!.text !== ')'; j++) {
      const t = toks[j]!;
      if (t.text === ',') continue;
      if (t.type !== 'string' && t.type !== 'number' && t.type !== 'param') return undefined; // a subquery
      n++;
    }
    return n;
  }
  return undefined;
}
