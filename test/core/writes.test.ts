import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import got from 'got';
import { collect, failure, rig, type Rig } from '../helpers';

describe('writes through xUpdate: INSERT, UPDATE SET Hidden, DELETE', () => {
  let r: Rig;
  let account: string;
  let mediaId: string;
  const commentsOf = (id: string) => r.sandbox.summary().accounts[account]!.media[id]!.comments;
  const posts = () => r.requests().filter((q) => q.method === 'POST' || q.method === 'DELETE');

  before(async () => {
    r = await rig({ media: 20 });
    account = (await r.conn.businessAccounts())[0]!.id;
    mediaId = (await r.rows('SELECT Id FROM Media WHERE BusinessAccountId = ? AND CommentsCount < 40 LIMIT 1', [account]))[0]!.Id as string;
  });
  after(() => r.close());

  test('INSERT posts a comment the sandbox then holds; DELETE removes it', async () => {
    const before = commentsOf(mediaId);
    const res = await r.conn.query('INSERT INTO Comments (MediaId, Text) VALUES (?, ?)', [mediaId, 'Thanks for the love 💛 #grateful']);
    assert.equal(res.changes(), 1);
    assert.equal(commentsOf(mediaId), before + 1);
    const newId = /inserted (\d+)/.exec(res.stats.notes.join(' '))?.[1];
    assert.ok(newId, `the new id is reported: ${res.stats.notes}`);
    const rows = await r.rows('SELECT Id, Text FROM Comments WHERE MediaId = ?', [mediaId]);
    assert.ok(rows.some((c) => c.Id === newId && c.Text === 'Thanks for the love 💛 #grateful'));

    const del = await r.conn.query('DELETE FROM Comments WHERE Id = ?', [newId!]);
    assert.equal(del.changes(), 1);
    assert.equal(commentsOf(mediaId), before);
    assert.equal((await r.rows('SELECT Id FROM Comments WHERE Id = ?', [newId!])).length, 0);
  });

  test('UPDATE … SET Hidden toggles a comment, and only Hidden can change', async () => {
    const [c] = await r.rows('SELECT Id, Hidden FROM Comments WHERE MediaId = ? LIMIT 1', [mediaId]);
    assert.ok(c, 'the media has a comment');
    await r.conn.query('UPDATE Comments SET Hidden = 1 WHERE Id = ?', [c!.Id]);
    assert.equal((await r.rows('SELECT Hidden FROM Comments WHERE Id = ?', [c!.Id]))[0]!.Hidden, 1);
    await r.conn.query('UPDATE Comments SET Hidden = 0 WHERE Id = ?', [c!.Id]);
    assert.equal((await r.rows('SELECT Hidden FROM Comments WHERE Id = ?', [c!.Id]))[0]!.Hidden, 0);

    r.clear();
    const e = await failure(() => r.conn.query("UPDATE Comments SET Text = 'edited' WHERE Id = ?", [c!.Id]));
    assert.equal(e.code, 'READ_ONLY');
    assert.match(e.message, /only Hidden can be updated/);
    assert.deepEqual(posts(), [], 'nothing was sent');
  });

  test('Hidden must be 1 or 0: NULL, 2 or other text is refused before sending, and the comment stays hidden', async () => {
    const [c] = await r.rows('SELECT Id FROM Comments WHERE MediaId = ? LIMIT 1', [mediaId]);
    await r.conn.query('UPDATE Comments SET Hidden = TRUE WHERE Id = ?', [c!.Id]);
    assert.equal((await r.rows('SELECT Hidden FROM Comments WHERE Id = ?', [c!.Id]))[0]!.Hidden, 1);
    for (const bad of ['NULL', '2', "'yes'"]) {
      r.clear();
      const e = await failure(() => r.conn.query(`UPDATE Comments SET Hidden = ${bad} WHERE Id = ?`, [c!.Id]));
      assert.equal(e.code, 'INVALID_VALUE', bad);
      assert.match(e.message, /Hidden must be 1 \(hide\) or 0 \(show\)/);
      assert.deepEqual(posts(), [], `nothing was sent for Hidden = ${bad}`);
      assert.equal((await r.rows('SELECT Hidden FROM Comments WHERE Id = ?', [c!.Id]))[0]!.Hidden, 1, `Hidden = ${bad} did not unhide`);
    }
    await r.conn.query("UPDATE Comments SET Hidden = 'false' WHERE Id = ?", [c!.Id]);
    assert.equal((await r.rows('SELECT Hidden FROM Comments WHERE Id = ?', [c!.Id]))[0]!.Hidden, 0);
  });

  test('Comments by Id holds top-level comments only, Replies by Id only replies (a DELETE through the wrong table sends nothing)', async () => {
    const [pair] = await r.rows('SELECT r.Id AS ReplyId, r.CommentId FROM Media m JOIN Comments c ON c.MediaId = m.Id JOIN Replies r ON r.CommentId = c.Id WHERE m.BusinessAccountId = ? LIMIT 1', [account]);
    assert.ok(pair, 'the account has a reply');
    const [top] = await r.rows('SELECT Id, ParentId FROM Comments WHERE Id = ?', [pair!.CommentId]);
    assert.deepEqual(top, { Id: pair!.CommentId, ParentId: null });
    const [reply] = await r.rows('SELECT Id, CommentId FROM Replies WHERE Id = ?', [pair!.ReplyId]);
    assert.deepEqual(reply, { Id: pair!.ReplyId, CommentId: pair!.CommentId });
    assert.deepEqual(await r.rows('SELECT Id FROM Replies WHERE Id = ?', [pair!.CommentId]), [], 'a top-level comment is no reply');
    const res = await r.conn.query('SELECT Id FROM Comments WHERE Id = ?', [pair!.ReplyId]);
    assert.deepEqual(await collect(res), [], 'a reply is not in Comments');
    assert.ok(res.stats.notes.some((n) => n.includes('Replies')), res.stats.notes.join('\n'));
    r.clear();
    const del = await r.conn.query('DELETE FROM Comments WHERE Id = ?', [pair!.ReplyId]);
    assert.equal(del.changes(), 0);
    assert.deepEqual(posts(), []);
  });

  test('replies: INSERT on a comment, then DELETE', async () => {
    const [c] = await r.rows('SELECT Id FROM Comments WHERE MediaId = ? LIMIT 1', [mediaId]);
    const res = await r.conn.query('INSERT INTO Replies (CommentId, Text) VALUES (?, ?)', [c!.Id, 'We are glad you like it!']);
    assert.equal(res.changes(), 1);
    const replies = await r.rows('SELECT Id, Text, CommentId FROM Replies WHERE CommentId = ?', [c!.Id]);
    const mine = replies.find((x) => x.Text === 'We are glad you like it!');
    assert.ok(mine);
    assert.equal(mine!.CommentId, c!.Id);
    await r.conn.query('DELETE FROM Replies WHERE Id = ?', [mine!.Id]);
    assert.ok(!(await r.rows('SELECT Text FROM Replies WHERE CommentId = ?', [c!.Id])).some((x) => x.Text === 'We are glad you like it!'));
  });

  test("the API's limits are checked before sending, with a message that says which", async () => {
    const cases: Array<[string, RegExp]> = [
      ['x'.repeat(301), /301 characters.*at most 300/],
      ['#a #b #c #d #e', /5 hashtags.*at most 4/],
      ['see https://a.example and https://b.example', /2 URLs.*at most 1/],
      ['', /non-empty Text/],
    ];
    r.clear();
    for (const [text, re] of cases) {
      const e = await failure(() => r.conn.query('INSERT INTO Comments (MediaId, Text) VALUES (?, ?)', [mediaId, text]));
      assert.equal(e.code, 'INVALID_VALUE', text);
      assert.match(e.message, re);
    }
    const e = await failure(() => r.conn.query("INSERT INTO Comments (Text) VALUES ('hello')"));
    assert.match(e.message, /needs MediaId/);
    assert.deepEqual(posts(), [], 'nothing was sent');
  });

  test('writing to a view is READ_ONLY and names the writable tables', async () => {
    const e = await failure(() => r.conn.query("INSERT INTO Media (Caption) VALUES ('x')"));
    assert.equal(e.code, 'READ_ONLY');
    assert.match(e.message, /Media is read-only\. Writable tables: Comments, Replies/);
  });

  test('an INSERT whose response is lost is reported as unknown outcome and not sent twice', async () => {
    const before = commentsOf(mediaId);
    await got.post(`${r.sandbox.url}/__sandbox/faults`, { json: { method: 'POST', path: '/comments$', times: 1, kind: 'dropAfterApply' } });
    r.clear();
    const e = await failure(() => r.conn.query('INSERT INTO Comments (MediaId, Text) VALUES (?, ?)', [mediaId, 'Lost in transit']));
    assert.equal(e.code, 'WRITE_UNKNOWN_OUTCOME');
    assert.match(e.message, /may or may not have been applied/);
    assert.equal(posts().length, 1, 'exactly one POST');
    assert.equal(commentsOf(mediaId), before + 1, 'the sandbox applied it once');
  });
});
