// `igsql login | whoami | logout` through the package's bin, against the sandbox: the loopback flow (https
// with a certificate made at run time, and http), the --no-browser paste flow, then `igsql query` with no token
// on the command line; the token file has mode 0600 and no output ever shows the token.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSandbox, type Sandbox } from '../../src/sandbox';
import { consent } from '../consent';

const BIN = join(process.cwd(), 'bin', 'igsql');
const FAKE_BROWSER = join(process.cwd(), 'test', 'cli', 'fake-browser.mjs');

interface Run { code: number; stdout: string; stderr: string }

function igsql(args: string[], env: NodeJS.ProcessEnv = {}, onStderr?: (text: string, write: (s: string) => void) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, IGSQL_CONNECTION: '', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      onStderr?.(stderr, (s) => child.stdin.write(s));
    });
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe('igsql login / whoami / logout', () => {
  let sb: Sandbox;
  let dir: string;
  before(async () => {
    sb = await startSandbox({ port: 0, media: 10 });
    dir = mkdtempSync(join(tmpdir(), 'igsql-login-'));
  });
  after(() => sb.close());

  const app = (file: string, extra = '') => `OAuthClientId=3333444455556666;OAuthClientSecret=cli-secret;ApiBaseURL=${sb.url};OAuthSettingsLocation=${join(dir, file)}${extra}`;

  test('loopback on https://localhost (certificate made at run time), then query with no token, whoami, logout', async () => {
    const port = await freePort();
    const conn = app('a.json', `;CallbackURL=https://localhost:${port}/;InitiateOAuth=GETANDREFRESH`);
    const login = await igsql(['login', '--connection', conn], { BROWSER: `${process.execPath} ${FAKE_BROWSER}` });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /Login: +Facebook Login for Business/);
    const first = Object.keys(sb.summary().accounts)[0]!;
    assert.match(login.stdout, new RegExp(`Accounts: .*\\(${first}\\)`));
    const file = join(dir, 'a.json');
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const stored = JSON.parse(readFileSync(file, 'utf8')) as { version: number; tokens: Record<string, string> };
    assert.equal(stored.version, 1);
    const token = (JSON.parse(Object.values(stored.tokens)[0]!) as { accessToken: string }).accessToken;
    assert.ok(token.length > 20);

    const q = await igsql(['query', 'SELECT Id FROM Media LIMIT 2', '--connection', conn, '--format', 'json']);
    assert.equal(q.code, 0, q.stderr);
    assert.equal((JSON.parse(q.stdout) as unknown[]).length, 2);

    const who = await igsql(['whoami', '--connection', conn]);
    assert.equal(who.code, 0, who.stderr);
    assert.match(who.stdout, /Scopes: +.*instagram_basic/);
    assert.match(who.stdout, /Expires: +\d{4}-/);
    for (const r of [login, q, who]) assert.ok(!r.stdout.includes(token) && !r.stderr.includes(token), 'the token is never printed');

    const out = await igsql(['logout', '--connection', conn]);
    assert.equal(out.code, 0);
    assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).tokens, {});
    const after = await igsql(['whoami', '--connection', conn]);
    assert.equal(after.code, 1);
    assert.match(after.stderr, /Not signed in/);
  });

  test('--no-browser prints the dialog address and reads the pasted redirect (Business Login for Instagram)', async () => {
    const conn = `LoginFlavour=INSTAGRAM;OAuthClientId=7777;OAuthClientSecret=ig-cli-secret;ApiBaseURL=${sb.url}/instagram;OAuthSettingsLocation=${join(dir, 'b.json')};CallbackURL=https://example.com/igsql/`;
    let pasted = false;
    const login = await igsql(['login', '--no-browser', '--connection', conn], {}, (text, write) => {
      const m = /\n {2}(http\S+)\n/.exec(text);
      if (m && !pasted) {
        pasted = true;
        void consent(m[1]!, 'allow-0').then((redirected) => write(`${redirected}\n`));
      }
    });
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stdout, /Login: +Business Login for Instagram/);
    assert.equal(statSync(join(dir, 'b.json')).mode & 0o777, 0o600);
    const q = await igsql(['query', 'SELECT Username FROM InstagramBusinessProfile', '--connection', `${conn};InitiateOAuth=REFRESH`, '--format', 'json']);
    assert.equal(q.code, 0, q.stderr);
    const first = Object.values(sb.summary().accounts)[0]!;
    assert.deepEqual(JSON.parse(q.stdout), [{ Username: first.username }]);
  });

  test('a pasted redirect of another sign-in is refused; login without the app secret says what is missing', async () => {
    const conn = app('c.json', ';CallbackURL=https://example.com/cb');
    const r = await igsql(['login', '--no-browser', '--connection', conn], {}, (text, write) => {
      if (/Redirected address: $/.test(text)) write('https://example.com/cb?code=abc&state=forged\n');
    });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /AUTH_REQUIRED: The redirect does not answer a sign-in started here/);
    const noSecret = await igsql(['login', '--connection', `OAuthClientId=1;ApiBaseURL=${sb.url}`]);
    assert.equal(noSecret.code, 1);
    assert.match(noSecret.stderr, /INVALID_PROPERTY: .*App Secret/);
  });

  test('plain http loopback (apps in development mode)', async () => {
    const port = await freePort();
    const conn = app('d.json', `;CallbackURL=http://127.0.0.1:${port}/callback`);
    const login = await igsql(['login', '--connection', conn], { BROWSER: `${process.execPath} ${FAKE_BROWSER}` });
    assert.equal(login.code, 0, login.stderr);
    const q = await igsql(['query', 'SELECT COUNT(*) AS N FROM Media', '--connection', conn, '--format', 'json']);
    assert.equal(q.code, 0, q.stderr);
    assert.ok((JSON.parse(q.stdout) as Array<{ N: number }>)[0]!.N > 0);
  });
});
