/** Outline / breadcrumbs: one symbol per statement, named by its first words. */
import * as vscode from 'vscode';
import { splitStatements } from '../../core/sql/tokenize';
import { rangeOf } from './convert';

export function statementTitle(sql: string, max = 60): string {
  const code = sql.replace(/^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))*/, '');
  const oneLine = code.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
}

export class IgsqlSymbolProvider implements vscode.DocumentSymbolProvider {
  provideDocumentSymbols(doc: vscode.TextDocument): vscode.DocumentSymbol[] {
    return splitStatements(doc.getText()).map((s, i) => {
      const range = rangeOf(doc, s.start, s.end);
      const kind = /^\s*(WITH|SELECT)\b/i.test(s.text) ? vscode.SymbolKind.Function : vscode.SymbolKind.Event;
      return new vscode.DocumentSymbol(statementTitle(s.text) || `Statement ${i + 1}`, `statement ${i + 1}`, kind, range, range);
    });
  }
}
