// End-to-end sign-in in the real VS Code (code-server) driven by chromium, against a sandbox started here
// (it serves both Meta dialogs and our relay page): Facebook Login through the relay page and the URI handler
// (dialog → relay page → code-server's callback → our UriHandler), Business Login for Instagram by pasting the
// redirected address, Business Login for Instagram through the relay page and the URI handler (the loopback transport
// is refused in code-server, whose extension host is remote, with a message naming the transports that work); then the users and their accounts appear in the tree and the Accounts menu, a query
// runs on each connection's account after making it the active one, and sign out removes one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { cleanScratch, freePort, linkDevelopmentExtension, ROOT, scratch, startWorkbench } from './harness.mjs';

const APP_ID = '9999888877776666';
const APP_SECRET = 'e2e-app-secret-value';

/** `igsql sandbox` in a child process (it serves the packaged relay page at /relay/oauth-relay.html). */
async function startSandboxProcess() {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'igsql'), 'sandbox', '--port', '0', '--media', '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => { buf += d.toString(); if (buf.includes('\n')) resolve(buf.split('\n')[0]); });
    child.once('exit', (code) => reject(new Error(`igsql sandbox exited ${code}`)));
  });
  const get = async (p) => (await fetch(`${url}${p}`)).json();
  return {
    url,
    summary: () => get('/__sandbox/summary'),
    requests: () => get('/__sandbox/requests'),
    close: async () => { child.kill('SIGTERM'); },
  };
}

describe('Sign in (both login flavours) in code-server', { timeout: 420_000 }, () => {
  /** @type {import('./harness.mjs').Workbench} */
  let wb;
  let dir;
  let sb;
  let loopPort;

  before(async () => {
    sb = await startSandboxProcess();
    // code-server turns a localhost address given to openExternal into its own port-forwarding proxy (without
    // the path): Meta's dialogs are never on localhost, so reach the sandbox by its IPv4-mapped IPv6 address.
    const api = sb.url.replace('127.0.0.1', '[::ffff:7f00:1]');
    loopPort = await freePort();
    dir = scratch('signin');
    linkDevelopmentExtension(`${dir}/extensions`);
    wb = await startWorkbench({
      dir,
      settings: {
        'igsql.sampleAccount.enabled': false,
        'igsql.connections': [
          { name: 'Biz', signIn: 'uri', properties: { OAuthClientId: APP_ID, CallbackURL: `${api}/relay/oauth-relay.html`, ApiBaseURL: api } },
          { name: 'Gram', signIn: 'paste', properties: { OAuthClientId: APP_ID, LoginFlavour: 'INSTAGRAM', CallbackURL: 'https://example.com/igsql/', ApiBaseURL: `${api}/instagram` } },
          { name: 'Loop', signIn: 'loopback', properties: { OAuthClientId: APP_ID, CallbackURL: `http://127.0.0.1:${loopPort}/`, ApiBaseURL: api } },
          { name: 'GramRelay', signIn: 'uri', properties: { OAuthClientId: APP_ID, LoginFlavour: 'INSTAGRAM', CallbackURL: `${api}/relay/oauth-relay.html`, ApiBaseURL: `${api}/instagram` } },
        ],
      },
      // One query per connection; the literal tells the runs apart in the results title.
      files: Object.fromEntries(['Biz', 'Gram', 'GramRelay'].map((n) => [`on-${n}.igsql`, `SELECT Username, '${n}' AS via FROM InstagramBusinessProfile`])),
    });
  });

  after(async () => {
    await wb?.close();
    await sb?.close();
    if (dir) cleanScratch(dir);
  });

  async function signInFromRow(name) {
    const row = wb.rowLabeled(name);
    await row.waitFor({ timeout: 60_000 });
    await row.hover();
    await row.locator('.action-label[aria-label="Sign In…"]').click();
    const input = wb.page.locator('.quick-input-widget input');
    await wb.page.locator('.quick-input-widget', { hasText: 'App Secret' }).waitFor({ timeout: 15_000 });
    await input.fill(APP_SECRET);
    await wb.page.keyboard.press('Enter');
    // VS Code asks before opening an external site, as it would for the user.
    const open = wb.page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Open$/ });
    await open.waitFor({ timeout: 30_000 });
    if (name === 'Biz') await wb.screenshot('signin-open-external');
    const popup = wb.page.context().waitForEvent('page', { timeout: 30_000 });
    await open.click();
    return popup;
  }

  /** The account row `@username` under the connection row `connection` (rows of one flat, virtualised list). */
  async function accountRow(connection, username) {
    const rows = wb.page.locator('.monaco-list-row[role="treeitem"]');
    const info = await rows.evaluateAll((els) => els.map((e) => ({ level: e.getAttribute('aria-level'), text: e.querySelector('.label-name')?.textContent ?? '' })));
    const at = info.findIndex((r) => r.level === '1' && r.text === connection);
    assert.ok(at >= 0, `connection row ${connection}: ${JSON.stringify(info)}`);
    for (let i = at + 1; i < info.length && info[i].level !== '1'; i++) if (info[i].text === `@${username}`) return rows.nth(i);
    throw new Error(`no @${username} under ${connection}: ${JSON.stringify(info)}`);
  }

  /** Makes `@username` of `connection` the active account, runs on-<connection>.igsql and returns the rows shown. */
  async function queryOn(connection, username) {
    const row = await accountRow(connection, username);
    await row.hover();
    // The active account's row has no "Set as Active Account" action (it is marked instead).
    const setActive = row.locator('.action-label[aria-label="Set as Active Account"]');
    if (await setActive.count()) await setActive.click();
    await row.locator('.codicon-pass-filled').waitFor({ timeout: 15_000 });
    await wb.page.locator('.statusbar', { hasText: `@${username}` }).first().waitFor({ timeout: 15_000 });
    await wb.openFile(`on-${connection}.igsql`);
    await wb.page.keyboard.press('Control+Enter');
    const frame = await wb.results();
    await frame.locator('#title', { hasText: `'${connection}'` }).waitFor({ timeout: 30_000 });
    const shown = await wb.settledResults();
    assert.equal(shown.message, '', `query on ${connection}`);
    assert.deepEqual(shown.rows.map((r) => r.slice(1)), [[username, connection]], `${connection}: ${shown.status}`);
    await wb.screenshot(`signin-query-${connection}`);
  }

  it('Facebook through the relay page and the URI handler, Instagram by paste; users and accounts in the tree and the Accounts menu; sign out', async () => {
    const page = wb.page;
    try {
      await wb.activityItem().waitFor({ timeout: 60_000 });
      if (!(await wb.rowLabeled('Biz').isVisible())) await wb.activityItem().click();

      // Facebook: the dialog opens in a new tab; Allow → relay page → code-server callback → our UriHandler.
      const fbTab = await signInFromRow('Biz');
      await fbTab.waitForLoadState().catch(() => {});
      console.log('[signin] popup', fbTab.url());
      await fbTab.locator('#allow').waitFor({ timeout: 30_000 });
      await fbTab.screenshot({ path: path.join(ROOT, 'test/e2e/artifacts/signin-facebook-dialog.png') }).catch(() => {});
      await fbTab.locator('#allow').click();
      await wb.row('@').first().waitFor({ timeout: 60_000 });
      const first = Object.values((await sb.summary()).accounts)[0];
      await wb.row(`@${first.username}`).first().waitFor({ timeout: 30_000 });
      await wb.screenshot('signin-facebook-accounts');
      const tokenRequests = (await sb.requests()).filter((r) => r.path.endsWith('/oauth/access_token'));
      assert.ok(tokenRequests.length >= 2, 'code exchange and long-lived exchange went to the sandbox');

      // Instagram: paste the address the browser was sent to.
      const igTab = await signInFromRow('Gram');
      await igTab.locator('#allow-1').waitFor({ timeout: 30_000 });
      const [redirect] = await Promise.all([
        igTab.waitForRequest((r) => r.url().startsWith('https://example.com/igsql/'), { timeout: 30_000 }),
        igTab.locator('#allow-1').click(),
      ]);
      await page.bringToFront();
      await page.locator('.quick-input-widget', { hasText: 'paste that whole address' }).waitFor({ timeout: 30_000 });
      await page.locator('.quick-input-widget input').fill(redirect.url());
      await page.keyboard.press('Enter');
      const second = Object.values((await sb.summary()).accounts)[1];
      await wb.row(`@${second.username}`).first().waitFor({ timeout: 60_000 });
      await wb.screenshot('signin-both-connections');

      // The loopback transport in code-server: the extension host is remote (env.remoteName is set), so a localhost
      // redirect would reach the browser's machine, not the listener's: sign-in refuses it and names the transports
      // that work there. (The loopback sign-in itself is covered by the CLI and core tests.)
      const loop = wb.rowLabeled('Loop');
      await loop.hover();
      await loop.locator('.action-label[aria-label="Sign In…"]').click();
      await page.locator('.quick-input-widget', { hasText: 'App Secret' }).waitFor({ timeout: 15_000 });
      await page.locator('.quick-input-widget input').fill(APP_SECRET);
      await page.keyboard.press('Enter');
      await page.locator('.notifications-toasts', { hasText: 'use the relay page or paste' }).first().waitFor({ timeout: 30_000 });
      await wb.screenshot('signin-loopback-remote-refused');
      await page.locator('.notifications-toasts .codicon-notifications-clear').first().click().catch(() => {});

      // Instagram through the relay page and the URI handler, as the first account.
      const igRelayTab = await signInFromRow('GramRelay');
      await igRelayTab.locator('#allow-0').waitFor({ timeout: 30_000 });
      await igRelayTab.locator('#allow-0').click();
      await page.bringToFront();
      await wb.row(`@${first.username}`).nth(1).waitFor({ timeout: 60_000 });
      await wb.screenshot('signin-four-connections');

      // Each connection's account, made the active one, answers a query with its own profile.
      await queryOn('Biz', first.username);
      await queryOn('Gram', second.username);
      await queryOn('GramRelay', first.username);

      // The Accounts menu lists both users.
      await page.locator('.activitybar [aria-label^="Accounts"]').first().click();
      await page.locator('.monaco-menu .action-label', { hasText: '(Biz)' }).first().waitFor({ timeout: 15_000 });
      for (const name of ['Gram', 'GramRelay']) await page.locator('.monaco-menu .action-label', { hasText: `(${name})` }).first().waitFor({ timeout: 15_000 });
      await wb.screenshot('signin-accounts-menu');
      await page.keyboard.press('Escape');

      // Sign out of Gram: its account leaves the tree.
      const gram = wb.rowLabeled('Gram');
      await gram.click({ button: 'right' });
      const signOut = page.locator('.monaco-menu .action-label', { hasText: 'Sign Out' });
      await signOut.hover();
      await page.keyboard.press('Enter');
      await wb.row('Not signed in').first().waitFor({ timeout: 30_000 });
      await wb.screenshot('signin-signed-out');
      const settings = readFileSync(wb.userSettings, 'utf8');
      assert.ok(!settings.includes(APP_SECRET), 'no app secret in settings.json');
      assert.ok(!wb.extensionLog().includes(APP_SECRET), 'no app secret in the log');
    } catch (e) {
      await wb.screenshot('failure-signin').catch(() => {});
      throw e;
    }
  });
});
