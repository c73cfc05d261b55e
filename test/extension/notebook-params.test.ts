// Notebook parameters cells and @cellN references (host-free parts), then through the real engine.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cellReferences, isParameterCell, parseParameterCell, resultAsJson } from '../../src/extension/notebook/params';
import { rig, type Rig } from '../helpers';

describe('notebook parameters', () => {
  let r: Rig;
  before(async () => { r = await rig(); });
  after(() => r.close());

  it('reads typed values; big ids stay text', () => {
    const text = "-- parameters\n@since = '2026-01-01'\n@limit = 10\n@ratio = 0.5;\n-- a comment\n@quote = 'it''s'\n@none = NULL\n@flag = true\n@id = 17841400000000001\n";
    assert.ok(isParameterCell(text));
    assert.deepEqual(parseParameterCell(text), { since: '2026-01-01', limit: 10, ratio: 0.5, quote: "it's", none: null, flag: true, id: '17841400000000001' });
    assert.ok(!isParameterCell('SELECT 1 -- parameters'));
  });

  it('bad lines get a typed error naming the line and the fix', () => {
    assert.throws(() => parseParameterCell('-- parameters\n@since = 2026-01-01'), (e: { code: string; message: string; details: { line: number } }) =>
      e.code === 'INVALID_VALUE' && e.details.line === 2 && /single quotes/.test(e.message) && /'2026-01-01'/.test(e.message));
    assert.throws(() => parseParameterCell('-- parameters\nlimit 10'), /one "@name = value" per line/);
    assert.throws(() => parseParameterCell('-- parameters\n@cell1 = 3'), /result of a cell/);
  });

  it('finds @cellN references', () => {
    assert.deepEqual(cellReferences('SELECT * FROM json_each(@cell2) JOIN json_each(@Cell10) WHERE x = @cell2'), [2, 10]);
    assert.deepEqual(cellReferences('SELECT @cellar'), []);
  });

  it('a result passed as @cellN is read back with json_each in the real engine', async () => {
    const first = await r.rows('SELECT Id, LikeCount FROM Media ORDER BY LikeCount DESC LIMIT 3');
    const json = resultAsJson([{ name: 'Id', kind: 'text' }, { name: 'LikeCount', kind: 'number' }], first.map((x) => [String(x.Id), String(x.LikeCount)]));
    const back = await r.rows("SELECT value->>'Id' AS Id, value->>'LikeCount' AS Likes FROM json_each(@cell1)", { cell1: json });
    assert.deepEqual(back.map((x) => x.Id), first.map((x) => String(x.Id)));
    assert.deepEqual(back.map((x) => Number(x.Likes)), first.map((x) => Number(x.LikeCount)));
    // And it can drive a query on Graph: the comments of those media.
    const comments = await r.rows("SELECT MediaId, COUNT(*) AS n FROM Comments WHERE MediaId IN (SELECT value->>'Id' FROM json_each(@cell1)) GROUP BY MediaId", { cell1: json });
    assert.ok(comments.every((c) => first.some((f) => String(f.Id) === String(c.MediaId))));
  });
});
