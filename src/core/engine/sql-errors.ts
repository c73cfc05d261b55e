/** SQLite's error messages → typed errors with line/column and nearest-name suggestions. */
import { IgsqlError } from '../errors';
import { referencedTables, lineColumn, tokenize, identifierText } from '../sql/tokenize';
import { didYouMean, nearest } from '../suggest';

export interface NameSource {
  tableNames(): string[];
  columnNames(table: string): string[] | undefined;
  writableTables(): string[];
}

/** Offset of the first token (outside strings and comments) whose identifier text equals `name`. */
function findToken(sql: string, name: string): number | undefined {
  const want = name.toLowerCase();
  for (const t of tokenize(sql)) {
    if (t.type === 'string' || t.type === 'comment' || t.type === 'space') continue;
    if (t.text.toLowerCase() === want || identifierText(t).toLowerCase() === want) return t.start;
  }
  return undefined;
}

/**
 * `sql` is the whole text the user ran and `offset` where the failing statement starts in it, so the line
 * and column point into the user's editor, not into the statement.
 */
export function translateSqliteError(message: string, sql: string, offset: number, names: NameSource): IgsqlError {
  const stmt = sql.slice(offset);
  const at = (rel: number | undefined) => (rel === undefined ? {} : lineColumn(sql, offset + rel));
  const where = (pos: { line?: number; column?: number }) => (pos.line ? ` at line ${pos.line}, column ${pos.column}` : '');
  let m: RegExpMatchArray | null;

  if ((m = message.match(/near "(.*)": syntax error/s))) {
    const pos = at(findToken(stmt, m[1]!));
    return new IgsqlError('SQL_SYNTAX', `Syntax error near "${m[1]}"${where(pos)}. Check the SQL around that word.`, pos);
  }
  if (/incomplete input/.test(message)) {
    const pos = at(stmt.trimEnd().length);
    return new IgsqlError('SQL_SYNTAX', `The statement ends too early${where(pos)}: a clause, closing parenthesis or quote is missing.`, pos);
  }
  if ((m = message.match(/unrecognized token: "(.*)"/s))) {
    const idx = stmt.indexOf(m[1]!);
    const pos = at(idx < 0 ? undefined : idx);
    return new IgsqlError('SQL_SYNTAX', `Unrecognized token ${m[1]}${where(pos)}: check quotes (strings use '…', names use "…").`, pos);
  }
  if ((m = message.match(/no such table: (?:main\.)?(.+)$/))) {
    const name = m[1]!;
    const suggestions = nearest(name, names.tableNames());
    const pos = at(findToken(stmt, name));
    return new IgsqlError('UNKNOWN_TABLE', `Unknown table '${name}'${where(pos)}.${didYouMean(suggestions)} SELECT * FROM sys_tables lists them all.`, { ...pos, suggestions });
  }
  if ((m = message.match(/no such column: (.+)$/))) {
    const full = m[1]!;
    const name = full.includes('.') ? full.slice(full.lastIndexOf('.') + 1) : full;
    const candidates = new Set<string>();
    const tables = referencedTables(stmt);
    for (const t of tables.length ? tables : names.tableNames()) for (const c of names.columnNames(t) ?? []) candidates.add(c);
    const suggestions = nearest(name, [...candidates]);
    const pos = at(findToken(stmt, name));
    const inTables = tables.filter((t) => names.columnNames(t)).join(', ');
    return new IgsqlError('UNKNOWN_COLUMN', `Unknown column '${full}'${inTables ? ` in ${inTables}` : ''}${where(pos)}.${didYouMean(suggestions)}`, { ...pos, suggestions });
  }
  if ((m = message.match(/table (.+) may not be modified/))) {
    return new IgsqlError('READ_ONLY', `${m[1]} is read-only. Writable tables: ${names.writableTables().join(', ')}.`);
  }
  if ((m = message.match(/no such function: (.+)$/))) {
    const pos = at(findToken(stmt, m[1]!));
    return new IgsqlError('SQL_ERROR', `Unknown function ${m[1]}${where(pos)}. SQLite's built-in functions are available (date, json_extract, printf, …).`, pos);
  }
  return new IgsqlError('SQL_ERROR', `SQL error: ${message}.`);
}
