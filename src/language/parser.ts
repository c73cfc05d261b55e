/**
 * dt-sql-parser, PostgreSQL dialect (DESIGN §9: it tracks aliases and suggests columns after `m.` and in the
 * SELECT list; the generic dialect does neither). Constructed on first use (~150 ms cold) and fed one statement
 * at a time, never the whole file.
 */
import type { PostgreSQL as PostgreSQLType } from 'dt-sql-parser';

export type CaretContext = 'table' | 'column' | 'function' | 'keyword';

export interface CaretSuggestions {
  /** What may go at the caret, from the grammar. */
  contexts: Set<CaretContext>;
  /** Keywords the grammar accepts at the caret (PostgreSQL's; the caller keeps SQLite's). */
  keywords: string[];
}

let parser: PostgreSQLType | undefined;

function instance(): PostgreSQLType {
  if (!parser) {
    // Required lazily: loading the grammar costs ~100 ms, which activation should not pay.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PostgreSQL } = require('dt-sql-parser/dist/parser/postgresql') as typeof import('dt-sql-parser');
    // Without an error listener antlr prints every syntax error of half-typed SQL to the console.
    class QuietPostgreSQL extends PostgreSQL {
      override createParser(input: string, errorListener?: Parameters<PostgreSQLType['createParser']>[1]) {
        return super.createParser(input, errorListener ?? (() => undefined));
      }
    }
    parser = new QuietPostgreSQL();
    // parseWithCache reads _errorListener; set a silent one there too.
    (parser as unknown as { _errorListener: () => void })._errorListener = () => undefined;
  }
  return parser;
}

/** Grammar suggestions at a 1-based line/column of `statement` (one statement, not the file). */
export function suggestAt(statement: string, line: number, column: number): CaretSuggestions | undefined {
  let s;
  try {
    s = instance().getSuggestionAtCaretPosition(statement, { lineNumber: line, column });
  } catch {
    return undefined; // the grammar gave up: the caller falls back to the tokenizer's view
  }
  if (!s) return undefined;
  const contexts = new Set<CaretContext>();
  for (const x of s.syntax) {
    const t = String(x.syntaxContextType);
    if (t === 'table' || t === 'view') contexts.add('table');
    else if (t === 'column') contexts.add('column');
    else if (t === 'function') contexts.add('function');
  }
  if (s.keywords.length) contexts.add('keyword');
  return { contexts, keywords: s.keywords };
}

/**
 * Builds the parser and warms antlr's prediction caches (measured: the first suggestions take 0.4–3 s, the
 * same ones later 2–15 ms). The host schedules this when idle, never on a keystroke.
 */
export function warmUp(): void {
  // Statements of the shapes people write, cut at the places completion asks about (after a name: which
  // clause comes next). Each cut warms the prediction states that position needs.
  const shapes = [
    "SELECT a, b FROM t x JOIN u y ON y.a = x.a WHERE x.b > 1 AND y.c = 'v' GROUP BY a ORDER BY b DESC LIMIT 10",
    'WITH w AS (SELECT a FROM t) SELECT w.a, count(*) AS n FROM w LEFT JOIN u ON u.a = w.a GROUP BY w.a HAVING n > 1',
    'SELECT s.a FROM (SELECT a, b AS c FROM t) s WHERE s.c IN (1, 2) ORDER BY 1',
    "UPDATE t SET a = 1 WHERE b = 'x'",
  ];
  for (const s of shapes) {
    for (let i = s.indexOf(' '); i > 0; i = s.indexOf(' ', i + 1)) suggestAt(s.slice(0, i + 1), 1, i + 2);
  }
}