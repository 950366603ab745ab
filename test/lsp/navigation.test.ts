// Go to definition, find references and the rendered preview over stdio, on a fleet written here: a bootstrap
// cluster (gate patch on source-controller), apps as a base + a prod overlay (namespace, a patch giving the
// OCIRepository `provider: azure`), applied by a Flux Kustomization with postBuild from a ConfigMap.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Location } from 'vscode-languageserver-protocol';
import { RenderedObjectRequest, type RenderedObjectResult } from '../../shared/src/protocol';
import { fileUri, LspClient, positionOf } from './lspClient';

const CLIENT = '11111111-2222-3333-4444-555555555555';
const TENANT = '66666666-7777-8888-9999-000000000000';

const FILES: Record<string, string[]> = {
  'clusters/prod/flux-system/gotk-components.yaml': [
    '# Flux Version: v2.7.0',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: source-controller',
    '  namespace: flux-system',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: manager',
    '          image: ghcr.io/fluxcd/source-controller:v1.7.0',
    '          args:',
    '            - --watch-all-namespaces=true',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: kustomize-controller',
    '  namespace: flux-system',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '        - name: manager',
    '          image: ghcr.io/fluxcd/kustomize-controller:v1.7.0',
  ],
  'clusters/prod/flux-system/gotk-sync.yaml': [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: GitRepository',
    'metadata:',
    '  name: flux-system',
    '  namespace: flux-system',
    'spec:',
    '  interval: 1m',
    '  url: https://dev.azure.com/contoso/fleet/_git/fleet',
    '  ref:',
    '    branch: main',
    '---',
    'apiVersion: kustomize.toolkit.fluxcd.io/v1',
    'kind: Kustomization',
    'metadata:',
    '  name: flux-system',
    '  namespace: flux-system',
    'spec:',
    '  interval: 10m',
    '  path: ./clusters/prod',
    '  prune: true',
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: flux-system',
  ],
  'clusters/prod/flux-system/kustomization.yaml': [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    '  - gotk-components.yaml',
    '  - gotk-sync.yaml',
    'patches:',
    '  - patch: |',
    '      - op: add',
    '        path: /spec/template/spec/containers/0/args/-',
    '        value: --feature-gates=ObjectLevelWorkloadIdentity=true',
    '    target:',
    '      kind: Deployment',
    '      name: source-controller',
  ],
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
    '      - kind: Secret',
    '        name: vault-only',
    '        optional: true',
    '  decryption:',
    '    provider: sops',
    '    secretRef:',
    '      name: sops-azure',
    '  patches:',
    '    - patch: |',
    '        apiVersion: v1',
    '        kind: ServiceAccount',
    '        metadata:',
    '          name: any',
    '          labels:',
    '            team: web',
    '      target:',
    '        kind: ServiceAccount',
    '        namespace: podinfo',
  ],
  'clusters/prod/sops.yaml': [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: sops-azure',
    '  namespace: flux-system',
    'stringData:',
    '  sops.azure-kv: |',
    '    clientId: 11111111-2222-3333-4444-555555555555',
  ],
  'clusters/prod/cluster-vars.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: cluster-vars',
    '  namespace: flux-system',
    'data:',
    '  REGION: westeurope',
    `  AZURE_CLIENT_ID: "${CLIENT}"`,
  ],
  // The same name in another namespace: never the target of the podinfo objects.
  'clusters/prod/decoy.yaml': [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: podinfo-source',
    '  namespace: other',
  ],
  'clusters/prod/identity.yaml': [
    'apiVersion: managedidentity.azure.com/v1api20230131',
    'kind: FederatedIdentityCredential',
    'metadata:',
    '  name: podinfo-source',
    '  namespace: flux-system',
    'spec:',
    '  owner:',
    '    name: podinfo-identity',
    '  audiences:',
    '    - api://AzureADTokenExchange',
    '  issuer: https://westeurope.oic.prod-aks.azure.com/tenant/issuer/',
    '  subject: system:serviceaccount:podinfo:podinfo-source',
  ],
  'apps/base/kustomization.yaml': [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'namespace: podinfo',
    'resources:',
    '  - serviceaccount.yaml',
    '  - source.yaml',
    '  - release.yaml',
    '  - remote.yaml',
  ],
  'apps/base/remote.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: aks-remote',
    'data:',
    '  provider: azure',
    '  cluster: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks',
    '  serviceAccountName: podinfo-source',
  ],
  'apps/base/serviceaccount.yaml': [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: podinfo-source',
    '  annotations:',
    '    azure.workload.identity/client-id: ${AZURE_CLIENT_ID}',
    `    azure.workload.identity/tenant-id: "${TENANT}"`,
  ],
  'apps/base/source.yaml': [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: OCIRepository',
    'metadata:',
    '  name: podinfo',
    'spec:',
    '  interval: 10m',
    '  url: oci://contoso.azurecr.io/charts/podinfo',
    '  provider: generic',
    '  serviceAccountName: podinfo-source',
    '  ref:',
    '    tag: 6.7.0',
  ],
  'apps/base/release.yaml': [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: podinfo',
    'spec:',
    '  interval: 10m',
    '  chartRef:',
    '    kind: OCIRepository',
    '    name: podinfo',
    '  kubeConfig:',
    '    configMapRef:',
    '      name: aks-remote',
    '  values:',
    '    region: ${REGION}',
    '    missing: ${NOT_SET:=none}',
    '---',
    'apiVersion: image.toolkit.fluxcd.io/v1',
    'kind: ImageRepository',
    'metadata:',
    '  name: podinfo',
    'spec:',
    '  image: contoso.azurecr.io/podinfo',
    '  interval: 5m',
    '  provider: azure',
    '  serviceAccountName: nobody-has-this-name',
    '  secretRef:',
    '    name: no-such-secret',
  ],
  'apps/prod/kustomization.yaml': [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'resources:',
    '  - ../base',
    'patches:',
    '  - path: oci-provider.yaml',
    '    target:',
    '      kind: OCIRepository',
  ],
  'apps/prod/oci-provider.yaml': [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: OCIRepository',
    'metadata:',
    '  name: any',
    'spec:',
    '  provider: azure',
  ],
  // Applied by no cluster; and a file that is not YAML a parser accepts.
  'loose/orphan.yaml': [
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata:',
    '  name: orphan',
    'data:',
    '  key: ${REGION}',
  ],
  'loose/broken.yaml': [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: OCIRepository',
    'spec: {serviceAccountName: [',
    '  - : :',
  ],
};

const root = mkdtempSync(join(tmpdir(), 'flux-azure-nav-'));
for (const [rel, lines] of Object.entries(FILES)) {
  mkdirSync(dirname(join(root, rel)), { recursive: true });
  writeFileSync(join(root, rel), lines.join('\n') + '\n');
}
const uriOf = (rel: string) => fileUri(join(root, rel));
const textOf = (rel: string) => readFileSync(join(root, rel), 'utf8');

const client = new LspClient();
const ready = (async () => {
  const init = await client.initialize(root);
  // Diagnostics run once the first scan has ended: from then on the index knows every file.
  client.open(uriOf('apps/base/source.yaml'), textOf('apps/base/source.yaml'));
  await client.waitForDiagnostics(uriOf('apps/base/source.yaml'));
  return init;
})();
after(async () => {
  await client.dispose();
  rmSync(root, { recursive: true, force: true });
});

function definition(rel: string, needle: string, delta = 0, occurrence = 0): Promise<Location[] | null> {
  return client.connection.sendRequest('textDocument/definition', {
    textDocument: { uri: uriOf(rel) },
    position: positionOf(textOf(rel), needle, delta, occurrence),
  });
}

function references(rel: string, needle: string, includeDeclaration = false): Promise<Location[] | null> {
  return client.connection.sendRequest('textDocument/references', {
    textDocument: { uri: uriOf(rel) },
    position: positionOf(textOf(rel), needle, 2),
    context: { includeDeclaration },
  });
}

/** `file:line` (1-based) of each location, sorted. */
function where(locations: Location[] | null): string[] {
  return (locations ?? []).map((l) => `${l.uri.slice(fileUri(root).length + 1)}:${l.range.start.line + 1}`).sort();
}

test('the server advertises definition and references', async () => {
  const init = await ready;
  assert.equal(init.capabilities.definitionProvider, true);
  assert.equal(init.capabilities.referencesProvider, true);
});

test('serviceAccountName leads to the ServiceAccount of the namespace the object renders in, in another file', async () => {
  await ready;
  const found = await definition('apps/base/source.yaml', 'podinfo-source', 3);
  assert.deepEqual(where(found), ['apps/base/serviceaccount.yaml:4']);
  assert.deepEqual(found![0]!.range.end, { line: 3, character: '  name: podinfo-source'.length });
});

test('chartRef, sourceRef, a federated credential subject and substituteFrom lead to their objects', async () => {
  await ready;
  assert.deepEqual(where(await definition('apps/base/release.yaml', 'name: podinfo', 6, 1)), [
    'apps/base/source.yaml:4',
  ]);
  assert.deepEqual(where(await definition('clusters/prod/apps.yaml', 'name: flux-system', 6)), [
    'clusters/prod/flux-system/gotk-sync.yaml:4',
  ]);
  assert.deepEqual(where(await definition('clusters/prod/identity.yaml', 'system:serviceaccount', 3)), [
    'apps/base/serviceaccount.yaml:4',
  ]);
  assert.deepEqual(where(await definition('clusters/prod/apps.yaml', 'cluster-vars', 2)), [
    'clusters/prod/cluster-vars.yaml:4',
  ]);
  assert.deepEqual(where(await definition('clusters/prod/apps.yaml', 'sops-azure', 2)), ['clusters/prod/sops.yaml:4']);
  // A remote cluster: the kubeConfig ConfigMap, and the ServiceAccount it names.
  assert.deepEqual(where(await definition('apps/base/release.yaml', 'aks-remote', 2)), ['apps/base/remote.yaml:4']);
  assert.deepEqual(where(await definition('apps/base/remote.yaml', 'serviceAccountName', 2)), [
    'apps/base/serviceaccount.yaml:4',
  ]);
  assert.deepEqual(where(await references('clusters/prod/sops.yaml', 'name: sops-azure')), [
    'clusters/prod/apps.yaml:23',
  ]);
});

test('a patch target leads to the controller Deployment the patch changed, not the other controllers', async () => {
  await ready;
  const found = await definition('clusters/prod/flux-system/kustomization.yaml', 'kind: Deployment', 8);
  assert.deepEqual(where(found), ['clusters/prod/flux-system/gotk-components.yaml:5']);
  // A patch file's target leads to the object it changed in the base.
  assert.deepEqual(where(await definition('apps/prod/kustomization.yaml', 'kind: OCIRepository', 8)), [
    'apps/base/source.yaml:4',
  ]);
  // A Flux Kustomization's spec.patches target: the ServiceAccount it labelled.
  assert.deepEqual(where(await definition('clusters/prod/apps.yaml', 'kind: ServiceAccount', 8, 1)), [
    'apps/base/serviceaccount.yaml:4',
  ]);
  // The patch file path and a resources entry open the file / the directory's kustomization.
  assert.deepEqual(where(await definition('apps/prod/kustomization.yaml', 'oci-provider.yaml', 2)), [
    'apps/prod/oci-provider.yaml:1',
  ]);
  assert.deepEqual(where(await definition('apps/prod/kustomization.yaml', '../base', 2)), [
    'apps/base/kustomization.yaml:1',
  ]);
});

test('${VAR} in a file applied with postBuild leads to the ConfigMap key that sets it', async () => {
  await ready;
  const found = await definition('apps/base/serviceaccount.yaml', '${AZURE_CLIENT_ID}', 4);
  assert.deepEqual(where(found), ['clusters/prod/cluster-vars.yaml:8']);
  assert.equal(found![0]!.range.start.character, 2, 'the range starts at the key');
  assert.deepEqual(where(await definition('apps/base/release.yaml', '${REGION}', 3)), [
    'clusters/prod/cluster-vars.yaml:7',
  ]);
});

test('references of a ServiceAccount list the objects naming it, in their files', async () => {
  await ready;
  assert.deepEqual(where(await references('apps/base/serviceaccount.yaml', 'name: podinfo-source')), [
    'apps/base/remote.yaml:8',
    'apps/base/source.yaml:9',
    'clusters/prod/identity.yaml:12',
  ]);
  assert.deepEqual(where(await references('apps/base/serviceaccount.yaml', 'name: podinfo-source', true)), [
    'apps/base/remote.yaml:8',
    'apps/base/serviceaccount.yaml:4',
    'apps/base/source.yaml:9',
    'clusters/prod/identity.yaml:12',
  ]);
  // From a reference: the same list. The decoy in another namespace has no referrers.
  assert.deepEqual(where(await references('apps/base/source.yaml', 'serviceAccountName: podinfo-source')), [
    'apps/base/remote.yaml:8',
    'apps/base/source.yaml:9',
    'clusters/prod/identity.yaml:12',
  ]);
  assert.deepEqual(where(await references('clusters/prod/decoy.yaml', 'name: podinfo-source')), []);
  // A source: the Kustomizations building it.
  assert.deepEqual(where(await references('clusters/prod/flux-system/gotk-sync.yaml', 'name: flux-system')), [
    'clusters/prod/apps.yaml:12',
    'clusters/prod/flux-system/gotk-sync.yaml:23',
  ]);
});

test('unknown and broken references answer empty lists, never errors', async () => {
  await ready;
  assert.deepEqual(await definition('apps/base/release.yaml', 'nobody-has-this-name', 2), []);
  assert.deepEqual(await definition('apps/base/release.yaml', 'no-such-secret', 2), []);
  // A default with no value anywhere; a Secret not in the repository (optional); a file no cluster applies.
  assert.deepEqual(await definition('apps/base/release.yaml', '${NOT_SET', 3), []);
  assert.deepEqual(await definition('loose/orphan.yaml', '${REGION}', 3), []);
  assert.deepEqual(await definition('clusters/prod/apps.yaml', 'vault-only', 2), []);
  assert.deepEqual(await definition('apps/base/source.yaml', 'interval', 2), []);
  assert.deepEqual(await definition('loose/broken.yaml', 'serviceAccountName', 2), []);
  assert.deepEqual(await references('loose/broken.yaml', 'OCIRepository'), []);
  const missing = await client.connection.sendRequest('textDocument/definition', {
    textDocument: { uri: uriOf('not/there.yaml') },
    position: { line: 0, character: 0 },
  });
  assert.deepEqual(missing, []);
});

test('fluxAzure/renderedObject returns the object as applied, the patched value with the patch file as origin', async () => {
  await ready;
  const source = textOf('apps/base/source.yaml');
  const result = (await client.connection.sendRequest(RenderedObjectRequest.method, {
    uri: uriOf('apps/base/source.yaml'),
    position: positionOf(source, 'kind'),
  })) as RenderedObjectResult;
  assert.equal(result.objects.length, 1);
  const [object] = result.objects;
  assert.equal(object!.cluster, 'clusters/prod');
  assert.equal(object!.appliedBy, 'Kustomization apps');
  assert.equal(object!.title, 'OCIRepository podinfo/podinfo');
  assert.match(object!.text, /^ {2}provider: azure$/m);
  assert.match(object!.text, /^ {2}namespace: podinfo$/m);
  assert.doesNotMatch(object!.text, /generic/);
  const line = object!.text.split('\n').findIndex((l) => l === '  provider: azure');
  const origin = object!.origins.find((o) => o.range.start.line === line);
  assert.equal(origin?.from.uri, uriOf('apps/prod/oci-provider.yaml'));
  assert.equal(origin?.from.range.start.line, 5);
  assert.equal(origin?.via, 'patch');
  const url = object!.origins.find((o) => object!.text.split('\n')[o.range.start.line]!.includes('url:'));
  assert.equal(url?.from.uri, uriOf('apps/base/source.yaml'));
  assert.equal(url?.via, 'file');

  // A substituted value keeps the text as written and names the ConfigMap.
  const sa = (await client.connection.sendRequest(RenderedObjectRequest.method, {
    uri: uriOf('apps/base/serviceaccount.yaml'),
    position: { line: 0, character: 0 },
  })) as RenderedObjectResult;
  const text = sa.objects[0]!.text;
  assert.match(text, new RegExp(`client-id: "?${CLIENT}"?`));
  const subst = sa.objects[0]!.origins.find((o) => text.split('\n')[o.range.start.line]!.includes('client-id'));
  assert.equal(subst?.written, '${AZURE_CLIENT_ID}');
  assert.equal(subst?.from.uri, uriOf('clusters/prod/cluster-vars.yaml'));

  const none = (await client.connection.sendRequest(RenderedObjectRequest.method, {
    uri: uriOf('loose/orphan.yaml'),
    position: { line: 0, character: 0 },
  })) as RenderedObjectResult;
  assert.deepEqual(none.objects, []);
  assert.match(none.reason ?? '', /applies/);
});

test('Show Rendered Object on an object with !!binary and timestamp values shows them as written', async () => {
  await ready;
  const rel = 'apps/base/source.yaml';
  const text = textOf(rel).replace(
    'metadata:\n',
    'metadata:\n  annotations:\n    bytes: !!binary aGVsbG8=\n    when: 2001-12-14t21:59:43.10-05:00\n',
  );
  client.change(uriOf(rel), text);
  const result = (await client.connection.sendRequest(RenderedObjectRequest.method, {
    uri: uriOf(rel),
    position: positionOf(text, 'kind'),
  })) as RenderedObjectResult;
  assert.equal(result.objects.length, 1, JSON.stringify(result));
  assert.match(result.objects[0]!.text, /bytes: .*aGVsbG8=/);
  assert.match(result.objects[0]!.text, /when: .*2001-12-14t21:59:43\.10-05:00/);
  assert.deepEqual(client.errors, []);
  client.change(uriOf(rel), textOf(rel));
});
