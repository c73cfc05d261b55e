/**
 * Opens and saves `.igsqlnb` files (the file format is in format.ts). Outputs are written only when
 * `igsql.notebook.saveOutputs` is on; when it is off they are also *transient*, so running a cell does not mark
 * the notebook dirty. Only our result JSON is saved for a result: the html/text fallbacks are derived from it
 * again on open, which keeps the file small and the bytes identical across open → save.
 */
import * as vscode from 'vscode';
import { isSecretProperty } from '../../core/props';
import type { GridResult } from '../../webview/grid/protocol';
import { parseNotebook, renderNotebook, type FileCell, type NotebookBinding, type SavedOutput } from './format';
import { fallbackHtml, fallbackText, NOTEBOOK_TYPE, RESULT_MIME } from './outputs';

const ERROR_MIME = 'application/vnd.code.notebook.error';
const SECRET_COLUMN = /token|secret|verifier|password|appsecret_proof/i;
const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function saveOutputsSetting(): boolean {
  return vscode.workspace.getConfiguration('igsql').get<boolean>('notebook.saveOutputs', false);
}

export class IgsqlNotebookSerializer implements vscode.NotebookSerializer {
  constructor(private readonly keepOutputs: () => boolean = saveOutputsSetting) {}

  deserializeNotebook(content: Uint8Array): vscode.NotebookData {
    const file = parseNotebook(decoder.decode(content));
    const cells = file.cells.map((c) => {
      const data = new vscode.NotebookCellData(
        c.kind === 'markdown' ? vscode.NotebookCellKind.Markup : vscode.NotebookCellKind.Code,
        c.source,
        c.kind === 'markdown' ? 'markdown' : 'igsql',
      );
      if (c.outputs?.length) data.outputs = c.outputs.map(toCellOutput);
      if (c.execution?.order !== undefined || c.execution?.durationMs !== undefined) {
        data.executionSummary = {
          ...(c.execution.order !== undefined ? { executionOrder: c.execution.order } : {}),
          ...(c.execution.durationMs !== undefined ? { timing: { startTime: 0, endTime: c.execution.durationMs } } : {}),
        };
      }
      return data;
    });
    const data = new vscode.NotebookData(cells);
    data.metadata = { ...file.metadata };
    return data;
  }

  serializeNotebook(data: vscode.NotebookData): Uint8Array {
    const meta = (data.metadata ?? {}) as NotebookBinding;
    const cells = data.cells.map((c): FileCell => {
      const cell: FileCell = { kind: c.kind === vscode.NotebookCellKind.Markup ? 'markdown' : 'sql', source: c.value };
      const outputs = (c.outputs ?? []).map(fromCellOutput).filter((o): o is SavedOutput => o !== undefined);
      if (outputs.length) cell.outputs = outputs;
      const s = c.executionSummary;
      if (s && (s.executionOrder !== undefined || s.timing)) {
        cell.execution = {};
        if (s.executionOrder !== undefined) cell.execution.order = s.executionOrder;
        if (s.timing) cell.execution.durationMs = Math.round(s.timing.endTime - s.timing.startTime);
      }
      return cell;
    });
    return encoder.encode(renderNotebook({ metadata: meta, cells }, this.keepOutputs()));
  }
}

/** The output VS Code shows for a result: our mime first (the renderer), then the capped fallbacks. */
export function resultOutput(result: GridResult): vscode.NotebookCellOutput {
  return new vscode.NotebookCellOutput([
    vscode.NotebookCellOutputItem.json(result, RESULT_MIME),
    vscode.NotebookCellOutputItem.text(fallbackHtml(result), 'text/html'),
    vscode.NotebookCellOutputItem.text(fallbackText(result), 'text/plain'),
  ]);
}

export function errorOutput(code: string, message: string): vscode.NotebookCellOutput {
  const error = new Error(message);
  error.name = code;
  error.stack = ''; // a stack of our own code means nothing to the user, and would be saved with the notebook
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.error(error)]);
}

function toCellOutput(o: SavedOutput): vscode.NotebookCellOutput {
  if ('result' in o) return resultOutput(o.result as GridResult);
  if ('error' in o) return errorOutput(o.error.code, o.error.message);
  return new vscode.NotebookCellOutput([vscode.NotebookCellOutputItem.text(o.text)]);
}

function fromCellOutput(o: vscode.NotebookCellOutput): SavedOutput | undefined {
  const ours = o.items.find((i) => i.mime === RESULT_MIME);
  if (ours) return { result: withoutSecrets(JSON.parse(decoder.decode(ours.data)) as GridResult) };
  const error = o.items.find((i) => i.mime === ERROR_MIME);
  if (error) {
    const e = JSON.parse(decoder.decode(error.data)) as { name?: string; message?: string };
    return { error: { code: e.name ?? 'ERROR', message: e.message ?? '' } };
  }
  const text = o.items.find((i) => i.mime === 'text/plain');
  return text ? { text: decoder.decode(text.data) } : undefined;
}

/**
 * A saved notebook never holds a secret: a result column that carries one (GetOAuthAccessToken's
 * OAuthAccessToken, a refresh token, a client secret) is saved as *** (the grid showed it; the file does not keep it).
 */
function withoutSecrets(r: GridResult): GridResult {
  const secret = r.columns.map((c) => isSecretProperty(c.name) || SECRET_COLUMN.test(c.name));
  if (!secret.some(Boolean)) return r;
  return { ...r, head: r.head.map((row) => row.map((v, i) => (secret[i] && v !== null ? '***' : v))) };
}

/** Registers the serializer; outputs are transient (never dirty the notebook) unless the user keeps them. */
export class NotebookSerializerRegistration implements vscode.Disposable {
  private registration: vscode.Disposable | undefined;
  private readonly listener: vscode.Disposable;

  constructor() {
    this.register();
    this.listener = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('igsql.notebook.saveOutputs')) this.register();
    });
  }

  private register(): void {
    this.registration?.dispose();
    this.registration = vscode.workspace.registerNotebookSerializer(NOTEBOOK_TYPE, new IgsqlNotebookSerializer(), {
      transientOutputs: !saveOutputsSetting(),
    });
  }

  dispose(): void {
    this.registration?.dispose();
    this.listener.dispose();
  }
}
