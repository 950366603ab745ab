// Shapes seen in real public Azure fleets that once raised false alarms (each a minimal tree of our own, in the
// shape of the repository named): the finding must follow what Flux applies, and what the repository cannot tell
// must not be asserted as a failure.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFolder } from './analyze';
import { writeTree } from './fixtures';

async function found(files: Record<string, string>, severities = [1, 2]): Promise<string[]> {
  const root = writeTree(files, 'flux-azure-shapes-');
  return (await analyzeFolder(root))
    .filter(({ d }) => severities.includes(d.severity ?? 1))
    .map(({ file, d }) => `${file.split('\\').join('/')}:${d.range.start.line + 1} ${String(d.code)}`);
}

const lines = (...l: string[]) => [...l, ''].join('\n');
const kustomization = (...body: string[]) =>
  lines('apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', ...body);
const NAMESPACE = lines(
  '# Flux Version: v2.8.8',
  'apiVersion: v1',
  'kind: Namespace',
  'metadata:',
  '  name: flux-system',
);
/** A Flux Kustomization of `path` reading the flux-system GitRepository; `extra`: more spec lines. */
const fluxKustomization = (name: string, path: string, ...extra: string[]) =>
  lines(
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    `  name: ${name}`,
    '  namespace: flux-system',
    'spec:',
    '  interval: 10m',
    `  path: ${path}`,
    '  prune: true',
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: flux-system',
    ...extra,
  );
const SYNC = (path: string) => fluxKustomization('flux-system', path);
/** `clusters/prod/flux-system` as bootstrap writes it, its kustomization listing `extra` resources too. */
const FLUX_SYSTEM = (...extra: string[]) => ({
  'clusters/prod/flux-system/gotk-components.yaml': NAMESPACE,
  'clusters/prod/flux-system/gotk-sync.yaml': SYNC('./clusters/prod'),
  'clusters/prod/flux-system/kustomization.yaml': kustomization(
    'resources:',
    '  - gotk-components.yaml',
    '  - gotk-sync.yaml',
    ...extra,
  ),
});
const IMAGE_REPO = (name: string, registry = 'fleetacr') =>
  lines(
    'apiVersion: image.toolkit.fluxcd.io/v1',
    'kind: ImageRepository',
    'metadata:',
    `  name: ${name}`,
    '  annotations:',
    '    fleet.example.com/registry: private',
    'spec:',
    `  image: ${registry}.azurecr.io/team/${name}`,
    '  interval: 5m',
  );
/** Another source that logs in to the same registry: the repository shows the host needs a login. */
const LOGGED_IN = lines(
  'apiVersion: source.toolkit.fluxcd.io/v1',
  'kind: OCIRepository',
  'metadata:',
  '  name: charts',
  'spec:',
  '  interval: 10m',
  '  url: oci://fleetacr.azurecr.io/charts',
  '  provider: azure',
);
const ADD_PROVIDER = ['  - patch: |', '      - op: add', '        path: /spec/provider', '        value: azure'];

test('bootstrap files outside a flux-system folder (hmcts/sds-flux-config): the cluster is found from the sync path', async () => {
  const files = {
    'clusters/prod/kustomization.yaml': kustomization('resources:', '  - ../../platform/flux/prod'),
    'platform/flux/prod/gotk-components.yaml': NAMESPACE,
    'platform/flux/prod/gotk-sync.yaml': SYNC('./clusters/prod'),
    'platform/flux/prod/kustomization.yaml': kustomization(
      'resources:',
      '  - gotk-components.yaml',
      '  - gotk-sync.yaml',
      '  - ../../images',
    ),
    'platform/images/app.yaml': IMAGE_REPO('app'),
    'platform/images/kustomization.yaml': kustomization(
      'namespace: flux-system',
      'resources:',
      '  - app.yaml',
      'patches:',
      ...ADD_PROVIDER,
      '    target:',
      '      kind: ImageRepository',
      '      annotationSelector: fleet.example.com/registry == private',
    ),
  };
  assert.deepEqual(await found(files), []);
  // Control: without the patch the ImageRepository really lacks the provider.
  const unpatched = {
    ...files,
    'platform/images/kustomization.yaml': kustomization('resources:', '  - app.yaml'),
    'platform/charts.yaml': LOGGED_IN,
  };
  assert.deepEqual(await found(unpatched), ['platform/images/app.yaml:8 flux-azure/provider-azure-missing']);
});

test('Flux installed outside the repository (AKS extension, Terraform): the overlays that include a file are what is applied', async () => {
  const files = {
    'base/kustomization.yaml': kustomization('resources:', '  - app.yaml'),
    'base/app.yaml': IMAGE_REPO('app'),
    'overlays/prod/kustomization.yaml': kustomization(
      'resources:',
      '  - ../../base',
      'patches:',
      ...ADD_PROVIDER,
      '    target:',
      '      kind: ImageRepository',
    ),
  };
  assert.deepEqual(await found(files), []);
  // Two overlays, one without the patch: that rendering lacks the provider.
  const oneLacks = {
    ...files,
    'overlays/dev/kustomization.yaml': kustomization('resources:', '  - ../../base'),
    'charts.yaml': LOGGED_IN,
  };
  assert.deepEqual(await found(oneLacks), ['base/app.yaml:8 flux-azure/provider-azure-missing']);
});

test('a file no cluster applies (apps/legacy, referenced by nothing) is not warned about as if Flux pulled with it', async () => {
  const files = {
    ...FLUX_SYSTEM(),
    'clusters/prod/kustomization.yaml': kustomization('resources:', '  - flux-system', '  - ../../apps/images'),
    'apps/images/app.yaml': IMAGE_REPO('app'),
    'apps/images/kustomization.yaml': kustomization(
      'resources:',
      '  - app.yaml',
      'patches:',
      ...ADD_PROVIDER,
      '    target:',
      '      kind: ImageRepository',
    ),
    'apps/legacy/old.yaml': IMAGE_REPO('old'),
  };
  assert.deepEqual(await found(files), []);
  const info = await found(files, [3]);
  assert.ok(info.includes('apps/legacy/old.yaml:8 flux-azure/provider-azure-missing'), info.join('\n'));
});

test('a registry the repository never logs in to (anonymous pull, hmctspublic) is an information; one it logs in to elsewhere a warning', async () => {
  const helm = (name: string, registry: string, provider = '') =>
    lines(
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: HelmRepository',
      'metadata:',
      `  name: ${name}`,
      '  namespace: flux-system',
      'spec:',
      '  type: oci',
      '  interval: 10m',
      `  url: oci://${registry}.azurecr.io/helm`,
      ...(provider ? [`  provider: ${provider}`] : []),
    );
  const files = {
    'sources/public.yaml': helm('public-charts', 'fleetpublic'),
    'sources/private.yaml': helm('private-charts', 'fleetprivate', 'azure'),
  };
  assert.deepEqual(await found(files), []);
  assert.deepEqual(await found(files, [3]), ['sources/public.yaml:9 flux-azure/provider-azure-missing']);
  // The same registry with provider: azure elsewhere: this one really forgot it.
  const forgot = { ...files, 'sources/public.yaml': helm('public-charts', 'fleetprivate') };
  assert.deepEqual(await found(forgot), ['sources/public.yaml:9 flux-azure/provider-azure-missing']);
});

const WI_SERVICE_ACCOUNT = (clientId: string) =>
  lines(
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: reporter',
    '  namespace: observability',
    '  annotations:',
    `    azure.workload.identity/client-id: ${clientId}`,
  );

test('a package Flux applies from outside the repository (OCI artifact, AKS fluxConfiguration): ${VAR} may be substituted there', async () => {
  // The folder is pushed as an artifact; the Kustomization applying it (Terraform, another repository) is not here.
  const files = {
    'packages/reporter/kustomization.yaml': kustomization('resources:', '  - sa.yaml'),
    'packages/reporter/sa.yaml': WI_SERVICE_ACCOUNT('${REPORTER_CLIENT_ID}'),
  };
  assert.deepEqual(await found(files), []);
  // Control: a Flux Kustomization of the repository applies it without postBuild: the text reaches the cluster.
  const applied = {
    ...files,
    ...FLUX_SYSTEM(),
    'clusters/prod/reporter.yaml': lines(
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata:',
      '  name: reporter',
      '  namespace: flux-system',
      'spec:',
      '  interval: 10m',
      '  path: ./packages/reporter',
      '  prune: true',
      '  sourceRef:',
      '    kind: GitRepository',
      '    name: flux-system',
    ),
  };
  assert.deepEqual(await found(applied), ['packages/reporter/sa.yaml:7 flux-azure/sa-annotation-not-guid']);
});

test('a Kustomization of another source (an OCIRepository of content pushed elsewhere) applies nothing of this repository', async () => {
  const fluxKs = (name: string, path: string, kind: string, source: string) =>
    lines(
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata:',
      `  name: ${name}`,
      '  namespace: flux-system',
      'spec:',
      '  interval: 10m',
      `  path: ${path}`,
      '  prune: true',
      '  sourceRef:',
      `    kind: ${kind}`,
      `    name: ${source}`,
    );
  const files = {
    'packages/dashboards/kustomization.yaml': kustomization('resources:', '  - source.yaml', '  - apply.yaml'),
    'packages/dashboards/source.yaml': lines(
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: OCIRepository',
      'metadata:',
      '  name: dashboards',
      '  namespace: flux-system',
      'spec:',
      '  interval: 10m',
      '  provider: azure',
      '  url: oci://fleetacr.azurecr.io/dashboards',
      '  ref:',
      '    tag: main',
    ),
    // `./` is the root of the dashboards artifact, not of this repository.
    'packages/dashboards/apply.yaml': fluxKs('dashboards', './', 'OCIRepository', 'dashboards'),
    'packages/reporter/kustomization.yaml': kustomization('resources:', '  - sa.yaml'),
    'packages/reporter/sa.yaml': WI_SERVICE_ACCOUNT('${REPORTER_CLIENT_ID}'),
  };
  assert.deepEqual(await found(files), []);
  // Control: the same Kustomization on the repository's own source applies the package as written.
  const own = {
    ...files,
    'packages/dashboards/apply.yaml': fluxKs('reporter', './packages/reporter', 'GitRepository', 'flux-system'),
  };
  assert.deepEqual(await found(own), ['packages/reporter/sa.yaml:7 flux-azure/sa-annotation-not-guid']);
});

test('an overlay no cluster includes (hmcts mailrelay2/automation, juror sbox) is not judged as applied, only noted', async () => {
  const bootstrap = (...resources: string[]) => ({
    ...FLUX_SYSTEM(),
    'clusters/prod/kustomization.yaml': kustomization('resources:', '  - flux-system', '  - charts.yaml', ...resources),
    'clusters/prod/charts.yaml': LOGGED_IN,
  });
  const files = {
    ...bootstrap(),
    // An overlay of its own that nothing includes: no cluster pulls with this ImageRepository.
    'apps/reporter/automation/kustomization.yaml': kustomization('resources:', '  - image.yaml'),
    'apps/reporter/automation/image.yaml': IMAGE_REPO('reporter'),
    // A patch of an overlay no cluster applies, with an id still to be filled in.
    'apps/reporter/base/kustomization.yaml': kustomization('resources:', '  - sa.yaml'),
    'apps/reporter/base/sa.yaml': WI_SERVICE_ACCOUNT('11111111-2222-3333-4444-555555555555'),
    'apps/reporter/staging/kustomization.yaml': kustomization(
      'resources:',
      '  - ../base',
      'patches:',
      '  - path: sa.yaml',
    ),
    'apps/reporter/staging/sa.yaml': WI_SERVICE_ACCOUNT('TBA'),
  };
  assert.deepEqual(await found(files), []);
  assert.deepEqual(await found(files, [3]), [
    'apps/reporter/automation/image.yaml:8 flux-azure/provider-azure-missing',
    'apps/reporter/staging/sa.yaml:7 flux-azure/sa-annotation-not-guid',
  ]);
  // Control: once the cluster includes them, the pull fails and Entra ID rejects the id.
  const included = { ...files, ...bootstrap('  - ../../apps/reporter/automation', '  - ../../apps/reporter/staging') };
  assert.deepEqual(await found(included), [
    'apps/reporter/automation/image.yaml:8 flux-azure/provider-azure-missing',
    'apps/reporter/staging/sa.yaml:7 flux-azure/sa-annotation-not-guid',
  ]);
});

test('a Flux release older than the catalog knows (adrianmo/aks-flux, Flux 0.13): its served versions are not judged', async () => {
  const repo = (flux: string) => ({
    'clusters/demo/flux-system/gotk-components.yaml': NAMESPACE.replace('v2.8.8', flux),
    'clusters/demo/flux-system/gotk-sync.yaml': lines(
      'apiVersion: source.toolkit.fluxcd.io/v1beta1',
      'kind: GitRepository',
      'metadata:',
      '  name: flux-system',
      '  namespace: flux-system',
      'spec:',
      '  interval: 1m',
      '  url: https://github.com/example/fleet',
    ),
  });
  // v1 did not exist in 0.13: "deprecated, use v1" would tell the user to write what that cluster cannot apply.
  assert.deepEqual(await found(repo('v0.13.4'), [1, 2, 3]), []);
  // Control: a release the catalog knows, where v1beta1 is gone.
  assert.deepEqual(await found(repo('v2.7.0'), [1, 2, 3]), [
    'clusters/demo/flux-system/gotk-sync.yaml:1 flux-azure/api-version-removed',
  ]);
});

test('a kustomization with a transformer the rendering does not model (`transformers:`): its objects get information, not warnings', async () => {
  const files = {
    ...FLUX_SYSTEM('  - ../../../images'),
    'images/kustomization.yaml': kustomization(
      'resources:',
      '  - app.yaml',
      '  - charts.yaml',
      'transformers:',
      '  - provider-transformer.yaml',
    ),
    'images/app.yaml': IMAGE_REPO('app'),
    'images/charts.yaml': LOGGED_IN,
    // A PatchTransformer (kustomize's plugin form of a patch) could set spec.provider: the rendering cannot tell.
    'images/provider-transformer.yaml': lines(
      'apiVersion: builtin',
      'kind: PatchTransformer',
      'metadata:',
      '  name: provider',
      'patch: \'[{"op": "add", "path": "/spec/provider", "value": "azure"}]\'',
      'target:',
      '  kind: ImageRepository',
    ),
  };
  assert.deepEqual(await found(files), []);
  const root = writeTree(files, 'flux-azure-shapes-');
  const infos = (await analyzeFolder(root)).filter(({ d }) => d.code === 'flux-azure/provider-azure-missing');
  assert.equal(infos.length, 1);
  assert.equal(infos[0].d.severity, 3);
  assert.match(
    infos[0].d.message,
    /Not judged as a problem: `transformers` in .*images\/kustomization\.yaml may change it/,
  );
  // Control: without the transformer the ImageRepository really lacks the provider.
  const plain = {
    ...files,
    'images/kustomization.yaml': kustomization('resources:', '  - app.yaml', '  - charts.yaml'),
  };
  assert.deepEqual(await found(plain), ['images/app.yaml:8 flux-azure/provider-azure-missing']);
});

test('an overlay patch that annotates a base ServiceAccount: judged as applied, with the substituted client id', async () => {
  const ACCOUNT = lines('apiVersion: v1', 'kind: ServiceAccount', 'metadata:', '  name: app', '  namespace: apps');
  const annotations = (clientId: string) =>
    lines(
      ACCOUNT,
      '  annotations:',
      `    azure.workload.identity/client-id: ${clientId}`,
      '    azure.workload.identity/tenant-id: 72f988bf-86f1-41af-91ab-2d7cd011db47',
    );
  const apps = (clientId: string) =>
    fluxKustomization('apps', './apps/prod', '  postBuild:', '    substitute:', `      CLIENT_ID: ${clientId}`);
  const files = {
    ...FLUX_SYSTEM(),
    'clusters/prod/apps.yaml': apps('0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6'),
    'apps/base/kustomization.yaml': kustomization('resources:', '  - account.yaml', '  - source.yaml'),
    'apps/base/account.yaml': ACCOUNT,
    'apps/base/source.yaml': lines(
      'apiVersion: source.toolkit.fluxcd.io/v1',
      'kind: OCIRepository',
      'metadata:',
      '  name: app',
      '  namespace: apps',
      'spec:',
      '  interval: 10m',
      '  url: oci://fleetacr.azurecr.io/app',
      '  provider: azure',
      '  serviceAccountName: app',
    ),
    'apps/prod/kustomization.yaml': kustomization('resources:', '  - ../base', 'patches:', '  - path: account.yaml'),
    'apps/prod/account.yaml': annotations('${CLIENT_ID}'),
  };
  const codes = async (tree: Record<string, string>) => (await found(tree)).filter((f) => !f.endsWith('gate-missing')); // the gate is not the point here
  assert.deepEqual(await codes(files), []);
  // The variable substitutes to something that is not a client id: reported where the account is used.
  assert.deepEqual(await codes({ ...files, 'clusters/prod/apps.yaml': apps('to-be-filled') }), [
    'apps/base/source.yaml:10 flux-azure/sa-annotation-not-guid',
  ]);
  // Control: without the overlay's patch the account really lacks the annotations.
  assert.deepEqual(
    await codes({ ...files, 'apps/prod/kustomization.yaml': kustomization('resources:', '  - ../base') }),
    ['apps/base/source.yaml:10 flux-azure/sa-missing-annotations'],
  );
});
