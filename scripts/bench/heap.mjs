// Heap of the language server at idle on a bench fleet: opens the workspace as the fleet target does (six files open at
// start), waits until the first scan and the workspace diagnostics are done and the server is idle, then writes a heap
// snapshot (`--heapsnapshot-signal`) and prints the largest object groups by retained shallow size.
//   node scripts/bench/heap.mjs [--scale 1|10] [--out DIR]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FLEET_DEFAULTS, generateFleet } from './genFleet.mjs';
import { BenchClient } from './lspClient.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? fallback : process.argv[i + 1];
};
const scale = Number(arg('scale', '1'));
const out = join(ROOT, arg('out', 'bench-results/heap'));
const dir = join(ROOT, 'bench-results', `fleet-${scale}x`);
const layout = generateFleet(dir, { scale, ...FLEET_DEFAULTS });

const client = new BenchClient({
  command: [
    process.execPath,
    '--heapsnapshot-signal=SIGUSR2',
    `--diagnostic-dir=${out}`,
    join(ROOT, 'server', 'out', 'server.js'),
    '--stdio',
  ],
  cwd: out,
  settings: { fluxAzure: { fluxVersion: '' } },
  stderr: 'ignore',
  timeoutMs: 600_000,
});
const { mkdirSync } = await import('node:fs');
mkdirSync(out, { recursive: true });
await client.start(dir);
for (const f of layout.open)
  client.notify('textDocument/didOpen', {
    textDocument: { uri: pathToFileURL(f).href, languageId: 'yaml', version: 1, text: readFileSync(f, 'utf8') },
  });
await client.idle(3000);
console.log(`idle RSS ${client.rssMb()} MB`);
const before = new Set(readdirSync(out));
process.kill(client.pid, 'SIGUSR2');
let snapshot;
for (let i = 0; i < 600 && !snapshot; i++) {
  await sleep(500);
  const fresh = readdirSync(out).filter((f) => f.endsWith('.heapsnapshot') && !before.has(f));
  const f = fresh[0] && join(out, fresh[0]);
  if (f && statSync(f).size > 0) {
    const s1 = statSync(f).size;
    await sleep(1000);
    if (statSync(f).size === s1) snapshot = f;
  }
}
await sleep(2000);
console.log(`RSS after the snapshot's full GC ${client.rssMb()} MB`);
await client.stop();
console.log(`snapshot ${snapshot}`);
if (!snapshot || !existsSync(snapshot)) process.exit(1);

// Shallow size per node name (constructor / string / closure), from the snapshot's flat node array.
const snap = JSON.parse(readFileSync(snapshot, 'utf8'));
const { node_fields: fields, node_types: types } = snap.snapshot.meta;
const width = fields.length;
const typeNames = types[0];
const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
const groups = new Map();
let total = 0;
for (let i = 0; i < snap.nodes.length; i += width) {
  const type = typeNames[snap.nodes[i + iType]];
  const name = type === 'object' || type === 'closure' ? snap.strings[snap.nodes[i + iName]] : `(${type})`;
  const size = snap.nodes[i + iSize];
  total += size;
  const g = groups.get(name) ?? { count: 0, size: 0 };
  g.count++;
  g.size += size;
  groups.set(name, g);
}
console.log(`heap ${(total / 1e6).toFixed(1)} MB in ${(snap.nodes.length / width).toLocaleString()} objects`);
for (const [name, g] of [...groups].sort((a, b) => b[1].size - a[1].size).slice(0, 30))
  console.log(`${(g.size / 1e6).toFixed(1).padStart(8)} MB ${String(g.count).padStart(10)}  ${name.slice(0, 80)}`);
