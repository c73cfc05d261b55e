// The notebook controller with a fake VS Code host and the real engine on the sandbox: cells run in order with
// execution order and timing, parameters cells and @cellN apply, errors carry the cell's line, Stop (the
// execution's token) stops the Graph requests, and the notebook is bound to the account it ran on.
import { host, type FakeExecution } from './fakes/vscode';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { NotebookKernel } from '../../src/extension/notebook/controller';
import { RESULT_MIME } from '../../src/extension/notebook/outputs';
import { ResultStore } from '../../src/extension/results/store';
import type { HistoryEntry } from '../../src/extension/history/entry';
import type { Connections } from '../../src/extension/connections';
import type { ActiveAccount } from '../../src/extension/activeAccount';
import type { ConnectionSettings } from '../../src/extension/settings';
import { rig, type Rig } from '../helpers';

const dec = new TextDecoder();
let nbCount = 0;

function notebook(cells: Array<['sql' | 'markdown', string]>, metadata: Record<string, unknown> = {}) {
  const n = ++nbCount;
  const uri = { toString: () => `untitled:nb${n}.igsqlnb` };
  const doc: { uri: typeof uri; notebookType: string; metadata: Record<string, unknown>; getCells(): Cell[] } = {
    uri, notebookType: 'igsql-notebook', metadata, getCells: () => list,
  };
  type Cell = { index: number; kind: number; document: { uri: { toString(): string }; getText(): string }; notebook: typeof doc };
  const list: Cell[] = cells.map(([kind, text], index) => ({
    index, kind: kind === 'sql' ? 2 : 1, document: { uri: { toString: () => `cell:${n}:${index}` }, getText: () => text }, notebook: doc,
  }));
  host.notebooks.set(uri.toString(), doc);
  return doc;
}

function result(e: FakeExecution): { columns: Array<{ name: string }>; head: string[][]; info: { rows: number; target: string; apiCalls: number; waitedMs: number } } {
  const item = e.outputs[0]!.items.find((i) => i.mime === RESULT_MIME);
  assert.ok(item, `a result output, got ${e.outputs[0]?.items.map((i) => `${i.mime}: ${dec.decode(i.data)}`)}`);
  return JSON.parse(dec.decode(item.data));
}

function errorOf(e: FakeExecution): { name: string; message: string } {
  const item = e.outputs[0]!.items.find((i) => i.mime === 'application/vnd.code.notebook.error');
  assert.ok(item, 'an error output');
  return JSON.parse(dec.decode(item.data));
}

describe('notebook controller (fake host, real engine on the sandbox)', () => {
  let r: Rig;
  let slow: Rig;
  let history: HistoryEntry[];
  const kernel = (conn: Rig) => {
    const connections = {
      configs: () => [{ name: 'Sample account', properties: {}, sample: true }],
      connection: async () => conn.conn,
      businessAccounts: async () => conn.conn.businessAccounts(),
    } as unknown as Connections;
    const k = new NotebookKernel(connections, { get: () => undefined } as unknown as ActiveAccount, { maxRows: () => 1000 } as unknown as ConnectionSettings,
      new ResultStore(), { record: (e) => history.push(e) });
    return { k, c: host.controllers[host.controllers.length - 1]! };
  };
  before(async () => {
    r = await rig();
    slow = await rig({ latencyMs: 150 });
  });
  after(async () => { await r.close(); await slow.close(); });
  beforeEach(() => { host.reset(); history = []; });

  it('runs cells in order: parameters, a query using them, a query on an earlier result (@cell2); binds the account', async () => {
    const { k, c } = kernel(r);
    const nb = notebook([
      ['markdown', '# Top media'],
      ['sql', "-- parameters\n@limit = 3\n@kind = 'IMAGE'"],
      ['sql', 'SELECT Id, MediaType, LikeCount FROM Media WHERE MediaType = @kind ORDER BY LikeCount DESC LIMIT @limit'],
      ['sql', "SELECT COUNT(*) AS n, MIN(value->>'LikeCount') AS least FROM json_each(@cell2)"],
    ]);
    const code = nb.getCells().filter((x) => x.kind === 2);
    await c.executeHandler(code, nb, c);
    const [params, top, derived] = c.executions;
    assert.deepEqual(c.executions.map((e) => e.executionOrder), [1, 2, 3]);
    assert.ok(c.executions.every((e) => e.ended?.success === true), JSON.stringify(c.executions.map((e) => e.ended)));
    assert.ok(c.executions.every((e) => e.started! <= e.ended!.at!));
    assert.match(dec.decode(params!.outputs[0]!.items[0]!.data), /@limit = 3\n@kind = 'IMAGE'/);
    const rows = result(top!);
    assert.equal(rows.head.length, 3);
    assert.ok(rows.head.every((x) => x[1] === 'IMAGE'));
    const likes = rows.head.map((x) => Number(x[2]));
    assert.deepEqual(likes, [...likes].sort((a, b) => b - a));
    assert.deepEqual(result(derived!).head, [['3', String(Math.min(...likes))]]);
    // Bound to the account it ran on (the first of the Sample account), shown in each result's header.
    const accounts = await r.conn.businessAccounts();
    assert.deepEqual(nb.metadata, { connection: 'Sample account', accountId: accounts[0]!.id, accountLabel: `@${accounts[0]!.username}` });
    assert.equal(rows.info.target, `Sample account · @${accounts[0]!.username}`);
    // Both queries are in the history (a parameters cell is not a query).
    assert.deepEqual(history.map((h) => [h.source, h.outcome, h.sql.slice(0, 20)]), [['notebook', 'ok', 'SELECT Id, MediaType'], ['notebook', 'ok', 'SELECT COUNT(*) AS n']]);
    k.dispose();
  });

  it('runs on the account bound in the notebook, not the first one', async () => {
    const { k, c } = kernel(r);
    const accounts = await r.conn.businessAccounts();
    const other = accounts[1]!;
    const nb = notebook([['sql', 'SELECT DISTINCT Username FROM Media']], { connection: 'Sample account', accountId: other.id, accountLabel: `@${other.username}` });
    await c.executeHandler(nb.getCells(), nb, c);
    assert.deepEqual(result(c.executions[0]!).head, [[other.username]]);
    k.dispose();
  });

  it('an error is the cell\'s error, with the line and column in the cell', async () => {
    const { k, c } = kernel(r);
    const nb = notebook([['sql', 'SELECT Caption\nFROM Media\nWHERE LikeCount > ORDER BY 1']]);
    await c.executeHandler(nb.getCells(), nb, c);
    const e = c.executions[0]!;
    assert.equal(e.ended?.success, false);
    const err = errorOf(e);
    assert.equal(err.name, 'SQL_SYNTAX');
    assert.match(err.message, /line 3\b/);
    assert.equal(history[0]!.errorCode, 'SQL_SYNTAX');
    k.dispose();
  });

  it('@cellN of a cell not run yet, or below, says what to do', async () => {
    const { k, c } = kernel(r);
    const nb = notebook([['sql', 'SELECT 1 AS x'], ['sql', 'SELECT * FROM json_each(@cell1)'], ['sql', 'SELECT * FROM json_each(@cell3)']]);
    await c.executeHandler([nb.getCells()[1], nb.getCells()[2]], nb, c);
    assert.match(errorOf(c.executions[0]!).message, /@cell1 has no result yet: run the 1st SQL cell first/);
    assert.match(errorOf(c.executions[1]!).message, /must be above this one/);
    k.dispose();
  });

  it('Stop (the execution token) ends the cell and no Graph request is sent after it', async () => {
    const { k, c } = kernel(slow);
    const nb = notebook([['sql', 'SELECT m.Id, c.Text FROM Media m JOIN Comments c ON c.MediaId = m.Id']]);
    slow.clear();
    const running = c.executeHandler(nb.getCells(), nb, c);
    const e = c.executions[0]!;
    while (slow.requests().length < 2) await new Promise((res) => setTimeout(res, 20));
    e.cancel();
    await running;
    assert.equal(e.ended?.success, false);
    assert.match(dec.decode(e.outputs[0]!.items[0]!.data), /^Cancelled after \d+ ms/);
    const endedAt = Date.now();
    // The sandbox logs a request once answered (after its 150 ms latency): one on its way at Stop shows up late.
    await new Promise((res) => setTimeout(res, 400));
    const settled = slow.requests().length;
    await new Promise((res) => setTimeout(res, 500));
    assert.equal(slow.requests().length, settled, 'no request after the cell ended');
    assert.deepEqual(slow.requests().filter((q) => Date.parse(q.time) > endedAt + 250), [], 'nothing started after Stop');
    assert.equal(history[0]!.outcome, 'cancelled');
    k.dispose();
  });

  it('cells from separate runs still run one after another', async () => {
    const { k, c } = kernel(slow);
    const nb = notebook([['sql', 'SELECT COUNT(*) FROM Media'], ['sql', 'SELECT 2 AS two']]);
    const first = c.executeHandler([nb.getCells()[0]], nb, c);
    const second = c.executeHandler([nb.getCells()[1]], nb, c);
    await Promise.all([first, second]);
    const [a, b] = c.executions;
    assert.ok(a!.ended!.at! <= b!.started!, `second started ${b!.started} before the first ended ${a!.ended!.at}`);
    assert.deepEqual([a!.executionOrder, b!.executionOrder], [1, 2]);
    k.dispose();
  });
});
