/** Hover: what a table, column, procedure, parameter or function is, from the catalog and the statement's scope. */
import type { ColumnInfo, TableInfo } from '../core/api';
import { identifierText, tokenize } from '../core/sql/tokenize';
import { keyOpsText, type Catalog } from './catalog';
import { codeTokens, statementScope } from './scope';
import { statementAtCaret } from './statements';
import { SQLITE_FUNCTIONS } from './words';

export interface Hover {
  /** Markdown. */
  contents: string;
  from: number;
  to: number;
}

export function tableMarkdown(t: TableInfo): string {
  const keys = t.columns.filter((c) => c.keyOps.length);
  const lines = [`**${t.name}** (${t.kind})`, '', t.description, '', `Scopes: ${t.scopes.map((s) => `\`${s}\``).join(', ')}`];
  if (keys.length) lines.push('', `Key columns (Graph filters on them): ${keys.map((c) => `\`${c.name}\` ${keyOpsText(c)}${c.required ? ' (required)' : ''}`).join(' · ')}`);
  return lines.join('\n');
}

/** `values[].value,total_value.value` → its alternatives (commas inside braces belong to one field). */
function graphFieldAlternatives(field: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i <= field.length; i++) {
    const ch = field[i];
    if (ch === '{') depth++;
    else if (ch === '}') depth--;
    else if ((ch === ',' && depth === 0) || i === field.length) {
      out.push(field.slice(start, i));
      start = i + 1;
    }
  }
  return out;
}

export function columnMarkdown(c: ColumnInfo, t: TableInfo): string {
  const lines = [`**${t.name}.${c.name}**: ${c.type}`, '', c.description];
  if (c.graphField) lines.push('', `Graph field: ${graphFieldAlternatives(c.graphField).map((f) => `\`${f}\``).join(' or ')}`);
  if (c.source) lines.push('', `From ${c.source}.`);
  if (c.keyOps.length) lines.push('', `Key column: Graph filters on it (${keyOpsText(c)})${c.required ? `; ${t.name} cannot be read without it` : ''}.`);
  if (c.values?.length) lines.push('', `Values: ${c.values.map((v) => `\`${v}\``).join(', ')}`);
  lines.push('', `Scopes: ${t.scopes.map((s) => `\`${s}\``).join(', ')}`);
  return lines.join('\n');
}

export function hoverAt(catalog: Catalog, text: string, offset: number): Hover | undefined {
  const stmt = statementAtCaret(text, offset);
  const rel = offset - stmt.start;
  const raw = tokenize(stmt.text);
  const tok = raw.find((t) => t.start <= rel && rel <= t.end && (t.type === 'word' || t.type === 'quoted' || t.type === 'param'));
  if (!tok) return undefined;
  const range = { from: stmt.start + tok.start, to: stmt.start + tok.end };
  const toks = codeTokens(stmt.text);
  const i = toks.findIndex((t) => t.start === tok.start);
  const name = tok.type === 'param' ? tok.text.slice(1) : identifierText(tok);
  const first = toks[0]?.text.toUpperCase();

  if (first === 'EXEC' || first === 'EXECUTE') {
    const proc = toks[1] && catalog.procedure(identifierText(toks[1]));
    if (!proc) return undefined;
    if (i === 1) {
      const params = proc.parameters.filter((p) => p.direction === 'in').map((p) => `- \`@${p.name}\` ${p.type}${p.required ? ' (required)' : ''}: ${p.description}`);
      return { contents: [`**${proc.name}** (procedure)`, '', proc.description, '', ...params].join('\n'), ...range };
    }
    const p = proc.parameters.find((x) => x.name.toLowerCase() === name.toLowerCase());
    return p && { contents: `**@${p.name}**: ${p.type}${p.required ? ' (required)' : ''}\n\n${p.description}`, ...range };
  }

  const scope = statementScope(stmt.text, catalog);
  if (toks[i - 1]?.text === '.' && toks[i - 2]) {
    const q = identifierText(toks[i - 2]!).toLowerCase();
    const src = scope.find((s) => s.name.toLowerCase() === q);
    const col = src?.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    const t = col?.table ? catalog.table(col.table) : undefined;
    const info = t && catalog.column(t.name, col!.name);
    return info && t ? { contents: columnMarkdown(info, t), ...range } : undefined;
  }
  const src = scope.find((s) => s.name.toLowerCase() === name.toLowerCase() || s.offset === tok.start);
  if (src?.table && catalog.table(src.table)) return { contents: tableMarkdown(catalog.table(src.table)!), ...range };
  if (toks[i + 1]?.text === '(') {
    const f = SQLITE_FUNCTIONS.find((x) => x.name === name.toLowerCase());
    if (f) return { contents: `\`${f.signature}\`\n\n${f.description}`, ...range };
  }
  // A column of a table in scope before a table of that name elsewhere: MediaInsightsPost has a Comments column.
  for (const s of scope) {
    const col = s.columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
    const t = col?.table ? catalog.table(col.table) : undefined;
    const info = t && catalog.column(t.name, col!.name);
    if (info && t) return { contents: columnMarkdown(info, t), ...range };
  }
  const table = catalog.table(name);
  if (table) return { contents: tableMarkdown(table), ...range };
  return undefined;
}
