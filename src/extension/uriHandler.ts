/**
 * `vscode://igsql.instagram-sql/…` (`code-oss://…` in code-server). Today it only reveals the explorer; the
 * OAuth sign-in flow (a later issue) will receive its callback here, checked against a pending `state`.
 */
import * as vscode from 'vscode';

export class IgsqlUriHandler implements vscode.UriHandler {
  constructor(private readonly log: vscode.LogOutputChannel) {}

  handleUri(uri: vscode.Uri): void {
    // Log the path only: a callback's query string may carry an authorization code.
    this.log.info(`URI opened: ${uri.path}`);
    if (uri.path === '/' || uri.path === '/explorer') void vscode.commands.executeCommand('igsql.explorer.focus');
  }
}
