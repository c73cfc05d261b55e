/**
 * The account each query editor runs on, shown in the editor itself (a CodeLens on the first line), so that
 * Select Top 100 and Ctrl+Enter in the same editor can never hit different accounts without saying so: an editor
 * opened by Select Top 100 keeps that table's account; any other editor runs on the active account, and says
 * which. "Change" picks another account for this editor only.
 */
import * as vscode from 'vscode';
import type { ActiveAccount } from './activeAccount';
import type { Target } from './types';

export class DocumentAccounts implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly byDocument = new Map<string, Target>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly active: ActiveAccount) {
    this.subscriptions = [
      active.onDidChange(() => this.emitter.fire()),
      vscode.workspace.onDidCloseTextDocument((d) => this.byDocument.delete(d.uri.toString())),
    ];
  }

  /** The account this document's queries run on: its own, else undefined (the active account). */
  get(document: vscode.TextDocument | undefined): Target | undefined {
    return document ? this.byDocument.get(document.uri.toString()) : undefined;
  }

  set(document: vscode.TextDocument, target: Target | undefined): void {
    if (target) this.byDocument.set(document.uri.toString(), target);
    else this.byDocument.delete(document.uri.toString());
    this.emitter.fire();
  }

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const own = this.get(document);
    const target = own ?? this.active.get();
    const who = target ? `${target.accountLabel ?? 'first account'} (${target.connection})` : 'none yet';
    const range = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(range, { title: `$(account) Account: ${who}${own ? '' : ' · the active one'}`, command: 'igsql.chooseDocumentAccount', arguments: [document.uri], tooltip: 'Queries in this editor run on this account. Click to choose another one for this editor.' }),
    ];
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.emitter.dispose();
  }
}
