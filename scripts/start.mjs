#!/usr/bin/env node
// `npm start`: builds the extension and opens it in a real VS Code in the browser (code-server, installed on
// first use into test/e2e/.code-server by test/e2e/install.sh), with the built-in Sample account. Prints the URL.
// State (settings, the workspace with sample queries) lives in the git-ignored .e2e/start folder and survives
// restarts. PORT and HOST choose where it listens (default 127.0.0.1:8080, or a free port if 8080 is taken).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CODE_SERVER = path.join(ROOT, 'test/e2e/.code-server/node_modules/.bin/code-server');
const STATE = path.join(ROOT, '.e2e/start');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function portFree(port, host) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

async function choosePort(host) {
  if (process.env.PORT) return Number(process.env.PORT);
  if (await portFree(8080, host)) return 8080;
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, host, () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

run(process.execPath, ['build.mjs']);
if (!existsSync(CODE_SERVER)) {
  console.log('First run: installing code-server (a few minutes: it builds native modules; npm output goes to test/e2e/.code-server/install.log)…');
  run('bash', ['test/e2e/install.sh']);
}

const dirs = Object.fromEntries(['user-data/User', 'extensions', 'workspace', 'home'].map((d) => [d, path.join(STATE, d)]));
for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
const link = path.join(dirs.extensions, `${pkg.publisher}.${pkg.name}-${pkg.version}`);
rmSync(link, { force: true, recursive: false });
symlinkSync(ROOT, link, 'dir');
const settings = path.join(dirs['user-data/User'], 'settings.json');
if (!existsSync(settings)) {
  writeFileSync(settings, JSON.stringify({
    'workbench.startupEditor': 'none',
    'security.workspace.trust.enabled': false,
    'update.mode': 'none',
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
  }, null, 2));
}
const sample = path.join(dirs.workspace, 'sample.igsql');
if (!existsSync(sample)) {
  writeFileSync(sample, [
    '-- Queries on the built-in Sample account. Put the cursor in a statement and press Ctrl+Enter (Cmd+Enter).',
    'SELECT Caption, LikeCount FROM Media ORDER BY LikeCount DESC LIMIT 5;',
    '',
    'SELECT MediaType, COUNT(*) AS Posts, AVG(LikeCount) AS AvgLikes FROM Media GROUP BY MediaType;',
    '',
    'SELECT Username, Text, Created FROM Comments WHERE MediaId IN (SELECT Id FROM Media ORDER BY CommentsCount DESC LIMIT 3);',
    '',
  ].join('\n'));
}

const host = process.env.HOST || '127.0.0.1';
const port = await choosePort(host);
const home = dirs.home;
const cs = spawn(CODE_SERVER, [
  '--bind-addr', `${host}:${port}`, '--auth', 'none',
  '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
  '--config', path.join(STATE, 'code-server.yaml'),
  '--user-data-dir', path.join(STATE, 'user-data'),
  '--extensions-dir', dirs.extensions,
  dirs.workspace,
], {
  detached: true,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share'), XDG_CACHE_HOME: path.join(home, '.cache') },
});
const stop = () => { try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* already gone */ } };
process.on('SIGINT', () => { stop(); process.exit(0); });
process.on('SIGTERM', () => { stop(); process.exit(0); });
cs.on('exit', (code) => { console.log(`code-server exited (${code ?? 'signal'})`); process.exit(code ?? 0); });

const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}/?folder=${encodeURIComponent(dirs.workspace)}`;
for (let i = 0; i < 300; i++) {
  try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break; } catch { /* starting */ }
  await new Promise((r) => setTimeout(r, 100));
}
console.log(`\nInstagram SQL is running in VS Code: ${url}`);
console.log('Open the Instagram SQL icon in the activity bar; sample.igsql has queries to run with Ctrl+Enter. Ctrl+C stops.');
