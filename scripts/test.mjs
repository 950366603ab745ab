// `npm test`: installs what is missing, builds, type-checks, lints, then runs the three test layers
// (unit, language-server protocol over stdio, real VS Code) and prints one closing line summed over all of them.
// Everything runs on the toolchain's Node and npm (scripts/lib/toolchain.mjs, fetched into the cache on first use):
// the machine's Node only starts this script.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  NPM_VERSION,
  cleanChildEnv,
  ensureToolchain,
  installDebianPackages,
  npmCommand,
  reexecOnToolchainNode,
} from './lib/toolchain.mjs';

await reexecOnToolchainNode(fileURLToPath(import.meta.url));
const toolchain = ensureToolchain(); // a no-op: the re-exec above installed it
console.log(`=== toolchain: Node ${process.versions.node}, npm ${NPM_VERSION} (${toolchain.dir})`);

const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });
const only = process.argv.slice(2); // e.g. `npm test -- unit lsp`
const wants = (layer) => only.length === 0 || only.includes(layer);

function run(cmd, args, opts = {}) {
  const started = Date.now();
  const r = spawnSync(cmd, args, {
    cwd: root,
    stdio: opts.capture ? ['ignore', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
    env: opts.env ?? process.env,
  });
  if (opts.capture && r.stdout) process.stdout.write(r.stdout);
  return { ok: r.status === 0, status: r.status, stdout: r.stdout ?? '', ms: Date.now() - started };
}

function step(title) {
  console.log(`\n=== ${title}`);
}

const totals = { passed: 0, failed: 0 };
const layers = [];
function record(layer, passed, failed, ms) {
  totals.passed += passed;
  totals.failed += failed;
  layers.push(`${layer}: ${passed} passed, ${failed} failed (${(ms / 1000).toFixed(1)} s)`);
}

// 1. Dependencies: npm ci when node_modules is missing or older than the lock file.
const lock = join(root, 'package-lock.json');
const marker = join(root, 'node_modules', '.package-lock.json');
if (!existsSync(marker) || statSync(marker).mtimeMs < statSync(lock).mtimeMs) {
  step('npm ci');
  // The toolchain's npm in a clean environment: engine checks and install scripts see the toolchain's Node.
  const env = cleanChildEnv(process.env, { binDir: toolchain.binDir });
  const [npmNode, npmCli] = npmCommand(toolchain);
  if (!run(npmNode, [npmCli, 'ci', '--no-audit', '--no-fund'], { env }).ok) process.exit(1);
}

// The unit layer runs the README's pre-commit hook with Debian's pre-commit, as a fleet repository's CI would.
if (wants('unit') && spawnSync('pre-commit', ['--version']).status !== 0) {
  step('pre-commit (Debian package)');
  try {
    installDebianPackages('test', ['pre-commit']);
  } catch (err) {
    // The hook's test then reports itself skipped (failed under CI=true) with the reason.
    console.log(`could not install pre-commit: ${err instanceof Error ? err.message : String(err)}`);
  }
}

// 2. Build, type-check and lint: each counts as one check.
step('build');
const build = run(node, ['scripts/build.mjs']);
record('build', build.ok ? 1 : 0, build.ok ? 0 : 1, build.ms);
if (!build.ok) finish();
step('typecheck (tsc -b)');
const tsc = run(node, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b']);
record('typecheck', tsc.ok ? 1 : 0, tsc.ok ? 0 : 1, tsc.ms);
step('lint (eslint + prettier)');
const eslint = run(node, [join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.']);
const prettier =
  eslint.ok && run(node, [join(root, 'node_modules', 'prettier', 'bin', 'prettier.cjs'), '--check', '.']);
const lintOk = eslint.ok && prettier.ok;
record('lint', lintOk ? 1 : 0, lintOk ? 0 : 1, eslint.ms + (prettier ? prettier.ms : 0));

// 3. node --test layers: counts come from the TAP summary.
function nodeTests(layer) {
  const dir = join(root, 'test', 'out', layer);
  if (!existsSync(dir)) return;
  const files = readdirSync(dir, { recursive: true })
    .filter((f) => String(f).endsWith('.test.js'))
    .map((f) => join('test', 'out', layer, String(f)))
    .sort();
  step(`${layer} tests (${files.length} files)`);
  const tap = join(results, `${layer}.tap`);
  const r = run(node, [
    '--enable-source-maps',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=tap',
    `--test-reporter-destination=${tap}`,
    ...files,
  ]);
  const text = existsSync(tap) ? readFileSync(tap, 'utf8') : '';
  const pass = Number(/^# pass (\d+)/m.exec(text)?.[1] ?? 0);
  const fail = Number(/^# fail (\d+)/m.exec(text)?.[1] ?? 0) + Number(/^# cancelled (\d+)/m.exec(text)?.[1] ?? 0);
  record(layer, pass, fail || (r.ok ? 0 : 1), r.ms);
}
if (wants('unit')) nodeTests('unit');
// Grammar tests (TextMate injection grammar), with the unit layer or alone (`npm test -- grammar`).
if (wants('unit') || wants('grammar')) {
  step('grammar tests');
  const r = run(node, ['scripts/test-grammar.mjs'], { capture: true });
  const m = /^grammar: (\d+) passed, (\d+) failed/m.exec(r.stdout);
  record('grammar', Number(m?.[1] ?? 0), Number(m?.[2] ?? 0) || (r.ok ? 0 : 1), r.ms);
}
if (wants('lsp')) nodeTests('lsp');
// The Azure permissions view against a local HTTPS stand-in for ARM and Entra ID (real Azure SDK clients).
if (wants('azure')) nodeTests('azure');

// 4. Real VS Code (code-server + chromium): extension-host tests and UI checks.
if (wants('e2e') && existsSync(join(root, 'scripts', 'e2e.mjs'))) {
  // The real-VS-Code tests open examples/ (the README's sandbox): they must leave it as they found it.
  const examplesBefore = examplesStatus();
  step('real VS Code tests');
  // With the environment `npm test` gave us (npm's lifecycle variables included): under CI=true the e2e layer
  // installs code-server into an empty cache from exactly that environment.
  const r = run(node, ['scripts/e2e.mjs'], { capture: true });
  const m = /^e2e: (\d+) passed, (\d+) failed/m.exec(r.stdout);
  record('e2e', Number(m?.[1] ?? 0), Number(m?.[2] ?? 0) || (r.ok ? 0 : 1), r.ms);
  const examplesAfter = examplesStatus();
  if (examplesBefore !== undefined && examplesAfter !== undefined) {
    const changed = examplesAfter !== examplesBefore;
    if (changed) console.log(`examples/ was changed by the real VS Code tests:\n${examplesAfter}`);
    record('examples/ untouched by the e2e tests', changed ? 0 : 1, changed ? 1 : 0, 0);
  }
}

/** `git status` and `git diff` of examples/, or undefined outside a git checkout. */
function examplesStatus() {
  if (!existsSync(join(root, '.git'))) return undefined;
  const status = spawnSync('git', ['status', '--porcelain', '--', 'examples'], { cwd: root, encoding: 'utf8' });
  const diff = spawnSync('git', ['diff', '--', 'examples'], { cwd: root, encoding: 'utf8' });
  return status.status === 0 ? `${status.stdout}${diff.stdout}` : undefined;
}

finish();

function finish() {
  console.log('\n=== summary');
  for (const line of layers) console.log(line);
  console.log(`${totals.passed} passed, ${totals.failed} failed`);
  process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
}
