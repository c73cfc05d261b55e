/**
 * Completion at a caret: what kind of thing goes there comes from dt-sql-parser's grammar (one statement
 * parsed), what the names are comes from the connection's catalog and the statement's scope (aliases, CTEs,
 * derived tables). Metric names, enum values, EXEC procedures and parameters are read with our tokenizer,
 * which also stands in when the grammar gives up.
 */
import type { ColumnInfo } from '../core/api';
import { identifierText, lineColumn, tokenize, type Token } from '../core/sql/tokenize';
import { keyOpsText, type Catalog } from './catalog';
import { suggestAt, type CaretSuggestions } from './parser';
import { codeTokens, statementCtes, statementScope, type ScopeSource } from './scope';
import { statementAtCaret } from './statements';
import { SNIPPETS, SQLITE_FUNCTIONS, SQLITE_KEYWORDS, STATEMENT_KEYWORDS } from './words';

export type ItemKind = 'table' | 'view' | 'column' | 'keyword' | 'function' | 'procedure' | 'parameter' | 'value' | 'snippet';

export interface CompletionItem {
  label: string;
  kind: ItemKind;
  /** One line beside the label (type, table, "key: =, IN"). */
  detail?: string;
  /** Markdown shown in the details pane. */
  documentation?: string;
  /** Text inserted instead of the label; a snippet when `snippet` is set. */
  insertText?: string;
  snippet?: boolean;
  /** Orders the list; items are returned already sorted. */
  sortText: string;
}

export interface CompletionList {
  items: CompletionItem[];
  /** Document offsets of the text the chosen item replaces (the word being typed). */
  from: number;
  to: number;
}

const CLAUSES = /^(SELECT|FROM|JOIN|WHERE|AND|OR|ON|GROUP|ORDER|HAVING|LIMIT|BY|SET|VALUES|ELSE|WHEN|THEN)$/i;

function rank(group: number, i: number): string {
  return `${group}${String(i).padStart(4, '0')}`;
}

function columnDoc(c: ColumnInfo, table: string): string {
  const parts = [c.description];
  if (c.keyOps.length) parts.push(`Key column: Graph filters on it (${keyOpsText(c)}).`);
  if (c.required) parts.push(`${table} needs a filter on it.`);
  if (c.values?.length) parts.push(`Values: ${c.values.join(', ')}.`);
  return parts.join('\n\n');
}

function quote(v: string): string {
  return `'${v.replace(/'/g, "''")}'`;
}

/** The innermost clause keyword before the caret at the caret's depth (WHERE, ON, SELECT…). */
function lastClause(toks: Token[]): string | undefined {
  let depth = 0;
  for (let i = toks.length - 1; i >= 0; i--) {
    const t = toks[i]!;
    if (t.text === ')') depth++;
    else if (t.text === '(') { if (depth === 0) return '('; depth--; }
    else if (depth === 0 && t.type === 'word' && CLAUSES.test(t.text)) {
      const kw = t.text.toUpperCase();
      return kw === 'AND' || kw === 'OR' ? 'WHERE' : kw === 'BY' ? (toks[i - 1]?.text.toUpperCase() ?? 'BY') : kw;
    }
  }
  return undefined;
}

function sourceFor(scope: ScopeSource[], name: string): ScopeSource | undefined {
  const n = name.toLowerCase();
  return scope.find((s) => s.name.toLowerCase() === n) ?? scope.find((s) => s.table?.toLowerCase() === n);
}

export class Completer {
  private readonly grammarCache = new Map<string, CaretSuggestions | null>();

  constructor(private readonly catalog: Catalog) {}

  complete(text: string, offset: number): CompletionList {
    const stmt = statementAtCaret(text, offset);
    const rel = offset - stmt.start;
    const all = tokenize(stmt.text.slice(0, rel));
    const caretTok = all[all.length - 1];
    let from = offset;
    let prefix = '';
    let inString = false;
    if (caretTok && caretTok.end === rel) {
      if (caretTok.type === 'word' || caretTok.type === 'quoted') { prefix = caretTok.text; from = stmt.start + caretTok.start; }
      else if (caretTok.type === 'param') { prefix = caretTok.text; from = stmt.start + caretTok.start; }
      else if (caretTok.type === 'string' && !(caretTok.text.length > 1 && caretTok.text.endsWith("'"))) {
        inString = true;
        prefix = caretTok.text.slice(1);
        from = stmt.start + caretTok.start;
      } else if (caretTok.type === 'comment' || caretTok.type === 'string') {
        return { items: [], from: offset, to: offset };
      }
    }
    const toks = codeTokens(stmt.text.slice(0, rel));
    if (prefix || inString) toks.pop();
    // Replace the rest of the word after the caret too (completing in the middle of a name).
    const after = /^[A-Za-z0-9_$]*/.exec(text.slice(offset))![0];
    const list = (items: CompletionItem[]): CompletionList => ({ items: filter(items, inString ? `'${prefix}` : prefix), from, to: offset + (inString ? 0 : after.length) });

    const first = toks[0]?.text.toUpperCase();
    if (first === 'EXEC' || first === 'EXECUTE') return list(this.exec(toks, prefix));

    const scope = statementScope(stmt.text, this.catalog);
    const prev = toks[toks.length - 1];
    if (prev?.text === '.' && toks.length >= 2) {
      const src = sourceFor(scope, identifierText(toks[toks.length - 2]!));
      return list(src ? this.columns([src], lastClause(toks.slice(0, -2)) === 'WHERE', false) : []);
    }
    const values = this.valueContext(toks, scope);
    if (values) return list(values.map((v, i) => ({ label: quote(v), kind: 'value', detail: 'value', sortText: rank(0, i) })));
    if (inString) return list([]);

    if (!toks.length) return list(this.statementStart());
    const clause = lastClause(toks);
    const grammar = this.fastContext(prev, clause) ?? this.grammar(stmt.text, from - stmt.start);
    const contexts = grammar?.contexts ?? new Set(prev && /^(FROM|JOIN|UPDATE|INTO)$/i.test(prev.text) ? ['table'] : ['column', 'function', 'keyword']);
    const items: CompletionItem[] = [];
    // Right after a table reference (`FROM Media m |`) the next word is a clause, not a column.
    const afterSource = clause === 'FROM' || clause === 'JOIN' ? prev && (prev.type === 'word' || prev.type === 'quoted') && !/^(FROM|JOIN)$/i.test(prev.text) : false;
    if (afterSource && contexts.has('keyword')) items.push(...this.keywords(grammar?.keywords, clause === 'JOIN' ? ['ON', 'USING'] : ['WHERE', 'JOIN']));
    if (contexts.has('table')) items.push(...this.tables(stmt.text));
    if (contexts.has('column')) items.push(...this.columns(scope, clause === 'WHERE' || clause === 'ON', scope.length > 1));
    if (contexts.has('function') && !contexts.has('table')) items.push(...this.functions());
    if (contexts.has('keyword') && !afterSource) items.push(...this.keywords(grammar?.keywords));
    return list(items);
  }

  /**
   * Contexts the previous token settles without the grammar (measured: most keystrokes land here, and the
   * grammar costs 2–80 ms a call on this machine): a table after FROM/JOIN, an expression after SELECT, WHERE,
   * an operator or a comma. Undefined when it takes the grammar (after a name or a literal: which clause next?).
   */
  private fastContext(prev: Token | undefined, clause: string | undefined): CaretSuggestions | undefined {
    if (!prev) return undefined;
    const t = prev.type === 'word' ? prev.text.toUpperCase() : prev.type === 'punct' ? prev.text : '';
    if (/^(FROM|JOIN|INTO|UPDATE)$/.test(t) || (t === ',' && clause === 'FROM')) return { contexts: new Set(['table']), keywords: [] };
    if (/^(SELECT|DISTINCT|WHERE|AND|OR|ON|BY|HAVING|WHEN|THEN|ELSE|SET|NOT|LIKE|GLOB|BETWEEN|IS)$/.test(t) || /^(,|\(|=|==|<|>|<=|>=|<>|!=|\+|-|\*|\/|\|\||%)$/.test(t)) {
      return { contexts: new Set(['column', 'function', 'keyword']), keywords: t === 'SELECT' ? ['DISTINCT', 'CASE', 'CAST'] : ['NOT', 'EXISTS', 'CASE', 'CAST', 'NULL', 'TRUE', 'FALSE'] };
    }
    return undefined;
  }

  /**
   * The grammar's view of the text before the word being typed: the kind of thing that goes at the caret
   * depends on what precedes it (names come from our scope, which reads the whole statement). Shorter input is
   * a faster parse, and typing a name letter by letter asks once, then hits the cache.
   */
  private grammar(statement: string, wordStart: number): CaretSuggestions | undefined {
    const text = statement.slice(0, wordStart);
    const pos = lineColumn(text, wordStart);
    const key = `${pos.line}:${pos.column}\u0000${text}`;
    let hit = this.grammarCache.get(key);
    if (hit === undefined) {
      hit = suggestAt(text, pos.line, pos.column) ?? null;
      if (this.grammarCache.size >= 256) this.grammarCache.delete(this.grammarCache.keys().next().value!);
      this.grammarCache.set(key, hit);
    }
    return hit ?? undefined;
  }

  private statementStart(): CompletionItem[] {
    return [
      ...STATEMENT_KEYWORDS.map((k, i): CompletionItem => ({ label: k, kind: 'keyword', sortText: rank(0, i) })),
      ...SNIPPETS.map((s, i): CompletionItem => ({ label: s.label, kind: 'snippet', detail: s.description, insertText: s.body, snippet: true, documentation: '```sql\n' + s.body.replace(/\$\{\d+:([^}]*)\}/g, '$1') + '\n```', sortText: rank(1, i) })),
    ];
  }

  private tables(statement: string): CompletionItem[] {
    const ctes = statementCtes(statement, this.catalog).map((c, i): CompletionItem => ({ label: c.name, kind: 'table', detail: 'CTE', documentation: `Columns: ${c.columns.map((x) => x.name).join(', ')}`, sortText: rank(0, i) }));
    const tables = this.catalog.tables.map((t, i): CompletionItem => {
      const required = t.columns.filter((c) => c.required).map((c) => c.name);
      return {
        label: t.name,
        kind: t.kind,
        detail: required.length ? `${t.kind} · needs ${required.join(' or ')}` : t.kind,
        documentation: `${t.description}\n\nScopes: ${t.scopes.join(', ')}`,
        sortText: rank(1, i),
      };
    });
    return [...ctes, ...tables.sort((a, b) => a.label.localeCompare(b.label)).map((t, i) => ({ ...t, sortText: rank(1, i) }))];
  }

  /** Columns of the sources; in WHERE/ON, the key columns Graph filters on come first. */
  private columns(scope: ScopeSource[], keysFirst: boolean, qualify: boolean): CompletionItem[] {
    const out: CompletionItem[] = [];
    const seen = new Set<string>();
    scope.forEach((src, si) => {
      src.columns.forEach((col, ci) => {
        const info = col.table ? this.catalog.column(col.table, col.name) : undefined;
        const key = `${col.name.toLowerCase()}`;
        const dup = seen.has(key);
        seen.add(key);
        const isKey = !!info?.keyOps.length;
        const group = keysFirst ? (info?.required ? 0 : isKey ? 1 : 2) : 2;
        const where = src.table && src.name !== src.table ? `${src.name} (${src.table})` : src.name;
        out.push({
          label: col.name,
          kind: 'column',
          detail: `${info?.type ?? 'column'} · ${where}${isKey ? ` · key: ${keyOpsText(info!)}` : ''}`,
          documentation: info ? columnDoc(info, col.table!) + (keysFirst && isKey ? '\n\nGraph filters on this column: a condition on it means fewer calls.' : '') : undefined,
          insertText: qualify && dup ? `${src.name}.${col.name}` : undefined,
          sortText: rank(group, si * 100 + ci),
        });
      });
    });
    return out.sort((a, b) => a.sortText.localeCompare(b.sortText));
  }

  private functions(): CompletionItem[] {
    return SQLITE_FUNCTIONS.map((f, i) => ({ label: f.name, kind: 'function', detail: f.signature, documentation: f.description, insertText: `${f.name}($1)`, snippet: true, sortText: rank(3, i) }));
  }

  private keywords(grammar: string[] | undefined, first: string[] = []): CompletionItem[] {
    const allowed = grammar ? new Set(grammar.map((k) => k.toUpperCase())) : undefined;
    const ok = SQLITE_KEYWORDS.filter((k) => !allowed || allowed.has(k) || allowed.has(k.split(' ')[0]!) || first.includes(k));
    const ordered = [...first.filter((k) => ok.includes(k as never)), ...ok.filter((k) => !first.includes(k))];
    return ordered.map((k, i) => ({ label: k, kind: 'keyword', sortText: rank(first.length ? 0 : 4, i) }));
  }

  /** `Metric IN ('a', |`, `Metric = |`, `MediaType = '|`: the column's known values not yet listed. */
  private valueContext(toks: Token[], scope: ScopeSource[]): string[] | undefined {
    let i = toks.length - 1;
    const listed = new Set<string>();
    let colIdx: number | undefined;
    if (toks[i]?.text === '=' || toks[i]?.text === '!=' || toks[i]?.text === '<>') colIdx = i - 1;
    else {
      while (i >= 0 && (toks[i]!.text === ',' || toks[i]!.type === 'string')) {
        if (toks[i]!.type === 'string') listed.add(toks[i]!.text.slice(1, -1));
        i--;
      }
      if (toks[i]?.text === '(' && toks[i - 1]?.text.toUpperCase() === 'IN') colIdx = i - 2;
      else if (toks[i]?.text === '(' && toks[i - 1]?.text.toUpperCase() === 'NOT' ) colIdx = undefined;
    }
    if (colIdx === undefined || colIdx < 0) return undefined;
    const colTok = toks[colIdx]!;
    if (colTok.type !== 'word' && colTok.type !== 'quoted') return undefined;
    const name = identifierText(colTok);
    const qualifier = toks[colIdx - 1]?.text === '.' ? identifierText(toks[colIdx - 2]!) : undefined;
    const srcs = qualifier ? [sourceFor(scope, qualifier)].filter((s): s is ScopeSource => !!s) : scope;
    for (const s of srcs) {
      const col = s.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
      const info = col?.table ? this.catalog.column(col.table, col.name) : undefined;
      if (info?.values?.length) return info.values.filter((v) => !listed.has(v));
    }
    return undefined;
  }

  /** After EXEC: procedures; after the name: its parameters not given yet, as `@Name = `. */
  private exec(toks: Token[], prefix: string): CompletionItem[] {
    if (toks.length === 1) {
      return this.catalog.procedures.map((p, i) => ({ label: p.name, kind: 'procedure', detail: 'procedure', documentation: p.description, sortText: rank(0, i) }));
    }
    const proc = this.catalog.procedure(identifierText(toks[1]!));
    if (!proc) return [];
    const last = toks[toks.length - 1]!;
    if (last.text === '=') return [];
    const given = new Set(toks.filter((t) => t.type === 'param' || t.type === 'word').map((t) => t.text.replace(/^@/, '').toLowerCase()));
    const params = proc.parameters.filter((p) => p.direction === 'in' && !given.has(p.name.toLowerCase()));
    const at = prefix.startsWith('@') ? '@' : '@';
    return params
      .map((p, i): CompletionItem => ({
        label: `${at}${p.name}`,
        kind: 'parameter',
        detail: `${p.type}${p.required ? ' · required' : ''}`,
        documentation: p.description,
        insertText: `@${p.name} = `,
        sortText: rank(p.required ? 0 : 1, i),
      }));
  }
}

/** Items matching the typed prefix: prefix matches first, then other matches of the text; order kept within. */
function filter(items: CompletionItem[], prefix: string): CompletionItem[] {
  if (!prefix) return items;
  const p = prefix.toLowerCase().replace(/^@/, '');
  const starts = items.filter((i) => i.label.toLowerCase().replace(/^@/, '').startsWith(p));
  const contains = items.filter((i) => !starts.includes(i) && i.label.toLowerCase().includes(p));
  return [...starts, ...contains].map((item, i) => ({ ...item, sortText: rank(Number(item.sortText[0]) < 5 && starts.includes(item) ? 0 : 5, i) }));
}
