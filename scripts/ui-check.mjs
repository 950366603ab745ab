#!/usr/bin/env node
/* global document, NodeFilter */
// UI end-to-end check: code-server with the packaged .vsix installed, the examples folder open, an OCIRepository
// manifest opened through Quick Open, the mouse over its `provider` key, and our hover on screen. Saves a screenshot.
//   node scripts/ui-check.mjs [--vsix file.vsix] [--screenshot test-results/hover.png]
// Also exports the workbench helpers used by `npm run try` verification.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVscode } from './ensure-vscode.mjs';
import { folderUrl, installVsix, launchChromium, startCodeServer } from './lib/codeServer.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const TITLE = 'UI: hovering spec.provider of an OCIRepository shows the AcrPull hover';
const EXPECTED = /AcrPull/;

function log(message) {
  process.stderr.write(`[ui-check] ${message}\n`);
}

function yamlFiles(dir) {
  const out = [];
  let names = [];
  try {
    names = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of names.sort()) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}

/** First `  key:` under `spec:` of a document of `kind`, as a 1-based line, or undefined. */
export function findKeyLine(text, kind, key) {
  let inKind = false;
  let inSpec = false;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (/^---/.test(line)) inKind = inSpec = false;
    else if (/^kind:/.test(line)) inKind = line.replace(/^kind:\s*/, '').trim() === kind;
    else if (/^\S/.test(line)) inSpec = /^spec:\s*$/.test(line);
    else if (inKind && inSpec && new RegExp(`^ {2}${key}:`).test(line)) return i + 1;
  }
  return undefined;
}

/** The OCIRepository to hover: from examples/ if one exists, else the e2e fixture. */
export function findOciTarget() {
  for (const folder of [join(root, 'examples'), join(root, 'test', 'fixtures', 'e2e')]) {
    for (const file of yamlFiles(folder)) {
      const line = findKeyLine(readFileSync(file, 'utf8'), 'OCIRepository', 'provider');
      if (line) return { folder, file, relativePath: relative(folder, file), line };
    }
  }
  throw new Error('no OCIRepository with spec.provider in examples/ or test/fixtures/e2e/');
}

/** Loads the workbench and waits for the explorer to show the folder. */
export async function openWorkbench(page, url) {
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout: 60_000 });
}

/** Opens a file through Quick Open (Ctrl+P) and waits for its editor. */
export async function quickOpen(page, relativePath, expectText) {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 0; attempt < 5; attempt++) {
    await page
      .locator('.monaco-workbench')
      .click({ position: { x: 700, y: 5 } })
      .catch(() => undefined);
    await page.keyboard.press('Control+P');
    try {
      await input.waitFor({ state: 'visible', timeout: 3_000 });
      break;
    } catch {
      // the workbench may not have focus yet
    }
  }
  await input.fill(relativePath);
  const row = page.locator('.quick-input-list .monaco-list-row').first();
  await row.waitFor({ timeout: 15_000 });
  await page.keyboard.press('Enter');
  await page
    .locator('.editor-instance .monaco-editor .view-lines', { hasText: expectText })
    .waitFor({ timeout: 30_000 });
}

/** Moves the cursor to a line with Ctrl+G so it is rendered, and returns the centre of `word` on that line. */
async function locateWordOnLine(page, line, word) {
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+G');
  await page.locator('.quick-input-widget input').waitFor({ state: 'visible', timeout: 5_000 });
  await page.keyboard.type(String(line));
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-overlays .current-line').first().waitFor({ timeout: 5_000 });
  return page.evaluate((target) => {
    const current = document.querySelector('.editor-instance .monaco-editor .view-overlays .current-line');
    if (!current) return undefined;
    const y = current.getBoundingClientRect().top;
    const lines = [...document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line')];
    const lineEl = lines.find((el) => Math.abs(el.getBoundingClientRect().top - y) < 2);
    if (!lineEl) return undefined;
    const walker = document.createTreeWalker(lineEl, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const index = (node.textContent ?? '').indexOf(target);
      if (index < 0) continue;
      const range = document.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + target.length);
      const rect = range.getBoundingClientRect();
      return { x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 };
    }
    return undefined;
  }, word);
}

/** Hovers until a hover containing `expected` is shown; returns its text (throws with the last text seen). */
async function hoverUntil(page, point, expected, timeoutMs) {
  const hover = page.locator('.monaco-hover-content');
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    await page.mouse.move(point.x + 200, point.y + 120, { steps: 2 });
    await page.mouse.move(point.x, point.y, { steps: 4 });
    try {
      await hover.first().waitFor({ state: 'visible', timeout: 3_000 });
      last = (await hover.allInnerTexts()).join('\n');
      if (expected.test(last)) return last;
    } catch {
      // no hover yet: the language server may still be starting
    }
  }
  throw new Error(
    `no hover matching ${expected} within ${timeoutMs} ms; last hover: ${JSON.stringify(last.slice(0, 300))}`,
  );
}

/**
 * Opens a running workbench at `url`, shows the installed extensions in the side bar and `relativePath` in the
 * editor, and saves a screenshot. Used to verify `npm run try`.
 */
export async function screenshotWorkbench({ url, relativePath, expectText, screenshot }) {
  const tools = ensureVscode();
  const browser = await launchChromium(tools);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(page, url);
    await quickOpen(page, relativePath, expectText);
    await page.locator('.activitybar .action-item a[aria-label^="Extensions"]').click();
    await page
      .locator('.extensions-viewlet .monaco-list-row', { hasText: 'Flux for Azure' })
      .first()
      .waitFor({ timeout: 30_000 });
    await page.mouse.move(1000, 800);
    mkdirSync(dirname(screenshot), { recursive: true });
    await page.screenshot({ path: screenshot });
    log(`screenshot ${screenshot}`);
  } finally {
    await browser.close().catch(() => undefined);
  }
}

/** Runs the check; never throws, returns a test record for the e2e summary. */
export async function runUiCheck({ vsix, screenshot = join(root, 'test-results', 'hover.png') } = {}) {
  const started = Date.now();
  const tools = ensureVscode();
  const stateDir = mkdtempSync(join(tmpdir(), 'flux-azure-ui-'));
  let server;
  let browser;
  let page;
  try {
    if (!vsix) throw new Error('no .vsix given (run scripts/package.mjs first)');
    const target = findOciTarget();
    log(`target ${target.file}:${target.line}`);
    const userDataDir = join(stateDir, 'ud');
    const extensionsDir = join(stateDir, 'ext');
    installVsix(tools, { vsix, stateDir, userDataDir, extensionsDir });
    server = await startCodeServer(tools, { stateDir, userDataDir, extensionsDir });
    browser = await launchChromium(tools);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(page, folderUrl(server.base, target.folder));
    await quickOpen(page, target.relativePath, 'OCIRepository');
    // Go-to-line can land before the editor has laid the line out (or the keystrokes can beat the input box):
    // try a few times before giving up.
    let point;
    for (let attempt = 0; attempt < 4 && !point; attempt++) {
      if (attempt > 0) {
        await page.keyboard.press('Escape');
        await page.waitForTimeout(500);
      }
      point = await locateWordOnLine(page, target.line, 'provider').catch(() => undefined);
    }
    if (!point) throw new Error(`could not find "provider" on line ${target.line}`);
    const text = await hoverUntil(page, point, EXPECTED, 45_000);
    log(`hover: ${text.replace(/\s+/g, ' ').slice(0, 160)}`);
    return { title: TITLE, state: 'passed', durationMs: Date.now() - started };
  } catch (error) {
    return {
      title: TITLE,
      state: 'failed',
      durationMs: Date.now() - started,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    if (page) {
      mkdirSync(dirname(screenshot), { recursive: true });
      await page.screenshot({ path: screenshot }).catch(() => undefined);
      log(`screenshot ${screenshot}`);
    }
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : undefined;
  };
  if (arg('--url')) {
    // Against a running `npm run try`: node scripts/ui-check.mjs --url http://127.0.0.1:8080/?folder=... --screenshot x.png
    const target = findOciTarget();
    await screenshotWorkbench({
      url: arg('--url'),
      relativePath: target.relativePath,
      expectText: 'OCIRepository',
      screenshot: arg('--screenshot') ?? join(root, 'test-results', 'try.png'),
    });
    process.exit(0);
  }
  const result = await runUiCheck({ vsix: arg('--vsix'), screenshot: arg('--screenshot') });
  process.stdout.write(
    `${result.state === 'passed' ? 'PASS' : 'FAIL'} ${result.title}${result.error ? ` — ${result.error}` : ''}\n`,
  );
  process.exit(result.state === 'passed' ? 0 : 1);
}
