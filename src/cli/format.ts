/** Output formats of `igsql query`: table, json, ndjson, csv (csv through csv-stringify). */
import { stringify } from 'csv-stringify/sync';
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

/** Streams rows to `write`; the table format buffers (it needs the column widths). */
export async function writeRows(format: Format, columns: ResultColumn[], rows: AsyncIterable<SqlValue[]>, write: (s: string) => void): Promise<number> {
  let n = 0;
  if (format === 'table') {
    const all: string[][] = [];
    for await (const r of rows) { all.push(r.map((v, i) => cell(v, columns[i]!).replace(/\s+/g, ' '))); n++; }
    const clip = (s: string) => (s.length > 60 ? s.slice(0, 59) + '…' : s);
    const head = columns.map((c) => c.name);
    const widths = head.map((h, i) => Math.max(h.length, ...all.map((r) => clip(r[i]!).length)));
    const line = (cells: string[]) => cells.map((c, i) => clip(c).padEnd(widths[i]!)).join(' | ').trimEnd() + '\n';
    write(line(head));
    write(widths.map((w) => '-'.repeat(w)).join('-+-') + '\n');
    for (const r of all) write(line(r));
    write(`(${n} row${n === 1 ? '' : 's'})\n`);
    return n;
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
