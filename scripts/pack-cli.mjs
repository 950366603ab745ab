#!/usr/bin/env node
// Packs the CLI alone as the npm package `flux-azure-check` (flux-azure-check-<version>.tgz): the bundled
// server/out/cli.js, which needs nothing but Node.js, under a package.json written here with no dependencies, so
// that `npx --package=<tarball> flux-azure-check` installs one file and works offline. (The repository's own
// package.json is the extension's manifest; its dependencies are bundled and must not be installed with the CLI.)
//   node scripts/pack-cli.mjs [--no-build] [--out <dir>]      prints the tarball's path
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureToolchain, npmCommand, reexecOnToolchainNode } from './lib/toolchain.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));

/** The package.json of the CLI package, from the extension's (name, version, license, engines). */
export function cliManifest() {
  const ext = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return {
    name: 'flux-azure-check',
    version: ext.version,
    description:
      'The Flux for Azure checks of Flux CD manifests (workload identity, ACR, Azure DevOps, Blob, Key Vault SOPS, ' +
      'Event Hubs) for CI: text, JSON or SARIF output.',
    license: ext.license,
    keywords: ext.keywords,
    bin: { 'flux-azure-check': 'cli.js' },
    files: ['cli.js', 'cliAzure.js'],
    engines: { node: ext.engines.node },
  };
}

const README = `# flux-azure-check

The checks of the Flux for Azure editor extension for Flux CD manifests on Azure, for CI and git hooks:

    npx --package=flux-azure-check flux-azure-check clusters/ apps/ infrastructure/
    flux-azure-check . --format sarif > flux-azure.sarif

\`flux-azure-check --help\` lists the options and exit codes. \`cli.js\` needs nothing but Node.js 22 or newer; \`--azure\` (the
readiness checks against Azure, signed in with DefaultAzureCredential) loads \`cliAzure.js\` beside it.
`;

/** Writes the package into a temporary folder and packs it into `outDir`; returns the tarball's path. */
export function packCli({ outDir = root, build = true } = {}) {
  if (build) {
    const b = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: root, stdio: 'inherit' });
    if (b.status !== 0) throw new Error('build failed');
  }
  const cli = join(root, 'server', 'out', 'cli.js');
  if (!existsSync(cli)) throw new Error(`${cli} is missing: run node scripts/build.mjs`);
  const dir = mkdtempSync(join(tmpdir(), 'flux-azure-check-pkg-'));
  try {
    copyFileSync(cli, join(dir, 'cli.js'));
    // The Azure SDK bundle for `--azure`, loaded by cli.js from its own folder only then.
    copyFileSync(join(root, 'server', 'out', 'cliAzure.js'), join(dir, 'cliAzure.js'));
    copyFileSync(join(root, 'LICENSE'), join(dir, 'LICENSE'));
    writeFileSync(join(dir, 'README.md'), README);
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(cliManifest(), null, 2)}\n`);
    mkdirSync(outDir, { recursive: true });
    const [node, npmCli] = npmCommand(ensureToolchain());
    const r = spawnSync(node, [npmCli, 'pack', '--json', '--pack-destination', resolve(outDir)], {
      cwd: dir,
      encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`npm pack failed: ${r.stderr}`);
    const [{ filename }] = JSON.parse(r.stdout);
    return join(resolve(outDir), filename);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await reexecOnToolchainNode(process.argv[1]);
  const at = process.argv.indexOf('--out');
  const tarball = packCli({
    build: !process.argv.includes('--no-build'),
    ...(at >= 0 ? { outDir: process.argv[at + 1] } : {}),
  });
  process.stdout.write(`${tarball}\n`);
}
