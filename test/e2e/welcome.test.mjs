// End-to-end: a user with the Sample account turned off and no connection sees the welcome content, adds a
// connection from it and enters a token; the token lands in secret storage, never in settings.json or the log.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { cleanScratch, linkDevelopmentExtension, scratch, startWorkbench } from './harness.mjs';

const TOKEN = 'EAAGwelcomeTestToken0123456789';

describe('Instagram SQL with no connection (welcome view)', { timeout: 240_000 }, () => {
  /** @type {import('./harness.mjs').Workbench} */
  let wb;
  let dir;

  before(async () => {
    dir = scratch('welcome');
    linkDevelopmentExtension(`${dir}/extensions`);
    wb = await startWorkbench({ dir, settings: { 'igsql.sampleAccount.enabled': false } });
  });

  after(async () => {
    await wb?.close();
    if (dir) cleanScratch(dir);
  });

  it('offers Add Connection, which stores the name in settings and the token in secret storage only', async () => {
    try {
      const page = wb.page;
      await wb.activityItem().waitFor({ timeout: 60_000 });
      const welcome = page.locator('.welcome-view-content', { hasText: 'No Instagram connection yet' });
      if (!(await welcome.isVisible())) await wb.activityItem().click();
      await welcome.waitFor({ timeout: 30_000 });
      await wb.screenshot('welcome');

      await welcome.getByRole('button', { name: 'Add Connection' }).click();
      const input = page.locator('.quick-input-widget input');
      // The first step asks how to sign in; a token obtained elsewhere is one of the answers.
      await page.locator('.quick-input-widget', { hasText: 'Facebook Login for Business' }).waitFor({ timeout: 10_000 });
      await wb.screenshot('add-connection-step1');
      await input.fill('access token');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'I have an access token' }).waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'A name for this connection' }).waitFor({ timeout: 10_000 });
      await input.fill('Mine');
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'business account id' }).waitFor({ timeout: 10_000 });
      await page.keyboard.press('Enter');
      await page.locator('.quick-input-widget', { hasText: 'secret storage' }).waitFor({ timeout: 10_000 });
      await input.fill(TOKEN);
      await page.keyboard.press('Enter');

      await wb.rowLabeled('Mine').waitFor({ timeout: 30_000 });
      assert.equal(await welcome.count(), 0, 'the welcome content is gone once there is a connection');
      const settings = readFileSync(wb.userSettings, 'utf8');
      assert.deepEqual(JSON.parse(settings)['igsql.connections'], [{ name: 'Mine', properties: {} }]);
      assert.ok(!settings.includes(TOKEN), 'no token in settings.json');
      assert.ok(!wb.extensionLog().includes(TOKEN), 'no token in the log');
    } catch (e) {
      await wb.screenshot('failure-welcome').catch(() => {});
      throw e;
    }
  });
});
