/** The CLI says on stderr why a query waits (issue 12): a retry after a transient error, with its cause. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import got from 'got';
import { startSandbox, type Sandbox } from '../../src/sandbox';

const BIN = join(process.cwd(), 'bin', 'igsql');
let sb: Sandbox;
before(async () => { sb = await startSandbox({ port: 0, media: 10 }); });
after(() => sb.close());

test('igsql query prints the retry it waits for on stderr and the rows on stdout, exit 0', async () => {
  await got.post(`${sb.url}/__sandbox/faults`, { json: { method: 'GET', path: '/media$', times: 1, kind: 'error', status: 502, code: 2 } });
  const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(BIN, ['query', 'SELECT Id FROM Media LIMIT 2', '--connection', `OAuthAccessToken=sandbox;ApiBaseURL=${sb.url}`, '--format', 'ndjson'], { env: { ...process.env, IGSQL_CONNECTION: '' } }, (error, stdout, stderr) => {
      resolve({ code: error ? 1 : 0, stdout, stderr });
    });
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 2);
  assert.match(r.stderr, /^igsql: Retrying .* after HTTP 502 \(retry 1\)\.$/m);
});

test("igsql warns on stderr when SSLServerCert=* trusts any certificate", async () => {
  const r = await new Promise<{ code: number; stderr: string }>((resolve) => {
    execFile(BIN, ['query', 'SELECT 1 AS one', '--connection', `OAuthAccessToken=sandbox;ApiBaseURL=${sb.url};SSLServerCert=*`], { env: { ...process.env, IGSQL_CONNECTION: '' } }, (error, _stdout, stderr) => {
      resolve({ code: error ? 1 : 0, stderr });
    });
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^igsql: warning: SSLServerCert=\* accepts any certificate/m);
});
