/**
 * The HTML page of a webview panel (results view, query console): one nonce-bound script, one stylesheet, a
 * strict Content-Security-Policy whose base every panel shares and whose additions each panel states with
 * its reason. The body is the panel's own markup.
 */
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export interface WebviewPageOptions {
  title: string;
  /** Folder of the bundled script and stylesheet (must be one of the panel's localResourceRoots). */
  root: vscode.Uri;
  script: string;
  style: string;
  /** Markup of <body> before the script tag; `asset(name)` is a file of `root` as a webview URI. */
  body(asset: (name: string) => string): string;
  /** CSP directives beyond the shared base, e.g. `worker-src blob:`; a directive named here replaces the base's. */
  csp?(cspSource: string): Record<string, string>;
}

export function webviewPage(webview: vscode.Webview, o: WebviewPageOptions): string {
  const nonce = randomBytes(16).toString('base64');
  const asset = (name: string) => webview.asWebviewUri(vscode.Uri.joinPath(o.root, name)).toString();
  const directives: Record<string, string> = {
    'default-src': "'none'",
    'style-src': webview.cspSource,
    'script-src': `'nonce-${nonce}'`,
    'font-src': webview.cspSource,
    // Thumbnails of media URLs on hover in the grid come from Instagram's CDN (https).
    'img-src': `${webview.cspSource} https:`,
    ...o.csp?.(webview.cspSource),
  };
  const csp = Object.entries(directives).map(([k, v]) => `${k} ${v}`).join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${asset(o.style)}">
<title>${o.title}</title>
</head>
<body>
${o.body(asset)}
<script nonce="${nonce}" src="${asset(o.script)}"></script>
</body>
</html>`;
}
