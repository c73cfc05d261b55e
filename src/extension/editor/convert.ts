/** Offsets ↔ VS Code ranges, and the language service's kinds as VS Code's. */
import * as vscode from 'vscode';
import type { CompletionItem, Diagnostic, ItemKind } from '../../language';

export function rangeOf(doc: vscode.TextDocument, from: number, to: number): vscode.Range {
  return new vscode.Range(doc.positionAt(from), doc.positionAt(to));
}

// Built on first use: reading vscode's enums at module load would tie every importer to the host.
const kinds = (): Record<ItemKind, vscode.CompletionItemKind> => ({
  table: vscode.CompletionItemKind.Class,
  view: vscode.CompletionItemKind.Interface,
  column: vscode.CompletionItemKind.Field,
  keyword: vscode.CompletionItemKind.Keyword,
  function: vscode.CompletionItemKind.Function,
  procedure: vscode.CompletionItemKind.Method,
  parameter: vscode.CompletionItemKind.Variable,
  value: vscode.CompletionItemKind.EnumMember,
  snippet: vscode.CompletionItemKind.Snippet,
});

export function completionItem(item: CompletionItem, range: vscode.Range): vscode.CompletionItem {
  const out = new vscode.CompletionItem({ label: item.label, description: item.detail }, kinds()[item.kind]);
  out.sortText = item.sortText;
  out.range = range;
  out.filterText = item.label;
  if (item.insertText) out.insertText = item.snippet ? new vscode.SnippetString(item.insertText) : item.insertText;
  if (item.documentation) out.documentation = new vscode.MarkdownString(item.documentation);
  return out;
}

const severity = (s: Diagnostic['severity']): vscode.DiagnosticSeverity =>
  s === 'error' ? vscode.DiagnosticSeverity.Error : s === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;

export function diagnostic(doc: vscode.TextDocument, d: Diagnostic): vscode.Diagnostic {
  const out = new vscode.Diagnostic(rangeOf(doc, d.from, d.to), d.message, severity(d.severity));
  out.source = 'Instagram SQL';
  out.code = d.code;
  return out;
}
