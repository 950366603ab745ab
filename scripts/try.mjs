#!/usr/bin/env node
/* global fetch */
// `npm run try`: the extension in a real VS Code in your browser, on the examples/ fleet repository, in a sandbox.
// Installs what is missing (Node 24 + npm, npm ci, code-server in ~/.cache/flux-azure-dev), packages the .vsix,
// installs it into a fresh code-server profile and serves it on 127.0.0.1 until Ctrl+C. Runs on the toolchain's
// Node (scripts/lib/toolchain.mjs), like `npm test`.
//   PORT=8080 npm run try        (default: the first free port from 8080)
//   npm run try -- --check       (start, load it in headless chromium, save test-results/try.png, stop)
//   npm run try -- --vsix f.vsix (serve an already packaged extension instead of building one)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanChildEnv, ensureToolchain, npmCommand, reexecOnToolchainNode } from './lib/toolchain.mjs';

await reexecOnToolchainNode(fileURLToPath(import.meta.url));
const root = fileURLToPath(new URL('..', import.meta.url));
const check = process.argv.includes('--check');
const vsixArg = process.argv.includes('--vsix') ? process.argv[process.argv.indexOf('--vsix') + 1] : undefined;

function log(message) {
  process.stderr.write(`[try] ${message}\n`);
}

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  log('installing npm dependencies (npm ci)');
  const toolchain = ensureToolchain();
  const [node, npmCli] = npmCommand(toolchain);
  const env = cleanChildEnv(process.env, { binDir: toolchain.binDir });
  const result = spawnSync(node, [npmCli, 'ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Imported after `npm ci`: these modules are built-ins only, but packaging needs esbuild and vsce.
const { ensureVscode } = await import('./ensure-vscode.mjs');
const { packageExtension } = await import('./package.mjs');
const { findFreePort, folderUrl, installVsix, startCodeServer } = await import('./lib/codeServer.mjs');

const tools = ensureVscode({ browser: check });
const vsix = vsixArg ? resolve(vsixArg) : packageExtension({ quiet: true });
const stateDir = mkdtempSync(join(tmpdir(), 'flux-azure-try-'));
const port = process.env.PORT ? Number(process.env.PORT) : await findFreePort(8080);
const userDataDir = join(stateDir, 'ud');
const extensionsDir = join(stateDir, 'ext');
log(`installing ${vsix}`);
installVsix(tools, { vsix, stateDir, userDataDir, extensionsDir });

let server;
try {
  server = await startCodeServer(tools, { stateDir, port, userDataDir, extensionsDir });
} catch (error) {
  log(error instanceof Error ? error.message : String(error));
  rmSync(stateDir, { recursive: true, force: true });
  process.exit(1);
}

const examples = join(root, 'examples');
const url = folderUrl(server.base, examples);
let stopping = false;
async function stop(code) {
  if (stopping) return;
  stopping = true;
  await server.stop();
  rmSync(stateDir, { recursive: true, force: true });
  process.exit(code);
}
process.on('SIGINT', () => void stop(0));
process.on('SIGTERM', () => void stop(0));
process.on('SIGHUP', () => void stop(0));
server.child.once('exit', (code) => {
  if (stopping) return;
  log(`code-server exited (${code}); log: ${server.logPath}`);
  void stop(1);
});

process.stdout.write(
  [
    '',
    'Flux for Azure is running in VS Code (code-server, sandboxed profile, examples/ open):',
    '',
    `    ${url}`,
    '',
    'Open it in a browser (from another machine: ssh -L ' + `${server.port}:127.0.0.1:${server.port} ...).`,
    'Try: open apps/base/podinfo/source.yaml and hover `provider`, or press Ctrl+Space in any Flux manifest.',
    'Press Ctrl+C to stop (the server and its processes are stopped and the sandbox is deleted).',
    '',
  ].join('\n') + '\n',
);

if (check) {
  const { findOciTarget, screenshotWorkbench } = await import('./ui-check.mjs');
  let code = 0;
  try {
    const health = await fetch(`${server.base}/healthz`);
    log(`/healthz: ${health.status} ${await health.text()}`);
    const target = findOciTarget();
    await screenshotWorkbench({
      url,
      relativePath: target.relativePath,
      expectText: 'OCIRepository',
      screenshot: join(root, 'test-results', 'try.png'),
    });
  } catch (error) {
    log(`check failed: ${error instanceof Error ? error.message : String(error)}`);
    code = 1;
  }
  await stop(code);
}
