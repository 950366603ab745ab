/* global fetch */
// Starting and stopping a sandboxed code-server, and launching Debian's chromium through playwright-core.
// Shared by the extension-host test launcher, the UI check and `npm run try`.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, openSync, closeSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { cleanChildEnv } from './toolchain.mjs';

/** Settings that keep the workbench quiet and deterministic (no welcome page, no chat, no updates, no git). */
export const SEED_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'chat.disableAIFeatures': true,
  'telemetry.telemetryLevel': 'off',
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'git.enabled': false,
  'security.workspace.trust.enabled': false,
  'editor.hover.delay': 100,
};

/** Flags for headless chromium in a container without a GPU, a sandbox or network. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--disable-extensions',
  '--no-first-run',
  '--no-default-browser-check',
  '--mute-audio',
  '--password-store=basic',
  '--disable-features=Translate,MediaRouter,OptimizationHints',
];

function log(message) {
  process.stderr.write(`[code-server] ${message}\n`);
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free loopback port: the first free one from `start` upwards, or any the OS hands out. */
export async function findFreePort(start) {
  if (start) {
    for (let port = start; port < start + 100; port++) if (await portIsFree(port)) return port;
    throw new Error(`no free port in ${start}..${start + 99}`);
  }
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function seedUserSettings(userDataDir, extra = {}) {
  const dir = join(userDataDir, 'User');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ ...SEED_SETTINGS, ...extra }, null, 2) + '\n');
}

function codeServerEnv(tools, stateDir, extraEnv = {}) {
  const xdg = join(stateDir, 'xdg');
  return {
    // Without the npm variables of whatever npm script started us: code-server and its extension host see its Node.
    ...cleanChildEnv(process.env, { binDir: dirname(tools.node24Bin) }),
    XDG_CONFIG_HOME: xdg,
    XDG_DATA_HOME: xdg,
    XDG_CACHE_HOME: xdg,
    ...extraEnv,
  };
}

/** Installs a .vsix into an extensions dir with code-server's own CLI (no server needed). */
export function installVsix(tools, { vsix, stateDir, userDataDir, extensionsDir }) {
  const result = spawnSync(
    tools.node24Bin,
    [
      tools.codeServerEntry,
      '--user-data-dir',
      userDataDir,
      '--extensions-dir',
      extensionsDir,
      '--install-extension',
      vsix,
      '--force',
    ],
    { env: codeServerEnv(tools, stateDir), encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new Error(`installing ${vsix} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout.trim();
}

async function waitForHealthz(base, child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with ${child.exitCode}`);
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not answer ${base}/healthz within ${timeoutMs} ms`);
}

/**
 * Starts code-server in its own process group (setsid-like `detached`) bound to 127.0.0.1, with fresh state under
 * `stateDir`. Resolves once /healthz answers. `stop()` kills the whole group: killing only the parent would leave
 * its file watchers and extension hosts behind.
 */
export async function startCodeServer(tools, options) {
  const { stateDir, port = await findFreePort(), settings, extraArgs = [], env = {}, logFile } = options;
  const userDataDir = options.userDataDir ?? join(stateDir, 'ud');
  const extensionsDir = options.extensionsDir ?? join(stateDir, 'ext');
  mkdirSync(extensionsDir, { recursive: true });
  seedUserSettings(userDataDir, settings);
  const logPath = logFile ?? join(stateDir, 'code-server.log');
  mkdirSync(dirname(logPath), { recursive: true });
  const logFd = openSync(logPath, 'a');
  const args = [
    tools.codeServerEntry,
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--auth',
    'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--user-data-dir',
    userDataDir,
    '--extensions-dir',
    extensionsDir,
    ...extraArgs,
  ];
  const child = spawn(tools.node24Bin, args, {
    detached: true,
    stdio: ['ignore', logFd, logFd],
    env: codeServerEnv(tools, stateDir, env),
  });
  closeSync(logFd);
  const base = `http://127.0.0.1:${port}`;
  let stopped = false;
  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  // Last line of defence if the caller dies without calling stop().
  const onExit = () => killGroup('SIGKILL');
  process.on('exit', onExit);
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', onExit);
    killGroup('SIGTERM');
    const exited = new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', resolve);
    });
    const timer = new Promise((resolve) => setTimeout(resolve, 3000));
    await Promise.race([exited, timer]);
    killGroup('SIGKILL'); // children that ignored SIGTERM
  };
  try {
    await waitForHealthz(base, child, 30_000);
  } catch (error) {
    await stop();
    throw new Error(`${error instanceof Error ? error.message : error} (log: ${logPath})`);
  }
  log(`listening on ${base} (pid ${child.pid}, log ${logPath})`);
  return { port, base, pid: child.pid, child, userDataDir, extensionsDir, logPath, stop };
}

/** Debian's chromium through playwright-core; never `playwright install`. */
export async function launchChromium(tools) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: tools.chromium, headless: true, args: CHROMIUM_ARGS });
}

/** `?folder=` URL for a folder on the server's filesystem. */
export function folderUrl(base, folder) {
  return `${base}/?folder=${encodeURI(folder)}`;
}
