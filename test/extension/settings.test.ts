// Renamed settings (keys that read well in the Settings editor): the new key wins where the user set it, the old
// key is still read where only it is set, and a latency change does not reset every connection.
import { host } from './fakes/vscode';
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import { ConnectionSettings, RENAMED_SETTINGS, settingKeys } from '../../src/extension/settings';

const log = { info() {}, warn() {}, error() {}, debug() {}, trace() {} } as unknown as vscode.LogOutputChannel;

/** What VS Code's affectsConfiguration answers for a change of `changed`: the key itself or a section above it. */
const changeOf = (changed: string) => ({ affectsConfiguration: (s: string) => changed === s || changed.startsWith(`${s}.`) });

describe('renamed settings', () => {
  afterEach(() => { host.settings = {}; });

  it('reads the old key while the new one is not set, and the new one once it is', () => {
    const settings = new ConnectionSettings(log);
    try {
      assert.equal(settings.sampleLatencyMs(), 0);
      assert.equal(settings.maxRows(), 10000);
      host.settings['sampleLatencyMs'] = 700;
      host.settings['maxResultRows'] = 50;
      assert.equal(settings.sampleLatencyMs(), 700, 'a user who set igsql.sampleLatencyMs keeps the value');
      assert.equal(settings.maxRows(), 50, 'a user who set igsql.maxResultRows keeps the value');
      host.settings['sampleAccount.latency'] = 0;
      host.settings['results.maxRows'] = 20;
      assert.equal(settings.sampleLatencyMs(), 0, 'the new key set to its default still wins over the old one');
      assert.equal(settings.maxRows(), 20);
    } finally {
      settings.dispose();
    }
  });

  it('every renamed key has its old key among the keys a change is matched against', () => {
    for (const [key, old] of Object.entries(RENAMED_SETTINGS)) assert.deepEqual(settingKeys(key), [`igsql.${key}`, `igsql.${old}`]);
    assert.deepEqual(settingKeys('history.maxEntries'), ['igsql.history.maxEntries']);
  });

  it('a Sample account latency change does not reset the connections; turning the Sample account off does', () => {
    const settings = new ConnectionSettings(log);
    let fired = 0;
    const sub = settings.onDidChange(() => { fired++; });
    try {
      host.configuration.fire(changeOf('igsql.sampleAccount.latency'));
      assert.equal(fired, 0);
      host.configuration.fire(changeOf('igsql.sampleAccount.enabled'));
      assert.equal(fired, 1);
    } finally {
      sub.dispose();
      settings.dispose();
    }
  });
});
