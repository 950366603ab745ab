// What Flux applies, judged: a fleet in the shapes real Azure fleets use (bases + overlays, a patch selected by
// annotation, a gate patch in a kustomize Component, postBuild substitution from a ConfigMap), and each construct of
// the rendering on its own.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import { WorkspaceIndex } from '../../server/src/workspace/workspaceIndex';
import { idOf } from '../../server/src/render/object';
import { textIn, toPlain, nodeIn } from '../../server/src/render/value';
import { analyzeFolder } from './analyze';
import { writeTree } from './fixtures';

const CLIENT = '11111111-2222-3333-4444-555555555555';
const TENANT = '66666666-7777-8888-9999-000000000000';

/** A bootstrap cluster with the gate in a component and apps applied with postBuild; `change` edits any file. */
function fleet(change: Record<string, string | undefined> = {}): Record<string, string> {
  const files: Record<string, string | undefined> = {
    'clusters/prod/flux-system/gotk-components.yaml': [
      '# Flux Version: v2.8.8',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: image-reflector-controller',
      '  namespace: flux-system',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: manager',
      '          image: ghcr.io/fluxcd/image-reflector-controller:v1.1.0',
      '          args:',
      '            - --events-addr=http://notification-controller.flux-system.svc.cluster.local./',
      '            - --watch-all-namespaces=true',
      '',
    ].join('\n'),
    'clusters/prod/flux-system/gotk-sync.yaml': [
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata:',
      '  name: flux-system',
      '  namespace: flux-system',
      'spec:',
      '  interval: 10m',
      '  path: ./clusters/prod',
      '  sourceRef:',
      '    kind: GitRepository',
      '    name: flux-system',
      '',
    ].join('\n'),
    'clusters/prod/flux-system/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - gotk-components.yaml',
      '  - gotk-sync.yaml',
      'components:',
      '  - ../../../components/workload-identity',
      '',
    ].join('\n'),
    'components/workload-identity/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1alpha1',
      'kind: Component',
      'patches:',
      '  - patch: |',
      '      - op: add',
      '        path: /spec/template/spec/containers/0/args/-',
      '        value: --feature-gates=ObjectLevelWorkloadIdentity=true',
      '    target:',
      '      kind: Deployment',
      '      name: "(image-reflector-controller|image-automation-controller)"',
      '',
    ].join('\n'),
    'clusters/prod/apps.yaml': [
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata:',
      '  name: apps',
      '  namespace: flux-system',
      'spec:',
      '  interval: 10m',
      '  path: ./apps/prod',
      '  prune: true',
      '  sourceRef:',
      '    kind: GitRepository',
      '    name: flux-system',
      '  postBuild:',
      '    substituteFrom:',
      '      - kind: ConfigMap',
      '        name: cluster-vars',
      '',
    ].join('\n'),
    'clusters/prod/cluster-vars.yaml': [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: cluster-vars',
      '  namespace: flux-system',
      'data:',
      `  AZURE_CLIENT_ID: ${CLIENT}`,
      '',
    ].join('\n'),
    // Charts from the same registry with a login: the repository shows prodregistry needs one.
    'clusters/prod/charts.yaml': [
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: OCIRepository',
      'metadata:',
      '  name: charts',
      '  namespace: flux-system',
      'spec:',
      '  interval: 10m',
      '  url: oci://prodregistry.azurecr.io/charts',
      '  provider: azure',
      '',
    ].join('\n'),
    'apps/base/podinfo/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - image-repo.yaml',
      '  - sa.yaml',
      '',
    ].join('\n'),
    'apps/base/podinfo/image-repo.yaml': [
      'apiVersion: image.toolkit.fluxcd.io/v1',
      'kind: ImageRepository',
      'metadata:',
      '  name: podinfo',
      '  namespace: podinfo',
      '  annotations:',
      '    fleet.example.com/registry: prodregistry',
      'spec:',
      '  image: prodregistry.azurecr.io/podinfo',
      '  interval: 5m',
      '  serviceAccountName: podinfo-acr',
      '',
    ].join('\n'),
    'apps/base/podinfo/sa.yaml': [
      'apiVersion: v1',
      'kind: ServiceAccount',
      'metadata:',
      '  name: podinfo-acr',
      '  namespace: podinfo',
      '  annotations:',
      '    azure.workload.identity/client-id: ${AZURE_CLIENT_ID}',
      `    azure.workload.identity/tenant-id: ${TENANT}`,
      '',
    ].join('\n'),
    'apps/prod/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - ../base/podinfo',
      'patches:',
      '  - path: acr-provider.yaml',
      '    target:',
      '      kind: ImageRepository',
      '      annotationSelector: fleet.example.com/registry==prodregistry',
      '',
    ].join('\n'),
    'apps/prod/acr-provider.yaml': [
      'apiVersion: image.toolkit.fluxcd.io/v1',
      'kind: ImageRepository',
      'metadata:',
      '  name: any',
      'spec:',
      '  provider: azure',
      '',
    ].join('\n'),
    ...change,
  };
  return Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== undefined));
}

async function findings(files: Record<string, string>): Promise<string[]> {
  const root = writeTree(files, 'flux-azure-render-');
  return (await analyzeFolder(root))
    .filter(({ d }) => d.severity === 1 || d.severity === 2)
    .map(({ file, d }) => `${file.split('\\').join('/')}:${d.range.start.line + 1} ${String(d.code)} ${d.message}`);
}

test('a fleet whose provider, gate and client id come from a selector patch, a component and postBuild is clean', async () => {
  assert.deepEqual(await findings(fleet()), []);
});

test('a patch whose annotationSelector does not match leaves the ImageRepository without provider: azure', async () => {
  const found = await findings(
    fleet({
      'apps/base/podinfo/image-repo.yaml': fleet()['apps/base/podinfo/image-repo.yaml'].replace(
        'registry: prodregistry',
        'registry: devregistry',
      ),
    }),
  );
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /^apps\/base\/podinfo\/image-repo\.yaml:\d+ flux-azure\/provider-azure-missing/);
});

test('without the component, the gate is missing on image-reflector-controller', async () => {
  const found = await findings(
    fleet({
      'clusters/prod/flux-system/kustomization.yaml': fleet()['clusters/prod/flux-system/kustomization.yaml'].replace(
        /components:\n.*\n/,
        '',
      ),
    }),
  );
  assert.ok(
    found.some((f) => /flux-azure\/gate-missing .*image-reflector-controller/.test(f)),
    found.join('\n'),
  );
});

test('a substituted client id that is not a GUID is reported with the substituted value and its source', async () => {
  const found = await findings(
    fleet({ 'clusters/prod/cluster-vars.yaml': fleet()['clusters/prod/cluster-vars.yaml'].replace(CLIENT, 'todo') }),
  );
  const guid = found.filter((f) => f.includes('sa-annotation-not-guid'));
  // On the annotation where it is written, and on the object that uses the ServiceAccount.
  assert.deepEqual(
    guid.map((f) => f.split(' ')[0]),
    ['apps/base/podinfo/image-repo.yaml:11', 'apps/base/podinfo/sa.yaml:7'],
    found.join('\n'),
  );
  assert.match(guid[0], /substitutes to 'todo'/);
  assert.match(guid[1], /'\$\{AZURE_CLIENT_ID\}' becomes 'todo' \(Kustomization apps in `clusters\/prod`\)/);
});

test('without postBuild the literal ${AZURE_CLIENT_ID} reaches the cluster, and the message says so', async () => {
  const found = await findings(
    fleet({ 'clusters/prod/apps.yaml': fleet()['clusters/prod/apps.yaml'].replace(/ {2}postBuild:[\s\S]*$/, '') }),
  );
  const guid = found.filter((f) => f.includes('sa-annotation-not-guid'));
  assert.equal(guid.length, 2, found.join('\n'));
  assert.match(guid[0], /has no spec\.postBuild/);
  assert.match(
    guid[1],
    /^apps\/base\/podinfo\/sa\.yaml:7 .*reaches the cluster as written: Kustomization apps in `clusters\/prod` has no spec\.postBuild/,
  );
});

test('a substituteFrom object outside the repository makes the value unknown: nothing is reported', async () => {
  const found = await findings(fleet({ 'clusters/prod/cluster-vars.yaml': undefined }));
  assert.deepEqual(
    found.filter((f) => f.includes('sa-annotation')),
    [],
  );
});

async function render(files: Record<string, string>) {
  const root = writeTree(files, 'flux-azure-render-');
  const index = new WorkspaceIndex();
  index.setRoots([root]);
  await index.scan();
  const [cluster] = index.clusters();
  return index.renderingOf(cluster);
}

function objects(r: Awaited<ReturnType<typeof render>>) {
  return r.applied.flatMap((a) => a.objects);
}

test('kustomize constructs: namespace, namePrefix, commonLabels, strategic merge by name, JSON6902 after the namespace', async () => {
  const r = await render(
    fleet({
      'apps/prod/kustomization.yaml': [
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'namespace: prod',
        'namePrefix: prod-',
        'commonLabels:',
        '  env: prod',
        'resources:',
        '  - ../base/podinfo',
        'patchesStrategicMerge:',
        '  - |-',
        '    apiVersion: v1',
        '    kind: ServiceAccount',
        '    metadata:',
        '      name: podinfo-acr',
        '      annotations:',
        '        extra: "yes"',
        'patchesJson6902:',
        '  - target:',
        '      version: v1',
        '      kind: ServiceAccount',
        '      name: prod-podinfo-acr',
        '      namespace: prod',
        '    patch: |-',
        '      - op: add',
        '        path: /metadata/labels/json',
        '        value: "1"',
        '',
      ].join('\n'),
    }),
  );
  const sa = objects(r).find((o) => idOf(o).kind === 'ServiceAccount')!;
  assert.equal(idOf(sa).name, 'prod-podinfo-acr');
  assert.equal(idOf(sa).namespace, 'prod');
  assert.deepEqual(toPlain(nodeIn(sa.node, ['metadata', 'labels'])), { env: 'prod', json: '1' });
  assert.equal(textIn(sa.node, ['metadata', 'annotations', 'extra']), 'yes');
  // the substituted client id remembers where it was written and where its value came from
  const client = nodeIn(sa.node, ['metadata', 'annotations', 'azure.workload.identity/client-id']);
  assert.equal(client?.type, 'scalar');
  if (client?.type === 'scalar') {
    assert.equal(client.value, CLIENT);
    assert.match(client.at.uri, /cluster-vars\.yaml$/);
    assert.equal(client.before?.text, '${AZURE_CLIENT_ID}');
    assert.match(client.before!.at.uri, /sa\.yaml$/);
  }
});

test('postBuild: defaults, escapes, substitute over substituteFrom, the disabled annotation, strict mode problems', async () => {
  const r = await render(
    fleet({
      'clusters/prod/apps.yaml': fleet()['clusters/prod/apps.yaml'] + '    substitute:\n      REGION: westeurope\n',
      'apps/base/podinfo/kustomization.yaml':
        fleet()['apps/base/podinfo/kustomization.yaml'] + '  - cm.yaml\n  - off.yaml\n',
      'apps/base/podinfo/cm.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: settings',
        '  namespace: podinfo',
        'data:',
        '  region: ${REGION}',
        '  zone: ${ZONE:=1}',
        '  literal: $${REGION}',
        '  missing: ${NOT_SET}',
        '',
      ].join('\n'),
      'apps/base/podinfo/off.yaml': [
        'apiVersion: v1',
        'kind: ConfigMap',
        'metadata:',
        '  name: no-subst',
        '  namespace: podinfo',
        '  annotations:',
        '    kustomize.toolkit.fluxcd.io/substitute: disabled',
        'data:',
        '  region: ${REGION}',
        '',
      ].join('\n'),
    }),
  );
  const cm = objects(r).find((o) => idOf(o).name === 'settings')!;
  assert.equal(textIn(cm.node, ['data', 'region']), 'westeurope');
  assert.equal(textIn(cm.node, ['data', 'zone']), '1');
  assert.equal(textIn(cm.node, ['data', 'literal']), '${REGION}');
  // Flux 2.8 substitutes a variable with no value and no default by '' (2.9 fails the apply: strict mode)
  assert.equal(textIn(cm.node, ['data', 'missing']), '');
  assert.deepEqual(
    r.problems.filter((p) => p.message.includes('strict')),
    [],
  );
  const off = objects(r).find((o) => idOf(o).name === 'no-subst')!;
  assert.equal(textIn(off.node, ['data', 'region']), '${REGION}');
});

test('a directory without kustomization.yaml is generated: every manifest below, nested kustomizations whole', async () => {
  const r = await render(
    fleet({
      'apps/prod/kustomization.yaml': undefined,
      'apps/prod/acr-provider.yaml': undefined,
      'apps/prod/extra/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: podinfo\n',
      'apps/prod/podinfo/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../../base/podinfo\n',
      'apps/prod/podinfo/ignored.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ignored\n',
    }),
  );
  const names = objects(r).map((o) => idOf(o).name);
  assert.ok(names.includes('extra'), names.join(', '));
  assert.ok(names.includes('podinfo-acr'), names.join(', '));
  assert.ok(!names.includes('ignored'), 'a file the nested kustomization does not list is not applied');
});

/** Every finding of the render rules, as `file:line code message`. */
async function renderFindings(files: Record<string, string>): Promise<string[]> {
  const root = writeTree(files, 'flux-azure-render-');
  return (await analyzeFolder(root))
    .filter(({ d }) => /render-failed|patch-matches-nothing/.test(String(d.code)))
    .map(({ file, d }) => `${file.split('\\').join('/')}:${d.range.start.line + 1} ${String(d.code)} ${d.message}`);
}

const GOTK = 'clusters/prod/flux-system/gotk-components.yaml';

test('strict substitution (Flux 2.9+): a variable with no value and no default fails the apply, at its line; 2.8 is not strict', async () => {
  const missing = {
    'apps/base/podinfo/image-repo.yaml': fleet()['apps/base/podinfo/image-repo.yaml'].replace(
      'interval: 5m',
      'interval: ${SCAN_INTERVAL}',
    ),
  };
  assert.deepEqual(await renderFindings(fleet(missing)), []);
  const strict = fleet({ ...missing, [GOTK]: fleet()[GOTK].replace('v2.8.8', 'v2.9.1') });
  const found = await renderFindings(strict);
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(
    found[0],
    /^apps\/base\/podinfo\/image-repo\.yaml:10 flux-azure\/render-failed Variable not set \(strict mode\): "SCAN_INTERVAL" — Kustomization apps fails to apply \(in `clusters\/prod`\)/,
  );
  // A default, or the value in the cluster's ConfigMap, makes it apply.
  const withDefault = {
    ...strict,
    'apps/base/podinfo/image-repo.yaml': strict['apps/base/podinfo/image-repo.yaml'].replace(
      '${SCAN_INTERVAL}',
      '${SCAN_INTERVAL:=5m}',
    ),
  };
  assert.deepEqual(await renderFindings(withDefault), []);
  const inConfigMap = {
    ...strict,
    'clusters/prod/cluster-vars.yaml': `${strict['clusters/prod/cluster-vars.yaml']}  SCAN_INTERVAL: 1m\n`,
  };
  assert.deepEqual(await renderFindings(inConfigMap), []);
});

test('a JSON6902 operation on a path that is not there fails the build, at the patch', async () => {
  const broken = fleet({
    'components/workload-identity/kustomization.yaml': fleet()[
      'components/workload-identity/kustomization.yaml'
    ].replace('/spec/template/spec/containers/0/args/-', '/spec/template/spec/containers/1/args/-'),
  });
  const found = await renderFindings(broken);
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(
    found[0],
    /^components\/workload-identity\/kustomization\.yaml:5 flux-azure\/render-failed .*in `clusters\/prod`/,
  );
});

test('a patch whose target matches nothing anywhere is an information; one that applies in some build is not', async () => {
  const none = fleet({
    'apps/prod/kustomization.yaml': fleet()['apps/prod/kustomization.yaml'].replace(
      'kind: ImageRepository',
      'kind: ImagePolicy',
    ),
  });
  const found = await renderFindings(none);
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(
    found[0],
    /^apps\/prod\/acr-provider\.yaml:1 flux-azure\/patch-matches-nothing This patch changes nothing in `clusters\/prod`/,
  );
  assert.deepEqual(await renderFindings(fleet()), []);
});

/** apps/prod with a ConfigMap of registry settings copied into the ImageRepository by `replacements`. */
function withReplacements(
  replacements: string[],
  settings = ['  REGISTRY: prodregistry.azurecr.io', '  PROVIDER: azure'],
) {
  return fleet({
    'apps/prod/kustomization.yaml': [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - ../base/podinfo',
      '  - registry.yaml',
      'replacements:',
      ...replacements,
      '',
    ].join('\n'),
    'apps/prod/registry.yaml': [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: registry',
      'data:',
      ...settings,
      '',
    ].join('\n'),
  });
}

const PROVIDER_REPLACEMENT = [
  '  - source:',
  '      kind: ConfigMap',
  '      name: registry',
  '      fieldPath: data.PROVIDER',
  '    targets:',
  '      - select:',
  '          kind: ImageRepository',
  '        fieldPaths:',
  '          - spec.provider',
  '        options:',
  '          create: true',
];

test('replacements: a field copied from a ConfigMap (create, delimiter parts) is what Flux applies, with the ConfigMap line', async () => {
  const files = withReplacements([
    ...PROVIDER_REPLACEMENT,
    '  - source:',
    '      kind: ConfigMap',
    '      name: registry',
    '      fieldPath: data.REGISTRY',
    '    targets:',
    '      - select:',
    '          kind: ImageRepository',
    '          name: podinfo',
    '        fieldPaths:',
    '          - spec.image',
    '        options:',
    '          delimiter: /',
    '          index: 0',
  ]);
  const r = await render(files);
  const repo = objects(r).find((o) => idOf(o).kind === 'ImageRepository')!;
  assert.equal(textIn(repo.node, ['spec', 'provider']), 'azure');
  assert.equal(textIn(repo.node, ['spec', 'image']), 'prodregistry.azurecr.io/podinfo');
  const provider = nodeIn(repo.node, ['spec', 'provider']);
  assert.ok(
    provider?.at.uri.endsWith('/apps/prod/registry.yaml') && provider.at.range.start.line === 6,
    JSON.stringify(provider?.at),
  );
  assert.deepEqual(await findings(files), []);
});

test('replacements: a source not in the build makes the target unknown (silent); without the replacement the provider is missing', async () => {
  const unknownSource = withReplacements(
    PROVIDER_REPLACEMENT.map((l) => l.replace('name: registry', 'name: elsewhere')),
  );
  const repo = objects(await render(unknownSource)).find((o) => idOf(o).kind === 'ImageRepository')!;
  assert.equal(nodeIn(repo.node, ['spec', 'provider'])?.type, 'unknown');
  assert.deepEqual(await findings(unknownSource), []);
  const found = await findings(withReplacements(PROVIDER_REPLACEMENT, ['  PROVIDER: generic']));
  assert.equal(found.length, 1, found.join('\n'));
  assert.match(found[0], /provider-azure-missing/);
});
