/**
 * The extension's commands. Each is a small method; `register` wraps them so that every use is counted in
 * telemetry by command id only (never its arguments), and so that none ever rejects: a failure is logged and
 * shown with its message (which says what to do), not as VS Code's bare "command … resulted in an error".
 */
import * as vscode from 'vscode';
import { toIgsqlError } from '../core/errors';
import { pickAccount } from './accountPicker';
import type { ActiveAccount } from './activeAccount';
import type { Connections } from './connections';
import type { ExplorerTree, Node } from './explorerTree';
import type { QueryRunner } from './queryRunner';
import type { SecretTokens } from './secrets';
import { SAMPLE_NAME, type ConnectionSettings } from './settings';
import type { Telemetry } from './telemetry';
import { addAndTest, askNewConnection } from './auth/addConnection';
import type { InstagramAuthProvider } from './auth/provider';
import type { DocumentAccounts } from './documentAccounts';

type TableNode = Extract<Node, { kind: 'table' }>;
type AccountNode = Extract<Node, { kind: 'account' }>;
type ConnectionNode = Extract<Node, { kind: 'connection' }>;

export class Commands {
  constructor(
    private readonly tree: ExplorerTree,
    private readonly runner: QueryRunner,
    private readonly connections: Connections,
    private readonly settings: ConnectionSettings,
    private readonly secrets: SecretTokens,
    private readonly active: ActiveAccount,
    private readonly telemetry: Telemetry,
    private readonly log: vscode.LogOutputChannel,
    private readonly auth?: InstagramAuthProvider,
    private readonly documentAccounts?: DocumentAccounts,
  ) {}

  register(): vscode.Disposable[] {
    const table: Record<string, (...args: never[]) => unknown> = {
      'igsql.runQuery': () => this.runner.runInEditor(undefined, (e) => this.documentAccounts?.get(e.document)),
      'igsql.chooseDocumentAccount': (uri?: vscode.Uri) => this.chooseDocumentAccount(uri),
      'igsql.cancelQuery': () => this.runner.cancel(),
      'igsql.selectTop100': (node: TableNode) => this.selectTop100(node),
      'igsql.newQuery': () => this.newQuery(),
      'igsql.refresh': () => this.refresh(),
      'igsql.retry': (id: string) => this.tree.retry(id),
      'igsql.setActiveAccount': (node: AccountNode) => this.setActiveAccount(node),
      'igsql.switchAccount': () => this.switchAccount(),
      'igsql.addConnection': () => this.addConnection(),
      'igsql.removeConnection': (node: ConnectionNode | string) => this.removeConnection(node),
      'igsql.setAccessToken': (node?: ConnectionNode | string) => this.setAccessToken(node),
      'igsql.clearAccessToken': (node?: ConnectionNode | string) => this.clearAccessToken(node),
      'igsql.signIn': (node?: ConnectionNode | string) => this.signIn(node),
      'igsql.signOut': (node?: ConnectionNode | string) => this.signOut(node),
      'igsql.renewSignIn': (node?: ConnectionNode | string) => this.renewSignIn(node),
    };
    return registerCommands(table, this.telemetry, this.log);
  }

  private async selectTop100(node: TableNode | undefined): Promise<void> {
    if (node?.kind !== 'table') return;
    const sql = `SELECT * FROM ${node.table.name} LIMIT 100`;
    const document = await vscode.workspace.openTextDocument({ language: 'igsql', content: `${sql}\n` });
    await vscode.window.showTextDocument(document, { preview: false });
    const accounts = await this.connections.businessAccounts(node.connection).catch(() => []);
    const account = accounts.find((a) => a.id === node.accountId);
    const target = { connection: node.connection, accountId: node.accountId, ...(account ? { accountLabel: `@${account.username}` } : {}) };
    // This editor keeps the table's account: Ctrl+Enter in it runs there too, and its CodeLens says so.
    this.documentAccounts?.set(document, target);
    await this.runner.run({ document, offset: 0, sql }, target, 'tree');
  }

  private async newQuery(): Promise<void> {
    const document = await vscode.workspace.openTextDocument({
      language: 'igsql',
      content: '-- Ctrl+Enter (Cmd+Enter) runs the statement at the cursor on the active account.\nSELECT Caption, LikeCount FROM Media ORDER BY LikeCount DESC LIMIT 10;\n',
    });
    await vscode.window.showTextDocument(document);
  }

  private async refresh(): Promise<void> {
    await this.connections.reset();
    this.tree.refresh();
  }

  private async setActiveAccount(node: AccountNode | undefined): Promise<void> {
    if (node?.kind !== 'account') return;
    await this.active.set({ connection: node.connection, accountId: node.account.id, accountLabel: `@${node.account.username}` });
    this.tree.redraw();
  }

  /** Picks the account one editor's queries run on (its CodeLens). */
  private async chooseDocumentAccount(uri: vscode.Uri | undefined): Promise<void> {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri?.toString()) ?? vscode.window.activeTextEditor?.document;
    if (!document || !this.documentAccounts) return;
    const chosen = await pickAccount(this.connections, this.documentAccounts.get(document) ?? this.active.get(), 'Run the queries of this editor on which Instagram account?');
    if (chosen) this.documentAccounts.set(document, chosen);
  }

  private async switchAccount(): Promise<void> {
    const chosen = await pickAccount(this.connections, this.active.get(), 'Run queries on which Instagram account?');
    if (!chosen) return;
    await this.active.set(chosen);
    this.tree.redraw();
  }

  private async addConnection(): Promise<void> {
    if (this.auth) {
      const v = await askNewConnection(this.settings);
      if (!v) return;
      if (v.flavour !== 'TOKEN') {
        await addAndTest(v, this.settings, this.secrets, this.auth, this.connections);
        this.tree.refresh();
        return;
      }
    }
    const name = await vscode.window.showInputBox({
      title: 'Add Instagram connection (1/2)',
      prompt: 'A name for this connection',
      validateInput: (v) => (!v.trim() ? 'Enter a name' : v.trim() === SAMPLE_NAME || this.settings.config(v.trim()) ? 'That name is taken' : undefined),
    });
    if (!name) return;
    const accountId = await vscode.window.showInputBox({
      title: 'Add Instagram connection (2/2)',
      prompt: 'Instagram business account id to query by default (optional: leave empty for every account the token can see)',
    });
    if (accountId === undefined) return;
    await this.settings.add(name.trim(), accountId.trim() ? { BusinessAccountId: accountId.trim() } : {});
    await this.setAccessToken(name.trim());
  }

  private async removeConnection(node: ConnectionNode | string | undefined): Promise<void> {
    const name = await this.pickConnection(node, false);
    if (!name) return;
    await this.secrets.deleteAccessToken(name);
    await this.auth?.signOut(name);
    await this.secrets.deleteConnection?.(name);
    await this.connections.reset(name);
    await this.settings.remove(name);
    // The status bar would go on naming it; the next query picks the first remaining account.
    if (this.active.get()?.connection === name) await this.active.set(undefined);
  }

  private async setAccessToken(node: ConnectionNode | string | undefined): Promise<void> {
    const name = await this.pickConnection(node, false);
    if (!name) return;
    const token = await vscode.window.showInputBox({
      title: `Access token for "${name}"`,
      prompt: 'A Facebook user access token with instagram_basic (and the other scopes you need). It is kept in VS Code\'s secret storage.',
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => (/^\S{10,}$/.test(v.trim()) ? undefined : 'Paste the whole token (no spaces)'),
    });
    if (!token) return;
    await this.secrets.setAccessToken(name, token.trim());
    await this.connections.reset(name);
    this.tree.refresh(name);
  }

  private async clearAccessToken(node: ConnectionNode | string | undefined): Promise<void> {
    const name = await this.pickConnection(node, false);
    if (!name) return;
    await this.secrets.deleteAccessToken(name);
    await this.connections.reset(name);
    this.tree.refresh(name);
  }

  private async signIn(node: ConnectionNode | string | undefined): Promise<void> {
    const name = await this.pickConnection(node, false);
    if (!name || !this.auth) return;
    await this.auth.signIn(name);
    await this.connections.reset(name);
    this.tree.refresh(name);
  }

  private async signOut(node: ConnectionNode | string | undefined): Promise<void> {
    const name = await this.pickConnection(node, false);
    if (!name || !this.auth) return;
    await this.auth.signOut(name);
    await this.connections.reset(name);
    if (this.active.get()?.connection === name) await this.active.set(undefined);
    this.tree.refresh(name);
  }

  /** Renews the connection's token now (the core renews before expiry anyway; this is the warning's one click). */
  private async renewSignIn(node: ConnectionNode | string | undefined): Promise<void> {
    const name = await this.pickConnection(node, false);
    if (!name || !this.auth) return;
    try {
      const expiresAt = await this.auth.renew(name);
      void vscode.window.showInformationMessage(`The sign-in of "${name}" was renewed until ${new Date(expiresAt).toDateString()}.`);
    } catch {
      // Not signed in, or an expired or revoked token that cannot be renewed: sign in again.
      await this.signIn(name);
    }
    await this.connections.reset(name);
  }

  private async pickConnection(node: ConnectionNode | string | undefined, includeSample: boolean): Promise<string | undefined> {
    if (typeof node === 'string') return node;
    if (node?.kind === 'connection') return node.config.name;
    const names = this.connections.configs().filter((c) => includeSample || !c.sample).map((c) => c.name);
    if (names.length === 0) {
      void vscode.window.showInformationMessage('There is no connection of your own yet: run "Instagram SQL: Add Connection…".');
      return undefined;
    }
    return names.length === 1 ? names[0] : vscode.window.showQuickPick(names, { placeHolder: 'Which connection?' });
  }
}

/** Registers a table of commands: each use counted by id only, and none ever rejects (see the file comment). */
export function registerCommands(table: Record<string, (...args: never[]) => unknown>, telemetry: Telemetry, log: vscode.LogOutputChannel): vscode.Disposable[] {
  const failed = (id: string, e: unknown) => {
    const error = toIgsqlError(e);
    if (error.code === 'CANCELLED') return; // never an error toast
    log.error(`${id} failed: ${error.code}: ${error.message}`);
    telemetry.event('command/error', { command: id, errorCode: error.code });
    void vscode.window.showErrorMessage(error.message, 'Show Log').then((choice) => { if (choice) log.show(); });
  };
  return Object.entries(table).map(([id, fn]) =>
    vscode.commands.registerCommand(id, async (...args: never[]) => {
      if (id !== 'igsql.retry') telemetry.event('command', { command: id });
      try {
        return await fn(...args);
      } catch (e) {
        failed(id, e);
        return undefined;
      }
    }),
  );
}
