/**
 * The CLI as users install it, for timing its cold start (bench scenario 5): `npm pack` of a copy of the
 * checkout (its prepack makes the production bundle; the copy keeps it from rewriting this checkout's dist/),
 * then `npm install -g` of the tarball into a temporary prefix. The same steps as test/cli/pack.test.ts.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Installed { bin: string; dispose(): void }

export function installPackedCli(root: string): Installed {
  const tmp = mkdtempSync(join(tmpdir(), 'igsql-bench-'));
  const src = join(tmp, 'src');
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (f === 'node_modules') continue;
    mkdirSync(dirname(join(src, f)), { recursive: true });
    try { cpSync(join(root, f), join(src, f)); } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e; }
  }
  symlinkSync(realpathSync(join(root, 'node_modules')), join(src, 'node_modules'), 'dir');
  const out = execFileSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: src, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const [{ filename }] = JSON.parse(out.slice(out.indexOf('['))) as Array<{ filename: string }>;
  const prefix = join(tmp, 'prefix');
  execFileSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(tmp, filename!)], { stdio: 'ignore', env: { ...process.env, npm_config_yes: 'false' } });
  return { bin: join(prefix, 'bin', 'igsql'), dispose: () => rmSync(tmp, { recursive: true, force: true }) };
}
