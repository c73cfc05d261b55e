/**
 * The query history, kept in globalState (per machine, not synced): newest first, capped at
 * `igsql.history.maxEntries`. SQL goes through the core's redaction first, so a token or code typed into an
 * EXEC never lands here; rows themselves are never kept.
 */
import * as vscode from 'vscode';
import { redact } from '../../core/log';
import type { HistoryEntry, HistoryRecorder } from './entry';

const KEY = 'igsql.history';
const MAX_SQL_CHARS = 20_000;

export class QueryHistory implements HistoryRecorder, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;

  constructor(private readonly state: vscode.Memento, private readonly maxEntries: () => number) {}

  entries(): HistoryEntry[] {
    return this.state.get<HistoryEntry[]>(KEY, []);
  }

  record(entry: HistoryEntry): void {
    const sql = redact(entry.sql.trim()).slice(0, MAX_SQL_CHARS);
    if (!sql) return;
    const cap = Math.max(1, Math.floor(this.maxEntries()));
    const next = [{ ...entry, sql }, ...this.entries()].slice(0, cap);
    void this.state.update(KEY, next).then(() => this.emitter.fire());
  }

  async clear(): Promise<void> {
    await this.state.update(KEY, []);
    this.emitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
  }
}
