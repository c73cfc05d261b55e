// The e2e harness: a real VS Code (code-server 4.100.3, installed by install.sh) driven by Debian's chromium
// through playwright-core (../../../shared/E2E.md explains why, and the quirks handled here).
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';
import { chromium } from 'playwright-core';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const CODE_SERVER = process.env.CODE_SERVER || path.join(HERE, '.code-server/node_modules/.bin/code-server');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const ARTIFACTS = path.join(HERE, 'artifacts');

const PKG = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
export const EXTENSION_ID = `${PKG.publisher}.${PKG.name}`;

export const BASE_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'chat.commandCenter.enabled': false,
  'git.enabled': false,
  'window.commandCenter': false,
  'workbench.layoutControl.enabled': false,
  'editor.minimap.enabled': false,
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

async function waitForHttp(url, timeoutMs) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timeout waiting for ${url}`);
}

/** A scratch folder per run with HOME/XDG inside, so neither code-server nor chromium writes under /root. */
export function scratch(name) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `igsql-e2e-${name}-`));
  for (const d of ['home', 'user-data/User', 'extensions', 'workspace']) mkdirSync(path.join(dir, d), { recursive: true });
  return dir;
}

/** The development folder, loaded as is (no packaging): a symlink named <publisher>.<name>-<version>. */
export function linkDevelopmentExtension(extensionsDir) {
  symlinkSync(ROOT, path.join(extensionsDir, `${EXTENSION_ID}-${PKG.version}`), 'dir');
}

/** The packaged VSIX, installed the way a user would. */
export function installVsix(dir, vsix) {
  execFileSync(CODE_SERVER, ['--extensions-dir', path.join(dir, 'extensions'), '--user-data-dir', path.join(dir, 'user-data'), '--install-extension', vsix], {
    env: scratchEnv(dir), stdio: 'pipe', timeout: 120_000,
  });
}

function scratchEnv(dir) {
  const home = path.join(dir, 'home');
  return {
    ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_DATA_HOME: path.join(home, '.local/share'),
    XDG_CACHE_HOME: path.join(home, '.cache'), TMPDIR: dir,
  };
}

/**
 * Starts code-server on a free port with the given workspace files and settings, opens it in chromium and
 * waits for the workbench. Returns helpers; call close() at the end (it kills the whole process group).
 */
export async function startWorkbench({ dir, files = {}, settings = {} }) {
  const userSettings = path.join(dir, 'user-data/User/settings.json');
  writeFileSync(userSettings, JSON.stringify({ ...BASE_SETTINGS, ...settings }, null, 2));
  const workspace = path.join(dir, 'workspace');
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(workspace, name), text);
  const port = await freePort();
  const t0 = performance.now();
  const csLogPath = path.join(dir, 'code-server.log');
  const out = openSync(csLogPath, 'w');
  const cs = spawn(CODE_SERVER, [
    '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--config', path.join(dir, 'cs-config.yaml'),
    '--user-data-dir', path.join(dir, 'user-data'),
    '--extensions-dir', path.join(dir, 'extensions'),
    workspace,
  ], { detached: true, stdio: ['ignore', out, out], env: scratchEnv(dir) });
  const kill = () => { try { process.kill(-cs.pid, 'SIGTERM'); } catch { /* gone */ } };
  process.on('exit', kill);
  const base = `http://127.0.0.1:${port}`;
  let browser;
  try {
    await waitForHttp(`${base}/healthz`, 30_000);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      env: scratchEnv(dir),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (e) => console.log('[pageerror]', e.message));
    const tOpen = performance.now();
    await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
    const wb = new Workbench(page, dir, userSettings);
    wb.timings = { codeServerUpMs: tOpen - t0 };
    wb.close = async () => {
      await browser?.close().catch(() => {});
      kill();
    };
    return wb;
  } catch (e) {
    await browser?.close().catch(() => {});
    kill();
    throw new Error(`${e.message}\n--- code-server log ---\n${readFileSync(csLogPath, 'utf8').slice(-3000)}`);
  }
}

export class Workbench {
  constructor(page, dir, userSettings) {
    this.page = page;
    this.dir = dir;
    this.userSettings = userSettings;
    this.timings = {};
    this.close = async () => {};
  }

  /** Tree rows of our explorer, matched by visible text (a row's accessible name is its tooltip). */
  row(text) {
    return this.page.locator('.monaco-list-row[role="treeitem"]', { hasText: text });
  }

  /** A tree row whose label is exactly `label` (Media, not MediaInsights). */
  rowLabeled(label) {
    const exact = new RegExp(`^${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    return this.page.locator('.monaco-list-row[role="treeitem"]').filter({ has: this.page.locator('.label-name', { hasText: exact }) }).first();
  }

  activityItem() {
    return this.page.locator('.part.activitybar [aria-label^="Instagram SQL"]').first();
  }

  /** Opens our view container; clicking an already open one would close it (E2E.md). */
  async openExplorer() {
    await this.activityItem().waitFor({ timeout: 60_000 });
    if (!(await this.row('Sample account').isVisible())) await this.activityItem().click();
    await this.row('Sample account').waitFor({ timeout: 30_000 });
  }

  async expand(rowLocator) {
    await rowLocator.waitFor({ timeout: 30_000 });
    if ((await rowLocator.getAttribute('aria-expanded')) !== 'true') await rowLocator.click();
    await this.page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await rowLocator.elementHandle(), { timeout: 15_000 });
  }

  /** Gives the workbench keyboard focus back (after the Settings editor, F1 and Ctrl+P are not heard). */
  async focusWorkbench() {
    await this.page.keyboard.press('Escape');
    await this.page.locator('.part.sidebar .pane-body').first().click({ position: { x: 150, y: 500 } });
  }

  async collapse(rowLocator) {
    await rowLocator.waitFor({ timeout: 30_000 });
    if ((await rowLocator.getAttribute('aria-expanded')) === 'true') await rowLocator.locator('.monaco-tl-twistie').click();
    await this.page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'false', await rowLocator.elementHandle(), { timeout: 15_000 });
  }

  /**
   * Right-clicks a row and runs one item of its context menu. In code-server a click on an item right after the
   * menu opens is sometimes lost: wait, click, and fall back to Enter on the item.
   */
  async contextMenu(rowLocator, label) {
    await rowLocator.click({ button: 'right' });
    const item = this.page.locator('.context-view .action-label', { hasText: label });
    await item.waitFor();
    await this.page.waitForTimeout(300);
    await item.click();
    await this.page.waitForTimeout(500);
    if (await item.isVisible().catch(() => false)) { await item.hover(); await this.page.keyboard.press('Enter'); }
  }

  async command(title) {
    await this.focusWorkbench();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(`>${title}`);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor({ timeout: 10_000 });
    await this.page.keyboard.press('Enter');
  }

  /** Quick Open a workspace file and focus its editor. */
  async openFile(name) {
    // F1 opens the quick input in command mode; without the '>' prefix it searches files. (Ctrl+P is not
    // reliable right after the Settings editor had focus.)
    await this.focusWorkbench();
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ timeout: 10_000 });
    await input.fill(name);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 10_000 });
    await this.page.keyboard.press('Enter');
    // The file opens in the active editor group (the results view's group when it had focus).
    const group = this.page.locator('.editor-group-container.active');
    await group.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: 10_000 });
    await group.locator('.monaco-editor .view-lines').first().click();
  }

  /** The results webview's document (webviews are nested iframes: look through every frame). */
  async results(timeoutMs = 30_000) {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      for (const frame of this.page.frames()) {
        try {
          if (await frame.locator('#igsql-results').count()) return frame;
        } catch { /* frame detached */ }
      }
      await this.page.waitForTimeout(200);
    }
    throw new Error('results view did not appear');
  }

  /** Waits until the results view is no longer running and returns what it shows. */
  async settledResults(timeoutMs = 60_000) {
    const frame = await this.results(timeoutMs);
    await frame.waitForFunction(() => document.body.dataset.state === 'idle', undefined, { timeout: timeoutMs });
    return frame.evaluate(() => ({
      status: document.getElementById('status')?.textContent ?? '',
      message: document.getElementById('message')?.hidden ? '' : (document.getElementById('message')?.textContent ?? ''),
      headers: [...document.querySelectorAll('.ig-head .ig-cell')].map((h) => h.firstChild?.textContent ?? ''),
      // The grid is virtualised: `rows` are the rows on screen (in order), `total` how many the result has.
      total: Number(document.querySelector('.ig-scroll')?.getAttribute('aria-rowcount') ?? 0),
      rows: [...document.querySelectorAll('.ig-body .ig-row')]
        .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
        .map((tr) => [...tr.querySelectorAll('.ig-cell')].map((td) => td.textContent)),
    }));
  }

  async screenshot(name) {
    mkdirSync(ARTIFACTS, { recursive: true });
    await this.page.waitForTimeout(400); // let toasts and list animations settle
    await this.page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`) });
  }

  /** Our output channel's log file (LogOutputChannel writes one under the user-data logs folder). */
  extensionLog() {
    const logs = path.join(this.dir, 'user-data', 'logs');
    const found = findFile(logs, (p) => p.endsWith('Instagram SQL.log'));
    return found ? readFileSync(found, 'utf8') : '';
  }

  async waitForLog(re, timeoutMs = 30_000) {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const m = re.exec(this.extensionLog());
      if (m) return m;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`log line ${re} did not appear; log:\n${this.extensionLog().slice(-2000)}`);
  }

  /**
   * Changes a number setting through the Settings editor, as a user would. (Writing settings.json on disk is
   * not picked up by code-server while it runs.)
   */
  async setNumberSetting(id, value) {
    await this.page.keyboard.press('Control+Comma');
    await this.page.locator('.settings-editor').waitFor({ timeout: 10_000 });
    await this.page.keyboard.type(id);
    const input = this.page.locator('.settings-editor .setting-item-number input').first();
    await input.waitFor({ timeout: 10_000 });
    // The list re-renders while the search settles and may swallow the first edit: retry until VS Code has
    // written the value to the user settings file.
    const written = () => {
      try { return JSON.parse(readFileSync(this.userSettings, 'utf8'))[id] === value; } catch { return false; }
    };
    for (let attempt = 0; attempt < 5 && !written(); attempt++) {
      await this.page.waitForTimeout(500);
      await input.click();
      await this.page.keyboard.press('Control+A');
      await this.page.keyboard.type(String(value));
      await this.page.keyboard.press('Tab');
      for (let i = 0; i < 20 && !written(); i++) await this.page.waitForTimeout(150);
    }
    if (!written()) throw new Error(`could not set ${id} to ${value} in the Settings editor`);
  }
}

function findFile(dir, pred) {
  if (!existsSync(dir)) return undefined;
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) {
      const f = findFile(p, pred);
      if (f) return f;
    } else if (pred(p)) return p;
  }
  return undefined;
}

export function cleanScratch(dir) {
  if (!process.env.KEEP_E2E) rmSync(dir, { recursive: true, force: true });
}

/**
 * `it` for one step of a workbench story: a failing step leaves a screenshot `<prefix><step name>` in
 * artifacts/. `workbench()` returns the story's Workbench (undefined before it started).
 */
export function screenshotSteps(prefix, workbench) {
  return (name, fn) => it(name, async () => {
    try {
      await fn();
    } catch (e) {
      await workbench()?.screenshot(`${prefix}${name.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => {});
      throw e;
    }
  });
}
