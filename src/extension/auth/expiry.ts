/**
 * A warning a few days before a sign-in's token expires, with one-click renew (and Sign in again when the token
 * can no longer be renewed). Reads only the non-secret index at activation: no network, no secret.
 */
import * as vscode from 'vscode';
import type { InstagramAuthProvider } from './provider';

export class ExpiryWarning implements vscode.Disposable {
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly auth: InstagramAuthProvider) {
    // After activation settles; once a session is enough (tokens last 60 days).
    this.timer = setTimeout(() => void this.check(), 5000);
  }

  async check(now = Date.now()): Promise<void> {
    for (const u of this.auth.expiringSoon(now)) {
      const days = Math.max(0, Math.ceil((u.expiresAt - now) / 86_400_000));
      const expired = u.expiresAt <= now;
      const text = expired
        ? `The sign-in of "${u.connection}" (${u.userName}) has expired: sign in again to keep querying.`
        : `The sign-in of "${u.connection}" (${u.userName}) expires in ${days} day${days === 1 ? '' : 's'}.`;
      const action = expired ? 'Sign In' : 'Renew';
      const choice = await vscode.window.showWarningMessage(text, action);
      if (choice) await vscode.commands.executeCommand(expired ? 'igsql.signIn' : 'igsql.renewSignIn', u.connection);
    }
  }

  dispose(): void {
    clearTimeout(this.timer);
  }
}
