/**
 * Reads literal `col IN ('a', 'b', …)` lists from a statement before it runs and publishes them to the
 * query session's batch registry (DESIGN §3): SQLite will then ask for one value at a time, and the first ask fetches the
 * whole list in batches. Values may be literals or bound parameters.
 */
import type { QueryParams, SqlValue } from '../api';
import type { QuerySession } from './session';
import type { KeyGroup, TableDef } from '../schema/types';
import { keyOps } from './quals';
import { identifierText, tableReferences, tokenize, type Token } from '../sql/tokenize';

function paramValue(t: Token, positional: number, params: QueryParams): SqlValue | boolean | undefined {
  if (t.text.startsWith('?')) {
    const idx = t.text.length > 1 ? Number(t.text.slice(1)) - 1 : positional;
    return Array.isArray(params) ? params[idx] : params[String(idx + 1)];
  }
  if (Array.isArray(params)) return undefined;
  const name = t.text.slice(1).toLowerCase();
  const hit = Object.entries(params).find(([k]) => k.replace(/^[@:$]/, '').toLowerCase() === name);
  return hit?.[1];
}

export function publishInLists(sql: string, tables: readonly TableDef[], params: QueryParams, session: Pick<QuerySession, 'publish'>): void {
  const toks = tokenize(sql).filter((t) => t.type !== 'space' && t.type !== 'comment');
  const refs = tableReferences(sql);
  const byName = new Map(tables.map((t) => [t.name.toLowerCase(), t]));
  /** Groups of `column`: of the aliased table when qualified, else of every referenced table that has it. */
  const groupsOf = (column: string, qualifier: string | undefined): KeyGroup[] => {
    const scope = refs.filter((r) => !qualifier || (r.alias ?? r.table).toLowerCase() === qualifier.toLowerCase());
    const groups = new Set<KeyGroup>();
    for (const r of scope) {
      const t = byName.get(r.table.toLowerCase());
      const c = t?.columns.find((c) => c.name.toLowerCase() === column.toLowerCase());
      if (t && c?.group && keyOps(t, c.name).includes('=')) groups.add(c.group);
    }
    return [...groups];
  };
  let positional = 0;
  const positions = new Map<Token, number>();
  for (const t of toks) if (t.type === 'param' && t.text === '?') positions.set(t, positional++);
  for (let i = 0; i + 2 < toks.length; i++) {
    const col = toks[i]!;
    if ((col.type !== 'word' && col.type !== 'quoted') || toks[i + 1]!.text.toUpperCase() !== 'IN' || toks[i + 2]!.text !== '(') continue;
    const qualifier = toks[i - 1]?.text === '.' && toks[i - 2] ? identifierText(toks[i - 2]!) : undefined;
    const groups = groupsOf(identifierText(col), qualifier);
    if (!groups.length) continue;
    const values: string[] = [];
    let j = i + 3;
    let literal = true;
    for (; j < toks.length && toks[j]!.text !== ')'; j++) {
      const t = toks[j]!;
      if (t.text === ',') continue;
      let v: SqlValue | boolean | undefined;
      if (t.type === 'string') v = t.text.slice(1, -1).split("''").join("'");
      else if (t.type === 'number') v = t.text;
      else if (t.type === 'param') v = paramValue(t, positions.get(t) ?? 0, params);
      else { literal = false; break; } // a subquery: its rows are published by the listing that produces them
      if (v !== undefined && v !== null) values.push(String(v));
    }
    if (literal && values.length > 1) for (const g of groups) session.publish(g, values.map((id) => ({ id })));
  }
}
