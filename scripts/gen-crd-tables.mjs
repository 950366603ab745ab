// Generates server/src/catalog/generated/crds.ts: per Flux release, the API versions each Flux kind serves and, for
// the fields the catalog describes (server/src/catalog/kinds), what the CRD's OpenAPI schema enforces (type, enum,
// pattern, maxLength, default, required) and the CEL rules (x-kubernetes-validations) on the way to them; and the
// feature gates each controller knows per release. Inputs:
//   ../shared/corpus/real/controlplaneio-fluxcd+flux-operator/config/data/flux/v<release>/*.yaml (release manifests)
//   scripts/crd-data/crds.json           CRD facts of releases (or controllers) missing from the corpus, each with
//                                         its source (repo@tag:path), pruned to the catalog's fields
//   scripts/crd-data/feature-gates.json  gate names per controller per release, each with its source
// The extension and the CLI read only the generated TypeScript; a new Flux release is a data update.
//   node scripts/gen-crd-tables.mjs [--check]
//   node scripts/gen-crd-tables.mjs --record <release> <repo@tag:path>=<local CRD file> ...   (adds to crds.json)
import { build } from 'esbuild';
import { readdirSync, readFileSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import * as prettier from 'prettier';

const root = fileURLToPath(new URL('..', import.meta.url));
export const CRD_TABLES_FILE = join(root, 'server', 'src', 'catalog', 'generated', 'crds.ts');
export const RELEASE_MANIFESTS = join(
  root,
  '..',
  'shared',
  'corpus',
  'real',
  'controlplaneio-fluxcd+flux-operator',
  'config',
  'data',
  'flux',
);
const RECORDED_CRDS = join(root, 'scripts', 'crd-data', 'crds.json');
const FEATURE_GATES = join(root, 'scripts', 'crd-data', 'feature-gates.json');

/** The kinds and field paths the catalog describes: the generator reports on exactly these. */
async function catalogKinds() {
  const outfile = join(root, 'build', 'gen-crd-tables.cjs');
  await build({
    stdin: { contents: "export { KINDS } from './server/src/catalog/kinds';\n", resolveDir: root, loader: 'ts' },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
  const require = createRequire(import.meta.url);
  delete require.cache[outfile];
  const { KINDS } = require(outfile);
  return KINDS.map((k) => ({ group: k.group, kind: k.kind, paths: k.fields.map((f) => f.path) }));
}

const compareReleases = (a, b) => {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
};

/** Keeps of an OpenAPI schema only the nodes on `paths` (each a list of property names below the root). */
function pruneSchema(schema, paths) {
  const keep = (node, rest) => {
    if (!node || typeof node !== 'object') return undefined;
    const out = {};
    for (const key of ['type', 'enum', 'pattern', 'maxLength', 'default', 'x-kubernetes-validations']) {
      if (node[key] !== undefined) out[key] = node[key];
    }
    const children = [...new Set(rest.filter((p) => p.length > 0).map((p) => p[0]))];
    if (Array.isArray(node.required)) {
      const req = node.required.filter((r) => children.includes(r));
      if (req.length > 0) out.required = req;
    }
    const props = {};
    for (const child of children) {
      const sub = keep(
        node.properties?.[child],
        rest.filter((p) => p[0] === child).map((p) => p.slice(1)),
      );
      if (sub) props[child] = sub;
    }
    if (Object.keys(props).length > 0) out.properties = props;
    return out;
  };
  return keep(schema, paths);
}

/** A CRD document reduced to what the tables need: served versions, deprecation, the storage version's schema. */
function pruneCrd(doc, paths, source) {
  const versions = doc.spec.versions.map((v) => ({
    name: v.name,
    served: v.served !== false,
    storage: v.storage === true,
    ...(v.deprecated ? { deprecated: v.deprecationWarning ?? true } : {}),
    ...(v.storage ? { schema: pruneSchema(v.schema?.openAPIV3Schema, paths) } : {}),
  }));
  return { group: doc.spec.group, kind: doc.spec.names.kind, source, versions };
}

function readCrdDocs(file) {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS())
    .filter((d) => d && d.kind === 'CustomResourceDefinition' && d.spec?.group?.endsWith('.fluxcd.io'));
}

/** The facts of one kind in one release, from its pruned CRD. */
function kindFacts(crd, paths) {
  const storage = crd.versions.find((v) => v.storage);
  const fields = [];
  const rules = [];
  const seenRules = new Set();
  const addRules = (node, at) => {
    for (const r of node?.['x-kubernetes-validations'] ?? []) {
      const key = `${at}\u0000${r.rule}`;
      if (seenRules.has(key)) continue;
      seenRules.add(key);
      rules.push({ path: at, rule: r.rule, ...(r.message ? { message: r.message } : {}) });
    }
  };
  addRules(storage?.schema, '');
  for (const path of paths) {
    let node = storage?.schema;
    let parent;
    for (let i = 0; i < path.length && node; i++) {
      parent = node;
      node = node.properties?.[path[i]];
      if (node && i < path.length - 1) addRules(node, path.slice(0, i + 1).join('.'));
    }
    if (!node) continue;
    addRules(node, path.join('.'));
    const f = { path: path.join('.') };
    for (const key of ['type', 'enum', 'pattern', 'maxLength', 'default'])
      if (node[key] !== undefined) f[key] = node[key];
    if (parent?.required?.includes(path[path.length - 1])) f.required = true;
    fields.push(f);
  }
  return {
    group: crd.group,
    kind: crd.kind,
    source: crd.source,
    served: crd.versions
      .filter((v) => v.served)
      .map((v) => ({
        version: v.name,
        ...(v.storage ? { storage: true } : {}),
        ...(v.deprecated ? { deprecated: v.deprecated } : {}),
      })),
    fields,
    rules,
  };
}

/** Every release: the corpus release manifests plus the recorded CRDs, pruned to the catalog's kinds and paths. */
function releaseCrds(kinds) {
  const pathsOf = (group, kind) => kinds.find((k) => k.group === group && k.kind === kind)?.paths;
  const releases = new Map();
  const add = (release, crd) => {
    if (!pathsOf(crd.group, crd.kind)) return;
    const list = releases.get(release) ?? [];
    if (!list.some((c) => c.group === crd.group && c.kind === crd.kind)) list.push(crd);
    releases.set(release, list);
  };
  const sources = [];
  for (const dir of readdirSync(RELEASE_MANIFESTS).sort()) {
    const release = dir.replace(/^v/, '');
    for (const file of readdirSync(join(RELEASE_MANIFESTS, dir)).sort()) {
      const rel = relative(root, join(RELEASE_MANIFESTS, dir, file))
        .split('\\')
        .join('/');
      const docs = readCrdDocs(join(RELEASE_MANIFESTS, dir, file));
      if (docs.some((doc) => pathsOf(doc.spec.group, doc.spec.names.kind))) sources.push(rel);
      for (const doc of docs) {
        const paths = pathsOf(doc.spec.group, doc.spec.names.kind);
        if (paths) add(release, pruneCrd(doc, paths, rel));
      }
    }
  }
  const recorded = existsSync(RECORDED_CRDS) ? JSON.parse(readFileSync(RECORDED_CRDS, 'utf8')) : { releases: {} };
  for (const [release, crds] of Object.entries(recorded.releases)) for (const crd of crds) add(release, crd);
  sources.push(relative(root, RECORDED_CRDS));
  return { releases, sources };
}

function header(sources) {
  return [
    '// GENERATED by scripts/gen-crd-tables.mjs: do not edit; run `node scripts/gen-crd-tables.mjs` instead.',
    '// From the Flux release manifests and recorded facts:',
    ...sources.map((s) => `//   ${s}`),
    '',
  ].join('\n');
}

/** The text of server/src/catalog/generated/crds.ts. */
export async function crdTablesText() {
  const kinds = await catalogKinds();
  const { releases, sources } = releaseCrds(kinds);
  const gates = JSON.parse(readFileSync(FEATURE_GATES, 'utf8'));
  sources.push(relative(root, FEATURE_GATES));
  const tables = [...releases.keys()].sort(compareReleases).map((release) => ({
    release,
    kinds: releases
      .get(release)
      .map((crd) => kindFacts(crd, kinds.find((k) => k.group === crd.group && k.kind === crd.kind).paths))
      .sort((a, b) => `${a.group}/${a.kind}`.localeCompare(`${b.group}/${b.kind}`)),
  }));
  const gateTables = gates.releases
    .map((r) => ({
      release: r.release,
      controllers: Object.entries(r.controllers).map(([controller, c]) => ({
        controller,
        source: c.source,
        gates: [...new Set([...c.gates, ...(c.fromPkg ?? []).flatMap((p) => gates.pkg[p].gates)])].sort(),
      })),
    }))
    .sort((a, b) => compareReleases(a.release, b.release));
  const text =
    header(sources.map((s) => s.split('\\').join('/'))) +
    "import type { CrdRelease, FeatureGateRelease } from '../crdTypes';\n\n" +
    `export const CRD_RELEASES: readonly CrdRelease[] = ${JSON.stringify(tables)};\n\n` +
    `export const FEATURE_GATE_RELEASES: readonly FeatureGateRelease[] = ${JSON.stringify(gateTables)};\n`;
  const options = (await prettier.resolveConfig(CRD_TABLES_FILE)) ?? {};
  return prettier.format(text, { ...options, filepath: CRD_TABLES_FILE });
}

/** Writes the tables when they changed (throws instead with `check`). Returns whether the file was written. */
export async function generateCrdTables({ check = false } = {}) {
  const text = await crdTablesText();
  const current = existsSync(CRD_TABLES_FILE) ? readFileSync(CRD_TABLES_FILE, 'utf8') : '';
  if (current === text) return false;
  if (check) throw new Error(`${relative(root, CRD_TABLES_FILE)} is out of date: run node scripts/gen-crd-tables.mjs`);
  mkdirSync(dirname(CRD_TABLES_FILE), { recursive: true });
  writeFileSync(CRD_TABLES_FILE, text);
  return true;
}

/** Adds CRDs read from local copies of controller files to crds.json, each with its `repo@tag:path` source. */
async function record(release, specs) {
  const kinds = await catalogKinds();
  const data = existsSync(RECORDED_CRDS) ? JSON.parse(readFileSync(RECORDED_CRDS, 'utf8')) : { releases: {} };
  const list = (data.releases[release] ??= []);
  for (const spec of specs) {
    const eq = spec.lastIndexOf('=');
    const source = spec.slice(0, eq);
    for (const doc of readCrdDocs(spec.slice(eq + 1))) {
      const k = kinds.find((x) => x.group === doc.spec.group && x.kind === doc.spec.names.kind);
      if (!k) continue;
      const crd = pruneCrd(doc, k.paths, source);
      const i = list.findIndex((c) => c.group === crd.group && c.kind === crd.kind);
      if (i >= 0) list[i] = crd;
      else list.push(crd);
    }
  }
  mkdirSync(dirname(RECORDED_CRDS), { recursive: true });
  const text = JSON.stringify(data, null, 2) + '\n';
  writeFileSync(RECORDED_CRDS, await prettier.format(text, { filepath: RECORDED_CRDS }));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2);
  if (args[0] === '--record') {
    await record(args[1], args.slice(2));
  } else {
    const written = await generateCrdTables({ check: args.includes('--check') });
    console.error(written ? `wrote ${relative(root, CRD_TABLES_FILE)}` : 'CRD tables are up to date');
  }
}
