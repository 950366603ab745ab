// Start-up: spawn -> `initialize` answered, many times per variant, interleaved so that machine noise hits every
// variant alike. Besides our server as the benchmark starts it (inheriting this environment), it measures our server
// as the extension starts it (without NODE_EXTRA_CA_CERTS, see client/src/languageClient.ts), a first start with an
// empty code cache, yaml-language-server, and the floor: a Node process that answers `initialize` and does nothing else.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchClient } from './lspClient.mjs';

const FLOOR = fileURLToPath(new URL('./nodeFloor.cjs', import.meta.url));

/**
 * @param {{ ours?: object, yls?: object, rootDir: string, spawns: number, timeoutMs: number }} options
 *   `ours` / `yls`: server descriptions as bench.mjs builds them (command, settings, cwd).
 * @returns {Promise<Record<string, { label: string, values: number[] }>>}
 */
export async function startupScenario({ ours, yls, rootDir, spawns, timeoutMs }) {
  const coldCaches = [];
  const variants = {};
  if (ours) {
    variants.ours = { label: 'ours (as `npm run bench` starts it)', server: ours };
    variants.oursExtension = {
      label: 'ours as the extension starts it (NODE_EXTRA_CA_CERTS unset)',
      server: { ...ours, env: { NODE_EXTRA_CA_CERTS: '' } },
    };
    variants.oursCold = {
      label: 'ours, first start (empty code cache)',
      server: ours,
      // A fresh cache directory per spawn: nothing compiled yet.
      env: () => {
        const dir = mkdtempSync(join(tmpdir(), 'flux-azure-bench-cache-'));
        coldCaches.push(dir);
        return { FLUX_AZURE_CODE_CACHE: dir };
      },
    };
  }
  if (yls) variants.yls = { label: 'yaml-language-server 1.25.0', server: yls };
  variants.floor = {
    label: 'floor: `node` answering initialize, nothing loaded',
    server: { command: [process.execPath, FLOOR], settings: {}, cwd: rootDir },
  };
  for (const v of Object.values(variants)) v.values = [];
  try {
    if (ours) await startOnce(ours, rootDir, timeoutMs, true); // writes the code cache a user's later starts read
    for (let i = 0; i < spawns; i++) {
      for (const v of Object.values(variants)) {
        const server = v.env ? { ...v.server, env: { ...v.server.env, ...v.env() } } : v.server;
        v.values.push(await startOnce(server, rootDir, timeoutMs, false));
      }
    }
  } finally {
    for (const dir of coldCaches) rmSync(dir, { recursive: true, force: true });
  }
  return Object.fromEntries(Object.entries(variants).map(([k, v]) => [k, { label: v.label, values: v.values }]));
}

async function startOnce(server, rootDir, timeoutMs, warm) {
  const client = new BenchClient({ ...server, stderr: 'ignore', timeoutMs });
  try {
    const ms = await client.start(rootDir);
    if (warm) await new Promise((resolve) => setTimeout(resolve, 4000)); // start-up work done, cache written
    return ms;
  } finally {
    await client.stop();
  }
}
