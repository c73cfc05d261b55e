/**
 * The query console (host side): a webview with Monaco (src/webview/console) that completes, hovers and
 * marks errors through the same language service as the .igsql editor, and runs the statement at its caret
 * (or its selection) on its own target account, with the rows shown under the editor in the shared results
 * grid (src/webview/grid): rows stay in the host's ResultStore and the page pulls windows through a ResultSlot,
 * as in the results view. Strict CSP: our nonce'd script only, styles and fonts from the extension, the editor
 * worker from a blob URL.
 */
import * as vscode from 'vscode';
import { toIgsqlError } from '../../core/errors';
import { statementAt } from '../../core/sql/tokenize';
import type { Connections } from '../connections';
import { ResultsPanel, type ResultsPanelDeps } from '../resultsPanel';
import { ResultSlot } from '../results/resultSlot';
import { cell, shownStats, summary } from '../resultsModel';
import type { ConnectionSettings } from '../settings';
import type { Target } from '../types';
import type { ToHost, ToWebview } from '../../webview/console/protocol';
import { webviewPage } from '../webviewPage';
import type { LanguageServices } from './languageServices';
import { statementTitle } from './symbolProvider';

export class ConsolePanel implements vscode.Disposable {
  private readonly panel: vscode.WebviewPanel;
  private running?: AbortController;
  private readonly subscriptions: vscode.Disposable[] = [];
  private disposed = false;
  private readonly slot: ResultSlot;

  constructor(
    root: vscode.Uri,
    private readonly services: LanguageServices,
    private readonly connections: Connections,
    private readonly settings: ConnectionSettings,
    private readonly target: Target | undefined,
    private readonly initialSql: string,
    grid: Pick<ResultsPanelDeps, 'store' | 'gridHost'> | undefined = ResultsPanel.defaults,
  ) {
    if (!grid) throw new Error('ResultsPanel.defaults is set at activation');
    this.slot = new ResultSlot(grid.store, grid.gridHost);
    const consoleRoot = vscode.Uri.joinPath(root, 'dist', 'console');
    this.panel = vscode.window.createWebviewPanel('igsql.console', 'Query Console', vscode.ViewColumn.Active, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [consoleRoot],
    });
    this.panel.iconPath = vscode.Uri.joinPath(root, 'media', 'igsql.svg');
    this.panel.webview.html = this.html(this.panel.webview, consoleRoot);
    this.subscriptions.push(
      this.panel.webview.onDidReceiveMessage((m: ToHost) => {
        if (!this.slot.route(m, (response) => this.post(response))) void this.onMessage(m);
      }),
      this.panel.onDidDispose(() => this.dispose()),
    );
  }

  private post(m: ToWebview): void {
    void this.panel.webview.postMessage(m);
  }

  private label(): string {
    const t = this.target ?? this.services.target();
    return t ? (t.accountLabel ? `${t.connection} · ${t.accountLabel}` : t.connection) : 'no connection';
  }

  private async onMessage(m: ToHost): Promise<void> {
    const target = this.target ?? this.services.target();
    switch (m.type) {
      case 'ready':
        this.post({ type: 'init', sql: this.initialSql, target: this.label() });
        return;
      case 'complete': {
        const service = await this.services.forTarget(target).catch(() => undefined);
        const list = service?.complete(m.text, m.offset);
        this.post({ type: 'completions', id: m.id, items: list?.items ?? [], from: list?.from ?? m.offset, to: list?.to ?? m.offset });
        return;
      }
      case 'hover': {
        const service = await this.services.forTarget(target).catch(() => undefined);
        const h = service?.hover(m.text, m.offset);
        this.post({ type: 'hover', id: m.id, ...(h ? { contents: h.contents, from: h.from, to: h.to } : {}) });
        return;
      }
      case 'diagnose': {
        const service = await this.services.forTarget(target).catch(() => undefined);
        const found = service ? await service.diagnose(m.text).catch(() => []) : [];
        this.post({ type: 'diagnostics', id: m.id, markers: found.map((d) => ({ from: d.from, to: d.to, severity: d.severity, message: d.message, code: d.code })) });
        return;
      }
      case 'run':
        return this.run(m.text, m.offset, m.selection, target);
      case 'cancel':
        this.running?.abort();
        return;
    }
  }

  private async run(text: string, offset: number, selection: { start: number; end: number } | undefined, target: Target | undefined): Promise<void> {
    const sql = selection ? text.slice(selection.start, selection.end) : statementAt(text, offset)?.text;
    if (!sql?.trim()) return this.post({ type: 'error', code: 'SQL_SYNTAX', message: 'There is no SQL statement at the cursor.' });
    if (!target) return this.post({ type: 'error', code: 'NOT_FOUND', message: 'There is no connection: add one with "Instagram SQL: Add Connection…".' });
    this.running?.abort();
    this.slot.clear();
    const controller = new AbortController();
    this.running = controller;
    this.post({ type: 'running', title: statementTitle(sql) });
    const t0 = performance.now();
    try {
      const conn = await this.connections.connection(target.connection);
      const result = await conn.query(sql, undefined, { signal: controller.signal, businessAccountId: target.accountId });
      const max = this.settings.maxRows();
      const rows: Array<Array<string | null>> = [];
      let truncated = false;
      for await (const row of result.rows) {
        if (rows.length >= max) { truncated = true; break; }
        rows.push(row.map((v) => cell(v)));
      }
      if (this.running !== controller) return;
      // The time the user waited, from Run to the last row (not the engine's own time).
      const shown = shownStats(result.stats, rows.length, performance.now() - t0);
      const grid = this.slot.show({ title: statementTitle(sql), target: this.label(), columns: result.columns, rows, truncated, stats: shown });
      this.post({ type: 'result', result: grid, summary: summary(shown) });
    } catch (e) {
      if (this.running !== controller) return;
      const error = toIgsqlError(e);
      this.post(error.code === 'CANCELLED' ? { type: 'cancelled' } : { type: 'error', code: error.code, message: error.message });
    } finally {
      if (this.running === controller) this.running = undefined;
    }
  }

  private html(webview: vscode.Webview, consoleRoot: vscode.Uri): string {
    return webviewPage(webview, {
      title: 'Query Console',
      root: consoleRoot,
      script: 'console.js',
      style: 'console.css',
      csp: (source) => ({
        // Monaco sets element styles from script (positions, sizes): inline style attributes must be allowed.
        'style-src': `${source} 'unsafe-inline'`,
        'img-src': `${source} data: https:`,
        // The worker script is fetched from the extension and started from a blob URL (DESIGN §9).
        'connect-src': source,
        'worker-src': 'blob:',
      }),
      body: (asset) => `<main id="igsql-console" data-worker="${asset('editor.worker.js')}">
  <div id="toolbar"><button id="run" type="button" title="Run the statement at the cursor (Ctrl+Enter)">Run</button><button id="cancel" type="button" hidden>Cancel</button><span id="target"></span><span id="status" role="status"></span></div>
  <div id="editor"></div>
  <div id="grid"></div>
</main>`,
    });
  }

  reveal(): void {
    this.panel.reveal();
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.running?.abort();
    this.slot.dispose();
    for (const s of this.subscriptions) s.dispose();
    this.panel.dispose();
  }
}
