// Version ranges of insight metrics and Graph's Pacific days, as pure functions (in addition to the sandbox
// tests): the answers must not depend on the host's time zone (run this file under any TZ).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { inVersion } from '../../src/core/schema/account-insights-common';
import { insightWindow, isoSeconds, nextPacificMidnight, pacificDayStart, pacificMidnightAtOrAfter } from '../../src/core/schema/account-insights-window';
import type { TableContext } from '../../src/core/schema/types';
import { toFilter } from '../../src/core/engine/quals';
import { AccountInsights } from '../../src/core/schema/account-insights';

function ctxOn(apiVersion: string, notes: string[]): TableContext {
  return { apiVersion, note: (m: string) => notes.push(m), now: () => Date.parse('2026-12-03T12:00:00Z') } as unknown as TableContext;
}

describe('metric version ranges', () => {
  test('a metric is asked only in [since, until), with a note otherwise', () => {
    const notes: string[] = [];
    assert.equal(inVersion(ctxOn('v21.0', notes), 'V', 'views', { since: 22 }), false);
    assert.equal(inVersion(ctxOn('v22.0', notes), 'V', 'views', { since: 22 }), true);
    assert.equal(inVersion(ctxOn('v24.0', notes), 'V', 'old', { until: 24 }), false);
    assert.equal(inVersion(ctxOn('v23.0', notes), 'V', 'old', { until: 24 }), true);
    assert.deepEqual(notes, [
      'views exists from Graph v22.0; this connection uses ApiVersion v21.0, so V does not ask for it.',
      'Graph removed old in v24.0; this connection uses ApiVersion v24.0, so V does not ask for it.',
    ]);
  });
});

describe('Pacific days', () => {
  test('midnight Pacific is 08:00 UTC in winter, 07:00 UTC in summer, whatever the host time zone', () => {
    const start = (iso: string) => isoSeconds(pacificDayStart(Date.parse(iso) / 1000));
    assert.equal(start('2026-01-15T12:00:00Z'), '2026-01-15T08:00:00Z');
    assert.equal(start('2026-07-15T03:00:00Z'), '2026-07-14T07:00:00Z');
    assert.equal(start('2026-03-08T20:00:00Z'), '2026-03-08T08:00:00Z', 'the 23-hour day starts in PST');
    assert.equal(start('2026-11-01T20:00:00Z'), '2026-11-01T07:00:00Z', 'the 25-hour day starts in PDT');
  });

  test('every hour of 2005–2008 and 2026–2027 finds the midnight Intl reads as 00:00 of the same Pacific date', () => {
    // The zone's offset changes are found once per year (2007 moved them); each day start is checked against
    // Intl itself, as the code once asked it for every call.
    const intl = new Intl.DateTimeFormat('en-US', { timeZone: 'America/Los_Angeles', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    const date = (t: number) => intl.format(new Date(t * 1000)).slice(0, 10);
    let checked = 0;
    for (const [from, to] of [[2005, 2009], [2026, 2028]] as const) {
      for (let t = Date.UTC(from, 0, 1) / 1000; t < Date.UTC(to, 0, 1) / 1000; t += 3600 + 60) {
        const start = pacificDayStart(t);
        assert.ok(start <= t && t - start < 25 * 3600, `${isoSeconds(t)} → ${isoSeconds(start)}`);
        assert.equal(intl.format(new Date(start * 1000)).slice(12), '00:00', `${isoSeconds(t)}: ${isoSeconds(start)} is midnight`);
        assert.equal(date(start), date(t), `${isoSeconds(t)}: same Pacific date`);
        checked++;
      }
    }
    assert.ok(checked > 50_000);
  });

  test('the midnight after each Pacific midnight of 2005–2008 and 2026–2027 is the first one after it (23, 24 and 25-hour days)', () => {
    const lengths = new Set<number>();
    for (const [from, to] of [[2005, 2009], [2026, 2028]] as const) {
      for (let start = pacificDayStart(Date.UTC(from, 0, 1) / 1000); start < Date.UTC(to, 0, 1) / 1000;) {
        const next = nextPacificMidnight(start);
        assert.equal(next, pacificMidnightAtOrAfter(start + 1), isoSeconds(start));
        lengths.add((next - start) / 3600);
        start = next;
      }
    }
    assert.deepEqual([...lengths].sort(), [23, 24, 25]);
  });

  test('an EndTime range selects the days whose end lies in it, in ≤ 30-day requests', () => {
    const f = toFilter(AccountInsights, [{ column: 'EndTime', op: '>=', value: '2026-10-20' }, { column: 'EndTime', op: '<', value: '2026-12-01' }]);
    const w = insightWindow(ctxOn('v24.0', []), f);
    const ends = w.days.map((d) => isoSeconds(d.until));
    assert.equal(ends[0], '2026-10-20T07:00:00Z');
    assert.ok(ends.includes('2026-11-01T07:00:00Z') && ends.includes('2026-11-02T08:00:00Z'));
    assert.equal(ends[ends.length - 1], '2026-11-30T08:00:00Z');
    assert.equal(ends.length, 42);
    assert.ok(w.spans.every((s) => s.until - s.since <= 30 * 86400));
    assert.equal(w.spans[0]!.since, w.days[0]!.since);
    assert.equal(w.spans[w.spans.length - 1]!.until, w.days[w.days.length - 1]!.until);
    const none = insightWindow(ctxOn('v24.0', []), toFilter(AccountInsights, [{ column: 'EndTime', op: '>=', value: '2026-10-20T01:00:00Z' }, { column: 'EndTime', op: '<=', value: '2026-10-20T05:00:00Z' }]));
    assert.deepEqual(none.days, [], 'no day ends between 01:00 and 05:00 UTC');
  });
});
