/**
 * Cell outputs (host-free): our result mime type for the renderer, plus capped text/html and text/plain
 * fallbacks (DESIGN §9) for places without the renderer (GitHub's preview, other editors, a diff). Every value is
 * escaped: a caption cannot become markup in the fallback either.
 */
import type { GridResult } from '../../webview/grid/protocol';

export const RESULT_MIME = 'application/vnd.igsql.result+json';
export const NOTEBOOK_TYPE = 'igsql-notebook';
export const RENDERER_ID = 'igsql.result-renderer';

const HTML_ROWS = 50;
const TEXT_ROWS = 20;
const CELL_CHARS = 200;

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function clip(s: string | null): string {
  if (s === null) return 'NULL';
  return s.length > CELL_CHARS ? `${s.slice(0, CELL_CHARS - 1)}…` : s;
}

export function headerLine(r: GridResult): string {
  const i = r.info;
  const parts = [`${i.rows} ${i.rows === 1 ? 'row' : 'rows'}${i.rowCap !== undefined ? ` (stopped at the ${i.rowCap}-row cap)` : ''}`, `${i.waitedMs} ms`, `${i.apiCalls} Graph ${i.apiCalls === 1 ? 'call' : 'calls'}`];
  if (i.target) parts.push(i.target);
  if (i.cache) parts.push(`cache: ${i.cache}`);
  return parts.join(' · ');
}

export function fallbackHtml(r: GridResult): string {
  const head = r.columns.map((c) => `<th>${escapeHtml(c.name)}</th>`).join('');
  const body = r.head.slice(0, HTML_ROWS).map((row) => `<tr>${row.map((v) => `<td>${escapeHtml(clip(v))}</td>`).join('')}</tr>`).join('');
  const more = r.info.rows > Math.min(r.head.length, HTML_ROWS) ? `<p>First ${Math.min(r.head.length, HTML_ROWS)} of ${r.info.rows} rows.</p>` : '';
  return `<p>${escapeHtml(headerLine(r))}</p><table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>${more}`;
}

export function fallbackText(r: GridResult): string {
  const rows = r.head.slice(0, TEXT_ROWS).map((row) => row.map((v) => clip(v).replace(/[\t\r\n]+/g, ' ')));
  const names = r.columns.map((c) => c.name);
  const widths = names.map((n, c) => Math.min(40, Math.max(n.length, ...rows.map((row) => row[c]!.length))));
  const line = (cells: string[]) => cells.map((v, c) => (v.length > widths[c]! ? `${v.slice(0, widths[c]! - 1)}…` : v.padEnd(widths[c]!))).join('  ').trimEnd();
  const out = [headerLine(r), line(names), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
  if (r.info.rows > rows.length) out.push(`… ${r.info.rows - rows.length} more rows`);
  return out.join('\n');
}
