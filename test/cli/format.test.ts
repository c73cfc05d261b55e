import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeRows } from '../../src/cli/format';
import type { ResultColumn, SqlValue } from '../../src/core';

const cols = (...names: string[]): ResultColumn[] => names.map((name) => ({ name, type: null }));

async function table(columns: ResultColumn[], rows: Iterable<SqlValue[]>): Promise<string[]> {
  let text = '';
  async function* gen() { yield* rows; }
  await writeRows('table', columns, gen(), (s) => { text += s; });
  return text.split('\n');
}

test('table format aligns columns by display width: CJK and emoji take two columns each', async () => {
  // 日本語 is three wide characters (6 columns); 👍🏽 is one emoji with a skin-tone modifier (2 columns).
  const lines = await table(cols('Caption', 'N'), [['日本語', 1], ['abc', 2], ['👍🏽 ok', 3]]);
  assert.deepEqual(lines.slice(0, 5), [
    'Caption | N',
    '--------+--',
    '日本語  | 1',
    'abc     | 2',
    '👍🏽 ok   | 3',
  ]);
  assert.equal(lines[5], '(3 rows)');
});

test('a long cell is clipped to 60 columns without splitting a wide character or an emoji', async () => {
  const long = '写真'.repeat(40); // 160 columns
  const flags = '🇯🇵'.repeat(40); // regional-indicator pairs: one grapheme, two columns each
  const lines = await table(cols('A', 'B'), [[long, flags], ['x', 'y']]);
  const [a, b] = lines[2]!.split(' | ');
  assert.ok(a!.endsWith('…') && b!.endsWith('…'));
  // 29 wide characters (58 columns) + the ellipsis: a 30th would need columns 59–60 and leave no room for '…'.
  assert.equal(a, '写真'.repeat(14) + '写' + '…');
  assert.equal(b, '🇯🇵'.repeat(29) + '…');
  // The clipped column is 59 columns wide (58 + the ellipsis), and the next row is padded to it.
  assert.equal(lines[3], 'x' + ' '.repeat(58) + ' | y');
});

test('more than 120 000 rows print without overflowing the stack', async () => {
  const n = 150_000;
  function* rows() { for (let i = 1; i <= n; i++) yield [i, i % 7 === 0 ? '絵文字🎉' : 'x'] as SqlValue[]; }
  const lines = await table(cols('Id', 'Label'), rows());
  assert.equal(lines[0], 'Id     | Label');
  assert.equal(lines[2], '1      | x');
  assert.equal(lines[8], '7      | 絵文字🎉');
  assert.equal(lines[n + 1], '150000 | x');
  assert.equal(lines[n + 2], `(${n} rows)`);
});

test('control characters in a cell cannot reach the terminal: whitespace becomes a space, ESC and NUL become U+FFFD', async () => {
  const lines = await table(cols('Caption'), [['red\u001b[31m\u0007 x\n\ty\u0000']]);
  assert.equal(lines[2], 'red\ufffd[31m\ufffd x y\ufffd');
});
