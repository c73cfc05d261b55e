/**
 * Exports a result view (sorted and filtered as the grid shows it) to CSV, Excel-friendly CSV, JSON or a
 * Markdown table (host-free). Rows are pulled one at a time from the store and written to a Node stream with
 * back-pressure, so a large result is never held a second time as one big string.
 */
import { stringify } from 'csv-stringify';
import type { Writable } from 'node:stream';
import { once } from 'node:events';
import type { ExportFormat, GridColumn } from '../../webview/grid/protocol';
import { isExactNumber } from '../notebook/params';
import type { Cell } from './store';

export const EXTENSIONS: Record<Exclude<ExportFormat, 'editor'>, string> = { csv: 'csv', 'excel-csv': 'csv', json: 'json', markdown: 'md' };

/** Writes every row to `out` (which is ended); resolves with the row count once the data is flushed. */
export async function writeExport(format: Exclude<ExportFormat, 'editor'>, columns: GridColumn[], rows: Iterable<Cell[]>, out: Writable): Promise<number> {
  const done = new Promise<void>((resolve, reject) => { out.once('finish', resolve); out.once('error', reject); });
  let n = 0;
  if (format === 'csv' || format === 'excel-csv') {
    const excel = format === 'excel-csv';
    // Excel wants a BOM to read UTF-8 and CRLF line ends; csv-stringify quotes fields with , " or line breaks.
    const csv = stringify({ header: true, columns: columns.map((c) => c.name), bom: excel, record_delimiter: excel ? 'windows' : 'unix' });
    csv.pipe(out);
    for (const row of rows) {
      // A caption starting with = + - @ would run as a formula in Excel (CSV injection): quote it as text.
      const record = excel ? row.map((v, i) => (v !== null && columns[i]!.kind !== 'number' && /^[=+\-@\t\r]/.test(v) ? `'${v}` : v)) : row;
      if (!csv.write(record)) await once(csv, 'drain');
      n++;
    }
    csv.end();
  } else {
    const write = async (s: string) => { if (!out.write(s)) await once(out, 'drain'); };
    if (format === 'json') {
      await write('[');
      for (const row of rows) {
        const o: Record<string, unknown> = {};
        columns.forEach((c, i) => {
          const v = row[i] ?? null;
          o[c.name] = v !== null && c.kind === 'number' && isExactNumber(v) ? Number(v) : v !== null && c.kind === 'boolean' ? v === '1' || v === 'true' : v;
        });
        await write(`${n ? ',' : ''}\n  ${JSON.stringify(o)}`);
        n++;
      }
      await write(n ? '\n]\n' : ']\n');
    } else {
      const esc = (v: Cell) => (v === null ? '' : v.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>'));
      await write(`| ${columns.map((c) => esc(c.name)).join(' | ')} |\n`);
      await write(`|${columns.map((c) => (c.kind === 'number' ? ' ---: ' : ' --- ')).join('|')}|\n`);
      for (const row of rows) {
        await write(`| ${row.map(esc).join(' | ')} |\n`);
        n++;
      }
    }
    out.end();
  }
  await done;
  return n;
}
