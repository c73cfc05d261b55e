// `igsql tables | columns | procedures` as users run them: through bin/igsql, on the built-in sandbox.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const BIN = join(process.cwd(), 'bin', 'igsql');

function igsql(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(BIN, args, { env: { ...process.env, IGSQL_CONNECTION: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

type ColumnRow = { Column: string; Type: string; Key: string; Graph: string; Description: string };

async function columns(table: string): Promise<ColumnRow[]> {
  const r = await igsql(['columns', table, '--sandbox', '--format', 'json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as ColumnRow[];
}

describe('igsql columns', () => {
  test('shows the Graph field each column reads (README: LikeCount → like_count, EndTime → values[].end_time)', async () => {
    const media = await columns('Media');
    const by = new Map(media.map((c) => [c.Column, c]));
    assert.equal(by.get('LikeCount')!.Graph, 'like_count');
    assert.equal(by.get('Caption')!.Graph, 'caption');
    for (const c of media) assert.ok(c.Graph, `${c.Column} says where it comes from`);
    const insights = await columns('AccountInsights');
    assert.match(insights.find((c) => c.Column === 'EndTime')!.Graph ?? '', /values\[\]\.end_time/);
  });

  test('a column no Graph field holds says where it comes from, in parentheses', async () => {
    const audience = await columns('AudienceInsights');
    const timeframe = audience.find((c) => c.Column === 'Timeframe')!;
    assert.match(timeframe.Graph ?? '', /^\(.*timeframe.*\)$/);
  });

  test('the table format has the Graph column between Key and Description', async () => {
    const r = await igsql(['columns', 'Media', '--sandbox']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout.split('\n')[0]!, /^Column\s+\| Type\s+\| Key\s+\| Graph\s+\| Description$/);
    assert.match(r.stdout, /^LikeCount\s+\| Integer\s+\|\s+\| like_count\s+\| /m);
  });

  test('a misspelled table names the command to list them, not a position in SQL the user never wrote', async () => {
    const r = await igsql(['columns', 'Meda', '--sandbox']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, "igsql: UNKNOWN_TABLE: Unknown table 'Meda'. Did you mean 'Media'? `igsql tables` lists them all.\n");
    const none = await igsql(['columns', 'Xyzzy', '--sandbox']);
    assert.equal(none.code, 1);
    assert.equal(none.stderr, "igsql: UNKNOWN_TABLE: Unknown table 'Xyzzy'. `igsql tables` lists them all.\n");
  });

  test('a system table\'s columns have an empty Graph cell (no Graph call reads them)', async () => {
    const sys = await columns('sys_connection_props');
    assert.ok(sys.length > 0);
    for (const c of sys) assert.equal(c.Graph, '', c.Column);
  });

  test('table names are matched as SQL matches them (any case)', async () => {
    const lower = await columns('media');
    assert.deepEqual(lower.map((c) => c.Column), (await columns('Media')).map((c) => c.Column));
  });
});

describe('igsql procedures', () => {
  test('lists every procedure with its parameters as EXEC takes them and what it returns, as sys_procedureparameters says', async () => {
    const r = await igsql(['procedures', '--sandbox', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const procs = JSON.parse(r.stdout) as Array<{ Name: string; Parameters: string; Returns: string }>;
    const q = await igsql(['query', 'SELECT ProcedureName, ColumnName, Direction, IsRequired FROM sys_procedureparameters', '--sandbox', '--format', 'json']);
    assert.equal(q.code, 0, q.stderr);
    const params = JSON.parse(q.stdout) as Array<{ ProcedureName: string; ColumnName: string; Direction: string; IsRequired: boolean }>;
    assert.ok(procs.length >= 4 && params.length > procs.length);
    for (const p of procs) {
      const mine = params.filter((x) => x.ProcedureName === p.Name);
      const ins = mine.filter((x) => x.Direction === 'IN').map((x) => `@${x.ColumnName}${x.IsRequired ? ' (required)' : ''}`);
      assert.deepEqual(p.Parameters.split(', ').filter(Boolean), ins, p.Name);
      assert.deepEqual(p.Returns.split(', ').filter(Boolean), mine.filter((x) => x.Direction === 'OUT').map((x) => x.ColumnName), p.Name);
    }
    assert.match(procs.find((p) => p.Name === 'GetOAuthAccessToken')!.Parameters, /@Verifier \(required\)/);
  });
});

describe('igsql properties', () => {
  test('--format json lists the same properties as sys_connection_props, with their defaults', async () => {
    const r = await igsql(['properties', '--format', 'json']);
    assert.equal(r.code, 0, r.stderr);
    const props = JSON.parse(r.stdout) as Array<{ Name: string; Default: string | null; Description: string }>;
    const q = await igsql(['query', 'SELECT Name, "Default" AS D FROM sys_connection_props', '--sandbox', '--format', 'json']);
    assert.equal(q.code, 0, q.stderr);
    const sys = JSON.parse(q.stdout) as Array<{ Name: string; D: string | null }>;
    assert.deepEqual(props.map((p) => [p.Name, p.Default]), sys.map((p) => [p.Name, p.D]));
    for (const p of props) assert.ok(p.Description.length > 0, p.Name);
  });

  test('the table format keeps each description whole (one line a property)', async () => {
    const r = await igsql(['properties']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse((await igsql(['properties', '--format', 'json'])).stdout) as Array<{ Name: string; Description: string }>;
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, json.length);
    json.forEach((p, i) => { assert.ok(lines[i]!.startsWith(p.Name) && lines[i]!.endsWith(p.Description), p.Name); });
  });
});

describe('igsql tables / procedures --format', () => {
  test('an unknown --format is a usage error (exit 2), not CSV', async () => {
    for (const cmd of [['tables'], ['procedures'], ['columns', 'Media'], ['properties']]) {
      const r = await igsql([...cmd, '--sandbox', '--format', 'xml']);
      assert.equal(r.code, 2, cmd.join(' '));
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^igsql: --format must be one of table, json, ndjson, csv \(got 'xml'\)/);
    }
  });

  test('the usage text shows --sandbox and --format for tables, columns and procedures', async () => {
    const r = await igsql(['--help']);
    assert.equal(r.code, 0);
    for (const cmd of ['tables', 'columns <table>', 'procedures']) {
      const line = r.stdout.split('\n').find((l) => l.trim().startsWith(`igsql ${cmd} `));
      assert.ok(line, cmd);
      assert.match(line, /--sandbox/);
      assert.match(line, /--format/);
    }
  });
});

test('igsql --version (and -v) prints the package version, exit 0', async () => {
  const { version } = JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string };
  for (const flag of ['--version', '-v']) {
    const r = await igsql([flag]);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, `${version}\n`, ''], flag);
  }
});
