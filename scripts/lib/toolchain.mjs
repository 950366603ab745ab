// The Node.js and npm the development tooling runs on, fetched into the cache outside the repository, and the
// environment every child install runs in. Node built-ins only: this runs before anything else is known to work.
//
// Why a clean environment matters: `npm test` (or any `npm run …`) exports its own state to the script it runs:
// `npm_config_user_agent="npm/11.19.1 node/v20.20.2 …"`, `npm_node_execpath`, `npm_execpath`, `NODE`, `INIT_CWD`,
// `npm_config_node_gyp`, `npm_config_nodedir`, `npm_lifecycle_*`, `npm_package_*`, and `node_modules/.bin` on PATH.
// A second npm started from there reads every `npm_config_*` variable as its own configuration, so it reports the
// *outer* Node in `npm_config_user_agent` to the install scripts it runs, whatever Node it runs on itself.
// code-server's postinstall.sh takes the Node major version from exactly that variable and refused to install
// ("requires node v24 … you are on node v20") although `node` on its PATH was Node 24.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve, sep } from 'node:path';

export const NODE_VERSION = '24.22.3';
export const NPM_VERSION = '11.19.1';
const MARKER = '.flux-azure-complete';

export function cacheRoot(env = process.env) {
  if (env.FLUX_AZURE_DEV_CACHE) return resolve(env.FLUX_AZURE_DEV_CACHE);
  const base = env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'flux-azure-dev');
}

function log(message) {
  process.stderr.write(`[toolchain] ${message}\n`);
}

/** Where the toolchain lives: laid out like an official Node.js tarball (bin/node, bin/npm, lib/node_modules/npm). */
export function toolchainPaths(root = cacheRoot()) {
  const dir = join(root, `node-${NODE_VERSION}-npm-${NPM_VERSION}`);
  return {
    root,
    dir,
    binDir: join(dir, 'bin'),
    node: join(dir, 'bin', 'node'),
    npmCli: join(dir, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'),
  };
}

// npm settings a user may have put in the environment on purpose (where packages come from and how to reach it):
// kept. Everything else npm-prefixed describes the calling npm process and is dropped.
const KEPT_NPM_CONFIG = new Set([
  'registry',
  'cafile',
  'ca',
  'cert',
  'key',
  'strict_ssl',
  'proxy',
  'https_proxy',
  'http_proxy',
  'noproxy',
  'no_proxy',
  'userconfig',
  'globalconfig',
  'cache',
  'fetch_retries',
  'fetch_retry_factor',
  'fetch_retry_mintimeout',
  'fetch_retry_maxtimeout',
  'fetch_timeout',
  'maxsockets',
  'prefer_offline',
  'prefer_online',
  'offline',
  'replace_registry_host',
]);

/** True for an `npm_config_*` variable that names the registry or its credentials (`@scope:registry`, `//host/:_authToken`). */
function keptNpmConfig(name) {
  const key = name.slice('npm_config_'.length).toLowerCase().replace(/-/g, '_');
  return KEPT_NPM_CONFIG.has(key) || key.endsWith(':registry') || key.startsWith('//');
}

/** PATH entries npm's run-script adds for the script it runs: never wanted by a nested install. */
function npmAddedPathEntry(entry) {
  const normal = entry.replace(/[\\/]+$/, '');
  return (
    normal.endsWith(`${sep}node_modules${sep}.bin`) ||
    normal.endsWith('/node_modules/.bin') ||
    /[\\/]node-gyp-bin$/.test(normal)
  );
}

/**
 * The environment for a child that installs or runs with the toolchain's Node and npm, built from `inherited`
 * (usually process.env, possibly npm's lifecycle environment): the npm variables that describe the calling npm are
 * removed, the registry settings the user chose are kept, and `binDir` comes first on PATH, so `node` and `npm`
 * are the toolchain's whatever the caller's PATH holds. `extra` is applied last.
 */
export function cleanChildEnv(inherited, { binDir, extra = {} } = {}) {
  const env = {};
  let path = '';
  for (const [name, value] of Object.entries(inherited)) {
    if (value === undefined) continue;
    const lower = name.toLowerCase();
    if (lower === 'path') {
      path = path ? `${path}${delimiter}${value}` : value;
      continue;
    }
    if (lower.startsWith('npm_config_')) {
      if (keptNpmConfig(name)) env[name] = value;
      continue;
    }
    if (lower.startsWith('npm_')) continue; // npm_execpath, npm_node_execpath, npm_lifecycle_*, npm_package_*, …
    if (name === 'NODE' || name === 'INIT_CWD' || name === 'FORCE_NODE_VERSION') continue;
    env[name] = value;
  }
  const entries = path.split(delimiter).filter((entry) => entry && !npmAddedPathEntry(entry));
  const first = binDir ? [binDir] : [];
  env.PATH = [...first, ...entries.filter((entry) => entry !== binDir)].join(delimiter);
  return { ...env, ...extra };
}

/** Runs a command, logged as `[tag] $ command args`; throws unless it exits with 0. */
export function runStep(tag, command, args, options = {}) {
  process.stderr.write(`[${tag}] $ ${command} ${args.join(' ')}\n`);
  // The child's output goes to stderr: stdout is kept for the result a caller may parse (ensure-vscode.mjs).
  const result = spawnSync(command, args, { stdio: ['ignore', 2, 2], ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}`);
  return result;
}

/** Installs Debian packages with apt-get (as root, or through `sudo -n`); returns the milliseconds it took. */
export function installDebianPackages(tag, packages) {
  const asRoot = typeof process.getuid !== 'function' || process.getuid() === 0;
  const apt = (args) =>
    runStep(tag, asRoot ? 'apt-get' : 'sudo', [...(asRoot ? [] : ['-n', 'apt-get']), ...args], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  process.stderr.write(`[${tag}] installing system packages: ${packages.join(' ')}\n`);
  const started = Date.now();
  apt(['update']);
  apt(['install', '-y', '--no-install-recommends', ...packages]);
  return Date.now() - started;
}

const run = (command, args, options) => runStep('toolchain', command, args, options);

/** `npm pack <spec>` into `work` with whatever npm the machine has (only to download a tarball); returns its path. */
function packTarball(spec, work, env) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const before = new Set(readdirSync(work));
  run(npm, ['pack', spec, '--silent', '--pack-destination', work], {
    cwd: work,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const tarball = readdirSync(work).find((name) => name.endsWith('.tgz') && !before.has(name));
  if (!tarball) throw new Error(`npm pack ${spec} produced no tarball`);
  return join(work, tarball);
}

function nodePackageName() {
  const platform = { linux: 'linux', darwin: 'darwin' }[process.platform];
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (!platform || !arch) throw new Error(`no Node.js package for ${process.platform}-${process.arch}`);
  return `node-${platform}-${arch}`;
}

/** True once the toolchain in `root` is installed and complete. */
export function toolchainReady(root = cacheRoot()) {
  const p = toolchainPaths(root);
  return existsSync(join(p.dir, MARKER)) && existsSync(p.node) && existsSync(p.npmCli);
}

/**
 * Installs Node.js NODE_VERSION and npm NPM_VERSION into the cache (npm packages `node-<os>-<arch>` and `npm`,
 * unpacked; no build, no install scripts) unless present; returns the paths and how long it took.
 */
export function ensureToolchain({ root = cacheRoot(), inherited = process.env } = {}) {
  const p = toolchainPaths(root);
  if (toolchainReady(root)) return { ...p, installedMs: 0 };
  const started = Date.now();
  log(`fetching Node ${NODE_VERSION} and npm ${NPM_VERSION} into ${p.dir}`);
  mkdirSync(root, { recursive: true });
  const work = join(root, `.tmp-toolchain-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  const unpacked = join(work, 'unpacked');
  mkdirSync(join(unpacked, 'lib', 'node_modules', 'npm'), { recursive: true });
  const env = cleanChildEnv(inherited, {
    extra: { npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' },
  });
  const nodeTgz = packTarball(`${nodePackageName()}@${NODE_VERSION}`, work, env);
  run('tar', ['-xzf', nodeTgz, '--strip-components=1', '-C', unpacked]);
  const npmTgz = packTarball(`npm@${NPM_VERSION}`, work, env);
  run('tar', ['-xzf', npmTgz, '--strip-components=1', '-C', join(unpacked, 'lib', 'node_modules', 'npm')]);
  // As in Node's own tarball: bin/npm and bin/npx point into lib/node_modules/npm (their shebang finds bin/node
  // first on the PATH cleanChildEnv builds).
  symlinkSync('../lib/node_modules/npm/bin/npm-cli.js', join(unpacked, 'bin', 'npm'));
  symlinkSync('../lib/node_modules/npm/bin/npx-cli.js', join(unpacked, 'bin', 'npx'));
  const nodeCheck = spawnSync(join(unpacked, 'bin', 'node'), ['--version'], { encoding: 'utf8' });
  if (nodeCheck.status !== 0 || nodeCheck.stdout.trim() !== `v${NODE_VERSION}`) {
    throw new Error(`unpacked Node does not run: ${nodeCheck.stderr || nodeCheck.stdout}`);
  }
  const npmCheck = spawnSync(
    join(unpacked, 'bin', 'node'),
    [join(unpacked, 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js'), '--version'],
    { encoding: 'utf8', env: cleanChildEnv(inherited, { binDir: join(unpacked, 'bin') }) },
  );
  if (npmCheck.status !== 0 || npmCheck.stdout.trim() !== NPM_VERSION) {
    throw new Error(`unpacked npm does not run: ${npmCheck.stderr || npmCheck.stdout}`);
  }
  writeFileSync(join(unpacked, MARKER), `${new Date().toISOString()}\n`);
  rmSync(p.dir, { recursive: true, force: true });
  renameSync(unpacked, p.dir);
  rmSync(work, { recursive: true, force: true });
  const installedMs = Date.now() - started;
  log(`Node ${NODE_VERSION} + npm ${NPM_VERSION} ready in ${(installedMs / 1000).toFixed(1)} s`);
  return { ...p, installedMs };
}

/** `[node, npm-cli.js]` of the toolchain, to prefix npm's arguments with. */
export function npmCommand(toolchain) {
  return [toolchain.node, toolchain.npmCli];
}

/** True when this process already runs on the toolchain's Node. */
export function onToolchainNode() {
  return process.versions.node === NODE_VERSION;
}

/**
 * Runs `script` again on the toolchain's Node (installing it first) unless this process already is on it, and
 * exits with the child's status. The child keeps the caller's environment (as `npm test` gave it), with the
 * toolchain first on PATH. Returns only when already on the toolchain's Node.
 */
export async function reexecOnToolchainNode(script) {
  if (onToolchainNode()) return;
  let toolchain;
  try {
    toolchain = ensureToolchain();
  } catch (error) {
    log(`could not install Node ${NODE_VERSION}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  // FLUX_AZURE_CALLER_*: the Node and PATH we were started with, for the CI cold-install check (scripts/e2e.mjs),
  // which repeats a first install exactly as a fresh machine's `npm test` makes it.
  const env = {
    ...process.env,
    PATH: [toolchain.binDir, process.env.PATH ?? ''].join(delimiter),
    FLUX_AZURE_CALLER_NODE: process.env.FLUX_AZURE_CALLER_NODE ?? process.execPath,
    FLUX_AZURE_CALLER_PATH: process.env.FLUX_AZURE_CALLER_PATH ?? process.env.PATH ?? '',
  };
  const child = spawn(toolchain.node, [script, ...process.argv.slice(2)], { stdio: 'inherit', env });
  // Ctrl+C reaches the whole process group: let the child stop in its own time and report its status.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (signal !== 'SIGINT') child.kill(signal);
    });
  }
  const code = await new Promise((done) => {
    child.once('error', (error) => {
      log(`could not start ${toolchain.node}: ${error.message}`);
      done(1);
    });
    child.once('exit', (status, signal) => done(status ?? (signal ? 1 : 0)));
  });
  process.exit(code);
}
