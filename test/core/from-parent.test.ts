// Columns an edge's items take from their parent (EdgeDef.fromParent, issue 11): comments listed under a media
// the query listed are not asked `media{id,owner{id}}`, replies not `parent_id`/`media{owner{id}}`; their
// MediaId, CommentId and BusinessAccountId come from the path. Checked against Graph's own answer for the same
// comments looked up by id (which asks those fields), and against the sandbox's world.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rig, type Rig } from '../helpers';

describe('columns taken from the parent', () => {
  let r: Rig;
  let account: string;
  before(async () => {
    r = await rig({ media: 60, accounts: 2 });
    account = (await r.conn.businessAccounts())[0]!.id;
  });
  after(() => r.close());

  /** Every `fields=` the sandbox saw (batch items included), decoded. */
  const fieldsSent = () => r.calls().map((q) => q.query.fields ?? '').filter(Boolean);
  /** The part of a `fields=` inside `edge.limit(n){…}` (balanced braces). */
  function inside(fields: string, edge: string): string | undefined {
    const at = fields.indexOf(`${edge}.limit(`);
    if (at < 0) return undefined;
    let i = fields.indexOf('{', at);
    const start = i + 1;
    for (let depth = 0; i < fields.length; i++) {
      if (fields[i] === '{') depth++;
      else if (fields[i] === '}' && --depth === 0) return fields.slice(start, i);
    }
    return undefined;
  }

  test('comments and replies under listed media: MediaId, CommentId and the account come from the path, as Graph says by id', async () => {
    r.clear();
    const rows = await r.rows(`SELECT m.Id AS M, c.Id AS C, c.MediaId AS CM, c.BusinessAccountId AS CA, r.Id AS R, r.CommentId AS RC, r.BusinessAccountId AS RA
      FROM (SELECT Id FROM Media WHERE BusinessAccountId = '${account}' LIMIT 20) m JOIN Comments c ON c.MediaId = m.Id LEFT JOIN Replies r ON r.CommentId = c.Id`);
    const listing = fieldsSent().find((f) => f.includes('comments.limit('))!;
    const comments = inside(listing, 'comments')!;
    const replies = inside(comments, 'replies')!;
    assert.ok(!comments.replace(/replies\.limit.*$/, '').includes('media{'), `comments asked without their media: ${comments}`);
    assert.ok(!replies.includes('media{') && !replies.includes('parent_id'), `replies asked without media and parent: ${replies}`);
    const withReplies = rows.filter((x) => x.R !== null);
    assert.ok(rows.length > 50 && withReplies.length > 10, `${rows.length} rows, ${withReplies.length} with a reply`);
    for (const x of rows) {
      assert.equal(x.CM, x.M);
      assert.equal(x.CA, account);
      if (x.R !== null) assert.deepEqual([x.RC, x.RA], [x.C, account]);
    }
    // Graph's own word, by id: the lookup asks media{id,owner{id}} and parent_id.
    const sample = [...new Set(withReplies.map((x) => x.C as string))].slice(0, 5);
    const replySample = withReplies.slice(0, 5).map((x) => x.R as string);
    r.clear();
    const byId = await r.rows(`SELECT Id, MediaId, BusinessAccountId FROM Comments WHERE Id IN (${sample.map((id) => `'${id}'`).join(', ')})`);
    assert.ok(fieldsSent().some((f) => f.includes('media{') && f.includes('owner{id}')), fieldsSent().join('\n'));
    assert.equal(byId.length, sample.length);
    for (const c of byId) {
      const listed = rows.find((x) => x.C === c.Id)!;
      assert.deepEqual([c.MediaId, c.BusinessAccountId], [listed.CM, listed.CA]);
    }
    const repliesById = await r.rows(`SELECT Id, CommentId, BusinessAccountId FROM Replies WHERE Id IN (${replySample.map((id) => `'${id}'`).join(', ')})`);
    assert.equal(repliesById.length, replySample.length);
    for (const x of repliesById) {
      const listed = rows.find((y) => y.R === x.Id)!;
      assert.deepEqual([x.CommentId, x.BusinessAccountId], [listed.RC, listed.RA]);
    }
  });

  test('media the query has not listed (an IN list of ids): their comments are asked with their media and owner', async () => {
    const mine = Object.entries(r.sandbox.summary().accounts[account]!.media).filter(([, m]) => m.comments > 0 && m.comments <= 50 && m.productType !== 'STORY');
    const other = Object.keys(r.sandbox.summary().accounts).find((a) => a !== account)!;
    const theirs = Object.entries(r.sandbox.summary().accounts[other]!.media).filter(([, m]) => m.comments > 0 && m.productType !== 'STORY');
    const ids = [...mine.slice(0, 3), ...theirs.slice(0, 2)];
    r.clear();
    // The connection reads one account: another account's media's comments are no rows, however they are asked.
    const rows = await r.rows(`SELECT MediaId, BusinessAccountId, count(*) AS n FROM Comments WHERE BusinessAccountId = '${account}' AND MediaId IN (${ids.map(([id]) => `'${id}'`).join(', ')}) GROUP BY MediaId`);
    const commentFields = fieldsSent().filter((f) => f.includes('id') && r.requests().length > 0);
    assert.ok(commentFields.length > 0 && commentFields.every((f) => f.includes('media{') && f.includes('owner{id}')), commentFields.join('\n'));
    assert.deepEqual(rows.map((x) => x.MediaId).sort(), mine.slice(0, 3).map(([id]) => id).sort());
    for (const x of rows) {
      assert.equal(x.BusinessAccountId, account);
      assert.equal(x.n, mine.find(([id]) => id === x.MediaId)![1].comments);
    }
  });
});
