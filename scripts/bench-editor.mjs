#!/usr/bin/env node
// Latency of hover and completion over LSP (stdio) on one large YAML file, p50/p95/max per request kind.
//   node scripts/bench-editor.mjs [file.yaml] [--n 200] [--root dir]
// Default file: the lspbench corpus (`node /work/shared/bench/gen-corpus.mjs --out /tmp/bcorpus --seed 42`),
// /tmp/bcorpus/single/medium.yaml (~5,000 lines, 207 documents). The workspace root defaults to a temp folder holding
// only that file, so the numbers are per-request work, not the initial scan. Build first (`node scripts/build.mjs`).
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node.js';

const args = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const file =
  args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--')) ?? '/tmp/bcorpus/single/medium.yaml';
const n = Number(opt('n', 200));
const root = opt('root', undefined) ?? mkdtempSync(join(tmpdir(), 'flux-azure-bench-'));
const path = opt('root', undefined) ? file : join(root, basename(file));
if (!opt('root', undefined)) copyFileSync(file, path);
const server = fileURLToPath(new URL('../server/out/server.js', import.meta.url));

const text = readFileSync(path, 'utf8');
const uri = pathToFileURL(path).href;
const lines = text.split('\n');

/** Positions of `needle` on lines (column `delta` after its start). */
function positions(regex, delta = 0) {
  const out = [];
  lines.forEach((line, i) => {
    const m = regex.exec(line);
    if (m) out.push({ line: i, character: m.index + m[0].length + delta });
  });
  return out;
}

const hoverProbes = [
  ...positions(/^\s+provider:/, -3),
  ...positions(/^\s+serviceAccountName:/, -3),
  ...positions(/^\s+azure\.workload\.identity\/client-id/, -3),
  ...positions(/^\s+interval:/, -3),
  ...positions(/^\s+type: /, 2),
];
const valueProbes = positions(/^\s+provider: /);
const serviceAccountProbes = positions(/^\s+serviceAccountName: /);
const specLines = positions(/^spec:$/).map((p) => p.line);

function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main() {
  const proc = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
  let diagnosed;
  const firstDiagnostics = new Promise((resolve) => (diagnosed = resolve));
  let published = 0;
  let onPublished = () => {};
  conn.onNotification('textDocument/publishDiagnostics', (p) => {
    if (p.uri !== uri) return;
    published = p.version ?? published;
    diagnosed();
    onPublished();
  });
  /** Resolves once diagnostics for `v` are out, so the next probe starts with an idle server. */
  const settled = (v) =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, 2000);
      onPublished = () => published >= v && (clearTimeout(t), resolve());
      onPublished();
    });
  conn.onRequest('workspace/configuration', (p) => p.items.map(() => null));
  conn.onRequest('client/registerCapability', () => null);
  conn.onRequest('window/workDoneProgress/create', () => null);
  conn.listen();
  await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri: pathToFileURL(root).href,
    workspaceFolders: [{ uri: pathToFileURL(root).href, name: 'bench' }],
    capabilities: {
      workspace: { configuration: true },
      textDocument: { completion: { completionItem: { snippetSupport: true } } },
    },
  });
  await conn.sendNotification('initialized', {});
  let version = 1;
  const openedAt = performance.now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'yaml', version, text } });
  await firstDiagnostics;
  const openMs = performance.now() - openedAt;

  const time = async (fn) => {
    const t = performance.now();
    const result = await fn();
    return { ms: performance.now() - t, result };
  };
  const results = {};
  const run = async (name, count, probe) => {
    const ms = [];
    let answered = 0;
    for (let i = 0; i < count; i++) {
      const r = await time(() => probe(i));
      ms.push(r.ms);
      if (r.result && (!Array.isArray(r.result.items) || r.result.items.length > 0)) answered++;
    }
    results[name] = { n: count, answered, p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms) };
  };

  // Warm-up (JIT, lazy parse of every document touched).
  for (const p of hoverProbes) await conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: p });

  await run('hover', n, (i) =>
    conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: hoverProbes[i % hoverProbes.length] }),
  );
  await run('completion.value', n, (i) =>
    conn.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: valueProbes[i % valueProbes.length],
    }),
  );
  if (serviceAccountProbes.length > 0)
    await run('completion.sa', n, (i) =>
      conn.sendRequest('textDocument/completion', {
        textDocument: { uri },
        position: serviceAccountProbes[i % serviceAccountProbes.length],
      }),
    );
  // A new key under `spec:`: an incremental edit, then completion at once (the edited document is re-parsed).
  // The edit is reverted outside the timing, and the next probe waits for diagnostics of the reverted text.
  const newKey = [];
  let newKeyAnswered = 0;
  const probes = Math.min(n, specLines.length * 4);
  for (let i = 0; i < probes; i++) {
    const line = specLines[i % specLines.length];
    const at = { line, character: lines[line].length };
    const t = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range: { start: at, end: at }, text: '\n  ' }],
    });
    const result = await conn.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: line + 1, character: 2 },
    });
    newKey.push(performance.now() - t);
    if (result?.items?.length) newKeyAnswered++;
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: ++version },
      contentChanges: [{ range: { start: at, end: { line: line + 1, character: 2 } }, text: '' }],
    });
    await settled(version);
  }
  results['completion.newkey'] = {
    n: probes,
    answered: newKeyAnswered,
    p50: percentile(newKey, 50),
    p95: percentile(newKey, 95),
    max: Math.max(...newKey),
  };

  console.log(`file: ${file} (${lines.length} lines), first diagnostics after open: ${openMs.toFixed(1)} ms`);
  for (const [name, r] of Object.entries(results))
    console.log(
      `${name.padEnd(18)} n=${r.n} answered=${r.answered}  p50 ${r.p50.toFixed(2)} ms  p95 ${r.p95.toFixed(2)} ms  max ${r.max.toFixed(2)} ms`,
    );
  await conn.sendRequest('shutdown');
  await conn.sendNotification('exit');
  conn.dispose();
  proc.kill();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
