// What is measured, per target, in a fresh server process. Single files: open, re-open, completion, hover,
// completion right after typing a new key, and a burst of typing. Workspaces: open every file at once, then one at a
// time, then requests with everything open. Probe positions are found in the text by regex, so any corpus works.
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { BenchClient } from './lspClient.mjs';
import { percentile } from './stats.mjs';
import { yamlFiles } from './yamlFiles.mjs';

/** Keys whose hover every Flux-aware server should answer. */
const HOVER_KEY =
  /^(\s*)(interval|provider|url|prune|sourceRef|decryption|serviceAccountName|ref|bucketName|type|patches|target):/;

/** `n` items spread evenly over a list. */
function spread(list, n) {
  if (list.length <= n) return list;
  return Array.from({ length: n }, (_, i) => list[Math.floor(((i + 0.5) * list.length) / n)]);
}

/** Where to probe: values after `provider: `, new keys under `spec:`, hover keys, and a `metadata.name` to type into. */
export function probePositions(text, n) {
  const lines = text.split('\n');
  const value = [];
  const newKey = [];
  const hover = [];
  const names = [];
  lines.forEach((line, i) => {
    let m = /^(\s*)provider: \S+\s*$/.exec(line);
    if (m) value.push({ line: i, character: m[1].length + 'provider: '.length });
    if (/^spec:\s*$/.test(line)) newKey.push({ line: i, character: line.trimEnd().length });
    m = HOVER_KEY.exec(line);
    if (m) hover.push({ line: i, character: m[1].length + 2 });
    if (/^ {2}name: [a-z0-9-]+\s*$/.test(line) && /^metadata:/.test(lines[i - 1] ?? ''))
      names.push({ line: i, character: line.trimEnd().length });
  });
  return {
    value: spread(value, n),
    newKey: spread(newKey, n),
    hover: spread(hover, n),
    burst: names[Math.floor(names.length / 2)],
  };
}

/**
 * One run of a single-file target. `record(metric, value, unit)` receives each result.
 * @param {{ server: object, target: { file: string }, options: object, record: Function }} job
 */
export async function fileScenario({ server, target, options, record }) {
  const client = new BenchClient({ ...server, timeoutMs: options.timeoutMs });
  try {
    record('initialize', await client.start(dirname(target.file)), 'ms');
    await sleep(options.postInitMs);
    const uri = pathToFileURL(target.file).href;
    const text = readFileSync(target.file, 'utf8');
    const probes = probePositions(text, options.probes);
    let version = 1;

    // Cold open, then a re-open with warm caches.
    let cpu = client.cpuMs();
    let t0 = performance.now();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    let got = await client.diagnosticsAfter(uri, t0);
    record('open.first_diagnostics', got ? got.t - t0 : null, 'ms');
    await client.settled(uri, t0, version);
    record('open.cpu', cpu === null ? null : client.cpuMs() - cpu, 'ms');
    client.notify('textDocument/didClose', { textDocument: { uri } });
    await sleep(200);
    t0 = performance.now();
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    got = await client.diagnosticsAfter(uri, t0);
    record('reopen.first_diagnostics', got ? got.t - t0 : null, 'ms');
    await client.settled(uri, t0, version);

    // Completion of an existing value, and hover, with the server idle.
    await client.idle();
    const timed = async (method, params) => {
      const s = performance.now();
      const result = await client.request(method, params);
      return { ms: performance.now() - s, result };
    };
    const completionValue = [];
    for (const position of probes.value)
      completionValue.push(
        (await timed('textDocument/completion', { textDocument: { uri }, position, context: { triggerKind: 1 } })).ms,
      );
    recordPercentiles(record, 'completion.value', completionValue);
    const hover = [];
    for (const position of probes.hover)
      hover.push((await timed('textDocument/hover', { textDocument: { uri }, position })).ms);
    recordPercentiles(record, 'hover', hover);

    // Completion right after typing a new key: Enter + two spaces after `spec:`, then Ctrl+Space; then undo.
    const newKey = [];
    for (const position of probes.newKey) {
      await client.idle();
      version++;
      client.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: position, end: position }, text: '\n  ' }],
      });
      newKey.push(
        (
          await timed('textDocument/completion', {
            textDocument: { uri },
            position: { line: position.line + 1, character: 2 },
            context: { triggerKind: 1 },
          })
        ).ms,
      );
      version++;
      const undoAt = performance.now();
      client.notify('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ range: { start: position, end: { line: position.line + 1, character: 2 } }, text: '' }],
      });
      await client.diagnosticsAfter(uri, undoAt, version);
    }
    recordPercentiles(record, 'completion.newkey', newKey);

    // A burst of typing: one character every `burstIntervalMs` at the end of a metadata.name mid-file.
    if (probes.burst) {
      await client.idle();
      cpu = client.cpuMs();
      const burstStart = performance.now();
      let lastSent = burstStart;
      for (let i = 0; i < options.burstEdits; i++) {
        version++;
        const at = { line: probes.burst.line, character: probes.burst.character + i };
        client.notify('textDocument/didChange', {
          textDocument: { uri, version },
          contentChanges: [{ range: { start: at, end: at }, text: 'abcdefghijklmnopqrstuvwxyz'[i % 26] }],
        });
        lastSent = performance.now();
        if (i < options.burstEdits - 1) await sleep(options.burstIntervalMs);
      }
      const hoverAfter = await timed('textDocument/hover', {
        textDocument: { uri },
        position: probes.hover[0] ?? { line: 0, character: 0 },
      });
      const settled = await client.settled(uri, burstStart, version);
      record('burst.settle', settled.last ? settled.last.t - lastSent : null, 'ms');
      record('burst.hover_after', hoverAfter.ms, 'ms');
      record('burst.cpu', cpu === null ? null : client.cpuMs() - cpu, 'ms');
    }
    record('peak_rss', client.peakRssMb(), 'MB');
    record('total_cpu', client.cpuMs(), 'ms');
  } finally {
    await client.stop();
  }
}

/** One run of a workspace target: open everything at once, then one file at a time, then requests. */
export async function workspaceScenario({ server, target, options, record }) {
  const client = new BenchClient({ ...server, timeoutMs: options.timeoutMs });
  try {
    record('initialize', await client.start(target.dir), 'ms');
    await sleep(options.postInitMs);
    const files = yamlFiles(target.dir);
    const sample = spread(files, Math.max(1, Math.min(options.workspaceSample, Math.floor(files.length / 10))));
    const sampled = new Set(sample);
    const bulk = files.filter((f) => !sampled.has(f));

    const cpu = client.cpuMs();
    const t0 = performance.now();
    const waits = [];
    for (const file of bulk) {
      const uri = pathToFileURL(file).href;
      waits.push(client.diagnosticsAfter(uri, t0));
      client.notify('textDocument/didOpen', {
        textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(file, 'utf8') },
      });
    }
    const got = (await Promise.all(waits)).filter(Boolean);
    const last = got.length === bulk.length ? Math.max(...got.map((g) => g.t)) : null;
    record('bulk_open.all_diagnostics', last === null ? null : last - t0, 'ms', { files: bulk.length });
    record('bulk_open.files_per_s', last === null ? null : (bulk.length * 1000) / (last - t0), 'files/s');
    record('bulk_open.cpu', cpu === null ? null : client.cpuMs() - cpu, 'ms');

    await client.idle();
    const one = [];
    for (const file of sample) {
      const uri = pathToFileURL(file).href;
      const s = performance.now();
      client.notify('textDocument/didOpen', {
        textDocument: { uri, languageId: 'yaml', version: 1, text: readFileSync(file, 'utf8') },
      });
      const d = await client.diagnosticsAfter(uri, s);
      if (d) one.push(d.t - s);
    }
    recordPercentiles(record, 'open_one.first_diagnostics', one);

    const probeFile = sample[Math.floor(sample.length / 2)];
    const probes = probePositions(readFileSync(probeFile, 'utf8'), options.probes);
    const uri = pathToFileURL(probeFile).href;
    await client.idle();
    const requests = [];
    for (const position of probes.value) {
      const s = performance.now();
      await client.request('textDocument/completion', { textDocument: { uri }, position });
      requests.push(performance.now() - s);
    }
    for (const position of probes.hover) {
      const s = performance.now();
      await client.request('textDocument/hover', { textDocument: { uri }, position });
      requests.push(performance.now() - s);
    }
    if (requests.length) record('completion_hover.p50', percentile(requests, 50), 'ms');
    record('peak_rss', client.peakRssMb(), 'MB');
    record('total_cpu', client.cpuMs(), 'ms');
  } finally {
    await client.stop();
  }
}

function recordPercentiles(record, name, values) {
  if (values.length === 0) return;
  record(`${name}.p50`, percentile(values, 50), 'ms');
  record(`${name}.p95`, percentile(values, 95), 'ms');
}
