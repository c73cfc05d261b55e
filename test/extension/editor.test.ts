// The editor's pure helpers, with the fake `vscode` host (the modules import vscode).
import './fakes/vscode';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatStatement } from '../../src/extension/editor/formatter';
import { statementTitle } from '../../src/extension/editor/symbolProvider';

test('formatting upper-cases keywords and puts clauses on their own lines, parameters intact', () => {
  const out = formatStatement('select caption, likecount from media m where m.Id = @id and m.LikeCount > ? order by 2 desc', 2)!;
  assert.match(out, /^SELECT\n/);
  assert.match(out, /\nFROM\n\s+media m\nWHERE\n/);
  assert.match(out, /m\.Id = @id/);
  assert.match(out, /> \?/);
});

test('EXEC and SQL the formatter cannot parse are left as written', () => {
  assert.equal(formatStatement("EXEC PublishMedia @Caption = 'x'", 2), undefined);
  assert.equal(formatStatement("SELECT 'unterminated FROM", 2), undefined);
});

test('statement titles skip leading comments and stay short', () => {
  assert.equal(statementTitle('-- top posts\nSELECT Caption\n  FROM Media'), 'SELECT Caption FROM Media');
  assert.equal(statementTitle(`SELECT ${'x, '.repeat(40)}1`, 20).length, 20);
});
