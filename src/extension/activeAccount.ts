/**
 * The business account queries run on, chosen in the tree or the status bar, kept across sessions in
 * globalState (the account id and its @username for display; no token, nothing secret).
 */
import * as vscode from 'vscode';
import type { Target } from './types';

const KEY = 'igsql.activeAccount';

export class ActiveAccount implements vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Target | undefined>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly state: vscode.Memento) {}

  get(): Target | undefined {
    return this.state.get<Target>(KEY);
  }

  async set(target: Target | undefined): Promise<void> {
    await this.state.update(KEY, target);
    this.emitter.fire(target);
  }

  /** The first account shown becomes the active one when none is chosen yet; true when it changed. */
  async adoptDefault(target: Target): Promise<boolean> {
    if (this.get()) return false;
    await this.set(target);
    return true;
  }

  is(connection: string, accountId: string): boolean {
    const t = this.get();
    return t?.connection === connection && t.accountId === accountId;
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
