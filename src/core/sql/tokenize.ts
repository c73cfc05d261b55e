/**
 * A small SQL tokenizer: enough to split statements (dt-sql-parser's splitter gives up on any syntax error,
 * DESIGN §9), find the statement at a cursor, map offsets to line/column, and read table names for hints.
 * It is not a parser: SQLite does the parsing.
 */
export type TokenType = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'punct' | 'comment' | 'space';

export interface Token {
  type: TokenType;
  text: string;
  start: number;
  end: number;
}

const WORD = /[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|0[xX][0-9a-fA-F]+/y;
const SPACE = /\s+/y;
const PARAM = /[@:$][A-Za-z_][A-Za-z0-9_]*|\?\d*/y;

function matchAt(re: RegExp, s: string, i: number): string | undefined {
  re.lastIndex = i;
  const m = re.exec(s);
  return m ? m[0] : undefined;
}

/** Tokenizes the whole text; unterminated strings and comments run to the end (SQLite reports them). */
export function tokenize(sql: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const push = (type: TokenType, end: number) => {
    out.push({ type, text: sql.slice(i, end), start: i, end });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const two = sql.slice(i, i + 2);
    let m: string | undefined;
    if (two === '--') {
      const nl = sql.indexOf('\n', i);
      push('comment', nl < 0 ? sql.length : nl);
    } else if (two === '/*') {
      const e = sql.indexOf('*/', i + 2);
      push('comment', e < 0 ? sql.length : e + 2);
    } else if (c === "'" || c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(close, j);
        if (k < 0) { j = sql.length; break; }
        if (close !== ']' && sql[k + 1] === close) { j = k + 2; continue; }
        j = k + 1;
        break;
      }
      push(c === "'" ? 'string' : 'quoted', j);
    } else if ((m = matchAt(SPACE, sql, i))) {
      push('space', i + m.length);
    } else if ((m = matchAt(WORD, sql, i))) {
      push('word', i + m.length);
    } else if ((m = matchAt(NUMBER, sql, i))) {
      push('number', i + m.length);
    } else if ((m = matchAt(PARAM, sql, i))) {
      push('param', i + m.length);
    } else {
      const ops = ['<=', '>=', '<>', '!=', '==', '||', '<<', '>>'];
      push('punct', i + (ops.includes(two) ? 2 : 1));
    }
  }
  return out;
}

export interface Statement {
  text: string;
  start: number;
  end: number;
}

/** Splits on top-level semicolons; empty statements (only spaces/comments) are dropped. */
export function splitStatements(sql: string): Statement[] {
  const out: Statement[] = [];
  let start = 0;
  let hasCode = false;
  const flush = (end: number) => {
    if (hasCode) {
      const raw = sql.slice(start, end);
      const lead = raw.length - raw.trimStart().length;
      out.push({ text: raw.trim(), start: start + lead, end: start + lead + raw.trim().length });
    }
    hasCode = false;
  };
  for (const t of tokenize(sql)) {
    if (t.type === 'punct' && t.text === ';') {
      flush(t.start);
      start = t.end;
    } else if (t.type !== 'space' && t.type !== 'comment') {
      hasCode = true;
    }
  }
  flush(sql.length);
  return out;
}

/** The statement that contains `offset`, or the nearest one before it (cursor after the last `;`). */
export function statementAt(sql: string, offset: number): Statement | undefined {
  const all = splitStatements(sql);
  let best: Statement | undefined;
  for (const s of all) {
    if (offset >= s.start && offset <= s.end + 1) return s;
    if (s.start <= offset) best = s;
  }
  return best ?? all[0];
}

/** 1-based line and column of an offset. */
export function lineColumn(sql: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < sql.length; i++) {
    if (sql[i] === '\n') { line++; lineStart = i + 1; }
  }
  return { line, column: offset - lineStart + 1 };
}

/** Unquotes an identifier token ("x", [x], `x`) or returns a word as is. */
export function identifierText(t: Token): string {
  if (t.type !== 'quoted') return t.text;
  const q = t.text[0]!;
  const body = t.text.slice(1, -1);
  return q === '[' ? body : body.split(q + q).join(q);
}

const CLAUSE = /^(WHERE|JOIN|ON|USING|GROUP|ORDER|LIMIT|LEFT|RIGHT|FULL|INNER|CROSS|NATURAL|OUTER|UNION|EXCEPT|INTERSECT|HAVING|WINDOW|SET|VALUES|SELECT|DEFAULT)$/i;

export interface TableReference {
  table: string;
  alias?: string;
}

/** Tables after FROM / JOIN / UPDATE / INTO, with their aliases (good enough for hints and batching). */
export function tableReferences(sql: string): TableReference[] {
  const toks = tokenize(sql).filter((t) => t.type !== 'space' && t.type !== 'comment');
  const refs: TableReference[] = [];
  const isName = (t: Token | undefined) => !!t && (t.type === 'word' || t.type === 'quoted') && !(t.type === 'word' && CLAUSE.test(t.text));
  for (let i = 0; i < toks.length - 1; i++) {
    const kw = toks[i]!.text.toUpperCase();
    if (toks[i]!.type !== 'word' || !['FROM', 'JOIN', 'UPDATE', 'INTO'].includes(kw)) continue;
    let j = i + 1;
    while (isName(toks[j])) {
      const ref: TableReference = { table: identifierText(toks[j]!) };
      let k = j + 1;
      if (toks[k]?.text.toUpperCase() === 'AS') k++;
      if (isName(toks[k])) { ref.alias = identifierText(toks[k]!); k++; }
      refs.push(ref);
      if (toks[k]?.text !== ',') break;
      j = k + 1; // FROM a x, b y
    }
  }
  return refs;
}

/** Table names referenced by the statement, without duplicates. */
export function referencedTables(sql: string): string[] {
  return [...new Set(tableReferences(sql).map((r) => r.table))];
}

/**
 * Whether a COLLATE may change a comparison of the statement (anywhere but an ORDER BY or GROUP BY, whose
 * collation only orders or groups rows): a virtual table compares keys exactly and cannot learn a term's
 * collation (wa-sqlite has no sqlite3_vtab_collation), so such a statement's String keys are left to SQLite
 * unless the table needs them (vtab.ts).
 */
export function collatesComparisons(sql: string): boolean {
  const clause: string[] = [''];
  for (const t of tokenize(sql)) {
    if (t.text === '(') clause.push(clause[clause.length - 1]!);
    else if (t.text === ')') { if (clause.length > 1) clause.pop(); }
    else if (t.type === 'word') {
      const w = t.text.toUpperCase();
      if (w === 'COLLATE' && clause[clause.length - 1] !== 'ORDER') return true;
      if (w === 'ORDER' || w === 'GROUP') clause[clause.length - 1] = 'ORDER';
      else if (/^(SELECT|FROM|WHERE|ON|JOIN|HAVING|LIMIT|UNION|EXCEPT|INTERSECT|VALUES|SET|USING)$/.test(w)) clause[clause.length - 1] = w;
    }
  }
  return false;
}
