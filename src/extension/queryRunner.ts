/**
 * Runs one SQL statement on a target account and shows it in the results view: progress in a cancellable
 * notification, a Cancel button in the results view, both aborting the AbortSignal given to `query()` so the
 * core stops paging at once. An error shows in the results view and, when the core knows where, as a
 * diagnostic at that position in the editor. Cancelling is not an error: no toast, no diagnostic.
 *
 * Runs are kept per document, as vscode-mssql keeps them per editor URI. A new run in the same document
 * replaces a running read (it is cancelled), but never a running write: a write's outcome must be known, so the
 * new run waits for it and then runs. Runs of different documents are independent (the core connection runs
 * their queries one at a time).
 */
import * as vscode from 'vscode';
import type { QueryStats, SqlValue } from '../core/api';
import { IgsqlError, toIgsqlError } from '../core/errors';
import type { ActiveAccount } from './activeAccount';
import type { HistoryRecorder } from './history/entry';
import type { Connections } from './connections';
import type { ResultsPanel } from './resultsPanel';
import { cell, shownStats, summary, type ResultsMessage } from './resultsModel';
import type { ConnectionSettings } from './settings';
import { splitStatements } from '../core/sql/tokenize';
import { statementKind, type Telemetry } from './telemetry';
import type { Loaders, Target } from './types';

const PROGRESS_DELAY_MS = 500;

export interface QuerySource {
  document: vscode.TextDocument;
  /** Offset of `sql` inside the document, to map error positions back. */
  offset: number;
  sql: string;
}

/** One run of a document: how to cancel it, whether it writes, and when it is over. */
interface Run {
  readonly controller: AbortController;
  readonly writes: boolean;
  /** Settles when the run is over, whatever its outcome. */
  readonly done: Promise<void>;
  /** Settles when the writes this run waits for (earlier runs of its document) are over. */
  readonly after: Promise<void>;
}

/** INSERT, UPDATE, DELETE and EXEC (procedures publish, reply…) change data: such a run is never replaced. */
export function writesData(sql: string): boolean {
  return splitStatements(sql).some((s) => ['insert', 'update', 'delete', 'exec'].includes(statementKind(s.text)));
}

export class QueryRunner implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('igsql');
  /** The latest run of each document, by URI. */
  private readonly runs = new Map<string, Run>();
  /** The run the results view shows: its Cancel button and "Cancel Query" cancel this one. */
  private shown: Run | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly connections: Connections,
    private readonly active: ActiveAccount,
    private readonly settings: ConnectionSettings,
    private readonly results: ResultsPanel,
    private readonly telemetry: Telemetry,
    private readonly log: vscode.LogOutputChannel,
    private readonly loaders: Loaders,
    private readonly history?: HistoryRecorder,
  ) {
    this.subscriptions.push(
      this.diagnostics,
      results.onDidRequestCancel(() => this.cancel()),
      vscode.workspace.onDidChangeTextDocument((e) => { if (e.contentChanges.length) this.diagnostics.delete(e.document.uri); }),
      vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)),
    );
  }

  /** "Run Query": the selection if there is one, else the statement at the caret. */
  /** `target`: the editor's own account (documentAccounts.ts), else the active one. */
  async runInEditor(editor: vscode.TextEditor | undefined = vscode.window.activeTextEditor, target?: (editor: vscode.TextEditor) => Target | undefined): Promise<void> {
    if (!editor) {
      void vscode.window.showInformationMessage('Open a .igsql file and put the cursor in a statement to run it.');
      return;
    }
    const doc = editor.document;
    let source: QuerySource | undefined;
    if (!editor.selection.isEmpty) {
      const sql = doc.getText(editor.selection);
      source = { document: doc, offset: doc.offsetAt(editor.selection.start), sql };
    } else {
      // The core's tokenizer: strings, quoted names and comments may hold a `;` (DESIGN §9).
      const { statementAt } = await this.loaders.core();
      const stmt = statementAt(doc.getText(), doc.offsetAt(editor.selection.active));
      if (stmt) source = { document: doc, offset: stmt.start, sql: stmt.text };
    }
    if (!source || !source.sql.trim()) {
      void vscode.window.showInformationMessage('There is no SQL statement at the cursor.');
      return;
    }
    await this.run(source, target?.(editor), 'editor');
  }

  cancel(): void {
    this.shown?.controller.abort();
  }

  /** Whether a query of this document is running (or waiting for an earlier write of it). */
  isRunning(document: vscode.TextDocument): boolean {
    return this.runs.has(document.uri.toString());
  }

  /** `results`: where to show it (Run All Statements gives each statement its own tab), else the shared view. */
  async run(source: QuerySource, explicitTarget: Target | undefined, origin: 'editor' | 'tree', results: ResultsPanel = this.results): Promise<void> {
    const key = source.document.uri.toString();
    const previous = this.runs.get(key);
    const controller = new AbortController();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => { finished = resolve; });
    // A running read is replaced; a running write is waited for (and so are the writes it was waiting for).
    const after = previous ? (previous.writes ? Promise.all([previous.after, previous.done]).then(() => undefined) : previous.after) : Promise.resolve();
    const writes = writesData(source.sql);
    const run: Run = { controller, writes, done, after };
    if (previous && !previous.writes) previous.controller.abort();
    this.runs.set(key, run);
    this.shown = run;
    this.diagnostics.delete(source.document.uri);
    const title = titleOf(source.sql);
    let targetLabel = explicitTarget ? labelOf(explicitTarget) : '';
    const t0 = performance.now();
    const startedAt = Date.now();
    let target: Target | undefined = explicitTarget;
    let stats: Readonly<QueryStats> | undefined;
    let rows: (string | null)[][] = [];
    let outcome: 'ok' | 'error' | 'cancelled' = 'ok';
    let error: IgsqlError | undefined;
    let connectionKind = 'custom';
    // A run replaced by a newer one stays quiet: its "cancelled" must not overwrite the new run's view.
    const show = (message: ResultsMessage) => { if (this.shown === run) results.show(message); };
    const progress = this.delayedProgress(controller);
    try {
      target = explicitTarget ?? (await this.resolveTarget());
      targetLabel = labelOf(target);
      connectionKind = this.settings.config(target.connection)?.sample ? 'sample' : 'custom';
      show({ type: 'running', title, target: targetLabel });
      await untilDoneOrCancelled(after, controller.signal);
      const conn = await this.connections.connection(target.connection);
      if (controller.signal.aborted) throw new DOMException('Cancelled', 'AbortError');
      let lastReport = 0;
      const result = await conn.query(inDocumentCoordinates(source), undefined, {
        signal: controller.signal,
        businessAccountId: target.accountId,
        onProgress: (s) => {
          stats = s;
          const now = performance.now();
          if (now - lastReport < 150) return;
          lastReport = now;
          const shown = shownStats(s, s.rows, now - t0);
          progress.report(`${shown.apiCalls} Graph calls, ${shown.rows} rows`);
          show({ type: 'progress', stats: shown });
        },
      });
      stats = result.stats;
      const max = this.settings.maxRows();
      let truncated = false;
      for await (const row of result.rows) {
        if (rows.length >= max) { truncated = true; break; }
        rows.push(row.map((v: SqlValue) => cell(v)));
      }
      if (controller.signal.aborted) throw new DOMException('Cancelled', 'AbortError');
      // The time the user waited (from the click to the last row), not the engine's elapsed: opening the
      // connection, the account lookup and reading rows all count (issue 10 measured 539 ms vs 5.4 s).
      const shown = shownStats(result.stats, rows.length, performance.now() - t0);
      show({ type: 'result', title, target: targetLabel, columns: result.columns, rows, truncated, stats: shown });
      vscode.window.setStatusBarMessage(`Instagram SQL: ${summary(shown)}`, 5000);
    } catch (e) {
      error = toIgsqlError(e);
      // A cancelled write may have been applied (WRITE_UNKNOWN_OUTCOME) or have written rows before the cancel:
      // that is shown as an error with the core's message, never as a plain "cancelled".
      const unknown = error.code === 'WRITE_UNKNOWN_OUTCOME';
      outcome = !unknown && (error.code === 'CANCELLED' || controller.signal.aborted) ? 'cancelled' : 'error';
      const wrote = unknown || (error.details.written ?? 0) > 0;
      rows = [];
      const shown = shownStats(stats, 0, performance.now() - t0);
      if (outcome === 'cancelled' && !wrote) {
        show({ type: 'cancelled', title, target: targetLabel, stats: shown });
      } else {
        const marked = this.markError(source, error);
        // The core's message often says where already; do not say it twice.
        const position = marked && !/line \d+/.test(error.message) ? marked : undefined;
        show({ type: 'error', title, target: targetLabel, code: error.code, message: error.message, ...(position ? { position } : {}) });
        this.log.warn(`Query failed: ${error.code}: ${error.message}`);
        // A write whose view was taken by a later run still reports its failure: its outcome must be seen.
        if (writes && this.shown !== run) void vscode.window.showErrorMessage(`Instagram SQL: ${title}: ${error.message}`);
      }
    } finally {
      progress.done();
      if (this.runs.get(key) === run) this.runs.delete(key);
      finished();
    }
    this.history?.record({
      sql: source.sql, connection: target?.connection ?? '', ...(target?.accountId ? { accountId: target.accountId } : {}),
      ...(target?.accountLabel ? { accountLabel: target.accountLabel } : {}), at: startedAt, rows: rows.length, apiCalls: stats?.apiCalls ?? 0,
      waitedMs: Math.round(performance.now() - t0), outcome, ...(outcome === 'error' && error ? { errorCode: error.code } : {}), source: origin,
    });
    this.telemetry.event('query/run', {
      outcome, source: origin, connectionKind, statementKind: statementKind(source.sql), ...(outcome === 'error' && error ? { errorCode: error.code } : {}),
    }, {
      durationMs: performance.now() - t0, rows: rows.length, apiCalls: stats?.apiCalls ?? 0, pages: stats?.pages ?? 0,
    });
  }

  /**
   * A cancellable progress notification, shown only when the query is still running after PROGRESS_DELAY_MS:
   * most queries take a few hundred milliseconds and a notification flashing up for each would be noise.
   */
  private delayedProgress(controller: AbortController): { report(message: string): void; done(): void } {
    let finish!: () => void;
    const finished = new Promise<void>((resolve) => { finish = resolve; });
    let reporter: vscode.Progress<{ message?: string }> | undefined;
    let last: string | undefined;
    const timer = setTimeout(() => {
      void vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: 'Instagram SQL: running query', cancellable: true },
        (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          reporter = progress;
          if (last) progress.report({ message: last });
          return finished;
        },
      );
    }, PROGRESS_DELAY_MS);
    return {
      report: (message) => { last = message; reporter?.report({ message }); },
      done: () => { clearTimeout(timer); finish(); },
    };
  }

  /** The active account, or the first account of the first connection, which then becomes the active one. */
  private async resolveTarget(): Promise<Target> {
    const current = this.active.get();
    const configs = this.connections.configs();
    if (current?.accountId && configs.some((c) => c.name === current.connection)) return current;
    const connection = current && configs.some((c) => c.name === current.connection) ? current.connection : configs[0]?.name;
    if (!connection) throw new IgsqlError('NOT_FOUND', 'There is no connection: add one with "Instagram SQL: Add Connection…".');
    const accounts = await this.connections.businessAccounts(connection);
    const first = accounts[0];
    const target: Target = first ? { connection, accountId: first.id, accountLabel: `@${first.username}` } : { connection };
    await this.active.set(target);
    return target;
  }

  /** Puts a diagnostic where the core says the error is; returns "line L, column C" for the results view. */
  private markError(source: QuerySource, error: IgsqlError): string | undefined {
    const { line, column } = error.details;
    const doc = source.document;
    let range: vscode.Range;
    let where: string | undefined;
    if (line !== undefined) {
      // Document coordinates already (see inDocumentCoordinates); validatePosition clamps past-the-end ones.
      const pos = doc.validatePosition(new vscode.Position(line - 1, Math.max((column ?? 1) - 1, 0)));
      range = doc.getWordRangeAtPosition(pos) ?? doc.validateRange(new vscode.Range(pos, pos.translate(0, 1)));
      where = `line ${pos.line + 1}, column ${pos.character + 1}`;
    } else if (error.code.startsWith('SQL_') || error.code.startsWith('UNKNOWN_')) {
      range = new vscode.Range(doc.positionAt(source.offset), doc.positionAt(source.offset + source.sql.length));
    } else {
      return undefined;
    }
    const diagnostic = new vscode.Diagnostic(range, error.message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'Instagram SQL';
    diagnostic.code = error.code;
    this.diagnostics.set(doc.uri, [diagnostic]);
    return where;
  }

  dispose(): void {
    for (const run of this.runs.values()) run.controller.abort();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** Waits for `p`, or until `signal` aborts (then throws the abort, as the core does). */
async function untilDoneOrCancelled(p: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new DOMException('Cancelled', 'AbortError');
  let onAbort!: () => void;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new DOMException('Cancelled', 'AbortError'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([p, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * The statement preceded by as many line breaks and spaces as come before it in the document. The core reports
 * error positions (in its message and in `details`) relative to the text it is given; padded like this, its
 * "line L, column C" is the editor's, also for the second statement of a file or a selection mid-line.
 * Whitespace before a statement changes nothing else: the core splits and trims statements itself.
 */
function inDocumentCoordinates(source: QuerySource): string {
  const start = source.document.positionAt(source.offset);
  return '\n'.repeat(start.line) + ' '.repeat(start.character) + source.sql;
}

function titleOf(sql: string): string {
  const code = sql.replace(/^(\s*(--[^\n]*(\n|$)|\/\*[\s\S]*?\*\/))*/, '');
  const oneLine = code.replace(/\s+/g, ' ').trim();
  return oneLine.length > 100 ? `${oneLine.slice(0, 99)}…` : oneLine;
}

function labelOf(t: Target): string {
  return t.accountLabel ? `${t.connection} · ${t.accountLabel}` : t.connection;
}
