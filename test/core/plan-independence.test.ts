// Plan independence (issue 7 §3): a query answers the same rows whichever plan SQLite picks. Each entry of the
// corpus is one question asked in at least three plans that force a different path through the virtual
// tables: a key pushed down (a get by id, a keyed listing), the same term with its key disabled (`+col` makes
// it an expression SQLite filters itself, over the full listing), the key fed from a subquery (`IN (SELECT …)`),
// and CROSS JOIN to force the join order. Results are compared as sorted rows, against the sandbox over HTTP.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { collect, rig, type Rig } from '../helpers';
import { connect, type Connection } from '../../src/core';
import type { SqlValue } from '../../src/core';

/** Fixed anchor so timestamps (and the time bounds below) are the same on every run and host. */
const NOW = Date.UTC(2026, 10, 24);

interface Entry { name: string; plans: string[] }

function sorted(rows: Record<string, SqlValue>[]): string[] {
  return rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [k, typeof v === 'bigint' ? String(v) : v]))).sort();
}

/** Media columns without the ones Graph varies per read (none today; keeps the corpus readable). */
const M = 'Id, MediaType, MediaProductType, Timestamp, CommentsCount, BusinessAccountId';

function corpus(): Entry[] {
  const by = (col: string, value: string, table: string, cols: string, extra = '') => [
    `SELECT ${cols} FROM ${table} WHERE ${col} = ${value}${extra}`,
    `SELECT ${cols} FROM ${table} WHERE +${col} = ${value}${extra}`,
    `SELECT ${cols} FROM ${table} WHERE ${col} IN (SELECT ${value})${extra}`,
  ];
  const range = (table: string, col: string, cond: string, cols: string) => [
    `SELECT ${cols} FROM ${table} WHERE ${col} ${cond}`,
    `SELECT ${cols} FROM ${table} WHERE +${col} ${cond}`,
    `SELECT ${cols} FROM ${table} WHERE Id IN (SELECT Id FROM ${table} WHERE ${col} ${cond})`,
  ];
  return [
    // Media looked up by id: only the listing's rows (own posts, reels and albums of the selected accounts).
    { name: 'Media by the id of a post', plans: by('Id', '@media', 'Media', M) },
    { name: 'Media by the id of a story (not a row of Media)', plans: by('Id', '@story', 'Media', M) },
    { name: 'Media by the id of an album child (not a row of Media)', plans: by('Id', '@child', 'Media', M) },
    { name: "Media by the id of another account's media (tags)", plans: by('Id', '@tag', 'Media', M) },
    { name: 'Media by an id given as an INTEGER', plans: by('Id', 'CAST(@media AS INTEGER)', 'Media', M) },
    { name: 'Media by a list of mixed ids', plans: [
      `SELECT ${M} FROM Media WHERE Id IN (@media, @story, @child, @tag, @album)`,
      `SELECT ${M} FROM Media WHERE +Id IN (@media, @story, @child, @tag, @album)`,
      `SELECT ${M} FROM Media WHERE Id IN (SELECT Id FROM Stories UNION ALL SELECT @media UNION ALL SELECT @child UNION ALL SELECT @tag UNION ALL SELECT @album)`,
    ] },
    { name: 'Media ∩ Stories is empty', plans: [
      'SELECT m.Id FROM Media m JOIN Stories s ON s.Id = m.Id',
      'SELECT m.Id FROM Stories s CROSS JOIN Media m WHERE m.Id = s.Id',
      'SELECT Id FROM Media WHERE +Id IN (SELECT Id FROM Stories)',
    ] },
    { name: 'Media ∩ Tags is empty', plans: [
      'SELECT m.Id FROM Tags t CROSS JOIN Media m WHERE m.Id = t.Id',
      'SELECT Id FROM Media WHERE +Id IN (SELECT Id FROM Tags)',
      'SELECT Id FROM Media WHERE Id IN (SELECT Id FROM Tags)',
    ] },
    { name: 'Media with the account given and a post of another account', plans: by('Id', '@otherMedia', 'Media', M, ' AND BusinessAccountId = @acc') },
    // The example: Media joined with MediaInsights gives the media's metrics, never a story's.
    { name: 'Media ⋈ MediaInsights on MediaId, Metric IN (…)', plans: [
      "SELECT m.Id, i.Metric, i.Value FROM Media m JOIN MediaInsights i ON i.MediaId = m.Id WHERE i.Metric IN ('reach', 'likes')",
      "SELECT m.Id, i.Metric, i.Value FROM MediaInsights i CROSS JOIN Media m WHERE i.MediaId = m.Id AND i.Metric IN ('reach', 'likes')",
      "SELECT m.Id, i.Metric, i.Value FROM Media m CROSS JOIN MediaInsights i WHERE i.MediaId = m.Id AND i.Metric IN ('reach', 'likes')",
      "SELECT m.Id, i.Metric, i.Value FROM MediaInsights i JOIN Media m ON +m.Id = i.MediaId WHERE i.Metric IN ('reach', 'likes')",
    ] },
    { name: 'Stories ⋈ MediaInsights', plans: [
      "SELECT s.Id, i.Metric, i.Value FROM Stories s JOIN MediaInsights i ON i.MediaId = s.Id WHERE i.Metric = 'reach'",
      "SELECT s.Id, i.Metric, i.Value FROM MediaInsights i CROSS JOIN Stories s WHERE i.MediaId = s.Id AND i.Metric = 'reach'",
      "SELECT s.Id, i.Metric, i.Value FROM Stories s CROSS JOIN MediaInsights i WHERE +i.MediaId = s.Id AND i.Metric = 'reach'",
    ] },
    { name: 'MediaInsights of one media', plans: by('MediaId', '@media', 'MediaInsights', 'MediaId, MediaProductType, Metric, Value, BusinessAccountId') },
    { name: 'MediaInsights of one story', plans: by('MediaId', '@story', 'MediaInsights', 'MediaId, MediaProductType, Metric, Value, BusinessAccountId') },
    { name: 'MediaInsightsStory of one story', plans: by('MediaId', '@story', 'MediaInsightsStory', '*') },
    { name: "MediaInsights of another account's media (tags)", plans: by('MediaId', '@tag', 'MediaInsights', 'MediaId, Metric, Value, BusinessAccountId') },
    { name: 'MediaInsights of an album child', plans: by('MediaId', '@child', 'MediaInsights', 'MediaId, Metric, Value, BusinessAccountId') },
    { name: 'MediaInsightsPost of a reel (not a post)', plans: by('MediaId', '@reel', 'MediaInsightsPost', '*') },
    // Comments and replies.
    { name: 'Comments by id of a top-level comment', plans: by('Id', '@comment', 'Comments', '*') },
    { name: 'Comments by id of a reply (a row of Replies, not Comments)', plans: by('Id', '@reply', 'Comments', '*') },
    { name: 'Comments of one media', plans: by('MediaId', '@media', 'Comments', '*') },
    { name: "Comments of one media under another account's filter", plans: by('MediaId', '@media', 'Comments', '*', ' AND BusinessAccountId = @other') },
    { name: "Comments of another account's media (tags)", plans: by('MediaId', '@tag', 'Comments', '*') },
    { name: 'MediaChildren of an album of another account (tags)', plans: by('ParentId', '@tagAlbum', 'MediaChildren', '*') },
    { name: 'Comments ⋈ Media', plans: [
      'SELECT c.Id, c.MediaId, m.MediaType FROM Media m JOIN Comments c ON c.MediaId = m.Id WHERE m.Id IN (@media, @album)',
      'SELECT c.Id, c.MediaId, m.MediaType FROM Comments c CROSS JOIN Media m WHERE c.MediaId = m.Id AND m.Id IN (@media, @album)',
      'SELECT c.Id, c.MediaId, m.MediaType FROM Media m CROSS JOIN Comments c WHERE +c.MediaId = m.Id AND m.Id IN (@media, @album)',
    ] },
    { name: 'Replies by id of a reply', plans: by('Id', '@reply', 'Replies', '*') },
    { name: 'Replies by id of a top-level comment (a row of Comments)', plans: by('Id', '@comment', 'Replies', '*') },
    { name: 'Replies of one comment', plans: by('CommentId', '@comment', 'Replies', '*') },
    { name: 'Replies ⋈ Comments of one media', plans: [
      'SELECT r.Id, r.CommentId, c.MediaId FROM Comments c JOIN Replies r ON r.CommentId = c.Id WHERE c.MediaId = @media',
      'SELECT r.Id, r.CommentId, c.MediaId FROM Replies r CROSS JOIN Comments c WHERE r.CommentId = c.Id AND c.MediaId = @media AND r.MediaId = @media',
      'SELECT r.Id, r.CommentId, r.MediaId FROM Replies r WHERE r.CommentId IN (SELECT Id FROM Comments WHERE MediaId = @media)',
    ] },
    // Album children.
    { name: 'MediaChildren of one album', plans: by('ParentId', '@album', 'MediaChildren', '*') },
    { name: 'MediaChildren ⋈ Media', plans: [
      'SELECT c.Id, c.ParentId, m.Timestamp FROM Media m JOIN MediaChildren c ON c.ParentId = m.Id WHERE m.Id = @album',
      'SELECT c.Id, c.ParentId, m.Timestamp FROM MediaChildren c CROSS JOIN Media m WHERE c.ParentId = m.Id AND m.Id = @album',
      'SELECT c.Id, c.ParentId, m.Timestamp FROM Media m CROSS JOIN MediaChildren c WHERE +c.ParentId = m.Id AND m.Id = @album',
    ] },
    // Child edges of a media listing: inline with the media pages (field expansion), or read per media.
    { name: 'Comments and Replies of an account\'s media listing', plans: [
      'SELECT c.Id, c.Text, c.BusinessAccountId, r.Id AS R, r.MediaId AS RM FROM Media m JOIN Comments c ON c.MediaId = m.Id LEFT JOIN Replies r ON r.CommentId = c.Id WHERE m.BusinessAccountId = @acc',
      'SELECT c.Id, c.Text, c.BusinessAccountId, r.Id AS R, r.MediaId AS RM FROM Media m CROSS JOIN Comments c LEFT JOIN Replies r ON r.CommentId = c.Id WHERE c.MediaId = m.Id AND m.BusinessAccountId = @acc',
      'SELECT c.Id, c.Text, c.BusinessAccountId, r.Id AS R, r.MediaId AS RM FROM Comments c LEFT JOIN Replies r ON r.CommentId = c.Id WHERE c.MediaId IN (SELECT Id FROM Media WHERE +BusinessAccountId = @acc)',
    ] },
    { name: 'Comments of the newest media (a LIMIT in a subquery)', plans: [
      'SELECT c.Id, c.Username FROM (SELECT Id FROM Media WHERE BusinessAccountId = @acc LIMIT 15) m JOIN Comments c ON c.MediaId = m.Id',
      'SELECT c.Id, c.Username FROM Comments c WHERE c.MediaId IN (SELECT Id FROM Media WHERE BusinessAccountId = @acc LIMIT 15)',
      'SELECT c.Id, c.Username FROM (SELECT Id FROM Media WHERE BusinessAccountId = @acc LIMIT 15) m CROSS JOIN Comments c WHERE +c.MediaId = m.Id AND c.BusinessAccountId = @acc',
    ] },
    { name: 'MediaChildren of an account\'s media listing', plans: [
      'SELECT c.Id, c.ParentId, c.MediaType, c.BusinessAccountId FROM Media m JOIN MediaChildren c ON c.ParentId = m.Id WHERE m.BusinessAccountId = @acc',
      'SELECT c.Id, c.ParentId, c.MediaType, c.BusinessAccountId FROM MediaChildren c WHERE c.BusinessAccountId = @acc',
      'SELECT c.Id, c.ParentId, c.MediaType, c.BusinessAccountId FROM MediaChildren c WHERE c.ParentId IN (SELECT Id FROM Media WHERE +BusinessAccountId = @acc)',
    ] },
    // Timestamp ranges: the bound is the text SQLite compares, whatever its shape or the host's time zone.
    { name: "Timestamp >= a date ('2026-06-01')", plans: range('Media', 'Timestamp', ">= '2026-06-01'", M) },
    { name: "Timestamp < a date and time without a zone ('…T10:00:00')", plans: range('Media', 'Timestamp', "< '2026-06-01T10:00:00'", M) },
    { name: "Timestamp > a time with a space ('2026-06-01 12:00')", plans: range('Media', 'Timestamp', "> '2026-06-01 12:00'", M) },
    { name: 'Timestamp <= a time with a zone offset (compared as text)', plans: range('Media', 'Timestamp', "<= '2026-09-15T23:00:00+02:00'", M) },
    { name: 'Timestamp BETWEEN two dates', plans: range('Media', 'Timestamp', "BETWEEN '2026-03-01' AND '2026-03-31T23:59:59Z'", M) },
    { name: 'Timestamp >= a number (text comparison: every row)', plans: range('Media', 'Timestamp', '>= 1780000000', M) },
    { name: 'Timestamp <= a number (text comparison: no row)', plans: range('Media', 'Timestamp', '<= 1780000000', M) },
    { name: 'Timestamp = NULL bound (no row)', plans: range('Media', 'Timestamp', '>= NULL', M) },
    { name: 'Timestamp range and an id', plans: [
      `SELECT ${M} FROM Media WHERE Id = @media AND Timestamp >= '2020-01-01'`,
      `SELECT ${M} FROM Media WHERE +Id = @media AND +Timestamp >= '2020-01-01'`,
      `SELECT ${M} FROM Media WHERE Id IN (SELECT Id FROM Media WHERE Timestamp >= '2020-01-01') AND Id = @media`,
    ] },
    // Insights keys that only narrow what is asked (a metric, a breakdown): the same rows as reading all.
    { name: 'AccountInsights of one metric', plans: by('Metric', "'reach'", 'AccountInsights', 'Metric, MetricType, EndTime, Value', " AND EndTime >= '2026-10-01' AND EndTime < '2026-11-01'") },
    { name: 'AccountFollowType of one metric', plans: by('Metric', "'views'", 'AccountFollowType', '*', " AND EndTime >= '2026-10-01' AND EndTime < '2026-11-01'") },
    { name: 'AudienceInsights of one breakdown', plans: by('Breakdown', "'country'", 'AudienceInsights', '*', " AND BusinessAccountId = @acc") },
    // Pages.
    { name: 'Pages by id', plans: by('Id', '@page', 'Pages', '*') },
    { name: 'InstagramPages by PageId', plans: by('PageId', '@page', 'InstagramPages', '*') },
  ];
}

describe('plan independence: the same rows whichever plan SQLite picks', () => {
  let r: Rig;
  /**
   * The same sandbox without round-trip overlap (read-ahead, merged requests), with every statement in the
   * asyncify build (engine/sync-route.ts) and every page awaited (no rows served from memory): answers must
   * not change.
   */
  let plain: Connection;
  /** Overlap on, Graph field expansion off: the child tables read their edges themselves (batched). */
  let unexpanded: Connection;
  const params: Record<string, string> = {};
  before(async () => {
    r = await rig({ media: 40, now: NOW });
    plain = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${r.sandbox.url}`, { overlap: false, synchronousBuild: false, fromMemory: false });
    unexpanded = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${r.sandbox.url}`, { expand: false });
    const one = async (sql: string) => String(Object.values((await r.rows(sql))[0] ?? {})[0] ?? '');
    const accounts = Object.keys(r.sandbox.summary().accounts);
    params.acc = accounts[0]!;
    params.other = accounts[1]!;
    params.media = await one(`SELECT Id FROM Media WHERE BusinessAccountId = '${params.acc}' AND MediaType = 'IMAGE' AND CommentsCount > 3 LIMIT 1`);
    params.album = await one(`SELECT Id FROM Media WHERE BusinessAccountId = '${params.acc}' AND MediaType = 'CAROUSEL_ALBUM' AND CommentsCount > 0 LIMIT 1`);
    params.otherMedia = await one(`SELECT Id FROM Media WHERE BusinessAccountId = '${params.other}' LIMIT 1`);
    params.reel = await one(`SELECT Id FROM Media WHERE BusinessAccountId = '${params.acc}' AND MediaProductType = 'REELS' LIMIT 1`);
    params.tagAlbum = await one("SELECT Id FROM Tags WHERE MediaType = 'CAROUSEL_ALBUM' LIMIT 1");
    params.story = await one(`SELECT Id FROM Stories WHERE BusinessAccountId = '${params.acc}' LIMIT 1`);
    params.child = await one(`SELECT Id FROM MediaChildren WHERE ParentId = '${params.album}' LIMIT 1`);
    params.tag = await one(`SELECT Id FROM Tags WHERE BusinessAccountId = '${params.acc}' LIMIT 1`);
    params.comment = await one(`SELECT Id FROM Comments c WHERE MediaId = '${params.media}' AND EXISTS (SELECT 1 FROM Replies r WHERE r.CommentId = c.Id) LIMIT 1`);
    params.reply = await one(`SELECT Id FROM Replies WHERE CommentId = '${params.comment}' LIMIT 1`);
    params.page = await one('SELECT Id FROM Pages LIMIT 1');
    for (const [k, v] of Object.entries(params)) assert.ok(v, `the sandbox has a ${k} to test with`);
  });
  after(async () => {
    await plain?.close();
    await unexpanded?.close();
    await r?.close();
  });

  test('the corpus has at least 30 questions, each in at least 3 plans', () => {
    const c = corpus();
    assert.ok(c.length >= 30, `${c.length} entries`);
    for (const e of c) assert.ok(new Set(e.plans).size >= 3, `${e.name}: ${e.plans.length} plans`);
  });

  const answered: string[] = [];
  const routed: string[] = [];
  for (const entry of corpus()) {
    test(entry.name, async () => {
      const results: Array<{ sql: string; rows: string[] }> = [];
      for (const sql of entry.plans) {
        results.push({ sql, rows: sorted(await r.rows(sql, params)) });
        results.push({ sql: `${sql} -- overlap off`, rows: sorted(await collect(await plain.query(sql, params))) });
        results.push({ sql: `${sql} -- field expansion off`, rows: sorted(await collect(await unexpanded.query(sql, params))) });
        // Sorted by SQLite, the statement reads its listings whole and runs in the synchronous build when it
        // can (no LIMIT or EXISTS): the same rows.
        const whole = `SELECT * FROM (${sql}) ORDER BY 1`;
        const res = await r.conn.query(whole, params);
        if (res.stats.build === 'synchronous') routed.push(whole);
        results.push({ sql: `${whole} -- synchronous build`, rows: sorted(await collect(res)) });
      }
      const [first, ...rest] = results;
      for (const other of rest) {
        assert.deepEqual(other.rows, first!.rows, `plans disagree (${other.rows.length} vs ${first!.rows.length} rows):\n  ${first!.sql}\n  ${other.sql}`);
      }
      if (first!.rows.length) answered.push(entry.name);
    });
  }

  test('most sorted plans ran in the synchronous build (the comparison above is not one path twice)', () => {
    const plans = corpus().reduce((n, e) => n + e.plans.length, 0);
    assert.ok(routed.length >= plans / 2, `${routed.length} of ${plans} plans`);
  });

  test('the corpus is not trivially empty: most questions have rows', () => {
    assert.ok(answered.length >= 20, `only ${answered.length} questions returned rows: ${answered.join('; ')}`);
  });
});
