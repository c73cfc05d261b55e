/** Above each statement: Run · Explain · the account it will run on (click to switch). */
import * as vscode from 'vscode';
import { splitStatements } from '../../core/sql/tokenize';
import type { ActiveAccount } from '../activeAccount';
import { rangeOf } from './convert';
import type { LanguageServices } from './languageServices';

export class IgsqlCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeCodeLenses = this.emitter.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly services: LanguageServices, active: ActiveAccount) {
    this.subscription = active.onDidChange(() => this.emitter.fire());
  }

  provideCodeLenses(doc: vscode.TextDocument): vscode.CodeLens[] {
    const target = this.services.target();
    const account = target ? (target.accountLabel ? `${target.connection} · ${target.accountLabel}` : target.connection) : 'no connection';
    return splitStatements(doc.getText()).flatMap((s) => {
      const range = rangeOf(doc, s.start, s.start);
      const args = [doc.uri, s.start, s.end];
      return [
        new vscode.CodeLens(range, { title: '$(play) Run', command: 'igsql.runStatement', arguments: args, tooltip: 'Run this statement' }),
        new vscode.CodeLens(range, { title: 'Explain', command: 'igsql.explainStatement', arguments: args, tooltip: 'The plan and the estimated Graph calls, without running' }),
        new vscode.CodeLens(range, { title: `$(account) ${account}`, command: 'igsql.switchAccount', tooltip: 'The account this runs on: click to switch' }),
      ];
    });
  }

  dispose(): void {
    this.subscription.dispose();
    this.emitter.dispose();
  }
}
