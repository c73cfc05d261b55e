/**
 * Notebook and history commands: new notebook (empty, from the editor's query, from a table in the tree),
 * change a notebook's account, and re-run / open a history entry. Plus the status-bar item that names the
 * account of the notebook in front.
 */
import * as vscode from 'vscode';
import { pickAccount } from '../accountPicker';
import type { ActiveAccount } from '../activeAccount';
import type { Connections } from '../connections';
import type { Node } from '../explorerTree';
import type { HistoryEntry } from '../history/entry';
import type { QueryHistory } from '../history/historyStore';
import type { QueryRunner } from '../queryRunner';
import type { Target } from '../types';
import { bindNotebook, labelOf } from './controller';
import type { NotebookBinding } from './format';
import { NOTEBOOK_TYPE } from './outputs';

type TableNode = Extract<Node, { kind: 'table' }>;

export class NotebookCommands implements vscode.Disposable {
  private readonly status = vscode.window.createStatusBarItem('igsql.notebookAccount', vscode.StatusBarAlignment.Left, 49);
  private readonly subs: vscode.Disposable[] = [];

  constructor(
    private readonly connections: Connections,
    private readonly active: ActiveAccount,
    private readonly runner: QueryRunner,
    private readonly history: QueryHistory,
  ) {
    this.status.name = 'Instagram SQL: Notebook Account';
    this.status.command = 'igsql.notebook.changeAccount';
    this.subs.push(
      vscode.window.onDidChangeActiveNotebookEditor(() => this.render()),
      vscode.workspace.onDidChangeNotebookDocument((e) => { if (e.metadata && e.notebook === vscode.window.activeNotebookEditor?.notebook) this.render(); }),
    );
    this.render();
  }

  table(): Record<string, (...args: never[]) => unknown> {
    return {
      'igsql.newNotebook': () => this.open([['sql', 'SELECT Caption, LikeCount FROM Media ORDER BY LikeCount DESC LIMIT 10']], this.active.get()),
      'igsql.newNotebookFromQuery': () => this.fromQuery(),
      'igsql.newNotebookFromTable': (node: TableNode) => this.fromTable(node),
      'igsql.notebook.changeAccount': () => this.changeAccount(),
      'igsql.history.rerun': (e: HistoryEntry) => this.rerun(e),
      'igsql.history.open': (e: HistoryEntry) => this.openEntry(e),
      'igsql.history.clear': () => this.history.clear(),
    };
  }

  private render(): void {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    if (nb?.notebookType !== NOTEBOOK_TYPE) return void this.status.hide();
    const b = nb.metadata as NotebookBinding;
    this.status.text = `$(notebook) ${b.connection ? labelOf({ connection: b.connection, ...(b.accountLabel ? { accountLabel: b.accountLabel } : {}) }) : 'Active account (not bound yet)'}`;
    this.status.tooltip = 'Instagram SQL: the account this notebook runs on (saved in the notebook). Click to change.';
    this.status.show();
  }

  private async open(cells: Array<['sql' | 'markdown', string]>, target: Target | undefined): Promise<void> {
    const data = new vscode.NotebookData(cells.map(([kind, text]) => new vscode.NotebookCellData(
      kind === 'sql' ? vscode.NotebookCellKind.Code : vscode.NotebookCellKind.Markup, text, kind === 'sql' ? 'igsql' : 'markdown')));
    data.metadata = target ? { connection: target.connection, ...(target.accountId ? { accountId: target.accountId } : {}), ...(target.accountLabel ? { accountLabel: target.accountLabel } : {}) } : {};
    const doc = await vscode.workspace.openNotebookDocument(NOTEBOOK_TYPE, data);
    await vscode.window.showNotebookDocument(doc);
  }

  private async fromQuery(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const sql = editor ? (editor.selection.isEmpty ? editor.document.getText() : editor.document.getText(editor.selection)).trim() : '';
    if (!sql) return void vscode.window.showInformationMessage('Open a .igsql file (or select a query) to make a notebook from it.');
    const { splitStatements } = await import('../../core/sql/tokenize');
    const statements = splitStatements(sql).map((s) => s.text.trim()).filter(Boolean);
    await this.open(statements.map((s) => ['sql', s] as ['sql', string]), this.active.get());
  }

  private async fromTable(node: TableNode | undefined): Promise<void> {
    if (node?.kind !== 'table') return;
    const accounts = await this.connections.businessAccounts(node.connection).catch(() => []);
    const account = accounts.find((a) => a.id === node.accountId);
    await this.open([
      ['markdown', `# ${node.table.name}\n${node.table.description}`],
      ['sql', `SELECT * FROM ${node.table.name} LIMIT 100`],
    ], { connection: node.connection, ...(node.accountId ? { accountId: node.accountId } : {}), ...(account ? { accountLabel: `@${account.username}` } : {}) });
  }

  private async changeAccount(): Promise<void> {
    const nb = vscode.window.activeNotebookEditor?.notebook;
    if (nb?.notebookType !== NOTEBOOK_TYPE) return void vscode.window.showInformationMessage('Open an Instagram SQL notebook (.igsqlnb) first.');
    const b = nb.metadata as NotebookBinding;
    const current = b.connection ? { connection: b.connection, ...(b.accountId ? { accountId: b.accountId } : {}) } : undefined;
    const chosen = await pickAccount(this.connections, current, 'Run this notebook on which Instagram account?');
    if (!chosen) return;
    await bindNotebook(nb, chosen);
    this.render();
  }

  private async openEntry(e: HistoryEntry | undefined): Promise<vscode.TextDocument | undefined> {
    if (!e?.sql) return undefined;
    const document = await vscode.workspace.openTextDocument({ language: 'igsql', content: `${e.sql}\n` });
    await vscode.window.showTextDocument(document, { preview: false });
    return document;
  }

  private async rerun(e: HistoryEntry | undefined): Promise<void> {
    const document = await this.openEntry(e);
    if (!document || !e) return;
    const target: Target | undefined = e.connection && this.connections.configs().some((c) => c.name === e.connection)
      ? { connection: e.connection, ...(e.accountId ? { accountId: e.accountId } : {}), ...(e.accountLabel ? { accountLabel: e.accountLabel } : {}) }
      : undefined;
    await this.runner.run({ document, offset: 0, sql: e.sql }, target, 'editor');
  }

  dispose(): void {
    this.status.dispose();
    for (const s of this.subs) s.dispose();
  }
}
