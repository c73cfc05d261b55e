/** Completion in .igsql files: the language service at the caret. */
import * as vscode from 'vscode';
import { completionItem, rangeOf } from './convert';
import type { LanguageServices } from './languageServices';

export class IgsqlCompletionProvider implements vscode.CompletionItemProvider {
  static readonly triggers = ['.', ' ', '(', ',', '@', "'", '='];

  constructor(private readonly services: LanguageServices) {}

  async provideCompletionItems(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.CompletionList | undefined> {
    const service = await this.services.current().catch(() => undefined);
    if (!service) return undefined;
    const list = service.complete(doc.getText(), doc.offsetAt(position));
    const range = rangeOf(doc, list.from, list.to);
    return new vscode.CompletionList(list.items.map((i) => completionItem(i, range)), false);
  }
}
