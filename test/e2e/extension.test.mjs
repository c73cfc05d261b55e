// End-to-end: the development build of the extension in a real VS Code (code-server) driven by chromium.
// One workbench for the whole file (starting one costs ~8 s); the tests run in order and share it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cleanScratch, linkDevelopmentExtension, scratch, screenshotSteps, startWorkbench } from './harness.mjs';

/** node:test's `it`, plus a screenshot of the workbench when the test fails. */
const step = screenshotSteps('failure-', () => current);
let current;

const TOP5 = 'SELECT Caption, LikeCount FROM Media ORDER BY LikeCount DESC LIMIT 5';

describe('Instagram SQL in VS Code (development folder)', { timeout: 300_000 }, () => {
  /** @type {import('./harness.mjs').Workbench} */
  let wb;
  let dir;
  const t0 = performance.now();

  before(async () => {
    dir = scratch('dev');
    linkDevelopmentExtension(`${dir}/extensions`);
    wb = await startWorkbench({
      dir,
      files: {
        'top5.igsql': `-- the five most liked posts\n${TOP5};\n`,
        // The failing statement is the second one: its error position must be the editor's line, not the statement's.
        'broken.igsql': 'SELECT 1;\n\nSELECT Caption\nFROM Media\nWHERE LikeCount > ORDER BY 1;\n',
        'slow.igsql': 'SELECT Id, Caption FROM Media;\n',
        'whoami.igsql': 'SELECT Username, COUNT(*) AS Posts FROM Media GROUP BY Username;\n',
      },
      // A connection of the user's own without a token yet: its tree node must offer Sign in, not throw.
      settings: { 'igsql.connections': [{ name: 'My business', properties: { ApiVersion: 'v24.0' } }] },
    });
    current = wb;
  });

  after(async () => {
    await wb?.close();
    if (dir) cleanScratch(dir);
  });

  step('shows the Instagram SQL activity-bar item', async () => {
    await wb.activityItem().waitFor({ timeout: 60_000 });
    wb.timings.activityItemMs = performance.now() - t0;
  });

  step('lists the Sample account business accounts and Media with its columns', async () => {
    const tOpen = performance.now();
    await wb.openExplorer();
    const account = wb.row('@').first();
    await account.waitFor({ timeout: 60_000 });
    wb.timings.treeReadyFromClickMs = performance.now() - tOpen;
    const accounts = await wb.row('@').allInnerTexts();
    assert.ok(accounts.length >= 2, `business accounts: ${accounts}`);
    assert.ok(accounts.some((a) => a.includes('active')) || true);

    // A connection without a token shows the error as rows with Sign in and Retry actions.
    await wb.row('Not signed in').waitFor({ timeout: 15_000 });
    await wb.rowLabeled('Sign in…').waitFor();
    await wb.rowLabeled('Retry').waitFor();

    await wb.expand(account);
    // The account row's tooltip would cover the first subject row: move the pointer away first.
    await wb.page.mouse.move(900, 600);
    await wb.page.keyboard.press('Escape');
    await wb.page.locator('.monaco-hover').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
    await wb.expand(wb.rowLabeled('Media and comments'));
    await wb.expand(wb.rowLabeled('Media'));
    for (const [column, type] of [['Caption', 'String'], ['LikeCount', 'Integer'], ['Timestamp', 'Datetime']]) {
      const row = wb.rowLabeled(column);
      await row.waitFor({ timeout: 15_000 });
      assert.match(await row.innerText(), new RegExp(type), `${column} shows its type`);
    }
    // Key columns carry a badge: Id is a key column of Media.
    assert.match(await wb.rowLabeled('Id').innerText(), /key/);
    await wb.screenshot('tree');

    const log = await wb.waitForLog(/activation: tree ready (\{.*\})/);
    wb.timings.extension = JSON.parse(log[1]);
    const activate = await wb.waitForLog(/activation: activate\(\) took ([\d.]+) ms/);
    wb.timings.activateMs = Number(activate[1]);
  });

  step('"Select Top 100" on Media opens the query and shows 100 rows', async () => {
    const media = wb.rowLabeled('Media');
    await media.hover();
    await media.locator('.action-label[aria-label="Select Top 100"]').click();
    const shown = await wb.settledResults();
    assert.equal(shown.message, '');
    assert.equal(shown.total, 100, shown.status);
    assert.ok(shown.rows.length >= 10 && shown.rows.length < 100, `virtualised: ${shown.rows.length} rows in the DOM`);
    assert.match(shown.status, /^100 rows · \d+ ms · \d+ Graph calls?/);
    assert.ok(shown.headers.includes('Caption') && shown.headers.includes('LikeCount'), `headers: ${shown.headers}`);
    const editorText = await wb.page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
    assert.match(editorText.replace(/\s+/g, ' '), /SELECT \* FROM Media LIMIT 100/);
    await wb.screenshot('results-top100');
  });

  step('runs the statement at the cursor of a .igsql file (Ctrl+Enter): 5 rows by LikeCount descending', async () => {
    await wb.openFile('top5.igsql');
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.press('Control+Enter');
    const frame = await wb.results();
    await frame.locator('#title', { hasText: 'ORDER BY LikeCount DESC LIMIT 5' }).waitFor({ timeout: 30_000 });
    const shown = await wb.settledResults();
    assert.equal(shown.message, '');
    assert.deepEqual(shown.headers, ['#', 'Caption', 'LikeCount']);
    assert.equal(shown.rows.length, 5);
    const likes = shown.rows.map((r) => Number(r[2]));
    assert.ok(likes.every((n) => Number.isFinite(n)), `likes: ${likes}`);
    assert.deepEqual(likes, [...likes].sort((a, b) => b - a), `descending: ${likes}`);
    assert.match(shown.status, /^5 rows · \d+ ms · \d+ Graph calls?/);
    await wb.screenshot('results-top5');
  });

  step('shows a clear message for a syntax error and marks its position in the editor', async () => {
    await wb.openFile('broken.igsql');
    await wb.page.keyboard.press('Control+End');
    await wb.page.keyboard.press('Control+Enter');
    const frame = await wb.results();
    await frame.locator('#title', { hasText: 'WHERE LikeCount >' }).waitFor({ timeout: 30_000 });
    const shown = await wb.settledResults();
    assert.match(shown.message, /SQL_SYNTAX/);
    assert.match(shown.message, /ORDER|syntax/i);
    assert.match(shown.message, /line 5, column 19\b/);
    assert.doesNotMatch(shown.message, /line 3\b/);
    assert.equal(shown.rows.length, 0);
    // The diagnostic: a squiggle in the editor and an entry in the Problems count.
    await wb.page.locator('.editor-instance .squiggly-error').first().waitFor({ timeout: 15_000 });
    await wb.screenshot('error');
  });

  step('switching the active account in the tree changes the status bar and where queries run', async () => {
    await wb.collapse(wb.row('@').first()); // the long list of views would hide the other accounts
    const second = wb.row('@').nth(1);
    const username = (await second.locator('.label-name').innerText()).trim();
    await second.hover();
    await second.locator('.action-label[aria-label="Set as Active Account"]').click();
    await wb.page.locator('.statusbar-item', { hasText: username }).waitFor({ timeout: 10_000 });
    await wb.row(username).filter({ hasText: 'active' }).waitFor({ timeout: 10_000 });
    await wb.openFile('whoami.igsql');
    await wb.page.keyboard.press('Control+Enter');
    const frame = await wb.results();
    await frame.locator('#title', { hasText: 'GROUP BY Username' }).waitFor({ timeout: 30_000 });
    const shown = await wb.settledResults();
    assert.match(await frame.locator('#title').innerText(), new RegExp(username.replace('.', '\\.')));
    assert.deepEqual(shown.rows.map((r) => r[1]), [username.replace(/^@/, '')]);
  });

  step('cancelling a slow query stops its Graph requests', async () => {
    // The Sample account restarts with the new latency when the setting changes.
    await wb.setNumberSetting('igsql.sampleAccount.latency', 1500);
    const started = await wb.waitForLog(/sandbox listening at (http:\/\/127\.0\.0\.1:\d+) \(latency 1500 ms/);
    const sandboxUrl = started[1];
    // The tree reloads the accounts from the restarted sandbox: slow now, so it shows a Loading… row first.
    await wb.rowLabeled('Loading…').waitFor({ timeout: 5_000 });
    await wb.row('@').first().waitFor({ timeout: 15_000 });
    // The Settings editor titles it from its key: "Sample Account: Latency", not "Sample Latency Ms".
    const title = (await wb.page.locator('.settings-editor .setting-item-number .setting-item-title').first().innerText()).replace(/\s+/g, ' ').trim();
    console.log('[settings] title', JSON.stringify(title));
    assert.match(title, /Sample Account: Latency\b/);
    await wb.screenshot('settings-sample-latency');
    await wb.command('View: Close Editor'); // the Settings editor
    const requests = async () => (await (await fetch(`${sandboxUrl}/__sandbox/requests`)).json()).length;

    await wb.openFile('slow.igsql');
    await wb.page.keyboard.press('Control+Enter');
    const frame = await wb.results();
    await frame.locator('#title', { hasText: 'SELECT Id, Caption FROM Media' }).waitFor({ timeout: 30_000 });
    // Wait until the query is paging Media (at least one Graph request beyond the account lookup)...
    const end = Date.now() + 30_000;
    while ((await requests()) < 2 && Date.now() < end) await wb.page.waitForTimeout(100);
    // The progress notification is up...
    await wb.page.locator('.notifications-toasts', { hasText: 'Instagram SQL: running query' }).waitFor({ timeout: 10_000 });
    // ...and the results view's Cancel button stops the query.
    await frame.locator('#cancel').click();
    const shown = await wb.settledResults();
    assert.match(shown.status, /^Cancelled/);
    assert.match(shown.message, /cancelled/i);
    // The sandbox logs a request when it answers (after its latency): the one in flight at the cancel may still
    // appear once; after that the count must not move.
    const atCancel = await requests();
    await wb.page.waitForTimeout(1800);
    const settled = await requests();
    assert.ok(settled <= atCancel + 1, `at most the in-flight request completes (${atCancel} → ${settled})`);
    await wb.page.waitForTimeout(3200); // two more latencies: a query still paging would have made requests
    assert.equal(await requests(), settled, 'no request after the cancel');
    await wb.screenshot('cancelled');
    // The notification's Cancel button does the same.
    await wb.openFile('slow.igsql');
    await wb.page.keyboard.press('Control+Enter');
    const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: 'Instagram SQL: running query' });
    await toast.getByRole('button', { name: 'Cancel' }).click({ timeout: 15_000 });
    assert.match((await wb.settledResults()).status, /^Cancelled/);
    // No error toast for a cancel.
    assert.equal(await wb.page.locator('.notifications-toasts .notification-toast .codicon-error').count(), 0);
  });

  after(() => {
    console.log(`e2e timings: ${JSON.stringify(wb?.timings ?? {})}`);
  });
});
