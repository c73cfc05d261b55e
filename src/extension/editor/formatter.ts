/**
 * Formatting through sql-formatter (SQLite dialect), statement by statement: a statement it cannot parse
 * (EXEC, half-typed SQL) is left exactly as written instead of failing the whole document.
 */
import * as vscode from 'vscode';
import { format } from 'sql-formatter';
import { splitStatements } from '../../core/sql/tokenize';
import { rangeOf } from './convert';

export function formatStatement(sql: string, tabWidth: number): string | undefined {
  if (/^\s*EXEC(UTE)?\b/i.test(sql)) return undefined;
  try {
    return format(sql, { language: 'sqlite', keywordCase: 'upper', tabWidth, paramTypes: { named: ['@', ':', '$'], positional: true } });
  } catch {
    return undefined;
  }
}

export class IgsqlFormatter implements vscode.DocumentFormattingEditProvider, vscode.DocumentRangeFormattingEditProvider {
  provideDocumentFormattingEdits(doc: vscode.TextDocument, options: vscode.FormattingOptions): vscode.TextEdit[] {
    return this.edits(doc, 0, doc.getText().length, options);
  }

  provideDocumentRangeFormattingEdits(doc: vscode.TextDocument, range: vscode.Range, options: vscode.FormattingOptions): vscode.TextEdit[] {
    return this.edits(doc, doc.offsetAt(range.start), doc.offsetAt(range.end), options);
  }

  private edits(doc: vscode.TextDocument, from: number, to: number, options: vscode.FormattingOptions): vscode.TextEdit[] {
    const out: vscode.TextEdit[] = [];
    for (const s of splitStatements(doc.getText())) {
      if (s.end < from || s.start > to) continue;
      const formatted = formatStatement(s.text, options.tabSize);
      if (formatted !== undefined && formatted !== s.text) out.push(vscode.TextEdit.replace(rangeOf(doc, s.start, s.end), formatted));
    }
    return out;
  }
}
