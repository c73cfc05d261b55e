// The CLI as a user installs it: `npm pack` (prepack builds the bundle), `npm install -g` of the tarball into a
// fresh prefix, then the installed `igsql` against the built-in sandbox. Packs a copy of the checkout (tracked
// and untracked-but-not-ignored files, as a clean clone has them) so its production build never rewrites the
// dist/ that the other CLI tests run at the same time.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const ROOT = process.cwd();

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: opts.cwd, env: { ...process.env, IGSQL_CONNECTION: '', ...opts.env }, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('igsql installed from the npm tarball', { timeout: 180_000 }, () => {
  let tmp: string;
  let bin: string;
  let packed: { filename: string; files: Array<{ path: string }> };

  before(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'igsql-pack-'));
    const src = join(tmp, 'src');
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0').filter(Boolean);
    for (const f of files) {
      if (f === 'node_modules') continue; // a symlink in worktrees; linked below
      mkdirSync(dirname(join(src, f)), { recursive: true });
      try { cpSync(join(ROOT, f), join(src, f)); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; } // deleted, not yet committed
    }
    symlinkSync(realpathSync(join(ROOT, 'node_modules')), join(src, 'node_modules'), 'dir');
    const pack = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: src });
    assert.equal(pack.code, 0, pack.stderr);
    const json = pack.stdout.slice(pack.stdout.indexOf('[')); // prepack's build may print before the JSON
    packed = (JSON.parse(json) as Array<typeof packed>)[0]!;
    const tarball = join(tmp, packed.filename);
    const prefix = join(tmp, 'prefix');
    // As a user with `yes=false` in their npm config would install it.
    const install = await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarball], { env: { npm_config_yes: 'false' } });
    assert.equal(install.code, 0, install.stderr);
    bin = join(prefix, 'bin', 'igsql');
  });
  // (The installed bin's code cache, bin/igsql, goes with the test's other files: IGSQL_COMPILE_CACHE below.)

  after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

  test('the package ships the bin, the CLI bundle, the certificate maker and the SQLite wasm, nothing else', () => {
    assert.deepEqual(packed.files.map((f) => f.path).sort(), [
      'CHANGELOG.md', 'README.md', 'bin/igsql', 'dist/cli.js', 'dist/selfsigned.js', 'dist/wa-sqlite-async.wasm', 'dist/wa-sqlite.wasm', 'package.json',
    ]);
  });

  test('the installed igsql lists the tables and runs a query on the sandbox', async () => {
    const tables = await run(bin, ['tables', '--sandbox', '--format', 'json'], { cwd: tmp, env: { IGSQL_COMPILE_CACHE: join(tmp, 'compile-cache') } });
    assert.equal(tables.code, 0, tables.stderr);
    const names = (JSON.parse(tables.stdout) as Array<{ Name: string }>).map((t) => t.Name);
    for (const n of ['Media', 'Comments', 'InstagramBusinessProfile']) assert.ok(names.includes(n), n);

    const q = await run(bin, ['query', 'SELECT count(*) AS N, count(DISTINCT Id) AS Ids FROM Media', '--sandbox', '--format', 'json'], { cwd: tmp, env: { IGSQL_COMPILE_CACHE: join(tmp, 'compile-cache') } });
    assert.equal(q.code, 0, q.stderr);
    const [row] = JSON.parse(q.stdout) as Array<{ N: number; Ids: number }>;
    assert.ok(row!.N > 0);
    assert.equal(row!.Ids, row!.N);
  });

  test('the installed igsql exits with the query error code', async () => {
    const r = await run(bin, ['query', 'SELECT * FROM Medias', '--sandbox'], { cwd: tmp, env: { IGSQL_COMPILE_CACHE: join(tmp, 'compile-cache') } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^igsql: UNKNOWN_TABLE: .*Did you mean 'Media'/);
  });
});
