// Commands with a fake `vscode` host: a failing command never rejects (VS Code would show a bare "command
// resulted in an error"); it logs and shows the error's own message, and a cancel shows nothing.
import { host } from './fakes/vscode';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import type { ActiveAccount } from '../../src/extension/activeAccount';
import { Commands } from '../../src/extension/commands';
import type { Connections } from '../../src/extension/connections';
import type { ExplorerTree } from '../../src/extension/explorerTree';
import type { QueryRunner } from '../../src/extension/queryRunner';
import type { SecretTokens } from '../../src/extension/secrets';
import type { ConnectionSettings } from '../../src/extension/settings';
import { Telemetry } from '../../src/extension/telemetry';
import type { Target } from '../../src/extension/types';

const TOKEN = 'EAAB-secret-token-value';

function setup(parts: { runner?: Partial<QueryRunner>; secrets?: Partial<SecretTokens>; settings?: Partial<ConnectionSettings>; active?: Partial<ActiveAccount> }) {
  const logged: string[] = [];
  const log = { error: (l: string) => logged.push(l), show() {} } as unknown as vscode.LogOutputChannel;
  const sent: Array<{ name: string; properties?: Record<string, string> }> = [];
  const telemetry = new Telemetry({ sendTelemetryEvent: (name, properties) => sent.push({ name, ...(properties ? { properties } : {}) }), dispose() {} }, () => true);
  const connections = { configs: () => [{ name: 'Mine', properties: {}, sample: false }], reset: async () => {} } as unknown as Connections;
  const tree = { refresh() {}, redraw() {}, retry() {} } as unknown as ExplorerTree;
  const commands = new Commands(tree, parts.runner as QueryRunner, connections, (parts.settings ?? {}) as ConnectionSettings,
    parts.secrets as SecretTokens, (parts.active ?? {}) as ActiveAccount, telemetry, log);
  commands.register();
  const run = (id: string, ...args: unknown[]) => host.commands.get(id)!(...args);
  return { run, logged, sent };
}

describe('extension commands (fake host)', () => {
  beforeEach(() => host.reset());

  it('Run Query whose engine fails to load resolves and shows the error with what to do', async () => {
    const { run, logged, sent } = setup({ runner: { runInEditor: async () => { throw new Error('Cannot find module wa-sqlite-async.wasm'); } } });
    await assert.doesNotReject(async () => { await run('igsql.runQuery'); });
    assert.equal(host.errors.length, 1);
    assert.match(host.errors[0]!, /wa-sqlite-async\.wasm/);
    assert.match(host.errors[0]!, /report/i, 'an unexpected error says what to do');
    assert.match(logged.join('\n'), /igsql\.runQuery failed: INTERNAL/);
    assert.deepEqual(sent.map((e) => e.name), ['command', 'command/error']);
    assert.deepEqual(sent[1]!.properties, { command: 'igsql.runQuery', errorCode: 'INTERNAL' });
  });

  it('Set Access Token when secret storage fails: an error message, never the token', async () => {
    host.inputBox = async () => TOKEN;
    const { run, logged } = setup({ secrets: { setAccessToken: async () => { throw new Error('The OS keychain is locked'); } } });
    await assert.doesNotReject(async () => { await run('igsql.setAccessToken', 'Mine'); });
    assert.equal(host.errors.length, 1);
    assert.match(host.errors[0]!, /keychain is locked/);
    assert.ok(![...host.errors, ...logged].some((l) => l.includes(TOKEN)));
  });

  it('Remove Connection forgets the active account when it belonged to that connection', async () => {
    const removed: string[] = [];
    let active: Target | undefined = { connection: 'Mine', accountId: '1784', accountLabel: '@mine' };
    const { run } = setup({
      secrets: { deleteAccessToken: async (name: string) => { removed.push(`token ${name}`); } },
      settings: { remove: async (name: string) => { removed.push(`setting ${name}`); } },
      active: { get: () => active, set: async (t: Target | undefined) => { active = t; } },
    });
    await run('igsql.removeConnection', 'Mine');
    assert.deepEqual(removed, ['token Mine', 'setting Mine']);
    assert.equal(active, undefined);
    assert.deepEqual(host.errors, []);
  });

  it('a cancelled command shows no error', async () => {
    const { run, logged } = setup({ runner: { runInEditor: async () => { throw new DOMException('Cancelled', 'AbortError'); } } });
    await run('igsql.runQuery');
    assert.deepEqual(host.errors, []);
    assert.deepEqual(logged, []);
  });
});
