/** Statement boundaries for the editor, from our tokenizer (dt-sql-parser's splitter gives up on any error). */
import { splitStatements, tokenize, type Statement } from '../core/sql/tokenize';

export type { Statement };
export { splitStatements };

/**
 * The statement the caret is in: the text between the top-level `;` before it and the one after it, trimmed
 * of leading space. After a final `;` the caret is in a new, empty statement.
 */
export function statementAtCaret(text: string, offset: number): Statement {
  let start = 0;
  let end = text.length;
  for (const t of tokenize(text)) {
    if (t.type !== 'punct' || t.text !== ';') continue;
    if (t.end <= offset) start = t.end;
    else { end = t.start; break; }
  }
  const raw = text.slice(start, end);
  const lead = raw.length - raw.trimStart().length;
  const s = Math.min(start + lead, offset);
  return { text: text.slice(s, end), start: s, end };
}
