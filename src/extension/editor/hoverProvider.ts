/** Hover in .igsql files: a table's or column's description, type, scopes and key operators. */
import * as vscode from 'vscode';
import { rangeOf } from './convert';
import type { LanguageServices } from './languageServices';

export class IgsqlHoverProvider implements vscode.HoverProvider {
  constructor(private readonly services: LanguageServices) {}

  async provideHover(doc: vscode.TextDocument, position: vscode.Position): Promise<vscode.Hover | undefined> {
    const service = await this.services.current().catch(() => undefined);
    const h = service?.hover(doc.getText(), doc.offsetAt(position));
    return h && new vscode.Hover(new vscode.MarkdownString(h.contents), rangeOf(doc, h.from, h.to));
  }
}
