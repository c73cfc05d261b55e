// One build for every target: esbuild bundles the extension, the CLI and (with --tests) each test file.
// Bundling is required, not a convenience: got is ESM-only and dt-sql-parser uses directory imports that
// plain Node cannot load (DESIGN §9). Output is CommonJS, the extension host's format.
import * as esbuild from 'esbuild';
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const args = new Set(process.argv.slice(2));
const production = args.has('--production');

// wa-sqlite's loader evaluates `new URL(…, import.meta.url)`; in a CommonJS bundle import.meta is empty and
// the loader throws "Invalid URL". Define it from __filename (verified fix, DESIGN §9).
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  external: ['vscode'],
  define: { 'import.meta.url': '__igsqlImportMetaUrl' },
  banner: { js: "const __igsqlImportMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
};

function walk(dir, pred, out = []) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'node_modules' || name.startsWith('.')) continue;
    if (statSync(p).isDirectory()) walk(p, pred, out);
    else if (pred(p)) out.push(p);
  }
  return out;
}

// Both SQLite builds ship beside the bundle: the asyncify one, and the synchronous one that read-only statements
// over rows already in memory run in (src/core/engine/sqlite.ts, loaded only when first used).
mkdirSync('dist', { recursive: true });
for (const file of ['wa-sqlite-async.wasm', 'wa-sqlite.wasm']) cpSync(require.resolve(`wa-sqlite/dist/${file}`), `dist/${file}`);

const entries = [{ in: 'src/cli/main.ts', out: 'cli' }];
try { statSync('src/extension/extension.ts'); entries.push({ in: 'src/extension/extension.ts', out: 'extension' }); } catch {}
// selfsigned (an X.509 stack: 40% of the CLI bundle) is needed only when a sign-in listens on https
// (core/auth/loopback.ts imports it then): it gets its own file beside the bundles, so that starting the CLI or
// the extension does not read and compile it (issue 11: ~10–20 ms of every cold start).
const ownFiles = {
  name: 'own-files',
  setup(b) { b.onResolve({ filter: /^selfsigned$/ }, () => ({ path: './selfsigned.js', external: true })); },
};
await Promise.all([
  esbuild.build({ ...common, entryPoints: entries, outdir: 'dist', plugins: [ownFiles] }),
  esbuild.build({ ...common, entryPoints: [{ in: 'selfsigned', out: 'selfsigned' }], outdir: 'dist' }),
]);

// The query console's webview (browser): Monaco + monaco-sql-languages bundled locally, no CDN (DESIGN §9).
// Slow (~10 s: Monaco is large), so test and bench builds skip it unless it is missing.
let consoleBuilt = false;
try { statSync('dist/console/console.js'); consoleBuilt = true; } catch {}
if (!(args.has('--tests') || args.has('--bench')) || !consoleBuilt) {
  const browser = { bundle: true, platform: 'browser', format: 'iife', target: 'es2022', minify: true, logLevel: 'error', sourcemap: false };
  await esbuild.build({
    ...browser,
    entryPoints: { console: 'src/webview/console/main.ts' },
    outdir: 'dist/console',
    loader: { '.ttf': 'file' },
  });
  await esbuild.build({ ...browser, entryPoints: { 'editor.worker': 'monaco-editor/esm/vs/editor/editor.worker.js' }, outdir: 'dist/console' });
}

// The browser side (src/webview): the results page (a classic script under the page's CSP) and the notebook
// renderer (an ES module VS Code imports). CSS is bundled as text; the results page gets it as a file.
const browser = { bundle: true, platform: 'browser', target: 'chrome120', sourcemap: production ? false : 'linked', minify: production, logLevel: 'warning', loader: { '.css': 'text' } };
mkdirSync('dist/webview', { recursive: true });
await Promise.all([
  esbuild.build({ ...browser, format: 'iife', entryPoints: { results: 'src/webview/results/main.ts' }, outdir: 'dist/webview' }),
  esbuild.build({ ...browser, format: 'esm', entryPoints: { renderer: 'src/webview/renderer/index.ts' }, outdir: 'dist/webview' }),
]);
writeFileSync('dist/webview/results.css', [require.resolve('uplot/dist/uPlot.min.css'), 'src/webview/grid/grid.css', 'media/results.css'].map((f) => readFileSync(f, 'utf8')).join('\n'));

if (args.has('--tests')) {
  rmSync('out', { recursive: true, force: true });
  const tests = walk('test', (p) => p.endsWith('.test.ts') && !p.includes(join('test', 'e2e')));
  await esbuild.build({
    ...common,
    sourcemap: 'inline',
    entryPoints: tests.map((p) => ({ in: p, out: relative('test', p).replace(/\.ts$/, '') })),
    outdir: 'out/test',
  });
}
if (args.has('--bench')) {
  const benches = walk('bench', (p) => p.endsWith('.ts'));
  // Loaded from node_modules, not bundled: playwright-core drives Debian's chromium in bench/grid.ts; the
  // business SDK is a peer measured as users install it (bench/peers.ts); better-sqlite3 (native, optional) is
  // bench/engine.ts's native reference.
  await esbuild.build({ ...common, external: [...common.external, 'playwright-core', 'facebook-nodejs-business-sdk', 'better-sqlite3'], entryPoints: benches.map((p) => ({ in: p, out: relative('bench', p).replace(/\.ts$/, '') })), outdir: 'out/bench' });
}
