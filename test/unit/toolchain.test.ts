// The installer's child environment: whatever npm, Node, PATH or npm_* variables the caller carries (`npm test` runs
// us inside npm's lifecycle environment), the installs it starts must see the toolchain's Node. code-server's
// postinstall reads the Node version from npm_config_user_agent, which a nested npm inherits from the outer one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const REPO = join(__dirname, '..', '..', '..');

interface Toolchain {
  dir: string;
  binDir: string;
  node: string;
  npmCli: string;
}
interface ToolchainModule {
  NODE_VERSION: string;
  NPM_VERSION: string;
  cleanChildEnv(
    inherited: NodeJS.ProcessEnv,
    options?: { binDir?: string; extra?: Record<string, string> },
  ): NodeJS.ProcessEnv;
  ensureToolchain(): Toolchain;
}
interface EnsureModule {
  installEnv(inherited: NodeJS.ProcessEnv, toolchain: Toolchain): NodeJS.ProcessEnv;
}

const load = async <T>(...path: string[]): Promise<T> => (await import(pathToFileURL(join(REPO, ...path)).href)) as T;

/** What `npm test` started from Node 20 by npm 11 hands its script, plus a PATH whose first `node` is not ours. */
function hostileEnv(fakeBin: string): NodeJS.ProcessEnv {
  return {
    HOME: process.env.HOME,
    TMPDIR: tmpdir(),
    PATH: [
      fakeBin,
      '/work/repo/node_modules/.bin',
      '/usr/lib/node_modules/npm/node_modules/@npmcli/run-script/lib/node-gyp-bin',
      process.env.PATH,
    ].join(delimiter),
    npm_config_user_agent: 'npm/11.19.1 node/v20.20.2 linux x64 workspaces/false',
    npm_node_execpath: '/usr/bin/node',
    npm_execpath: '/usr/lib/node_modules/npm/bin/npm-cli.js',
    NODE: '/usr/bin/node',
    INIT_CWD: '/work/repo',
    npm_lifecycle_event: 'test',
    npm_lifecycle_script: 'node scripts/test.mjs',
    npm_package_name: 'flux-azure',
    npm_config_node_gyp: '/usr/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js',
    npm_config_nodedir: '/usr',
    npm_config_prefix: '/usr',
    npm_config_global_prefix: '/usr',
    NPM_CONFIG_IGNORE_SCRIPTS: 'true',
    FORCE_NODE_VERSION: '20',
    // Chosen by the user on purpose: kept.
    npm_config_registry: process.env.npm_config_registry ?? 'https://registry.npmjs.org/',
    'npm_config_@corp:registry': 'https://npm.corp.example/',
    NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
  };
}

function fakeNodeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'flux-azure-fake-node-'));
  for (const name of ['node', 'npm']) {
    writeFileSync(join(dir, name), '#!/bin/sh\necho v20.0.0\n');
    chmodSync(join(dir, name), 0o755);
  }
  return dir;
}

test('the install environment drops what describes the calling npm and keeps the registry the user chose', async () => {
  const { cleanChildEnv } = await load<ToolchainModule>('scripts', 'lib', 'toolchain.mjs');
  const fake = fakeNodeDir();
  try {
    const env = cleanChildEnv(hostileEnv(fake), { binDir: '/cache/node/bin', extra: { npm_config_fund: 'false' } });
    for (const gone of [
      'npm_config_user_agent',
      'npm_node_execpath',
      'npm_execpath',
      'NODE',
      'INIT_CWD',
      'npm_lifecycle_event',
      'npm_package_name',
      'npm_config_node_gyp',
      'npm_config_nodedir',
      'npm_config_prefix',
      'NPM_CONFIG_IGNORE_SCRIPTS',
      'FORCE_NODE_VERSION',
    ]) {
      assert.equal(env[gone], undefined, `${gone} reaches the child`);
    }
    assert.equal(env['npm_config_@corp:registry'], 'https://npm.corp.example/');
    assert.ok(env.npm_config_registry);
    assert.equal(env.NODE_EXTRA_CA_CERTS, '/etc/ssl/certs/ca-certificates.crt');
    assert.equal(env.npm_config_fund, 'false');
    const path = env.PATH!.split(delimiter);
    assert.equal(path[0], '/cache/node/bin');
    assert.ok(!path.some((p) => p.endsWith('node_modules/.bin') || p.endsWith('node-gyp-bin')), env.PATH);
    assert.ok(path.includes(fake), 'the rest of PATH is kept, after the toolchain');
  } finally {
    rmSync(fake, { recursive: true, force: true });
  }
});

/** Runs the toolchain's npm on a package whose postinstall reports the Node it sees; returns that report. */
function whatAnInstallScriptSees(
  toolchain: Toolchain,
  env: NodeJS.ProcessEnv,
): { node: string; userAgent: string; npm: string } {
  const dir = mkdtempSync(join(tmpdir(), 'flux-azure-install-env-'));
  try {
    mkdirSync(dir, { recursive: true });
    // Like code-server's postinstall.sh: `node` from PATH, the Node major from npm_config_user_agent.
    const script = 'echo "SEEN node=$(node --version) npm=$(npm --version) ua=$npm_config_user_agent"';
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'probe', version: '1.0.0', private: true, scripts: { postinstall: script } }),
    );
    const r = spawnSync(
      toolchain.node,
      [
        toolchain.npmCli,
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--foreground-scripts',
        '--ignore-scripts=false',
      ],
      { cwd: dir, env, encoding: 'utf8' },
    );
    const line = /SEEN node=(\S*) npm=(\S*) ua=(.*)/.exec(`${r.stdout}\n${r.stderr}`);
    assert.ok(line, `the postinstall did not run (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
    return { node: line[1]!, npm: line[2]!, userAgent: line[3]!.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('an install started from a hostile npm environment sees the toolchain Node, in PATH and in the user agent', async () => {
  const { NODE_VERSION, NPM_VERSION, ensureToolchain } = await load<ToolchainModule>('scripts', 'lib', 'toolchain.mjs');
  const { installEnv } = await load<EnsureModule>('scripts', 'ensure-vscode.mjs');
  const toolchain = ensureToolchain(); // installed by `npm test` before any test runs; a no-op here
  const fake = fakeNodeDir();
  try {
    const hostile = hostileEnv(fake);
    // As the installer used to start it: the inherited environment with the toolchain first on PATH. The nested
    // npm takes the outer npm's user agent as its own configuration: the script is told "node/v20".
    const old: NodeJS.ProcessEnv = { ...hostile, PATH: `${toolchain.binDir}${delimiter}${hostile.PATH}` };
    delete old.NPM_CONFIG_IGNORE_SCRIPTS; // (which the installer now overrides with --ignore-scripts=false)
    const before = whatAnInstallScriptSees(toolchain, old);
    assert.match(before.userAgent, /node\/v20\.20\.2/);
    // As it starts it now (code-server's install): the toolchain's Node everywhere the script can look.
    const seen = whatAnInstallScriptSees(toolchain, installEnv(hostile, toolchain));
    assert.equal(seen.node, `v${NODE_VERSION}`);
    assert.equal(seen.npm, NPM_VERSION);
    assert.match(
      seen.userAgent,
      new RegExp(`^npm/${NPM_VERSION.replace(/\./g, '\\.')} node/v${NODE_VERSION.replace(/\./g, '\\.')} `),
    );
  } finally {
    rmSync(fake, { recursive: true, force: true });
  }
});
