/**
 * The "Instagram SQL" explorer: connection → business accounts → Tables / Views / Procedures → columns.
 * Anything that needs the network is loaded lazily: the first getChildren returns a "Loading…" row and starts
 * the load; when it settles the node is refreshed. A failure becomes rows (the message and a Retry or Sign in
 * action), never a thrown exception, which VS Code would show as a bare error in the view.
 */
import * as vscode from 'vscode';
import type { BusinessAccount, ColumnInfo, Connection, ProcedureInfo, TableInfo } from '../core/api';
import { toIgsqlError, type IgsqlError } from '../core/errors';
import type { ActiveAccount } from './activeAccount';
import type { Connections } from './connections';
import type { ConnectionConfig } from './types';
import type { InstagramAuthProvider } from './auth/provider';
import { OTHER, SUBJECTS, subjectOf } from './subjects';

export type Node =
  | { kind: 'connection'; id: string; config: ConnectionConfig }
  | { kind: 'account'; id: string; connection: string; account: BusinessAccount }
  /** A subject (subjects.ts) of tables and views, or the procedures. */
  | { kind: 'group'; id: string; connection: string; accountId: string; group: string }
  | { kind: 'table'; id: string; connection: string; accountId: string; table: TableInfo }
  | { kind: 'procedure'; id: string; procedure: ProcedureInfo }
  | { kind: 'column'; id: string; column: ColumnInfo }
  | { kind: 'message'; id: string; label: string; icon: string; tooltip?: string; command?: vscode.Command };

interface Load<T> { done: boolean; showedLoading: boolean; value?: T; error?: IgsqlError }

const LOADING_DELAY_MS = 150;

const AUTH_CODES = new Set(['AUTH_REQUIRED', 'TOKEN_EXPIRED', 'PERMISSION_DENIED']);

export class ExplorerTree implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly nodes = new Map<string, Node>();
  private readonly loads = new Map<string, Load<unknown>>();
  private readonly readyEmitter = new vscode.EventEmitter<void>();
  /** Fires once, the first time a connection's business accounts are shown (activation-cost figure). */
  readonly onFirstReady = this.readyEmitter.event;
  private ready = false;
  /** When VS Code first asked for the root rows (performance.now()), for the activation figures. */
  firstAskedAt: number | undefined;

  constructor(
    private readonly connections: Connections,
    private readonly active: ActiveAccount,
    private readonly auth?: InstagramAuthProvider,
  ) {}

  /** Reloads everything (or one connection), forgetting cached schema and accounts. */
  refresh(connection?: string): void {
    const root = `c/${connection}`;
    for (const id of [...this.loads.keys()]) if (connection === undefined || id === root || id.startsWith(`${root}/`)) this.loads.delete(id);
    if (connection === undefined) this.nodes.clear();
    this.emitter.fire(connection === undefined ? undefined : this.nodes.get(`c/${connection}`));
  }

  /** Re-renders labels (e.g. the active-account mark) without reloading. */
  redraw(): void {
    this.emitter.fire(undefined);
  }

  retry(id: string): void {
    this.loads.delete(id);
    this.emitter.fire(this.nodes.get(id));
  }

  getTreeItem(node: Node): vscode.TreeItem {
    const C = vscode.TreeItemCollapsibleState;
    switch (node.kind) {
      case 'connection': {
        const item = new vscode.TreeItem(node.config.name, C.Expanded);
        item.iconPath = new vscode.ThemeIcon(node.config.sample ? 'beaker' : 'plug');
        const user = node.config.sample ? undefined : this.auth?.user(node.config.name);
        item.description = node.config.sample ? 'built-in sandbox' : user ? user.userName : node.config.properties.OAuthClientId ? 'not signed in' : undefined;
        item.tooltip = node.config.sample
          ? 'A simulated Instagram Graph API running inside VS Code: try queries without an account.'
          : `Connection "${node.config.name}" from the igsql.connections setting.${user ? ` Signed in as ${user.userName} (${user.flavour === 'INSTAGRAM' ? 'Business Login for Instagram' : 'Facebook Login for Business'}).` : ''}`;
        item.contextValue = node.config.sample ? 'connection.sample' : user ? 'connection.signedIn' : 'connection';
        return this.withId(item, node);
      }
      case 'account': {
        const isActive = this.active.is(node.connection, node.account.id);
        const item = new vscode.TreeItem(`@${node.account.username}`, C.Collapsed);
        item.description = isActive ? `${node.account.name} · active` : node.account.name;
        item.iconPath = new vscode.ThemeIcon(isActive ? 'pass-filled' : 'account');
        item.tooltip = new vscode.MarkdownString(
          `**@${escapeMd(node.account.username)}** — ${escapeMd(node.account.name)}` + (node.account.pageName ? `\n\nFacebook Page: ${escapeMd(node.account.pageName)}` : '') +
            (isActive ? '\n\nQueries run on this account.' : '\n\nUse "Set as Active Account" to run queries on it.'),
        );
        item.contextValue = isActive ? 'account.active' : 'account';
        return this.withId(item, node);
      }
      case 'group': {
        const subject = [...SUBJECTS, OTHER].find((x) => x.id === node.group);
        const item = new vscode.TreeItem(subject?.label ?? 'Procedures', C.Collapsed);
        item.iconPath = new vscode.ThemeIcon(subject?.icon ?? 'symbol-method');
        return this.withId(item, node);
      }
      case 'table': {
        const item = new vscode.TreeItem(node.table.name, C.Collapsed);
        item.iconPath = new vscode.ThemeIcon(node.table.kind === 'table' ? 'table' : 'symbol-interface');
        const md = new vscode.MarkdownString(`**${escapeMd(node.table.name)}** (${node.table.kind})\n\n${escapeMd(node.table.description)}`);
        if (node.table.scopes.length) md.appendMarkdown(`\n\nPermissions: ${node.table.scopes.map(escapeMd).join(', ')}`);
        item.tooltip = md;
        item.contextValue = 'table';
        return this.withId(item, node);
      }
      case 'procedure': {
        const item = new vscode.TreeItem(node.procedure.name, node.procedure.parameters.length ? C.Collapsed : C.None);
        item.iconPath = new vscode.ThemeIcon('symbol-method');
        item.tooltip = node.procedure.description;
        item.contextValue = 'procedure';
        return this.withId(item, node);
      }
      case 'column': {
        const c = node.column;
        const item = new vscode.TreeItem(c.name, C.None);
        const badge = c.keyOps.length ? ` · key (${c.keyOps.join(' ')})` : '';
        item.description = `${c.type}${badge}${c.required ? ' · required' : ''}`;
        item.iconPath = new vscode.ThemeIcon(c.keyOps.length ? 'key' : 'symbol-field');
        item.tooltip = new vscode.MarkdownString(
          `**${escapeMd(c.name)}** ${c.type}\n\n${escapeMd(c.description)}` +
            (c.keyOps.length ? `\n\nKey column: the Graph API filters on it (${c.keyOps.join(', ')}).` : '') +
            (c.required ? '\n\nRequired: the table cannot be read without a filter on it.' : ''),
        );
        item.contextValue = 'column';
        return this.withId(item, node);
      }
      case 'message': {
        const item = new vscode.TreeItem(node.label, C.None);
        item.iconPath = new vscode.ThemeIcon(node.icon);
        item.tooltip = node.tooltip ?? node.label;
        if (node.command) item.command = node.command;
        item.contextValue = 'message';
        return this.withId(item, node);
      }
    }
  }

  getChildren(node?: Node): Node[] | Promise<Node[]> {
    if (!node) {
      this.firstAskedAt ??= performance.now();
      return this.connections.configs().map((config) => this.node({ kind: 'connection', id: `c/${config.name}`, config }));
    }
    switch (node.kind) {
      case 'connection':
        return this.lazy(node.id, () => this.connections.businessAccounts(node.config.name), (accounts) => {
          this.markReady();
          const first = accounts[0];
          if (first) {
            void this.active.adoptDefault({ connection: node.config.name, accountId: first.id, accountLabel: `@${first.username}` })
              .then((changed) => { if (changed) this.redraw(); });
          }
          if (accounts.length === 0) return [this.message(`${node.id}/none`, 'No Instagram business accounts for this token', 'info')];
          return accounts.map((account) => this.node({ kind: 'account', id: `${node.id}/a/${account.id}`, connection: node.config.name, account }));
        }, node.config.name);
      case 'account': {
        const base = { connection: node.connection, accountId: node.account.id };
        // Subjects that have a table (the connection is open already: it listed this account), then procedures.
        return this.lazy(`${node.id}/subjects`, () => this.connections.connection(node.connection), (conn: Connection) => {
          const used = new Set(conn.tables().map((t) => subjectOf(t.name).id));
          const groups = [...SUBJECTS, OTHER].filter((x) => used.has(x.id)).map((x) => x.id);
          return [...groups, 'procedure'].map((group) => this.node({ kind: 'group', id: `${node.id}/${group}`, ...base, group }));
        }, node.connection);
      }
      case 'group':
        return this.lazy(node.id, () => this.connections.connection(node.connection), (conn: Connection) => {
          if (node.group === 'procedure') {
            return conn.procedures().map((procedure) => this.node({ kind: 'procedure', id: `${node.id}/${procedure.name}`, procedure }));
          }
          return conn.tables().filter((t) => subjectOf(t.name).id === node.group).map((table) =>
            this.node({ kind: 'table', id: `${node.id}/${table.name}`, connection: node.connection, accountId: node.accountId, table }));
        }, node.connection);
      case 'table':
        return node.table.columns.map((column) => this.node({ kind: 'column', id: `${node.id}/${column.name}`, column }));
      case 'procedure':
        return node.procedure.parameters.map((p) => this.node({
          kind: 'column', id: `${node.id}/${p.name}`,
          column: { name: p.name, type: p.type, description: `${p.direction === 'in' ? 'Input' : 'Output'}. ${p.description}`, keyOps: [], required: p.required },
        }));
      default:
        return [];
    }
  }

  /**
   * Children that need a load. A load that settles within LOADING_DELAY_MS is returned directly (no flicker);
   * a slower one shows a "Loading…" row and refreshes the node when it settles. The refresh must come after
   * VS Code has received the "Loading…" children, or it is lost and the row spins forever (seen in 1.100).
   */
  private async lazy<T>(id: string, load: () => Promise<T>, render: (value: T) => Node[], connection: string): Promise<Node[]> {
    let state = this.loads.get(id) as Load<T> | undefined;
    if (!state) {
      const entry: Load<T> = { done: false, showedLoading: false };
      this.loads.set(id, entry);
      const settled = load().then(
        (value) => { entry.value = value; },
        (e: unknown) => { entry.error = toIgsqlError(e); },
      ).then(() => {
        entry.done = true;
        if (entry.showedLoading && this.loads.get(id) === entry) this.emitter.fire(this.nodes.get(id));
      });
      await Promise.race([settled, new Promise((r) => setTimeout(r, LOADING_DELAY_MS))]);
      state = entry;
    }
    if (!state.done) {
      state.showedLoading = true;
      return [this.message(`${id}/loading`, 'Loading…', 'loading~spin')];
    }
    if (state.error) return this.errorRows(id, state.error, connection);
    return render(state.value as T);
  }

  private errorRows(id: string, error: IgsqlError, connection: string): Node[] {
    // The row says the next step in a few words (it must read at the default sidebar width); the tooltip and
    // the log hold the whole message.
    const rows: Node[] = [this.message(`${id}/error`, shortError(error), 'error', `${error.code}: ${error.message}`)];
    if (AUTH_CODES.has(error.code)) {
      const withApp = !!this.connections.configs().find((c) => c.name === connection)?.properties.OAuthClientId && !!this.auth;
      rows.push(this.message(`${id}/signin`, 'Sign in…', 'sign-in', withApp ? 'Sign in with your browser' : 'Enter an access token for this connection', {
        title: 'Sign in', command: withApp ? 'igsql.signIn' : 'igsql.setAccessToken', arguments: [connection],
      }));
    }
    rows.push(this.message(`${id}/retry`, 'Retry', 'refresh', 'Try again', { title: 'Retry', command: 'igsql.retry', arguments: [id] }));
    return rows;
  }

  private message(id: string, label: string, icon: string, tooltip?: string, command?: vscode.Command): Node {
    const node: Node = { kind: 'message', id, label, icon, ...(tooltip ? { tooltip } : {}), ...(command ? { command } : {}) };
    this.nodes.set(id, node);
    return node;
  }

  /** Keeps one object per id: VS Code identifies refreshed elements by object. */
  private node<T extends Node>(fresh: T): T {
    const existing = this.nodes.get(fresh.id);
    if (existing && existing.kind === fresh.kind) {
      Object.assign(existing, fresh);
      return existing as T;
    }
    this.nodes.set(fresh.id, fresh);
    return fresh;
  }

  private withId(item: vscode.TreeItem, node: Node): vscode.TreeItem {
    item.id = node.id;
    return item;
  }

  private markReady(): void {
    if (this.ready) return;
    this.ready = true;
    this.readyEmitter.fire();
  }

  dispose(): void {
    this.emitter.dispose();
    this.readyEmitter.dispose();
  }
}

/** A few words for an error row; the full message is in the tooltip. */
function shortError(e: IgsqlError): string {
  switch (e.code) {
    case 'AUTH_REQUIRED': return /not signed in|no access token|no stored token/i.test(e.message) ? 'Not signed in' : 'Sign-in needed again';
    case 'TOKEN_EXPIRED': return 'Sign-in expired';
    case 'PERMISSION_DENIED': return e.details.scopes?.length ? `Permission missing: ${e.details.scopes.join(', ')}` : 'Permission missing';
    case 'NETWORK': case 'TIMEOUT': return 'Cannot reach Graph: Retry';
    case 'RATE_LIMITED': return 'Rate limit reached: wait, then Retry';
    case 'NOT_FOUND': return /no Instagram professional account/.test(e.message) ? 'No Instagram account linked' : 'Not found';
    default: {
      const first = e.message.split(/(?<=\.)\s/)[0] ?? e.message;
      return first.length > 60 ? `${first.slice(0, 57)}…` : first;
    }
  }
}

function escapeMd(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
