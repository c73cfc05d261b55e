/**
 * How the authorization code comes back to VS Code: a table, as VS Code's github-authentication `flows.ts`,
 * one entry per transport, chosen per connection (the `Transport` setting of the connection).
 * - uri: Meta redirects to the relay page the user hosts (CallbackURL, https); the relay forwards code and state
 *   to the callback carried in state, built from env.uriScheme through env.asExternalUri (desktop, remote and
 *   browser VS Code alike), which reaches our UriHandler.
 * - loopback: Meta redirects to a localhost CallbackURL (apps registered like the seed); a listener in the
 *   extension host receives it. Desktop VS Code only: in a remote window the browser's localhost is not ours.
 * - paste: the user pastes the address the browser was sent to (headless and remote machines).
 */
import * as vscode from 'vscode';
import { listenForRedirect } from '../../core/auth/loopback';
import { IgsqlError } from '../../core/errors';
import type { AuthCallbacks } from './callbacks';

export type TransportId = 'uri' | 'loopback' | 'paste';

export const EXTENSION_ID = 'igsql.instagram-sql';
export const CALLBACK_PATH = '/auth-callback';

export interface Prepared {
  /** The state to send: the relay reads its callback from it (uri), else a plain nonce. */
  state: string;
  /** Resolves with the redirected address (or its query), rejects CANCELLED/AUTH_REQUIRED. */
  wait(signal: AbortSignal): Promise<string>;
  dispose(): void;
}

export interface Transport {
  id: TransportId;
  label: string;
  detail: string;
  /** Why it cannot run here, or undefined. */
  unsupported(redirectUri: string): string | undefined;
  prepare(nonce: string, redirectUri: string, callbacks: AuthCallbacks): Promise<Prepared>;
}

const isLoopback = (u: string) => {
  try { return ['localhost', '127.0.0.1', '[::1]', '[::ffff:7f00:1]'].includes(new URL(u).hostname); } catch { return false; }
};

export const TRANSPORTS: readonly Transport[] = [
  {
    id: 'uri',
    label: 'Browser, back through the relay page',
    detail: 'Meta redirects to the relay page you host (CallbackURL, https), which returns to VS Code. Works in desktop, remote and browser VS Code.',
    unsupported: (redirectUri) => (redirectUri.startsWith('https://') || isLoopback(redirectUri) ? undefined : 'The relay page must be served over https (CallbackURL).'),
    async prepare(nonce, _redirectUri, callbacks) {
      const own = vscode.Uri.parse(`${vscode.env.uriScheme}://${EXTENSION_ID}${CALLBACK_PATH}`);
      const callback = await vscode.env.asExternalUri(own);
      const state = `${nonce}.${Buffer.from(callback.toString(true)).toString('base64url')}`;
      return { state, wait: (signal) => callbacks.waitFor(state, signal), dispose: () => callbacks.forget(state) };
    },
  },
  {
    id: 'loopback',
    label: 'Browser, back to a localhost address',
    detail: 'For apps registered with a localhost redirect URI such as https://localhost:33333/ (desktop VS Code).',
    unsupported: (redirectUri) => (isLoopback(redirectUri) ? (vscode.env.remoteName ? 'A localhost redirect reaches this computer, not the remote machine: use the relay page or paste.' : undefined) : 'CallbackURL must be a localhost address for this transport.'),
    async prepare(nonce, redirectUri) {
      const controller = new AbortController();
      const listener = await listenForRedirect(redirectUri, controller.signal);
      listener.wait.catch(() => undefined);
      return {
        state: nonce,
        wait: (signal) => {
          signal.addEventListener('abort', () => controller.abort(), { once: true });
          return listener.wait;
        },
        dispose: () => listener.close(),
      };
    },
  },
  {
    id: 'paste',
    label: 'Paste the address the browser was sent to',
    detail: 'For headless or remote machines: after Allow, copy the address from the browser and paste it in VS Code.',
    unsupported: () => undefined,
    async prepare(nonce, redirectUri) {
      const cts = new vscode.CancellationTokenSource();
      return {
        state: nonce,
        wait: async (signal) => {
          signal.addEventListener('abort', () => cts.cancel(), { once: true });
          const value = await vscode.window.showInputBox({
            title: 'Finish signing in',
            prompt: `After you allow access, the browser goes to ${redirectUri}…: paste that whole address here.`,
            ignoreFocusOut: true,
            password: true, // it carries the authorization code
            validateInput: (v) => (/[?&#]code=|[?&#]error=/.test(v) ? undefined : 'Paste the whole address (it contains code=…)'),
          }, cts.token);
          if (!value) throw new IgsqlError('CANCELLED', 'The sign-in was cancelled.');
          return value;
        },
        dispose: () => cts.dispose(),
      };
    },
  },
];

export function transport(id: string | undefined): Transport {
  return TRANSPORTS.find((t) => t.id === (id ?? '').toLowerCase()) ?? TRANSPORTS[0]!;
}
