// End-to-end: Instagram SQL notebooks in a real VS Code (code-server). A notebook runs cells on the Sample
// account and shows the shared grid in the output frame; sort, filter, chart, export, save with outputs and
// reopen, and re-run from the History view. Screenshots go to test/e2e/artifacts.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanScratch, linkDevelopmentExtension, scratch, screenshotSteps, startWorkbench } from './harness.mjs';

let current;
const step = screenshotSteps('failure-nb-', () => current);

const MEDIA_SQL = 'SELECT Id, Caption, LikeCount, Permalink FROM Media ORDER BY Id LIMIT 60';
const REACH_SQL = "SELECT EndTime, Value FROM AccountInsights WHERE Metric = 'reach'";
const NOTEBOOK = `${JSON.stringify({
  igsqlNotebook: 1,
  metadata: {},
  cells: [
    { kind: 'markdown', source: ['# Media and reach'] },
    { kind: 'sql', source: [MEDIA_SQL] },
    { kind: 'sql', source: [REACH_SQL] },
    { kind: 'sql', source: ['SELECT Id, Timestamp FROM Media'] },
  ],
}, null, 2)}\n`;

/** The output frames of the notebook that show our grid (outputs render in child frames, E2E.md). */
async function outputs(page, count, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const found = [];
    for (const frame of page.frames()) {
      try {
        const n = await frame.locator('.ig-result').count();
        for (let i = 0; i < n; i++) found.push(frame.locator('.ig-result').nth(i));
      } catch { /* detached */ }
    }
    if (found.length >= count) return found;
    await page.waitForTimeout(250);
  }
  throw new Error(`expected ${count} grid outputs`);
}

/** The grid output whose header row has `column`. */
async function output(page, column, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    for (const r of await outputs(page, 2, timeoutMs)) {
      if (await r.locator('.ig-head .ig-h', { hasText: column }).count()) return r;
    }
    await page.waitForTimeout(250);
  }
  throw new Error(`no grid output with a ${column} column`);
}

/** What one grid output shows: headers, total rows and the rows on screen. */
async function grid(result) {
  return result.evaluate((el) => ({
    info: el.querySelector('.ig-info')?.textContent ?? '',
    headers: [...el.querySelectorAll('.ig-head .ig-cell')].map((h) => h.firstChild?.textContent ?? ''),
    total: Number(el.querySelector('.ig-scroll')?.getAttribute('aria-rowcount') ?? 0),
    rows: [...el.querySelectorAll('.ig-body .ig-row')]
      .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
      .map((tr) => [...tr.querySelectorAll('.ig-cell')].slice(1).map((td) => td.textContent)),
    note: el.querySelector('.ig-note')?.hidden === false ? el.querySelector('.ig-note').textContent : '',
  }));
}

describe('Instagram SQL notebooks in VS Code', { timeout: 420_000 }, () => {
  /** @type {import('./harness.mjs').Workbench} */
  let wb;
  let dir;
  let workspace;

  before(async () => {
    dir = scratch('nb');
    workspace = path.join(dir, 'workspace');
    linkDevelopmentExtension(`${dir}/extensions`);
    wb = await startWorkbench({
      dir,
      files: { 'analysis.igsqlnb': NOTEBOOK },
      settings: { 'igsql.notebook.saveOutputs': true, 'files.simpleDialog.enable': true },
    });
    current = wb;
  });

  after(async () => {
    await wb?.close();
    if (dir) cleanScratch(dir);
  });

  step('opens the notebook, runs every cell on the Sample account and shows the grid', async () => {
    await wb.openExplorer();
    await wb.row('@').first().waitFor({ timeout: 60_000 });
    await wb.focusWorkbench();
    await wb.page.keyboard.press('F1');
    await wb.page.locator('.quick-input-widget input').fill('analysis.igsqlnb');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'analysis.igsqlnb' }).first().waitFor({ timeout: 10_000 });
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.notebookOverlay .monaco-editor', { hasText: 'AccountInsights' }).first().waitFor({ timeout: 30_000 });
    await wb.command('Notebook: Run All');
    const media = await output(wb.page, 'Caption');
    const shown = await grid(media);
    assert.deepEqual(shown.headers, ['#', 'Id', 'Caption', 'LikeCount', 'Permalink']);
    assert.equal(shown.total, 60);
    assert.match(shown.info, /60 rows/);
    assert.match(shown.info, /\d+ (ms|s) waited/);
    assert.match(shown.info, /\d+ Graph calls?/);
    assert.match(shown.info, /Sample account · @/, 'the account it ran on');
    assert.ok(shown.rows.length > 5 && shown.rows.length < 60, `virtualised: ${shown.rows.length} rows in the DOM`);
    // Permalinks are links; the account is bound into the notebook and shown in the status bar.
    assert.ok(await media.locator('.ig-body a[href^="https://www.instagram.com/"]').count() > 0);
    await wb.page.locator('.statusbar-item', { hasText: /Sample account · @/ }).first().waitFor({ timeout: 10_000 });
    await wb.screenshot('notebook-grid');
  });

  step('a result past the first 200 rows pulls further windows from the extension host as it scrolls', async () => {
    // The notebook renders outputs as their cells come into view: scroll down to the last cell.
    await wb.page.locator('.notebookOverlay .monaco-editor', { hasText: 'AccountInsights' }).first().click();
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Control+End'); // Focus Last Cell, which reveals it
    await wb.page.waitForTimeout(800);
    const all = await output(wb.page, 'Timestamp');
    const total = (await grid(all)).total;
    assert.ok(total > 200, `rows: ${total}`);
    await all.locator('.ig-scroll').evaluate((el) => { el.scrollTop = el.scrollHeight; });
    await all.page().waitForFunction(
      ([el, n]) => [...el.querySelectorAll('.ig-row')].some((r) => r.getAttribute('aria-rowindex') === String(n)) && !el.querySelector('.ig-loading'),
      [await all.elementHandle(), total], { timeout: 15_000 },
    );
    const last = (await grid(all)).rows.at(-1);
    assert.match(last[0], /^\d{15,}$/, `last row id: ${last}`);
    await wb.page.locator('.notebookOverlay .monaco-editor', { hasText: 'Timestamp' }).first().click();
    await wb.page.keyboard.press('Escape');
    await wb.page.keyboard.press('Control+Home');
    await wb.page.waitForTimeout(500);
  });

  step('sorts and filters the grid (in the extension host, over every row)', async () => {
    const media = await output(wb.page, 'Caption');
    await media.locator('.ig-head .ig-h', { hasText: 'LikeCount' }).click();
    await media.locator('.ig-head .ig-sort').waitFor();
    await media.page().waitForTimeout(500);
    let shown = await grid(media);
    const asc = shown.rows.map((r) => Number(r[2]));
    assert.deepEqual(asc, [...asc].sort((a, b) => a - b), `ascending: ${asc}`);
    await media.locator('.ig-head .ig-h', { hasText: 'LikeCount' }).click();
    await media.page().waitForTimeout(500);
    shown = await grid(media);
    const desc = shown.rows.map((r) => Number(r[2]));
    assert.deepEqual(desc, [...desc].sort((a, b) => b - a), `descending: ${desc}`);
    assert.ok(desc[0] >= asc[asc.length - 1]);

    const word = (shown.rows.find((r) => r[1] && r[1] !== 'NULL')?.[1] ?? '').split(/\s+/).find((w) => w.length >= 4) ?? 'the';
    await media.locator('.ig-toolbar input[type="search"]').fill(word);
    await media.page().waitForFunction(
      ([el, n]) => Number(el.querySelector('.ig-scroll')?.getAttribute('aria-rowcount')) < n,
      [await media.elementHandle(), 60], { timeout: 10_000 },
    ).catch(() => {});
    await media.page().waitForTimeout(500);
    shown = await grid(media);
    assert.ok(shown.total >= 1 && shown.total <= 60, `filtered total ${shown.total}`);
    for (const r of shown.rows) assert.ok(r.some((v) => v?.toLowerCase().includes(word.toLowerCase())), `row ${r} contains ${word}`);
    await wb.screenshot('notebook-sort-filter');
    await media.locator('.ig-toolbar input[type="search"]').fill('');
  });

  step('shows the reach time series as a line chart', async () => {
    const reach = await output(wb.page, 'EndTime');
    const shown = await grid(reach);
    assert.deepEqual(shown.headers, ['#', 'EndTime', 'Value']);
    const select = reach.locator('.ig-toolbar select');
    const options = await select.locator('option').allTextContents();
    assert.equal(options[1], 'Chart: Line', `chart chosen first: ${options}`);
    await select.selectOption('line');
    await reach.locator('.ig-chart .uplot canvas').first().waitFor({ timeout: 10_000 });
    assert.match(await reach.locator('.ig-chart .u-legend').innerText(), /Value/);
    // Scroll the notebook (outputs live in one webview the notebook list scrolls) to bring the chart up.
    await wb.page.locator('.notebookOverlay .monaco-editor', { hasText: 'AccountInsights' }).first().hover();
    await wb.page.mouse.wheel(0, 900);
    await wb.page.waitForTimeout(600);
    await wb.screenshot('notebook-chart');
    await reach.screenshot({ path: path.join(path.dirname(new URL(import.meta.url).pathname), 'artifacts', 'chart-reach.png') });
  });

  step('saves the chart as PNG and SVG', async () => {
    const reach = await output(wb.page, 'EndTime');
    for (const [format, check] of [
      ['PNG', (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) && b.length > 2000],
      ['SVG', (b) => /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/.test(b.toString('utf8')) && /<polyline [^>]*points="[\d.]+,[\d.]+ /.test(b.toString('utf8'))],
    ]) {
      const ext = format.toLowerCase();
      await reach.locator('.ig-toolbar button', { hasText: format }).click();
      await wb.page.waitForFunction((e) => new RegExp(`\\.${e}$`).test(document.querySelector('.quick-input-widget input')?.value ?? ''), ext, { timeout: 10_000 });
      await wb.page.keyboard.press('Enter');
      let file;
      for (let i = 0; i < 50 && !file; i++) {
        file = readdirSync(workspace).find((f) => f.endsWith(`.${ext}`));
        if (!file) await wb.page.waitForTimeout(200);
      }
      assert.ok(file, `a ${format} file was written`);
      await wb.page.waitForTimeout(300);
      const bytes = readFileSync(path.join(workspace, file));
      assert.ok(check(bytes), `${format} content: ${bytes.subarray(0, 120).toString('utf8')}`);
    }
  });

  step('exports the grid to CSV and the file holds every row', async () => {
    const media = await output(wb.page, 'Caption');
    await media.locator('.ig-toolbar button', { hasText: 'Export…' }).click();
    const input = wb.page.locator('.quick-input-widget input');
    await wb.page.locator('.quick-input-list .monaco-list-row', { hasText: 'CSV' }).first().waitFor({ timeout: 10_000 });
    await input.fill('CSV');
    await wb.page.keyboard.press('Enter');
    // The simple save dialog proposes <workspace>/<query>.csv: accept it.
    await wb.page.locator('.quick-input-widget input').waitFor({ timeout: 10_000 });
    await wb.page.waitForFunction(() => /\.csv$/.test(document.querySelector('.quick-input-widget input')?.value ?? ''), undefined, { timeout: 10_000 });
    await wb.page.keyboard.press('Enter');
    let csv;
    for (let i = 0; i < 50 && !csv; i++) {
      csv = readdirSync(workspace).find((f) => f.endsWith('.csv'));
      if (!csv) await wb.page.waitForTimeout(200);
    }
    assert.ok(csv, 'a CSV file was written');
    await wb.page.waitForTimeout(300);
    const lines = readFileSync(path.join(workspace, csv), 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'Id,Caption,LikeCount,Permalink');
    assert.ok(lines.length >= 61, `header + 60 rows (captions may span lines): ${lines.length}`);
  });

  step('saves the notebook with its outputs and shows them again after reopening', async () => {
    await wb.command('File: Save');
    const file = path.join(workspace, 'analysis.igsqlnb');
    let saved;
    for (let i = 0; i < 50; i++) {
      saved = JSON.parse(readFileSync(file, 'utf8'));
      if (saved.cells[1].outputs) break;
      await wb.page.waitForTimeout(200);
    }
    assert.equal(saved.metadata.connection, 'Sample account');
    assert.match(saved.metadata.accountLabel, /^@/);
    assert.equal(saved.cells[1].outputs[0].result.head.length, 60);
    assert.doesNotMatch(readFileSync(file, 'utf8'), /access_token|sandbox"/);
    // Reopen for real: reloading the window restarts the extension host, so the rows can only come from the file.
    await wb.command('Developer: Reload Window');
    await wb.page.waitForTimeout(1000);
    await wb.page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    await wb.page.locator('.notebookOverlay .monaco-editor', { hasText: 'AccountInsights' }).first().waitFor({ timeout: 60_000 });
    const media = await output(wb.page, 'Caption');
    const shown = await grid(media);
    assert.equal(shown.total, 60);
    assert.deepEqual(shown.headers, ['#', 'Id', 'Caption', 'LikeCount', 'Permalink']);
    assert.ok(shown.rows.length > 5, 'saved rows on screen');
    // Sorting still works on the saved rows (in the renderer: the new extension host never had this result).
    await media.locator('.ig-head .ig-h', { hasText: 'LikeCount' }).click();
    await media.page().waitForTimeout(300);
    const likes = (await grid(media)).rows.map((r) => Number(r[2]));
    assert.deepEqual(likes, [...likes].sort((a, b) => a - b));
    await wb.screenshot('notebook-reopened');
  });

  step('re-runs a query from the History view into the results view', async () => {
    const history = wb.page.locator('.pane-header', { hasText: 'History' });
    await history.waitFor({ timeout: 10_000 });
    if ((await history.getAttribute('aria-expanded')) !== 'true') await history.click();
    const entry = wb.row('AccountInsights').first();
    await entry.waitFor({ timeout: 15_000 });
    // The row's inline Run Again button (the context menu has it too).
    await entry.hover();
    await entry.locator('.action-label[aria-label^="Run Again"]').click();
    const frame = await wb.results();
    await frame.locator('#title', { hasText: "Metric = 'reach'" }).waitFor({ timeout: 30_000 });
    const shown = await wb.settledResults();
    assert.equal(shown.message, '');
    assert.deepEqual(shown.headers, ['#', 'EndTime', 'Value']);
    assert.ok(shown.total >= 7, `reach rows: ${shown.total}`);
    await wb.screenshot('history-rerun');
  });

  step('"New Notebook from This Table" opens a notebook for Media bound to that account, and it runs', async () => {
    await wb.page.keyboard.press('Escape');
    const account = wb.row('@').nth(1);
    const label = (await account.locator('.label-name').innerText()).trim();
    assert.match(label, /^@[\w.]+$/);
    await wb.expand(account);
    // Tables are grouped by subject; the account row's tooltip would cover the first group: move the pointer away.
    await wb.page.mouse.move(900, 600);
    await wb.page.keyboard.press('Escape');
    await wb.page.locator('.monaco-hover').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    await wb.expand(wb.rowLabeled('Media and comments'));
    await wb.contextMenu(wb.rowLabeled('Media'), 'New Notebook from This Table');
    await wb.page.locator('.notebookOverlay .monaco-editor', { hasText: 'LIMIT 100' }).first().waitFor({ timeout: 30_000 });
    await wb.page.locator('.statusbar-item', { hasText: label }).filter({ hasText: 'Sample account' }).first().waitFor({ timeout: 10_000 });
    await wb.command('Notebook: Run All');
    const end = Date.now() + 60_000;
    let found;
    while (!found && Date.now() < end) {
      for (const r of await outputs(wb.page, 1)) {
        const g = await grid(r).catch(() => undefined);
        if (g?.total === 100 && g.info.includes(label)) found = g;
      }
      if (!found) await wb.page.waitForTimeout(300);
    }
    assert.ok(found, `a 100-row grid on ${label}`);
    await wb.screenshot('notebook-from-table');
  });
});
