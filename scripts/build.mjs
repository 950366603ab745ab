// Bundles the extension client, the language server (and CLI) and the tests with esbuild.
import { build } from 'esbuild';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateContributions } from './gen-contributions.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const production = process.argv.includes('--production');

/** The Node.js of the oldest VS Code that package.json's engines.vscode admits (scripts/vscode-node.json). */
function oldestSupportedNode() {
  const { engines } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const minor = /(\d+)\.(\d+)/.exec(engines.vscode);
  const table = JSON.parse(readFileSync(join(root, 'scripts', 'vscode-node.json'), 'utf8'));
  const row = minor && table.releases.find((r) => r.vscode === `${minor[1]}.${minor[2]}`);
  if (!row) throw new Error(`scripts/vscode-node.json has no row for engines.vscode ${engines.vscode}`);
  return row.node;
}

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

const common = {
  bundle: true,
  // The version `flux-azure-check --version` and SARIF's tool.driver.version print (server/src/cli/cli.ts).
  define: { __FLUX_AZURE_VERSION__: JSON.stringify(version) },
  platform: 'node',
  target: `node${oldestSupportedNode().split('.')[0]}`,
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
  metafile: true,
};

/** Leaves imports matching `filter` to the loader, which hands over the loading bundle's copy (startup/codeCache.ts). */
function provided(filter) {
  return { name: 'provided', setup: (b) => b.onResolve({ filter }, ({ path }) => ({ path, external: true })) };
}

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(join(root, dir))) {
    const path = join(dir, name);
    if (name === 'out' || name === 'fixtures') continue;
    if (statSync(join(root, path)).isDirectory()) out.push(...findTests(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

// The bundles the .vsix ships (not the tests): their esbuild metafiles go to build/meta/, for the engines test
// (test/unit/engines.test.ts: every package they take code from must run on the Node of the oldest VS Code).
const metaDir = join(root, 'build', 'meta');

const results = await Promise.all([
  build({
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'client/out/extension.js',
    external: ['vscode'],
  }),
  // The Azure SDK, loaded on first use of the Azure view (client/src/views/azureChunk.ts) so activation stays fast.
  build({
    ...common,
    entryPoints: ['azure/src/index.ts'],
    outfile: 'client/out/azure.js',
    external: ['vscode'],
  }),
  // The language server in three bundles, so that `initialize` is answered before most of the code is even parsed:
  // server.js (entry: loads the others through V8's code cache, server/src/startup/codeCache.ts), shell.js (the protocol
  // library and the `initialize` answer) and session.js (everything else, loaded after `initialize`; it uses the
  // shell's copy of the protocol library and the entry's code cache module, handed over at load).
  build({
    ...common,
    entryPoints: ['server/src/server.ts'],
    outfile: 'server/out/server.js',
  }),
  build({
    ...common,
    entryPoints: ['server/src/startup/shell.ts'],
    outfile: 'server/out/shell.js',
    // vscode-jsonrpc and vscode-languageserver load `crypto` and `child_process` at startup for rarely used
    // functions: load them on first use instead.
    alias: { crypto: './server/src/startup/lazyCrypto.ts', child_process: './server/src/startup/lazyChildProcess.ts' },
    plugins: [provided(/^\.\/codeCache$/)],
    // Start-up reads and deserialises this bundle before anything else: smaller is faster (~6 ms), and it is
    // library code nobody steps through.
    minify: true,
  }),
  build({
    ...common,
    entryPoints: ['server/src/session.ts'],
    outfile: 'server/out/session.js',
    plugins: [provided(/^vscode-languageserver(\/node|-types|-protocol)?$/)],
  }),
  build({
    ...common,
    entryPoints: ['server/src/cli.ts'],
    outfile: 'server/out/cli.js',
    banner: { js: '#!/usr/bin/env node' },
  }),
  // The Azure SDK for `flux-azure-check --azure`, beside cli.js and loaded by it only then: without --azure the CLI
  // stays one dependency-free, offline file.
  build({
    ...common,
    entryPoints: ['azure/src/ci.ts'],
    outfile: 'server/out/cliAzure.js',
  }),
  build({
    ...common,
    entryPoints: findTests('test'),
    outdir: 'test/out',
    outbase: 'test',
    external: ['vscode'],
    packages: 'external',
  }),
]);
mkdirSync(metaDir, { recursive: true });
for (const result of results) {
  const outputs = Object.keys(result.metafile.outputs).filter((out) => out.endsWith('.js'));
  if (outputs.length !== 1 || outputs[0].startsWith('test/')) continue; // the tests are not shipped
  const name = outputs[0].replace(/\.js$/, '').replace(/\//g, '_');
  writeFileSync(join(metaDir, `${name}.json`), JSON.stringify(result.metafile));
}
// Snippets and the injection grammar are generated from the catalog (and committed: vsce packages them).
for (const path of await generateContributions()) console.error(`regenerated ${path}`);
console.error(`built in ${relative(process.cwd(), root) || '.'}`);
