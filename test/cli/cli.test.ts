import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import got from 'got';
import { startSandbox, type Sandbox } from '../../src/sandbox';

// The package's bin, as users run it (DESIGN §7): its shebang, its require of the bundle and its exit code.
const BIN = join(process.cwd(), 'bin', 'igsql');

function igsql(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { ...process.env, IGSQL_CONNECTION: '', ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('igsql CLI', () => {
  let sb: Sandbox;
  let conn: string;
  before(async () => {
    sb = await startSandbox({ port: 0, media: 40 });
    conn = `OAuthAccessToken=sandbox;ApiBaseURL=${sb.url}`;
  });
  after(() => sb.close());

  test('query --format json prints an array of row objects; --stats prints one JSON line on stderr', async () => {
    const r = await igsql(['query', 'SELECT Id, LikeCount, IsCommentEnabled FROM Media ORDER BY LikeCount DESC LIMIT 3', '--connection', conn, '--format', 'json', '--stats']);
    assert.equal(r.code, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as Array<{ Id: string; LikeCount: number; IsCommentEnabled: boolean }>;
    assert.equal(rows.length, 3);
    assert.ok(rows[0]!.LikeCount >= rows[1]!.LikeCount && rows[1]!.LikeCount >= rows[2]!.LikeCount);
    assert.equal(typeof rows[0]!.IsCommentEnabled, 'boolean', 'Boolean columns print as true/false');
    const stats = JSON.parse(r.stderr.trim().split('\n').pop()!) as Record<string, number>;
    for (const k of ['apiCalls', 'pages', 'rows', 'retries', 'elapsedMs']) assert.equal(typeof stats[k], 'number', k);
    assert.equal(stats.rows, 3);
    assert.ok(stats.apiCalls >= 2);
  });

  test('ndjson and csv formats, parameters, and IGSQL_CONNECTION', async () => {
    const nd = await igsql(['query', 'SELECT Id, Caption FROM Media WHERE MediaType = @t LIMIT 4', '--param', 't=IMAGE', '--format', 'ndjson'], { IGSQL_CONNECTION: conn });
    assert.equal(nd.code, 0, nd.stderr);
    const lines = nd.stdout.trim().split('\n').map((l) => JSON.parse(l) as { Id: string });
    assert.equal(lines.length, 4);
    const csv = await igsql(['query', 'SELECT Id, Caption FROM Media WHERE MediaType = @t LIMIT 4', '--param', 't=IMAGE', '--format', 'csv', '--connection', conn]);
    assert.equal(csv.code, 0, csv.stderr);
    assert.match(csv.stdout, /^Id,Caption\n/);
    for (const l of lines) assert.ok(csv.stdout.includes(l.Id));
  });

  test('table format shows a header and the row count', async () => {
    const r = await igsql(['query', 'SELECT Username, FollowersCount FROM InstagramBusinessProfile', '--connection', conn]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Username\s+\| FollowersCount/);
    assert.match(r.stdout, /\(3 rows\)\n$/);
  });

  test('a SQL error exits 1 with the code, line and column, and no stack trace', async () => {
    const r = await igsql(['query', 'SELECT *\nFROM Media\nWHERE LikeCount >', '--connection', conn]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^igsql: SQL_SYNTAX: .*line 3/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });

  test('an unknown table exits 1 with suggestions', async () => {
    const r = await igsql(['query', 'SELECT * FROM Commments', '--connection', conn]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /UNKNOWN_TABLE: Unknown table 'Commments'.*Did you mean 'Comments'/);
  });

  test('an unknown connection property exits 1 naming it', async () => {
    const r = await igsql(['query', 'SELECT 1', '--connection', `${conn};BusinesAccountId=1`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /INVALID_PROPERTY: Unknown connection property 'BusinesAccountId'.*BusinessAccountId/);
  });

  test('an expired token exits 1 with TOKEN_EXPIRED and never prints the token', async () => {
    const { access_token } = await got.post(`${sb.url}/__sandbox/tokens`, { json: { scopes: ['instagram_basic', 'pages_show_list'], expiresIn: 0 } }).json<{ access_token: string }>();
    const r = await igsql(['query', 'SELECT * FROM Media LIMIT 1', '--connection', `OAuthAccessToken=${access_token};ApiBaseURL=${sb.url}`]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /TOKEN_EXPIRED: .*Sign in again/);
    assert.ok(!r.stderr.includes(access_token) && !r.stdout.includes(access_token));
  });

  test('--help (exit 0, on stdout) documents text parameters and the typed forms', async () => {
    const r = await igsql(['--help']);
    assert.equal(r.code, 0);
    for (const s of ['as TEXT', 'n:int=5', 'x:real=1.5', 'v:null', 'Exit codes: 0 ok, 1 query or connection error, 2 usage error']) assert.ok(r.stdout.includes(s), s);
  });

  test('usage errors exit 2', async () => {
    assert.equal((await igsql(['frobnicate'])).code, 2);
    assert.equal((await igsql(['query', 'SELECT 1'])).code, 2, 'no connection');
    assert.equal((await igsql(['query', 'SELECT 1', '--connection', conn, '--format', 'xml'])).code, 2);
  });

  test('--param binds text: a real Instagram id (above 2^53) matches its media', async () => {
    const list = await igsql(['query', 'SELECT Id FROM Media ORDER BY Timestamp DESC LIMIT 3', '--connection', conn, '--format', 'csv']);
    assert.equal(list.code, 0, list.stderr);
    const id = list.stdout.trim().split('\n')[2]!;
    assert.ok(/^\d{16,}$/.test(id) && !Number.isSafeInteger(Number(id)), `sandbox ids look like Graph's: ${id}`);
    const r = await igsql(['query', 'SELECT Id, typeof(@id) AS T FROM Media WHERE Id = @id', '--param', `id=${id}`, '--connection', conn, '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [{ Id: id, T: 'text' }]);
  });

  test('--param name:int=, name:real=, name:text= and name:null bind those types; 64-bit integers keep every digit', async () => {
    const r = await igsql(['query', 'SELECT typeof(@a) AS a, @a + 1 AS a1, typeof(@b) AS b, @b * 2 AS b2, typeof(@c) AS c, typeof(@d) AS d, @e AS e, typeof(?1) AS p',
      '--param', 'a:int=41', '--param', 'b:real=1.25', '--param', 'c:text=5', '--param', 'd:null', '--param', 'e:int=9007199254740993', '--param', '1:int=7',
      '--connection', conn, '--format', 'csv']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'a,a1,b,b2,c,d,e,p\ninteger,42,real,2.5,text,null,9007199254740993,integer\n');
  });

  test('a bad typed --param is a usage error (exit 2) that says how to write it', async () => {
    const cases: Array<[string, RegExp]> = [
      ['n:int=12abc', /--param n:int needs a whole number \(got '12abc'\); for text write --param n=12abc/],
      ['n:int=99999999999999999999', /must fit in 64 bits.*--param n=99999999999999999999/],
      ['x:real=', /--param x:real needs a finite number/],
      ['x:real=abc', /--param x:real needs a finite number/],
      ['z:null=1', /takes no value: write --param z:null/],
      ['n:int', /--param needs a value: --param n:int=…/],
      ['n:bool=1', /unknown type 'bool'.*n:int=N/],
      ['=5', /--param needs name=value/],
    ];
    for (const [p, re] of cases) {
      const r = await igsql(['query', 'SELECT @n', '--param', p, '--connection', conn]);
      assert.equal(r.code, 2, p);
      assert.match(r.stderr, re, p);
      assert.equal(r.stdout, '', p);
    }
  });

  test('tables and columns list the schema', async () => {
    const t = await igsql(['tables', '--connection', conn, '--format', 'json']);
    assert.equal(t.code, 0, t.stderr);
    const names = (JSON.parse(t.stdout) as Array<{ Name: string }>).map((x) => x.Name);
    for (const n of ['Pages', 'InstagramPages', 'InstagramBusinessProfile', 'Media', 'IGMedia', 'Comments', 'Replies', 'MediaChildren']) assert.ok(names.includes(n), n);
    const c = await igsql(['columns', 'Comments', '--connection', conn, '--format', 'json']);
    const cols = JSON.parse(c.stdout) as Array<{ Column: string; Key: string }>;
    assert.equal(cols.find((x) => x.Column === 'MediaId')!.Key, '=');
    const bad = await igsql(['columns', 'Medias', '--connection', conn]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /Did you mean 'Media'/);
  });
});

test('./bin/igsql query "SELECT 1" --sandbox prints the row and exits 0', async () => {
  const r = await igsql(['query', 'SELECT 1 AS One', '--sandbox']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'One\n---\n1\n(1 row)\n');
});

test('bin/igsql keeps the compiled bundle in its cache folder, and a damaged cache only means compiling again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'igsql-cache-'));
  try {
    const env = { IGSQL_COMPILE_CACHE: dir };
    const sql = ['query', 'SELECT Username FROM InstagramBusinessProfile ORDER BY Username', '--sandbox', '--format', 'json'];
    const plain = await igsql(sql, { IGSQL_COMPILE_CACHE: 'off' });
    assert.equal(plain.code, 0, plain.stderr);
    assert.ok((JSON.parse(plain.stdout) as unknown[]).length > 0);
    const first = await igsql(sql, env);
    assert.deepEqual([first.code, first.stdout, first.stderr], [0, plain.stdout, '']);
    const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => statSync(join(dir, f)).isFile());
    assert.ok(files.length > 0, 'the first run wrote the cache');
    const cached = await igsql(sql, env);
    assert.deepEqual([cached.code, cached.stdout, cached.stderr], [0, plain.stdout, '']);
    for (const f of files) writeFileSync(join(dir, f), 'not a code cache');
    const damaged = await igsql(sql, env);
    assert.deepEqual([damaged.code, damaged.stdout, damaged.stderr], [0, plain.stdout, '']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bin/igsql without a built dist/ says to run npm run build (exit 1, no stack trace)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'igsql-bin-'));
  try {
    mkdirSync(join(dir, 'bin'));
    copyFileSync(BIN, join(dir, 'bin', 'igsql'));
    const r = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(process.execPath, [join(dir, 'bin', 'igsql'), 'query', 'SELECT 1', '--sandbox'], (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }));
    });
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'igsql: dist/cli.js is missing: run `npm run build` in the igsql checkout first.\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('igsql sandbox prints its base URL as the first line of stdout and serves Graph', async () => {
  const child = spawn(BIN, ['sandbox', '--port', '0', '--media', '20'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`sandbox exited ${code}`)));
    });
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const me = await got(`${url}/v24.0/me`, { searchParams: { access_token: 'sandbox' } }).json<{ id: string }>();
    assert.ok(me.id);
  } finally {
    child.kill('SIGTERM');
  }
});
