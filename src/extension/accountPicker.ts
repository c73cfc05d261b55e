/** The quick pick of business accounts across connections: the status bar's "Switch Account…" and a notebook's account. */
import * as vscode from 'vscode';
import type { Connections } from './connections';
import type { Target } from './types';

export async function pickAccount(connections: Connections, current: Target | undefined, placeHolder: string): Promise<Target | undefined> {
  type Pick = vscode.QuickPickItem & { connection: string; accountId?: string; accountLabel?: string };
  const picks = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Loading accounts…' }, async () => {
    const out: Pick[] = [];
    for (const config of connections.configs()) {
      out.push({ label: config.name, kind: vscode.QuickPickItemKind.Separator, connection: config.name });
      try {
        for (const a of await connections.businessAccounts(config.name)) {
          const isCurrent = current?.connection === config.name && current.accountId === a.id;
          out.push({ label: `${isCurrent ? '$(pass-filled) ' : ''}@${a.username}`, description: a.name, connection: config.name, accountId: a.id, accountLabel: `@${a.username}` });
        }
      } catch (e) {
        out.push({ label: `$(error) ${(e as Error).message}`, connection: config.name });
      }
    }
    return out;
  });
  const chosen = await vscode.window.showQuickPick(picks, { placeHolder });
  if (!chosen?.accountId) return undefined;
  return { connection: chosen.connection, accountId: chosen.accountId, ...(chosen.accountLabel ? { accountLabel: chosen.accountLabel } : {}) };
}
