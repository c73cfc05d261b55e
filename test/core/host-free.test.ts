import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const VSCODE_IMPORT = /(?:from\s+['"]vscode['"]|require\(\s*['"]vscode['"]\s*\)|import\(\s*['"]vscode['"]\s*\))/;

test('no file under src/core or src/language imports vscode', () => {
  const dirs = ['src/core', 'src/language'].filter((d) => { try { return statSync(d).isDirectory(); } catch { return false; } });
  const all = dirs.flatMap(files);
  assert.ok(all.length > 10, `expected the core's sources, found ${all.length}`);
  const offenders = all.filter((f) => VSCODE_IMPORT.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

test('no file under src/language imports monaco (the console and the native editor share it)', () => {
  const all = files('src/language');
  assert.ok(all.length >= 5, `expected the language service's sources, found ${all.length}`);
  const offenders = all.filter((f) => /(?:from\s+['"]monaco|require\(\s*['"]monaco|import\(\s*['"]monaco)/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});

test('the vscode-import check recognises every import form', () => {
  for (const s of ["import * as vscode from 'vscode';", 'const v = require("vscode")', "await import('vscode')"]) assert.match(s, VSCODE_IMPORT);
  assert.doesNotMatch("import { URI } from 'vscode-uri';", VSCODE_IMPORT);
});

test('the sandbox imports nothing from the core (it is an independent oracle)', () => {
  const offenders = files('src/sandbox').filter((f) => /from\s+['"][./]*\/core/.test(readFileSync(f, 'utf8')));
  assert.deepEqual(offenders, []);
});
