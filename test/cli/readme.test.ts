// The README's command-line section, run verbatim: every `./bin/igsql … --sandbox` line of its first `sh` block
// goes through bash from the repository root, as a user pastes it, and the `--stats` keys it documents are the
// ones the CLI prints. When the CLI changes and the README does not, this fails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = process.cwd();
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

function bash(line: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-c', line], { cwd: ROOT, env: { ...process.env, IGSQL_CONNECTION: '' }, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function commandLineSection(): string {
  const start = README.indexOf('\n## Command line');
  assert.ok(start >= 0, 'README has a "Command line" section');
  const end = README.indexOf('\n## ', start + 1);
  return README.slice(start, end < 0 ? undefined : end);
}

test('every ./bin/igsql … --sandbox line of the README runs and prints rows (exit 0)', async () => {
  const section = commandLineSection();
  const block = /```sh\n([\s\S]*?)```/.exec(section)![1]!;
  const lines = block.split('\n').filter((l) => l.startsWith('./bin/igsql') && l.includes('--sandbox'));
  // The commands in comments (`igsql columns Media --sandbox`) are run too, through the checkout's bin.
  for (const m of block.matchAll(/`igsql ([^`]*--sandbox[^`]*)`/g)) lines.push(`./bin/igsql ${m[1]}`);
  assert.ok(lines.length >= 3, `found ${lines.length} lines`);
  for (const line of lines) {
    const r = await bash(line);
    assert.equal(r.code, 0, `${line}\n${r.stderr}`);
    assert.match(r.stdout, /\(\d+ rows?\)\n$/, line);
  }
});

test('--stats prints exactly the keys the README documents', async () => {
  const documented = /`--stats` prints `(\{[^`]*\})`/.exec(commandLineSection());
  assert.ok(documented, 'the README documents --stats');
  const keys = [...documented[1]!.matchAll(/"(\w+)":/g)].map((m) => m[1]!);
  const r = await bash(`./bin/igsql query "SELECT Id FROM Media LIMIT 2" --sandbox --stats --format json`);
  assert.equal(r.code, 0, r.stderr);
  const stats = JSON.parse(r.stderr.trim().split('\n').pop()!) as Record<string, unknown>;
  for (const k of keys) assert.ok(k in stats, `documented key ${k} is printed`);
  // A key printed only sometimes ("build") is documented where it is said, as `"key":…`.
  for (const k of Object.keys(stats)) assert.ok(keys.includes(k) || README.includes(`"${k}":`), `printed key ${k} is documented`);
  const sorted = await bash(`./bin/igsql query "SELECT MediaType, count(*) FROM Media GROUP BY MediaType" --sandbox --stats --format json`);
  assert.equal(sorted.code, 0, sorted.stderr);
  const more = JSON.parse(sorted.stderr.trim().split('\n').pop()!) as Record<string, unknown>;
  for (const k of Object.keys(more)) assert.ok(keys.includes(k) || README.includes(`"${k}":`), `printed key ${k} is documented`);
});
