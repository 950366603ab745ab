// Soak (issue 17): minutes of simulated editing on the fleet bench workspace (scripts/bench/genFleet.mjs) against the
// real server over stdio, sampling the server's resident memory; then open/close cycles of the same documents. Not
// part of `npm test`.
//
//   node scripts/soak.mjs [--minutes 30] [--warmup-minutes 5] [--cycles 10000] [--sample-seconds 10] [--seed 1]
//                         [--out bench-results/soak] [--no-build]
//
// Editing: typing and erasing in the open files (incremental changes, so the texts come back to what they were),
// hovers, completions and definitions at random places, switching files (close one, open another), and flipping the
// provider of the fleet's shared patch (every OCIRepository of one environment renders through it). Memory: the median
// of the samples of the minute after the warm-up against the median of the last minute's; bound 10 %. Then
// `--cycles` open/close cycles of the same five documents (each open waits for its diagnostics), memory before and
// after once the server is idle. Writes the samples to `<out>/soak-<date>.json` and prints a summary.
/* global WebSocket -- Node 22+ */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { random } from './bench/genCorpus.mjs';
import { generateFleet } from './bench/genFleet.mjs';
import { BenchClient } from './bench/lspClient.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '30' },
    'warmup-minutes': { type: 'string', default: '' },
    cycles: { type: 'string', default: '10000' },
    'sample-seconds': { type: 'string', default: '10' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: join(ROOT, 'bench-results', 'soak') },
    'no-build': { type: 'boolean', default: false },
  },
});
const MINUTES = Number(values.minutes);
const WARMUP_MINUTES = values['warmup-minutes'] ? Number(values['warmup-minutes']) : Math.min(5, MINUTES / 3);
const CYCLES = Number(values.cycles);
const SAMPLE_MS = Number(values['sample-seconds']) * 1000;
const GROWTH_BOUND = 0.1;

if (!values['no-build']) execFileSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
const log = (line) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

// The same session for the same seed.
const rnd = random(Number(values.seed));
const int = (n) => Math.floor(rnd() * n);
const pick = (list) => list[int(list.length)];

const workspace = join(values.out, 'fleet');
log(`generating the fleet workspace in ${workspace}`);
const layout = generateFleet(workspace);
const allFiles = readdirSync(workspace, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => join(workspace, f))
  .sort();
log(`${layout.files} files`);

const newClient = () =>
  new BenchClient({
    // The inspector (local, a random port) lets each sample collect garbage first and read the heap.
    command: [process.execPath, '--inspect=127.0.0.1:0', join(ROOT, 'server', 'out', 'server.js'), '--stdio'],
    cwd: ROOT,
    settings: { fluxAzure: { fluxVersion: '', diagnostics: { enable: true, scope: 'workspace' } } },
    stderr: 'pipe',
    timeoutMs: 120_000,
  });
let client = newClient();

/** uri -> { lines, version, erase? } of each open document (erase: the typed text still to take back). */
const open = new Map();
const uriOf = (file) => pathToFileURL(file).href;
function openFile(file) {
  const uri = uriOf(file);
  if (open.has(uri)) return uri;
  const text = readFileSync(file, 'utf8');
  open.set(uri, { lines: text.split('\n'), version: 1 });
  client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version: 1, text } });
  return uri;
}
function closeUri(uri) {
  open.delete(uri);
  client.notify('textDocument/didClose', { textDocument: { uri } });
}
function change(uri, contentChanges) {
  const doc = open.get(uri);
  doc.version++;
  client.notify('textDocument/didChange', { textDocument: { uri, version: doc.version }, contentChanges });
  return doc.version;
}
/** Types a few characters at the end of a line, or takes back what was typed last. */
function typeOrErase(uri) {
  const doc = open.get(uri);
  if (doc.erase) {
    const { line, character, length } = doc.erase;
    doc.erase = undefined;
    return change(uri, [
      { range: { start: { line, character }, end: { line, character: character + length } }, text: '' },
    ]);
  }
  const line = int(doc.lines.length);
  const character = doc.lines[line].length;
  const text = pick([' ', 'x', 'ab', ' # note', '1']);
  doc.erase = { line, character, length: text.length };
  return change(uri, [{ range: { start: { line, character }, end: { line, character } }, text }]);
}
const positionIn = (uri) => {
  const { lines } = open.get(uri);
  const line = int(lines.length);
  return { line, character: int(lines[line].length + 1) };
};

/** Whether the server still answers a request. */
function answers() {
  const position = { line: 0, character: 0 };
  return client.request('textDocument/hover', { textDocument: { uri: uriOf(layout.open[0]) }, position }).then(
    () => true,
    () => false,
  );
}

/** The first diagnostics published for the open document after `after` (not those of the closed file on disk). */
async function openDiagnostics(uri, after) {
  for (;;) {
    const e = await client.diagnosticsAfter(uri, after);
    if (!e || e.version !== undefined) return e;
    after = e.t + 0.001;
  }
}

/**
 * The server's V8 heap through its inspector: `heapMb()` collects garbage, then answers the heap in use (what stays
 * alive). Without the forced collection, RSS grows by the garbage V8 has not collected yet, which is not a leak.
 */
async function inspect(proc) {
  const url = await new Promise((resolve) => {
    let text = '';
    proc.stderr.on('data', (d) => {
      text += d;
      const m = /ws:\/\/\S+/.exec(text);
      if (m) resolve(m[0]);
    });
  });
  const ws = new WebSocket(url);
  await new Promise((resolve, reject) => {
    ws.onopen = resolve;
    ws.onerror = reject;
  });
  const pending = new Map();
  let id = 0;
  ws.onmessage = (e) => {
    const message = JSON.parse(e.data);
    pending.get(message.id)?.(message.result);
    pending.delete(message.id);
  };
  const call = (method) =>
    new Promise((resolve) => {
      pending.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params: {} }));
    });
  return {
    async heapMb() {
      await call('HeapProfiler.collectGarbage');
      return (await call('Runtime.getHeapUsage')).usedSize / 1024 / 1024;
    },
    close: () => ws.close(),
  };
}
let inspector;
async function startServer() {
  await client.start(workspace);
  inspector = await inspect(client.proc);
}
async function stopServer() {
  inspector.close();
  await client.stop();
}

const samples = [];
/** Collects garbage, then reads the heap and the resident memory. */
async function sample(phase) {
  const heap = await inspector.heapMb();
  const rss = client.rssMb();
  samples.push({ t: Math.round((performance.now() - started) / 1000), phase, rss, heap });
  return { rss, heap };
}
const mb = (s) => `RSS ${s.rss.toFixed(1)} MB, heap ${s.heap.toFixed(1)} MB`;
const median = (list) => {
  const s = [...list].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

const started = performance.now();
await startServer();
const fixed = layout.open.map(openFile);
await client.diagnosticsAfter(fixed[0], 0);
await client.idle();
log(`started; idle ${mb(await sample('start'))}`);

// ---- editing ---------------------------------------------------------------------------------------------------
const patchUri = openFile(layout.sharedPatch);
const patchText = readFileSync(layout.sharedPatch, 'utf8');
let patchFlipped = false;
const counts = { edits: 0, requests: 0, switches: 0, patchFlips: 0, waits: 0 };
const editEnd = started + MINUTES * 60_000;
let nextSample = performance.now() + SAMPLE_MS;
let current = fixed[0];
for (let action = 0; performance.now() < editEnd; action++) {
  const r = rnd();
  if (r < 0.55) {
    const version = typeOrErase(current);
    counts.edits++;
    if (action % 20 === 0) {
      await client.diagnosticsAfter(current, performance.now() - 1, version);
      counts.waits++;
    }
  } else if (r < 0.8) {
    const method = pick(['textDocument/hover', 'textDocument/completion', 'textDocument/definition']);
    await client.request(method, { textDocument: { uri: current }, position: positionIn(current) });
    counts.requests++;
  } else if (r < 0.95) {
    // Switch files: the open edits are taken back first (the file on disk is what the next open reads).
    if (open.get(current).erase) typeOrErase(current);
    const extra = [...open.keys()].filter((u) => !fixed.includes(u) && u !== patchUri);
    if (extra.length >= 6) closeUri(pick(extra));
    current = chanceOfFixed() ? pick(fixed) : openFile(pick(allFiles));
    counts.switches++;
  } else {
    patchFlipped = !patchFlipped;
    const text = patchFlipped ? patchText.replace('provider: azure', 'provider: generic') : patchText;
    const version = change(patchUri, [{ text }]);
    await client.diagnosticsAfter(patchUri, performance.now() - 1, version);
    counts.patchFlips++;
  }
  await sleep(30);
  if (performance.now() >= nextSample) {
    const phase = performance.now() - started < WARMUP_MINUTES * 60_000 ? 'warm-up' : 'editing';
    const now = await sample(phase);
    nextSample += SAMPLE_MS;
    if (samples.length % 6 === 0) log(`${phase}: ${mb(now)}, ${JSON.stringify(counts)}`);
  }
}
function chanceOfFixed() {
  return rnd() < 0.5;
}
// Back to the texts on disk everywhere, then idle.
for (const uri of open.keys()) if (open.get(uri).erase) typeOrErase(uri);
if (patchFlipped) change(patchUri, [{ text: patchText }]);
await client.idle();
const afterEditing = await sample('after editing');

const editing = samples.filter((s) => s.phase === 'editing');
const minuteSamples = Math.max(1, Math.round(60_000 / SAMPLE_MS));
const window = (list, key) => median(list.map((s) => s[key]));
const baseline = {
  rss: window(editing.slice(0, minuteSamples), 'rss'),
  heap: window(editing.slice(0, minuteSamples), 'heap'),
};
const final = {
  rss: window(editing.slice(-minuteSamples), 'rss'),
  heap: window(editing.slice(-minuteSamples), 'heap'),
};
const growth = { rss: final.rss / baseline.rss - 1, heap: final.heap / baseline.heap - 1 };
const pct = (x) => `${(x * 100).toFixed(1)} %`;
log(
  `editing: ${MINUTES} min (${WARMUP_MINUTES} min warm-up), ${JSON.stringify(counts)}; start ${mb(samples[0])}; ` +
    `after warm-up ${mb(baseline)}; end ${mb(final)}; idle after ${mb(afterEditing)}; growth RSS ${pct(growth.rss)}, ` +
    `heap ${pct(growth.heap)} (bound ${pct(GROWTH_BOUND)}) ${Math.max(growth.rss, growth.heap) <= GROWTH_BOUND ? 'ok' : 'OVER'}`,
);

const editingAlive = await answers();
await stopServer();

// ---- open/close cycles ---------------------------------------------------------------------------------------------
// In a fresh server, whose memory is not at the editing's high-water mark: each document opened and closed once
// first (what a first open costs), then the cycles.
client = newClient();
await startServer();
open.clear();
const cycleFiles = [layout.open[0], layout.open[1], layout.open[2], layout.sharedPatch, pick(allFiles)];
for (const file of cycleFiles) {
  const uri = openFile(file);
  await openDiagnostics(uri, 0);
  closeUri(uri);
}
await client.idle();
const cyclesStart = await sample('cycles start');
const cyclesStarted = performance.now();
for (let i = 0; i < CYCLES; i++) {
  const file = cycleFiles[i % cycleFiles.length];
  const t = performance.now();
  const uri = openFile(file);
  if (!(await openDiagnostics(uri, t))) throw new Error(`cycle ${i}: no diagnostics for ${file}`);
  closeUri(uri);
  if ((i + 1) % 1000 === 0) {
    log(`${i + 1} open/close cycles, ${mb(await sample('cycles'))}`);
  }
}
const cyclesMs = performance.now() - cyclesStarted;
await client.idle();
const cyclesEnd = await sample('cycles end');
const cyclesGrowth = { rss: cyclesEnd.rss / cyclesStart.rss - 1, heap: cyclesEnd.heap / cyclesStart.heap - 1 };
log(
  `open/close: ${CYCLES} cycles of ${cycleFiles.length} documents in ${(cyclesMs / 1000).toFixed(0)} s; before ` +
    `${mb(cyclesStart)}; after ${mb(cyclesEnd)}; growth RSS ${pct(cyclesGrowth.rss)}, heap ${pct(cyclesGrowth.heap)}`,
);
const alive = editingAlive && (await answers());
await stopServer();

mkdirSync(values.out, { recursive: true });
const out = join(values.out, `soak-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
const summary = {
  minutes: MINUTES,
  warmupMinutes: WARMUP_MINUTES,
  files: layout.files,
  counts,
  memory: { start: samples[0], afterWarmup: baseline, end: final, idleAfterEditing: afterEditing, growth },
  cycles: { count: CYCLES, ms: cyclesMs, before: cyclesStart, after: cyclesEnd, growth: cyclesGrowth },
  serverAnsweredAtEnd: alive,
  samples,
};
writeFileSync(out, JSON.stringify(summary, null, 2));
log(`samples in ${out}`);
const ok = Math.max(growth.rss, growth.heap, cyclesGrowth.rss, cyclesGrowth.heap) <= GROWTH_BOUND && alive;
log(ok ? 'soak: ok' : 'soak: FAILED');
process.exit(ok ? 0 : 1);
