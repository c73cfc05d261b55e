// The extension's connection layer without VS Code: tiny fakes of the host services (SecretStorage, Memento,
// settings) around the real core and the real sandbox, over real HTTP.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import * as core from '../../src/core';
import { Connections } from '../../src/extension/connections';
import { SampleSandbox } from '../../src/extension/sampleAccount';
import { SecretTokens } from '../../src/extension/secrets';
import type { ConnectionSettings } from '../../src/extension/settings';
import type { ConnectionConfig, Loaders } from '../../src/extension/types';
import { startSandbox } from '../../src/sandbox';
import { collect } from '../helpers';

/** SecretStorage as a Map (no onDidChange traffic needed here). */
function fakeSecrets(): vscode.SecretStorage & { map: Map<string, string> } {
  const map = new Map<string, string>();
  return {
    map,
    get: async (k: string) => map.get(k),
    store: async (k: string, v: string) => { map.set(k, v); },
    delete: async (k: string) => { map.delete(k); },
    onDidChange: () => ({ dispose() {} }),
  } as unknown as vscode.SecretStorage & { map: Map<string, string> };
}

function fakeMemento(): vscode.Memento {
  const map = new Map<string, unknown>();
  return {
    keys: () => [...map.keys()],
    get: <T>(k: string, d?: T) => (map.has(k) ? (map.get(k) as T) : d),
    update: async (k: string, v: unknown) => { map.set(k, v); },
  } as vscode.Memento;
}

function fakeSettings(configs: ConnectionConfig[]): ConnectionSettings {
  return { configs: () => configs, config: (name: string) => configs.find((c) => c.name === name) } as unknown as ConnectionSettings;
}

const SAMPLE: ConnectionConfig = { name: 'Sample account', properties: {}, sample: true };
const MINE: ConnectionConfig = { name: 'Mine', properties: { ApiVersion: 'v24.0' }, sample: false };

describe('extension connections (fake host services, real core and sandbox)', () => {
  const loads = { core: 0, sandbox: 0 };
  const loaders: Loaders = {
    core: async () => { loads.core++; return core; },
    startSandbox: async () => { loads.sandbox++; return startSandbox; },
  };
  const secretStorage = fakeSecrets();
  const state = fakeMemento();
  const secrets = new SecretTokens(secretStorage, state);
  const info: string[] = [];
  const sample = new SampleSandbox(loaders, () => 0, (line) => info.push(line));
  const connections = new Connections(fakeSettings([SAMPLE, MINE]), secrets, sample, loaders, {});

  after(async () => {
    await connections.reset();
    await sample.stop();
  });

  it('loads nothing until asked: no core, no sandbox', () => {
    assert.deepEqual(loads, { core: 0, sandbox: 0 });
  });

  it('starts the sandbox for the Sample account and lists its business accounts', async () => {
    const accounts = await connections.businessAccounts('Sample account');
    assert.equal(accounts.length, 3);
    assert.equal(loads.sandbox, 1);
    assert.match(info.join('\n'), /sandbox listening at http:\/\/127\.0\.0\.1:\d+/);
    assert.ok(connections.timings.accountsMs > 0 && connections.timings.connectMs > 0);
  });

  it('runs each query on the account passed with it, over one cached connection', async () => {
    const [first, second] = await connections.businessAccounts('Sample account');
    const conn = await connections.connection('Sample account');
    for (const account of [first!, second!]) {
      const rows = await collect(await conn.query('SELECT DISTINCT Username FROM Media', undefined, { businessAccountId: account.id }));
      assert.deepEqual(rows, [{ Username: account.username }]);
    }
    assert.equal(await connections.connection('Sample account'), conn, 'cached');
  });

  it('asks for a sign-in when a connection has no token, and does not cache the failure', async () => {
    await assert.rejects(connections.businessAccounts('Mine'), (e: unknown) => {
      assert.ok(core.isIgsqlError(e));
      assert.equal(e.code, 'AUTH_REQUIRED');
      assert.match(e.message, /Set Access Token/);
      return true;
    });
    // After a token is stored the next attempt reaches the core (which then fails on the network: the
    // public Graph host is not reachable offline, or refuses the token), i.e. Retry works.
    await secrets.setAccessToken('Mine', 'EAAB-not-a-real-token');
    const again = await connections.connection('Mine').then(() => 'connected', (e: unknown) => (core.isIgsqlError(e) ? e.code : 'thrown'));
    assert.notEqual(again, 'AUTH_REQUIRED');
  });

  it('keeps tokens in SecretStorage only, with an index of keys (no values) in globalState', async () => {
    assert.equal(await secrets.accessToken('Mine'), 'EAAB-not-a-real-token');
    assert.deepEqual(secrets.keys(), ['token/Mine']);
    assert.ok(!JSON.stringify(state.get('igsql.secretIndex')).includes('EAAB'));
    await secrets.deleteAccessToken('Mine');
    assert.deepEqual(secrets.keys(), []);
    assert.equal(secretStorage.map.size, 0);
  });

  it('reset closes and forgets one connection\'s connections', async () => {
    const before = await connections.connection('Sample account');
    await connections.reset('Sample account');
    assert.notEqual(await connections.connection('Sample account'), before);
  });
});
