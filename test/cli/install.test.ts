// The code-server install that `npm start` and CI run (test/e2e/install.sh) goes through isolated_npm_install.
// These tests run that function on small local packages shaped like code-server's problem: a postinstall that
// runs `npx` for a package that is not installed (node-pty's `npx node-gyp`). Offline: the npx package is a
// local directory. The real code-server install runs under npm_config_yes=false in CI (.ci/run).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SCRIPT = join(process.cwd(), 'test', 'e2e', 'isolated-npm-install.sh');
let tmp: string;

function sh(script: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', script, 'bash', ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A package tarball (npm's layout: package/…) whose postinstall runs `script`. */
function tarball(name: string, postinstall: string): Promise<string> {
  const dir = join(tmp, `${name}-src`, 'package');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', scripts: { postinstall } }));
  const out = join(tmp, `${name}.tgz`);
  return sh('tar czf "$1" -C "$2" package', [out, join(tmp, `${name}-src`)], {}).then((r) => {
    assert.equal(r.code, 0, r.stderr);
    return out;
  });
}

/** A fresh npm home and cache per call: npx must not find the tool from an earlier run. */
function npmEnv(label: string): NodeJS.ProcessEnv {
  const home = join(tmp, `home-${label}`);
  mkdirSync(home, { recursive: true });
  return { HOME: home, npm_config_cache: join(home, '.npm'), npm_config_yes: 'false', npm_config_update_notifier: 'false' };
}

let nested: string;

before(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'igsql-install-'));
  const tool = join(tmp, 'tool');
  mkdirSync(join(tool, 'bin'), { recursive: true });
  writeFileSync(join(tool, 'package.json'), JSON.stringify({ name: 'nested-tool', version: '1.0.0', bin: { 'nested-tool': 'bin/tool.js' } }));
  writeFileSync(join(tool, 'bin', 'tool.js'), '#!/usr/bin/env node\nconsole.log("nested tool ran");\n', { mode: 0o755 });
  nested = await tarball('needs-npx', `npx --package=file:${tool} nested-tool > ran.txt`);
});

after(() => { if (tmp) rmSync(tmp, { recursive: true, force: true }); });

test('with npm_config_yes=false a plain npm install of a postinstall that runs npx fails (the control)', async () => {
  const prefix = join(tmp, 'plain');
  const r = await sh('npm install --prefix "$1" --no-audit --no-fund "$2"', [prefix, nested], npmEnv('plain'));
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /npx canceled due to missing packages and no YES option/);
});

test('isolated_npm_install installs it with npm_config_yes=false, output in the log', async () => {
  const prefix = join(tmp, 'isolated');
  const log = join(tmp, 'logs', 'isolated.log');
  const r = await sh(`. "${SCRIPT}"; isolated_npm_install "$1" "$2" "$3"`, [prefix, nested, log], npmEnv('isolated'));
  assert.equal(r.code, 0, r.stderr + readFileSync(log, 'utf8'));
  assert.equal(readFileSync(join(prefix, 'node_modules', 'needs-npx', 'ran.txt'), 'utf8'), 'nested tool ran\n');
  assert.equal(r.stderr, '');
});

test('a failed install prints three short lines (what failed, why, what to do) and keeps the full log', async () => {
  // Like node-pty's failure: an error object with Buffers, printed as kilobytes of byte values.
  const failing = await tarball('fails', `node -e "const e = new Error('Command failed: npx node-gyp configure'); e.stderr = Buffer.alloc(4000, 65); console.error(e); console.error('npm error npx canceled due to missing packages and no YES option: [\\"node-gyp@12.4.0\\"]'); process.exit(1)"`);
  const prefix = join(tmp, 'failing');
  const log = join(tmp, 'logs', 'failing.log');
  const r = await sh(`. "${SCRIPT}"; isolated_npm_install "$1" "$2" "$3"`, [prefix, failing, log], npmEnv('failing'));
  assert.notEqual(r.code, 0);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 3, r.stderr);
  assert.ok(r.stderr.length < 800, `short: ${r.stderr.length} chars`);
  assert.match(lines[0]!, /^Installing .*fails\.tgz failed \(npm exit \d+\): npx canceled due to missing packages/);
  assert.equal(lines[1], `  Full log: ${log}`);
  assert.match(lines[2]!, /What to do: .*run the command again/);
  assert.doesNotMatch(r.stderr, /Buffer|41 41/);
  assert.ok(existsSync(log) && readFileSync(log, 'utf8').includes('<Buffer 41 41 41'), 'the log keeps the whole output');
});

test('an unreachable registry is named in the one-line cause', async () => {
  const prefix = join(tmp, 'offline');
  const log = join(tmp, 'logs', 'offline.log');
  const env = { ...npmEnv('offline'), npm_config_registry: 'http://127.0.0.1:9/', npm_config_fetch_retries: '0' };
  const r = await sh(`. "${SCRIPT}"; isolated_npm_install "$1" "$2" "$3"`, [prefix, 'code-server@4.100.3', log], env);
  assert.notEqual(r.code, 0);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 3, r.stderr);
  assert.match(lines[0]!, /^Installing code-server@4\.100\.3 failed \(npm exit \d+\): FetchError: request to http:\/\/127\.0\.0\.1:9\/code-server failed, reason: connect ECONNREFUSED/);
});
