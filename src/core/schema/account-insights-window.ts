/**
 * The days an account-insights view reads. Graph counts days in Pacific time and labels each by its end,
 * midnight Pacific: end_time is 07:00 UTC in summer and 08:00 UTC in winter ([USER-INS]: "periods ending on
 * UTC−07:00"; GRAPH-2026 "Days end at midnight Pacific"). A view's EndTime range selects the days whose label
 * falls in it, and each request asks for exactly those days (since/until on Pacific midnights), so a total is
 * the sum of the same days the time series lists, and no day is counted by two adjacent requests.
 * https://developers.facebook.com/documentation/instagram-platform/api-reference/instagram-user/insights
 * Pacific midnights come from Intl (America/Los_Angeles), never from the host's time zone.
 */
import { unixSeconds } from './common';
import type { Filter, TableContext } from './types';

export const DAY = 86400;
/** Graph refuses since..until spans above 30 days (counted in seconds: a span across a DST change is 1 h off). */
export const MAX_SPAN = 30 * DAY;

// Made on first use: a formatter with a time zone loads ICU's zone data (~20 ms), which every start paid.
let pacific: Intl.DateTimeFormat | undefined;

/** Seconds to add to a unix time to read Pacific wall time in UTC fields, from Intl (one formatToParts call). */
function intlOffset(t: number): number {
  pacific ??= new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Los_Angeles', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  });
  const p = Object.fromEntries(pacific.formatToParts(new Date(t * 1000)).map((x) => [x.type, x.value]));
  return Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second)) / 1000 - t;
}

/**
 * The offset changes of each UTC year, found once by bisection over Intl's answers (about 50 calls a year):
 * a 90-day window asked Intl ~500 times, 2–6 ms of every insights query (measured in bench/trace.ts).
 */
const YEARS = new Map<number, Array<{ at: number; offset: number }>>();

function yearChanges(year: number): Array<{ at: number; offset: number }> {
  let changes = YEARS.get(year);
  if (changes) return changes;
  const start = Date.UTC(year, 0, 1) / 1000;
  const end = Date.UTC(year + 1, 0, 1) / 1000;
  changes = [{ at: start, offset: intlOffset(start) }];
  // Zone rules change the offset at most twice a year, months apart: probe each month, bisect each change.
  let lo = start;
  for (let month = 1; month <= 12; month++) {
    const hi = month === 12 ? end : Date.UTC(year, month, 1) / 1000;
    let before = lo;
    let after = hi;
    const offset = intlOffset(after);
    if (offset !== changes[changes.length - 1]!.offset) {
      while (after - before > 1) {
        const mid = Math.floor((before + after) / 2);
        if (intlOffset(mid) === offset) after = mid;
        else before = mid;
      }
      changes.push({ at: after, offset });
    }
    lo = hi;
  }
  YEARS.set(year, changes);
  return changes;
}

function pacificOffset(t: number): number {
  const changes = yearChanges(new Date(t * 1000).getUTCFullYear());
  let offset = changes[0]!.offset;
  for (const c of changes) if (c.at <= t) offset = c.offset;
  return offset;
}

function pacificParts(t: number): { y: number; m: number; d: number; h: number; min: number } {
  const w = new Date((t + pacificOffset(t)) * 1000);
  return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate(), h: w.getUTCHours(), min: w.getUTCMinutes() };
}

/** The Pacific midnight (unix seconds) that starts the Pacific day containing `t`. */
export function pacificDayStart(t: number): number {
  const { y, m, d } = pacificParts(t);
  for (const hours of [7, 8]) {
    const c = Date.UTC(y, m - 1, d, hours) / 1000;
    const q = pacificParts(c);
    if (q.h === 0 && q.min === 0 && q.d === d) return c;
  }
  /* c8 ignore next */
  throw new Error(`no Pacific midnight on ${y}-${m}-${d}`);
}

/** The first Pacific midnight at or after `t`. */
export function pacificMidnightAtOrAfter(t: number): number {
  const start = pacificDayStart(t);
  return start === t ? t : pacificDayStart(start + 30 * 3600);
}

/**
 * The Pacific midnight after the Pacific midnight `start`: a day later, moved by the offset change within the
 * day (23 and 25-hour days), checked to read 00:00. A 90-day window took ~500 date conversions through
 * pacificMidnightAtOrAfter, 1–3 ms before its first request (bench/trace.ts --profile).
 */
export function nextPacificMidnight(start: number): number {
  const guess = start + DAY;
  const next = guess + pacificOffset(start) - pacificOffset(guess);
  const p = pacificParts(next);
  return p.h === 0 && p.min === 0 && next > start ? next : pacificMidnightAtOrAfter(start + 1);
}

export interface Span { since: number; until: number }

export interface InsightWindow {
  since: number;
  until: number;
  /** The Pacific days whose end (Graph's label) the window accepts, oldest first. */
  days: Span[];
  /** The same days as contiguous requests of at most 30 days. */
  spans: Span[];
  /**
   * Whether a row labelled `endTime` belongs to the window: inside since..until, and passing SQLite's own
   * check of the WHERE terms (which compares text: '2026-03-05T08:00:00Z' <= '2026-03-05' is false).
   */
  accepts(endTime: string | null): boolean;
}

/** Unix seconds → "2026-11-20T08:00:00Z". */
export function isoSeconds(t: number): string {
  return new Date(t * 1000).toISOString().replace('.000Z', 'Z');
}

function compare(a: string, op: string, b: string): boolean {
  switch (op) {
    case '>': return a > b;
    case '>=': return a >= b;
    case '<': return a < b;
    case '<=': return a <= b;
    default: return true;
  }
}

/** Consecutive days grouped into requests of at most MAX_SPAN seconds. */
export function daySpans(days: readonly Span[]): Span[] {
  const spans: Span[] = [];
  for (const d of days) {
    const last = spans[spans.length - 1];
    if (last && last.until === d.since && d.until - last.since <= MAX_SPAN) last.until = d.until;
    else spans.push({ ...d });
  }
  return spans;
}

/**
 * The EndTime range of the filter: default the last 30 days before now; only a lower bound → up to now; only
 * an upper bound → the 30 days before it. The days are those whose Pacific-midnight label lies in the range.
 */
export function insightWindow(ctx: TableContext, f: Filter, column = 'EndTime'): InsightWindow {
  const { min, max } = f.range(column);
  const now = Math.floor(ctx.now() / 1000);
  const until = unixSeconds(max, column) ?? now;
  const since = unixSeconds(min, column) ?? until - MAX_SPAN;
  // Every bound, as SQLite compares it (EndTime bounds reach the filter as text: toFilter). Strictness belongs
  // to each bound: `<` dropping the day at `until` wrongly dropped it when a tighter `<=` set `until`.
  const textBounds = f.keys.filter((k) => k.column === column && typeof k.value === 'string' && k.op !== '=');
  const accepts = (endTime: string | null) => {
    if (!endTime) return false;
    const t = Date.parse(endTime) / 1000;
    if (t < since || t > until) return false;
    return textBounds.every((k) => compare(endTime, k.op, k.value as string));
  };
  const days: Span[] = [];
  if (since <= until) {
    let start = pacificDayStart(pacificMidnightAtOrAfter(since) - 1);
    for (;;) {
      const end = nextPacificMidnight(start);
      if (end > until) break;
      if (accepts(isoSeconds(end))) days.push({ since: start, until: end });
      start = end;
    }
  }
  return { since, until, accepts, days, spans: daySpans(days) };
}
