import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LspClient, positionOf } from './lspClient';

/**
 * The server's compiled-code cache (server/src/startup/codeCache.ts): written once the server is warm, used by the next start,
 * and never able to break the server — a corrupt, stale or unwritable cache only means compiling from source.
 */
const home = mkdtempSync(join(tmpdir(), 'flux-azure-cc-home-'));
const dir = mkdtempSync(join(tmpdir(), 'flux-azure-cc-'));
after(() => {
  rmSync(home, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const URI = 'untitled:cache-check.yaml';
const TEXT = [
  'apiVersion: source.toolkit.fluxcd.io/v1',
  'kind: HelmRepository',
  'metadata:',
  '  name: charts',
  '  namespace: flux-system',
  'spec:',
  '  interval: 5m',
  '  url: https://charts.example.com',
  '  provider: azure',
  '',
].join('\n');

/**
 * Starts a server with `env`, checks that it analyses and hovers, lets `whileRunning` look around (caches are written
 * once the server is warm), and stops it.
 */
async function useServer(env: Record<string, string>, whileRunning?: () => Promise<unknown>): Promise<void> {
  const client = new LspClient({}, { env });
  try {
    await client.initialize();
    client.open(URI, TEXT);
    const diagnostics = await client.waitForDiagnostics(URI, (d) => d.length > 0);
    assert.deepEqual(
      diagnostics.map((d) => d.code),
      ['flux-azure/helmrepository-provider-ignored'],
    );
    const hover = (await client.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: URI },
      position: positionOf(TEXT, 'provider', 2),
    })) as { contents: { value: string } } | null;
    assert.match(hover?.contents.value ?? '', /azure/i);
    await whileRunning?.();
  } finally {
    await client.dispose();
  }
}

/** Waits for the bundles' cache files to be written (after the server's warm-up). */
async function cacheFiles(where: string, count = 2): Promise<string[]> {
  for (let i = 0; i < 100; i++) {
    const files = existsSync(where) ? readdirSync(where).filter((f) => f.endsWith('.bin')) : [];
    if (files.length >= count) return files.sort();
    await new Promise((r) => setTimeout(r, 100));
  }
  return existsSync(where) ? readdirSync(where).sort() : [];
}

test('by default the compiled code is cached in the user cache directory', async () => {
  const env = { HOME: home, XDG_CACHE_HOME: '', FLUX_AZURE_CODE_CACHE: '', LOCALAPPDATA: '' };
  const client = new LspClient({}, { env });
  try {
    await client.initialize();
    client.open(URI, TEXT);
    await client.waitForDiagnostics(URI, (d) => d.length > 0);
    const files = await cacheFiles(join(home, '.cache', 'flux-azure', 'code-cache'));
    assert.deepEqual(
      files.map((f) => f.split('_')[0]),
      ['session', 'shell'],
    );
  } finally {
    await client.dispose();
  }
});

test('a server started with a cache works as one without', async () => {
  await useServer({ FLUX_AZURE_CODE_CACHE: dir }, () => cacheFiles(dir));
  const first = await cacheFiles(dir);
  assert.equal(first.length, 2);
  const before = first.map((f) => readFileSync(join(dir, f)));
  await useServer({ FLUX_AZURE_CODE_CACHE: dir }, () => new Promise((r) => setTimeout(r, 1500)));
  // An accepted cache is not rewritten.
  assert.deepEqual(
    (await cacheFiles(dir)).map((f) => readFileSync(join(dir, f))),
    before,
  );
});

test('a corrupt cache is ignored and replaced', async () => {
  const files = await cacheFiles(dir);
  for (const f of files) writeFileSync(join(dir, f), Buffer.from('not a V8 code cache'));
  await useServer({ FLUX_AZURE_CODE_CACHE: dir }, async () => {
    for (let i = 0; i < 100; i++) {
      if (files.every((f) => readFileSync(join(dir, f)).length > 1000)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  for (const f of files) assert.ok(readFileSync(join(dir, f)).length > 1000, `${f} was rewritten`);
});

test('caches of other builds are removed; an unusable cache directory is harmless', async () => {
  // As after an update: the session bundle's cache is for another build, so it is compiled and saved again, and the
  // old build's file goes; another installation's (another folder) stays.
  const current = (await cacheFiles(dir)).find((f) => f.startsWith('session_'))!;
  rmSync(join(dir, current));
  const stale = join(dir, `${current.slice(0, current.indexOf('-'))}-1-2-3-x64.bin`);
  writeFileSync(stale, 'old build');
  const otherInstall = join(dir, 'session_elsewhere-1-2-3-x64.bin');
  writeFileSync(otherInstall, 'another installation');
  await useServer({ FLUX_AZURE_CODE_CACHE: dir }, async () => {
    for (let i = 0; i < 100 && existsSync(stale); i++) await new Promise((r) => setTimeout(r, 100));
  });
  assert.equal(existsSync(stale), false);
  assert.equal(existsSync(otherInstall), true);
  // A path that is a file, not a directory: nothing can be written, the server still works.
  const blocked = join(dir, 'a-file');
  writeFileSync(blocked, '');
  await useServer(
    { FLUX_AZURE_CODE_CACHE: join(blocked, 'code-cache') },
    () => new Promise((r) => setTimeout(r, 1500)),
  );
  await useServer({ FLUX_AZURE_CODE_CACHE: 'off' });
});
