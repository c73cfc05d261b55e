// Query history: newest first, capped, SQL redacted (never a token or code), nothing but the run's summary.
import { host } from './fakes/vscode';
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { QueryHistory } from '../../src/extension/history/historyStore';
import type { HistoryEntry } from '../../src/extension/history/entry';

function memento() {
  const data = new Map<string, unknown>();
  return { get: <T>(k: string, d?: T) => (data.has(k) ? data.get(k) as T : d), update: async (k: string, v: unknown) => { data.set(k, v); }, keys: () => [...data.keys()], data };
}
const entry = (sql: string, at: number): HistoryEntry => ({ sql, connection: 'Sample account', accountId: '1', accountLabel: '@a', at, rows: 3, apiCalls: 1, waitedMs: 12, outcome: 'ok', source: 'editor' });
const settle = () => new Promise((r) => setImmediate(r));

describe('query history', () => {
  beforeEach(() => host.reset());

  it('keeps the newest runs first, up to the cap', async () => {
    const m = memento();
    let cap = 3;
    const h = new QueryHistory(m as never, () => cap);
    for (let i = 1; i <= 5; i++) { h.record(entry(`SELECT ${i}`, i)); await settle(); }
    assert.deepEqual(h.entries().map((e) => e.sql), ['SELECT 5', 'SELECT 4', 'SELECT 3']);
    cap = 1;
    h.record(entry('SELECT 6', 6));
    await settle();
    assert.deepEqual(h.entries().map((e) => e.sql), ['SELECT 6']);
  });

  it('never keeps a token or an OAuth code typed into the SQL', async () => {
    const m = memento();
    const h = new QueryHistory(m as never, () => 10);
    h.record(entry("EXEC GetOAuthAccessToken Verifier = 'https://x.invalid/cb?code=AQDsecretcode123&state=s', OAuthClientSecret = 'abcdef0123456789'", 1));
    h.record(entry("SELECT * FROM Media WHERE Caption = 'access_token=EAAGsecrettoken999'", 2));
    await settle();
    const stored = JSON.stringify(m.data.get('igsql.history'));
    for (const secret of ['AQDsecretcode123', 'abcdef0123456789', 'EAAGsecrettoken999']) assert.ok(!stored.includes(secret), `${secret} leaked: ${stored}`);
    assert.match(stored, /GetOAuthAccessToken/);
  });

  it('an empty statement is not recorded; Clear empties it', async () => {
    const m = memento();
    const h = new QueryHistory(m as never, () => 10);
    h.record(entry('   ', 1));
    h.record(entry('SELECT 1', 2));
    await settle();
    assert.equal(h.entries().length, 1);
    await h.clear();
    assert.deepEqual(h.entries(), []);
  });
});
