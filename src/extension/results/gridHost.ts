/**
 * The extension-host side of the grid protocol, shared by the results view and the notebook renderer: windows
 * of rows, copy (through VS Code's clipboard, so it works in both kinds of webview), export to a file or an
 * editor, and saving a chart image.
 */
import * as vscode from 'vscode';
import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import type { ExportFormat, GridRequest, GridResponse, ViewSpec } from '../../webview/grid/protocol';
import { EXTENSIONS, writeExport } from './export';
import type { ResultStore } from './store';

const COPY_LIMIT = 100_000;

export class GridHost {
  constructor(private readonly store: ResultStore) {}

  /** Answers a request; `reply` carries the answer back to the webview that asked. */
  async handle(request: GridRequest, reply: (response: GridResponse) => void): Promise<void> {
    switch (request.type) {
      case 'rows': {
        const w = this.store.window(request.resultId, request.view, request.start, request.count);
        reply(w ? { type: 'rows', resultId: request.resultId, reqId: request.reqId, start: request.start, total: w.total, rows: w.rows }
          : { type: 'gone', resultId: request.resultId, reqId: request.reqId });
        return;
      }
      case 'copy': return this.copy(request);
      case 'export': return this.export(request.resultId, request.view, request.format);
      case 'saveImage': return this.saveImage(request.format, request.data, request.name);
    }
  }

  private async copy(request: Extract<GridRequest, { type: 'copy' }>): Promise<void> {
    const r = this.store.get(request.resultId);
    if (!r) return void vscode.window.showWarningMessage('This result is no longer kept: run the query again to copy from it.');
    const index = this.store.viewIndex(r, request.view);
    const cols = request.columns ?? r.columns.map((_, i) => i);
    const tsv = (cells: (string | null)[]) => cells.map((v) => (v ?? '').replace(/[\t\r\n]+/g, ' ')).join('\t');
    const lines: string[] = [];
    if (request.headers) lines.push(tsv(cols.map((c) => r.columns[c]!.name)));
    for (const i of [...request.rows].sort((a, b) => a - b).slice(0, COPY_LIMIT)) {
      const row = r.rows[index[i]!];
      if (row) lines.push(tsv(cols.map((c) => row[c] ?? null)));
    }
    await vscode.env.clipboard.writeText(lines.join('\n'));
    vscode.window.setStatusBarMessage(`Instagram SQL: copied ${lines.length - (request.headers ? 1 : 0)} row(s)`, 3000);
  }

  async export(resultId: string, view: ViewSpec, format?: ExportFormat): Promise<void> {
    const r = this.store.get(resultId);
    if (!r) return void vscode.window.showWarningMessage('This result is no longer kept: run the query again to export it.');
    const chosen = format ?? (await vscode.window.showQuickPick([
      { label: 'CSV', format: 'csv' as const },
      { label: 'CSV for Excel', description: 'UTF-8 BOM, CRLF, formulas quoted', format: 'excel-csv' as const },
      { label: 'JSON', format: 'json' as const },
      { label: 'Markdown table', format: 'markdown' as const },
      { label: 'Open in a new editor (CSV)', format: 'editor' as const },
    ], { placeHolder: `Export ${r.rows.length} rows as…` }))?.format;
    if (!chosen) return;
    if (chosen === 'editor') {
      const chunks: string[] = [];
      const sink = new PassThrough();
      sink.on('data', (b: Buffer) => chunks.push(b.toString('utf8')));
      await writeExport('csv', r.columns, this.store.iterate(resultId, view), sink);
      const doc = await vscode.workspace.openTextDocument({ content: chunks.join(''), language: 'csv' });
      await vscode.window.showTextDocument(doc, { preview: false });
      return;
    }
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = `${(r.info.title || 'result').replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'result'}.${EXTENSIONS[chosen]}`;
    const target = await vscode.window.showSaveDialog({
      ...(base ? { defaultUri: vscode.Uri.joinPath(base, name) } : {}),
      filters: { [chosen === 'markdown' ? 'Markdown' : chosen === 'json' ? 'JSON' : 'CSV']: [EXTENSIONS[chosen]] },
    });
    if (!target) return;
    await this.exportTo(resultId, view, chosen, target);
  }

  /** Streams straight to the file when it is on disk; else through the workspace file system. */
  async exportTo(resultId: string, view: ViewSpec, format: Exclude<ExportFormat, 'editor'>, target: vscode.Uri): Promise<number> {
    const r = this.store.get(resultId);
    if (!r) return 0;
    let n: number;
    if (target.scheme === 'file') {
      n = await writeExport(format, r.columns, this.store.iterate(resultId, view), createWriteStream(target.fsPath));
    } else {
      const chunks: Buffer[] = [];
      const sink = new PassThrough();
      sink.on('data', (b: Buffer) => chunks.push(b));
      n = await writeExport(format, r.columns, this.store.iterate(resultId, view), sink);
      await vscode.workspace.fs.writeFile(target, Buffer.concat(chunks));
    }
    vscode.window.setStatusBarMessage(`Instagram SQL: exported ${n} rows to ${target.path.split('/').pop()}`, 5000);
    return n;
  }

  private async saveImage(format: 'png' | 'svg', data: string, name: string): Promise<void> {
    const base = vscode.workspace.workspaceFolders?.[0]?.uri;
    const file = `${name.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'chart'}.${format}`;
    const target = await vscode.window.showSaveDialog({ ...(base ? { defaultUri: vscode.Uri.joinPath(base, file) } : {}), filters: { [format.toUpperCase()]: [format] } });
    if (!target) return;
    const bytes = format === 'png' ? Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64') : Buffer.from(data, 'utf8');
    await vscode.workspace.fs.writeFile(target, bytes);
  }
}
