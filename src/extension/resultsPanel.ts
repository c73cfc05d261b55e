/**
 * The results view: one webview panel reused by every query. The page is static HTML under a strict CSP (no
 * inline script or style, only our nonce'd script from media/); rows arrive as messages and the script
 * inserts every value with textContent, so nothing from Instagram (captions!) can become markup.
 * The last message is kept and replayed when the webview (re)loads and says it is ready.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { ResultsMessage, WebviewMessage } from './resultsModel';

export class ResultsPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private last: ResultsMessage | undefined;
  private readonly cancelEmitter = new vscode.EventEmitter<void>();
  /** The user pressed Cancel in the results view. */
  readonly onDidRequestCancel = this.cancelEmitter.event;

  constructor(
    private readonly mediaRoot: vscode.Uri,
    /** The tab's title; "Run All Statements" opens one tab per statement. */
    private readonly title = 'Query Results',
  ) {}

  show(message: ResultsMessage): void {
    if (message.type === 'progress' && !this.panel) return; // closed while running: a tick does not reopen it
    if (message.type !== 'progress') this.last = message;
    if (!this.panel) this.panel = this.create();
    else if (message.type !== 'progress' && !this.panel.visible) this.panel.reveal(vscode.ViewColumn.Beside, true);
    void this.panel.webview.postMessage(message);
  }

  private create(): vscode.WebviewPanel {
    const panel = vscode.window.createWebviewPanel('igsql.results', this.title, { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true }, {
      enableScripts: true,
      retainContextWhenHidden: true,
      localResourceRoots: [this.mediaRoot],
    });
    panel.iconPath = vscode.Uri.joinPath(this.mediaRoot, 'igsql.svg');
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((m: WebviewMessage) => {
      if (m?.type === 'ready' && this.last) void panel.webview.postMessage(this.last);
      if (m?.type === 'cancel') this.cancelEmitter.fire();
    });
    panel.onDidDispose(() => { if (this.panel === panel) this.panel = undefined; });
    return panel;
  }

  private html(webview: vscode.Webview): string {
    const nonce = randomBytes(16).toString('base64');
    const script = webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'results.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(this.mediaRoot, 'results.css'));
    const csp = [
      "default-src 'none'",
      `style-src ${webview.cspSource}`,
      `script-src 'nonce-${nonce}'`,
      `img-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
    ].join('; ');
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Query Results</title>
</head>
<body>
<main id="igsql-results">
  <header><span id="title"></span><span id="status" role="status"></span><button id="cancel" type="button" hidden>Cancel</button></header>
  <div id="message" role="alert" hidden></div>
  <ul id="notes" hidden></ul>
  <div id="grid"></div>
</main>
<script nonce="${nonce}" src="${script.toString()}"></script>
</body>
</html>`;
  }

  dispose(): void {
    this.panel?.dispose();
    this.cancelEmitter.dispose();
  }
}
