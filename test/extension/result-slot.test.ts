// The grid plumbing both webviews share (the results view and the query console): a ResultSlot keeps one
// result per webview in the real ResultStore and routes the page's grid requests to the real GridHost.
import './fakes/vscode';
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GridHost } from '../../src/extension/results/gridHost';
import { ResultSlot, type ShownResult } from '../../src/extension/results/resultSlot';
import { ResultStore } from '../../src/extension/results/store';
import type { GridResponse } from '../../src/webview/grid/protocol';

const stats = { rows: 0, elapsedMs: 42, apiCalls: 3, pages: 2, notes: ['note'] };
const result = (n: number, truncated = false): ShownResult => ({
  title: 'SELECT LikeCount FROM Media', target: 'Sample account · @demo', truncated,
  columns: [{ name: 'Id', type: 'String' }, { name: 'LikeCount', type: 'Integer' }],
  rows: Array.from({ length: n }, (_, i) => [`m${i}`, String((i * 37) % 1000)]),
  stats: { ...stats, rows: n },
});

/** Sends one request through the slot and waits for the host's answer. */
function ask(slot: ResultSlot, request: object): Promise<GridResponse> {
  return new Promise((resolve, reject) => {
    if (!slot.route(request as { type: string }, resolve)) reject(new Error('not routed'));
  });
}

describe('ResultSlot (shared by the results view and the console)', () => {
  it('keeps the rows in the store and gives the page the first 200 with the header line', () => {
    const store = new ResultStore();
    const slot = new ResultSlot(store, new GridHost(store));
    const grid = slot.show(result(1000, true));
    assert.equal(grid.head.length, 200);
    assert.deepEqual(grid.columns.map((c) => [c.name, c.kind]), [['Id', 'text'], ['LikeCount', 'number']]);
    assert.equal(grid.info.rows, 1000);
    assert.equal(grid.info.rowCap, 1000, 'a truncated result says the cap it hit');
    assert.equal(grid.info.waitedMs, 42);
    assert.equal(grid.info.apiCalls, 3);
    assert.equal(store.get(grid.resultId)?.rows.length, 1000);
  });

  it('answers window requests on a sorted view of every row', async () => {
    const store = new ResultStore();
    const slot = new ResultSlot(store, new GridHost(store));
    const grid = slot.show(result(1000));
    const answer = await ask(slot, { type: 'rows', resultId: grid.resultId, reqId: 7, start: 990, count: 20, view: { sort: { column: 1, dir: 'desc' } } });
    assert.equal(answer.type, 'rows');
    if (answer.type !== 'rows') return;
    assert.equal(answer.reqId, 7);
    assert.equal(answer.total, 1000);
    assert.equal(answer.rows.length, 10, 'the window is cut at the last row');
    const likes = answer.rows.map((r) => Number(r[1]));
    assert.deepEqual(likes, [...likes].sort((a, b) => b - a));
    const smallest = Math.min(...result(1000).rows.map((r) => Number(r[1])));
    assert.equal(likes.at(-1), smallest, 'the last rows of a descending sort hold the smallest value of all rows');
  });

  it('shows one result at a time: the next result, clear() and dispose() drop the previous one', async () => {
    const store = new ResultStore();
    const slot = new ResultSlot(store, new GridHost(store));
    const first = slot.show(result(5));
    const second = slot.show(result(3));
    assert.equal(store.get(first.resultId), undefined);
    assert.deepEqual(await ask(slot, { type: 'rows', resultId: first.resultId, reqId: 1, start: 0, count: 10, view: {} }), { type: 'gone', resultId: first.resultId, reqId: 1 });
    const other = new ResultSlot(store, new GridHost(store));
    const kept = other.show(result(2));
    slot.clear();
    assert.equal(store.get(second.resultId), undefined);
    assert.ok(store.get(kept.resultId), 'another webview\'s result stays');
    other.dispose();
    assert.equal(store.get(kept.resultId), undefined);
  });

  it('leaves the panel\'s own messages to the panel', () => {
    const store = new ResultStore();
    const slot = new ResultSlot(store, new GridHost(store));
    const replies: GridResponse[] = [];
    for (const m of [{ type: 'ready' }, { type: 'cancel' }, { type: 'run', text: 'SELECT 1', offset: 0 }, { type: 42 }, {}, undefined]) {
      assert.equal(slot.route(m as { type?: unknown }, (r) => replies.push(r)), false, JSON.stringify(m));
    }
    assert.deepEqual(replies, []);
  });
});
