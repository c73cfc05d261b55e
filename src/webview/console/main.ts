/**
 * The query console (browser side): Monaco with monaco-sql-languages' PostgreSQL language for highlighting,
 * completion, hover and markers from the extension host's language service (the same one the .igsql editor
 * uses), and the results under the editor in the shared results grid (src/webview/grid: the same ResultView as
 * the results view and notebook outputs; rows stay in the host and are pulled in windows). Bundled locally (no CDN); the editor worker comes from a blob URL
 * (the webview's CSP allows `worker-src blob:` only), DESIGN §9.
 */
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api';
// editor.api alone has no suggest widget, hover or find: editor.all registers the contributions (DESIGN §9).
import 'monaco-editor/esm/vs/editor/editor.all.js';
import 'monaco-sql-languages/esm/languages/pgsql/pgsql.contribution';
import { setupLanguageFeatures } from 'monaco-sql-languages/esm/setupLanguageFeatures';
import { LanguageIdEnum } from 'monaco-sql-languages/esm/common/constants';
import { ResultView } from '../grid/view';
import type { CompletionItemMessage, ToHost, ToWebview } from './protocol';
// Bundled into console.css next to the console's own styles (the page links that one file).
import 'uplot/dist/uPlot.min.css';
import '../grid/grid.css';
import './console.css';

declare function acquireVsCodeApi(): { postMessage(m: ToHost): void };
const vscodeApi = acquireVsCodeApi();
const post = (m: ToHost) => vscodeApi.postMessage(m);

const LANG = LanguageIdEnum.PG;
// Completion, hover and diagnostics come from our language service (SQLite + the Instagram schema), not from
// the PostgreSQL grammar's own worker: it would flag SQLite syntax (EXEC, [names]) as errors.
setupLanguageFeatures(LANG, { completionItems: false, diagnostics: false, hover: false, definitions: false, references: false });

const root = document.getElementById('igsql-console')!;
const workerUrl = root.dataset.worker!;

async function workerBlob(): Promise<string> {
  const code = await (await fetch(workerUrl)).text();
  return URL.createObjectURL(new Blob([code], { type: 'text/javascript' }));
}
const blob = workerBlob();
(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: async () => new Worker(await blob),
};

/** Monaco's colours from VS Code's theme variables, so the console looks like the editor next to it. */
function defineTheme(): string {
  const css = getComputedStyle(document.body);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  const dark = document.body.classList.contains('vscode-dark') || document.body.classList.contains('vscode-high-contrast');
  monaco.editor.defineTheme('igsql', {
    base: dark ? 'vs-dark' : 'vs',
    inherit: true,
    rules: [],
    colors: {
      'editor.background': v('--vscode-editor-background', dark ? '#1e1e1e' : '#ffffff'),
      'editor.foreground': v('--vscode-editor-foreground', dark ? '#d4d4d4' : '#000000'),
      'editorLineNumber.foreground': v('--vscode-editorLineNumber-foreground', '#858585'),
      'editorCursor.foreground': v('--vscode-editorCursor-foreground', '#aeafad'),
      'editor.selectionBackground': v('--vscode-editor-selectionBackground', '#264f78'),
      'editorSuggestWidget.background': v('--vscode-editorSuggestWidget-background', dark ? '#252526' : '#f3f3f3'),
    },
  });
  return 'igsql';
}

const editor = monaco.editor.create(document.getElementById('editor')!, {
  value: '',
  language: LANG,
  theme: defineTheme(),
  minimap: { enabled: false },
  automaticLayout: true,
  fontSize: Number(getComputedStyle(document.body).getPropertyValue('--vscode-editor-font-size').replace('px', '')) || 13,
  scrollBeyondLastLine: false,
  quickSuggestions: { other: true, strings: true, comments: false },
  wordBasedSuggestions: 'off',
});
new MutationObserver(() => monaco.editor.setTheme(defineTheme())).observe(document.body, { attributes: true, attributeFilter: ['class'] });

// Requests to the host, answered by id; a newer request of the same kind makes an older answer stale.
let nextId = 1;
const pending = new Map<number, (m: ToWebview) => void>();
type Request = Extract<ToHost, { id: number }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;
function ask(m: WithoutId<Request>): Promise<ToWebview> {
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, resolve);
    post({ ...m, id } as ToHost);
  });
}

const KINDS: Record<string, monaco.languages.CompletionItemKind> = {
  table: monaco.languages.CompletionItemKind.Class,
  view: monaco.languages.CompletionItemKind.Interface,
  column: monaco.languages.CompletionItemKind.Field,
  keyword: monaco.languages.CompletionItemKind.Keyword,
  function: monaco.languages.CompletionItemKind.Function,
  procedure: monaco.languages.CompletionItemKind.Method,
  parameter: monaco.languages.CompletionItemKind.Variable,
  value: monaco.languages.CompletionItemKind.EnumMember,
  snippet: monaco.languages.CompletionItemKind.Snippet,
};

function rangeOf(model: monaco.editor.ITextModel, from: number, to: number): monaco.IRange {
  const a = model.getPositionAt(from);
  const b = model.getPositionAt(to);
  return { startLineNumber: a.lineNumber, startColumn: a.column, endLineNumber: b.lineNumber, endColumn: b.column };
}

function suggestion(model: monaco.editor.ITextModel, i: CompletionItemMessage, from: number, to: number): monaco.languages.CompletionItem {
  return {
    label: { label: i.label, description: i.detail },
    kind: KINDS[i.kind] ?? monaco.languages.CompletionItemKind.Text,
    insertText: i.insertText ?? i.label,
    insertTextRules: i.snippet ? monaco.languages.CompletionItemInsertTextRule.InsertAsSnippet : undefined,
    documentation: i.documentation ? { value: i.documentation } : undefined,
    sortText: i.sortText,
    filterText: i.label,
    range: rangeOf(model, from, to),
  };
}

monaco.languages.registerCompletionItemProvider(LANG, {
  triggerCharacters: ['.', ' ', '(', ',', '@', "'", '='],
  provideCompletionItems: async (model, position) => {
    const m = await ask({ type: 'complete', text: model.getValue(), offset: model.getOffsetAt(position) });
    if (m.type !== 'completions') return { suggestions: [] };
    return { suggestions: m.items.map((i) => suggestion(model, i, m.from, m.to)) };
  },
});

monaco.languages.registerHoverProvider(LANG, {
  provideHover: async (model, position) => {
    const m = await ask({ type: 'hover', text: model.getValue(), offset: model.getOffsetAt(position) });
    if (m.type !== 'hover' || !m.contents) return null;
    return { contents: [{ value: m.contents }], range: rangeOf(model, m.from!, m.to!) };
  },
});

const SEVERITY = { error: monaco.MarkerSeverity.Error, warning: monaco.MarkerSeverity.Warning, information: monaco.MarkerSeverity.Info };
let diagnoseTimer: ReturnType<typeof setTimeout> | undefined;
let diagnoseVersion = 0;
function diagnose(): void {
  clearTimeout(diagnoseTimer);
  diagnoseTimer = setTimeout(async () => {
    const model = editor.getModel()!;
    const version = ++diagnoseVersion;
    const m = await ask({ type: 'diagnose', text: model.getValue() });
    if (m.type !== 'diagnostics' || version !== diagnoseVersion) return;
    monaco.editor.setModelMarkers(model, 'igsql', m.markers.map((d) => ({ ...rangeOf(model, d.from, d.to), severity: SEVERITY[d.severity], message: d.message, code: d.code, source: 'Instagram SQL' })));
  }, 400);
}
editor.onDidChangeModelContent(diagnose);

function run(): void {
  const model = editor.getModel()!;
  const sel = editor.getSelection();
  const selection = sel && !sel.isEmpty() ? { start: model.getOffsetAt(sel.getStartPosition()), end: model.getOffsetAt(sel.getEndPosition()) } : undefined;
  post({ type: 'run', text: model.getValue(), offset: model.getOffsetAt(editor.getPosition()!), selection });
}
editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, run);
document.getElementById('run')!.addEventListener('click', run);
document.getElementById('cancel')!.addEventListener('click', () => post({ type: 'cancel' }));

const status = document.getElementById('status')!;
const grid = document.getElementById('grid')!;
const cancel = document.getElementById('cancel') as HTMLButtonElement;

let view: ResultView | undefined;

function clearRows(): void {
  view?.dispose();
  view = undefined;
  grid.replaceChildren();
}

window.addEventListener('message', (e: MessageEvent<ToWebview>) => {
  const m = e.data;
  if ('id' in m && typeof m.id === 'number') {
    pending.get(m.id)?.(m);
    pending.delete(m.id);
    return;
  }
  switch (m.type) {
    case 'init':
      editor.setValue(m.sql);
      editor.setPosition(editor.getModel()!.getPositionAt(m.sql.length));
      editor.focus();
      document.getElementById('target')!.textContent = m.target;
      diagnose();
      break;
    case 'target':
      document.getElementById('target')!.textContent = m.target;
      break;
    case 'running':
      status.textContent = `Running ${m.title}…`;
      cancel.hidden = false;
      clearRows(); // the host dropped the previous result
      break;
    case 'result':
      status.textContent = m.summary + (m.result.info.rowCap !== undefined ? ` (stopped at the ${m.result.info.rowCap}-row cap)` : '');
      cancel.hidden = true;
      clearRows();
      view = new ResultView(m.result, post);
      grid.append(view.element);
      view.mount();
      break;
    case 'error':
      status.textContent = `${m.code}: ${m.message}`;
      cancel.hidden = true;
      clearRows();
      break;
    case 'cancelled':
      status.textContent = 'Cancelled.';
      cancel.hidden = true;
      break;
    case 'rows':
    case 'gone':
      view?.receive(m);
      break;
  }
});

post({ type: 'ready' });
