import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lineColumn, splitStatements, statementAt } from '../../src/core';
import { collatesComparisons, referencedTables } from '../../src/core/sql/tokenize';
import { redact } from '../../src/core/log';

test('splits on top-level semicolons only', () => {
  const sql = "SELECT ';' AS a; -- c;\nSELECT \"x;y\" FROM Media /* ; */ ;\n\n;SELECT 3";
  assert.deepEqual(splitStatements(sql).map((s) => s.text), ["SELECT ';' AS a", '-- c;\nSELECT "x;y" FROM Media /* ; */', 'SELECT 3']);
});

test('statementAt finds the statement under the cursor and after the last semicolon', () => {
  const sql = 'SELECT 1;\nSELECT 2;\n';
  assert.equal(statementAt(sql, 3)!.text, 'SELECT 1');
  assert.equal(statementAt(sql, 12)!.text, 'SELECT 2');
  assert.equal(statementAt(sql, sql.length)!.text, 'SELECT 2');
});

test('lineColumn is 1-based', () => {
  assert.deepEqual(lineColumn('ab\ncd', 4), { line: 2, column: 2 });
  assert.deepEqual(lineColumn('ab', 0), { line: 1, column: 1 });
});

test('referencedTables reads FROM and JOIN targets', () => {
  assert.deepEqual(referencedTables('SELECT * FROM Media m, Pages p JOIN "Comments" c ON c.MediaId = m.Id'), ['Media', 'Pages', 'Comments']);
});

test('redact hides tokens in query strings, JSON and bearer headers', () => {
  const line = 'GET https://x/v24.0/me?access_token=EAAB123&code=abc {"client_secret":"zzz"} Authorization: Bearer EAAB1234567890';
  const r = redact(line, ['EAAB1234567890']);
  for (const s of ['EAAB123', 'abc', 'zzz', 'EAAB1234567890']) assert.ok(!r.includes(s), `${s} leaked in ${r}`);
});

test('collatesComparisons: a COLLATE anywhere but ORDER BY / GROUP BY (a window\'s too) may change a comparison', () => {
  assert.equal(collatesComparisons("SELECT * FROM Media WHERE Id = 'x' COLLATE NOCASE"), true);
  assert.equal(collatesComparisons('SELECT * FROM a JOIN b ON a.x = b.y COLLATE RTRIM'), true);
  assert.equal(collatesComparisons("SELECT * FROM Media WHERE Id IN (SELECT x FROM t WHERE y = 'a' COLLATE NOCASE) ORDER BY 1"), true);
  assert.equal(collatesComparisons('SELECT * FROM Media ORDER BY Caption COLLATE NOCASE'), false);
  assert.equal(collatesComparisons('SELECT Caption, count(*) FROM Media GROUP BY Caption COLLATE NOCASE'), false);
  assert.equal(collatesComparisons('SELECT row_number() OVER (PARTITION BY Id ORDER BY Caption COLLATE NOCASE) FROM Media WHERE Id = 1'), false);
  assert.equal(collatesComparisons("SELECT 'COLLATE' -- COLLATE\nFROM Media"), false);
});
