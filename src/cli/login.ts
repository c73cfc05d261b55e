/**
 * `igsql login | logout | whoami` (DESIGN §7) and the CLI's part of a sign-in: open the dialog in a browser and
 * receive the redirect on a loopback listener at CallbackURL (default the seed's https://localhost:33333/,
 * served with a certificate made at run time; http:// for apps in development mode), or, with --no-browser,
 * print the dialog address and read the pasted redirect address from stdin (headless machines).
 * Tokens go to OAuthSettingsLocation (mode 0600); whoami never prints a token.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { listenForRedirect } from '../core/auth/loopback';
import {
  DEFAULT_CALLBACK_URL, FileTokenStore, IgsqlError, SIGN_IN_TIMEOUT_MS, defaultSettingsLocation, parseConnectionProps,
  signIn, signOut, whoAmI, type Authorize, type SignedIn,
} from '../core';

type Write = (s: string) => void;

export function tokenStoreFor(connection: string): FileTokenStore {
  const props = parseConnectionProps(connection);
  return new FileTokenStore(props.OAuthSettingsLocation || defaultSettingsLocation());
}

/** Opens a URL: $BROWSER when set (a command; %s is the URL, else it is the last argument), else the OS opener. */
function openBrowser(url: string): Promise<boolean> {
  const env = process.env.BROWSER?.trim();
  let cmd: string;
  let args: string[];
  if (env) {
    const parts = env.split(/\s+/);
    cmd = parts[0]!;
    args = parts.slice(1).map((a) => a.replace('%s', url));
    if (!env.includes('%s')) args.push(url);
  } else if (process.platform === 'darwin') {
    [cmd, args] = ['open', [url]];
  } else if (process.platform === 'win32') {
    [cmd, args] = ['cmd', ['/c', 'start', '""', url.replace(/&/g, '^&')]];
  } else {
    [cmd, args] = ['xdg-open', [url]];
  }
  return new Promise((resolve) => {
    try {
      const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
      child.once('error', () => resolve(false));
      child.once('spawn', () => { child.unref(); resolve(true); });
    } catch {
      resolve(false);
    }
  });
}

/** The CLI's `authorize`: loopback listener + browser, or print and paste. */
export function cliAuthorize(options: { noBrowser: boolean; err: Write; stdin: NodeJS.ReadableStream }): Authorize {
  return async ({ url, redirectUri, signal }) => {
    if (options.noBrowser) {
      options.err(`Open this address in a browser on any machine, allow access, then paste here the whole address the browser was sent to (it starts with ${redirectUri}):\n\n  ${url}\n\nRedirected address: `);
      const rl = createInterface({ input: options.stdin, terminal: false });
      try {
        const line = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new IgsqlError('AUTH_REQUIRED', 'Nothing was pasted within 5 minutes: run igsql login --no-browser again.')), SIGN_IN_TIMEOUT_MS);
          rl.once('line', (l) => { clearTimeout(timer); resolve(l); });
          rl.once('close', () => { clearTimeout(timer); reject(new IgsqlError('CANCELLED', 'The sign-in was cancelled (no address was pasted).')); });
          signal?.addEventListener('abort', () => reject(new IgsqlError('CANCELLED', 'The sign-in was cancelled.')), { once: true });
        });
        return line.trim();
      } finally {
        rl.close();
      }
    }
    const listener = await listenForRedirect(redirectUri, signal);
    try {
      const opened = await openBrowser(url);
      options.err(opened
        ? `A browser window opened for the sign-in. If not, open:\n  ${url}\n`
        : `Open this address in a browser on this machine to sign in:\n  ${url}\n`);
      if (redirectUri.startsWith('https:')) options.err('The browser may warn about the certificate of localhost (made for this sign-in): continue to it.\n');
      return await listener.wait;
    } finally {
      listener.close();
    }
  };
}

function describe(s: SignedIn, out: Write, path: string): void {
  const r = s.record;
  const expires = r.expiresAt ? `${new Date(r.expiresAt).toISOString()} (in ${Math.max(0, Math.round((r.expiresAt - Date.now()) / 86_400_000))} days)` : 'unknown';
  out(`User:       ${r.userName ?? '(unknown)'}${r.userId ? ` (${r.userId})` : ''}\n`);
  out(`Login:      ${s.flavour.title} (LoginFlavour=${s.flavour.id}), app ${r.appId}\n`);
  out(`Accounts:   ${s.accounts.length ? s.accounts.map((a) => `@${a.username} (${a.id})`).join(', ') : `none: ${s.flavour.linkHint}`}\n`);
  out(`Scopes:     ${r.scopes.join(', ') || '(unknown)'}\n`);
  out(`Expires:    ${expires}\n`);
  out(`Token file: ${path}\n`);
}

export async function runLogin(command: 'login' | 'logout' | 'whoami', connection: string | undefined, options: { noBrowser: boolean; format: string }, out: Write, err: Write): Promise<number> {
  if (!connection) throw new IgsqlError('INVALID_PROPERTY', `igsql ${command} needs the connection: --connection "OAuthClientId=…;OAuthClientSecret=…" (or IGSQL_CONNECTION).`);
  const store = tokenStoreFor(connection);
  const deps = { tokenStore: store };
  if (command === 'logout') {
    const had = await signOut(connection, deps);
    err(had ? `Signed out: the token was removed from ${store.path}.\n` : `Not signed in with this app and login (nothing in ${store.path}).\n`);
    return 0;
  }
  if (command === 'whoami') {
    const who = await whoAmI(connection, deps);
    if (!who) {
      err(`Not signed in with this app and login: run igsql login --connection "…".\n`);
      return 1;
    }
    if (options.format === 'json') out(JSON.stringify({ ...who.record, flavour: who.flavour.id, accounts: who.accounts, tokenFile: store.path }) + '\n');
    else describe(who, out, store.path);
    return 0;
  }
  const props = parseConnectionProps(connection);
  if (!props.OAuthClientId || !props.OAuthClientSecret) {
    throw new IgsqlError('INVALID_PROPERTY', "igsql login needs your Meta app's App ID and App Secret: --connection \"OAuthClientId=…;OAuthClientSecret=…\" (see the README section 'How do I get these?').", { property: props.OAuthClientId ? 'OAuthClientSecret' : 'OAuthClientId' });
  }
  const ac = new AbortController();
  const onSigint = () => ac.abort();
  process.once('SIGINT', onSigint);
  try {
    const authorize = cliAuthorize({ noBrowser: options.noBrowser, err, stdin: process.stdin });
    const who = await signIn(connection, { tokenStore: store, authorize, signal: ac.signal });
    err(`Signed in (CallbackURL ${props.CallbackURL ?? DEFAULT_CALLBACK_URL}). The token is in ${store.path} (mode 0600); queries with the same --connection use it.\n`);
    describe(who, out, store.path);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
