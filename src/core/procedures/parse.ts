/**
 * `EXEC name @Param = value, …` / `EXECUTE name Param = value, …`, read with our tokenizer (SQLite knows no
 * EXEC). Values are string literals, numbers, NULL, or bound parameters (`@x`, `:x`, `$x`, `?`, `?N`) taken
 * from the query's params, never spliced into anything.
 */
import type { QueryParams, SqlValue } from '../api';
import { IgsqlError } from '../errors';
import { identifierText, lineColumn, tokenize, type Statement, type Token } from '../sql/tokenize';

export interface ExecArgument {
  /** As written, without '@'. */
  name: string;
  /** Offset of the name in the whole SQL text. */
  offset: number;
  value: SqlValue;
}

export interface ExecCall {
  name: string;
  offset: number;
  args: ExecArgument[];
}

function codeTokens(text: string): Token[] {
  return tokenize(text).filter((t) => t.type !== 'space' && t.type !== 'comment');
}

/** True when the statement's first word is EXEC or EXECUTE. */
export function isExec(text: string): boolean {
  const first = codeTokens(text)[0];
  return !!first && first.type === 'word' && /^(EXEC|EXECUTE)$/i.test(first.text);
}

export function syntaxError(sql: string, offset: number, message: string): IgsqlError {
  const at = lineColumn(sql, offset);
  return new IgsqlError('SQL_SYNTAX', `${message} (line ${at.line}, column ${at.column})`, at);
}

const USAGE = "Write EXEC ProcedureName @Param1 = 'value', @Param2 = 123 (text in single quotes; @name or ? for bound parameters).";

/** Parses one EXEC statement; `stmt.start` places it in `sql` for line/column. */
export function parseExec(sql: string, stmt: Statement, params: QueryParams): ExecCall {
  const toks = codeTokens(stmt.text).map((t) => ({ ...t, start: t.start + stmt.start, end: t.end + stmt.start }));
  const end = stmt.start + stmt.text.length;
  let i = 1;
  const nameTok = toks[i++];
  if (!nameTok || (nameTok.type !== 'word' && nameTok.type !== 'quoted')) {
    throw syntaxError(sql, nameTok?.start ?? end, `EXEC needs a procedure name. ${USAGE}`);
  }
  const call: ExecCall = { name: identifierText(nameTok), offset: nameTok.start, args: [] };
  let positional = 0;
  const lower = Array.isArray(params) ? undefined : new Map(Object.entries(params).map(([k, v]) => [k.replace(/^[@:$]/, '').toLowerCase(), v]));

  const boundValue = (t: Token): SqlValue => {
    let value: SqlValue | boolean | undefined;
    if (t.text.startsWith('?')) {
      const idx = t.text.length > 1 ? Number(t.text.slice(1)) - 1 : positional++;
      value = Array.isArray(params) ? params[idx] : lower?.get(String(idx + 1));
      if (value === undefined) throw new IgsqlError('INVALID_VALUE', `Parameter ${idx + 1} (?) has no value: pass ${idx + 1} value(s) in order (CLI: --param ${idx + 1}=value).`, lineColumn(sql, t.start));
    } else {
      value = lower?.get(t.text.slice(1).toLowerCase());
      if (value === undefined) throw new IgsqlError('INVALID_VALUE', `Parameter ${t.text} has no value: pass it by name (CLI: --param ${t.text.slice(1)}=value).`, lineColumn(sql, t.start));
    }
    return typeof value === 'boolean' ? (value ? 1 : 0) : value;
  };

  while (i < toks.length) {
    const n = toks[i]!;
    let argName: string | undefined;
    if (n.type === 'param' && n.text.startsWith('@')) argName = n.text.slice(1);
    else if (n.type === 'word' || n.type === 'quoted') argName = identifierText(n);
    if (argName === undefined) {
      throw syntaxError(sql, n.start, `Expected a parameter name after ${call.args.length ? "','" : `'${call.name}'`}, found '${n.text}'. ${USAGE}`);
    }
    const eq = toks[i + 1];
    if (!eq || eq.text !== '=') throw syntaxError(sql, eq?.start ?? end, `Expected '=' after the parameter name ${argName}. ${USAGE}`);
    let v = toks[i + 2];
    if (!v) throw syntaxError(sql, end, `Expected a value for ${argName}. ${USAGE}`);
    let value: SqlValue;
    let next = i + 3;
    if (v.type === 'string') {
      value = v.text.slice(1, v.text.endsWith("'") && v.text.length > 1 ? -1 : undefined).split("''").join("'");
    } else if (v.type === 'number') {
      value = Number(v.text);
    } else if ((v.text === '-' || v.text === '+') && toks[i + 3]?.type === 'number') {
      value = Number(v.text + toks[i + 3]!.text);
      next = i + 4;
    } else if (v.type === 'param') {
      value = boundValue(v);
    } else if (v.type === 'word' && /^NULL$/i.test(v.text)) {
      value = null;
    } else {
      throw syntaxError(sql, v.start, `The value of ${argName} must be a string in single quotes, a number, NULL or a bound parameter (found '${v.text}'). ${USAGE}`);
    }
    call.args.push({ name: argName, offset: n.start, value });
    i = next;
    v = toks[i];
    if (!v) break;
    if (v.text !== ',') throw syntaxError(sql, v.start, `Expected ',' between parameters, found '${v.text}'. ${USAGE}`);
    i++;
    if (i >= toks.length) throw syntaxError(sql, v.start, `Expected a parameter after ','. ${USAGE}`);
  }
  return call;
}
