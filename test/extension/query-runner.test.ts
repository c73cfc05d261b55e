// The query runner and the reactions to settings/token changes, with fakes of the VS Code host around the real
// core, the real Sample-account sandbox and real HTTP: runs are kept per document, a write is never aborted by
// a later run, and Refresh, a settings change or a token change cancels a running query at once.
import { EventEmitter, host } from './fakes/vscode';
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import type * as vscode from 'vscode';
import * as core from '../../src/core';
import type { ActiveAccount } from '../../src/extension/activeAccount';
import { Connections } from '../../src/extension/connections';
import type { ExplorerTree } from '../../src/extension/explorerTree';
import { ConfigurationReactions } from '../../src/extension/lifecycle';
import { QueryRunner, writesData } from '../../src/extension/queryRunner';
import type { ResultsMessage } from '../../src/extension/resultsModel';
import type { ResultsPanel } from '../../src/extension/resultsPanel';
import { SampleSandbox } from '../../src/extension/sampleAccount';
import { SecretTokens } from '../../src/extension/secrets';
import type { ConnectionSettings } from '../../src/extension/settings';
import { Telemetry } from '../../src/extension/telemetry';
import type { ConnectionConfig, Loaders, Target } from '../../src/extension/types';
import { startSandbox, type Sandbox } from '../../src/sandbox';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const SAMPLE: ConnectionConfig = { name: 'Sample account', properties: {}, sample: true };

function doc(name: string): vscode.TextDocument {
  const uri = { path: `/work/${name}.igsql`, toString: () => `file:///work/${name}.igsql` };
  return { uri, positionAt: () => ({ line: 0, character: 0 }) } as unknown as vscode.TextDocument;
}

async function rowsOf(result: core.QueryResult): Promise<core.SqlValue[][]> {
  const out: core.SqlValue[][] = [];
  for await (const row of result.rows) out.push(row);
  return out;
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/__sandbox/summary`);
    return false;
  } catch {
    return true;
  }
}

/** Everything the runner and the reactions need: fakes of host services, the real core and sandbox. */
function world() {
  const configs: ConnectionConfig[] = [SAMPLE];
  const settingsChanged = new EventEmitter<void>();
  const settings = {
    configs: () => [...configs],
    config: (name: string) => configs.find((c) => c.name === name),
    maxRows: () => 10_000,
    onDidChange: settingsChanged.event,
  } as unknown as ConnectionSettings;
  const secretsChanged = new EventEmitter<{ key: string }>();
  const store = new Map<string, string>();
  const stateMap = new Map<string, unknown>();
  const secrets = new SecretTokens(
    {
      get: async (k: string) => store.get(k),
      store: async (k: string, v: string) => { store.set(k, v); secretsChanged.fire({ key: k }); },
      delete: async (k: string) => { store.delete(k); secretsChanged.fire({ key: k }); },
      onDidChange: secretsChanged.event,
    } as unknown as vscode.SecretStorage,
    { get: <T>(k: string, d?: T) => (stateMap.has(k) ? (stateMap.get(k) as T) : d), update: async (k: string, v: unknown) => { stateMap.set(k, v); }, keys: () => [...stateMap.keys()] } as vscode.Memento,
  );
  const sandboxes: Sandbox[] = [];
  let latencyMs = 150;
  const loaders: Loaders = {
    core: async () => core,
    startSandbox: async () => async (options) => {
      const sb = await startSandbox(options);
      sandboxes.push(sb);
      return sb;
    },
  };
  const sample = new SampleSandbox(loaders, () => latencyMs, () => undefined);
  const connections = new Connections(settings, secrets, sample, loaders, {});
  const messages: ResultsMessage[] = [];
  const cancelRequested = new EventEmitter<void>();
  const results = { show: (m: ResultsMessage) => messages.push(m), onDidRequestCancel: cancelRequested.event } as unknown as ResultsPanel;
  const events: Array<{ name: string; properties?: Record<string, string> }> = [];
  const telemetry = new Telemetry({ sendTelemetryEvent: (name, properties) => events.push({ name, ...(properties ? { properties } : {}) }), dispose() {} }, () => true);
  const log = { warn() {}, info() {}, error() {}, trace() {} } as unknown as vscode.LogOutputChannel;
  const active = { get: () => undefined, set: async () => undefined } as unknown as ActiveAccount;
  const runner = new QueryRunner(connections, active, settings, results, telemetry, log, loaders);
  const tree = { refresh() {} } as unknown as ExplorerTree;
  const reactions = new ConfigurationReactions(settings, secrets, connections, tree);
  const runs = () => events.filter((e) => e.name === 'query/run').map((e) => e.properties!);
  return {
    configs, settingsChanged, secrets, sandboxes, sample, connections, messages, runner, reactions, runs,
    setLatency: (ms: number) => { latencyMs = ms; },
    run: (document: vscode.TextDocument, sql: string, target: Target) => runner.run({ document, offset: 0, sql }, target, 'editor'),
    async dispose() {
      runner.dispose();
      reactions.dispose();
      await connections.reset();
      await sample.stop();
    },
  };
}

describe('writesData: which runs change data', () => {
  it('INSERT, UPDATE, DELETE and EXEC anywhere in the text write; SELECT and WITH read', () => {
    assert.equal(writesData("UPDATE Comments SET Hidden = 1 WHERE Id = '1'"), true);
    assert.equal(writesData("SELECT 1; DELETE FROM Comments WHERE Id = '1'"), true);
    assert.equal(writesData('EXEC GetOAuthAccessToken'), true);
    assert.equal(writesData("-- update later\nSELECT 'DELETE' AS word FROM Media"), false);
    assert.equal(writesData('WITH x AS (SELECT 1) SELECT * FROM x'), false);
  });
});

describe('query runner: runs per document (fake host, real core and sandbox)', () => {
  let w: ReturnType<typeof world>;
  let target: Target;
  let mediaId: string;
  let commentIds: string[];
  before(async () => {
    host.reset();
    w = world();
    const [account] = await w.connections.businessAccounts(SAMPLE.name);
    target = { connection: SAMPLE.name, accountId: account!.id, accountLabel: `@${account!.username}` };
    const conn = await w.connections.connection(SAMPLE.name);
    const rows = await rowsOf(await conn.query('SELECT m.Id FROM Media m JOIN Comments c ON c.MediaId = m.Id WHERE m.BusinessAccountId = ? GROUP BY m.Id HAVING count(*) BETWEEN 4 AND 12 LIMIT 1', [account!.id]));
    mediaId = rows[0]![0] as string;
    commentIds = (await rowsOf(await conn.query('SELECT Id FROM Comments WHERE MediaId = ?', [mediaId]))).map((r) => r[0] as string);
  });
  after(() => w.dispose());

  it('a second run in the same editor waits for a running write instead of aborting it', async () => {
    const editor = doc('moderation');
    const sb = w.sandboxes[0]!;
    sb.clearRequests();
    const write = w.run(editor, `UPDATE Comments SET Hidden = 1 WHERE MediaId = '${mediaId}'`, target);
    await sleep(200); // the write is under way
    const read = w.run(editor, `SELECT Id, Hidden FROM Comments WHERE MediaId = '${mediaId}'`, target);
    await Promise.all([write, read]);
    assert.deepEqual(w.runs().slice(-2).map((r) => `${r.statementKind} ${r.outcome}`), ['update ok', 'select ok']);
    const log = sb.requests();
    const posts = log.filter((q) => q.method === 'POST');
    assert.equal(posts.length, commentIds.length, 'every hide was sent once');
    const lastPost = Math.max(...posts.map((q) => Date.parse(q.time)));
    const readStart = log.filter((q) => q.method === 'GET' && Date.parse(q.time) >= lastPost);
    assert.ok(readStart.length >= 1, 'the read ran after the write');
    const shown = w.messages.at(-1)!;
    assert.equal(shown.type, 'result');
    assert.ok(shown.type === 'result' && shown.rows.every((r) => r[1] === '1'), 'the read sees every comment hidden');
  });

  it('a second read in the same editor replaces the first; reads in another editor are left alone', async () => {
    const editor = doc('reads');
    const other = doc('other');
    const first = w.run(editor, 'SELECT Id, Caption FROM Media', target);
    const elsewhere = w.run(other, 'SELECT count(*) FROM Media', target);
    await sleep(100);
    const second = w.run(editor, 'SELECT count(*) AS n FROM Media', target);
    await Promise.all([first, elsewhere, second]);
    assert.deepEqual(w.runs().slice(-3).map((r) => r.outcome).sort(), ['cancelled', 'ok', 'ok']);
    assert.equal(w.messages.at(-1)!.type, 'result', 'the latest run is what the view shows');
    assert.equal(w.runner.isRunning(editor), false);
  });

  it('the results view\'s Cancel stops a run waiting behind a write, never the write', async () => {
    const editor = doc('cancel-waiting');
    const write = w.run(editor, `UPDATE Comments SET Hidden = 0 WHERE MediaId = '${mediaId}'`, target);
    await sleep(100);
    const waiting = w.run(editor, 'SELECT count(*) FROM Media', target);
    await sleep(50);
    w.runner.cancel();
    await Promise.all([write, waiting]);
    assert.deepEqual(w.runs().slice(-2).map((r) => `${r.statementKind} ${r.outcome}`).sort(), ['select cancelled', 'update ok']);
  });

  it('cancelling a write while a request is on its way shows WRITE_UNKNOWN_OUTCOME and what was written, not "cancelled"', async () => {
    const sb = w.sandboxes[0]!;
    // The second hide waits 2 s in the sandbox: the cancel comes while it is on its way.
    await fetch(`${sb.url}/__sandbox/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'POST', path: `/${commentIds[1]}$`, kind: 'delay', delayMs: 2000 }) });
    sb.clearRequests();
    const write = w.run(doc('cancel-write'), `UPDATE Comments SET Hidden = 1 WHERE MediaId = '${mediaId}'`, target);
    while (!sb.requests().some((q) => q.method === 'POST')) await sleep(10);
    await sleep(300);
    w.runner.cancel();
    await write;
    const shown = w.messages.at(-1)!;
    assert.equal(shown.type, 'error');
    assert.ok(shown.type === 'error' && shown.code === 'WRITE_UNKNOWN_OUTCOME', JSON.stringify(shown));
    assert.match(shown.type === 'error' ? shown.message : '', /1 row was written before/);
    assert.deepEqual(w.runs().at(-1), { outcome: 'error', source: 'editor', connectionKind: 'sample', statementKind: 'update', errorCode: 'WRITE_UNKNOWN_OUTCOME' });
  });
});

describe('changes while a long query runs take effect at once', () => {
  let w: ReturnType<typeof world>;
  let target: Target;
  afterEach(() => w.dispose());

  async function startLong(): Promise<{ running: Promise<void>; startedAt: number }> {
    w = world();
    w.setLatency(250);
    const [account] = await w.connections.businessAccounts(SAMPLE.name);
    target = { connection: SAMPLE.name, accountId: account!.id };
    const running = w.run(doc('long'), 'SELECT m.Id, c.Text FROM Media m JOIN Comments c ON c.MediaId = m.Id', target);
    const sb = w.sandboxes[0]!;
    sb.clearRequests();
    const deadline = Date.now() + 10_000;
    while (sb.requests().length < 2) {
      assert.ok(Date.now() < deadline, 'the query is under way');
      await sleep(20);
    }
    return { running, startedAt: Date.now() };
  }

  function assertCancelled(): void {
    assert.equal(w.runs().at(-1)!.outcome, 'cancelled');
    assert.equal(w.messages.at(-1)!.type, 'cancelled');
  }

  it('Refresh (connections.reset) cancels the running query, reported as cancelled, and nothing is sent after', async (t) => {
    const { running } = await startLong();
    const t0 = Date.now();
    await w.connections.reset();
    await running;
    t.diagnostic(`the run ended ${Date.now() - t0} ms after Refresh (sandbox latency 250 ms)`);
    assert.ok(Date.now() - t0 < 1500, `cancelled at once (${Date.now() - t0} ms)`);
    assertCancelled();
    const sb = w.sandboxes[0]!;
    const settled = Date.now();
    await sleep(600);
    // The sandbox runs in this process and stamps a request when its handler runs: one written just before the
    // cancel can be stamped a little after the run settled (I/O callbacks run after the promise jobs that
    // settle it). Paging that went on would send requests every 250 ms from here.
    assert.deepEqual(sb.requests().filter((q) => Date.parse(q.time) > settled + 150), []);
  });

  it('a latency change restarts the sandbox: the running query is cancelled and a query started right away runs on the new one', async () => {
    const { running } = await startLong();
    const old = w.sandboxes[0]!;
    w.setLatency(0);
    host.configuration.fire({ affectsConfiguration: (s: string) => s === 'igsql.sampleAccount.latency' });
    const next = w.run(doc('after-restart'), 'SELECT count(*) AS n FROM Media', target);
    await Promise.all([running, next]);
    assert.deepEqual(w.runs().map((r) => r.outcome), ['cancelled', 'ok'], 'the next query did not reach a stopped sandbox');
    assert.equal(w.sandboxes.length, 2);
    for (let i = 0; i < 50 && !(await refused(old.url)); i++) await sleep(20);
    assert.ok(await refused(old.url), 'the old sandbox stopped');
    assert.ok(w.sandboxes[1]!.requests().length > 0, 'the next query ran on the new sandbox');
  });

  it('turning the Sample account off cancels its query and stops its sandbox; it is not started again', async () => {
    const { running } = await startLong();
    const url = w.sandboxes[0]!.url;
    w.configs.splice(0, w.configs.length);
    w.settingsChanged.fire();
    await running;
    assertCancelled();
    for (let i = 0; i < 50 && !(await refused(url)); i++) await sleep(20);
    assert.ok(await refused(url), 'the sandbox stopped');
    await w.run(doc('after-off'), 'SELECT 1', target);
    assert.equal(w.runs().at(-1)!.outcome, 'error');
    assert.equal(w.runs().at(-1)!.errorCode, 'NOT_FOUND');
    assert.equal(w.sandboxes.length, 1, 'no sandbox was started for a connection that is gone');
  });

  it('a token change (another window signed in) cancels the running query of a custom connection', async (t) => {
    w = world();
    const graph = await startSandbox({ port: 0, latencyMs: 250 });
    try {
      w.configs.push({ name: 'Mine', properties: { ApiBaseURL: graph.url }, sample: false });
      await w.secrets.set('token/Mine', 'sandbox');
      const running = w.run(doc('mine'), 'SELECT m.Id, c.Text FROM Media m JOIN Comments c ON c.MediaId = m.Id', { connection: 'Mine' });
      while (graph.requests().length < 2) await sleep(20);
      const t0 = Date.now();
      await w.secrets.set('token/Mine', 'sandbox-2');
      await running;
      t.diagnostic(`the run ended ${Date.now() - t0} ms after the token change (sandbox latency 250 ms)`);
      assert.ok(Date.now() - t0 < 1500, `cancelled at once (${Date.now() - t0} ms)`);
      assertCancelled();
    } finally {
      await graph.close();
    }
  });
});
