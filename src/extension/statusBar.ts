/** The status-bar item naming the active account; clicking it switches accounts. No network at activation. */
import * as vscode from 'vscode';
import type { ActiveAccount } from './activeAccount';
import type { Target } from './types';

export class AccountStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('igsql.activeAccount', vscode.StatusBarAlignment.Left, 50);
  private readonly subscription: vscode.Disposable;

  constructor(active: ActiveAccount) {
    this.item.name = 'Instagram SQL: Active Account';
    this.item.command = 'igsql.switchAccount';
    this.subscription = active.onDidChange((t) => this.render(t));
    this.render(active.get());
    this.item.show();
  }

  private render(target: Target | undefined): void {
    // The @username is what people recognise; the connection is in the tooltip.
    this.item.text = target ? `$(account) ${target.accountLabel ?? target.connection}` : '$(account) Instagram SQL: no account';
    this.item.tooltip = target
      ? `Instagram SQL: queries run on ${target.accountLabel ?? 'the first account'} (connection "${target.connection}"). Click to switch.`
      : 'Instagram SQL: no account chosen. Click to choose one.';
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
