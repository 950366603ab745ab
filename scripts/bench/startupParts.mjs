// What each piece of server/src/startup saves (server/src/startup/README.md): the real server over stdio, started
// again and again with one piece taken away at a time, interleaved so that machine noise hits every variant alike.
//
//   node scripts/bench/startupParts.mjs [--spawns N]      (after `npm run build`; ~10 s per spawn and variant)
//
// Per start: spawn -> `initialize` answered; `didOpen` -> first diagnostics (sent right after `initialize`, so it
// includes loading the session bundle); then, once the server is idle, the first hover and the first completion.
// The variants without the lazy modules or without the warm-up are bundled here into build/startup-parts/ (the
// shipped bundles stay as they are); the last figure is the time to load the session bundle itself, which the split
// keeps out of `initialize`.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BenchClient } from './lspClient.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const OUT = join(ROOT, 'server', 'out');
const PARTS = join(ROOT, 'build', 'startup-parts');
const spawnsArg = process.argv.indexOf('--spawns');
const SPAWNS = spawnsArg > 0 ? Number(process.argv[spawnsArg + 1]) : 10;

// The probe: a real example manifest (a ServiceAccount and an OCIRepository on ACR), opened under a name outside the
// workspace; hover and completion go to its `provider: azure` line.
const PROBE = readFileSync(join(ROOT, 'examples', 'apps', 'base', 'podinfo', 'source.yaml'), 'utf8');
const URI = pathToFileURL(join(tmpdir(), 'flux-azure-startup-probe.yaml')).href;
const PROVIDER_LINE = PROBE.split(/\r?\n/).indexOf('  provider: azure');
if (PROVIDER_LINE < 0) throw new Error('no `  provider: azure` line in the probe file');

const BUNDLE = { bundle: true, platform: 'node', format: 'cjs', logLevel: 'warning', absWorkingDir: ROOT };

/** A copy of the shipped bundles with `replace` (file -> bundle options) rebuilt, in build/startup-parts/<name>. */
async function variantDir(name, replace) {
  const dir = join(PARTS, name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(OUT, 'server.js'), join(dir, 'server.js'));
  for (const [file, options] of Object.entries(replace))
    await build({ ...BUNDLE, ...options, outfile: join(dir, file) });
  return dir;
}

/** Leaves these imports to the loading bundle, as scripts/build.mjs does. */
const provided = (filter) => ({
  name: 'provided',
  setup: (b) => b.onResolve({ filter }, ({ path }) => ({ path, external: true })),
});
/** The warm-up module with nothing in it. */
const noWarmUp = {
  name: 'no-warm-up',
  setup: (b) =>
    b.onLoad({ filter: /startup[\\/]warmUp\.ts$/ }, () => ({
      contents: 'export function warmUp() {}\nexport async function warmUpRequests() {}\n',
      loader: 'ts',
    })),
};

const caches = [];
const cacheDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-azure-parts-cache-'));
  caches.push(dir);
  return dir;
};

const shell = (options) => ({
  entryPoints: ['server/src/startup/shell.ts'],
  minify: true,
  plugins: [provided(/^\.\/codeCache$/)],
  ...options,
});
const LAZY = {
  crypto: './server/src/startup/lazyCrypto.ts',
  child_process: './server/src/startup/lazyChildProcess.ts',
};
const session = (...plugins) => ({
  entryPoints: ['server/src/session.ts'],
  plugins: [provided(/^vscode-languageserver(\/node|-types)?$/), ...plugins],
});

// The first three run the shipped bundles; the last three are bundled here alike: compare those with each other.
const variants = [
  { name: 'shipped (warm code cache)', dir: OUT, env: { FLUX_AZURE_CODE_CACHE: cacheDir() } },
  { name: 'code cache off', dir: OUT, env: { FLUX_AZURE_CODE_CACHE: 'off' } },
  { name: 'first start (empty code cache)', dir: OUT, env: () => ({ FLUX_AZURE_CODE_CACHE: cacheDir() }) },
  {
    name: 'bundled here, nothing removed',
    dir: await variantDir('baseline', { 'shell.js': shell({ alias: LAZY }), 'session.js': session() }),
    env: { FLUX_AZURE_CODE_CACHE: cacheDir() },
  },
  {
    name: 'bundled here, no lazy crypto / child_process',
    dir: await variantDir('eager-modules', { 'shell.js': shell(), 'session.js': session() }),
    env: { FLUX_AZURE_CODE_CACHE: cacheDir() },
  },
  {
    name: 'bundled here, no warm-up',
    dir: await variantDir('no-warm-up', { 'shell.js': shell({ alias: LAZY }), 'session.js': session(noWarmUp) }),
    env: { FLUX_AZURE_CODE_CACHE: cacheDir() },
  },
];

async function startOnce(variant, warmCache) {
  const env = typeof variant.env === 'function' ? variant.env() : variant.env;
  const client = new BenchClient({
    command: [process.execPath, join(variant.dir, 'server.js'), '--stdio'],
    cwd: ROOT,
    settings: { fluxAzure: { fluxVersion: '' } },
    stderr: 'ignore',
    timeoutMs: 30_000,
    env: { ...env, NODE_EXTRA_CA_CERTS: '' },
  });
  try {
    const initialize = await client.start(join(ROOT, 'examples'));
    const opened = performance.now();
    client.notify('textDocument/didOpen', { textDocument: { uri: URI, languageId: 'yaml', version: 1, text: PROBE } });
    const diagnostics = (await client.diagnosticsAfter(URI, opened))?.t - opened;
    await client.idle(); // the scan and the warm-up are done (and the code cache written)
    if (warmCache) await sleep(1000);
    const textDocument = { uri: URI };
    let t = performance.now();
    await client.request('textDocument/hover', { textDocument, position: { line: PROVIDER_LINE, character: 4 } });
    const hover = performance.now() - t;
    t = performance.now();
    await client.request('textDocument/completion', { textDocument, position: { line: PROVIDER_LINE, character: 12 } });
    const completion = performance.now() - t;
    return { initialize, diagnostics, hover, completion };
  } finally {
    await client.stop();
  }
}

/** Loading the session bundle in a fresh Node (as the shell does after `initialize`), with and without a cache. */
async function sessionLoad(env) {
  const { execFileSync } = await import('node:child_process');
  const script = `
    const { performance } = require('node:perf_hooks');
    const codeCache = require(${JSON.stringify(join(PARTS, 'codeCache.js'))});
    const lsp = require('vscode-languageserver/node');
    const t = performance.now();
    codeCache.loadBundle(${JSON.stringify(join(OUT, 'session.js'))}, { 'vscode-languageserver': lsp, 'vscode-languageserver/node': lsp, 'vscode-languageserver-types': lsp });
    const ms = performance.now() - t;
    codeCache.saveCodeCaches();
    process.stdout.write(String(ms));`;
  return Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, env: { ...process.env, ...env } }));
}

const median = (values) => {
  const s = values.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

try {
  for (const v of variants) if (typeof v.env !== 'function') await startOnce(v, true); // write the warm caches
  const results = variants.map(() => []);
  for (let i = 0; i < SPAWNS; i++) {
    // A different variant goes first each round: what runs first after a pause is not always the same one.
    for (let j = 0; j < variants.length; j++) {
      const k = (i + j) % variants.length;
      results[k].push(await startOnce(variants[k], false));
    }
    process.stderr.write(`[startup-parts] ${i + 1}/${SPAWNS}\n`);
  }
  console.log(
    `| variant (median of ${SPAWNS} starts, ms) | initialize | didOpen -> diagnostics | first hover | first completion |`,
  );
  console.log('|---|---:|---:|---:|---:|');
  for (const [k, v] of variants.entries()) {
    const cell = (key) => median(results[k].map((r) => r[key])).toFixed(1);
    console.log(
      `| ${v.name} | ${cell('initialize')} | ${cell('diagnostics')} | ${cell('hover')} | ${cell('completion')} |`,
    );
  }
  await build({
    entryPoints: [join(ROOT, 'server/src/startup/codeCache.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: join(PARTS, 'codeCache.js'),
    logLevel: 'warning',
  });
  const loadCache = cacheDir();
  await sessionLoad({ FLUX_AZURE_CODE_CACHE: loadCache });
  const loads = { off: [], warm: [] };
  for (let i = 0; i < SPAWNS; i++) {
    loads.off.push(await sessionLoad({ FLUX_AZURE_CODE_CACHE: 'off' }));
    loads.warm.push(await sessionLoad({ FLUX_AZURE_CODE_CACHE: loadCache }));
  }
  console.log(
    `\nsession bundle load (what the split keeps out of initialize): ${median(loads.off).toFixed(1)} ms without a code cache, ${median(loads.warm).toFixed(1)} ms with one`,
  );
} finally {
  for (const dir of caches) rmSync(dir, { recursive: true, force: true });
}
