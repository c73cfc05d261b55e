/**
 * A tiny stand-in for the `vscode` module, for unit tests of extension classes that call the host directly
 * (commands, the results panel). Import it *first* in a test file: it makes `require('vscode')` (external in the
 * test bundle) return this object, and records what the extension asked the host to do.
 * Only what the tested classes touch is here; anything else is a test's own override of `host`.
 */
import Module from 'node:module';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private listeners: Listener<T>[] = [];
  readonly event = (listener: Listener<T>) => {
    this.listeners.push(listener);
    return { dispose: () => { this.listeners = this.listeners.filter((l) => l !== listener); } };
  };
  fire(e: T): void {
    for (const l of [...this.listeners]) l(e);
  }
  dispose(): void {
    this.listeners = [];
  }
}

class Uri {
  constructor(readonly path: string, private readonly raw?: string, readonly query = '') {}
  static parse(text: string): Uri {
    const u = new URL(text);
    return new Uri(u.pathname, text, u.search.replace(/^\?/, ''));
  }
  static joinPath(base: Uri, ...parts: string[]): Uri {
    return new Uri([base.path, ...parts].join('/'));
  }
  static file(path: string): Uri {
    return new Uri(path);
  }
  toString(): string {
    return this.raw ?? `file://${this.path}`;
  }
}

export interface FakePanel {
  visible: boolean;
  disposed: boolean;
  posted: unknown[];
  reveal(): void;
  dispose(): void;
  /** What the webview script would send (ready, cancel). */
  send(message: unknown): void;
}

/** What the extension asked for, and hooks a test can set to answer dialogs. */
export const host = {
  commands: new Map<string, (...args: unknown[]) => unknown>(),
  errors: [] as string[],
  infos: [] as string[],
  panels: [] as FakePanel[],
  controllers: [] as FakeController[],
  clipboard: '',
  /** Notebooks `workspace.applyEdit` can change (metadata edits), by URI. */
  notebooks: new Map<string, { metadata: Record<string, unknown> }>(),
  /** `igsql.*` settings a test sets (key without the `igsql.` prefix). */
  settings: {} as Record<string, unknown>,
  inputBox: async (_options: unknown): Promise<string | undefined> => undefined,
  warnings: [] as string[],
  /** Addresses the extension opened in the browser; `openExternal` answers them (a test plays the browser). */
  opened: [] as string[],
  openExternal: async (_url: string): Promise<void> => undefined,
  /** Cancels the running withProgress task (the user clicked Cancel on the notification). */
  cancelProgress: () => undefined as void,
  /** Fire `{ affectsConfiguration }` here to play a settings change. */
  configuration: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
  statusBar: [] as string[],
  reset(): void {
    this.warnings.length = 0;
    this.opened.length = 0;
    this.openExternal = async () => undefined;
    this.statusBar.length = 0;
    this.commands.clear();
    this.errors.length = 0;
    this.infos.length = 0;
    this.panels.length = 0;
    this.controllers.length = 0;
    this.clipboard = '';
    this.notebooks.clear();
    this.settings = {};
    this.inputBox = async () => undefined;
  },
};

function createWebviewPanel(): unknown {
  const disposeEmitter = new EventEmitter<void>();
  const messageEmitter = new EventEmitter<unknown>();
  const panel: FakePanel & Record<string, unknown> = {
    visible: true,
    disposed: false,
    posted: [],
    reveal() { panel.visible = true; },
    dispose() {
      if (panel.disposed) return;
      panel.disposed = true;
      panel.visible = false;
      disposeEmitter.fire();
    },
    send(message: unknown) { messageEmitter.fire(message); },
    onDidDispose: disposeEmitter.event,
    webview: {
      html: '',
      cspSource: 'vscode-webview://fake',
      asWebviewUri: (u: Uri) => u,
      postMessage: async (m: unknown) => { panel.posted.push(m); return true; },
      onDidReceiveMessage: messageEmitter.event,
    },
  };
  host.panels.push(panel);
  return panel;
}

// Notebook data classes, shaped as in vscode.d.ts (1.100): what the serializer and the controller build.
enum NotebookCellKind { Markup = 1, Code = 2 }
const enc = new TextEncoder();
class NotebookCellOutputItem {
  constructor(readonly data: Uint8Array, readonly mime: string) {}
  static text(value: string, mime = 'text/plain') { return new NotebookCellOutputItem(enc.encode(value), mime); }
  static json(value: unknown, mime = 'text/x-json') { return new NotebookCellOutputItem(enc.encode(JSON.stringify(value, undefined, '\t')), mime); }
  static error(e: Error) {
    return new NotebookCellOutputItem(enc.encode(JSON.stringify({ name: e.name, message: e.message, stack: e.stack })), 'application/vnd.code.notebook.error');
  }
}
class NotebookCellOutput {
  constructor(readonly items: NotebookCellOutputItem[], readonly metadata?: Record<string, unknown>) {}
}
class NotebookCellData {
  outputs?: NotebookCellOutput[];
  metadata?: Record<string, unknown>;
  executionSummary?: { executionOrder?: number; success?: boolean; timing?: { startTime: number; endTime: number } };
  constructor(public kind: NotebookCellKind, public value: string, public languageId: string) {}
}
class NotebookData {
  metadata?: Record<string, unknown>;
  constructor(public cells: NotebookCellData[]) {}
}

/** A cell execution as the controller drives it; the test reads what happened and can cancel it. */
export class FakeExecution {
  executionOrder: number | undefined;
  started: number | undefined;
  ended: { success: boolean | undefined; at: number | undefined } | undefined;
  outputs: NotebookCellOutput[] = [];
  private readonly cancelEmitter = new EventEmitter<void>();
  readonly token = { isCancellationRequested: false, onCancellationRequested: this.cancelEmitter.event };
  constructor(readonly cell: unknown) {}
  start(at?: number) { this.started = at; }
  async replaceOutput(out: NotebookCellOutput[]) { this.outputs = out; }
  end(success: boolean | undefined, at?: number) { this.ended = { success, at }; }
  cancel() { this.token.isCancellationRequested = true; this.cancelEmitter.fire(); }
}

export interface FakeController {
  id: string;
  executeHandler: (cells: unknown[], notebook: unknown, controller: unknown) => Promise<void>;
  executions: FakeExecution[];
  /** Called when an execution is created, before it is queued (a test may cancel it there). */
  onExecution?: (e: FakeExecution) => void;
}

class WorkspaceEdit {
  readonly edits: Array<[{ toString(): string }, Array<{ metadata: Record<string, unknown> }>]> = [];
  set(uri: { toString(): string }, edits: Array<{ metadata: Record<string, unknown> }>) { this.edits.push([uri, edits]); }
}

export const vscode = {
  EventEmitter,
  WorkspaceEdit,
  NotebookEdit: { updateNotebookMetadata: (metadata: Record<string, unknown>) => ({ metadata }) },
  NotebookControllerAffinity: { Default: 1, Preferred: 2 },
  notebooks: {
    createNotebookController(id: string) {
      const c: FakeController & Record<string, unknown> = {
        id,
        executions: [],
        executeHandler: async () => undefined,
        updateNotebookAffinity() {},
        dispose() {},
        createNotebookCellExecution(cell: unknown) {
          const e = new FakeExecution(cell);
          c.executions.push(e);
          c.onExecution?.(e);
          return e;
        },
      };
      host.controllers.push(c);
      return c;
    },
  },
  NotebookCellKind,
  NotebookCellOutputItem,
  NotebookCellOutput,
  NotebookCellData,
  NotebookData,
  Uri,
  ViewColumn: { Active: -1, Beside: -2, One: 1 },
  ProgressLocation: { SourceControl: 1, Window: 10, Notification: 15 },
  QuickPickItemKind: { Separator: -1, Default: 0 },
  ConfigurationTarget: { Global: 1, Workspace: 2, WorkspaceFolder: 3 },
  commands: {
    registerCommand(id: string, fn: (...args: unknown[]) => unknown) {
      host.commands.set(id, fn);
      return { dispose: () => host.commands.delete(id) };
    },
    executeCommand: async () => undefined,
  },
  window: {
    showErrorMessage: async (message: string) => { host.errors.push(message); return undefined; },
    showInformationMessage: async (message: string) => { host.infos.push(message); return undefined; },
    showInputBox: (options: unknown) => host.inputBox(options),
    showQuickPick: async () => undefined,
    // Warnings are also in infos (tests of the notebooks read them there).
    showWarningMessage: async (message: string) => { host.warnings.push(message); host.infos.push(message); return undefined; },
    withProgress: async (_o: unknown, task: (p: unknown, t: unknown) => unknown) => {
      const cancel = new EventEmitter<void>();
      const token = { isCancellationRequested: false, onCancellationRequested: cancel.event };
      host.cancelProgress = () => { token.isCancellationRequested = true; cancel.fire(); };
      return task({ report() {} }, token);
    },
    createWebviewPanel,
    setStatusBarMessage: (text: string) => { host.statusBar.push(text); return { dispose() {} }; },
  },
  workspace: {
    notebookDocuments: [] as unknown[],
    onDidOpenNotebookDocument: () => ({ dispose() {} }),
    applyEdit: async (edit: WorkspaceEdit) => {
      for (const [uri, edits] of edit.edits) {
        const nb = host.notebooks.get(uri.toString());
        for (const e of edits) if (nb) nb.metadata = e.metadata;
      }
      return true;
    },
    getConfiguration: () => ({
      get: <T>(key: string, fallback: T): T => (key in host.settings ? host.settings[key] as T : fallback),
      // Settings a test sets play user settings (globalValue).
      inspect: <T>(key: string) => ({ key, globalValue: key in host.settings ? host.settings[key] as T : undefined }),
    }),
    onDidChangeConfiguration: (listener: Listener<{ affectsConfiguration(section: string): boolean }>) => host.configuration.event(listener),
    onDidChangeTextDocument: () => ({ dispose() {} }),
    onDidCloseTextDocument: () => ({ dispose() {} }),
  },
  env: {
    clipboard: { writeText: async (text: string) => { host.clipboard = text; } },
    uriScheme: 'vscode',
    remoteName: undefined as string | undefined,
    asExternalUri: async (u: Uri) => u,
    openExternal: async (u: Uri) => { host.opened.push(u.toString()); await host.openExternal(u.toString()); return true; },
  },
  CancellationTokenSource: class {
    private readonly emitter = new EventEmitter<void>();
    readonly token = { isCancellationRequested: false, onCancellationRequested: this.emitter.event };
    cancel() { this.token.isCancellationRequested = true; this.emitter.fire(); }
    dispose() {}
  },
  languages: {
    createDiagnosticCollection: () => {
      const map = new Map<string, unknown[]>();
      return { set: (uri: Uri, d: unknown[]) => map.set(uri.toString(), d), delete: (uri: Uri) => map.delete(uri.toString()), get: (uri: Uri) => map.get(uri.toString()), dispose() {} };
    },
  },
  DiagnosticSeverity: { Error: 0, Warning: 1, Information: 2, Hint: 3 },
};


// `require('vscode')` → the fake. The bundle keeps `vscode` external, so Node resolves it at run time.
const FAKE_ID = '/__igsql_fake__/vscode.js';
const M = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const resolve = M._resolveFilename;
M._resolveFilename = function (request: string, ...rest: unknown[]) {
  return request === 'vscode' ? FAKE_ID : resolve.call(this, request, ...rest);
};
require.cache[FAKE_ID] = { id: FAKE_ID, filename: FAKE_ID, loaded: true, exports: vscode } as unknown as NodeJS.Module;
