#!/usr/bin/env node
// Makes a real VS Code available without internet access: code-server from npm (VS Code's workbench and a real
// Node extension host), Node 24 to run it (code-server's engines.node, from the toolchain: scripts/lib/toolchain.mjs),
// and Debian's chromium to drive it headless. Everything is cached outside the repository, keyed by version, and a
// marker file is written only after a step succeeded, so a half-finished install is redone instead of trusted.
// A second run is a no-op in milliseconds. The installs run with the toolchain's own npm in an environment built by
// cleanChildEnv, so they behave the same from a plain shell, `npm test`, `npm run try` or CI.
// Node built-ins only: this runs before anything else is known to work.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  NODE_VERSION,
  NPM_VERSION,
  cacheRoot,
  cleanChildEnv,
  ensureToolchain,
  installDebianPackages,
  npmCommand,
  runStep,
  toolchainPaths,
  toolchainReady,
} from './lib/toolchain.mjs';

export { cacheRoot };
export { NODE_VERSION as NODE24_VERSION } from './lib/toolchain.mjs';
export const CODE_SERVER_VERSION = '4.139.1';
/** The VS Code inside that code-server (checked after the install): the newest engines.vscode may name. */
export const VSCODE_VERSION = '1.139.1';
export const CHROMIUM = '/usr/bin/chromium';
const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'build-essential', 'python3', 'pkg-config', 'fonts-dejavu-core'];
// code-server's `kerberos` native module does not build without this header.
const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';
const MARKER = '.flux-azure-complete';

function log(message) {
  process.stderr.write(`[ensure-vscode] ${message}\n`);
}

const run = (command, args, options) => runStep('ensure-vscode', command, args, options);

function paths() {
  const root = cacheRoot();
  const codeServerDir = join(root, `code-server-${CODE_SERVER_VERSION}`);
  return {
    root,
    toolchain: toolchainPaths(root),
    codeServerDir,
    codeServerEntry: join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

function isComplete(dir) {
  return existsSync(join(dir, MARKER));
}

function ensureAptPackages({ needBrowser, needHeaders }) {
  const missing = (needBrowser && !existsSync(CHROMIUM)) || (needHeaders && !existsSync(GSSAPI_HEADER));
  if (!missing) return 0;
  const ms = installDebianPackages('ensure-vscode', APT_PACKAGES);
  if (needBrowser && !existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} still missing after apt-get install`);
  return ms;
}

function ensureCodeServer({ toolchain, codeServerDir, codeServerEntry }) {
  if (isComplete(codeServerDir) && existsSync(codeServerEntry)) return 0;
  log(
    `installing code-server@${CODE_SERVER_VERSION} with Node ${NODE_VERSION} and npm ${NPM_VERSION} (a few minutes the first time)`,
  );
  rmSync(codeServerDir, { recursive: true, force: true });
  mkdirSync(codeServerDir, { recursive: true });
  writeFileSync(
    join(codeServerDir, 'package.json'),
    JSON.stringify({ name: 'flux-azure-code-server', private: true }, null, 2) + '\n',
  );
  const env = installEnv(process.env, toolchain);
  const started = Date.now();
  const [node, npmCli] = npmCommand(toolchain);
  // --ignore-scripts=false: its postinstall is the half of the install that matters, whatever the user's npmrc says.
  const args = [
    'install',
    '--no-save',
    '--no-package-lock',
    '--ignore-scripts=false',
    `code-server@${CODE_SERVER_VERSION}`,
  ];
  run(node, [npmCli, ...args], {
    cwd: codeServerDir,
    env,
  });
  if (!existsSync(codeServerEntry)) throw new Error(`code-server entry missing after install: ${codeServerEntry}`);
  // Its postinstall installs VS Code's own dependencies; an npm that skipped install scripts leaves them out.
  const vscodeModules = join(codeServerDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  if (!existsSync(vscodeModules)) throw new Error(`code-server postinstall did not run (${vscodeModules} missing)`);
  const bundled = JSON.parse(readFileSync(join(vscodeModules, '..', 'package.json'), 'utf8')).version;
  if (bundled !== VSCODE_VERSION)
    throw new Error(`code-server ${CODE_SERVER_VERSION} carries VS Code ${bundled}, not ${VSCODE_VERSION}`);
  writeFileSync(join(codeServerDir, MARKER), `${new Date().toISOString()}\n`);
  const ms = Date.now() - started;
  log(`code-server installed in ${Math.round(ms / 1000)} s`);
  return ms;
}

/**
 * The environment code-server's install (and its postinstall, which runs npm again) gets: `inherited` without the
 * calling npm's variables, the toolchain first on PATH, and node-gyp pointed at the toolchain's headers (the
 * machine's npm config may point it at another Node's, e.g. `nodedir=/usr`; without one node-gyp downloads them).
 */
export function installEnv(inherited, toolchain) {
  return cleanChildEnv(inherited, {
    binDir: toolchain.binDir,
    extra: {
      npm_config_nodedir: toolchain.dir,
      npm_config_update_notifier: 'false',
      npm_config_fund: 'false',
      npm_config_audit: 'false',
    },
  });
}

function sleepSync(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** One installer at a time per cache (e.g. `npm run try` and `npm run e2e` started together on a cold machine). */
function withLock(root, work) {
  const lock = join(root, '.install-lock');
  for (let waited = 0; ; waited += 1000) {
    try {
      mkdirSync(lock);
      writeFileSync(join(lock, 'pid'), String(process.pid));
      break;
    } catch {
      let owner = 0;
      try {
        owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
        process.kill(owner, 0);
      } catch {
        if (waited >= 2000) rmSync(lock, { recursive: true, force: true }); // owner gone: stale lock
      }
      if (waited % 30_000 === 0) log(`waiting for another install (pid ${owner || '?'}) to finish`);
      sleepSync(1000);
    }
  }
  try {
    return work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/**
 * Installs what is missing and returns where things are, with how long each step took this time (0: cached).
 * Fast no-op once cached. `browser: false` skips chromium (enough for `npm run try`, where the user brings a browser).
 */
export function ensureVscode({ browser = true } = {}) {
  const p = paths();
  mkdirSync(p.root, { recursive: true });
  const timings = { aptMs: 0, toolchainMs: 0, codeServerMs: 0 };
  const needCodeServer = !(isComplete(p.codeServerDir) && existsSync(p.codeServerEntry));
  if (needCodeServer || !toolchainReady(p.root) || (browser && !existsSync(CHROMIUM))) {
    withLock(p.root, () => {
      timings.aptMs = ensureAptPackages({ needBrowser: browser, needHeaders: needCodeServer });
      timings.toolchainMs = ensureToolchain({ root: p.root }).installedMs;
      timings.codeServerMs = ensureCodeServer(p);
    });
  }
  return {
    node24Bin: p.toolchain.node,
    node24Dir: p.toolchain.dir,
    npmCli: p.toolchain.npmCli,
    codeServerEntry: p.codeServerEntry,
    chromium: CHROMIUM,
    codeServerVersion: CODE_SERVER_VERSION,
    cacheRoot: p.root,
    timings,
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const started = Date.now();
    const result = ensureVscode();
    log(`ready in ${Date.now() - started} ms`);
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
  } catch (error) {
    log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
