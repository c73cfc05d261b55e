/**
 * Running from the editor: the statement a CodeLens is on, every statement of the file (one results tab per
 * statement, run one after another), and Explain (the plan and the estimated calls, nothing sent to Graph).
 */
import * as vscode from 'vscode';
import { splitStatements } from '../../core/sql/tokenize';
import type { QueryRunner } from '../queryRunner';
import { ResultsPanel } from '../resultsPanel';
import type { LanguageServices } from './languageServices';
import { statementTitle } from './symbolProvider';

export class StatementCommands implements vscode.Disposable {
  /** Extra results tabs of the last "Run All Statements" (the first statement uses the shared view). */
  private tabs: ResultsPanel[] = [];

  constructor(
    private readonly runner: QueryRunner,
    private readonly services: LanguageServices,
    private readonly mediaRoot: vscode.Uri,
  ) {}

  register(): vscode.Disposable[] {
    return [
      vscode.commands.registerCommand('igsql.runStatement', (uri?: vscode.Uri, start?: number, end?: number) => this.runStatement(uri, start, end)),
      vscode.commands.registerCommand('igsql.runAllStatements', () => this.runAll()),
      vscode.commands.registerCommand('igsql.explainStatement', (uri?: vscode.Uri, start?: number, end?: number) => this.explain(uri, start, end)),
    ];
  }

  private async document(uri?: vscode.Uri): Promise<vscode.TextDocument | undefined> {
    if (uri) return vscode.workspace.openTextDocument(uri);
    return vscode.window.activeTextEditor?.document;
  }

  private async runStatement(uri?: vscode.Uri, start?: number, end?: number): Promise<void> {
    const doc = await this.document(uri);
    if (!doc) return;
    if (start === undefined || end === undefined) return this.runner.runInEditor();
    await this.runner.run({ document: doc, offset: start, sql: doc.getText().slice(start, end) }, undefined, 'editor');
  }

  private async runAll(): Promise<void> {
    const doc = vscode.window.activeTextEditor?.document;
    if (!doc) return;
    const statements = splitStatements(doc.getText());
    for (const t of this.tabs) t.dispose();
    this.tabs = [];
    for (const [i, s] of statements.entries()) {
      const panel = i === 0 ? undefined : new ResultsPanel(this.mediaRoot, `Results ${i + 1}: ${statementTitle(s.text, 30)}`);
      if (panel) this.tabs.push(panel);
      await this.runner.run({ document: doc, offset: s.start, sql: s.text }, undefined, 'editor', panel);
    }
  }

  private async explain(uri?: vscode.Uri, start?: number, end?: number): Promise<void> {
    const doc = await this.document(uri);
    if (!doc) return;
    const text = doc.getText();
    const s = start !== undefined && end !== undefined ? { text: text.slice(start, end) } : splitStatements(text).find((x) => {
      const at = doc.offsetAt(vscode.window.activeTextEditor!.selection.active);
      return at >= x.start && at <= x.end + 1;
    });
    if (!s) return;
    const service = await this.services.current();
    if (!service) {
      void vscode.window.showInformationMessage('Add a connection first: Explain reads its tables.');
      return;
    }
    const report = await service.explain(s.text);
    const content = [
      `# Explain`, '', '```sql', s.text, '```', '', report.text, '',
      ...(report.plan.length ? ['SQLite plan:', '', '```', ...report.plan, '```'] : []),
    ].join('\n');
    const planDoc = await vscode.workspace.openTextDocument({ language: 'markdown', content });
    await vscode.window.showTextDocument(planDoc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
  }

  dispose(): void {
    for (const t of this.tabs) t.dispose();
  }
}
