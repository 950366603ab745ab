#!/usr/bin/env node
// `npm run bench`: our language server side by side with yaml-language-server and the bare `yaml` parse, on the
// same corpus, over LSP (stdio), each target in a fresh server process, several runs. Prints a table (medians over
// runs; p95 metrics are per-run 95th percentiles, then the median over runs) with ours/theirs and ours/floor ratios
// and the performance budgets, and writes everything to bench-results/ (latest.json, latest.md, a dated copy).
//
//   npm run bench -- [--runs 5] [--targets small,medium,large,workspace,real] [--servers ours,yls]
//                    [--probes 20] [--probes-large 5] [--quick] [--package] [--no-build] [--out bench-results]
//                    [--prof bench-results/prof]   (our server under node --cpu-prof)
//
// The corpus is ../shared/bench/gen-corpus.mjs's (seed 42) when ../shared is beside the repository, else our own
// generator's (scripts/bench/genCorpus.mjs); `real` is ../shared/corpus (real-world manifests) when present.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generateCorpus } from './genCorpus.mjs';
import { fileScenario, fleetScenario, workspaceScenario } from './scenarios.mjs';
import { generateFleet } from './genFleet.mjs';
import { startupScenario } from './startup.mjs';
import { percentile, summarize } from './stats.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHARED = join(ROOT, '..', 'shared');

// ---- options ---------------------------------------------------------------------------------------------------
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const value = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined && !argv[i + 1].startsWith('--') ? argv[i + 1] : fallback;
};
const quick = flag('quick');
const OPTIONS = {
  runs: Number(value('runs', quick ? 1 : 5)),
  probes: Number(value('probes', quick ? 3 : 20)), // as ../shared/bench (its --n)
  probesLarge: Number(value('probes-large', quick ? 3 : 5)),
  burstEdits: Number(value('burst-edits', 100)),
  burstIntervalMs: Number(value('burst-interval-ms', 20)),
  postInitMs: Number(value('post-init-ms', 500)),
  workspaceSample: Number(value('workspace-sample', 30)),
  startupSpawns: Number(value('startup-spawns', quick ? 5 : 20)),
  timeoutMs: Number(value('timeout-ms', 180000)),
  fleetScales: value('fleet-scales', '1,10').split(',').map(Number),
  fleetEdits: Number(value('fleet-edits', quick ? 2 : 6)),
  out: join(ROOT, value('out', 'bench-results')),
};
const wantedTargets = value(
  'targets',
  quick ? 'startup,small,medium,large' : 'startup,small,medium,large,workspace,real,fleet',
).split(',');
const wantedServers = value('servers', flag('no-yls') ? 'ours' : 'ours,yls').split(',');
/** `--prof DIR`: run our server under `node --cpu-prof` (summarise with ../shared/bench/tools/cpuprofile-top.mjs). */
const PROFILE_DIR = value('prof') ? join(ROOT, value('prof')) : undefined;

/** Budgets from the performance issue (medians on the 2-core reference machine). */
const BUDGETS = [
  { target: 'large', metric: 'open.first_diagnostics', max: 400, what: '50k-line open -> first diagnostics' },
  { target: 'large', metric: 'burst.settle', max: 100, what: '50k-line 100 edits -> diagnostics settled' },
  { target: 'large', metric: 'completion.newkey.p50', max: 20, what: '50k-line completion after a new key, p50' },
  { target: 'medium', metric: 'open.first_diagnostics', max: 80, what: '5k-line open -> first diagnostics' },
  { target: 'medium', metric: 'hover.p95', max: 3, what: '5k-line hover p95' },
  { target: 'medium', metric: 'completion.value.p95', max: 5, what: '5k-line completion p95' },
  { target: 'workspace', metric: 'bulk_open.all_diagnostics', max: 1500, what: '2,000 files open -> all diagnostics' },
  { target: 'large', metric: 'peak_rss', max: 200, what: '50k-line peak memory (MB)' },
  { target: 'workspace', metric: 'peak_rss', max: 150, what: 'workspace peak memory (MB)' },
  { target: 'fleet-1x', metric: 'all_diagnostics', max: 1500, what: 'fleet of 2,000 apps -> all diagnostics' },
  {
    target: 'fleet-1x',
    metric: 'shared_patch_edit.settled',
    max: 100,
    what: 'edit of a patch 500 apps render through -> settled',
  },
  {
    target: 'fleet-10x',
    metric: 'open_at_start.first_diagnostics',
    max: 2000,
    what: '10x fleet: file open at start -> first diagnostics',
  },
  { target: 'fleet-10x', metric: 'open_one.first_diagnostics.p50', max: 20, what: '10x fleet: a file opened later' },
  { target: 'fleet-10x', metric: 'idle_rss', max: 200, what: '10x fleet: idle memory (MB)' },
  { target: '*', metric: 'initialize', max: 150, what: 'initialize (median over all targets)' },
];

const log = (message) => process.stderr.write(`[bench] ${message}\n`);

// ---- servers ---------------------------------------------------------------------------------------------------
const YLS = join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');
const SCHEMA = pathToFileURL(join(ROOT, 'scripts', 'bench', 'schemas', 'all-ifthen.schema.json')).href;
const YLS_SETTINGS = JSON.parse(readFileSync(join(ROOT, 'scripts', 'bench', 'yls-settings.json'), 'utf8'));
/** Node options the extension starts our server with (package.json `fluxAzure.serverNodeOptions`). */
const SERVER_NODE_OPTIONS =
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).fluxAzure?.serverNodeOptions ?? [];
const SERVERS = {
  ours: {
    label: 'ours',
    command: [
      process.execPath,
      ...SERVER_NODE_OPTIONS,
      ...(PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : []),
      join(ROOT, 'server', 'out', 'server.js'),
      '--stdio',
    ],
    settings: { fluxAzure: { fluxVersion: '' } },
  },
  // Setup B of ../shared/bench: offline, one merged schema file, validation, hover and completion on.
  yls: {
    label: 'yaml-language-server 1.25.0 (B)',
    command: [process.execPath, YLS, '--stdio'],
    // yls-settings.json: also the settings of the real-VS-Code coexistence test (test/e2e/yamlServer.ts).
    settings: {
      ...YLS_SETTINGS,
      yaml: { ...YLS_SETTINGS.yaml, schemas: { [SCHEMA]: ['*.yaml', '*.yml'] } },
    },
  },
};

// ---- corpus ----------------------------------------------------------------------------------------------------
function ensureCorpus() {
  const dir = value('corpus') ? join(ROOT, value('corpus')) : join(OPTIONS.out, 'corpus');
  const sharedGenerator = join(SHARED, 'bench', 'gen-corpus.mjs');
  const source = existsSync(sharedGenerator) ? '../shared/bench/gen-corpus.mjs --seed 42' : 'genCorpus.mjs seed 42';
  const marker = join(dir, '.generated-by');
  const fresh = existsSync(join(dir, 'manifest.json')) && existsSync(marker) && readFileSync(marker, 'utf8') === source;
  if (!value('corpus') && !fresh) {
    log(`generating the corpus (${source}) in ${dir}`);
    if (existsSync(sharedGenerator)) {
      const r = spawnSync(process.execPath, [sharedGenerator, '--out', dir, '--seed', '42'], { stdio: 'inherit' });
      if (r.status !== 0) throw new Error('corpus generation failed');
    } else generateCorpus(dir, { seed: 42 });
    writeFileSync(marker, source);
  }
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const targets = [];
  for (const [name, s] of Object.entries(manifest.single ?? {}))
    targets.push({ name, kind: 'file', file: join(dir, s.path), lines: s.lines });
  if (manifest.workspace) {
    const files = manifest.workspace.files;
    targets.push({ name: 'workspace', kind: 'workspace', dir: join(dir, manifest.workspace.dir), files });
  }
  const real = join(SHARED, 'corpus');
  if (existsSync(real)) targets.push({ name: 'real', kind: 'workspace', dir: real, files: countYaml(real) });
  if (wantedTargets.includes('fleet')) for (const scale of OPTIONS.fleetScales) targets.push(fleetTarget(scale));
  return { dir, source, targets: targets.filter((t) => wantedTargets.includes(t.name.replace(/-\d+x$/, ''))) };
}

/**
 * The fleet target at a scale (`genFleet.mjs`: 500 app bases x 4 environments, copied `scale` times), and the files
 * the CLI reports findings for: the workspace diagnostics must publish each of them.
 */
function fleetTarget(scale) {
  const dir = join(OPTIONS.out, `fleet-${scale}x`);
  log(`generating the fleet (scale ${scale}) in ${dir}`);
  const layout = generateFleet(dir, { scale });
  const cli = spawnSync(
    process.execPath,
    [join(ROOT, 'server/out/cli.js'), '--format', 'json', '--fail-on', 'never', '.'],
    {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    },
  );
  if (cli.status !== 0) throw new Error(`the CLI failed on the fleet: ${cli.stderr}`);
  const expected = [...new Set(JSON.parse(cli.stdout).map((d) => join(dir, d.file)))].sort();
  return { name: `fleet-${scale}x`, kind: 'fleet', dir, files: layout.files, layout, expected };
}

function countYaml(dir) {
  let n = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) n += countYaml(join(dir, entry.name));
    else if (/\.ya?ml$/i.test(entry.name)) n++;
  }
  return n;
}

/** The bare `yaml` parse of a target, in a fresh process. */
function parseFloor(target) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench', 'floor.mjs'), target.file ?? target.dir], {
    encoding: 'utf8',
    cwd: ROOT,
  });
  if (r.status !== 0) {
    log(`parse floor failed for ${target.name}: ${r.stderr}`);
    return null;
  }
  return JSON.parse(r.stdout);
}

// ---- extension figures (measured elsewhere) ---------------------------------------------------------------------
function extensionFigures() {
  const out = {};
  const e2e = join(ROOT, 'test-results', 'e2e-results.json');
  if (existsSync(e2e)) {
    const metrics = JSON.parse(readFileSync(e2e, 'utf8')).metrics ?? {};
    out.activationMs = metrics.activationMs ?? null;
    out.e2eMeasuredAt = statSync(e2e).mtime.toISOString();
  }
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const vsix = join(ROOT, `${pkg.name}-${pkg.version}.vsix`);
  if (flag('package')) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'package.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) log('packaging failed');
  }
  if (existsSync(vsix)) {
    out.vsixBytes = statSync(vsix).size;
    out.vsixBuiltAt = statSync(vsix).mtime.toISOString();
  }
  return out;
}

// ---- run ---------------------------------------------------------------------------------------------------------
async function main() {
  mkdirSync(join(OPTIONS.out, 'logs'), { recursive: true });
  if (!flag('no-build')) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('build failed');
  }
  const servers = wantedServers.filter((s) => {
    if (s === 'yls' && !existsSync(YLS)) {
      log('yaml-language-server is not installed (npm ci): measuring ours only');
      return false;
    }
    return s in SERVERS;
  });
  const corpus = ensureCorpus();
  const started = new Date();
  const meta = {
    started: started.toISOString(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpus: cpus().length,
    loadavgAtStart: loadavg(),
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() || null,
    corpus: { dir: corpus.dir, source: corpus.source },
    options: OPTIONS,
    servers: Object.fromEntries(servers.map((s) => [s, SERVERS[s].command.join(' ')])),
  };

  /** results[server][target][metric] = { unit, values: [] } */
  const results = Object.fromEntries(servers.map((s) => [s, {}]));
  const floors = {};
  for (const target of corpus.targets) {
    log(`parse floor: ${target.name}`);
    floors[target.name] = parseFloor(target);
  }
  let startup;
  if (wantedTargets.includes('startup')) {
    log(`start-up: ${OPTIONS.startupSpawns} spawns per variant`);
    const describe = (name) =>
      servers.includes(name)
        ? { command: SERVERS[name].command, settings: SERVERS[name].settings, cwd: ROOT }
        : undefined;
    const measured = await startupScenario({
      ours: describe('ours'),
      yls: describe('yls'),
      rootDir: join(corpus.dir, 'single'),
      spawns: OPTIONS.startupSpawns,
      timeoutMs: OPTIONS.timeoutMs,
    });
    startup = Object.fromEntries(
      Object.entries(measured).map(([k, v]) => [
        k,
        {
          label: v.label,
          ...summarize(v.values.map(round)),
          p25: percentile(v.values, 25),
          values: v.values.map(round),
        },
      ]),
    );
  }
  for (let run = 1; run <= OPTIONS.runs; run++) {
    for (const target of corpus.targets) {
      const order = run % 2 ? servers : [...servers].reverse(); // alternate who goes first
      for (const name of order) {
        if (target.kind === 'fleet' && name !== 'ours') continue; // only ours publishes a workspace's diagnostics
        log(`run ${run}/${OPTIONS.runs} ${target.name} ${name}`);
        const server = {
          command: SERVERS[name].command,
          settings: SERVERS[name].settings,
          cwd: ROOT,
          stderr: 'ignore',
        };
        const options = {
          ...OPTIONS,
          probes: target.name === 'large' ? OPTIONS.probesLarge : OPTIONS.probes,
        };
        const bucket = (results[name][target.name] ??= {});
        const record = (metric, v, unit) => {
          (bucket[metric] ??= { unit, values: [] }).values.push(v === null || v === undefined ? null : round(v));
        };
        try {
          if (target.kind === 'file') await fileScenario({ server, target, options, record });
          else if (target.kind === 'fleet') await fleetScenario({ server, target, options, record });
          else await workspaceScenario({ server, target, options, record });
        } catch (err) {
          log(`  failed: ${err instanceof Error ? err.message : err}`);
        }
      }
    }
  }
  const summary = {};
  for (const [server, byTarget] of Object.entries(results)) {
    summary[server] = {};
    for (const [target, metrics] of Object.entries(byTarget)) {
      summary[server][target] = {};
      for (const [metric, { unit, values }] of Object.entries(metrics))
        summary[server][target][metric] = { unit, ...summarize(values), values };
    }
  }
  const budgets = checkBudgets(summary.ours ?? {});
  const report = {
    meta: { ...meta, finished: new Date().toISOString(), loadavgAtEnd: loadavg() },
    budgets,
    floors,
    startup,
    extension: extensionFigures(),
    results: summary,
  };
  const table = renderTable(report, corpus.targets);
  process.stdout.write(table);
  writeFileSync(join(OPTIONS.out, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  writeFileSync(join(OPTIONS.out, 'latest.md'), table);
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  writeFileSync(join(OPTIONS.out, `bench-${stamp}.json`), JSON.stringify(report, null, 2) + '\n');
  log(`results: ${join(OPTIONS.out, 'latest.json')} and latest.md`);
}

function round(v) {
  return Math.round(v * 100) / 100;
}

function checkBudgets(ours) {
  return BUDGETS.map((b) => {
    let actual = null;
    if (b.target === '*') {
      const all = Object.values(ours).flatMap((m) => m[b.metric]?.values ?? []);
      actual = summarize(all).median;
    } else actual = ours[b.target]?.[b.metric]?.median ?? null;
    return { ...b, actual, ok: actual === null ? null : actual <= b.max };
  });
}

// ---- report ------------------------------------------------------------------------------------------------------
function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '-';
  if (Math.abs(v) >= 100) return Math.round(v).toLocaleString('en-US');
  if (Math.abs(v) >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

function signed(v) {
  return v === null || v === undefined ? '-' : `${v < 0 ? '−' : '+'}${fmt(Math.abs(v))}`;
}

function ratio(a, b) {
  if (a === null || a === undefined || b === null || b === undefined || b === 0) return '-';
  const r = a / b;
  return r >= 10 ? `${r.toFixed(0)}x` : `${r.toFixed(2)}x`;
}

/** Metrics a smaller value of is better (all of them except throughput). */
const ORDER = [
  'initialize',
  'open.first_diagnostics',
  'open.cpu',
  'reopen.first_diagnostics',
  'completion.value.p50',
  'completion.value.p95',
  'hover.p50',
  'hover.p95',
  'completion.newkey.p50',
  'completion.newkey.p95',
  'burst.settle',
  'burst.hover_after',
  'burst.cpu',
  'bulk_open.all_diagnostics',
  'bulk_open.files_per_s',
  'bulk_open.cpu',
  'open_one.first_diagnostics.p50',
  'open_one.first_diagnostics.p95',
  'completion_hover.p50',
  'open_at_start.first_diagnostics',
  'all_diagnostics',
  'all_diagnostics.cpu',
  'idle_rss',
  'shared_patch_edit.settled',
  'shared_patch_edit.closed_files_published',
  'base_edit.diagnostics',
  'peak_rss',
  'total_cpu',
];

function renderTable(report, targets) {
  const { results, floors, budgets, extension, meta, startup } = report;
  const ours = results.ours ?? {};
  const yls = results.yls ?? {};
  const lines = [];
  lines.push(`# Flux for Azure language server benchmark`);
  lines.push('');
  lines.push(
    `${meta.started} · node ${meta.node} · ${meta.cpus} CPUs · load ${meta.loadavgAtStart.map((l) => l.toFixed(1)).join(' ')} · ` +
      `${meta.options.runs} run(s) · corpus: ${meta.corpus.source}${meta.commit ? ` · commit ${meta.commit}` : ''}`,
  );
  lines.push('');
  lines.push(
    'Medians over runs (p95 rows: the median of per-run 95th percentiles). yls = yaml-language-server 1.25.0, setup B ' +
      '(offline, one merged schema). floor = the bare `yaml` parseAllDocuments of the same text in a fresh process ' +
      '(cold first parse; warm and CST-only in the floor row).',
  );
  for (const target of targets) {
    const o = ours[target.name] ?? {};
    const y = yls[target.name] ?? {};
    const floor = floors[target.name];
    lines.push('');
    const size = target.lines ? `${target.lines.toLocaleString('en-US')} lines` : `${target.files} files`;
    lines.push(`## ${target.name} (${size})`);
    lines.push('');
    lines.push('| metric | unit | ours | ours min..max | yls | floor | ours/yls | ours/floor | budget |');
    lines.push('|---|---|---:|---:|---:|---:|---:|---:|---|');
    for (const metric of ORDER) {
      const a = o[metric];
      const b = y[metric];
      if (!a && !b) continue;
      const floorValue =
        floor && (metric === 'open.first_diagnostics' || metric === 'bulk_open.all_diagnostics') ? floor.cold : null;
      const budget = budgets.find((x) => x.metric === metric && (x.target === target.name || x.target === '*'));
      const budgetText = budget
        ? budget.target === '*'
          ? `<= ${budget.max} (all targets)`
          : `<= ${budget.max} ${budget.ok === null ? '?' : budget.ok ? 'ok' : 'MISSED'}`
        : '';
      const better = metric === 'bulk_open.files_per_s' ? (x, z) => ratio(z, x) : ratio;
      lines.push(
        `| ${metric} | ${(a ?? b).unit} | ${fmt(a?.median)} | ${a ? `${fmt(a.min)}..${fmt(a.max)}` : '-'} | ${fmt(b?.median)} | ` +
          `${fmt(floorValue)} | ${b ? better(a?.median, b.median) : '-'} | ${floorValue ? ratio(a?.median, floorValue) : '-'} | ${budgetText} |`,
      );
    }
    if (floor)
      lines.push(
        `| yaml parse floor: cold / warm / CST | ms | ${fmt(floor.cold)} / ${fmt(floor.warm)} / ${fmt(floor.cst)} | | | | | | |`,
      );
  }
  if (startup) {
    lines.push('');
    lines.push(`## start-up: spawn -> initialize answered (${meta.options.startupSpawns} spawns each, interleaved)`);
    lines.push('');
    lines.push('| variant | median ms | p25 | min..max | over the floor (median) |');
    lines.push('|---|---:|---:|---:|---:|');
    for (const v of Object.values(startup))
      lines.push(
        `| ${v.label} | ${fmt(v.median)} | ${fmt(v.p25)} | ${fmt(v.min)}..${fmt(v.max)} | ${startup.floor && v !== startup.floor ? signed(v.median - startup.floor.median) : ''} |`,
      );
  }
  lines.push('');
  lines.push('## Budgets (ours)');
  lines.push('');
  lines.push('| budget | target | metric | limit | measured | |');
  lines.push('|---|---|---|---:|---:|---|');
  for (const b of budgets)
    lines.push(
      `| ${b.what} | ${b.target} | ${b.metric} | ${b.max} | ${fmt(b.actual)} | ${b.ok === null ? 'not measured' : b.ok ? 'ok' : 'MISSED'} |`,
    );
  lines.push('');
  lines.push('## Extension');
  lines.push('');
  lines.push(
    `- activation in a real VS Code: ${extension.activationMs != null ? `${extension.activationMs} ms (test-results/e2e-results.json, ${extension.e2eMeasuredAt})` : 'not measured (run `npm run e2e`)'}`,
  );
  lines.push(
    `- .vsix size: ${extension.vsixBytes != null ? `${(extension.vsixBytes / 1024).toFixed(1)} KiB (${extension.vsixBuiltAt})` : 'no package (run `node scripts/package.mjs` or pass --package)'}`,
  );
  lines.push('');
  return lines.join('\n');
}

main().catch((err) => {
  log(err instanceof Error ? (err.stack ?? err.message) : String(err));
  process.exit(1);
});
