/**
 * The results view: one webview panel reused by every query, showing the shared grid (src/webview/grid). The
 * page is static HTML under a strict CSP (no inline script or style, only our nonce'd bundle from
 * dist/webview); the grid inserts every value with textContent, so nothing from Instagram (captions!) can
 * become markup. Rows stay in the extension host (ResultStore): the page gets the first rows with the result
 * and pulls further windows through GridHost, both through a ResultSlot (shared with the query console). The
 * last message is replayed when the webview (re)loads.
 */
import * as vscode from 'vscode';
import { webviewPage } from './webviewPage';
import type { GridHost } from './results/gridHost';
import { ResultSlot } from './results/resultSlot';
import type { ResultStore } from './results/store';
import type { ResultsMessage, WebviewMessage } from './resultsModel';

export interface ResultsPanelDeps { webviewRoot: vscode.Uri; store: ResultStore; gridHost: GridHost }

/** What the page is sent: the runner's messages, except that a result becomes a grid result (rows kept here). */
type PageMessage = Exclude<ResultsMessage, { type: 'result' }> | { type: 'grid'; result: ReturnType<ResultStore['gridResult']> };

export class ResultsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private last: PageMessage | undefined;
  private readonly cancelEmitter = new vscode.EventEmitter<void>();
  /** The user pressed Cancel in the results view. */
  readonly onDidRequestCancel = this.cancelEmitter.event;

  /**
   * The bundle folder and the result store every results tab shares, set once at activation (so a tab opened
   * elsewhere, e.g. by "Run All Statements", needs only its title).
   */
  static defaults: ResultsPanelDeps | undefined;
  private readonly webviewRoot: vscode.Uri;
  private readonly slot: ResultSlot;

  constructor(
    private readonly mediaRoot: vscode.Uri,
    /** The tab's title; "Run All Statements" opens one tab per statement. */
    private readonly title = 'Query Results',
    deps: ResultsPanelDeps | undefined = ResultsPanel.defaults,
  ) {
    if (!deps) throw new Error('ResultsPanel.defaults is set at activation');
    this.webviewRoot = deps.webviewRoot;
    this.slot = new ResultSlot(deps.store, deps.gridHost);
  }

  show(input: ResultsMessage): void {
    if (input.type === 'progress' && !this.panel) return; // closed while running: a tick does not reopen it
    const message = this.toPage(input);
    if (message.type !== 'progress') this.last = message;
    if (!this.panel) this.panel = this.create();
    else if (message.type !== 'progress' && !this.panel.visible) this.panel.reveal(vscode.ViewColumn.Beside, true);
    void this.panel.webview.postMessage(message);
  }

  /** A result's rows go into the store; the page gets its id, columns and first rows. */
  private toPage(m: ResultsMessage): PageMessage {
    if (m.type === 'progress') return m;
    if (m.type !== 'result') {
      this.slot.clear(); // one result at a time in this view
      return m;
    }
    const { type: _type, ...shown } = m;
    return { type: 'grid', result: this.slot.show(shown) };
  }

  private create(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel('igsql.results', this.title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [this.mediaRoot, this.webviewRoot],
    });
    panel.iconPath = vscode.Uri.joinPath(this.mediaRoot, 'igsql.svg');
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((m: WebviewMessage | undefined) => {
      if (this.slot.route(m, (response) => void panel.webview.postMessage(response))) return;
      if (m?.type === 'ready' && this.last) void panel.webview.postMessage(this.last);
      else if (m?.type === 'cancel') this.cancelEmitter.fire();
    });
    panel.onDidDispose(() => { if (this.panel === panel) this.panel = undefined; });
    return panel;
  }

  private html(webview: vscode.Webview): string {
    return webviewPage(webview, {
      title: 'Query Results',
      root: this.webviewRoot,
      script: 'results.js',
      style: 'results.css',
      body: () => `<main id="igsql-results">
  <header><span id="title"></span><span id="status" role="status"></span><button id="cancel" type="button" hidden>Cancel</button></header>
  <div id="message" role="alert" hidden></div>
  <div id="grid"></div>
</main>`,
    });
  }

  dispose(): void {
    this.slot.dispose();
    this.panel?.dispose();
    this.cancelEmitter.dispose();
  }
}
