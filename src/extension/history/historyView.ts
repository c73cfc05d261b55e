/** The History view in the Instagram SQL sidebar: one row per run, newest first; re-run or open from its menu. */
import * as vscode from 'vscode';
import type { HistoryEntry } from './entry';
import type { QueryHistory } from './historyStore';

export class HistoryView implements vscode.TreeDataProvider<HistoryEntry>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly sub: vscode.Disposable;

  constructor(private readonly history: QueryHistory) {
    this.sub = history.onDidChange(() => this.emitter.fire());
  }

  getChildren(element?: HistoryEntry): HistoryEntry[] {
    return element ? [] : this.history.entries();
  }

  getTreeItem(e: HistoryEntry): vscode.TreeItem {
    const oneLine = e.sql.replace(/\s+/g, ' ').trim();
    const item = new vscode.TreeItem(oneLine.length > 80 ? `${oneLine.slice(0, 79)}…` : oneLine, vscode.TreeItemCollapsibleState.None);
    const when = new Date(e.at);
    const outcome = e.outcome === 'ok' ? `${e.rows} rows` : e.outcome === 'cancelled' ? 'cancelled' : `error ${e.errorCode ?? ''}`.trim();
    item.description = `${outcome} · ${e.waitedMs} ms · ${e.apiCalls} calls`;
    item.iconPath = new vscode.ThemeIcon(e.outcome === 'ok' ? 'pass' : e.outcome === 'cancelled' ? 'circle-slash' : 'error');
    const md = new vscode.MarkdownString();
    md.appendCodeblock(e.sql, 'sql');
    md.appendMarkdown(`\n${e.connection}${e.accountLabel ? ` · ${e.accountLabel}` : ''} · ${when.toLocaleString()} · from ${e.source}\n\n${outcome} · ${e.waitedMs} ms waited · ${e.apiCalls} Graph calls`);
    item.tooltip = md;
    item.contextValue = 'historyEntry';
    item.command = { command: 'igsql.history.open', title: 'Open in Editor', arguments: [e] };
    return item;
  }

  dispose(): void {
    this.sub.dispose();
    this.emitter.dispose();
  }
}
