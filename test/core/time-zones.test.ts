// The host's time zone never changes an answer (issue 7 §3). This file runs itself as a child process under
// TZ=UTC, America/Los_Angeles and Asia/Tokyo (the child prints the rows of a set of time-filtered queries,
// each keyed and with its key disabled), and asserts every zone gets the same rows and, in every zone, the
// keyed plan agrees with SQLite's own text comparison. It runs in `npm run test:unit`, so in CI.
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rig } from '../helpers';

const PROBE = 'IGSQL_TZ_PROBE';
const NOW = Date.UTC(2026, 10, 24);
const ZONES = ['UTC', 'America/Los_Angeles', 'Asia/Tokyo'];

/** [keyed, same question with the key disabled] pairs whose bounds are written without a zone. */
const QUERIES: Array<[string, string]> = [
  ["SELECT Id, Timestamp FROM Media WHERE Timestamp >= '2026-06-01T10:00:00' AND Timestamp < '2026-08-01T10:00:00'",
    "SELECT Id, Timestamp FROM Media WHERE +Timestamp >= '2026-06-01T10:00:00' AND +Timestamp < '2026-08-01T10:00:00'"],
  ["SELECT Id, Timestamp FROM Media WHERE Timestamp > '2026-07-04 23:30'",
    "SELECT Id, Timestamp FROM Media WHERE +Timestamp > '2026-07-04 23:30'"],
  ["SELECT Id, Timestamp FROM Media WHERE Timestamp <= '2026-05-20'",
    "SELECT Id, Timestamp FROM Media WHERE +Timestamp <= '2026-05-20'"],
  ["SELECT EndTime, Value FROM AccountTimeSeriesWithoutBreakdown WHERE Metric = 'reach' AND EndTime >= '2026-10-01T00:00:00' AND EndTime < '2026-10-15T12:00:00'",
    "SELECT EndTime, Value FROM AccountTimeSeriesWithoutBreakdown WHERE Metric = 'reach' AND EndTime >= '2026-10-01T00:00:00' AND EndTime < '2026-10-15T12:00:00' AND +EndTime < '2026-10-15T12:00:00'"],
  ["SELECT EndTime, Hour, Value FROM OnlineFollowers WHERE EndTime >= '2026-11-10' AND EndTime <= '2026-11-12T08:00:00'",
    "SELECT EndTime, Hour, Value FROM OnlineFollowers WHERE EndTime >= '2026-11-10' AND EndTime <= '2026-11-12T08:00:00' AND +EndTime >= '2026-11-10'"],
];

/** The child: runs the queries against a fresh sandbox and prints their rows as one JSON line. */
async function probe(): Promise<void> {
  const r = await rig({ media: 60, now: NOW, accounts: 1 });
  try {
    const out: unknown[] = [];
    for (const pair of QUERIES) out.push(await Promise.all(pair.map(async (sql) => (await r.rows(sql)).map((row) => JSON.stringify(row)).sort())));
    process.stdout.write(JSON.stringify({ zone: Intl.DateTimeFormat().resolvedOptions().timeZone, offset: new Date(NOW).getTimezoneOffset(), out }) + '\n');
  } finally {
    await r.close();
  }
}

if (process.env[PROBE]) {
  void probe().catch((e: unknown) => { process.stderr.write(String((e as Error)?.stack ?? e)); process.exit(1); });
} else {
  describe('time zones: the same rows under UTC, America/Los_Angeles and Asia/Tokyo', () => {
    test('each zone answers the same rows, and keyed plans agree with the text comparison', () => {
      const runs = ZONES.map((tz) => {
        const p = spawnSync(process.execPath, [__filename], { env: { ...process.env, TZ: tz, [PROBE]: '1' }, encoding: 'utf8', timeout: 120_000 });
        assert.equal(p.status, 0, `probe under TZ=${tz} failed: ${p.stderr}`);
        return JSON.parse(p.stdout.trim().split('\n').pop()!) as { zone: string; offset: number; out: string[][][] };
      });
      // The zones really differ (a TZ the runtime ignored would prove nothing).
      assert.deepEqual(runs.map((x) => x.offset), [0, 480, -540]);
      for (const run of runs) {
        run.out.forEach(([keyed, unkeyed], i) => {
          assert.ok(keyed!.length > 0, `query ${i} has rows under ${run.zone}`);
          assert.deepEqual(keyed, unkeyed, `query ${i} under ${run.zone}: pushed-down bounds drop or add rows\n${QUERIES[i]![0]}`);
        });
        assert.deepEqual(run.out, runs[0]!.out, `${run.zone} answers differently from UTC`);
      }
    });
  });
}
