/**
 * `vscode://igsql.instagram-sql/…` (`code-oss://…` in code-server). `/auth-callback` carries a sign-in's code
 * and state (from the relay page): handed to the sign-in waiting for that state, and to nothing else.
 */
import * as vscode from 'vscode';
import type { AuthCallbacks } from './auth/callbacks';
import { CALLBACK_PATH } from './auth/transports';

export class IgsqlUriHandler implements vscode.UriHandler {
  constructor(private readonly log: vscode.LogOutputChannel, private readonly callbacks: AuthCallbacks) {}

  handleUri(uri: vscode.Uri): void {
    // Log the path only: a callback's query string carries an authorization code.
    this.log.info(`URI opened: ${uri.path}`);
    if (uri.path === CALLBACK_PATH) {
      this.callbacks.deliver(uri.query);
      return;
    }
    if (uri.path === '/' || uri.path === '/explorer') void vscode.commands.executeCommand('igsql.explorer.focus');
  }
}
