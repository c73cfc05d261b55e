// `igsql sandbox` options (and SQL read as an option) as a user mistypes them: through bin/igsql, each a usage
// error or a one-line fix, never an INTERNAL error asking to be reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

const BIN = join(process.cwd(), 'bin', 'igsql');

function igsql(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // A sandbox that starts runs until killed: the timeout turns that into a failure instead of a hang.
    execFile(BIN, args, { env: { ...process.env, IGSQL_CONNECTION: '' }, timeout: 20_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

test('out-of-range sandbox options are usage errors (exit 2) naming the range', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['--port', '99999'], /^igsql: --port needs a whole number from 0 to 65535 \(got '99999'\)/],
    [['--port', '80.5'], /^igsql: --port needs a whole number from 0 to 65535/],
    [['--fail-rate', '1.5'], /^igsql: --fail-rate needs a number from 0 to 1 \(got '1\.5'\)/],
    [['--media=-1'], /^igsql: --media needs a whole number of at least 0 \(got '-1'\)/],
    [['--accounts', '0'], /^igsql: --accounts needs a whole number of at least 1/],
    [['--latency', 'slow'], /^igsql: --latency needs a number of at least 0 \(got 'slow'\)/],
  ];
  for (const [args, re] of cases) {
    const r = await igsql(['sandbox', ...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re);
    assert.equal(r.stdout, '');
  }
});

test('a port already in use says so and how to pick another (exit 1), not INTERNAL', async () => {
  const server = createServer();
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  try {
    const r = await igsql(['sandbox', '--port', String(port)]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr, `igsql: INVALID_VALUE: Port ${port} is already in use: pass another --port, or --port 0 for a free one.\n`);
  } finally {
    server.close();
  }
});

test('SQL that starts with a -- comment says to put it after --, and runs there', async () => {
  const sql = '-- the newest post\nSELECT Id FROM Media ORDER BY Timestamp DESC LIMIT 1';
  const r = await igsql(['query', sql, '--sandbox']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^igsql: the SQL starts with '-' \(a comment\?\), so it reads as an option: put it after --/);
  const ok = await igsql(['query', '--sandbox', '--format', 'json', '--', sql]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal((JSON.parse(ok.stdout) as unknown[]).length, 1);
});

test('a mistyped option is named, without Node\'s advice to move it after -- (that would append it to the SQL)', async () => {
  const r = await igsql(['query', 'SELECT 1', '--sandbox', '--formt', 'json']);
  assert.equal(r.code, 2);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^igsql: unknown option '--formt'\.\n\nUsage:\n/);
  assert.doesNotMatch(r.stderr, /after '--'/);
});
