/**
 * Notebook parameters and references between cells (host-free).
 *
 * A *parameters cell* is a SQL cell whose first line is `-- parameters`; each following line sets one value:
 *   @since = '2026-01-01'      text (SQL quoting, '' for a quote)
 *   @limit = 10                number (an integer beyond 2^53 stays text: Instagram ids do)
 *   @hidden = false            boolean (bound as 1/0)
 *   @tag = NULL
 * Every parameters cell above a SQL cell applies to it (a later one wins), whether or not it was run.
 *
 * A later cell uses an earlier cell's result as `@cellN`: the N-th SQL cell's last result as JSON text (an
 * array of row objects), read with SQLite's JSON functions, e.g.
 *   SELECT value->>'Id' FROM json_each(@cell2)
 * Chosen over temp tables because it needs nothing from the engine: a bound parameter, no DDL, and it cannot
 * leak between notebooks that share a connection.
 */
import { IgsqlError } from '../../core/errors';
import type { SqlValue } from '../../core/api';
import type { GridColumn } from '../../webview/grid/protocol';

export type ParamValue = SqlValue | boolean;

const HEADER = /^\s*--\s*parameters\b/i;

export function isParameterCell(text: string): boolean {
  return HEADER.test(text.split('\n', 1)[0] ?? '');
}

export function parseParameterCell(text: string): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    if (i === 0) return;
    const line = raw.trim().replace(/;$/, '').trim();
    if (!line || line.startsWith('--')) return;
    const m = /^@([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.+)$/.exec(line);
    if (!m) throw new IgsqlError('INVALID_VALUE', `Parameters cell, line ${i + 1}: write one "@name = value" per line (text in single quotes), e.g. @since = '2026-01-01'.`, { line: i + 1, column: 1 });
    const name = m[1]!;
    if (/^cell\d+$/i.test(name)) throw new IgsqlError('INVALID_VALUE', `Parameters cell, line ${i + 1}: @${name} is the result of a cell; pick another name.`, { line: i + 1, column: 1 });
    out[name] = parseValue(m[2]!.trim(), i + 1);
  });
  return out;
}

function parseValue(v: string, line: number): ParamValue {
  if (/^'(?:[^']|'')*'$/.test(v)) return v.slice(1, -1).replace(/''/g, "'");
  if (/^null$/i.test(v)) return null;
  if (/^(true|false)$/i.test(v)) return v.toLowerCase() === 'true';
  if (/^-?\d+$/.test(v)) return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (/^-?(\d+\.\d*|\.\d+)(e[-+]?\d+)?$/i.test(v)) return Number(v);
  throw new IgsqlError('INVALID_VALUE', `Parameters cell, line ${line}: ${v} is not a value; put text in single quotes ('${v.replace(/'/g, "''")}'), or write a number, true, false or NULL.`, { line, column: 1 });
}

/** The N of every `@cellN` the SQL uses (outside strings and comments is not checked: binding is by name). */
export function cellReferences(sql: string): number[] {
  const out = new Set<number>();
  for (const m of sql.matchAll(/[@:$]cell(\d+)\b/gi)) out.add(Number(m[1]));
  return [...out].sort((a, b) => a - b);
}

/** A result as JSON text for `@cellN`: numbers stay numbers when exact, everything else is text. */
export function resultAsJson(columns: GridColumn[], rows: Iterable<(string | null)[]>): string {
  const parts: string[] = [];
  for (const row of rows) {
    const o: Record<string, unknown> = {};
    columns.forEach((c, i) => {
      const v = row[i] ?? null;
      o[c.name] = v !== null && c.kind === 'number' && isExactNumber(v) ? Number(v) : v;
    });
    parts.push(JSON.stringify(o));
  }
  return `[${parts.join(',')}]`;
}

export function isExactNumber(v: string): boolean {
  const n = Number(v);
  return Number.isFinite(n) && (!/^-?\d+$/.test(v) || Number.isSafeInteger(n));
}
