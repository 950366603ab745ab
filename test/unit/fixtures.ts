// Small repositories and manifests the unit tests share, so that each test states only what it changes.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** Writes `files` (relative path → text) below a new temp folder and returns the folder. */
export function writeTree(files: Record<string, string>, prefix = 'flux-azure-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

export const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
export const TENANT_ID = '66666666-7777-8888-9999-000000000000';

/** A `gotk-components.yaml` head that says which Flux version is installed. */
export const COMPONENTS = '# Flux Version: v2.7.0\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n';

/** The ServiceAccount `apps/acr`, annotated for workload identity. */
export const SERVICE_ACCOUNT = [
  'apiVersion: v1',
  'kind: ServiceAccount',
  'metadata:',
  '  name: acr',
  '  namespace: apps',
  '  annotations:',
  `    azure.workload.identity/client-id: ${CLIENT_ID}`,
  `    azure.workload.identity/tenant-id: ${TENANT_ID}`,
  '',
].join('\n');

/** The OCIRepository `apps/app` on ACR with object-level identity (`apps/acr`); `extra` is its last line. */
export function ociRepository(extra = ''): string {
  return [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: OCIRepository',
    'metadata:',
    '  name: app',
    '  namespace: apps',
    'spec:',
    '  interval: 5m',
    '  url: oci://contoso.azurecr.io/app',
    '  provider: azure',
    '  serviceAccountName: acr',
    extra,
  ].join('\n');
}

/** The Bucket `apps/config` on Azure Blob storage, with no credentials; `extra` is its last line. */
export const bucket = (extra = ''): string =>
  [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: Bucket',
    'metadata:',
    '  name: config',
    '  namespace: apps',
    'spec:',
    '  interval: 5m',
    '  provider: azure',
    '  bucketName: config',
    '  endpoint: https://fleetstore.blob.core.windows.net',
    extra,
  ].join('\n');

/** The lines of a FluxInstance `flux-system/flux` of Flux 2.7, up to its distribution version. */
export const FLUX_INSTANCE_LINES = [
  'apiVersion: fluxcd.controlplane.io/v1',
  'kind: FluxInstance',
  'metadata:',
  '  name: flux',
  '  namespace: flux-system',
  'spec:',
  '  distribution:',
  '    version: "2.7.x"',
];

/** `patches:` with the JSON6902 op that turns on the object-level workload identity gate, up to its target kind. */
export const GATE_PATCH_LINES = [
  'patches:',
  '  - patch: |',
  '      - op: add',
  '        path: /spec/template/spec/containers/0/args/-',
  '        value: --feature-gates=ObjectLevelWorkloadIdentity=true',
  '    target:',
  '      kind: Deployment',
];

/** A kustomize `patches:` item: the patch `body` (its lines, indented under `patch: |`) and its target. */
export function patchItem(body: readonly string[], name: string, kind = 'Deployment'): string[] {
  return [
    '  - patch: |',
    ...body.map((line) => `      ${line}`),
    '    target:',
    `      kind: ${kind}`,
    `      name: ${name}`,
  ];
}

/** A kustomize.config.k8s.io Kustomization with nothing but `patches:` (the lines of its items). */
export function patchesKustomization(items: readonly string[], eol = '\n'): string {
  return ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'patches:', ...items, ''].join(eol);
}
