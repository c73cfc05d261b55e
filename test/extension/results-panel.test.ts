// The results panel with a fake `vscode` host: strict CSP, replay on ready, and a panel the user closed while
// a query runs is not reopened by every progress tick (only by the result).
import { host } from './fakes/vscode';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { ResultsPanel } from '../../src/extension/resultsPanel';
import type { ResultsMessage } from '../../src/extension/resultsModel';
import { GridHost } from '../../src/extension/results/gridHost';
import { ResultStore } from '../../src/extension/results/store';

const stats = { rows: 0, elapsedMs: 10, apiCalls: 1, pages: 1, notes: [] };
const running: ResultsMessage = { type: 'running', title: 'SELECT 1', target: 'Sample account' };
const progress: ResultsMessage = { type: 'progress', stats };
const result: ResultsMessage = { type: 'result', title: 'SELECT 1', target: 'Sample account', columns: [], rows: [], truncated: false, stats };

describe('results panel (fake host)', () => {
  beforeEach(() => host.reset());
  const media = vscode.Uri.joinPath(vscode.Uri.file('/ext'), 'media');
  let store: ResultStore;
  const newPanel = () => {
    store = new ResultStore();
    return new ResultsPanel(media, 'Query Results', { webviewRoot: vscode.Uri.joinPath(vscode.Uri.file('/ext'), 'dist', 'webview'), store, gridHost: new GridHost(store) });
  };

  it('serves a page under a strict CSP: nonce\'d script from media/, no inline code or style', () => {
    const panel = newPanel();
    panel.show(running);
    const html = (host.panels[0] as unknown as { webview: { html: string } }).webview.html;
    const csp = /Content-Security-Policy" content="([^"]*)"/.exec(html)?.[1] ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /script-src 'nonce-[^']+'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-(inline|eval)|\*/);
    assert.doesNotMatch(html, /<script(?![^>]*nonce=)[^>]*>|style="/);
    panel.dispose();
  });

  it('replays the last message when the webview says it is ready', () => {
    const panel = newPanel();
    panel.show(running);
    panel.show(progress);
    const fake = host.panels[0]!;
    fake.posted.length = 0;
    fake.send({ type: 'ready' });
    assert.deepEqual(fake.posted, [running]);
    panel.dispose();
  });

  it('does not reopen a panel the user closed on a progress tick; the result reopens it', () => {
    const panel = newPanel();
    panel.show(running);
    host.panels[0]!.dispose(); // the user closes the results view
    panel.show(progress);
    panel.show(progress);
    assert.equal(host.panels.length, 1, 'no new panel for progress');
    panel.show(result);
    assert.equal(host.panels.length, 2);
    const posted = host.panels[1]!.posted as Array<{ type: string; result: { info: { title: string } } }>;
    assert.deepEqual(posted.map((m) => m.type), ['grid']);
    assert.equal(posted[0]!.result.info.title, 'SELECT 1');
    panel.dispose();
  });

  it('forwards the webview\'s Cancel', () => {
    const panel = newPanel();
    let cancels = 0;
    panel.onDidRequestCancel(() => cancels++);
    panel.show(running);
    host.panels[0]!.send({ type: 'cancel' });
    assert.equal(cancels, 1);
    panel.dispose();
  });

  it('keeps the rows in the host: the page gets the first 200, then pulls windows of a sorted, filtered view', async () => {
    const panel = newPanel();
    const rows = Array.from({ length: 1000 }, (_, i) => [String(i), `caption ${i % 7 === 0 ? 'sunset' : 'city'} ${i}`]);
    panel.show({ ...result, columns: [{ name: 'LikeCount', type: 'Integer' }, { name: 'Caption', type: 'String' }], rows, stats: { ...stats, rows: 1000 } });
    const fake = host.panels[0]!;
    const grid = fake.posted[0] as { type: 'grid'; result: { resultId: string; head: unknown[]; info: { rows: number } } };
    assert.equal(grid.result.head.length, 200);
    assert.equal(grid.result.info.rows, 1000);
    fake.posted.length = 0;
    fake.send({ type: 'rows', resultId: grid.result.resultId, reqId: 7, start: 0, count: 3, view: { sort: { column: 0, dir: 'desc' }, filter: 'SUNSET' } });
    await new Promise((r) => setImmediate(r));
    const answer = fake.posted[0] as { type: string; reqId: number; total: number; rows: string[][] };
    assert.equal(answer.type, 'rows');
    assert.equal(answer.reqId, 7);
    assert.equal(answer.total, rows.filter((r) => r[1]!.includes('sunset')).length);
    assert.deepEqual(answer.rows.map((r) => r[0]), ['994', '987', '980'], 'numeric sort, not text (994 > 987 > 980)');
    // A new query replaces the result: a window of the old one is answered as gone, not with other rows.
    panel.show(running);
    fake.posted.length = 0;
    fake.send({ type: 'rows', resultId: grid.result.resultId, reqId: 8, start: 0, count: 3, view: {} });
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(fake.posted, [{ type: 'gone', resultId: grid.result.resultId, reqId: 8 }]);
    panel.dispose();
  });
});

describe('grid copy (fake host clipboard)', () => {
  beforeEach(() => host.reset());

  it('copies the selected rows of the view as shown, with headers; a single cell without', async () => {
    const store = new ResultStore();
    const gridHost = new GridHost(store);
    const s = store.add([{ name: 'Caption', type: 'String' }, { name: 'LikeCount', type: 'Integer' }], [['a\tb', '5'], ['line\nbreak', '50'], [null, '7']], { title: 't', target: 'x', rows: 3, apiCalls: 0, pages: 0, waitedMs: 1, notes: [] });
    const view = { sort: { column: 1, dir: 'desc' as const } };
    await gridHost.handle({ type: 'copy', resultId: s.id, view, rows: [1, 0], headers: true }, () => {});
    assert.equal(host.clipboard, 'Caption\tLikeCount\nline break\t50\n\t7');
    await gridHost.handle({ type: 'copy', resultId: s.id, view, rows: [2], columns: [0], headers: false }, () => {});
    assert.equal(host.clipboard, 'a b');
    store.delete(s.id);
    await gridHost.handle({ type: 'copy', resultId: s.id, view, rows: [0], headers: true }, () => {});
    assert.equal(host.clipboard, 'a b', 'a forgotten result copies nothing');
    assert.match(host.infos.at(-1) ?? '', /no longer kept/);
  });
});
