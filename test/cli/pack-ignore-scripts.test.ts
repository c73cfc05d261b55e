// A user whose npm config has `ignore-scripts=true` runs the README's `npm pack && npm install -g …`: npm skips
// prepack (which builds dist/cli.js) and still writes a tarball. The installed igsql must say what happened and
// what to run, not tell an installed user to build "the igsql checkout".
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = process.cwd();
let tmp: string;

function run(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(cmd, args, { cwd: opts.cwd, env: { ...process.env, IGSQL_CONNECTION: '', ...opts.env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

before(() => { tmp = mkdtempSync(join(tmpdir(), 'igsql-noscripts-')); });
after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

test('a tarball packed with ignore-scripts (no bundle) says to pack with --ignore-scripts=false', { timeout: 120_000 }, async () => {
  // What npm packs from a checkout without dist/: the package's own files (no build runs with ignore-scripts).
  const src = join(tmp, 'src');
  for (const f of ['package.json', '.npmignore', 'bin/igsql', 'README.md', 'CHANGELOG.md']) cpSync(join(ROOT, f), join(src, f));
  const env = { npm_config_ignore_scripts: 'true' };
  const pack = await run('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: src, env });
  assert.equal(pack.code, 0, pack.stderr);
  const [packed] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('['))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  assert.ok(!packed!.files.some((f) => f.path === 'dist/cli.js'), 'npm packed without running prepack');
  const prefix = join(tmp, 'prefix');
  const install = await run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(tmp, packed!.filename)], { env });
  assert.equal(install.code, 0, install.stderr);
  const r = await run(join(prefix, 'bin', 'igsql'), ['tables', '--sandbox'], { cwd: tmp });
  assert.equal(r.code, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^igsql: this package has no dist\/cli\.js: it was packed without running prepack \(npm's ignore-scripts setting\)\. In the igsql checkout run `npm pack --ignore-scripts=false`/);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
