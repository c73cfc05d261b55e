/**
 * Runs the SQL cells of `.igsqlnb` notebooks (as the notebook-serializer sample: createNotebookCellExecution →
 * start → replaceOutput → end). Cells of one notebook run one after another, also across separate clicks, so a
 * later cell sees the parameters and `@cellN` results of the cells above it (params.ts). Cancelling uses
 * `execution.token` (DESIGN §9: no interruptHandler, which would disable that token). The account comes from the
 * notebook's metadata; a notebook without one is bound to the account of its first run.
 */
import * as vscode from 'vscode';
import type { SqlValue } from '../../core/api';
import { IgsqlError, toIgsqlError } from '../../core/errors';
import type { ActiveAccount } from '../activeAccount';
import type { Connections } from '../connections';
import type { HistoryRecorder } from '../history/entry';
import type { ResultStore } from '../results/store';
import { cell as displayCell } from '../resultsModel';
import type { ConnectionSettings } from '../settings';
import type { Target } from '../types';
import type { NotebookBinding } from './format';
import { NOTEBOOK_TYPE } from './outputs';
import { cellReferences, isParameterCell, parseParameterCell, resultAsJson, type ParamValue } from './params';
import { errorOutput, resultOutput } from './serializer';

export class NotebookKernel implements vscode.Disposable {
  private readonly controller = vscode.notebooks.createNotebookController('igsql-notebook-kernel', NOTEBOOK_TYPE, 'Instagram SQL');
  private readonly queues = new Map<string, Promise<void>>();
  private readonly orders = new Map<string, number>();
  /** The last result of each cell (by cell document URI), for `@cellN`. */
  private readonly cellResults = new Map<string, string>();
  private readonly sub: vscode.Disposable;

  constructor(
    private readonly connections: Connections,
    private readonly active: ActiveAccount,
    private readonly settings: ConnectionSettings,
    private readonly store: ResultStore,
    private readonly history: HistoryRecorder,
  ) {
    this.controller.supportedLanguages = ['igsql'];
    this.controller.supportsExecutionOrder = true;
    this.controller.description = 'SQL on your Instagram accounts';
    this.controller.executeHandler = (cells, notebook) => this.execute(cells, notebook);
    // Our notebooks have one kernel: prefer it so a new notebook runs without a "Select Kernel" step.
    const prefer = (nb: vscode.NotebookDocument) => { if (nb.notebookType === NOTEBOOK_TYPE) this.controller.updateNotebookAffinity(nb, vscode.NotebookControllerAffinity.Preferred); };
    vscode.workspace.notebookDocuments.forEach(prefer);
    this.sub = vscode.workspace.onDidOpenNotebookDocument(prefer);
  }

  private execute(cells: vscode.NotebookCell[], notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    let chain = this.queues.get(key) ?? Promise.resolve();
    for (const cell of cells) {
      let execution: vscode.NotebookCellExecution;
      try {
        execution = this.controller.createNotebookCellExecution(cell); // shows the cell as queued at once
      } catch {
        continue; // already queued or running
      }
      chain = chain.then(() => this.runCell(execution, notebook)).catch(() => undefined);
    }
    this.queues.set(key, chain);
    void chain.then(() => { if (this.queues.get(key) === chain) this.queues.delete(key); });
    return chain;
  }

  private async runCell(execution: vscode.NotebookCellExecution, notebook: vscode.NotebookDocument): Promise<void> {
    const key = notebook.uri.toString();
    const order = (this.orders.get(key) ?? 0) + 1;
    this.orders.set(key, order);
    execution.executionOrder = order;
    const startedAt = Date.now();
    execution.start(startedAt);
    const t0 = performance.now();
    if (execution.token.isCancellationRequested) {
      execution.end(undefined, Date.now());
      return;
    }
    const abort = new AbortController();
    const sub = execution.token.onCancellationRequested(() => abort.abort());
    const sql = execution.cell.document.getText();
    let target: Target | undefined;
    let rows = 0;
    let apiCalls = 0;
    let outcome: 'ok' | 'error' | 'cancelled' = 'ok';
    let errorCode: string | undefined;
    try {
      if (isParameterCell(sql)) {
        const params = parseParameterCell(sql);
        const lines = Object.entries(params).map(([k, v]) => `@${k} = ${v === null ? 'NULL' : typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v)}`);
        await execution.replaceOutput([new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(lines.length ? `Parameters for the cells below:\n${lines.join('\n')}` : 'No parameters set.')])]);
        execution.end(true, Date.now());
        return;
      }
      const params = this.parametersFor(notebook, execution.cell, sql);
      target = await this.target(notebook);
      const conn = await this.connections.connection(target.connection);
      if (abort.signal.aborted) throw new IgsqlError('CANCELLED', 'Cancelled');
      let stats = { apiCalls: 0, pages: 0, notes: [] as string[] };
      const result = await conn.query(sql, params, {
        signal: abort.signal,
        ...(target.accountId ? { businessAccountId: target.accountId } : {}),
        onProgress: (s) => { stats = { apiCalls: s.apiCalls, pages: s.pages, notes: [...s.notes] }; },
      });
      const max = this.settings.maxRows();
      const data: (string | null)[][] = [];
      let capped = false;
      for await (const row of result.rows) {
        if (data.length >= max) { capped = true; break; }
        data.push(row.map((v: SqlValue) => displayCell(v)));
      }
      if (abort.signal.aborted) throw new IgsqlError('CANCELLED', 'Cancelled');
      rows = data.length;
      apiCalls = result.stats.apiCalls;
      const notes = [...result.stats.notes];
      if (result.columns.length === 0 && result.changes() > 0) notes.push(`${result.changes()} row(s) changed.`);
      const stored = this.store.add(result.columns, data, {
        title: sql.trim().split('\n', 1)[0] ?? '',
        target: labelOf(target),
        rows,
        ...(capped ? { rowCap: max } : {}),
        apiCalls: result.stats.apiCalls || stats.apiCalls,
        pages: result.stats.pages || stats.pages,
        waitedMs: Math.round(performance.now() - t0),
        notes,
      });
      const previous = this.cellResults.get(execution.cell.document.uri.toString());
      if (previous) this.store.delete(previous);
      this.cellResults.set(execution.cell.document.uri.toString(), stored.id);
      await execution.replaceOutput([resultOutput(this.store.gridResult(stored))]);
      execution.end(true, Date.now());
    } catch (e) {
      const error = toIgsqlError(e);
      outcome = error.code === 'CANCELLED' || abort.signal.aborted ? 'cancelled' : 'error';
      if (outcome === 'cancelled') {
        await execution.replaceOutput([new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(`Cancelled after ${Math.round(performance.now() - t0)} ms.`)])]);
        execution.end(false, Date.now());
      } else {
        errorCode = error.code;
        const { line, column } = error.details;
        const where = line !== undefined && !/line \d+/.test(error.message) ? ` (line ${line}, column ${column ?? 1})` : '';
        await execution.replaceOutput([errorOutput(error.code, `${error.message}${where}`)]);
        execution.end(false, Date.now());
      }
    } finally {
      sub.dispose();
    }
    this.history.record({
      sql, connection: target?.connection ?? '', ...(target?.accountId ? { accountId: target.accountId } : {}), ...(target?.accountLabel ? { accountLabel: target.accountLabel } : {}),
      at: startedAt, rows, apiCalls, waitedMs: Math.round(performance.now() - t0), outcome, ...(errorCode ? { errorCode } : {}), source: 'notebook',
    });
  }

  /** Parameters cells above this one (a later one wins), then `@cellN` results the SQL names. */
  private parametersFor(notebook: vscode.NotebookDocument, cell: vscode.NotebookCell, sql: string): Record<string, ParamValue> {
    const params: Record<string, ParamValue> = {};
    const sqlCells = notebook.getCells().filter((c) => c.kind === vscode.NotebookCellKind.Code);
    for (const c of notebook.getCells().slice(0, cell.index)) {
      if (c.kind !== vscode.NotebookCellKind.Code) continue;
      const text = c.document.getText();
      if (isParameterCell(text)) Object.assign(params, parseParameterCell(text));
    }
    for (const n of cellReferences(sql)) {
      const source = sqlCells[n - 1];
      if (!source || source.index >= cell.index) {
        throw new IgsqlError('INVALID_VALUE', `@cell${n} is the result of the ${ordinal(n)} SQL cell, which must be above this one; this notebook has ${sqlCells.filter((c) => c.index < cell.index).length} SQL cell(s) above it.`);
      }
      const resultId = this.cellResults.get(source.document.uri.toString());
      const stored = resultId ? this.store.get(resultId) : undefined;
      if (!stored) throw new IgsqlError('INVALID_VALUE', `@cell${n} has no result yet: run the ${ordinal(n)} SQL cell first (Run All runs them in order).`);
      params[`cell${n}`] = resultAsJson(stored.columns, stored.rows);
    }
    return params;
  }

  /** The notebook's account (metadata); else the active account, which the notebook is then bound to. */
  private async target(notebook: vscode.NotebookDocument): Promise<Target> {
    const bound = notebook.metadata as NotebookBinding;
    if (bound.connection) {
      if (!this.connections.configs().some((c) => c.name === bound.connection)) {
        throw new IgsqlError('NOT_FOUND', `This notebook runs on the connection "${bound.connection}", which is not configured here: add it, or choose another account with "Instagram SQL: Change Notebook Account…".`);
      }
      return { connection: bound.connection, ...(bound.accountId ? { accountId: bound.accountId } : {}), ...(bound.accountLabel ? { accountLabel: bound.accountLabel } : {}) };
    }
    let target = this.active.get();
    if (!target || !this.connections.configs().some((c) => c.name === target!.connection)) {
      const first = this.connections.configs()[0];
      if (!first) throw new IgsqlError('NOT_FOUND', 'There is no connection: add one with "Instagram SQL: Add Connection…".');
      const account = (await this.connections.businessAccounts(first.name))[0];
      target = { connection: first.name, ...(account ? { accountId: account.id, accountLabel: `@${account.username}` } : {}) };
    }
    await bindNotebook(notebook, target);
    return target;
  }

  dispose(): void {
    this.sub.dispose();
    this.controller.dispose();
  }
}

/** Writes the account into the notebook's metadata (saved with the file; never a token). */
export async function bindNotebook(notebook: vscode.NotebookDocument, target: Target): Promise<void> {
  const metadata: Record<string, unknown> = { ...notebook.metadata, connection: target.connection };
  delete metadata.accountId;
  delete metadata.accountLabel;
  if (target.accountId) metadata.accountId = target.accountId;
  if (target.accountLabel) metadata.accountLabel = target.accountLabel;
  const edit = new vscode.WorkspaceEdit();
  edit.set(notebook.uri, [vscode.NotebookEdit.updateNotebookMetadata(metadata)]);
  await vscode.workspace.applyEdit(edit);
}

export function labelOf(t: Target): string {
  return t.accountLabel ? `${t.connection} · ${t.accountLabel}` : t.connection;
}

function ordinal(n: number): string {
  const s = n % 100 >= 11 && n % 100 <= 13 ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${s}`;
}
