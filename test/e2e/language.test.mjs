// End-to-end: the SQL editor (issue 9) in a real VS Code (code-server) driven by chromium: completion of a
// table and an aliased column, hover, a squiggle with the estimated Graph calls, Run from the CodeLens, and
// the Monaco query console opened from the tree, completing and running there.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cleanScratch, linkDevelopmentExtension, scratch, screenshotSteps, startWorkbench } from './harness.mjs';

let current;
const step = screenshotSteps('failure-language-', () => current);

describe('the SQL editor and the query console', { timeout: 420_000 }, () => {
  /** @type {import('./harness.mjs').Workbench} */
  let wb;
  let dir;

  before(async () => {
    dir = scratch('language');
    linkDevelopmentExtension(`${dir}/extensions`);
    wb = await startWorkbench({
      dir,
      files: {
        'typing.igsql': '',
        'scan.igsql': '-- every comment of every media\nSELECT Username, Text FROM Comments;\n\nSELECT Caption, LikeCount FROM Media ORDER BY LikeCount DESC LIMIT 3;\n',
      },
    });
    current = wb;
    await wb.openExplorer(); // starts the Sample account: the language service reads its catalog
    await wb.row('@').first().waitFor({ timeout: 60_000 });
  });

  after(async () => {
    await wb?.close();
    if (dir) cleanScratch(dir);
  });

  const editor = () => wb.page.locator('.editor-group-container.active .monaco-editor').first();
  const suggestion = (label) => wb.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row', { hasText: label }).first();
  const text = async () => (await editor().locator('.view-lines').innerText()).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ').trim();

  /** Moves the mouse over a word of the active editor (tokens do not map one-to-one to spans). */
  async function hoverWord(word) {
    const box = await wb.page.evaluate((w) => {
      const lines = document.querySelector('.editor-group-container.active .monaco-editor .view-lines');
      const walker = document.createTreeWalker(lines, NodeFilter.SHOW_TEXT);
      for (let n = walker.nextNode(); n; n = walker.nextNode()) {
        const m = new RegExp(`\\b${w}\\b`).exec(n.textContent ?? '');
        if (!m) continue;
        const r = document.createRange();
        r.setStart(n, m.index + 1);
        r.setEnd(n, m.index + 2);
        const rect = r.getBoundingClientRect();
        return { x: rect.x + rect.width / 2, y: rect.y + rect.height / 2 };
      }
      return undefined;
    }, word);
    assert.ok(box, `${word} is on screen`);
    await wb.page.mouse.move(box.x, box.y);
  }

  /** Types until the suggestion list shows `label` focused at the top, then accepts it. */
  async function accept(label) {
    await suggestion(label).waitFor({ timeout: 30_000 });
    const focused = wb.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row.focused');
    await focused.filter({ hasText: label }).waitFor({ timeout: 10_000 });
    await wb.page.keyboard.press('Enter');
  }

  step('completes a table after FROM and an aliased column after m.', async () => {
    await wb.openFile('typing.igsql');
    await wb.page.keyboard.type('SELECT * FROM Medi', { delay: 60 });
    await accept('Media');
    await wb.screenshot('language-complete-table');
    await wb.page.keyboard.type(' m WHERE m.LikeC', { delay: 60 });
    await accept('LikeCount');
    assert.match(await text(), /SELECT \* FROM Media m WHERE m\.LikeCount/);
    await wb.page.keyboard.type(' > 0', { delay: 30 });
  });

  step('shows a hover with the table description, scopes and key columns; a column\'s Graph field', async () => {
    await hoverWord('Media');
    const hover = wb.page.locator('.monaco-hover:not(.hidden)', { hasText: 'Posts, reels and albums' }).first();
    await hover.waitFor({ timeout: 20_000 });
    const shown = await hover.innerText();
    assert.match(shown, /Scopes: instagram_basic/);
    assert.match(shown, /Key columns \(Graph filters on them\): Id/);
    await wb.screenshot('language-hover');
    await wb.page.keyboard.press('Escape');
    // A column's hover names the Graph field it is read from.
    await hoverWord('LikeCount');
    const column = wb.page.locator('.monaco-hover:not(.hidden)', { hasText: 'Media.LikeCount' }).first();
    await column.waitFor({ timeout: 20_000 });
    assert.match(await column.innerText(), /Graph field: like_count/);
    await wb.screenshot('language-hover-column');
    await wb.page.keyboard.press('Escape');
  });

  step('marks a scan with its estimated Graph calls before it runs', async () => {
    await wb.openFile('scan.igsql');
    const squiggle = editor().locator('.squiggly-warning, .squiggly-info').first();
    await squiggle.waitFor({ timeout: 60_000 });
    await hoverWord('Comments');
    const hover = wb.page.locator('.monaco-hover:not(.hidden)', { hasText: 'Graph calls' }).first();
    await hover.waitFor({ timeout: 20_000 });
    const shown = await hover.innerText();
    assert.match(shown, /~\d+ Graph calls: reads Comments of every media of \d+ accounts? \(\d+ media/);
    assert.match(shown, /filter on Id or MediaId to use fewer/);
    await wb.screenshot('language-estimate');
    await wb.page.keyboard.press('Escape');
  });

  step('runs the second statement from its CodeLens', async () => {
    const lenses = editor().locator('.codelens-decoration a', { hasText: 'Run' });
    await lenses.nth(1).waitFor({ timeout: 30_000 });
    // (The first line also carries the account lens, "Account: @…".)
    assert.match(await editor().locator('.codelens-decoration', { hasText: 'Explain' }).first().innerText(), /Explain/);
    await lenses.nth(1).click();
    const frame = await wb.results();
    await frame.locator('#title', { hasText: 'ORDER BY LikeCount DESC LIMIT 3' }).waitFor({ timeout: 30_000 });
    const shown = await wb.settledResults();
    assert.equal(shown.message, '');
    assert.equal(shown.rows.length, 3);
    await wb.screenshot('language-codelens-run');
  });

  step('opens the console from the tree, completes there, runs and shows rows', async () => {
    const account = wb.row('@').first();
    await wb.expand(account);
    // The account row's tooltip would cover the first subject row: move the pointer away first.
    await wb.page.mouse.move(900, 600);
    await wb.page.keyboard.press('Escape');
    await wb.page.locator('.monaco-hover').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    await wb.expand(wb.rowLabeled('Media and comments'));
    await wb.contextMenu(wb.rowLabeled('Media'), 'Query This Table');
    let frame;
    const end = Date.now() + 60_000;
    while (!frame && Date.now() < end) {
      for (const f of wb.page.frames()) {
        try { if (await f.locator('#igsql-console .monaco-editor').count()) frame = f; } catch { /* detached */ }
      }
      if (!frame) await wb.page.waitForTimeout(300);
    }
    assert.ok(frame, 'the console webview with Monaco');
    await frame.locator('.view-lines', { hasText: 'SELECT * FROM Media' }).waitFor({ timeout: 30_000 });
    await wb.screenshot('console-prefilled');
    // Replace the query by typing one, completing the aliased column from the language service.
    await frame.locator('.monaco-editor .view-lines').click();
    await wb.page.keyboard.press('Control+A');
    await wb.page.keyboard.press('Delete');
    await wb.page.keyboard.type('SELECT m.Caption, m.LikeCount FROM Media m WHERE m.MediaT', { delay: 50 });
    const row = frame.locator('.suggest-widget.visible .monaco-list-row.focused', { hasText: 'MediaType' });
    await row.waitFor({ timeout: 30_000 });
    await wb.screenshot('console-complete');
    await wb.page.keyboard.press('Enter');
    await wb.page.keyboard.type(" = 'IMAGE' LIMIT 4", { delay: 30 });
    const typed = (await frame.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ').replace(/\s+/g, ' ');
    assert.match(typed, /WHERE m\.MediaType = 'IMAGE' LIMIT 4/);
    await frame.locator('#run').click();
    // The shared results grid (virtualised): rows ordered by aria-rowindex, the row-number column first.
    await frame.locator('#grid .ig-body .ig-row').nth(3).waitFor({ timeout: 60_000 });
    const shown = await frame.evaluate(() => ({
      total: Number(document.querySelector('#grid .ig-scroll')?.getAttribute('aria-rowcount') ?? 0),
      headers: [...document.querySelectorAll('#grid .ig-head .ig-cell')].map((h) => h.firstChild?.textContent ?? ''),
      rows: [...document.querySelectorAll('#grid .ig-body .ig-row')]
        .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
        .map((tr) => [...tr.querySelectorAll('.ig-cell')].map((td) => td.textContent)),
    }));
    assert.equal(shown.total, 4);
    assert.equal(shown.rows.length, 4);
    assert.deepEqual(shown.headers.slice(-2), ['Caption', 'LikeCount']);
    assert.deepEqual(shown.rows.map((r) => r[0]), ['1', '2', '3', '4'], 'the frozen row-number column');
    for (const r of shown.rows) assert.match(r.at(-1), /^\d+$/, 'LikeCount is a number');
    assert.match(await frame.locator('#status').innerText(), /^4 rows · \d+ ms · \d+ Graph calls?/);
    await wb.screenshot('console-rows');
  });
});
