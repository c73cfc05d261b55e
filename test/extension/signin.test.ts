// The extension's sign-in with a fake `vscode` host (the browser is played by the test) around the real core,
// the real sandbox (both dialogs, over HTTP) and the real relay page script: the URI-handler transport through
// media/oauth-relay.html, the paste transport, foreign and replayed callbacks, cancel, and a whole session after
// which no token, code, app secret or proof is found in settings, globalState, the log, telemetry or messages.
import { host } from './fakes/vscode';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { after, before, beforeEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import * as core from '../../src/core';
import { AuthCallbacks } from '../../src/extension/auth/callbacks';
import { InstagramAuthProvider } from '../../src/extension/auth/provider';
import { Connections } from '../../src/extension/connections';
import { SampleSandbox } from '../../src/extension/sampleAccount';
import { SecretTokens } from '../../src/extension/secrets';
import type { ConnectionSettings } from '../../src/extension/settings';
import { Telemetry } from '../../src/extension/telemetry';
import type { ConnectionConfig, Loaders } from '../../src/extension/types';
import { IgsqlUriHandler } from '../../src/extension/uriHandler';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { consent } from '../consent';
import { collect } from '../helpers';

const RELAY = readFileSync(join(process.cwd(), 'media', 'oauth-relay.html'), 'utf8');
const APP_ID = '5555666677778888';
const APP_SECRET = 'ext-app-secret-0123456789';

/** What the relay page's script would send the browser to. */
function relay(address: string): string {
  const script = /<script id="relay">([\s\S]*?)<\/script>/.exec(RELAY)![1]!;
  const box: Record<string, unknown> = { URL, URLSearchParams, atob };
  runInNewContext(`${script}\nthis.result = relayTarget(${JSON.stringify(new URL(address).search)});`, box);
  const r = box.result as { url?: string; error?: string };
  if (!r.url) throw new Error(`relay refused: ${r.error}`);
  return r.url;
}

function fakeSecrets(): vscode.SecretStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  const listeners: Array<(e: { key: string }) => void> = [];
  return {
    map,
    get: async (k: string) => map.get(k),
    store: async (k: string, v: string) => { map.set(k, v); for (const l of listeners) l({ key: k }); },
    delete: async (k: string) => { map.delete(k); for (const l of listeners) l({ key: k }); },
    onDidChange: (l: (e: { key: string }) => void) => { listeners.push(l); return { dispose() {} }; },
  } as unknown as vscode.SecretStorage & { map: Map<string, string> };
}

function fakeMemento(): vscode.Memento & { map: Map<string, unknown> } {
  const map = new Map<string, unknown>();
  return {
    map,
    keys: () => [...map.keys()],
    get: <T>(k: string, d?: T) => (map.has(k) ? (map.get(k) as T) : d),
    update: async (k: string, v: unknown) => { map.set(k, v); },
  } as unknown as vscode.Memento & { map: Map<string, unknown> };
}

describe('extension sign-in (fake host, real core, sandbox and relay page)', () => {
  let sb: Sandbox;
  let configs: ConnectionConfig[];
  const logLines: string[] = [];
  const log = { info: (l: string) => logLines.push(l), warn: (l: string) => logLines.push(l), error: (l: string) => logLines.push(l), show() {} } as unknown as vscode.LogOutputChannel;
  const telemetryEvents: string[] = [];
  const telemetry = new Telemetry({ sendTelemetryEvent: (name, properties, measurements) => telemetryEvents.push(JSON.stringify({ name, properties, measurements })), dispose() {} }, () => true);
  const loaders: Loaders = { core: async () => core, startSandbox: async () => startSandbox };
  const storage = fakeSecrets();
  const state = fakeMemento();
  const secrets = new SecretTokens(storage, state);
  const settings = { configs: () => configs, config: (n: string) => configs.find((c) => c.name === n) } as unknown as ConnectionSettings;
  const callbacks = new AuthCallbacks((l) => logLines.push(l));
  const auth = new InstagramAuthProvider(secrets, state, settings, callbacks, loaders, log);
  const handler = new IgsqlUriHandler(log, callbacks);
  const sample = new SampleSandbox(loaders, () => 0, () => undefined);
  let connections: Connections;
  const seen = { codes: [] as string[] };

  /** The browser: consent on the dialog, then the relay page, then VS Code opens the callback URI. */
  const viaRelay = (button: string) => async (url: string) => {
    const redirected = await consent(url, button);
    seen.codes.push(new URL(redirected).searchParams.get('code') ?? '');
    const callback = new URL(relay(redirected));
    assert.equal(`${callback.protocol}//${callback.host}${callback.pathname}`, 'vscode://igsql.instagram-sql/auth-callback');
    handler.handleUri({ path: callback.pathname, query: callback.search.slice(1) } as vscode.Uri);
  };

  before(async () => {
    sb = await startSandbox({ port: 0, media: 10, relayPage: RELAY });
    configs = [
      { name: 'Biz', sample: false, transport: 'uri', properties: { OAuthClientId: APP_ID, CallbackURL: `${sb.url}/relay/oauth-relay.html`, ApiBaseURL: sb.url, Verbosity: '5' } },
      { name: 'Gram', sample: false, transport: 'paste', properties: { OAuthClientId: APP_ID, LoginFlavour: 'INSTAGRAM', CallbackURL: 'https://example.com/igsql/', ApiBaseURL: `${sb.url}/instagram`, Verbosity: '5' } },
    ];
    await secrets.setAppSecret('Biz', APP_SECRET);
    await secrets.setAppSecret('Gram', APP_SECRET);
    connections = new Connections(settings, secrets, sample, loaders, { logger: { log: (_l, m) => logLines.push(m) }, telemetry: { event: (n, p, m) => telemetry.event(n, p, m) } });
  });
  after(async () => {
    await connections.reset();
    await sb.close();
  });
  beforeEach(() => host.reset());

  it('Facebook through the relay page and the URI handler: signed in, listed in Accounts, queries run with appsecret_proof', async () => {
    host.openExternal = viaRelay('allow');
    const changes: number[] = [];
    auth.onDidChangeSessions((e) => changes.push(e.added?.length ?? 0));
    const user = await auth.signIn('Biz');
    assert.equal(user.flavour, 'FACEBOOK');
    assert.equal(host.opened.length, 1);
    const dialog = new URL(host.opened[0]!);
    assert.equal(dialog.searchParams.get('redirect_uri'), `${sb.url}/relay/oauth-relay.html`);
    assert.match(dialog.searchParams.get('state')!, /^[\w-]+\.[\w-]+$/, 'nonce.callback');
    assert.deepEqual(changes, [1], 'sessions added');
    const sessions = await auth.getSessions();
    assert.deepEqual(sessions.map((s) => s.id), ['Biz']);
    assert.match(sessions[0]!.account.label, /\(Biz\)$/);
    const accounts = await connections.businessAccounts('Biz');
    assert.equal(accounts.length, 3);
    sb.clearRequests();
    const conn = await connections.connection('Biz');
    const rows = await collect(await conn.query('SELECT Id FROM Media LIMIT 2', undefined, { businessAccountId: accounts[1]!.id }));
    assert.equal(rows.length, 2);
    assert.ok(sb.requests().every((r) => r.query.appsecret_proof), 'every call carries appsecret_proof');
  });

  it('Instagram by pasting the redirected address', async () => {
    let pasted!: (v: string) => void;
    host.inputBox = () => new Promise<string>((resolve) => (pasted = resolve));
    host.openExternal = async (url) => {
      const redirected = await consent(url, 'allow-2');
      seen.codes.push(new URL(redirected).searchParams.get('code') ?? '');
      pasted(redirected);
    };
    const user = await auth.signIn('Gram');
    assert.equal(user.flavour, 'INSTAGRAM');
    const third = Object.entries(sb.summary().accounts)[2]!;
    assert.equal(user.userName, `@${third[1].username}`);
    assert.deepEqual((await connections.businessAccounts('Gram')).map((a) => a.id), [third[0]]);
    assert.deepEqual((await auth.getSessions()).map((s) => s.id).sort(), ['Biz', 'Gram'], 'both users in the Accounts menu');
  });

  it('loopback: the redirect to a localhost CallbackURL reaches the listener, which closes afterwards', async () => {
    const port = await new Promise<number>((resolve) => {
      const srv = createServer().listen(0, '127.0.0.1', () => { const p = (srv.address() as { port: number }).port; srv.close(() => resolve(p)); });
    });
    configs.push({ name: 'Loop', sample: false, transport: 'loopback', properties: { OAuthClientId: APP_ID, CallbackURL: `http://127.0.0.1:${port}/cb`, ApiBaseURL: sb.url } });
    await secrets.setAppSecret('Loop', APP_SECRET);
    host.openExternal = async (url) => {
      const redirected = await consent(url, 'allow');
      seen.codes.push(new URL(redirected).searchParams.get('code') ?? '');
      // The browser follows the redirect to the listener (after openExternal returned, as a real browser would).
      setTimeout(() => void fetch(redirected), 10);
    };
    const user = await auth.signIn('Loop');
    assert.equal(user.flavour, 'FACEBOOK');
    await assert.rejects(fetch(`http://127.0.0.1:${port}/cb`), 'the listener is closed once the code arrived');
    await auth.signOut('Loop');
    configs.pop();
  });

  it('a foreign callback is ignored while the sign-in waits; the right one completes it; a replay is ignored', async () => {
    let replay = '';
    host.openExternal = async (url) => {
      handler.handleUri({ path: '/auth-callback', query: 'code=stolen&state=not-ours' } as vscode.Uri);
      const redirected = await consent(url, 'allow');
      const callback = new URL(relay(redirected));
      replay = callback.search.slice(1);
      handler.handleUri({ path: callback.pathname, query: replay } as vscode.Uri);
    };
    await auth.signIn('Biz');
    assert.ok(logLines.some((l) => /no sign-in in this window is waiting for/.test(l)), 'the foreign callback was refused');
    const before = logLines.length;
    handler.handleUri({ path: '/auth-callback', query: replay } as vscode.Uri);
    assert.ok(logLines.slice(before).some((l) => /waiting for \(stale, replayed/.test(l)), 'the replay was refused');
  });

  it('cancelling the sign-in rejects with CANCELLED (no toast) and keeps the previous sign-in', async () => {
    host.openExternal = async () => { setTimeout(() => host.cancelProgress(), 20); };
    await assert.rejects(auth.signIn('Biz'), (e: unknown) => core.isIgsqlError(e) && e.code === 'CANCELLED');
    assert.deepEqual(host.errors, []);
    assert.ok(auth.user('Biz'));
  });

  it('sign out deletes the token from SecretStorage and the session from the Accounts menu', async () => {
    await auth.signOut('Gram');
    assert.deepEqual((await auth.getSessions()).map((s) => s.id), ['Biz']);
    assert.ok(![...storage.map.keys()].some((k) => k.includes('session/Gram/')));
    assert.ok(storage.map.has('igsql.secret.app-secret/Gram'), 'the app secret stays for the next sign-in');
  });

  it('after the whole session no token, code, app secret or proof is in settings, globalState, the log, telemetry or messages', async () => {
    const conn = await connections.connection('Biz');
    await collect(await conn.query('SELECT Id, Caption FROM Media LIMIT 3')).catch(() => undefined);
    await conn.query("SELECT * FROM HashtagSearch WHERE Name = 'x y'").then((r) => collect(r)).catch((e: Error) => host.errors.push(e.message));
    const record = await auth.record('Biz');
    const token = record!.accessToken;
    const secretsList = [token, APP_SECRET, core.OAuthClient && (await import('../../src/core/auth/oauth')).appSecretProof(token, APP_SECRET), ...seen.codes.filter(Boolean)];
    assert.ok(secretsList.length >= 4);
    const haystacks: Record<string, string> = {
      settings: JSON.stringify(configs),
      globalState: JSON.stringify([...state.map.entries()]),
      log: logLines.join('\n'),
      telemetry: telemetryEvents.join('\n'),
      messages: JSON.stringify([...host.errors, ...host.infos, ...host.warnings]),
    };
    assert.ok(haystacks.log!.includes('/me/accounts') && haystacks.log!.length > 1000, 'the Verbosity 5 log has wire bodies');
    for (const [where, text] of Object.entries(haystacks)) {
      for (const s of secretsList) assert.ok(!text.includes(s!), `a secret (${s!.slice(0, 4)}…) is in ${where}`);
    }
    // Tokens are in SecretStorage, nowhere else.
    assert.ok([...storage.map.values()].some((v) => v.includes(token)));
  });
});
