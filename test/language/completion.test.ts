import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from '../../src/core';
import { LanguageService } from '../../src/language';

/**
 * The completion corpus (issue 9): caret positions (`|`) with the items expected on top, against the real
 * core's catalog. `top` must be the first items in order; `has` must be offered; `none` must not
 * appear at all.
 */
interface Case { sql: string; top?: string[]; has?: string[]; none?: string[]; empty?: boolean }

const CASES: Case[] = [
  // tables after FROM / JOIN
  { sql: 'SELECT * FROM |', has: ['Media', 'Comments', 'MediaInsights'], none: ['SELECT'] },
  { sql: 'SELECT * FROM Me|', top: ['Media', 'MediaChildren'] },
  { sql: 'SELECT * FROM med|', top: ['Media'] },
  { sql: 'SELECT * FROM Media m JOIN |', has: ['Comments', 'MediaInsights'] },
  { sql: 'SELECT * FROM Media m JOIN Com|', top: ['Comments'] },
  { sql: 'SELECT * FROM Media m LEFT JOIN Rep|', top: ['Replies'] },
  { sql: 'SELECT * FROM Hashtag|', top: ['HashtagRecentMedia', 'HashtagSearch', 'HashtagTopMedia'] },
  { sql: 'SELECT * FROM Stor|', top: ['Stories'] },
  { sql: 'select count(*) from Acc|', top: ['AccountContactButtonType'] },
  { sql: 'WITH recent AS (SELECT Id FROM Media) SELECT * FROM |', top: ['recent'] },
  { sql: 'WITH recent AS (SELECT Id FROM Media) SELECT * FROM rec|', top: ['recent'] },
  { sql: 'DELETE FROM Comm|', top: ['Comments'] },
  { sql: 'UPDATE Comm|', top: ['Comments'] },
  { sql: 'INSERT INTO Repl|', top: ['Replies'] },
  // aliased columns
  { sql: 'SELECT m.| FROM Media m', top: ['Id', 'Caption', 'MediaType'] },
  { sql: 'SELECT m.Cap| FROM Media m', top: ['Caption'] },
  { sql: 'SELECT m.like| FROM Media AS m', top: ['LikeCount'] },
  { sql: 'SELECT c.| FROM Media m JOIN Comments c ON c.MediaId = m.Id', top: ['Id', 'MediaId', 'Text'] },
  { sql: 'SELECT * FROM Media m JOIN Comments c ON c.|', top: ['Id', 'MediaId'] },
  { sql: 'SELECT * FROM Media m JOIN Comments c ON c.MediaId = m.|', top: ['Id'] },
  { sql: 'SELECT i.| FROM Media m JOIN MediaInsights i ON i.MediaId = m.Id', top: ['MediaId', 'MediaProductType', 'Metric'] },
  { sql: 'SELECT Media.| FROM Media', top: ['Id', 'Caption'] },
  { sql: 'SELECT x.| FROM Media m', empty: true },
  { sql: 'SELECT m.Caption, m.| FROM Media m', has: ['LikeCount'] },
  { sql: 'SELECT m.Id FROM Media m WHERE m.Time|', top: ['Timestamp'] },
  { sql: 'SELECT m.Id FROM Media m ORDER BY m.Lik|', top: ['LikeCount'] },
  // CTE and subquery columns
  { sql: 'WITH x AS (SELECT Id, Caption AS cap FROM Media) SELECT x.| FROM x', top: ['Id', 'cap'] },
  { sql: 'WITH x(a, b) AS (SELECT Id, Caption FROM Media) SELECT x.| FROM x', top: ['a', 'b'] },
  { sql: 'SELECT s.| FROM (SELECT Id, LikeCount AS likes FROM Media) s', top: ['Id', 'likes'] },
  { sql: 'SELECT s.| FROM (SELECT m.Id, m.Caption FROM Media m) AS s', top: ['Id', 'Caption'] },
  { sql: 'SELECT t.| FROM (SELECT * FROM Stories) t', has: ['Id', 'Caption'] },
  { sql: 'WITH a AS (SELECT Id FROM Media), b AS (SELECT Text, MediaId FROM Comments) SELECT b.| FROM a JOIN b ON b.MediaId = a.Id', top: ['Text', 'MediaId'] },
  { sql: 'SELECT | FROM (SELECT Id AS mediaKey FROM Media) s', has: ['mediaKey'] },
  // WHERE: key columns first
  { sql: 'SELECT * FROM Media WHERE |', top: ['Id', 'Timestamp', 'BusinessAccountId'] },
  { sql: 'SELECT * FROM Comments WHERE |', top: ['Id', 'MediaId'] },
  { sql: 'SELECT * FROM HashtagTopMedia WHERE |', top: ['HashtagId', 'Hashtag'] },
  { sql: 'SELECT * FROM Media WHERE LikeCount > 3 AND |', top: ['Id', 'Timestamp'] },
  { sql: 'SELECT * FROM Media m WHERE m.|', top: ['Id', 'Timestamp'] },
  { sql: 'SELECT * FROM MediaInsights WHERE |', top: ['MediaId', 'Metric'] },
  // metric names and enums
  { sql: 'SELECT * FROM MediaInsights WHERE Metric IN (|', top: ["'reach'"] },
  { sql: "SELECT * FROM MediaInsights WHERE Metric IN ('reach', |", none: ["'reach'"], has: ["'likes'"] },
  { sql: 'SELECT * FROM MediaInsights WHERE Metric = |', has: ["'reach'", "'saved'"] },
  { sql: "SELECT * FROM MediaInsights WHERE Metric = 'sa|", top: ["'saved'"] },
  { sql: "SELECT * FROM MediaInsights i WHERE i.Metric IN ('li|", top: ["'likes'"] },
  { sql: "SELECT * FROM Media WHERE MediaType = '|", top: ["'IMAGE'", "'VIDEO'", "'CAROUSEL_ALBUM'"] },
  { sql: 'SELECT * FROM Media WHERE MediaProductType = |', top: ["'FEED'", "'REELS'"] },
  { sql: 'SELECT * FROM AudienceInsights WHERE Breakdown = |', top: ["'age'", "'city'", "'country'", "'gender'"] },
  { sql: 'SELECT * FROM AudienceInsights WHERE Timeframe = |', top: ["'this_week'", "'this_month'"] },
  { sql: 'SELECT * FROM AccountInsights WHERE Period = |', top: ["'day'"] },
  { sql: 'SELECT * FROM AccountInsights WHERE Metric IN (|', has: ["'reach'"] },
  // EXEC
  { sql: 'EXEC |', has: ['PublishMedia', 'GetOAuthAccessToken'] },
  { sql: 'EXEC Pub|', top: ['PublishMedia'] },
  { sql: 'EXEC PublishMedia |', has: ['@ImageUrl', '@Caption'] },
  { sql: "EXEC PublishMedia @ImageUrl = 'https://x/y.jpg', |", none: ['@ImageUrl'], has: ['@Caption'] },
  { sql: 'EXECUTE PublishMedia @Cap|', top: ['@Caption'] },
  { sql: 'EXEC PublishMedia @Caption = |', empty: true },
  // keywords, functions, statement starts
  { sql: '|', top: ['SELECT', 'WITH', 'EXEC'] },
  { sql: 'SEL|', top: ['SELECT'] },
  { sql: 'SELECT | FROM Media', has: ['Id', 'Caption'] },
  { sql: 'SELECT Capt| FROM Media', top: ['Caption'] },
  { sql: 'SELECT cou| FROM Media', top: ['count'] },
  { sql: 'SELECT * FROM Media ORDER BY |', top: ['Id'] },
  { sql: 'SELECT * FROM Media m |', top: ['WHERE'], has: ['JOIN', 'ORDER BY', 'LIMIT'] },
  { sql: 'SELECT * FROM Media m JOIN Comments c |', top: ['ON'] },
  { sql: 'SELECT * FROM Media WHERE Caption LIKE |', none: ['Media'] },
  // half-typed statements, errors before the caret, several statements
  { sql: 'SELEC * FRM Media; SELECT m.| FROM Media m', top: ['Id', 'Caption'] },
  { sql: 'SELECT * FROM Media;\nSELECT * FROM Comments c WHERE c.|', top: ['Id', 'MediaId'] },
  { sql: 'SELECT m.| FROM Media m; SELECT * FROM Comments c', top: ['Id', 'Caption'] },
  { sql: 'SELECT * FROM Media; |', top: ['SELECT', 'WITH'] },
  { sql: 'SELECT * FROM Media;\n\nSELECT * FROM |', has: ['Media'] },
  { sql: "SELECT * FROM Media WHERE Caption = 'it''s; fine' AND m|", has: ['MediaType'] },
  { sql: 'SELECT m.Id,, FROM Media m WHERE m.|', top: ['Id', 'Timestamp'] },
  { sql: '-- a comment |', empty: true },
  { sql: "SELECT 'FROM |'", empty: true },
];

describe('completion corpus', () => {
  let ls: LanguageService;
  before(async () => {
    ls = new LanguageService({ connection: await connect('OAuthAccessToken=unused') });
  });

  test(`has at least 60 caret positions (${CASES.length})`, () => assert.ok(CASES.length >= 60));

  for (const c of CASES) {
    test(c.sql.replace(/\n/g, '⏎'), () => {
      const offset = c.sql.indexOf('|');
      const text = c.sql.replace('|', '');
      const labels = ls.complete(text, offset).items.map((i) => i.label);
      if (c.empty) assert.deepEqual(labels, []);
      if (c.top) assert.deepEqual(labels.slice(0, c.top.length), c.top, labels.slice(0, 10).join(', '));
      for (const h of c.has ?? []) assert.ok(labels.includes(h), `${h} not among ${labels.slice(0, 10).join(', ')}…`);
      for (const n of c.none ?? []) assert.ok(!labels.includes(n), `${n} should not be offered`);
    });
  }

  test('the replaced range covers the word being typed, to its end', () => {
    const text = 'SELECT m.Capt FROM Media m';
    const r = ls.complete(text, text.indexOf('Capt') + 2);
    assert.equal(text.slice(r.from, r.to), 'Capt');
  });

  test('key columns carry the note that Graph filters on them', () => {
    const text = 'SELECT * FROM Comments WHERE ';
    const item = ls.complete(text, text.length).items.find((i) => i.label === 'MediaId')!;
    assert.match(item.documentation ?? '', /Graph filters on/);
    assert.match(item.detail ?? '', /key: =, IN/);
  });
});
