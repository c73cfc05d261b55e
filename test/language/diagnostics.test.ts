import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { collect, rig, type Rig } from '../helpers';
import { LanguageService, loadWorkload, WARN_CALLS, type Diagnostic } from '../../src/language';

/** Diagnostics come from SQLite's prepare (no Graph call) and the plan's estimated calls (issue 9). */
describe('diagnostics', () => {
  let r: Rig;
  let ls: LanguageService;
  let ids: string[];
  let account: string;
  before(async () => {
    r = await rig({ accounts: 3, media: 120 });
    account = (await r.conn.businessAccounts())[0]!.id;
    ls = new LanguageService({ connection: r.conn, loadWorkload: () => loadWorkload(r.conn, 100) });
    await ls.diagnose('SELECT 1'); // loads the workload (a few calls, once per connection)
    ids = (await r.rows(`SELECT Id FROM Media WHERE BusinessAccountId = '${account}' LIMIT 60`)).map((x) => x.Id as string);
  });
  after(() => r.close());

  const at = (text: string, d: Diagnostic) => text.slice(d.from, d.to);

  test('preparing sends nothing to Graph', async () => {
    r.clear();
    const d = await ls.diagnose('SELECT * FROM Media m JOIN Comments c ON c.MediaId = m.Id;\nSELECT * FROM MediaInsights WHERE Metric = \'reach\'');
    assert.ok(d.length >= 2);
    assert.equal(r.requests().length, 0);
  });

  test('a syntax error is SQLite\'s, on the word it names', async () => {
    const text = 'SELECT * FROM Media;\nSELEC Caption FROM Media';
    const all = await ls.diagnose(text);
    assert.deepEqual(all.map((x) => x.code), ['GRAPH_CALLS', 'SQL_SYNTAX']);
    const d = all[1];
    assert.equal(d!.code, 'SQL_SYNTAX');
    assert.equal(d!.severity, 'error');
    assert.equal(at(text, d!), 'SELEC');
  });

  test('an unknown table says which one was meant', async () => {
    const text = 'SELECT Caption FROM Mediaa';
    const [d] = await ls.diagnose(text);
    assert.equal(d!.code, 'UNKNOWN_TABLE');
    assert.match(d!.message, /Did you mean 'Media'/);
    assert.equal(at(text, d!), 'Mediaa');
  });

  test('an unknown column says which one was meant', async () => {
    const text = 'SELECT 1;\nSELECT Captoin FROM Media';
    const [d] = await ls.diagnose(text);
    assert.equal(d!.code, 'UNKNOWN_COLUMN');
    assert.match(d!.message, /Did you mean 'Caption'/);
    assert.equal(at(text, d!), 'Captoin');
  });

  test('MISSING_KEY before anything is sent, on the table', async () => {
    const text = 'SELECT * FROM HashtagTopMedia t';
    const [d] = await ls.diagnose(text);
    assert.equal(d!.code, 'MISSING_KEY');
    assert.match(d!.message, /HashtagTopMedia needs HashtagId = … or Hashtag = …/);
    assert.equal(at(text, d!), 'HashtagTopMedia');
    assert.deepEqual(await ls.diagnose("SELECT * FROM HashtagTopMedia WHERE Hashtag = 'coffee'").then((x) => x.filter((y) => y.severity === 'error')), []);
  });

  test('EXEC: unknown procedure and parameter names, missing required ones', async () => {
    const [p] = await ls.diagnose('EXEC PublishMedai @Caption = 1');
    assert.equal(p!.code, 'UNKNOWN_PROCEDURE');
    assert.match(p!.message, /Did you mean 'PublishMedia'/);
    const q = await ls.diagnose("EXEC PublishMedia @Captoin = 'x'");
    assert.ok(q.some((d) => d.code === 'INVALID_VALUE' && /Did you mean '@Caption'/.test(d.message)), JSON.stringify(q));
  });

  test('a full scan is a warning naming the accounts and the key columns', async () => {
    // (Comments alone no longer is: the media pages carry each media's comments inline.)
    const text = 'SELECT * FROM Replies';
    const [d] = await ls.diagnose(text);
    assert.equal(d!.code, 'GRAPH_CALLS');
    assert.ok(d!.calls! >= WARN_CALLS, `${d!.calls} calls`);
    assert.equal(d!.severity, 'warning');
    assert.match(d!.message, /of every comment of every media of 3 accounts/);
    assert.match(d!.message, /filter on Id or CommentId to use fewer/);
    assert.equal(at(text, d!), 'Replies');
  });

  test('a keyed lookup is information: one call', async () => {
    const [d] = await ls.diagnose(`SELECT * FROM Media WHERE Id = '${ids[0]}'`);
    assert.equal(d!.severity, 'information');
    assert.equal(d!.calls, 1);
  });

  test('Explain: the estimate, the keys each table gets, and SQLite\'s plan; no Graph call', async () => {
    r.clear();
    const report = await ls.explain('SELECT m.Caption, c.Text FROM Media m JOIN Comments c ON c.MediaId = m.Id');
    assert.equal(r.requests().length, 0);
    assert.match(report.text, /^Estimated Graph calls: ~\d+/);
    assert.match(report.text, /- m = Media: no key: a listing — scans every media of 3 accounts/);
    assert.match(report.text, /- c = Comments: MediaId =, once per outer row — reads Comments inline with the ~360 outer rows \(Graph field expansion\)/);
    assert.ok(report.plan.some((l) => /^SCAN m VIRTUAL TABLE/.test(l)), report.plan.join('\n'));
    const missing = await ls.explain('SELECT * FROM HashtagTopMedia');
    assert.match(missing.text, /MISSING_KEY: needs HashtagId or Hashtag/);
  });

  // For each shape: the estimate, then the calls the sandbox counts when the query runs.
  const SHAPES: Array<() => string> = [
    () => 'SELECT * FROM Media',
    () => 'SELECT Caption FROM Media LIMIT 10',
    () => `SELECT * FROM Media WHERE Id = '${ids[0]}'`,
    () => `SELECT * FROM Media WHERE Id IN (${ids.slice(0, 10).map((x) => `'${x}'`).join(', ')})`,
    () => `SELECT * FROM IGMedia WHERE Id IN (${ids.slice(0, 60).map((x) => `'${x}'`).join(', ')})`,
    () => `SELECT * FROM Media WHERE BusinessAccountId = '${account}'`,
    () => `SELECT * FROM Comments WHERE MediaId = '${ids[0]}'`,
    () => 'SELECT count(*) FROM Media m JOIN Comments c ON c.MediaId = m.Id',
    () => 'SELECT * FROM Comments',
    () => 'SELECT m.Id, i.Value FROM Media m JOIN MediaInsights i ON i.MediaId = m.Id',
    () => `SELECT * FROM MediaInsights WHERE MediaId IN (${ids.slice(0, 5).map((x) => `'${x}'`).join(', ')})`,
    () => 'SELECT * FROM MediaInsights',
    () => 'SELECT * FROM InstagramBusinessProfile',
    () => 'SELECT * FROM Stories',
    () => 'SELECT * FROM MediaChildren',
    () => 'SELECT m.Caption, (SELECT count(*) FROM Comments c WHERE c.MediaId = m.Id) AS n FROM Media m',
  ];
  test(`estimated calls are within ±20 % of the sandbox's count for ${SHAPES.length} query shapes`, async () => {
    assert.ok(SHAPES.length >= 15);
    const report: string[] = [];
    let bad = 0;
    for (const shape of SHAPES) {
      const sql = shape();
      const d = (await ls.diagnose(sql)).find((x) => x.code === 'GRAPH_CALLS');
      assert.ok(d, `no estimate for ${sql}`);
      r.clear();
      const res = await r.conn.query(sql);
      await collect(res);
      const actual = r.requests().length;
      assert.equal(res.stats.apiCalls, actual);
      const ok = Math.abs(d.calls! - actual) <= 0.2 * actual;
      if (!ok) bad++;
      report.push(`${ok ? 'ok ' : 'BAD'} est ${d.calls} actual ${actual}: ${sql.slice(0, 60)}`);
    }
    assert.equal(bad, 0, report.join('\n'));
  });
});

describe('estimates from the account list alone (what the editor uses: no Graph call of its own)', () => {
  let r: Rig;
  before(async () => {
    r = await rig({ accounts: 2, media: 150 });
  });
  after(() => r.close());

  test("media counts come with the business-account list; comment walks are lower bounds", async () => {
    const accounts = await r.conn.businessAccounts();
    assert.ok(accounts.every((a) => typeof a.mediaCount === 'number' && a.mediaCount > 0), JSON.stringify(accounts));
    const { workloadFromAccounts } = await import('../../src/language');
    const ls = new LanguageService({ connection: r.conn, loadWorkload: async () => workloadFromAccounts(await r.conn.businessAccounts(), 100) });
    r.clear();
    const [media] = await ls.diagnose('SELECT * FROM Media');
    const [comments] = await ls.diagnose('SELECT * FROM Comments');
    assert.equal(r.requests().length, 0, 'the account list was cached; nothing else is asked');
    await collect(await r.conn.query('SELECT * FROM Media'));
    assert.equal(media!.calls, r.requests().length);
    assert.match(comments!.message, /^at least ~\d+ Graph calls/);
    r.clear();
    await collect(await r.conn.query('SELECT * FROM Comments'));
    assert.ok(comments!.calls! <= r.requests().length, `${comments!.calls} ≤ ${r.requests().length}`);
    const one = workloadFromAccounts(accounts, 100, [accounts[1]!.id]);
    assert.deepEqual(one.mediaPerAccount, [accounts[1]!.mediaCount]);
  });
});
