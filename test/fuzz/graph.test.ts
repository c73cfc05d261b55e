/**
 * Fuzzing what Graph answers and what users ask (issue 12), over real HTTP into the real engine: a local
 * server answers each Graph request with a body fast-check draws (malformed JSON, wrong field types, missing
 * or odd paging, error bodies), and random SQL runs against the sandbox. Every query ends with rows or a
 * typed error: never INTERNAL, an untyped throw, a hang or an unhandled rejection. Many cases share one
 * connection, as a long session would.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { connect, type Connection } from '../../src/core';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { params, typed, watchRejections, within } from './fuzz';

let server: Server;
let url: string;
/** What the scripted server answers next: status, raw body. */
let answer: { status: number; body: string } = { status: 200, body: '{}' };
let sb: Sandbox;
const rejections = watchRejections();

before(async () => {
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sb = await startSandbox({ port: 0, media: 8 });
});
after(async () => {
  rejections.stop();
  await new Promise<void>((r) => server.close(() => r()));
  await sb.close();
});

async function drain(conn: Connection, sql: string): Promise<void> {
  try {
    const res = await conn.query(sql);
    for await (const row of res.rows) void row;
  } catch (e) {
    if (!typed(e)) throw new Error(`${sql} → ${(e as { code?: string }).code ?? (e as Error).name}: ${(e as Error).message}`, { cause: e });
  }
}

const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.bigInt().map(String));
const field = fc.oneof(scalar, fc.array(scalar, { maxLength: 3 }), fc.dictionary(fc.constantFrom('id', 'data', 'username', 'value'), scalar, { maxKeys: 2 }));
const item = fc.record({
  id: fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.constant('../me')),
  caption: field, like_count: field, comments_count: field, timestamp: fc.oneof(field, fc.date({ noInvalidDate: true }).map((d) => d.toISOString().replace('Z', '+0000'))),
  media_type: fc.oneof(field, fc.constantFrom('IMAGE', 'VIDEO', 'CAROUSEL_ALBUM')), is_comment_enabled: field, username: field, followers_count: field,
}, { requiredKeys: [] });
const paging = fc.oneof(
  fc.constant(undefined),
  fc.record({ cursors: fc.record({ after: fc.string({ maxLength: 6 }), before: fc.string({ maxLength: 6 }) }, { requiredKeys: [] }), next: fc.oneof(fc.webUrl(), fc.string({ maxLength: 10 }), fc.constant(undefined)) }, { requiredKeys: [] }),
  field,
);
const body = fc.oneof(
  fc.record({ data: fc.oneof(fc.array(item, { maxLength: 4 }), field), paging }, { requiredKeys: [] }).map((b) => JSON.stringify(b)),
  fc.array(item, { maxLength: 3 }).map((xs) => JSON.stringify(xs)),
  item.map((x) => JSON.stringify(x)),
  fc.record({ error: fc.record({ code: fc.oneof(fc.integer({ min: -1, max: 90000 }), fc.constantFrom(1, 2, 4, 10, 100, 190, 200, 80002)), message: fc.oneof(fc.string({ maxLength: 20 }), fc.integer()), error_subcode: fc.oneof(fc.integer(), fc.string({ maxLength: 3 })) }, { requiredKeys: [] }) }).map((x) => JSON.stringify(x)),
  fc.string({ maxLength: 30 }),
  fc.constantFrom('', 'null', '[]', '{"data":', '<html>oops</html>', '{"data":null}', '{"data":[null]}', '"text"', '12'),
);

test('random Graph answers to tables, look-ups and insights: rows or a typed error, never a crash or a hang', async () => {
  const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${url};Timeout=5;BusinessAccountId=1784`);
  // Retries would multiply the cases by four without adding paths: a query gets no retry budget here.
  (conn as unknown as { graph: { opts: { retryBudget: number } } }).graph.opts.retryBudget = 0;
  const queries = [
    'SELECT * FROM Media LIMIT 20',
    "SELECT Id, LikeCount FROM Media WHERE Id IN ('1', '2', '3')",
    "SELECT * FROM Comments WHERE MediaId = '5'",
    'SELECT Username, FollowersCount FROM InstagramBusinessProfile',
    "SELECT * FROM MediaInsights WHERE MediaId = '7'",
  ];
  try {
    await fc.assert(fc.asyncProperty(fc.constantFrom(...queries), fc.integer({ min: 200, max: 599 }).chain((s) => fc.constantFrom(200, 200, 200, s)), body, async (sql, status, b) => {
      answer = { status, body: b };
      await within(drain(conn, sql), 10_000, sql);
      rejections.check();
    }), params());
  } finally {
    await conn.close();
  }
});

test('random SQL against the sandbox: rows or a typed error (with the SQL error\'s place), never a crash', async () => {
  const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${sb.url};MaxRows=50`);
  const words = ['SELECT', '*', 'FROM', 'Media', 'Comments', 'Stories', 'MediaInsights', 'InstagramBusinessProfile', 'WHERE', 'Id', 'MediaId', 'Metric', '=', '<', '>=', 'IN', '(', ')', ',', "'1'", "'reach'", '1', 'NULL', 'AND', 'OR', 'NOT', 'LIMIT', 'ORDER', 'BY', 'GROUP', 'COUNT(*)', 'JOIN', 'ON', 'm', '.', 'AS', 'Timestamp', "'2026-01-01'", 'LikeCount', 'Caption', 'LIKE', "'%a%'", 'UNION', 'VALUES', 'INSERT', 'INTO', 'DELETE', 'UPDATE', 'SET', 'Hidden', 'EXEC', 'char(0)', 'x', '"', ';', '--', '/*', '?', '@p', 'CAST', 'INTEGER', '\ud800', 'sqlite_master', 'PRAGMA', 'ATTACH'];
  const stmt = fc.oneof(
    fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 14 }).map((ws) => ws.join(' ')),
    fc.constantFrom('SELECT Id FROM Media WHERE Id = ', "SELECT * FROM Comments WHERE MediaId IN ('1',", 'SELECT Caption FROM Media ORDER BY ').chain((p) => fc.string({ maxLength: 20 }).map((s) => p + s)),
    fc.string({ unit: 'binary', maxLength: 40 }),
  );
  // Writes are left out: random SQL must not post comments; a statement that would write is skipped.
  const writes = /\b(INSERT|UPDATE|DELETE|EXEC|ATTACH)\b/i;
  try {
    await fc.assert(fc.asyncProperty(stmt, async (sql) => {
      fc.pre(!writes.test(sql));
      await within(drain(conn, sql), 20_000, sql);
      rejections.check();
    }), params());
    assert.ok(true);
  } finally {
    await conn.close();
  }
});
