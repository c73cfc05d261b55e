/**
 * Add Connection: a multi-step quick input with Back (the multi-step sample's pattern): login flavour, name,
 * app id, app secret, how the sign-in returns, CallbackURL, optional BusinessAccountId; "How do I get these?"
 * opens the README's walkthrough. The connection is then tested by signing in and listing its accounts, and kept
 * only if that works. The app secret goes to SecretStorage, never to settings.
 */
import * as vscode from 'vscode';
import { IgsqlError } from '../../core/errors';
import type { Connections } from '../connections';
import type { SecretTokens } from '../secrets';
import { SAMPLE_NAME, type ConnectionSettings } from '../settings';
import type { InstagramAuthProvider } from './provider';
import { TRANSPORTS, type TransportId } from './transports';

/** The README section that walks through creating the Meta app (shipped in the VSIX). */
export const HELP_SECTION = 'how-do-i-get-these';
const BACK = Symbol('back');
type Step<T> = T | typeof BACK;

export interface NewConnection {
  /** TOKEN: no app, the user pastes an access token obtained elsewhere (Set Access Token). */
  flavour: 'FACEBOOK' | 'INSTAGRAM' | 'TOKEN';
  name: string;
  appId: string;
  appSecret: string;
  transport: TransportId;
  callbackUrl: string;
  businessAccountId: string;
}

/** Made when shown: ThemeIcon is a host object (and not needed at activation). */
const help = (): vscode.QuickInputButton => ({ iconPath: new vscode.ThemeIcon('question'), tooltip: 'How do I get these?' });

function openHelp(): void {
  const ext = vscode.extensions.getExtension('igsql.instagram-sql');
  if (!ext) return;
  const readme = vscode.Uri.joinPath(ext.extensionUri, 'README.md').with({ fragment: HELP_SECTION });
  void vscode.commands.executeCommand('markdown.showPreview', readme);
}

async function pick<T extends vscode.QuickPickItem>(title: string, step: number, items: T[], placeholder: string, active?: T): Promise<Step<T>> {
  const qp = vscode.window.createQuickPick<T>();
  qp.title = title;
  qp.step = step;
  qp.totalSteps = 7;
  qp.items = items;
  qp.placeholder = placeholder;
  qp.ignoreFocusOut = true;
  if (active) qp.activeItems = [active];
  qp.buttons = [...(step > 1 ? [vscode.QuickInputButtons.Back] : []), help()];
  try {
    return await new Promise<Step<T>>((resolve, reject) => {
      qp.onDidTriggerButton((b) => (b === vscode.QuickInputButtons.Back ? resolve(BACK) : openHelp()));
      qp.onDidAccept(() => resolve(qp.selectedItems[0]!));
      qp.onDidHide(() => reject(new IgsqlError('CANCELLED', 'Add Connection was cancelled.')));
      qp.show();
    });
  } finally {
    qp.dispose();
  }
}

async function input(title: string, step: number, prompt: string, value: string, validate: (v: string) => string | undefined, password = false): Promise<Step<string>> {
  const box = vscode.window.createInputBox();
  box.title = title;
  box.step = step;
  box.totalSteps = 7;
  box.prompt = prompt;
  box.value = value;
  box.password = password;
  box.ignoreFocusOut = true;
  box.buttons = [vscode.QuickInputButtons.Back, help()];
  try {
    return await new Promise<Step<string>>((resolve, reject) => {
      box.onDidTriggerButton((b) => (b === vscode.QuickInputButtons.Back ? resolve(BACK) : openHelp()));
      box.onDidChangeValue((v) => (box.validationMessage = validate(v)));
      box.onDidAccept(() => {
        const msg = validate(box.value);
        box.validationMessage = msg;
        if (!msg) resolve(box.value.trim());
      });
      box.onDidHide(() => reject(new IgsqlError('CANCELLED', 'Add Connection was cancelled.')));
      box.show();
    });
  } finally {
    box.dispose();
  }
}

/** Asks for the connection, step by step; undefined when cancelled. */
export async function askNewConnection(settings: ConnectionSettings): Promise<NewConnection | undefined> {
  const title = 'Add Instagram connection';
  const v: NewConnection = { flavour: 'FACEBOOK', name: '', appId: '', appSecret: '', transport: 'uri', callbackUrl: '', businessAccountId: '' };
  const flavours = [
    { label: 'Facebook Login for Business', description: 'accounts linked to your Facebook Pages', detail: 'All tables, including hashtag search and business discovery.', id: 'FACEBOOK' as const },
    { label: 'Business Login for Instagram', description: 'no Facebook Page needed', detail: 'Your own professional account: media, comments, insights, publishing.', id: 'INSTAGRAM' as const },
    { label: 'I have an access token', description: 'paste it', detail: 'A user access token obtained elsewhere (for example the Graph API Explorer); it is not renewed.', id: 'TOKEN' as const },
  ];
  let step = 1;
  try {
    while (step <= 7) {
      let r: Step<unknown>;
      switch (step) {
        case 1:
          r = await pick(title, 1, flavours, 'How do you sign in to Instagram? (the ? button: how to get an app id and secret)', flavours.find((f) => f.id === v.flavour));
          if (r !== BACK) v.flavour = (r as (typeof flavours)[number]).id;
          if (r !== BACK && v.flavour === 'TOKEN') return v; // the token path asks its own questions
          break;
        case 2:
          r = await input(title, 2, 'A name for this connection', v.name, (x) => (!x.trim() ? 'Enter a name' : x.trim() === SAMPLE_NAME || settings.config(x.trim()) ? 'That name is taken' : undefined));
          if (r !== BACK) v.name = r as string;
          break;
        case 3:
          r = await input(title, 3, `${v.flavour === 'INSTAGRAM' ? 'Instagram App ID' : 'App ID'} of your Meta app (App Dashboard → App settings → Basic)`, v.appId, (x) => (/^\d{5,20}$/.test(x.trim()) ? undefined : 'The App ID is a number'));
          if (r !== BACK) v.appId = r as string;
          break;
        case 4:
          r = await input(title, 4, `${v.flavour === 'INSTAGRAM' ? 'Instagram App Secret' : 'App Secret'} (kept in VS Code's secret storage, never in settings)`, v.appSecret, (x) => (/^\S{8,}$/.test(x.trim()) ? undefined : 'Paste the whole App Secret'), true);
          if (r !== BACK) v.appSecret = r as string;
          break;
        case 5: {
          const items = TRANSPORTS.map((t) => ({ label: t.label, detail: t.detail, id: t.id }));
          r = await pick(title, 5, items, 'How does the sign-in come back to VS Code?', items.find((i) => i.id === v.transport));
          if (r !== BACK) v.transport = (r as (typeof items)[number]).id;
          break;
        }
        case 6: {
          const dflt = v.callbackUrl || (v.transport === 'loopback' ? 'https://localhost:33333/' : '');
          const prompt = v.transport === 'uri'
            ? 'Address of the relay page you host (media/oauth-relay.html on an https static host), registered as a Valid OAuth Redirect URI'
            : v.transport === 'loopback' ? 'The localhost redirect URI registered for your app' : 'The redirect URI registered for your app (any address you can copy from the browser)';
          r = await input(title, 6, prompt, dflt, (x) => {
            try {
              const u = new URL(x.trim());
              if (u.protocol !== 'https:' && u.protocol !== 'http:') return 'An http(s) address';
              const why = TRANSPORTS.find((t) => t.id === v.transport)!.unsupported(x.trim());
              return why;
            } catch {
              return 'An http(s) address, exactly as registered (trailing slash included)';
            }
          });
          if (r !== BACK) v.callbackUrl = r as string;
          break;
        }
        case 7:
          r = await input(title, 7, 'Instagram account id to query by default (optional: leave empty for every account you sign in to)', v.businessAccountId, (x) => (!x.trim() || /^\d+$/.test(x.trim()) ? undefined : 'An account id is a number'));
          if (r !== BACK) v.businessAccountId = r as string;
          break;
        default:
          r = BACK;
      }
      step = r === BACK ? Math.max(1, step - 1) : step + 1;
    }
  } catch (e) {
    if (e instanceof IgsqlError && e.code === 'CANCELLED') return undefined;
    throw e;
  }
  return v;
}

/** Saves the connection, signs in to test it, and keeps it only when the sign-in works and reaches an account. */
export async function addAndTest(v: NewConnection, settings: ConnectionSettings, secrets: SecretTokens, auth: InstagramAuthProvider, connections: Connections): Promise<boolean> {
  const properties: Record<string, string> = { OAuthClientId: v.appId, CallbackURL: v.callbackUrl };
  if (v.flavour === 'INSTAGRAM') properties.LoginFlavour = 'INSTAGRAM';
  if (v.businessAccountId) properties.BusinessAccountId = v.businessAccountId;
  await secrets.setAppSecret(v.name, v.appSecret);
  await settings.add(v.name, properties, v.transport);
  try {
    const user = await auth.signIn(v.name);
    await connections.reset(v.name);
    const accounts = await connections.businessAccounts(v.name);
    void vscode.window.showInformationMessage(`Connection "${v.name}" works: signed in as ${user.userName}; ${accounts.length ? `accounts ${accounts.map((a) => `@${a.username}`).join(', ')}` : 'no Instagram account yet'}.`);
    return true;
  } catch (e) {
    // Not kept: a connection that cannot sign in would only show errors.
    await auth.signOut(v.name).catch(() => undefined);
    await secrets.deleteConnection(v.name);
    await settings.remove(v.name);
    throw e;
  }
}
