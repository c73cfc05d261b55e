/**
 * The results grid with 100 000 rows, printed as figures (no pass/fail here):
 * - extension host: time to read the rows from the engine (a real query on the sandbox), heap the kept result
 *   costs, and the time to answer a window of a sorted and of a filtered view;
 * - Chromium (Debian's, through playwright-core): the real results page bundle (dist/webview/results.js) with
 *   the page ↔ host messages carried by a binding: time from the result message to the first rows on screen,
 *   then frame times while scrolling (smooth steps and long jumps that pull fresh windows from the host).
 * Run: npm run bench:grid [-- --rows 100000]
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { connect } from '../src/core';
import { startSandbox } from '../src/sandbox';
import { ResultStore } from '../src/extension/results/store';
import { cell } from '../src/extension/resultsModel';
import type { GridRequest } from '../src/webview/grid/protocol';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '100000' }, chromium: { type: 'string', default: process.env.CHROMIUM ?? '/usr/bin/chromium' } } });
const ROWS = Number(values.rows);

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}
const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

async function main() {
  const sandbox = await startSandbox({ port: 0 });
  const conn = await connect(`OAuthAccessToken=sandbox;ApiBaseURL=${sandbox.url}`);
  // Real media rows, repeated by a recursive CTE up to ROWS: captions, URLs and numbers as users see them.
  const sql = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${Math.ceil(ROWS / 250)})
    SELECT n.i AS Copy, m.Id, m.Caption, m.LikeCount, m.CommentsCount, m.MediaType, m.Permalink, m.Timestamp
    FROM n, (SELECT * FROM Media LIMIT 250) m LIMIT ${ROWS}`;
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const result = await conn.query(sql);
  const rows: (string | null)[][] = [];
  for await (const row of result.rows) rows.push(row.map((v) => cell(v)));
  const readMs = performance.now() - t0;
  const store = new ResultStore();
  const stored = store.add(result.columns, rows, { title: 'bench', target: 'Sample account', rows: rows.length, apiCalls: result.stats.apiCalls, pages: result.stats.pages, waitedMs: Math.round(readMs), notes: [] });
  global.gc?.();
  const heapRows = process.memoryUsage().heapUsed - heap0;
  let t = performance.now();
  store.window(stored.id, { sort: { column: 3, dir: 'desc' } }, 50_000, 200);
  const sortMs = performance.now() - t;
  t = performance.now();
  const filtered = store.window(stored.id, { filter: 'coffee' }, 0, 200)!;
  const filterMs = performance.now() - t;

  console.log(`machine: ${os.cpus().length} cores, load average ${os.loadavg()[0]!.toFixed(1)} (frame times scale with it)`);
  console.log(`Grid bench: ${rows.length} rows × ${result.columns.length} columns (${result.stats.apiCalls} Graph calls)`);
  console.log(`extension host: read rows ${readMs.toFixed(0)} ms; kept result ${mb(heapRows)} heap (${(heapRows / rows.length).toFixed(0)} B/row${global.gc ? '' : ', run with --expose-gc for a steadier figure'}); rss ${mb(process.memoryUsage().rss)}`);
  console.log(`extension host: first window of a sort over all rows ${sortMs.toFixed(0)} ms, of a filter ${filterMs.toFixed(0)} ms (${filtered.total} rows match), then cached`);

  const browser = await chromium.launch({ executablePath: values.chromium, headless: true, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    let windows = 0;
    let windowBytes = 0;
    await page.exposeFunction('__toHost', async (m: GridRequest | { type: string }) => {
      if (m.type !== 'rows') return;
      const r = m as Extract<GridRequest, { type: 'rows' }>;
      const w = store.window(r.resultId, r.view, r.start, r.count)!;
      const answer = { type: 'rows', resultId: r.resultId, reqId: r.reqId, start: r.start, total: w.total, rows: w.rows };
      windows++;
      windowBytes += JSON.stringify(answer).length;
      await page.evaluate((a) => window.postMessage(a, '*'), answer);
    });
    const css = readFileSync(join('dist', 'webview', 'results.css'), 'utf8');
    await page.setContent(`<!DOCTYPE html><html><head><style>${css}</style></head><body>
      <main id="igsql-results"><header><span id="title"></span><span id="status"></span><button id="cancel" hidden>Cancel</button></header>
      <div id="message" hidden></div><div id="grid"></div></main></body></html>`);
    await page.evaluate(() => { (window as unknown as { acquireVsCodeApi: unknown }).acquireVsCodeApi = () => ({ postMessage: (m: unknown) => (window as unknown as { __toHost(m: unknown): void }).__toHost(m) }); });
    await page.addScriptTag({ content: readFileSync(join('dist', 'webview', 'results.js'), 'utf8') });
    const message = { type: 'grid', result: store.gridResult(stored) };
    const firstRowsMs = await page.evaluate((m) => new Promise<number>((resolve) => {
      const t0 = performance.now();
      window.postMessage(m, '*');
      const check = () => (document.querySelector('.ig-body .ig-row') ? resolve(performance.now() - t0) : requestAnimationFrame(check));
      check();
    }), message);
    console.log(`chromium: first rows on screen ${firstRowsMs.toFixed(0)} ms after the result message (${(JSON.stringify(message).length / 1024).toFixed(0)} KB posted: the first ${message.result.head.length} rows)`);

    const scroll = (mode: 'smooth' | 'jumps') => page.evaluate(({ mode, total }) => new Promise<{ frames: number[]; blanks: number; domRows: number; long: number; longScriptMs: number }>((resolve) => {
      const el = document.querySelector('.ig-scroll') as HTMLElement;
      const frames: number[] = [];
      // Long animation frames (> 50 ms) with the script time inside them: tells our code from the machine.
      let long = 0;
      let longScriptMs = 0;
      const observer = new PerformanceObserver((list) => {
        for (const e of list.getEntries() as unknown as Array<{ scripts?: Array<{ duration: number }> }>) {
          long++;
          longScriptMs += (e.scripts ?? []).reduce((a, x) => a + x.duration, 0);
        }
      });
      try { observer.observe({ type: 'long-animation-frame', buffered: false }); } catch { /* older Chromium */ }
      let last = performance.now();
      let blanks = 0;
      let i = 0;
      const step = () => {
        const now = performance.now();
        frames.push(now - last);
        last = now;
        blanks += document.querySelectorAll('.ig-loading').length ? 1 : 0;
        el.scrollTop = mode === 'smooth' ? el.scrollTop + 240 : Math.floor(((i * 7919) % 97) / 97 * total * 22);
        if (++i < 240) requestAnimationFrame(step);
        else setTimeout(() => { observer.disconnect(); resolve({ frames: frames.slice(1), blanks, domRows: document.querySelectorAll('.ig-row').length, long, longScriptMs }); }, 100);
      };
      requestAnimationFrame(step);
    }), { mode, total: rows.length });
    for (const mode of ['smooth', 'jumps'] as const) {
      const before = windows;
      const r = await scroll(mode);
      console.log(`chromium scroll (${mode}, ${r.frames.length} frames): frame p50 ${pct(r.frames, 50).toFixed(1)} ms, p95 ${pct(r.frames, 95).toFixed(1)} ms, max ${Math.max(...r.frames).toFixed(1)} ms; ${r.long} frames over 50 ms (script in them ${r.longScriptMs.toFixed(0)} ms); ${r.domRows} rows in the DOM; ${windows - before} windows pulled; frames with loading cells ${r.blanks}`);
    }
    console.log(`page ↔ host: ${windows} windows, ${mb(windowBytes)} in total`);
    const metrics = await page.evaluate(() => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0);
    if (metrics) console.log(`chromium: page JS heap ${mb(metrics)}`);
  } finally {
    await browser.close();
    await conn.close();
    await sandbox.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
