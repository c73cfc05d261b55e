// The typed key layer (engine/quals.ts): Datetime bounds read as SQLite compares text, in UTC, whatever the
// shape of the value; the corpus in plan-independence.test.ts checks the same rules end to end.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { textInstant, timeBounds } from '../../src/core/engine/quals';

const utc = (...a: [number, number, number, number?, number?, number?]) => Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0, a[5] ?? 0) / 1000;

describe('quals: Datetime bounds', () => {
  test('a value names the first instant whose UTC text is not before it', () => {
    assert.equal(textInstant('2026-03-05'), utc(2026, 3, 5));
    assert.equal(textInstant('2026-03-05T10:00:00'), utc(2026, 3, 5, 10), 'no zone: UTC, not the host zone');
    assert.equal(textInstant('2026-03-05T10:00:00Z'), utc(2026, 3, 5, 10));
    assert.equal(textInstant('2026-03-05T10:00:00.5Z'), utc(2026, 3, 5, 10), "'.' sorts before 'Z': '…10:00:00Z' is not before it");
    assert.equal(textInstant('2026-03-05 23:00'), utc(2026, 3, 5), "' ' sorts before 'T': every time of that day is after it");
    assert.equal(textInstant('2026-03-05T10:00:00+02:00'), utc(2026, 3, 5, 10), 'an offset is compared as text, as SQLite does (not 08:00 UTC)');
    assert.equal(textInstant('2026-03-05T10:00:00~'), utc(2026, 3, 5, 10, 0, 1), "'~' sorts after 'Z': the next second");
  });

  test('bounds hold exactly the instants the text comparison accepts', () => {
    assert.deepEqual(timeBounds('>=', '2026-06-01'), { lower: utc(2026, 6, 1) });
    assert.deepEqual(timeBounds('<', '2026-06-01'), { upper: utc(2026, 6, 1) });
    assert.deepEqual(timeBounds('>=', 1780000000), {}, "'2026-…' >= '1780000000' as text: every row");
    assert.deepEqual(timeBounds('<=', 1780000000), { empty: true }, 'no row: nothing to ask Graph');
    assert.deepEqual(timeBounds('>', 'abc'), { empty: true });
    assert.deepEqual(timeBounds('<', 'abc'), {});
  });
});

describe('quals: tables declare get and list', () => {
  test('no listing re-implements the get branch: list never reads the key get answers', async () => {
    const { TABLES } = await import('../../src/core/schema');
    const { getKey } = await import('../../src/core/engine/quals');
    const withGet = TABLES.filter((t) => t.get);
    assert.deepEqual(withGet.map((t) => t.name).sort(), ['Comments', 'IGMedia', 'InstagramPages', 'Media', 'Pages', 'Replies']);
    for (const t of withGet) {
      const key = getKey(t)!;
      assert.ok(!t.list.toString().includes(`eq('${key}')`), `${t.name}.list reads ${key}`);
      assert.ok(!t.columns.find((c) => c.name === key)?.key?.includes('='), `${t.name}.${key} = is declared by get, not as a list key`);
    }
  });
});
