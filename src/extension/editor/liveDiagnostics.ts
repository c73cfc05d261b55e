/**
 * Diagnostics while typing: 400 ms after the last change, every statement is prepared in SQLite (no Graph
 * call; unchanged statements are cached) and the estimated Graph calls are shown. A newer edit supersedes a
 * diagnosis in flight.
 */
import * as vscode from 'vscode';
import { diagnostic } from './convert';
import type { LanguageServices } from './languageServices';

const DEBOUNCE_MS = 400;

export class LiveDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('igsql.live');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly versions = new Map<string, number>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly services: LanguageServices) {
    this.subscriptions = [
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) this.schedule(e.document, DEBOUNCE_MS); }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        clearTimeout(this.timers.get(d.uri.toString()));
      }),
    ];
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  /** Re-checks every open .igsql document (the connection or the account changed). */
  refreshAll(): void {
    for (const d of vscode.workspace.textDocuments) this.schedule(d, 0);
  }

  private schedule(doc: vscode.TextDocument, delay: number): void {
    if (doc.languageId !== 'igsql') return;
    const key = doc.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(key, setTimeout(() => void this.run(doc), delay));
  }

  private async run(doc: vscode.TextDocument): Promise<void> {
    const key = doc.uri.toString();
    const version = doc.version;
    this.versions.set(key, version);
    try {
      const service = await this.services.current();
      if (!service) return;
      const found = await service.diagnose(doc.getText());
      if (this.versions.get(key) !== version || doc.isClosed) return; // superseded by a newer edit
      this.collection.set(doc.uri, found.map((d) => diagnostic(doc, d)));
    } catch {
      // No connection or no token yet: nothing to check against. Running the query says what to do.
    }
  }

  dispose(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    for (const s of this.subscriptions) s.dispose();
  }
}
