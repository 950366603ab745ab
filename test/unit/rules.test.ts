import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeFolder } from './analyze';
import {
  CLIENT_ID,
  COMPONENTS,
  GATE_PATCH_LINES,
  bucket,
  ociRepository as OCI,
  patchesKustomization,
  patchItem,
  SERVICE_ACCOUNT as SA,
  writeTree,
} from './fixtures';

/** Writes a small repository to a temp folder and returns the `file:line code` of every diagnostic. */
async function lint(files: Record<string, string>, fluxVersion = ''): Promise<string[]> {
  const root = writeTree(files, 'flux-azure-rules-');
  return (await analyzeFolder(root, { fluxVersion })).map(
    ({ file, d }) => `${file}:${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`,
  );
}

const GATE_KUSTOMIZATION = [
  'apiVersion: kustomize.config.k8s.io/v1beta1',
  'kind: Kustomization',
  'resources:',
  '  - gotk-components.yaml',
  ...GATE_PATCH_LINES,
  '      name: (source-controller)',
  '',
].join('\n');

test('gate present, SA annotated: an object-level OCIRepository is clean', async () => {
  const found = await lint({
    'clusters/prod/flux-system/gotk-components.yaml': COMPONENTS,
    'clusters/prod/flux-system/kustomization.yaml': GATE_KUSTOMIZATION,
    'clusters/prod/app.yaml': `${SA}---\n${OCI()}`,
  });
  assert.deepEqual(found, []);
});

test('gate missing on the controller: reported on serviceAccountName, in a multi-document file', async () => {
  const found = await lint({
    'clusters/prod/flux-system/gotk-components.yaml': COMPONENTS,
    'clusters/prod/flux-system/kustomization.yaml': GATE_KUSTOMIZATION.replace(
      '(source-controller)',
      '(kustomize-controller)',
    ),
    'clusters/prod/app.yaml': `${SA}---\n${OCI()}`,
  });
  assert.deepEqual(found, ['clusters/prod/app.yaml:19:23 flux-azure/gate-missing']);
});

test('inside a patch block scalar, with CRLF line endings: miscased gate, unquoted label, wrong audience and token path', async () => {
  const json6902 = [
    '- op: add',
    '  path: /spec/template/spec/containers/0/args/-',
    '  value: --feature-gates=objectLevelWorkloadIdentity=true',
    '- op: add',
    '  path: /spec/template/spec/containers/0/env/-',
    '  value:',
    '    name: AZURE_FEDERATED_TOKEN_FILE',
    '    value: /var/run/service-account/token',
    '- op: add',
    '  path: /spec/template/spec/volumes/-',
    '  value:',
    '    name: azure-token',
    '    projected:',
    '      sources:',
    '        - serviceAccountToken:',
    '            audience: api://AzureADTokenExchange/',
    '            path: azure-token',
    '- op: add',
    '  path: /spec/template/spec/containers/0/volumeMounts/-',
    '  value: {name: azure-token, mountPath: /var/run/service-account}',
  ];
  const strategicMerge = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: controller',
    'spec:',
    '  template:',
    '    metadata:',
    '      labels:',
    '        azure.workload.identity/use: true',
  ];
  const kustomization = patchesKustomization(
    [...patchItem(json6902, 'source-controller'), ...patchItem(strategicMerge, 'source-controller')],
    '\r\n',
  );
  const found = await lint({ 'clusters/x/flux-system/kustomization.yaml': kustomization });
  assert.deepEqual(found.sort(), [
    'clusters/x/flux-system/kustomization.yaml:12:18 flux-azure/federated-token-file-mismatch',
    'clusters/x/flux-system/kustomization.yaml:20:29 flux-azure/token-audience',
    'clusters/x/flux-system/kustomization.yaml:37:44 flux-azure/wi-use-label-not-string',
    'clusters/x/flux-system/kustomization.yaml:7:16 flux-azure/gate-name',
  ]);
});

test('tabs and odd indentation do not produce spurious findings; broken YAML yields no generic syntax errors', async () => {
  const found = await lint({
    'a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n',
    'b.yaml':
      'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nspec:\n     provider: azure\n     url: [oci://x.azurecr.io\n',
    'c.yaml': 'kind: SecretProviderClass\napiVersion: secrets-store.csi.x-k8s.io/v1\nspec:\n  provider: azure\n',
  });
  assert.deepEqual(found, []);
});

test('send-chain quoting: quoted in a Bucket Secret, unquoted in sops.azure-kv', async () => {
  const found = await lint({
    's.yaml': [
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: bucket}',
      'stringData:',
      '  clientCertificateSendChain: "true"',
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: sops}',
      'stringData:',
      '  sops.azure-kv: |',
      '    clientId: 11111111-2222-3333-4444-555555555555',
      '    clientCertificateSendChain: "true"',
      '',
    ].join('\n'),
  });
  assert.deepEqual(found, ['s.yaml:13:33 flux-azure/send-chain-quoting']);
});

test('version gating: Bucket object-level identity on Flux 2.6 (setting override) is reported, on 2.7 not', async () => {
  const files = { 'sa.yaml': SA, 'b.yaml': bucket('  serviceAccountName: acr\n') };
  assert.deepEqual(await lint(files, '2.6'), ['b.yaml:11:23 flux-azure/object-level-wi-unsupported-version']);
  assert.deepEqual(await lint(files, '2.7'), []);
});

test('placeholders give one information finding instead of a cascade', async () => {
  const found = await lint({
    'sa.yaml': SA.replace('11111111-2222-3333-4444-555555555555', 'CLIENT_ID'),
    'oci.yaml': OCI(),
  });
  assert.deepEqual(found, ['sa.yaml:7:40 flux-azure/placeholder']);
});

test('a post-build variable named like a doc token (${NAMESPACE}) is not a placeholder; the bare token is', async () => {
  const identity = (ns: string) =>
    `apiVersion: managedidentity.azure.com/v1api20230131\nkind: UserAssignedIdentity\nmetadata:\n  name: id\n  namespace: ${ns}\nspec:\n  location: uksouth\n  owner:\n    name: rg-\${CLUSTER_NAME:=dev}\n`;
  assert.deepEqual(await lint({ 'id.yaml': identity('${NAMESPACE}') }), []);
  assert.deepEqual(await lint({ 'id.yaml': identity('NAMESPACE') }), ['id.yaml:5:14 flux-azure/placeholder']);
});

test('a client id that is not a GUID is reported on the annotation itself and on the object that uses it', async () => {
  const found = await lint({
    'sa.yaml': SA.replace('11111111-2222-3333-4444-555555555555', 'podinfo-identity'),
    'oci.yaml': OCI(),
  });
  assert.deepEqual(found.filter((f) => f.endsWith('sa-annotation-not-guid')).sort(), [
    'oci.yaml:10:23 flux-azure/sa-annotation-not-guid',
    'sa.yaml:7:40 flux-azure/sa-annotation-not-guid',
  ]);
});

test('values a Helm template or a ResourceSet input fills in are unknown: no placeholder, no not-a-GUID', async () => {
  const sa = (clientId: string, tenantId: string) =>
    SA.replace('11111111-2222-3333-4444-555555555555', clientId).replace(
      '66666666-7777-8888-9999-000000000000',
      tenantId,
    );
  assert.deepEqual(
    await lint({ 'sa.yaml': sa('"{{ .Values.clientId }}"', '<< inputs.tenant >>'), 'oci.yaml': OCI() }),
    [],
  );
  assert.deepEqual(await lint({ 'sa.yaml': sa('<<inputs.clientId>>', '"{{.Values.tenant}}"'), 'oci.yaml': OCI() }), []);
  // A real doc placeholder beside a template is still one.
  assert.deepEqual(await lint({ 'sa.yaml': sa('CLIENT_ID', '<< inputs.tenant >>'), 'oci.yaml': OCI() }), [
    'sa.yaml:7:40 flux-azure/placeholder',
  ]);
});

test('security: an unencrypted private key is an error; SOPS-encrypted Secrets are not judged', async () => {
  const key =
    '-----BEGIN PRIVATE KEY-----\n    ' +
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7'.repeat(2) +
    '\n    -----END PRIVATE KEY-----';
  const plain = `apiVersion: v1\nkind: Secret\nmetadata: {name: cert}\nstringData:\n  clientCertificate: |\n    ${key}\n`;
  assert.deepEqual(await lint({ 'c.yaml': plain }), ['c.yaml:5:22 flux-azure/plaintext-private-key']);
  assert.deepEqual(await lint({ 'c.yaml': `${plain}sops:\n  version: 3.8.1\n` }), []);
});

test('suppression comments silence a rule for the next line or the file', async () => {
  const text = `apiVersion: v1\nkind: Secret\nmetadata: {name: b}\nstringData:\n  # flux-azure-disable-next-line send-chain-quoting\n  clientCertificateSendChain: true\n`;
  assert.deepEqual(await lint({ 's.yaml': text }), []);
  assert.equal((await lint({ 's.yaml': text.replace(/ {2}# .*\n/, '') })).length, 1);
});

test('provider azure missing on an ACR source; present or with secretRef it is not reported', async () => {
  const oci = OCI().replace('  provider: azure\n', '').replace('  serviceAccountName: acr\n', '');
  assert.deepEqual(await lint({ 'o.yaml': oci }), ['o.yaml:8:8 flux-azure/provider-azure-missing']);
  assert.deepEqual(
    await lint({ 'o.yaml': oci.replace('  interval: 5m', '  interval: 5m\n  secretRef:\n    name: creds') }),
    [],
  );
  const git =
    'apiVersion: source.toolkit.fluxcd.io/v1beta1\nkind: GitRepository\nmetadata: {name: g}\nspec:\n  url: https://dev.azure.com/o/p/_git/r\n';
  assert.deepEqual(await lint({ 'g.yaml': git }), [], 'v1beta1 GitRepository has no provider field');
});

test('Azure Service Operator: federated credential subject/audience and role assignment scope/role', async () => {
  const fic = [
    'apiVersion: managedidentity.azure.com/v1api20230131',
    'kind: FederatedIdentityCredential',
    'metadata: {name: f}',
    'spec:',
    '  owner: {name: id}',
    '  audiences:',
    '    - api://AzureADTokenExchange/',
    '  issuer: https://oidc.example/',
    '  subject: system:serviceaccount:Apps:acr',
    '---',
    'apiVersion: authorization.azure.com/v1api20220401',
    'kind: RoleAssignment',
    'metadata: {name: r}',
    'spec:',
    '  owner:',
    '    armId: /subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/acr',
    '  principalId: 11111111-2222-3333-4444-555555555555',
    '  roleDefinitionReference:',
    '    wellKnownName: Storage Blob Data Reader',
    '',
  ].join('\n');
  assert.deepEqual((await lint({ 'aso.yaml': fic })).sort(), [
    'aso.yaml:19:20 flux-azure/role-mismatch',
    'aso.yaml:7:7 flux-azure/fic-audience',
    'aso.yaml:9:12 flux-azure/fic-subject',
  ]);
  const good = fic
    .replace('AzureADTokenExchange/', 'AzureADTokenExchange')
    .replace('Apps', 'apps')
    .replace('Storage Blob Data Reader', 'AcrPull');
  assert.deepEqual(await lint({ 'aso.yaml': good }), []);
});

test('controller patches: removed auto-login flag, certificate for the ACR-only controller, lockdown without gate', async () => {
  const k = patchesKustomization(
    patchItem(
      [
        '- op: add',
        '  path: /spec/template/spec/containers/0/args/-',
        '  value: --azure-autologin-for-acr',
        '- op: add',
        '  path: /spec/template/spec/containers/0/env/-',
        '  value: {name: AZURE_CLIENT_CERTIFICATE_PATH, value: /var/run/app-cert/cert-and-key}',
        '- op: add',
        '  path: /spec/template/spec/containers/0/args/-',
        '  value: --default-service-account=tenant',
      ],
      'image-reflector-controller',
    ),
  );
  assert.deepEqual((await lint({ 'clusters/a/flux-system/kustomization.yaml': k }, '2.7')).sort(), [
    'clusters/a/flux-system/kustomization.yaml:10:23 flux-azure/app-cert-not-supported-for-acr',
    'clusters/a/flux-system/kustomization.yaml:13:16 flux-azure/lockdown-without-gate',
    'clusters/a/flux-system/kustomization.yaml:7:16 flux-azure/acr-autologin-flag-removed',
  ]);
});

test('kustomize-controller --default-service-account is the impersonation default and needs no gate', async () => {
  const k = patchesKustomization(
    patchItem(
      ['- op: add', '  path: /spec/template/spec/containers/0/args/-', '  value: --default-service-account=default'],
      '(kustomize-controller|helm-controller)',
    ),
  );
  assert.deepEqual(await lint({ 'k/kustomization.yaml': k }, '2.7'), []);
});

test('Event Hubs provider: channel required with workload identity, not judged when the secretRef is outside the workspace', async () => {
  const provider = (extra: string) =>
    `apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Provider\nmetadata: {name: hub, namespace: apps}\nspec:\n  type: azureeventhub\n  address: fluxevents\n${extra}`;
  assert.deepEqual(await lint({ 'sa.yaml': SA, 'p.yaml': provider('  serviceAccountName: acr\n') }), [
    'p.yaml:5:9 flux-azure/eventhub-address-channel',
  ]);
  assert.deepEqual(await lint({ 'p.yaml': provider('  secretRef:\n    name: elsewhere\n') }), []);
  assert.deepEqual(
    await lint({ 'sa.yaml': SA, 'p.yaml': provider('  serviceAccountName: acr\n  channel: contoso-events\n') }),
    [],
  );
});

test('node-level identity: a Bucket with controller identity is silent; without any, the kubelet fallback is reported', async () => {
  const controllerAccount = [
    'apiVersion: v1',
    'kind: ServiceAccount',
    'metadata:',
    '  name: source-controller',
    '  annotations:',
    `    azure.workload.identity/client-id: ${CLIENT_ID}`,
  ];
  const identityPatch = [...patchItem(controllerAccount, 'source-controller', 'ServiceAccount'), ''].join('\n');
  const repo = (kustomization: string, app: string) => ({
    'clusters/prod/flux-system/gotk-components.yaml': COMPONENTS,
    'clusters/prod/flux-system/kustomization.yaml': kustomization,
    'clusters/prod/app.yaml': app,
  });
  const code = 'flux-azure/node-level-identity-non-acr';
  const only = (found: string[]) => found.filter((f) => f.endsWith(code));
  assert.deepEqual(only(await lint(repo(GATE_KUSTOMIZATION, bucket()))), [`clusters/prod/app.yaml:8:13 ${code}`]);
  assert.deepEqual(only(await lint(repo(GATE_KUSTOMIZATION + identityPatch, bucket()))), []);
  // Object-level identity, credentials in a Secret, or ACR (where the kubelet identity is supported): not reported.
  assert.deepEqual(only(await lint(repo(GATE_KUSTOMIZATION, `${SA}---\n${bucket('  serviceAccountName: acr')}`))), []);
  assert.deepEqual(only(await lint(repo(GATE_KUSTOMIZATION, bucket('  secretRef:\n    name: creds')))), []);
  assert.deepEqual(only(await lint(repo(GATE_KUSTOMIZATION, OCI().replace('  serviceAccountName: acr\n', '')))), []);
  // No Flux installation in the workspace: nothing to judge the controller by.
  assert.deepEqual(only(await lint({ 'apps/app.yaml': bucket() })), []);
});

test('gate missing through another object: a remote cluster ConfigMap, and the GitRepository an automation pushes with', async () => {
  const kustomization = (configMap: string) =>
    [
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata:',
      '  name: remote-apps',
      '  namespace: apps',
      'spec:',
      '  interval: 10m',
      '  path: ./remote',
      '  sourceRef:',
      '    kind: GitRepository',
      '    name: fleet',
      '  kubeConfig:',
      '    configMapRef:',
      `      name: ${configMap}`,
      '',
    ].join('\n');
  const configMap = (serviceAccount: string) =>
    [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: aks-remote',
      '  namespace: apps',
      'data:',
      '  provider: azure',
      '  cluster: /subscriptions/11111111-2222-3333-4444-555555555555/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/remote',
      serviceAccount,
      '',
    ].join('\n');
  const repo = (files: Record<string, string>, gateTargets = '(source-controller)') => ({
    'clusters/prod/flux-system/gotk-components.yaml': COMPONENTS,
    'clusters/prod/flux-system/kustomization.yaml': GATE_KUSTOMIZATION.replace('(source-controller)', gateTargets),
    ...files,
  });
  const gate = (found: string[]) => found.filter((f) => f.endsWith('flux-azure/gate-missing'));
  const remote = {
    'clusters/prod/remote.yaml': `${configMap('  serviceAccountName: remote')}---\n${kustomization('aks-remote')}`,
  };
  const remoteFound = await lint(repo(remote));
  assert.deepEqual(gate(remoteFound), ['clusters/prod/remote.yaml:24:13 flux-azure/gate-missing']);
  // The ServiceAccount the ConfigMap names is looked up like one named by the object itself.
  assert.deepEqual(
    remoteFound.filter((f) => f.includes('flux-azure/sa-')),
    ['clusters/prod/remote.yaml:24:13 flux-azure/sa-not-found'],
  );
  assert.deepEqual(gate(await lint(repo(remote, '(source-controller|kustomize-controller)'))), []);
  // Controller-level identity for the remote cluster (no serviceAccountName): no gate needed.
  assert.deepEqual(
    gate(await lint(repo({ 'clusters/prod/remote.yaml': `${configMap('')}---\n${kustomization('aks-remote')}` }))),
    [],
  );

  const git = [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: GitRepository',
    'metadata:',
    '  name: fleet',
    '  namespace: apps',
    'spec:',
    '  interval: 5m',
    '  url: https://dev.azure.com/contoso/fleet/_git/fleet',
    '  provider: azure',
    '  serviceAccountName: acr',
    '',
  ].join('\n');
  const automation = [
    'apiVersion: image.toolkit.fluxcd.io/v1',
    'kind: ImageUpdateAutomation',
    'metadata:',
    '  name: bump',
    '  namespace: apps',
    'spec:',
    '  interval: 30m',
    '  sourceRef:',
    '    kind: GitRepository',
    '    name: fleet',
    '  git:',
    '    commit:',
    '      author:',
    '        name: flux',
    '        email: flux@example.com',
    '',
  ].join('\n');
  const pushing = { 'clusters/prod/git.yaml': `${SA}---\n${git}`, 'clusters/prod/automation.yaml': automation };
  // source-controller has the gate (the GitRepository is fine); image-automation-controller does not.
  assert.deepEqual(gate(await lint(repo(pushing))), ['clusters/prod/automation.yaml:10:11 flux-azure/gate-missing']);
  assert.deepEqual(gate(await lint(repo(pushing, '(source-controller|image-automation-controller)'))), []);
});
