#!/usr/bin/env node
// Builds the production bundles and packages them with vsce into flux-azure-<version>.vsix at the repository root.
// Everything is bundled by esbuild, so the package carries no node_modules (`--no-dependencies`);
// .vscodeignore lists what ships. The Marketplace page is README.marketplace.md (the repository README is for
// developers). There is no public repository, so vsce cannot turn relative links into absolute ones: they are kept
// as written (`--no-rewrite-relative-links`) and resolve against the installed extension, whose .vsix carries the
// images they name.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { reexecOnToolchainNode } from './lib/toolchain.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const MAX_BYTES = 1.5 * 1024 * 1024;

function log(message) {
  process.stderr.write(`[package] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Lists the entries of a zip file from its central directory (a .vsix is a zip); `text()` reads one (stored or deflated). */
export function zipEntries(file) {
  const buf = readFileSync(file);
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let offset = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    const size = buf.readUInt32LE(offset + 24);
    const nameLength = buf.readUInt16LE(offset + 28);
    const extraLength = buf.readUInt16LE(offset + 30);
    const commentLength = buf.readUInt16LE(offset + 32);
    const method = buf.readUInt16LE(offset + 10);
    const compressedSize = buf.readUInt32LE(offset + 20);
    const local = buf.readUInt32LE(offset + 42);
    const name = buf.toString('utf8', offset + 46, offset + 46 + nameLength);
    const text = () => {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const data = buf.subarray(start, start + compressedSize);
      return (method === 8 ? inflateRawSync(data) : data).toString('utf8');
    };
    entries.push({ name, size, text });
    offset += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The vsce arguments that package the built tree into `out` (without building). */
export function vsceArgs(out) {
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  return [
    vsce,
    'package',
    '--no-dependencies',
    '--readme-path',
    'README.marketplace.md',
    '--no-rewrite-relative-links',
    '--allow-missing-repository',
    '--out',
    out,
  ];
}

/** Builds and packages; returns the absolute path of the .vsix. */
export function packageExtension({ quiet = false } = {}) {
  const { version, name } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const vsix = join(root, `${name}-${version}.vsix`);
  const started = Date.now();
  if (run(process.execPath, ['scripts/build.mjs', '--production']) !== 0) throw new Error('production build failed');
  const args = vsceArgs(vsix);
  const stdio = quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit';
  const status = run(process.execPath, args, { stdio });
  if (status !== 0 || !existsSync(vsix)) throw new Error(`vsce package failed (${status})`);
  const size = statSync(vsix).size;
  log(`${vsix} ${(size / 1024).toFixed(1)} KiB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  if (!quiet) for (const entry of zipEntries(vsix)) log(`  ${entry.name} (${entry.size} B)`);
  if (size > MAX_BYTES) throw new Error(`${vsix} is ${size} bytes, over the ${MAX_BYTES} byte budget`);
  return vsix;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await reexecOnToolchainNode(process.argv[1]); // `npm run package`: vsce and the build on the toolchain's Node
  try {
    const vsix = packageExtension();
    process.stdout.write(`${vsix}\n`);
  } catch (error) {
    log(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
