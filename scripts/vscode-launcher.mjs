// Runs VS Code extension tests in code-server + headless chromium, behaving like the VS Code executable that
// @vscode/test-electron's runTests expects: same Electron-style arguments, exit code = the tests' result.
//   --extensionDevelopmentPath=<dir> (repeatable)  --extensionTestsPath=<module>  --extensions-dir=<dir>
//   --user-data-dir=<dir> (ignored: a reused one restores old editor state, so every run gets a fresh one)
//   <folder or .code-workspace>  (anything else is ignored)
// Environment: FLUX_AZURE_* variables are passed to the extension host (e.g. FLUX_AZURE_TEST_RESULTS);
// FLUX_AZURE_LAUNCHER_TIMEOUT_MS (default 300000); FLUX_AZURE_LAUNCHER_VERBOSE=1 prints the workbench's noise too.
import { appendFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { format } from 'node:util';
import { ensureVscode } from './ensure-vscode.mjs';
import { launchChromium, startCodeServer } from './lib/codeServer.mjs';

const TIMEOUT_MS = Number(process.env.FLUX_AZURE_LAUNCHER_TIMEOUT_MS || 300_000);
const VERBOSE = process.env.FLUX_AZURE_LAUNCHER_VERBOSE === '1';
// Expected offline: the marketplace (open-vsx), GitHub auth, vsda signing files, web workers we do not use.
const NOISE = [
  /open-vsx|ENOTFOUND|getaddrinfo/i,
  /vsda/i,
  /github/i,
  /Failed to load resource/i,
  /\[(Extension Host|LocalProcess)\].*(Warn|Deprecat)/i,
  /webWorkerExtensionHost|service worker/i,
  /Error while (fetching|resolving)/i,
  /CSP|Content Security Policy/i,
  /^(Resolving|Resolved) connection token|^Creating a socket|\[reconnection-grace-time\]/,
  /^Updating additional builtin extensions|\[AgentHost:|\[AccountPolicyGate\]/,
];

function parseArgs(argv) {
  const parsed = { developmentPaths: [], testsPath: undefined, extensionsDir: undefined, workspace: undefined };
  const ignored = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => inline ?? argv[++i];
    switch (flag) {
      case '--extensionDevelopmentPath':
        parsed.developmentPaths.push(resolve(value()));
        break;
      case '--extensionTestsPath':
        parsed.testsPath = resolve(value());
        break;
      case '--extensions-dir':
        parsed.extensionsDir = resolve(value());
        break;
      case '--user-data-dir':
        ignored.push(`${flag}=${value()}`);
        break;
      default:
        if (!arg.startsWith('-')) parsed.workspace = resolve(arg);
        else ignored.push(arg);
    }
  }
  return { parsed, ignored };
}

function say(line) {
  process.stdout.write(`${line}\n`);
}

async function main() {
  const { parsed, ignored } = parseArgs(process.argv.slice(2));
  if (ignored.length) process.stderr.write(`[launcher] ignoring: ${ignored.join(' ')}\n`);
  if (!parsed.testsPath || parsed.developmentPaths.length === 0) {
    process.stderr.write('[launcher] need --extensionDevelopmentPath= and --extensionTestsPath=\n');
    return 2;
  }

  const tools = ensureVscode();
  const stateDir = mkdtempSync(join(tmpdir(), 'flux-azure-vscode-'));
  const browserLog = join(stateDir, 'browser.log');
  const extensionEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith('FLUX_AZURE_')));
  let server;
  let browser;
  let exitCode = 1;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
  };
  const onSignal = (signal) => {
    process.stderr.write(`[launcher] ${signal}: stopping\n`);
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    if (parsed.extensionsDir) mkdirSync(parsed.extensionsDir, { recursive: true });
    server = await startCodeServer(tools, {
      stateDir,
      extensionsDir: parsed.extensionsDir,
      extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
      env: extensionEnv,
    });
    const remote = (path) => `vscode-remote://127.0.0.1:${server.port}${path}`;
    const payload = [
      ...parsed.developmentPaths.map((path) => ['extensionDevelopmentPath', remote(path)]),
      ['extensionTestsPath', remote(parsed.testsPath)],
      ['extensionEnvironment', JSON.stringify(extensionEnv)],
    ];
    const target = parsed.workspace
      ? parsed.workspace.endsWith('.code-workspace')
        ? `workspace=${encodeURI(parsed.workspace)}&`
        : `folder=${encodeURI(parsed.workspace)}&`
      : 'ew=true&';
    const url = `${server.base}/?${target}payload=${encodeURIComponent(JSON.stringify(payload))}`;

    browser = await launchChromium(tools);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // The workbench's own log (which carries the extension host's console, i.e. mocha's reporter) arrives through
    // codeAutomationLog; raw browser console messages repeat it with CSS markup, so they only go to browser.log.
    const forward = (line, echo) => {
      appendFileSync(browserLog, `${line}\n`);
      if (echo && (VERBOSE || !NOISE.some((re) => re.test(line)))) say(line);
    };
    let settle;
    const exited = new Promise((resolveExit) => (settle = resolveExit));
    await page.exposeFunction('codeAutomationExit', (code) => settle({ code: Number(code) || 0 }));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const text = Array.isArray(args) ? format(...args) : String(args);
      // A test asks for a picture of the workbench: `[flux-azure-screenshot] <path.png>` (written via a temp file),
      // with the text the workbench shows beside it in `<path>.txt` (written first), for the test to read: the
      // workbench's own text, then that of each frame in it (webviews such as a walkthrough step's page).
      const shot = /\[flux-azure-screenshot\] (\S+\.png)/.exec(text)?.[1];
      if (shot) {
        void Promise.all(
          page.frames().map((frame) => frame.evaluate(() => globalThis.document.body?.innerText ?? '').catch(() => '')),
        )
          .then((shown) => writeFileSync(shot.replace(/\.png$/, '.txt'), shown.filter(Boolean).join('\n')))
          .then(() => page.screenshot())
          .then((png) => {
            writeFileSync(`${shot}.tmp`, png);
            renameSync(`${shot}.tmp`, shot);
          })
          .catch((error) => forward(`[launcher] screenshot failed: ${error}`, true));
        return;
      }
      forward(type === 'info' ? text : `[${type}] ${text}`, true);
    });
    page.on('console', (message) => forward(`[console.${message.type()}] ${message.text()}`, VERBOSE));
    page.on('pageerror', (error) => forward(`[pageerror] ${error.message}`, true));
    browser.on('disconnected', () => settle({ code: 1, reason: 'chromium disconnected' }));
    const timer = setTimeout(() => settle({ code: 1, reason: `timed out after ${TIMEOUT_MS} ms` }), TIMEOUT_MS);

    const started = Date.now();
    await page.goto(url, { waitUntil: 'domcontentloaded' });
    const result = await exited;
    clearTimeout(timer);
    if (result.reason) process.stderr.write(`[launcher] ${result.reason}\n`);
    process.stderr.write(`[launcher] extension tests exited with ${result.code} after ${Date.now() - started} ms\n`);
    exitCode = result.code;
  } catch (error) {
    process.stderr.write(`[launcher] ${error instanceof Error ? error.stack : String(error)}\n`);
    exitCode = 1;
  } finally {
    await cleanup();
    if (exitCode === 0 && !VERBOSE) rmSync(stateDir, { recursive: true, force: true });
    else process.stderr.write(`[launcher] logs kept in ${stateDir} (code-server.log, browser.log)\n`);
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    process.stderr.write(`[launcher] ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  },
);
