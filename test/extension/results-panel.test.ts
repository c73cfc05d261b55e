// The results panel with a fake `vscode` host: strict CSP, replay on ready, and a panel the user closed while
// a query runs is not reopened by every progress tick (only by the result).
import { host } from './fakes/vscode';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { ResultsPanel } from '../../src/extension/resultsPanel';
import type { ResultsMessage } from '../../src/extension/resultsModel';

const stats = { rows: 0, elapsedMs: 10, apiCalls: 1, pages: 1, notes: [] };
const running: ResultsMessage = { type: 'running', title: 'SELECT 1', target: 'Sample account' };
const progress: ResultsMessage = { type: 'progress', stats };
const result: ResultsMessage = { type: 'result', title: 'SELECT 1', target: 'Sample account', columns: [], rows: [], truncated: false, stats };

describe('results panel (fake host)', () => {
  beforeEach(() => host.reset());
  const media = vscode.Uri.joinPath(vscode.Uri.file('/ext'), 'media');

  it('serves a page under a strict CSP: nonce\'d script from media/, no inline code or style', () => {
    const panel = new ResultsPanel(media);
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
    const panel = new ResultsPanel(media);
    panel.show(running);
    panel.show(progress);
    const fake = host.panels[0]!;
    fake.posted.length = 0;
    fake.send({ type: 'ready' });
    assert.deepEqual(fake.posted, [running]);
    panel.dispose();
  });

  it('does not reopen a panel the user closed on a progress tick; the result reopens it', () => {
    const panel = new ResultsPanel(media);
    panel.show(running);
    host.panels[0]!.dispose(); // the user closes the results view
    panel.show(progress);
    panel.show(progress);
    assert.equal(host.panels.length, 1, 'no new panel for progress');
    panel.show(result);
    assert.equal(host.panels.length, 2);
    assert.deepEqual(host.panels[1]!.posted, [result]);
    panel.dispose();
  });

  it('forwards the webview\'s Cancel', () => {
    const panel = new ResultsPanel(media);
    let cancels = 0;
    panel.onDidRequestCancel(() => cancels++);
    panel.show(running);
    host.panels[0]!.send({ type: 'cancel' });
    assert.equal(cancels, 1);
    panel.dispose();
  });
});
