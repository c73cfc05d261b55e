/**
 * Entry point. activate() only constructs objects and hands them to context.subscriptions; nothing here touches
 * the network or loads the SQL engine (that happens on first tree expansion or query, see loaders.ts).
 */
import * as vscode from 'vscode';
import { ActiveAccount } from './activeAccount';
import { Commands, registerCommands } from './commands';
import { Connections } from './connections';
import { ExplorerTree } from './explorerTree';
import { ActivationTimer, ConfigurationReactions } from './lifecycle';
import { loaders } from './loaders';
import { ChannelLogger } from './logger';
import { QueryRunner } from './queryRunner';
import { ResultsPanel } from './resultsPanel';
import { SampleSandbox } from './sampleAccount';
import { SecretTokens } from './secrets';
import { ConnectionSettings } from './settings';
import { AccountStatusBar } from './statusBar';
import { createTelemetry } from './telemetryReporter';
import { IgsqlUriHandler } from './uriHandler';
import { AuthCallbacks } from './auth/callbacks';
import { ExpiryWarning } from './auth/expiry';
import { InstagramAuthProvider, PROVIDER_ID } from './auth/provider';
import { DocumentAccounts } from './documentAccounts';
import { QueryHistory } from './history/historyStore';
import { HistoryView } from './history/historyView';
import { NotebookKernel } from './notebook/controller';
import { NotebookCommands } from './notebook/notebookCommands';
import { RendererBridge } from './notebook/rendererBridge';
import { NotebookSerializerRegistration } from './notebook/serializer';
import { GridHost } from './results/gridHost';
import { ResultStore } from './results/store';
import { LanguageServices, registerEditor } from './editor';

export function activate(context: vscode.ExtensionContext): void {
  const start = performance.now();
  const log = vscode.window.createOutputChannel('Instagram SQL', { log: true });
  const telemetry = createTelemetry(context.extension.packageJSON as { telemetryConnectionString?: string }, log);
  const settings = new ConnectionSettings(log);
  const secrets = new SecretTokens(context.secrets, context.globalState);
  const sample = new SampleSandbox(loaders, () => settings.sampleLatencyMs(), (line) => log.info(line));
  const connections = new Connections(settings, secrets, sample, loaders, { logger: new ChannelLogger(log), telemetry });
  const active = new ActiveAccount(context.globalState);
  const callbacks = new AuthCallbacks((line) => log.warn(line));
  const auth = new InstagramAuthProvider(secrets, context.globalState, settings, callbacks, loaders, log);
  const tree = new ExplorerTree(connections, active, auth);
  const store = new ResultStore();
  const gridHost = new GridHost(store);
  ResultsPanel.defaults = { webviewRoot: vscode.Uri.joinPath(context.extensionUri, 'dist', 'webview'), store, gridHost };
  const results = new ResultsPanel(vscode.Uri.joinPath(context.extensionUri, 'media'));
  const history = new QueryHistory(context.globalState, () => vscode.workspace.getConfiguration('igsql').get<number>('history.maxEntries', 200));
  const runner = new QueryRunner(connections, active, settings, results, telemetry, log, loaders, history);
  const notebookCommands = new NotebookCommands(connections, active, runner, history);
  const historyView = new HistoryView(history);
  const documentAccounts = new DocumentAccounts(active);
  const commands = new Commands(tree, runner, connections, settings, secrets, active, telemetry, log, auth, documentAccounts);
  const timer = new ActivationTimer(start, log, telemetry, connections, tree);
  const languages = new LanguageServices(connections, active);

  context.subscriptions.push(
    log, telemetry, settings, connections, active, tree, results, runner, timer,
    { dispose: () => void sample.stop() },
    vscode.window.createTreeView('igsql.explorer', { treeDataProvider: tree, showCollapseAll: true }),
    new AccountStatusBar(active),
    new ConfigurationReactions(settings, secrets, connections, tree),
    vscode.window.registerUriHandler(new IgsqlUriHandler(log, callbacks)),
    auth,
    vscode.authentication.registerAuthenticationProvider(PROVIDER_ID, 'Instagram SQL', auth, { supportsMultipleAccounts: true }),
    auth.onDidChangeUsers(async () => {
      await connections.reset();
      tree.refresh();
    }),
    new ExpiryWarning(auth),
    documentAccounts,
    // Files and untitled editors only: a notebook shows its own account (notebook cells use the vscode-notebook-cell scheme).
    vscode.languages.registerCodeLensProvider([{ language: 'igsql', scheme: 'file' }, { language: 'igsql', scheme: 'untitled' }], documentAccounts),
    ...commands.register(),
    history,
    historyView,
    vscode.window.createTreeView('igsql.history', { treeDataProvider: historyView }),
    new NotebookSerializerRegistration(),
    new NotebookKernel(connections, active, settings, store, history),
    new RendererBridge(gridHost),
    notebookCommands,
    ...registerCommands(notebookCommands.table(), telemetry, log),
    languages,
    ...registerEditor(languages, active, connections, settings, runner, context.extensionUri),
  );
  timer.activated();
}

export function deactivate(): void {}
