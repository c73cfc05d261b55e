/** Output formats of `igsql query`: table, json, ndjson, csv (csv through csv-stringify). */
import { stringify } from 'csv-stringify/sync';
import stringWidth from 'string-width';
import type { ResultColumn, SqlValue } from '../core';

export type Format = 'table' | 'json' | 'ndjson' | 'csv';
export const FORMATS: readonly Format[] = ['table', 'json', 'ndjson', 'csv'];

/** JSON-friendly value: Boolean columns as true/false, 64-bit integers as numbers when safe. */
export function jsonValue(v: SqlValue, col: ResultColumn): unknown {
  if (v === null) return null;
  if (col.type === 'Boolean' && typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return Buffer.from(v).toString('base64');
  return v;
}

function cell(v: SqlValue, col: ResultColumn): string {
  const j = jsonValue(v, col);
  return j === null ? 'NULL' : String(j);
}

export function rowObject(columns: ResultColumn[], row: SqlValue[]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  columns.forEach((c, i) => (o[c.name] = jsonValue(row[i]!, c)));
  return o;
}

const MAX_CELL_WIDTH = 60;
// Made when a cell needs clipping (loading ICU's break rules costs a few ms at start otherwise).
let graphemes: Intl.Segmenter | undefined;

/**
 * Clips a cell to MAX_CELL_WIDTH terminal columns. Widths come from string-width (East-Asian wide characters and
 * emoji take two columns, combining marks none), and clipping is by grapheme so an emoji or a flag is never split.
 */
function clip(s: string): { text: string; width: number } {
  // Printable ASCII is one column a character: most cells skip string-width, whose emoji pattern takes ~10 ms to
  // compile on first use (issue 11).
  const width = /^[\x20-\x7e]*$/.test(s) ? s.length : stringWidth(s);
  if (width <= MAX_CELL_WIDTH) return { text: s, width };
  let text = '';
  let used = 0;
  graphemes ??= new Intl.Segmenter();
  for (const { segment } of graphemes.segment(s)) {
    const w = stringWidth(segment);
    if (used + w > MAX_CELL_WIDTH - 1) break;
    text += segment;
    used += w;
  }
  return { text: text + '…', width: used + 1 };
}

/**
 * One line of inert text: whitespace runs become one space, and other control characters (a caption can hold
 * ESC sequences that would recolour or retitle the terminal) become U+FFFD.
 */
function printable(s: string): string {
  return s.replace(/\s+/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '\ufffd');
}

function writeTable(head: string[], rows: Array<Array<{ text: string; width: number }>>, write: (s: string) => void): void {
  // A loop, not Math.max(...column): spreading 120 000 values overflows the call stack.
  const widths = head.map((h) => stringWidth(h));
  for (const r of rows) r.forEach((c, i) => { if (c.width > widths[i]!) widths[i] = c.width; });
  const line = (cells: Array<{ text: string; width: number }>) =>
    cells.map((c, i) => c.text + ' '.repeat(widths[i]! - c.width)).join(' | ').trimEnd() + '\n';
  write(line(head.map((h) => ({ text: h, width: stringWidth(h) }))));
  write(widths.map((w) => '-'.repeat(w)).join('-+-') + '\n');
  for (const r of rows) write(line(r));
  write(`(${rows.length} row${rows.length === 1 ? '' : 's'})\n`);
}

/** Streams rows to `write`; the table format buffers (it needs the column widths). */
export async function writeRows(format: Format, columns: ResultColumn[], rows: AsyncIterable<SqlValue[]>, write: (s: string) => void): Promise<number> {
  let n = 0;
  if (format === 'table') {
    const all: Array<Array<{ text: string; width: number }>> = [];
    for await (const r of rows) all.push(r.map((v, i) => clip(printable(cell(v, columns[i]!)))));
    writeTable(columns.map((c) => c.name), all, write);
    return all.length;
  }
  if (format === 'json') {
    write('[');
    for await (const r of rows) { write((n++ ? ',\n' : '\n') + JSON.stringify(rowObject(columns, r))); }
    write(n ? '\n]\n' : ']\n');
    return n;
  }
  if (format === 'ndjson') {
    for await (const r of rows) { write(JSON.stringify(rowObject(columns, r)) + '\n'); n++; }
    return n;
  }
  write(stringify([columns.map((c) => c.name)]));
  for await (const r of rows) { write(stringify([r.map((v, i) => { const j = jsonValue(v, columns[i]!); return j === null ? '' : String(j); })])); n++; }
  return n;
}
