// End-to-end from the packaged VSIX (`npm run package`), installed with code-server --install-extension: catches
// packaging mistakes (a file left out by .vscodeignore, the wasm missing from dist, a dependency not bundled).
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { cleanScratch, installVsix, ROOT, scratch, startWorkbench } from './harness.mjs';

const VSIX = path.join(ROOT, 'instagram-sql.vsix');

describe('Instagram SQL installed from the VSIX', { timeout: 240_000 }, () => {
  /** @type {import('./harness.mjs').Workbench} */
  let wb;
  let dir;

  before(async () => {
    assert.ok(existsSync(VSIX), `${VSIX} is missing: run npm run package first`);
    dir = scratch('vsix');
    installVsix(dir, VSIX);
    wb = await startWorkbench({ dir, files: { 'q.igsql': 'SELECT Username, COUNT(*) AS Posts FROM Media GROUP BY Username;\n' } });
  });

  after(async () => {
    await wb?.close();
    if (dir) cleanScratch(dir);
  });

  it('shows the tree and runs a query on the Sample account (engine wasm loaded from the VSIX)', async () => {
    try {
      await wb.openExplorer();
      await wb.row('@').first().waitFor({ timeout: 60_000 });
      await wb.openFile('q.igsql');
      await wb.page.keyboard.press('Control+Enter');
      const frame = await wb.results();
      await frame.locator('#title', { hasText: 'GROUP BY Username' }).waitFor({ timeout: 30_000 });
      const shown = await wb.settledResults();
      assert.equal(shown.message, '');
      assert.deepEqual(shown.headers, ['#', 'Username', 'Posts']);
      assert.equal(shown.rows.length, 1, 'the active account only');
      assert.ok(Number(shown.rows[0][2]) > 0);
      await wb.screenshot('vsix-results');
    } catch (e) {
      await wb.screenshot('failure-vsix').catch(() => {});
      throw e;
    }
  });
});
