// The .igsqlnb serializer: open → save gives the same bytes; outputs are kept or dropped by the setting; the
// saved result is the one a real query produced on the sandbox, and it renders again after reopening.
import { host } from './fakes/vscode';
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import * as vscode from 'vscode';
import { IgsqlNotebookSerializer, errorOutput, resultOutput } from '../../src/extension/notebook/serializer';
import { RESULT_MIME } from '../../src/extension/notebook/outputs';
import { parseNotebook, renderNotebook } from '../../src/extension/notebook/format';
import { ResultStore } from '../../src/extension/results/store';
import { rig, type Rig } from '../helpers';

const enc = new TextEncoder();
const dec = new TextDecoder();

function notebook(cells: Array<[kind: 'sql' | 'markdown', source: string]>, metadata: Record<string, string> = {}): vscode.NotebookData {
  const data = new vscode.NotebookData(cells.map(([k, s]) => new vscode.NotebookCellData(k === 'sql' ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup, s, k === 'sql' ? 'igsql' : 'markdown')));
  data.metadata = metadata;
  return data;
}

describe('notebook serializer', () => {
  let r: Rig;
  let result: ReturnType<ResultStore['gridResult']>;
  before(async () => {
    r = await rig();
    const q = await r.conn.query('SELECT Id, Caption, LikeCount FROM Media ORDER BY LikeCount DESC LIMIT 5');
    const rows: (string | null)[][] = [];
    for await (const row of q.rows) rows.push(row.map((v) => (v === null ? null : String(v))));
    const store = new ResultStore();
    result = store.gridResult(store.add(q.columns, rows, { title: 'top', target: 'Sample account · @demo', rows: rows.length, apiCalls: q.stats.apiCalls, pages: q.stats.pages, waitedMs: 42, notes: [] }));
  });
  after(() => r.close());
  beforeEach(() => host.reset());

  it('open → save gives identical bytes, without outputs', () => {
    const s = new IgsqlNotebookSerializer(() => false);
    const first = s.serializeNotebook(notebook([
      ['markdown', '# Reach\nLast *90* days — ünïcode'],
      ['sql', 'SELECT EndTime, Value\nFROM AccountInsights\nWHERE Metric = \'reach\'\n'],
      ['sql', ''],
    ], { connection: 'Sample account', accountId: '17841400000000001', accountLabel: '@demo' }));
    const text = dec.decode(first);
    assert.match(text, /"source": \[\n\s+"SELECT EndTime, Value",\n\s+"FROM AccountInsights",/, 'one JSON string per line');
    const again = s.serializeNotebook(s.deserializeNotebook(first));
    assert.deepEqual(Buffer.from(again), Buffer.from(first));
    const reopened = s.deserializeNotebook(first);
    assert.equal(reopened.cells[1]!.value, 'SELECT EndTime, Value\nFROM AccountInsights\nWHERE Metric = \'reach\'\n');
    assert.equal(reopened.cells[0]!.kind, vscode.NotebookCellKind.Markup);
    assert.deepEqual(reopened.metadata, { connection: 'Sample account', accountId: '17841400000000001', accountLabel: '@demo' });
  });

  it('keeps a real result when the setting says so, and gives it back after reopening', () => {
    const data = notebook([['sql', 'SELECT Id, Caption, LikeCount FROM Media ORDER BY LikeCount DESC LIMIT 5']]);
    data.cells[0]!.outputs = [resultOutput(result)];
    data.cells[0]!.executionSummary = { executionOrder: 3, success: true, timing: { startTime: 1000, endTime: 1042 } };
    const keep = new IgsqlNotebookSerializer(() => true);
    const bytes = keep.serializeNotebook(data);
    const text = dec.decode(bytes);
    assert.doesNotMatch(text, /text\/html|<table/, 'fallbacks are derived on open, not saved');
    assert.match(text, /"order": 3,\n\s+"durationMs": 42/);
    const reopened = keep.deserializeNotebook(bytes);
    const items = reopened.cells[0]!.outputs![0]!.items;
    assert.deepEqual(items.map((i) => i.mime), [RESULT_MIME, 'text/html', 'text/plain']);
    const back = JSON.parse(dec.decode(items[0]!.data));
    assert.deepEqual(back.head, result.head);
    assert.equal(back.head.length, 5);
    assert.match(dec.decode(items[2]!.data), /^5 rows · 42 ms · \d+ Graph calls? · Sample account · @demo\n/);
    assert.deepEqual(Buffer.from(keep.serializeNotebook(reopened)), Buffer.from(bytes), 'identical bytes with outputs');
    // The same notebook saved with the setting off has no outputs at all.
    const dropped = dec.decode(new IgsqlNotebookSerializer(() => false).serializeNotebook(reopened));
    assert.doesNotMatch(dropped, /outputs|"order"/);
    assert.equal(parseNotebook(dropped).cells[0]!.source, 'SELECT Id, Caption, LikeCount FROM Media ORDER BY LikeCount DESC LIMIT 5');
  });

  it('reads the setting igsql.notebook.saveOutputs by default', () => {
    const data = notebook([['sql', 'SELECT 1']]);
    data.cells[0]!.outputs = [errorOutput('SQL_SYNTAX', 'near "SELEC": syntax error (line 1, column 1)')];
    const s = new IgsqlNotebookSerializer();
    assert.doesNotMatch(dec.decode(s.serializeNotebook(data)), /outputs/);
    host.settings['notebook.saveOutputs'] = true;
    const text = dec.decode(s.serializeNotebook(data));
    assert.match(text, /"code": "SQL_SYNTAX"/);
    assert.doesNotMatch(text, /"stack"/);
    assert.deepEqual(Buffer.from(s.serializeNotebook(s.deserializeNotebook(enc.encode(text)))), Buffer.from(enc.encode(text)));
  });

  it('an empty file opens as an empty notebook; a broken one gets a typed error saying what to do', () => {
    const s = new IgsqlNotebookSerializer(() => false);
    assert.equal(s.deserializeNotebook(new Uint8Array()).cells.length, 0);
    assert.throws(() => s.deserializeNotebook(enc.encode('{"cells": [')), (e: { code: string; message: string }) => e.code === 'INVALID_VALUE' && /not valid JSON/.test(e.message) && /Text Editor/.test(e.message));
    assert.throws(() => s.deserializeNotebook(enc.encode('{"igsqlNotebook": 9, "cells": []}')), /newer Instagram SQL/);
    assert.throws(() => s.deserializeNotebook(enc.encode('[1,2]')), /no "cells" array/);
  });

  it('renders lines as arrays so a one-line change is a one-line diff', () => {
    const a = renderNotebook({ metadata: {}, cells: [{ kind: 'sql', source: 'SELECT Id\nFROM Media\nLIMIT 5' }] }, false);
    const b = renderNotebook({ metadata: {}, cells: [{ kind: 'sql', source: 'SELECT Id\nFROM Media\nLIMIT 6' }] }, false);
    const la = a.split('\n');
    const lb = b.split('\n');
    assert.equal(la.length, lb.length);
    assert.equal(la.filter((l, i) => l !== lb[i]).length, 1);
  });
});

describe('notebook serializer and secrets', () => {
  it('saves a token column of a result as *** (GetOAuthAccessToken returns one)', () => {
    const store = new ResultStore();
    const stored = store.add([{ name: 'OAuthAccessToken', type: 'String' }, { name: 'ExpiresIn', type: 'Integer' }], [['EAAGsecretvalue123', '5183944']], { title: 'EXEC GetOAuthAccessToken', target: 't', rows: 1, apiCalls: 1, pages: 0, waitedMs: 5, notes: [] });
    const data = new vscode.NotebookData([new vscode.NotebookCellData(vscode.NotebookCellKind.Code, 'EXEC GetOAuthAccessToken', 'igsql')]);
    data.cells[0]!.outputs = [resultOutput(store.gridResult(stored))];
    const text = dec.decode(new IgsqlNotebookSerializer(() => true).serializeNotebook(data));
    assert.doesNotMatch(text, /EAAGsecretvalue123/);
    assert.match(text, /"\*\*\*"/);
    assert.match(text, /"5183944"/);
  });
});
