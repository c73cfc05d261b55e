import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { connect, PROPERTY_SPECS } from '../../src/core';
import { collect, rig, type Rig } from '../helpers';

/** Every object of ../shared/DATA-MODEL.md (tables, views, the seed's and ours). */
const DATA_MODEL_TABLES = ['Comments', 'Replies'];
const DATA_MODEL_VIEWS = [
  'Pages', 'InstagramPages', 'InstagramBusinessProfile', 'Permissions', 'Media', 'IGMedia', 'Stories', 'Tags', 'MediaChildren',
  'MediaInsights', 'MediaInsightsPost', 'MediaInsightsPostAlbum', 'MediaInsightReels', 'MediaInsightsStory',
  'AccountInsights', 'AccountWithoutBreakdown', 'AccountTimeSeriesWithoutBreakdown', 'AccountFollowType', 'AccountTimeSeriesFollowType',
  'AccountMediaProductType', 'AccountTimeSeriesMediaProductType', 'AccountContactButtonType', 'AudienceInsights', 'OnlineFollowers',
  'HashtagSearch', 'HashtagTopMedia', 'HashtagRecentMedia', 'BusinessDiscovery', 'ContentPublishingLimit',
];
const SECRET = 'client-secret-xyz-987';

describe('system tables', () => {
  let r: Rig;
  before(async () => {
    r = await rig({ media: 5 }, `OAuthClientId=1234567890123456;OAuthClientSecret=${SECRET};ProxyServer=proxy.local;MaxRows=5000`);
  });
  after(() => r.close());

  test('reading them sends no Graph request', async () => {
    r.clear();
    for (const t of ['sys_tables', 'sys_tablecolumns', 'sys_keycolumns', 'sys_procedures', 'sys_procedureparameters', 'sys_connection_props', 'sys_sqlinfo']) {
      const rows = await r.rows(`SELECT * FROM ${t}`);
      assert.ok(rows.length > 0, `${t} has rows`);
    }
    assert.deepEqual(r.requests(), []);
  });

  test('sys_tables lists every registered table and view once, with its type, description and updateability', async () => {
    const rows = await r.rows('SELECT * FROM sys_tables');
    const tables = r.conn.tables();
    assert.deepEqual(rows.map((x) => x.TableName), tables.map((t) => t.name));
    assert.equal(new Set(rows.map((x) => x.TableName)).size, rows.length, 'no duplicates');
    for (const t of tables) {
      const row = rows.find((x) => x.TableName === t.name)!;
      assert.equal(row.TableType, t.kind === 'table' ? 'TABLE' : 'VIEW');
      assert.equal(row.Description, t.description);
      assert.equal(row.Scopes, t.scopes.join(','));
    }
    const byName = (n: string) => rows.find((x) => x.TableName === n);
    assert.equal(byName('Comments')!.IsUpdateable, 1);
    assert.equal(byName('Media')!.IsUpdateable, 0);
    assert.ok(!rows.some((x) => String(x.TableName).startsWith('sys_')), 'system tables do not list themselves');
  });

  test('sys_tables lists every object of DATA-MODEL.md', async () => {
    const rows = await r.rows('SELECT TableName, TableType FROM sys_tables');
    const have = new Map(rows.map((x) => [x.TableName as string, x.TableType as string]));
    const missing = [...DATA_MODEL_TABLES, ...DATA_MODEL_VIEWS].filter((n) => !have.has(n));
    assert.deepEqual(missing, [], `not registered yet in src/core/schema/index.ts: ${missing.join(', ')}`);
    for (const n of DATA_MODEL_TABLES) assert.equal(have.get(n), 'TABLE', n);
    for (const n of DATA_MODEL_VIEWS) assert.equal(have.get(n), 'VIEW', n);
  });

  test('sys_tablecolumns agrees with conn.tables(): names, order, types, keys, required', async () => {
    const rows = await r.rows('SELECT * FROM sys_tablecolumns ORDER BY TableName, Ordinal');
    const expected = r.conn.tables().flatMap((t) => t.columns.map((c, i) => ({ t: t.name, c: c.name, o: i + 1, type: c.type, key: c.keyOps.length ? 1 : 0, req: c.required ? 1 : 0, d: c.description })));
    assert.equal(rows.length, expected.length);
    for (const e of expected) {
      const row = rows.find((x) => x.TableName === e.t && x.ColumnName === e.c);
      assert.ok(row, `${e.t}.${e.c}`);
      assert.deepEqual([row.Ordinal, row.DataTypeName, row.IsKey, row.IsRequired, row.Description], [e.o, e.type, e.key, e.req, e.d], `${e.t}.${e.c}`);
    }
    const media = await r.rows("SELECT ColumnName FROM sys_tablecolumns WHERE TableName = 'Media' ORDER BY Ordinal");
    assert.deepEqual(media.map((x) => x.ColumnName), r.conn.table('Media')!.columns.map((c) => c.name));
    const text = (await r.rows("SELECT IsReadOnly FROM sys_tablecolumns WHERE TableName = 'Comments' AND ColumnName = 'Text'"))[0]!;
    assert.equal(text.IsReadOnly, 0, 'Comments.Text can be written (INSERT)');
    const id = (await r.rows("SELECT IsReadOnly FROM sys_tablecolumns WHERE TableName = 'Media' AND ColumnName = 'Id'"))[0]!;
    assert.equal(id.IsReadOnly, 1);
  });

  test('sys_keycolumns lists exactly the pushdown columns with their operators', async () => {
    const rows = await r.rows('SELECT TableName, ColumnName, Operators, IsRequired FROM sys_keycolumns');
    const expected = r.conn.tables().flatMap((t) => t.columns.filter((c) => c.keyOps.length).map((c) => ({ TableName: t.name, ColumnName: c.name, Operators: c.keyOps.join(','), IsRequired: c.required ? 1 : 0 })));
    assert.deepEqual(rows, expected);
    const ts = rows.find((x) => x.TableName === 'Media' && x.ColumnName === 'Timestamp');
    assert.ok(ts && String(ts.Operators).includes('>='), 'Media.Timestamp is a range key (since/until)');
    assert.ok(rows.some((x) => x.TableName === 'IGMedia' && x.ColumnName === 'Id' && x.IsRequired === 1), 'IGMedia needs Id');
  });

  test('sys_procedures and sys_procedureparameters agree with conn.procedures()', async () => {
    const procs = r.conn.procedures();
    const rows = await r.rows('SELECT ProcedureName, Description FROM sys_procedures');
    assert.deepEqual(rows, procs.map((p) => ({ ProcedureName: p.name, Description: p.description })));
    const params = await r.rows('SELECT ProcedureName, ColumnName, Ordinal, DataTypeName, Direction, IsRequired, Description FROM sys_procedureparameters');
    assert.deepEqual(params, procs.flatMap((p) => p.parameters.map((x, i) => ({
      ProcedureName: p.name, ColumnName: x.name, Ordinal: i + 1, DataTypeName: x.type, Direction: x.direction.toUpperCase(), IsRequired: x.required ? 1 : 0, Description: x.description,
    }))));
    const [mode] = await r.rows("SELECT \"Values\" FROM sys_procedureparameters WHERE ProcedureName = 'GetOAuthAccessToken' AND ColumnName = 'AuthMode'");
    assert.equal(mode!.Values, 'APP,WEB');
  });

  test('sys_connection_props lists every property with its current value and masks secrets', async () => {
    const rows = await r.rows('SELECT * FROM sys_connection_props');
    assert.deepEqual(rows.map((x) => x.Name), PROPERTY_SPECS.map((s) => s.name));
    const get = (n: string) => rows.find((x) => x.Name === n)!;
    assert.equal(get('OAuthAccessToken').Value, '***');
    assert.equal(get('OAuthClientSecret').Value, '***');
    assert.equal(get('OAuthAccessToken').IsSecret, 1);
    assert.equal(get('OAuthClientId').Value, '1234567890123456');
    assert.equal(get('ProxyServer').Value, 'proxy.local');
    assert.equal(get('MaxRows').Value, '5000');
    assert.equal(get('Pagesize').Value, get('Pagesize').Default, 'an unset property shows its default');
    assert.equal(get('ProxyPassword').Value, null, 'an unset secret is NULL, not ***');
    assert.equal(get('ApiBaseURL').Value, r.sandbox.url);
    assert.equal(get('InitiateOAuth').Values, 'OFF,GETANDREFRESH,REFRESH');
    assert.equal(get('Verbosity').Values, '1..5');
    assert.ok(rows.every((x) => x.Value !== 'sandbox'), 'the token never appears');
    assert.ok(!JSON.stringify(rows).includes(SECRET), 'the client secret never appears');
  });

  test('sys_sqlinfo reports the SQLite version the engine runs and the supported features', async () => {
    const rows = await r.rows('SELECT NAME, VALUE FROM sys_sqlinfo');
    const info = new Map(rows.map((x) => [x.NAME as string, x.VALUE as string]));
    const [v] = await r.rows('SELECT sqlite_version() AS v');
    assert.equal(info.get('SQLITE_VERSION'), v!.v);
    assert.equal(info.get('DIALECT'), 'SQLite');
    assert.equal(info.get('SUPPORTS_EXEC'), 'YES');
    assert.equal(info.get('STORED_PROCEDURES'), r.conn.procedures().map((p) => p.name).join(','));
    assert.equal(info.get('WRITABLE_TABLES'), r.conn.tables().filter((t) => t.kind === 'table').map((t) => t.name).join(','));
    assert.equal(info.get('GRAPH_API_VERSION'), 'v24.0');
  });

  test('system tables take part in ordinary SQL (joins, aggregates) and describe themselves through conn.table()', async () => {
    const rows = await r.rows(`
      SELECT t.TableName, count(*) AS n FROM sys_tables t JOIN sys_tablecolumns c ON c.TableName = t.TableName
      WHERE t.TableType = 'TABLE' GROUP BY t.TableName ORDER BY t.TableName`);
    assert.deepEqual(rows, r.conn.tables().filter((t) => t.kind === 'table').map((t) => ({ TableName: t.name, n: t.columns.length })).sort((a, b) => a.TableName.localeCompare(b.TableName)));
    const info = r.conn.table('SYS_TABLES');
    assert.ok(info);
    assert.equal(info.name, 'sys_tables');
    assert.ok(info.columns.some((c) => c.name === 'TableName'));
    const res = await r.conn.query('SELECT TableName, IsUpdateable FROM sys_tables LIMIT 1');
    assert.deepEqual(res.columns, [{ name: 'TableName', type: 'String' }, { name: 'IsUpdateable', type: 'Boolean' }]);
    await collect(res);
  });

  test('a connection with no token and no network can still read its system tables', async () => {
    const conn = await connect('ApiBaseURL=http://127.0.0.1:9');
    try {
      const rows = await collect(await conn.query("SELECT Value FROM sys_connection_props WHERE Name = 'OAuthAccessToken'"));
      assert.deepEqual(rows, [{ Value: null }]);
      const tables = await collect(await conn.query('SELECT count(*) AS n FROM sys_tables'));
      assert.equal(tables[0]!.n, conn.tables().length);
    } finally {
      await conn.close();
    }
  });
});
