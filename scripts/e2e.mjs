#!/usr/bin/env node
// End-to-end tests in a real VS Code (code-server 4.139 = VS Code 1.139, driven by headless chromium):
//   1. extension-host tests (test/e2e/**) through @vscode/test-electron's runTests with scripts/vscode-launcher as
//      the "VS Code executable": test/e2e/suite/ with examples/ open as the workspace, test/e2e/empty/ with an
//      empty folder open (a first-time user), test/e2e/yaml/ with yaml-language-server beside ours;
//   2. a UI check with the packaged .vsix installed (scripts/ui-check.mjs), screenshot in test-results/hover.png.
//   3. UI checks of highlighting and the patch code actions (scripts/ui-patch-check.mjs), screenshots in
//      test-results/highlight.png, code-actions.png, patch-quickpick.png, patch-applied.png.
// The Marketplace pictures (test-results/readiness.png, code-actions.png) are copied to images/screenshots/ when the
// tests that took them pass.
// Prints one line per test and finally `e2e: N passed, N failed`; exits non-zero on any failure or if nothing ran.
//   node scripts/e2e.mjs [--no-ui] [--no-build] [--window suite|empty|yaml] [--grep <pattern>]   (--window: only that
//   window's extension-host tests; --grep: only the extension-host tests whose
//   full title matches; the packaging and UI checks run unless --no-ui)
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reexecOnToolchainNode } from './lib/toolchain.mjs';

// `npm run e2e` from the machine's Node: run again on the toolchain's (imports below need an installed node_modules).
await reexecOnToolchainNode(fileURLToPath(import.meta.url));
const { runTests } = await import('@vscode/test-electron');
const { ensureVscode } = await import('./ensure-vscode.mjs');
const { packageExtension, zipEntries } = await import('./package.mjs');
const { runUiCheck } = await import('./ui-check.mjs');
const { runPatchUiChecks } = await import('./ui-patch-check.mjs');

const root = fileURLToPath(new URL('..', import.meta.url));
const resultsDir = join(root, 'test-results');
const resultsFile = join(resultsDir, 'e2e-results.json');
const withUi = !process.argv.includes('--no-ui');
const withBuild = !process.argv.includes('--no-build');
const grepAt = process.argv.indexOf('--grep');
const grep = grepAt >= 0 ? process.argv[grepAt + 1] : undefined;
// `--window suite` or `--window empty`: only that window's extension-host tests.
const windowAt = process.argv.indexOf('--window');
const windows = windowAt >= 0 ? [process.argv[windowAt + 1]] : ['suite', 'empty', 'yaml'];

function log(message) {
  process.stderr.write(`[e2e] ${message}\n`);
}

function build(args = []) {
  const result = spawnSync(process.execPath, ['scripts/build.mjs', ...args], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('build failed');
}

/**
 * One window's extension-host tests: test/e2e/suite/ on examples/ (the default), test/e2e/empty/ on an empty
 * folder (a first-time user: welcome content, the walkthrough, the example fleet copied in), or test/e2e/yaml/ on
 * examples/ with yaml-language-server (the server of Red Hat's YAML) started beside ours (test/e2e/yamlServer.ts).
 */
async function runExtensionHostTests(suites = 'suite') {
  rmSync(resultsFile, { force: true });
  const examples = join(root, 'examples');
  const empty = suites === 'empty' ? mkdtempSync(join(tmpdir(), 'flux-azure-empty-workspace-')) : undefined;
  const workspace = empty ?? (existsSync(examples) ? examples : join(root, 'test', 'fixtures', 'e2e'));
  try {
    return await runWindow(workspace, suites);
  } finally {
    if (empty) rmSync(empty, { recursive: true, force: true });
  }
}

async function runWindow(workspace, suites) {
  const started = Date.now();
  let runError;
  try {
    await runTests({
      vscodeExecutablePath: join(root, 'scripts', 'vscode-launcher'),
      extensionDevelopmentPath: root,
      extensionTestsPath: join(root, 'test', 'out', 'e2e', 'index.js'),
      launchArgs: [workspace],
      extensionTestsEnv: {
        FLUX_AZURE_TEST_RESULTS: resultsFile,
        FLUX_AZURE_E2E_SUITES: suites,
        ...(grep ? { FLUX_AZURE_E2E_GREP: grep } : {}),
      },
    });
  } catch (error) {
    runError = error instanceof Error ? error.message : String(error);
  }
  log(`extension-host run (${suites}) took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!existsSync(resultsFile)) {
    return {
      tests: [
        { title: `extension host test run (${suites})`, state: 'failed', error: runError ?? 'no results file written' },
      ],
      metrics: {},
    };
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8'));
  return { tests: results.tests ?? [], metrics: results.metrics ?? {} };
}

/**
 * The Marketplace page's pictures (README.marketplace.md links them; the .vsix ships them from images/screenshots/),
 * made by this layer: each is copied there from test-results/ when the test that took it passed in this run, so the
 * page shows the views as they are now. The .vsix packaged at the start of a run carries the pictures it found;
 * `npm run package` after the run (and the commit of images/screenshots/) ships the new ones.
 */
const MARKETPLACE_PICTURES = [
  { file: 'readiness.png', test: /the Marketplace picture of both views/ },
  { file: 'code-actions.png', test: /Ctrl\+\. in a flux-system kustomization\.yaml offers the patch refactorings/ },
];

function refreshMarketplacePictures(tests, since) {
  for (const { file, test } of MARKETPLACE_PICTURES) {
    const made = join(resultsDir, file);
    if (!tests.some((t) => test.test(t.title) && t.state === 'passed')) continue;
    if (!existsSync(made) || statSync(made).mtimeMs < since) continue;
    copyFileSync(made, join(root, 'images', 'screenshots', file));
    log(`Marketplace picture images/screenshots/${file} made anew from test-results/${file}`);
  }
}

/** The single files `.vscodeignore` re-includes (`!path` without wildcards): each must be in the package. */
function shippedFiles() {
  return readFileSync(join(root, '.vscodeignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.startsWith('!') && !/[*?]/.test(line))
    .map((line) => line.slice(1))
    .filter((path) => existsSync(join(root, path)));
}

/** CI=true (or any value but false/0): the CI provider says so. */
function inCi() {
  const value = (process.env.CI ?? '').trim().toLowerCase();
  return value !== '' && value !== 'false' && value !== '0';
}

/**
 * CI only: a first install as on a fresh machine. Node 24, npm and code-server go into an empty temporary cache,
 * started with the Node and the environment `npm test` gave this run (npm's lifecycle variables included), the
 * rest of the e2e layer then runs on what it installed. Debian packages already installed are reused.
 */
function coldInstall() {
  const title = 'cold install: Node 24, npm and code-server into an empty cache, from the environment npm test gives';
  const dir = mkdtempSync(join(tmpdir(), 'flux-azure-cold-cache-'));
  const env = { ...process.env, FLUX_AZURE_DEV_CACHE: dir };
  for (const name of ['FLUX_AZURE_CALLER_NODE', 'FLUX_AZURE_CALLER_PATH']) delete env[name];
  if (process.env.FLUX_AZURE_CALLER_PATH !== undefined) env.PATH = process.env.FLUX_AZURE_CALLER_PATH;
  const callerNode = process.env.FLUX_AZURE_CALLER_NODE ?? process.execPath;
  const npmVars = Object.keys(env).filter((name) => name.toLowerCase().startsWith('npm_')).length;
  log(`CI: cold install into ${dir} with ${callerNode} and ${npmVars} inherited npm_* variables`);
  log(`CI: npm_config_user_agent=${env.npm_config_user_agent ?? '(unset)'}`);
  const started = Date.now();
  const r = spawnSync(callerNode, [join(root, 'scripts', 'ensure-vscode.mjs')], {
    cwd: root,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: 64 * 1024 * 1024,
  });
  const durationMs = Date.now() - started;
  let tools;
  let problem = r.error ? r.error.message : r.status !== 0 ? `exited with ${r.status ?? r.signal}` : undefined;
  if (!problem) {
    try {
      tools = JSON.parse(r.stdout);
      if (!existsSync(tools.codeServerEntry)) problem = `${tools.codeServerEntry} is missing`;
    } catch {
      problem = `printed no result: ${r.stdout.slice(-300)}`;
    }
  }
  if (problem) {
    rmSync(dir, { recursive: true, force: true });
    const error = `ensure-vscode.mjs ${problem}; its log is above`;
    log(`CI: COLD INSTALL FAILED: ${error}`);
    return { test: { title, state: 'failed', error, durationMs } };
  }
  const t = tools.timings;
  const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
  log(
    `CI: cold install done in ${seconds(durationMs)}: apt ${seconds(t.aptMs)}, Node + npm ${seconds(t.toolchainMs)}, ` +
      `code-server ${seconds(t.codeServerMs)}`,
  );
  return {
    dir,
    test: { title, state: 'passed', durationMs },
    metrics: {
      'coldInstall.aptMs': t.aptMs,
      'coldInstall.toolchainMs': t.toolchainMs,
      'coldInstall.codeServerMs': t.codeServerMs,
      'coldInstall.totalMs': durationMs,
    },
  };
}

async function main() {
  const started = Date.now();
  mkdirSync(resultsDir, { recursive: true });
  const cold = inCi() ? coldInstall() : undefined;
  // The rest of the layer (and the processes it starts) use what the cold install put in place.
  if (cold?.dir) process.env.FLUX_AZURE_DEV_CACHE = cold.dir;
  try {
    return await runLayer(started, cold);
  } finally {
    if (cold?.dir) rmSync(cold.dir, { recursive: true, force: true });
  }
}

async function runLayer(started, cold) {
  const tools = ensureVscode();
  log(`code-server ${tools.codeServerVersion} on Node ${tools.node24Bin} (cache ${tools.cacheRoot})`);
  let vsix;
  let packaging;
  if (withUi) {
    // Production bundles into the .vsix first, then the development build (source maps) the tests run against.
    const packagingStarted = Date.now();
    const title = 'package: vsce builds the .vsix with every file .vscodeignore ships';
    try {
      vsix = packageExtension({ quiet: true });
      // vsce writes README.md as readme.md and LICENSE as LICENSE.txt.
      const normal = (name) => name.toLowerCase().replace(/\.txt$/, '');
      const names = new Set(zipEntries(vsix).map((e) => normal(e.name)));
      const missing = shippedFiles().filter((f) => !names.has(normal(`extension/${f}`)));
      packaging = {
        title,
        state: missing.length === 0 ? 'passed' : 'failed',
        ...(missing.length ? { error: `missing from the .vsix: ${missing.join(', ')}` } : {}),
        durationMs: Date.now() - packagingStarted,
      };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      log(`packaging failed: ${message}`);
      packaging = { title, state: 'failed', error: message, durationMs: Date.now() - packagingStarted };
    }
  }
  if (withBuild) build();

  const tests = [];
  const metrics = {};
  for (const suites of windows) {
    const run = await runExtensionHostTests(suites);
    tests.push(...run.tests);
    Object.assign(metrics, run.metrics);
  }
  if (packaging) tests.unshift(packaging);
  if (cold) {
    tests.unshift(cold.test);
    Object.assign(metrics, cold.metrics ?? {});
  }
  if (withUi) tests.push(await runUiCheck({ vsix, screenshot: join(resultsDir, 'hover.png') }));
  // Highlighting and the patch code actions (screenshots test-results/highlight.png, code-actions.png).
  if (withUi) tests.push(...(await runPatchUiChecks({ vsix, resultsDir })));

  refreshMarketplacePictures(tests, started);

  for (const test of tests) {
    const mark = test.state === 'passed' ? 'PASS' : test.state === 'pending' ? 'SKIP' : 'FAIL';
    const duration = test.durationMs !== undefined ? ` (${test.durationMs} ms)` : '';
    console.log(
      `${mark} ${test.title}${duration}${test.error ? `\n     ${test.error.split('\n').join('\n     ')}` : ''}`,
    );
  }
  for (const [name, value] of Object.entries(metrics)) console.log(`metric ${name}: ${value}`);
  const passed = tests.filter((t) => t.state === 'passed').length;
  const failed = tests.filter((t) => t.state === 'failed').length;
  log(`total ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`e2e: ${passed} passed, ${failed} failed`);
  return failed === 0 && passed > 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    console.log('e2e: 0 passed, 1 failed');
    process.exit(1);
  },
);
