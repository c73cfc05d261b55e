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

  test('a canonical text and its near misses name the same instant as the search over text order', () => {
    // The oracle: the first second whose canonical UTC text is not before the value, by bisection.
    const text = (t: number) => new Date(t * 1000).toISOString().slice(0, 19) + 'Z';
    const LAST = utc(9999, 12, 31, 23, 59, 59);
    const search = (s: string) => {
      if (text(LAST) < s) return undefined;
      if (text(0) >= s) return 0;
      let lo = 0, hi = LAST;
      while (hi - lo > 1) { const mid = Math.floor((lo + hi) / 2); if (text(mid) >= s) hi = mid; else lo = mid; }
      return hi;
    };
    const values = ['1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '2026-02-30T00:00:00Z', '2026-06-30T23:59:60Z', '2026-13-01T00:00:00Z', '2026-03-05T24:00:00Z', '2026-03-05t10:00:00Z', '2026-03-05T10:00:00z'];
    for (let i = 0; i < 200; i++) values.push(text(Math.floor(((i * 2654435761) % 4294967296) / 4294967296 * LAST)));
    for (const v of values) assert.equal(textInstant(v), search(v), v);
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
