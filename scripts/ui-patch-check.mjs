#!/usr/bin/env node
/* global document, getComputedStyle */
// UI checks of issue #5 in code-server with the packaged .vsix installed:
//   1. syntax highlighting: test/fixtures/ui/highlight.yaml opened, the injection grammar colours GUIDs, ARM ids,
//      workload-identity keys, the audience, the feature gate and SOPS values (checked on the rendered tokens);
//      screenshot test-results/highlight.png;
//   2. code actions: Ctrl+. in the production flux-system kustomization.yaml of a copy of examples/ lists ours
//      (screenshot test-results/code-actions.png); choosing "Workload identity on AKS" asks for the controllers
//      (screenshot test-results/patch-quickpick.png), the client and tenant IDs, and inserts the patch.
//   node scripts/ui-patch-check.mjs [--vsix file.vsix]
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureVscode } from './ensure-vscode.mjs';
import { folderUrl, installVsix, launchChromium, startCodeServer } from './lib/codeServer.mjs';
import { openWorkbench, quickOpen } from './ui-check.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const HIGHLIGHT_TITLE = 'UI: the injection grammar colours Azure identifiers in YAML (test-results/highlight.png)';
const ACTIONS_TITLE =
  'UI: Ctrl+. in a flux-system kustomization.yaml offers the patch refactorings; the AKS one asks and inserts (test-results/code-actions.png)';

function log(message) {
  process.stderr.write(`[ui-patch-check] ${message}\n`);
}

/**
 * Colour of the innermost rendered span containing `text` (Monaco merges adjacent tokens of the same colour into one
 * span, so a token may share its span with neighbours of the same style).
 */
function colorOf(page, text) {
  return page.evaluate((wanted) => {
    let best;
    for (const span of document.querySelectorAll('.editor-instance .monaco-editor .view-lines .view-line span span')) {
      if (span.children.length === 0 && (span.textContent ?? '').includes(wanted)) {
        if (!best || span.textContent.length < best.textContent.length) best = span;
      }
    }
    return best ? getComputedStyle(best).color : undefined;
  }, text);
}

/** Quick Open can miss a file while a fresh workbench is still indexing the folder: try again once. */
async function quickOpenRetrying(page, relativePath, expectText) {
  try {
    await quickOpen(page, relativePath, expectText);
  } catch {
    await page.keyboard.press('Escape');
    await quickOpen(page, relativePath, expectText);
  }
}

async function checkHighlight(page, base, screenshot) {
  await openWorkbench(page, folderUrl(base, join(root, 'test', 'fixtures', 'ui')));
  await page.setViewportSize({ width: 1400, height: 1060 }); // the whole example file on screen
  await quickOpenRetrying(page, 'highlight.yaml', 'ServiceAccount');
  await page.keyboard.press('Control+B'); // hide the side bar: the ARM ids are long
  // Each pair: a token our grammar scopes, and a neighbour of the same YAML kind it must differ from.
  const pairs = {
    guid: ['9a93935d-67a2-478c-94e4-41e9199e7e43', 'source-controller'],
    workloadIdentityKey: ['azure.workload.identity/client-id', 'namespace'],
    featureGate: ['--feature-gates', '/spec/template/spec/containers/0/args/-'],
    audience: ['api://AzureADTokenExchange', 'azure-token'],
  };
  // Tokens are coloured once the grammar is loaded: poll instead of sleeping.
  const deadline = Date.now() + 30_000;
  let colors = {};
  let wrong = [];
  while (Date.now() < deadline) {
    colors = {};
    for (const [id, [ours, plain]] of Object.entries(pairs))
      colors[id] = [await colorOf(page, ours), await colorOf(page, plain)];
    wrong = Object.entries(colors).filter(([, [ours, plain]]) => !ours || !plain || ours === plain);
    if (wrong.length === 0) break;
    await page.waitForTimeout(250);
  }
  mkdirSync(join(root, 'test-results'), { recursive: true });
  await page.mouse.move(1300, 850);
  await page.screenshot({ path: screenshot });
  log(`screenshot ${screenshot}; token colours ${JSON.stringify(colors)}`);
  if (wrong.length > 0)
    throw new Error(
      `not coloured apart from plain YAML: ${wrong.map(([id, c]) => `${id} ${c.join(' vs ')}`).join('; ')}`,
    );
}

async function pressUntil(page, key, locator, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    await page.keyboard.press(key);
    try {
      await locator.first().waitFor({ state: 'visible', timeout: 3_000 });
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`nothing matching ${locator} after pressing ${key} for ${timeoutMs} ms`);
}

async function checkCodeActions(page, base, screenshots, workspace) {
  // A copy of examples/: the check edits it (and the workbench may save it).
  cpSync(join(root, 'examples'), workspace, { recursive: true });
  await openWorkbench(page, folderUrl(base, workspace));
  await quickOpenRetrying(page, 'clusters/production/flux-system/kustomization.yaml', 'Kustomization');
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  // The language server may still be starting: retry Ctrl+. until our refactorings are listed.
  const ours = page.locator('.action-widget .monaco-list-row', { hasText: 'Workload identity on AKS' });
  await pressUntil(page, 'Control+.', ours, 60_000);
  await page.screenshot({ path: screenshots.actions });
  log(`screenshot ${screenshots.actions}`);
  await ours.first().click();
  const quickInput = page.locator('.quick-input-widget');
  await quickInput.waitFor({ state: 'visible', timeout: 15_000 });
  await page.locator('.quick-input-list .monaco-list-row').first().waitFor({ timeout: 15_000 });
  const checked = await page.locator('.quick-input-list .monaco-list-row[aria-checked="true"]').count();
  if (checked === 0) {
    // Nothing preselected: tick the first controller (the checkbox markup differs between VS Code versions).
    const box = page.locator(
      '.quick-input-list .monaco-list-row :is(.quick-input-list-checkbox, .monaco-custom-toggle, input[type="checkbox"])',
    );
    await box.first().click({ timeout: 5_000 });
  }
  await page.screenshot({ path: screenshots.quickPick });
  log(`screenshot ${screenshots.quickPick} (${checked} controllers preselected)`);
  // Accept the picked controllers (OK, since a clicked checkbox keeps the focus and Enter would toggle it).
  const ok = page.locator('.quick-input-widget .monaco-button', { hasText: 'OK' });
  if (await ok.count()) await ok.first().click();
  else await page.keyboard.press('Enter');
  for (const what of ['client ID', 'tenant ID']) {
    await page
      .locator('.quick-input-widget input[placeholder*="' + what + '"]')
      .waitFor({ state: 'visible', timeout: 15_000 });
    await page.keyboard.press('Enter'); // the first ID already used in the workspace
  }
  // The controller the workspace needs joins the target regex of the existing patches (no second patch).
  await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
  await page.keyboard.press('Control+Home');
  await page
    .locator('.editor-instance .monaco-editor .view-lines', {
      hasText: 'image-reflector-controller|image-automation-controller',
    })
    .first()
    .waitFor({ timeout: 15_000 });
  await page.screenshot({ path: screenshots.applied });
  log(`screenshot ${screenshots.applied}`);
}

/** Runs both checks; never throws, returns test records for the e2e summary. */
export async function runPatchUiChecks({ vsix, resultsDir = join(root, 'test-results') } = {}) {
  const records = [];
  const started = Date.now();
  const tools = ensureVscode();
  const stateDir = mkdtempSync(join(tmpdir(), 'flux-azure-ui-patch-'));
  let server;
  let browser;
  try {
    if (!vsix) throw new Error('no .vsix given (run scripts/package.mjs first)');
    const userDataDir = join(stateDir, 'ud');
    const extensionsDir = join(stateDir, 'ext');
    installVsix(tools, { vsix, stateDir, userDataDir, extensionsDir });
    // Dark Modern: the theme most screenshots of VS Code use, with distinct colours for our scopes.
    server = await startCodeServer(tools, {
      stateDir,
      userDataDir,
      extensionsDir,
      settings: { 'workbench.colorTheme': 'Default Dark Modern' },
    });
    browser = await launchChromium(tools);
    mkdirSync(resultsDir, { recursive: true });
    for (const [title, check] of [
      [HIGHLIGHT_TITLE, (page) => checkHighlight(page, server.base, join(resultsDir, 'highlight.png'))],
      [
        ACTIONS_TITLE,
        (page) =>
          checkCodeActions(
            page,
            server.base,
            {
              actions: join(resultsDir, 'code-actions.png'),
              quickPick: join(resultsDir, 'patch-quickpick.png'),
              applied: join(resultsDir, 'patch-applied.png'),
            },
            join(stateDir, 'examples'),
          ),
      ],
    ]) {
      const t0 = Date.now();
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      try {
        await check(page);
        records.push({ title, state: 'passed', durationMs: Date.now() - t0 });
      } catch (error) {
        await page.screenshot({ path: join(resultsDir, `ui-patch-failure-${records.length}.png`) }).catch(() => {});
        records.push({
          title,
          state: 'failed',
          durationMs: Date.now() - t0,
          error: error instanceof Error ? error.message : String(error),
        });
      } finally {
        await page.close().catch(() => undefined);
      }
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    for (const title of [HIGHLIGHT_TITLE, ACTIONS_TITLE].slice(records.length))
      records.push({ title, state: 'failed', durationMs: Date.now() - started, error: message });
  } finally {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
  return records;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--vsix');
  const records = await runPatchUiChecks({ vsix: i > 0 ? process.argv[i + 1] : undefined });
  for (const r of records)
    process.stdout.write(`${r.state === 'passed' ? 'PASS' : 'FAIL'} ${r.title}${r.error ? ` — ${r.error}` : ''}\n`);
  process.exit(records.every((r) => r.state === 'passed') ? 0 : 1);
}
