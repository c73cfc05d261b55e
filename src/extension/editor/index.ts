/** The native editor for .igsql files (issue 9): one provider per VS Code role, wired here. */
import * as vscode from 'vscode';
import type { ActiveAccount } from '../activeAccount';
import type { Connections } from '../connections';
import type { QueryRunner } from '../queryRunner';
import { IgsqlCodeLensProvider } from './codeLensProvider';
import { IgsqlCompletionProvider } from './completionProvider';
import { IgsqlFormatter } from './formatter';
import { IgsqlHoverProvider } from './hoverProvider';
import { LanguageServices } from './languageServices';
import { LiveDiagnostics } from './liveDiagnostics';
import { IgsqlSignatureHelpProvider } from './signatureHelpProvider';
import { StatementCommands } from './statementCommands';
import { ConsolePanel } from './consolePanel';
import type { ConnectionSettings } from '../settings';
import type { Target } from '../types';
import { IgsqlSymbolProvider } from './symbolProvider';

export { LanguageServices };

/** "Query This Table" hands the tree's table node; only what the console needs of it. */
interface TableNodeLike { kind: 'table'; connection: string; accountId: string; table: { name: string } }

export function registerEditor(services: LanguageServices, active: ActiveAccount, connections: Connections, settings: ConnectionSettings, runner: QueryRunner, extensionUri: vscode.Uri): vscode.Disposable[] {
  const mediaRoot = vscode.Uri.joinPath(extensionUri, 'media');
  const consoles: ConsolePanel[] = [];
  const openConsole = (target: Target | undefined, sql: string) => consoles.push(new ConsolePanel(extensionUri, services, connections, settings, target, sql));
  const queryTable = async (node?: TableNodeLike) => {
    if (node?.kind !== 'table') return openConsole(undefined, 'SELECT * FROM ');
    const accounts = await connections.businessAccounts(node.connection).catch(() => []);
    const account = accounts.find((a) => a.id === node.accountId);
    openConsole({ connection: node.connection, accountId: node.accountId, ...(account ? { accountLabel: `@${account.username}` } : {}) }, `SELECT * FROM ${node.table.name}\nLIMIT 100`);
  };
  const selector: vscode.DocumentSelector = { language: 'igsql' };
  const diagnostics = new LiveDiagnostics(services);
  const lenses = new IgsqlCodeLensProvider(services, active);
  const commands = new StatementCommands(runner, services, mediaRoot);
  const formatter = new IgsqlFormatter();
  return [
    diagnostics, lenses, commands,
    { dispose: () => { for (const c of consoles) c.dispose(); } },
    vscode.commands.registerCommand('igsql.openConsole', () => openConsole(undefined, '')),
    vscode.commands.registerCommand('igsql.queryTable', queryTable),
    active.onDidChange(() => diagnostics.refreshAll()),
    vscode.languages.registerCompletionItemProvider(selector, new IgsqlCompletionProvider(services), ...IgsqlCompletionProvider.triggers),
    vscode.languages.registerHoverProvider(selector, new IgsqlHoverProvider(services)),
    vscode.languages.registerSignatureHelpProvider(selector, new IgsqlSignatureHelpProvider(services), ...IgsqlSignatureHelpProvider.triggers),
    vscode.languages.registerDocumentSymbolProvider(selector, new IgsqlSymbolProvider()),
    vscode.languages.registerDocumentFormattingEditProvider(selector, formatter),
    vscode.languages.registerDocumentRangeFormattingEditProvider(selector, formatter),
    vscode.languages.registerCodeLensProvider(selector, lenses),
    ...commands.register(),
  ];
}
