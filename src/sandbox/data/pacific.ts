// Graph's insight days end at midnight Pacific time: end_time is 07:00 UTC while daylight saving time is in
// effect and 08:00 UTC otherwise ([USER-INS]: "Metrics that support lifetime periods will have results returned
// in an array of 24 hour periods, with periods ending on UTC−07:00"; GRAPH-2026 "Days end at midnight Pacific").
// https://developers.facebook.com/documentation/instagram-platform/api-reference/instagram-user/insights
// Computed with Intl for America/Los_Angeles, never with the host's time zone.
// Made on first use: a formatter with a time zone loads ICU's zone data (~20 ms), which every sandbox start paid.
let pacific: Intl.DateTimeFormat | undefined;

/** The Pacific calendar date and hour of a unix time, from Intl. */
function intlParts(t: number): { y: number; m: number; d: number; h: number; min: number } {
  pacific ??= new Intl.DateTimeFormat('en-US', {
    timeZone: 'America/Los_Angeles', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
  });
  const p = Object.fromEntries(pacific.formatToParts(new Date(t * 1000)).map((x) => [x.type, x.value]));
  return { y: Number(p.year), m: Number(p.month), d: Number(p.day), h: Number(p.hour), min: Number(p.minute) };
}

// Pacific minus UTC, in minutes, per UTC hour asked: zone offsets change on the hour, and a served window asks
// the same few hundred hours again (Intl per call was 6 % of the sandbox's time for daily insights).
const OFFSETS = new Map<number, number>();

/** The Pacific calendar date and hour of a unix time. */
function pacificParts(t: number): { y: number; m: number; d: number; h: number; min: number } {
  const hour = Math.floor(t / 3600);
  let offset = OFFSETS.get(hour);
  if (offset === undefined) {
    const p = intlParts(hour * 3600);
    offset = (Date.UTC(p.y, p.m - 1, p.d, p.h, p.min) / 1000 - hour * 3600) / 60;
    if (OFFSETS.size > 100_000) OFFSETS.clear();
    OFFSETS.set(hour, offset);
  }
  const w = new Date((t + offset * 60) * 1000);
  return { y: w.getUTCFullYear(), m: w.getUTCMonth() + 1, d: w.getUTCDate(), h: w.getUTCHours(), min: w.getUTCMinutes() };
}

/** Unix seconds of the Pacific midnight that starts the Pacific day containing `t`. */
export function pacificDayStart(t: number): number {
  const { y, m, d } = pacificParts(t);
  // Midnight Pacific is 07:00 or 08:00 UTC of the same calendar date: take the one that reads 00:00 there.
  for (const hours of [7, 8]) {
    const c = Date.UTC(y, m - 1, d, hours) / 1000;
    const q = pacificParts(c);
    if (q.h === 0 && q.min === 0 && q.d === d) return c;
  }
  throw new Error(`no Pacific midnight on ${y}-${m}-${d}`);
}

/** The Pacific midnight after `dayStart` (days last 23, 24 or 25 hours). */
export function nextPacificMidnight(dayStart: number): number {
  return pacificDayStart(dayStart + 30 * 3600);
}
