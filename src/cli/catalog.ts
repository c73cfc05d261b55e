/** `igsql tables | columns <table> | procedures | properties`: the connector's catalog as rows, in any `--format`. */
import { IgsqlError, PROPERTY_SPECS, type ColumnInfo, type Connection, type SqlValue } from '../core';
import { writeRows, type Format } from './format';
import { UsageError } from './args';

async function* toAsync<T>(items: T[]): AsyncGenerator<T> {
  yield* items;
}

function write(format: Format, names: string[], rows: SqlValue[][], out: (s: string) => void): Promise<number> {
  return writeRows(format, names.map((name) => ({ name, type: null })), toAsync(rows), out);
}

/**
 * Where a column's value comes from: its Graph field (alternatives joined with "or", as the hover says them), or,
 * for a column no field holds (a filter's value, the request's `timeframe`), that origin in parentheses.
 */
export function graphCell(c: ColumnInfo): string {
  if (c.graphField) return c.graphField.split(',').join(' or ');
  return c.source ? `(${c.source})` : ''; // a system table's column: empty like Key, not NULL
}

export async function runCatalog(command: 'tables' | 'columns' | 'procedures', args: string[], conn: Connection, format: Format, out: (s: string) => void): Promise<number> {
  if (command === 'tables') {
    await write(format, ['Name', 'Kind', 'Description'], conn.tables().map((t) => [t.name, t.kind, t.description]), out);
    return 0;
  }
  if (command === 'procedures') {
    // The README promises the parameters: as EXEC takes them (`@Name`), then the result's columns.
    const rows = conn.procedures().map((p) => {
      const params = p.parameters.filter((x) => x.direction === 'in').map((x) => `@${x.name}${x.required ? ' (required)' : ''}`);
      const returns = p.parameters.filter((x) => x.direction === 'out').map((x) => x.name);
      return [p.name, params.join(', '), returns.join(', '), p.description];
    });
    await write(format, ['Name', 'Parameters', 'Returns', 'Description'], rows, out);
    return 0;
  }
  const name = args[0];
  if (!name) throw new UsageError('columns needs a table name: igsql columns Media');
  const t = conn.table(name);
  if (!t) throw await unknownTable(conn, name);
  const rows = t.columns.map((c) => [c.name, c.type, c.keyOps.join(' ') + (c.required ? ' (required)' : ''), graphCell(c), c.description]);
  await write(format, ['Column', 'Type', 'Key', 'Graph', 'Description'], rows, out);
  return 0;
}

/**
 * UNKNOWN_TABLE for `igsql columns Meda`, with the engine's suggestions but in the command's terms: the engine's
 * message points at a line and column of SQL the user never wrote and at sys_tables.
 */
async function unknownTable(conn: Connection, name: string): Promise<IgsqlError> {
  let suggestions: string[] = [];
  try {
    // Prepared, not run: the engine's name lookup (and its "did you mean") without a Graph call.
    await conn.explain(`SELECT * FROM "${name.replace(/"/g, '""')}"`);
  } catch (e) {
    suggestions = (e as IgsqlError).details?.suggestions ?? [];
  }
  const hint = suggestions.length ? ` Did you mean ${suggestions.map((s) => `'${s}'`).join(' or ')}?` : '';
  return new IgsqlError('UNKNOWN_TABLE', `Unknown table '${name}'.${hint} \`igsql tables\` lists them all.`, { suggestions });
}

/** `igsql properties`: every connection property, with its default. Needs no connection. */
export async function runProperties(format: Format, out: (s: string) => void): Promise<number> {
  // The table format would clip the descriptions at 60 columns: a property's text is the point of the list.
  if (format === 'table') for (const p of PROPERTY_SPECS) out(`${p.name.padEnd(22)} ${p.default !== undefined ? `[${p.default}] ` : ''}${p.description}\n`);
  else await write(format, ['Name', 'Default', 'Description'], PROPERTY_SPECS.map((p) => [p.name, p.default ?? null, p.description]), out);
  return 0;
}
