/**
 * The tables a statement reads and the names they go by, from our tokenizer (it survives half-typed SQL,
 * which no parser does): `FROM Media m`, `JOIN Comments AS c`, CTEs `WITH x AS (SELECT …)` and derived
 * tables `(SELECT …) s`, with the columns those expose.
 */
import { identifierText, tokenize, type Token } from '../core/sql/tokenize';
import type { Catalog } from './catalog';

export interface ScopeColumn {
  name: string;
  /** The schema table the column comes from, when it is a plain column of one. */
  table?: string;
}

export interface ScopeSource {
  /** The name the statement uses: alias, CTE name or table name. */
  name: string;
  /** The schema table, for a table reference (undefined for CTEs and derived tables). */
  table?: string;
  columns: ScopeColumn[];
  /** Offset of the reference in the statement text. */
  offset: number;
}

const CLAUSE = /^(WHERE|JOIN|ON|USING|GROUP|ORDER|LIMIT|LEFT|RIGHT|FULL|INNER|CROSS|NATURAL|OUTER|UNION|EXCEPT|INTERSECT|HAVING|WINDOW|SET|VALUES|SELECT|DEFAULT|AS|WITH|FROM)$/i;

export function codeTokens(text: string): Token[] {
  return tokenize(text).filter((t) => t.type !== 'space' && t.type !== 'comment');
}

function isName(t: Token | undefined): t is Token {
  return !!t && (t.type === 'quoted' || (t.type === 'word' && !CLAUSE.test(t.text)));
}

/** Index of the `)` matching the `(` at `open`, or the last index when unbalanced (half-typed SQL). */
function closing(toks: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    if (toks[i]!.text === '(') depth++;
    else if (toks[i]!.text === ')' && --depth === 0) return i;
  }
  return toks.length - 1;
}

/** Output names of a SELECT: `AS name`, a trailing bare alias, `t.col` → col, `*` / `t.*` expanded. */
function selectColumns(toks: Token[], catalog: Catalog): ScopeColumn[] {
  const sel = toks.findIndex((t) => t.type === 'word' && /^SELECT$/i.test(t.text));
  if (sel < 0) return [];
  const inner = sources(toks, catalog, new Map());
  const items: Token[][] = [[]];
  let depth = 0;
  for (let i = sel + 1; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (depth === 0 && t.type === 'word' && /^FROM$/i.test(t.text)) break;
    if (depth === 0 && t.text === ',') { items.push([]); continue; }
    if (depth === 0 && items.length === 1 && !items[0]!.length && t.type === 'word' && /^(DISTINCT|ALL)$/i.test(t.text)) continue;
    items[items.length - 1]!.push(t);
  }
  const out: ScopeColumn[] = [];
  for (const item of items) {
    if (!item.length) continue;
    const last = item[item.length - 1]!;
    if (last.text === '*') {
      const q = item.length >= 3 && item[item.length - 2]!.text === '.' ? identifierText(item[item.length - 3]!) : undefined;
      for (const s of inner) if (!q || s.name.toLowerCase() === q.toLowerCase()) out.push(...s.columns);
      continue;
    }
    if (last.type !== 'word' && last.type !== 'quoted') continue;
    const name = identifierText(last);
    const prev = item[item.length - 2];
    let table: string | undefined;
    if (prev?.text === '.' && item.length === 3) {
      const src = inner.find((s) => s.name.toLowerCase() === identifierText(item[0]!).toLowerCase());
      table = src?.table;
    } else if (item.length === 1) {
      table = inner.find((s) => s.table && catalog.column(s.table, name))?.table;
    }
    out.push({ name, table });
  }
  return out;
}

function tableColumns(catalog: Catalog, table: string): ScopeColumn[] {
  return (catalog.table(table)?.columns ?? []).map((c) => ({ name: c.name, table }));
}

/** CTEs declared by `WITH` at the start of the statement. */
function ctes(toks: Token[], catalog: Catalog): Map<string, ScopeSource> {
  const out = new Map<string, ScopeSource>();
  if (!/^WITH$/i.test(toks[0]?.text ?? '')) return out;
  let i = 1;
  if (/^RECURSIVE$/i.test(toks[i]?.text ?? '')) i++;
  while (isName(toks[i])) {
    const nameTok = toks[i]!;
    let j = i + 1;
    let explicit: string[] | undefined;
    if (toks[j]?.text === '(') {
      const end = closing(toks, j);
      explicit = toks.slice(j + 1, end).filter((t) => t.type === 'word' || t.type === 'quoted').map(identifierText);
      j = end + 1;
    }
    if (!/^AS$/i.test(toks[j]?.text ?? '') || toks[j + 1]?.text !== '(') break;
    const end = closing(toks, j + 1);
    const body = toks.slice(j + 2, end);
    const name = identifierText(nameTok);
    const columns = explicit ? explicit.map((n) => ({ name: n })) : selectColumns(body, catalog);
    out.set(name.toLowerCase(), { name, columns, offset: nameTok.start });
    i = end + 1;
    if (toks[i]?.text !== ',') break;
    i++;
  }
  return out;
}

/** Every table, CTE and derived table referenced after FROM / JOIN / UPDATE / INTO, at any depth. */
function sources(toks: Token[], catalog: Catalog, withs: Map<string, ScopeSource>): ScopeSource[] {
  const out: ScopeSource[] = [];
  for (let i = 0; i < toks.length - 1; i++) {
    const kw = toks[i]!;
    if (kw.type !== 'word' || !/^(FROM|JOIN|UPDATE|INTO)$/i.test(kw.text)) continue;
    let j = i + 1;
    for (;;) {
      let src: ScopeSource | undefined;
      if (toks[j]?.text === '(') {
        const end = closing(toks, j);
        src = { name: '', columns: selectColumns(toks.slice(j + 1, end), catalog), offset: toks[j]!.start };
        j = end + 1;
      } else if (isName(toks[j])) {
        const name = identifierText(toks[j]!);
        const cte = withs.get(name.toLowerCase());
        src = cte ? { ...cte, offset: toks[j]!.start } : { name, table: catalog.table(name)?.name ?? name, columns: tableColumns(catalog, name), offset: toks[j]!.start };
        j++;
      } else break;
      if (/^AS$/i.test(toks[j]?.text ?? '')) j++;
      if (isName(toks[j])) { src.name = identifierText(toks[j]!); j++; }
      if (src.name) out.push(src);
      if (toks[j]?.text !== ',') break;
      j++;
    }
  }
  return out;
}

/** The sources a statement can name, CTEs first. */
export function statementScope(text: string, catalog: Catalog): ScopeSource[] {
  const toks = codeTokens(text);
  const withs = ctes(toks, catalog);
  return sources(toks, catalog, withs);
}

/** The CTEs of a statement (offered after FROM as well as tables). */
export function statementCtes(text: string, catalog: Catalog): ScopeSource[] {
  return [...ctes(codeTokens(text), catalog).values()];
}
