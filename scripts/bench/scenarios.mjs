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

/**
 * One run of a fleet target (`genFleet.mjs`): the editor restores a few tabs at start while the server scans; then
 * everything the CLI finds must be published (the workspace diagnostics), files are opened one at a time, and the
 * shared patch and a base file are edited. `target.expected` holds the files the CLI reports findings for.
 */
export async function fleetScenario({ server, target, options, record }) {
  const client = new BenchClient({ ...server, timeoutMs: options.timeoutMs });
  const open = (file, version = 1, text = readFileSync(file, 'utf8')) => {
    const uri = pathToFileURL(file).href;
    client.notify('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
    return uri;
  };
  try {
    record('initialize', await client.start(target.dir), 'ms');
    const t0 = performance.now();
    const cpu0 = client.cpuMs();
    const restored = target.layout.open.map((f) => open(f));
    const first = await client.diagnosticsAfter(restored[0], t0);
    record('open_at_start.first_diagnostics', first ? first.t - t0 : null, 'ms');
    const expected = target.expected.map((f) => pathToFileURL(f).href);
    const withFindings = async (uri) => {
      for (let after = t0; ;) {
        const e = await client.diagnosticsAfter(uri, after);
        if (!e || e.count > 0) return e;
        after = e.t + 0.001;
      }
    };
    const all = await Promise.all(expected.map(withFindings));
    const complete = all.every(Boolean);
    record('all_diagnostics', complete ? Math.max(...all.map((e) => e.t)) - t0 : null, 'ms', {
      files: expected.length,
    });
    record('all_diagnostics.cpu', cpu0 === null ? null : client.cpuMs() - cpu0, 'ms');
    await client.idle();
    record('idle_rss', client.rssMb(), 'MB');
    // The first diagnostics of a file open at start are those no other file can change (published while the scan
    // runs); complete: the first publish with as many diagnostics as it finally has (the early ones are a subset).
    const startPubs = (client.published.get(restored[0]) ?? []).filter((p) => p.t >= t0);
    const finalCount = startPubs.at(-1)?.count;
    const completed = startPubs.find((p) => p.count === finalCount);
    record('open_at_start.complete_diagnostics', completed ? completed.t - t0 : null, 'ms');

    const sample = spread(
      yamlFiles(target.dir).filter((f) => !target.layout.open.includes(f)),
      Math.min(options.workspaceSample, 20),
    );
    const one = [];
    for (const file of sample) {
      const s = performance.now();
      const d = await client.diagnosticsAfter(open(file), s);
      if (d) one.push(d.t - s);
    }
    recordPercentiles(record, 'open_one.first_diagnostics', one);

    // The shared patch: every OCIRepository of one environment renders through it. Flip its provider and back; the
    // open base file it renders into gains and loses a finding.
    const patchUri = open(target.layout.sharedPatch);
    const baseUri = pathToFileURL(target.layout.patchedBase).href;
    const patchText = readFileSync(target.layout.sharedPatch, 'utf8');
    await client.idle();
    const settles = [];
    const everywhere = [];
    let version = 1;
    for (let i = 0; i < options.fleetEdits; i++) {
      const before = lastCount(client, baseUri);
      const text = i % 2 === 0 ? patchText.replace('provider: azure', 'provider: generic') : patchText;
      const s = performance.now();
      client.notify('textDocument/didChange', {
        textDocument: { uri: patchUri, version: ++version },
        contentChanges: [{ text }],
      });
      const own = await client.diagnosticsAfter(patchUri, s, version);
      const base = await waitForCount(client, baseUri, s, (n) => n !== before, options.timeoutMs);
      settles.push(own && base ? Math.max(own.t, base.t) - s : null);
      // Every closed file of that environment re-judged and published (the workspace diagnostics).
      const closed = target.layout.patchedClosed.map((f) => pathToFileURL(f).href);
      const got = await Promise.all(closed.map((u) => client.diagnosticsAfter(u, s)));
      everywhere.push(got.every(Boolean) ? Math.max(...got.map((e) => e.t)) - s : null);
      await client.idle(300);
    }
    record('shared_patch_edit.settled', medianOrNull(settles), 'ms');
    record('shared_patch_edit.closed_files_published', medianOrNull(everywhere), 'ms', {
      files: target.layout.patchedClosed.length,
    });

    // A base file: one character in an interval.
    const baseText = readFileSync(target.layout.patchedBase, 'utf8');
    const baseEdits = [];
    let baseVersion = 1;
    for (let i = 0; i < options.fleetEdits; i++) {
      const s = performance.now();
      client.notify('textDocument/didChange', {
        textDocument: { uri: baseUri, version: ++baseVersion },
        contentChanges: [{ text: baseText.replace('interval: 10m', `interval: ${11 + i}m`) }],
      });
      const d = await client.diagnosticsAfter(baseUri, s, baseVersion);
      baseEdits.push(d ? d.t - s : null);
      await client.idle(300);
    }
    record('base_edit.diagnostics', medianOrNull(baseEdits), 'ms');
    record('peak_rss', client.peakRssMb(), 'MB');
    record('total_cpu', client.cpuMs(), 'ms');
  } finally {
    await client.stop();
  }
}

function medianOrNull(values) {
  const ok = values.filter((v) => v !== null);
  return ok.length === values.length && ok.length > 0 ? percentile(ok, 50) : null;
}

function lastCount(client, uri) {
  const list = client.published.get(uri) ?? [];
  return list[list.length - 1]?.count;
}

async function waitForCount(client, uri, after, accept, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline && !client.dead) {
    const hit = (client.published.get(uri) ?? []).find((e) => e.t >= after && accept(e.count));
    if (hit) return hit;
    await sleep(5);
  }
  return null;
}
