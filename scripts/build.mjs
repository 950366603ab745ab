// Bundles the extension client, the language server (and CLI) and the tests with esbuild.
import { build } from 'esbuild';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { generateContributions } from './gen-contributions.mjs';

const root = new URL('..', import.meta.url).pathname;
const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  absWorkingDir: root,
};

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

await Promise.all([
  build({
    ...common,
    entryPoints: ['client/src/extension.ts'],
    outfile: 'client/out/extension.js',
    external: ['vscode'],
  }),
  // The Azure SDK, loaded on first use of the Azure view (client/src/views/azureChunk.ts) so activation stays fast.
  build({
    ...common,
    entryPoints: ['client/src/azure/index.ts'],
    outfile: 'client/out/azure.js',
    external: ['vscode'],
  }),
  build({
    ...common,
    entryPoints: ['server/src/server.ts'],
    outfile: 'server/out/server.js',
    // vscode-jsonrpc loads `crypto` at startup for one rarely used function: load it on first use instead.
    alias: { crypto: './server/src/lazyCrypto.ts' },
  }),
  build({
    ...common,
    entryPoints: ['server/src/cli.ts'],
    outfile: 'server/out/cli.js',
    banner: { js: '#!/usr/bin/env node' },
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
// Snippets and the injection grammar are generated from the catalog (and committed: vsce packages them).
for (const path of await generateContributions()) console.error(`regenerated ${path}`);
console.error(`built in ${relative(process.cwd(), root) || '.'}`);
