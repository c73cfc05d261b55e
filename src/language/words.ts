/**
 * What SQLite understands beyond the schema: keywords and built-in functions offered by completion. The
 * PostgreSQL grammar that finds the caret's context knows keywords SQLite lacks (ILIKE, SIMILAR…), so its
 * keyword suggestions are filtered through this list.
 */
export const SQLITE_KEYWORDS = [
  'SELECT', 'DISTINCT', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'GLOB', 'BETWEEN', 'EXISTS',
  'JOIN', 'LEFT', 'INNER', 'CROSS', 'OUTER', 'ON', 'USING', 'AS', 'GROUP BY', 'HAVING', 'ORDER BY', 'ASC', 'DESC',
  'LIMIT', 'OFFSET', 'UNION', 'UNION ALL', 'EXCEPT', 'INTERSECT', 'WITH', 'RECURSIVE', 'CASE', 'WHEN', 'THEN', 'ELSE',
  'END', 'CAST', 'INSERT INTO', 'VALUES', 'UPDATE', 'SET', 'DELETE FROM', 'EXEC', 'TRUE', 'FALSE', 'NULLS FIRST',
  'NULLS LAST', 'OVER', 'PARTITION BY', 'ESCAPE', 'COLLATE',
] as const;

/** Keywords that may start a statement. */
export const STATEMENT_KEYWORDS = ['SELECT', 'WITH', 'EXEC', 'INSERT INTO', 'UPDATE', 'DELETE FROM'] as const;

export interface FunctionDoc {
  name: string;
  signature: string;
  description: string;
}

/** https://sqlite.org/lang_corefunc.html, lang_aggfunc.html, lang_datefunc.html, json1.html */
export const SQLITE_FUNCTIONS: readonly FunctionDoc[] = [
  ['count', 'count(X) | count(*)', 'Number of rows (or of non-NULL X).'],
  ['sum', 'sum(X)', 'Sum of non-NULL values.'],
  ['avg', 'avg(X)', 'Average of non-NULL values.'],
  ['min', 'min(X, …)', 'Smallest value (aggregate with one argument).'],
  ['max', 'max(X, …)', 'Largest value (aggregate with one argument).'],
  ['total', 'total(X)', 'Sum as a floating-point number (0.0 for no rows).'],
  ['group_concat', 'group_concat(X, SEP)', 'Values joined by SEP.'],
  ['coalesce', 'coalesce(X, Y, …)', 'First non-NULL argument.'],
  ['ifnull', 'ifnull(X, Y)', 'X, or Y when X is NULL.'],
  ['nullif', 'nullif(X, Y)', 'NULL when X = Y, else X.'],
  ['iif', 'iif(COND, X, Y)', 'X when COND is true, else Y.'],
  ['length', 'length(X)', 'Characters in a string.'],
  ['lower', 'lower(X)', 'Lower-case string.'],
  ['upper', 'upper(X)', 'Upper-case string.'],
  ['substr', 'substr(X, START, LEN)', 'Part of a string (1-based START).'],
  ['trim', 'trim(X, CHARS)', 'String without leading and trailing spaces (or CHARS).'],
  ['replace', 'replace(X, FROM, TO)', 'Every FROM in X replaced by TO.'],
  ['instr', 'instr(X, Y)', 'Position of Y in X (1-based, 0 when absent).'],
  ['printf', 'printf(FORMAT, …)', 'Formatted string.'],
  ['round', 'round(X, DIGITS)', 'X rounded to DIGITS decimals.'],
  ['abs', 'abs(X)', 'Absolute value.'],
  ['date', 'date(TIME, MODIFIER, …)', "Date as YYYY-MM-DD (e.g. date('now', '-7 days'))."],
  ['datetime', 'datetime(TIME, MODIFIER, …)', 'Date and time as YYYY-MM-DD HH:MM:SS (UTC).'],
  ['strftime', 'strftime(FORMAT, TIME, …)', "Formatted date (e.g. strftime('%Y-%m', Timestamp))."],
  ['julianday', 'julianday(TIME)', 'Days since noon in Greenwich on November 24, 4714 B.C.'],
  ['unixepoch', 'unixepoch(TIME)', 'Seconds since 1970-01-01 UTC.'],
  ['json_extract', 'json_extract(JSON, PATH)', "Value at PATH (e.g. '$.a[0]')."],
  ['json_each', 'json_each(JSON)', 'Table-valued: one row per element.'],
  ['row_number', 'row_number() OVER (…)', 'Window function: the row number within its partition.'],
  ['rank', 'rank() OVER (…)', 'Window function: rank with gaps.'],
  ['lag', 'lag(X, N) OVER (…)', 'Window function: X from N rows before.'],
  ['typeof', 'typeof(X)', "SQLite's storage class of X."],
  ['random', 'random()', 'A random 64-bit integer.'],
].map(([name, signature, description]) => ({ name: name!, signature: signature!, description: description! }));

export interface Snippet {
  label: string;
  description: string;
  /** VS Code / Monaco snippet syntax (${1:placeholder}). */
  body: string;
}

export const SNIPPETS: readonly Snippet[] = [
  { label: 'top media', description: 'Most liked media', body: 'SELECT Caption, LikeCount, CommentsCount, Timestamp\nFROM Media\nORDER BY LikeCount DESC\nLIMIT ${1:10}' },
  { label: 'media insights', description: 'Media joined with their lifetime insights', body: "SELECT m.Caption, i.Metric, i.Value\nFROM Media m\nJOIN MediaInsights i ON i.MediaId = m.Id\nWHERE m.Timestamp >= '${1:2026-01-01}'" },
  { label: 'recent comments', description: 'Comments on one media', body: "SELECT Username, Text, Created\nFROM Comments\nWHERE MediaId = '${1:media id}'\nORDER BY Created DESC" },
  { label: 'hide comment', description: 'Hide a comment', body: "UPDATE Comments SET Hidden = 1 WHERE Id = '${1:comment id}'" },
  { label: 'reply', description: 'Reply to a comment', body: "INSERT INTO Replies (CommentId, Text) VALUES ('${1:comment id}', '${2:Thanks!}')" },
  { label: 'account insights', description: 'Daily account metrics', body: "SELECT EndTime, Metric, Value\nFROM AccountInsights\nWHERE Metric IN ('${1:reach}')\nORDER BY EndTime" },
];
