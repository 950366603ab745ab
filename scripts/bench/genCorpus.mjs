// A deterministic Flux-on-Azure YAML corpus, used when ../shared/bench/gen-corpus.mjs is not beside the repository:
//   single/small.yaml, medium.yaml, large.yaml   multi-document files of about 200 / 5,000 / 50,000 lines
//   workspace/                                   a fleet repository of `files` files of about 110 lines
//   manifest.json                                sizes and a kind histogram
// The same seed gives byte-identical output. About 2 % of documents carry one realistic mistake.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A small seeded PRNG (xorshift32 over a splitmix-style seed), returning floats in [0, 1). */
export function random(seed) {
  let x = (seed * 0x9e3779b9) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

const WORDS = ['alpha', 'billing', 'catalog', 'delivery', 'edge', 'fleet', 'gateway', 'harbor', 'ingest', 'jobs'];
const REGIONS = ['westeurope', 'northeurope', 'eastus2', 'swedencentral'];

function makeDocs(rand) {
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const id = () => `${pick(WORDS)}-${Math.floor(rand() * 10000)}`;
  const guid = () =>
    [8, 4, 4, 4, 12]
      .map((n) => Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join(''))
      .join('-');
  const interval = () => pick(['1m', '5m', '10m', '1h']);
  /** apiVersion, kind and metadata of an object with a fresh name in `ns`. */
  const head = (apiVersion, kind, ns) => [
    `apiVersion: ${apiVersion}`,
    `kind: ${kind}`,
    'metadata:',
    `  name: ${id()}`,
    `  namespace: ${ns}`,
  ];
  const acr = () => `${pick(WORDS)}registry.azurecr.io`;

  return {
    ServiceAccount: (ns) => [
      ...head('v1', 'ServiceAccount', ns),
      '  annotations:',
      `    azure.workload.identity/client-id: ${guid()}`,
      `    azure.workload.identity/tenant-id: ${guid()}`,
      '  labels:',
      '    azure.workload.identity/use: "true"',
    ],
    OCIRepository: (ns) => [
      ...head(`source.toolkit.fluxcd.io/${pick(['v1', 'v1beta2'])}`, 'OCIRepository', ns),
      'spec:',
      `  interval: ${interval()}`,
      `  url: oci://${acr()}/manifests/${pick(WORDS)}`,
      '  ref:',
      `    tag: ${pick(['latest', 'v1.2.3', 'main'])}`,
      '  provider: azure',
      '  verify:',
      '    provider: cosign',
    ],
    GitRepository: (ns) => [
      ...head('source.toolkit.fluxcd.io/v1', 'GitRepository', ns),
      'spec:',
      `  interval: ${interval()}`,
      `  url: https://dev.azure.com/${pick(WORDS)}/${pick(WORDS)}/_git/${pick(WORDS)}`,
      '  ref:',
      '    branch: main',
      '  secretRef:',
      `    name: ${id()}-git`,
    ],
    Bucket: (ns) => [
      ...head('source.toolkit.fluxcd.io/v1', 'Bucket', ns),
      'spec:',
      `  interval: ${interval()}`,
      '  provider: azure',
      `  bucketName: ${pick(WORDS)}`,
      `  endpoint: https://${pick(WORDS)}store.blob.core.windows.net`,
    ],
    HelmRepository: (ns) => [
      ...head('source.toolkit.fluxcd.io/v1', 'HelmRepository', ns),
      'spec:',
      '  type: oci',
      `  interval: ${interval()}`,
      `  url: oci://${acr()}/charts`,
      '  provider: azure',
    ],
    ImageRepository: (ns) => [
      ...head('image.toolkit.fluxcd.io/v1beta2', 'ImageRepository', ns),
      'spec:',
      `  image: ${acr()}/${pick(WORDS)}`,
      `  interval: ${interval()}`,
      '  provider: azure',
    ],
    ImagePolicy: (ns) => [
      ...head('image.toolkit.fluxcd.io/v1beta2', 'ImagePolicy', ns),
      'spec:',
      '  imageRepositoryRef:',
      `    name: ${id()}`,
      '  policy:',
      '    semver:',
      "      range: '>=1.0.0'",
    ],
    Kustomization: (ns) => [
      ...head('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', ns),
      'spec:',
      `  interval: ${interval()}`,
      `  path: ./apps/${pick(WORDS)}/${pick(REGIONS)}`,
      '  prune: true',
      '  sourceRef:',
      '    kind: GitRepository',
      `    name: ${id()}`,
      '  decryption:',
      '    provider: sops',
      '  postBuild:',
      '    substitute:',
      `      region: ${pick(REGIONS)}`,
    ],
    Provider: (ns) => [
      ...head('notification.toolkit.fluxcd.io/v1beta3', 'Provider', ns),
      'spec:',
      '  type: azureeventhub',
      `  address: ${pick(WORDS)}-hub`,
      '  secretRef:',
      `    name: ${id()}-hub`,
    ],
    Alert: (ns) => [
      ...head('notification.toolkit.fluxcd.io/v1beta3', 'Alert', ns),
      'spec:',
      '  providerRef:',
      `    name: ${id()}`,
      '  eventSeverity: error',
      '  eventSources:',
      '    - kind: Kustomization',
      "      name: '*'",
    ],
    Secret: (ns) => [...head('v1', 'Secret', ns), 'type: Opaque', 'stringData:', `  accountName: ${pick(WORDS)}store`],
    Deployment: (ns) => [
      ...head('apps/v1', 'Deployment', ns),
      'spec:',
      '  replicas: 2',
      '  selector:',
      '    matchLabels:',
      `      app: ${pick(WORDS)}`,
      '  template:',
      '    metadata:',
      '      labels:',
      `        app: ${pick(WORDS)}`,
      '        azure.workload.identity/use: "true"',
      '    spec:',
      `      serviceAccountName: ${id()}`,
      '      containers:',
      '        - name: app',
      `          image: ${acr()}/${pick(WORDS)}:1.0.0`,
    ],
  };
}

/** The flux-system kustomization.yaml of a cluster, giving the controllers a workload identity. */
function fluxSystemKustomization(rand) {
  const id = () => Array.from({ length: 8 }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
  return [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    '  - gotk-components.yaml',
    '  - gotk-sync.yaml',
    'patches:',
    '  - patch: |',
    '      apiVersion: v1',
    '      kind: ServiceAccount',
    '      metadata:',
    '        name: source-controller',
    '        annotations:',
    `          azure.workload.identity/client-id: ${id()}-0000-0000-0000-000000000000`,
    '    target:',
    '      kind: ServiceAccount',
    '      name: source-controller',
    '  - patch: |',
    '      - op: add',
    '        path: /spec/template/metadata/labels/azure.workload.identity~1use',
    '        value: "true"',
    '    target:',
    '      kind: Deployment',
    '      name: (source-controller|image-reflector-controller)',
  ];
}

/** One realistic mistake: a typo'd key, an unknown provider, a bad duration or a quoted boolean. */
function mistake(lines, rand) {
  const i = lines.findIndex((l) => /^ {2}(provider|interval|prune): /.test(l));
  if (i < 0) return lines;
  const out = [...lines];
  const r = rand();
  if (/provider/.test(out[i])) out[i] = '  provider: azur';
  else if (/interval/.test(out[i])) out[i] = r < 0.5 ? '  intervall: 5m' : '  interval: 5 minutes';
  else out[i] = '  prune: "yes"';
  return out;
}

const KINDS = Object.keys(makeDocs(() => 0));

function multiDoc(rand, targetLines, histogram, errorRate) {
  const docs = makeDocs(rand);
  const lines = [];
  while (lines.length < targetLines) {
    const kind = KINDS[Math.floor(rand() * KINDS.length)];
    histogram[kind] = (histogram[kind] ?? 0) + 1;
    let doc = docs[kind](`team-${Math.floor(rand() * 20)}`);
    if (rand() < errorRate) doc = mistake(doc, rand);
    lines.push('---', ...doc);
  }
  return lines.join('\n') + '\n';
}

/** Writes the corpus to `out` (replacing it). */
export function generateCorpus(out, { seed = 42, files = 2000, errorRate = 0.02 } = {}) {
  rmSync(out, { recursive: true, force: true });
  const rand = random(seed);
  const histogram = {};
  const manifest = {
    generator: 'scripts/bench/genCorpus.mjs',
    seed,
    single: {},
    workspace: {},
    kindHistogram: histogram,
  };
  for (const [name, lines] of Object.entries({ small: 200, medium: 5000, large: 50000 })) {
    const text = multiDoc(rand, lines, histogram, errorRate);
    const path = join(out, 'single', `${name}.yaml`);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    manifest.single[name] = { path: `single/${name}.yaml`, lines: text.split('\n').length - 1, bytes: text.length };
  }
  let total = 0;
  for (let i = 0; i < files; i++) {
    const cluster = `cluster-${Math.floor(i / 100)}`;
    const isFluxSystem = i % 10 === 0;
    const path = isFluxSystem
      ? join(out, 'workspace', 'clusters', cluster, `flux-system-${i}`, 'kustomization.yaml')
      : join(out, 'workspace', 'tenants', cluster, `team-${i % 37}`, `app-${i}.yaml`);
    const text = isFluxSystem
      ? fluxSystemKustomization(rand).join('\n') + '\n'
      : multiDoc(rand, 100, histogram, errorRate);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    total += text.split('\n').length - 1;
  }
  manifest.workspace = { dir: 'workspace', files, lines: total };
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
