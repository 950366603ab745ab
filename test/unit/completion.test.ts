import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CompletionItem, TextEdit } from 'vscode-languageserver';
import { accept, complete, indexFolder, labels, workspace, type Workspace } from './editor';
import { bucket } from './fixtures';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');
let examples: Promise<Workspace> | undefined;
const ex = () => (examples ??= indexFolder(EXAMPLES));

const find = (items: readonly CompletionItem[], label: string) => {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `no item '${label}' in ${JSON.stringify(labels(items))}`);
  return item!;
};

// ---------------------------------------------------------------------------------------------- Flux objects

/** A manifest up to `spec:`, for the objects the tests complete in. */
const specOf = (apiVersion: string, kind: string, name: string) =>
  `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\nspec:\n`;
const PROVIDER = specOf('notification.toolkit.fluxcd.io/v1beta3', 'Provider', 'p');
const FLUX_KUSTOMIZATION = specOf('kustomize.toolkit.fluxcd.io/v1', 'Kustomization', 'k');
const ROLE_ASSIGNMENT = specOf('authorization.azure.com/v1api20220401', 'RoleAssignment', 'r');
const FIC = specOf('managedidentity.azure.com/v1api20230131', 'FederatedIdentityCredential', 'f');

const OCI_HEAD = [
  'apiVersion: source.toolkit.fluxcd.io/v1',
  'kind: OCIRepository',
  'metadata:',
  '  name: app',
  '  namespace: podinfo',
  'spec:',
  '  interval: 5m',
].join('\n');

test('spec.provider: azure first and preselected for an ACR url; accepted after the colon gets a space', async () => {
  const ws = await ex();
  const text = `${OCI_HEAD}\n  url: oci://contosofleet.azurecr.io/app\n  provider:§\n`;
  const items = complete(ws, 'apps/base/podinfo/x.yaml', text);
  assert.deepEqual(labels(items), ['azure', 'generic', 'aws', 'gcp']);
  assert.equal(find(items, 'azure').preselect, true);
  assert.match(accept(text, find(items, 'azure')), /\n {2}provider: azure\n/);
});

test('spec.provider without an Azure url keeps the catalog order and preselects nothing', async () => {
  const ws = await ex();
  const items = complete(ws, 'x.yaml', `${OCI_HEAD}\n  url: oci://ghcr.io/app\n  provider: §\n`);
  assert.deepEqual(labels(items), ['generic', 'aws', 'azure', 'gcp']);
  assert.ok(items.every((i) => !i.preselect));
});

test('mid-word and inside quotes: the item replaces the whole word, no duplicated text', async () => {
  const ws = await ex();
  const mid = `${OCI_HEAD}\n  url: oci://contosofleet.azurecr.io/app\n  provider: az§ure\n`;
  assert.match(accept(mid, find(complete(ws, 'x.yaml', mid), 'azure')), /\n {2}provider: azure\n/);
  const quoted = `${OCI_HEAD}\n  url: oci://contosofleet.azurecr.io/app\n  provider: "a§zu"\n`;
  assert.match(accept(quoted, find(complete(ws, 'x.yaml', quoted), 'azure')), /\n {2}provider: "azure"\n/);
});

test('GitRepository provider values follow the Flux version (aws only from 2.9)', async () => {
  const git = (v: string) =>
    workspace({ 'repo.yaml': '' }, v).then((ws) =>
      labels(
        complete(
          ws,
          'git.yaml',
          'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: a\nspec:\n  url: https://dev.azure.com/o/p/_git/r\n  provider: §\n',
        ),
      ),
    );
  assert.deepEqual(await git('2.7'), ['azure', 'generic', 'github']);
  assert.deepEqual(await git('2.9'), ['azure', 'generic', 'github', 'aws']);
});

test('Provider spec.type: Azure notifiers first, azuredevops preselected for a dev.azure.com address', async () => {
  const ws = await workspace({}, '2.7');
  const items = complete(ws, 'p.yaml', `${PROVIDER}  address: https://dev.azure.com/o/p/_git/r\n  type: §\n`);
  assert.deepEqual(labels(items).slice(0, 3), ['msteams', 'azuredevops', 'azureeventhub']);
  assert.equal(find(items, 'azuredevops').preselect, true);
  assert.ok(!labels(items).includes('zoom'), 'types newer than the repository are not offered');
  assert.ok(!labels(items).includes('githubpullrequestcomment'), 'a 2.8 type is not offered in a 2.7 repository');
});

test('spec.decryption.provider offers sops', async () => {
  const ws = await workspace({}, '2.7');
  const items = complete(ws, 'k.yaml', `${FLUX_KUSTOMIZATION}  decryption:\n    provider: §\n`);
  assert.deepEqual(labels(items), ['sops']);
});

test('missing Azure keys under spec: only absent ones, with snippets that accept into valid YAML', async () => {
  const ws = await ex();
  const text = `${OCI_HEAD}\n  url: oci://contosofleet.azurecr.io/app\n  provider: azure\n  §\n`;
  const items = complete(ws, 'x.yaml', text);
  assert.deepEqual(labels(items), ['serviceAccountName', 'secretRef']);
  const secretRef = find(items, 'secretRef');
  assert.equal(accept(text, secretRef).split('\n').slice(-3).join('\n'), '  secretRef:\n    name: \n');
  assert.equal(secretRef.command?.command, 'editor.action.triggerSuggest');
  const sa = accept(text, find(items, 'serviceAccountName'));
  assert.match(sa, /\n {2}serviceAccountName: \n$/);
});

test('an existing key being edited gets the name only (the colon is already there)', async () => {
  const ws = await ex();
  const text = `${OCI_HEAD}\n  url: oci://contosofleet.azurecr.io/app\n  servi§ceAccount: podinfo-source\n`;
  const items = complete(ws, 'x.yaml', text);
  assert.match(accept(text, find(items, 'serviceAccountName')), /\n {2}serviceAccountName: podinfo-source\n$/);
});

test('keys follow the version and the object: Bucket serviceAccountName needs 2.7, azure and no secretRef', async () => {
  const keys = (ws: Workspace, extra = '', provider = 'azure') => {
    const text = bucket(extra).replace('provider: azure', `provider: ${provider}`).trimEnd();
    return labels(complete(ws, 'b.yaml', `${text}\n  §\n`));
  };
  const in27 = await workspace({}, '2.7');
  assert.ok(keys(in27).includes('serviceAccountName'));
  assert.ok(!keys(in27, '  secretRef:\n    name: s').includes('serviceAccountName'));
  assert.ok(!keys(in27, '', 'generic').includes('serviceAccountName'));
  const in26 = await workspace({}, '2.6');
  assert.ok(!keys(in26).includes('serviceAccountName'));
});

test('Provider keys: channel and serviceAccountName for azureeventhub, neither for msteams', async () => {
  const ws = await workspace({}, '2.7');
  const provider = (type: string) => labels(complete(ws, 'p.yaml', `${PROVIDER}  type: ${type}\n  §\n`));
  assert.deepEqual(provider('azureeventhub'), ['address', 'channel', 'serviceAccountName', 'secretRef']);
  assert.deepEqual(provider('msteams'), ['address', 'secretRef']);
});

test('Kustomization: decryption under spec, its identity keys under decryption', async () => {
  const ws = await workspace({}, '2.7');
  const head = FLUX_KUSTOMIZATION;
  const top = `${head}  interval: 10m\n  §\n`;
  const items = complete(ws, 'k.yaml', top);
  assert.deepEqual(labels(items), ['decryption', 'kubeConfig']);
  assert.match(accept(top, find(items, 'decryption')), /\n {2}decryption:\n {4}provider: sops\n {4}\n$/);
  assert.deepEqual(labels(complete(ws, 'k.yaml', `${head}  decryption:\n    provider: sops\n    §\n`)), [
    'serviceAccountName',
    'secretRef',
  ]);
});

test('serviceAccountName: ServiceAccounts of the namespace, annotated first, client id as detail', async () => {
  const ws = await ex();
  const items = complete(ws, 'apps/base/podinfo/x.yaml', `${OCI_HEAD}\n  provider: azure\n  serviceAccountName: §\n`);
  assert.deepEqual(labels(items), ['podinfo-git', 'podinfo-source', 'podinfo-canary']);
  assert.equal(find(items, 'podinfo-source').detail, 'client-id 2d38d8dc-e1f4-4a2e-a7ce-53ee33227e81');
  assert.match(find(items, 'podinfo-canary').detail!, /no tenant-id/);
  assert.match(JSON.stringify(find(items, 'podinfo-source').documentation), /437100c6-90c1-4b18-9071-f6d664f91f2f/);
});

test('serviceAccountName uses the namespace kustomize gives the object when metadata has none', async () => {
  const ws = await workspace({
    'team/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: team\nresources: [sa.yaml]\n',
    'team/sa.yaml':
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: team-acr\n  annotations:\n    azure.workload.identity/client-id: 11111111-2222-3333-4444-555555555555\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: other\n  namespace: elsewhere\n',
  });
  const items = complete(
    ws,
    'team/oci.yaml',
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata:\n  name: a\nspec:\n  provider: azure\n  serviceAccountName: §\n',
  );
  assert.deepEqual(labels(items), ['team-acr']);
});

test('secretRef.name: only Secrets holding what the kind reads', async () => {
  const secret = (name: string, rest: string) =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ns\n${rest}`;
  const secrets = [
    secret('blob-sp', 'stringData:\n  tenantId: t\n  clientId: c\n  clientSecret: s\n'),
    secret('half', 'stringData:\n  tenantId: t\n'),
    secret('kv', 'stringData:\n  sops.azure-kv: |\n    clientId: c\n'),
    secret('regcred', 'type: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: e30=\n'),
  ];
  const ws = await workspace({ 'ns/secrets.yaml': secrets.join('---\n') });
  const at = (kind: string, api: string, body: string) =>
    labels(
      complete(
        ws,
        'ns/o.yaml',
        `apiVersion: ${api}\nkind: ${kind}\nmetadata:\n  name: o\n  namespace: ns\nspec:\n${body}`,
      ),
    );
  assert.deepEqual(at('Bucket', 'source.toolkit.fluxcd.io/v1', '  provider: azure\n  secretRef:\n    name: §\n'), [
    'blob-sp',
  ]);
  assert.deepEqual(
    at('Kustomization', 'kustomize.toolkit.fluxcd.io/v1', '  decryption:\n    secretRef:\n      name: §\n'),
    ['kv'],
  );
  assert.deepEqual(at('OCIRepository', 'source.toolkit.fluxcd.io/v1', '  secretRef:\n    name: §\n'), ['regcred']);
});

// ---------------------------------------------------------------------------------------------- ServiceAccount / pods

test('ServiceAccount annotations: the workload-identity keys, tenants used elsewhere as values', async () => {
  const ws = await ex();
  const head = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: new\n  namespace: podinfo\n';
  const keys = complete(ws, 'x.yaml', `${head}  annotations:\n    azure.workload.identity/client-id: x\n    azure§\n`);
  assert.deepEqual(labels(keys), [
    'azure.workload.identity/tenant-id',
    'azure.workload.identity/service-account-token-expiration',
  ]);
  const values = complete(ws, 'x.yaml', `${head}  annotations:\n    azure.workload.identity/tenant-id: §\n`);
  assert.deepEqual(labels(values), ['437100c6-90c1-4b18-9071-f6d664f91f2f']);
  const block = `${head}  §\n`;
  const annotations = find(complete(ws, 'x.yaml', block), 'annotations (workload identity)');
  assert.match(
    accept(block, annotations),
    /\n {2}annotations:\n {4}azure\.workload\.identity\/client-id: <client GUID>\n {4}azure\.workload\.identity\/tenant-id: <tenant GUID>\n$/,
  );
});

test('pod-template label azure.workload.identity/use is inserted with a quoted "true"', async () => {
  const ws = await ex();
  const text =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n        az§\n';
  const item = find(complete(ws, 'x.yaml', text), 'azure.workload.identity/use');
  assert.match(accept(text, item), /\n {8}azure\.workload\.identity\/use: "true"\n$/);
  const value = complete(ws, 'x.yaml', text.replace('az§', 'azure.workload.identity/use: §'));
  assert.equal((value[0].textEdit as TextEdit).newText, '"true"');
});

// ---------------------------------------------------------------------------------------------- flux-system patches

const KUSTOMIZATION = (patches: string) =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-components.yaml\n  - gotk-sync.yaml\npatches:\n${patches}`;

test('patch target: kinds, controller names, regexes of several, and the rest of a regex being written', async () => {
  const ws = await workspace({}, '2.7');
  const rel = 'clusters/c/flux-system/kustomization.yaml';
  assert.deepEqual(labels(complete(ws, rel, KUSTOMIZATION('  - target:\n      kind: §\n'))), [
    'Deployment',
    'ServiceAccount',
  ]);
  const names = labels(complete(ws, rel, KUSTOMIZATION('  - target:\n      kind: Deployment\n      name: §\n')));
  assert.ok(names.includes('source-controller') && names.includes('source-watcher'));
  assert.ok(names.includes('(image-automation-controller|source-controller)'));
  assert.ok(names.some((n) => n.startsWith('(source-controller|kustomize-controller|helm-controller')));
  const partial = KUSTOMIZATION('  - target:\n      kind: Deployment\n      name: (source-controller|ima§\n');
  const items = complete(ws, rel, partial);
  assert.ok(!labels(items).includes('source-controller'));
  assert.match(
    accept(partial, find(items, 'image-reflector-controller')),
    /name: \(source-controller\|image-reflector-controller\n/,
  );
});

test('compact lists (`- ` at the parent key column) are understood', async () => {
  const ws = await workspace({}, '2.7');
  const text =
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-components.yaml\npatches:\n- target:\n    kind: §\n';
  assert.deepEqual(labels(complete(ws, 'clusters/c/flux-system/kustomization.yaml', text)), [
    'Deployment',
    'ServiceAccount',
  ]);
});

test('inside `patch: |`: op, paths by target kind, the gate and lockdown flags per controller and version', async () => {
  const rel = 'clusters/c/flux-system/kustomization.yaml';
  const op = (target: string, body: string) =>
    KUSTOMIZATION(`  - target:\n      kind: ${target}\n      name: source-controller\n    patch: |\n${body}`);
  const ws27 = await workspace({}, '2.7');
  assert.equal(labels(complete(ws27, rel, op('Deployment', '      - op: §\n')))[0], 'add');
  const deploymentPaths = labels(complete(ws27, rel, op('Deployment', '      - op: add\n        path: §\n')));
  assert.ok(deploymentPaths.includes('/spec/template/spec/containers/0/args/-'));
  assert.ok(!deploymentPaths.some((p) => p.startsWith('/metadata/annotations')));
  const saPaths = labels(complete(ws27, rel, op('ServiceAccount', '      - op: add\n        path: §\n')));
  assert.deepEqual(saPaths, [
    '/metadata/annotations/azure.workload.identity~1client-id',
    '/metadata/annotations/azure.workload.identity~1tenant-id',
  ]);
  const args = (ws: Workspace) =>
    labels(
      complete(
        ws,
        rel,
        op('Deployment', '      - op: add\n        path: /spec/template/spec/containers/0/args/-\n        value: §\n'),
      ),
    );
  assert.deepEqual(args(ws27), [
    '--feature-gates=ObjectLevelWorkloadIdentity=true',
    '--default-service-account=<name>',
  ]);
  assert.deepEqual(args(await workspace({}, '2.6')), ['--feature-gates=ObjectLevelWorkloadIdentity=true']);
});

test('inside `patch: |`: AZURE_* names, authority hosts, and the token file that matches the mounted volume', async () => {
  const ws = await workspace({}, '2.7');
  const rel = 'clusters/c/flux-system/kustomization.yaml';
  const body = (env: string) =>
    KUSTOMIZATION(
      [
        '  - target:',
        '      kind: Deployment',
        '      name: (source-controller|kustomize-controller)',
        '    patch: |',
        '      - op: add',
        '        path: /spec/template/spec/containers/0/env/-',
        '        value:',
        env,
        '      - op: add',
        '        path: /spec/template/spec/volumes/-',
        '        value:',
        '          name: wi-token',
        '          projected:',
        '            sources:',
        '              - serviceAccountToken:',
        '                  audience: api://AzureADTokenExchange',
        '                  path: token',
        '      - op: add',
        '        path: /spec/template/spec/containers/0/volumeMounts/-',
        '        value:',
        '          name: wi-token',
        '          mountPath: /var/run/custom',
        '',
      ].join('\n'),
    );
  const names = complete(ws, rel, body('          name: AZURE_A§'));
  assert.ok(labels(names).includes('AZURE_AUTHORITY_HOST'));
  const hostText = body('          name: AZURE_AUTHORITY_HOST\n          value: §');
  const hosts = complete(ws, rel, hostText);
  assert.deepEqual(labels(hosts), [
    'https://login.microsoftonline.com/',
    'https://login.microsoftonline.us/',
    'https://login.chinacloudapi.cn/',
  ]);
  const tokenText = body('          name: AZURE_FEDERATED_TOKEN_FILE\n          value: §');
  const token = complete(ws, rel, tokenText);
  assert.equal(labels(token)[0], '/var/run/custom/token');
  assert.match(accept(tokenText, token[0]), /\n {10}value: \/var\/run\/custom\/token\n/);
});

test('inside `patch: |`: a strategic-merge Deployment gets the quoted pod label, a ServiceAccount its annotations', async () => {
  const ws = await workspace({}, '2.7');
  const rel = 'clusters/c/flux-system/kustomization.yaml';
  const deployment = KUSTOMIZATION(
    '  - target:\n      kind: Deployment\n      name: source-controller\n    patch: |\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: controller\n      spec:\n        template:\n          metadata:\n            labels:\n              §\n',
  );
  const label = find(complete(ws, rel, deployment), 'azure.workload.identity/use');
  assert.match(accept(deployment, label), /\n {14}azure\.workload\.identity\/use: "true"\n$/);
  const sa = KUSTOMIZATION(
    '  - target:\n      kind: ServiceAccount\n      name: source-controller\n    patch: |\n      apiVersion: v1\n      kind: ServiceAccount\n      metadata:\n        name: controller\n        annotations:\n          §\n',
  );
  assert.ok(labels(complete(ws, rel, sa)).includes('azure.workload.identity/client-id'));
});

test('an application kustomization with patches gets no Flux completions', async () => {
  const ws = await workspace({}, '2.7');
  const text =
    'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - deployment.yaml\npatches:\n  - target:\n      kind: Deployment\n      name: web\n    patch: |\n      - op: add\n        path: §\n';
  assert.deepEqual(complete(ws, 'apps/web/kustomization.yaml', text), []);
});

// ---------------------------------------------------------------------------------------------- Secrets

test('sops.azure-kv block: its fields, combinations, and an unquoted boolean for the send-chain flag', async () => {
  const ws = await ex();
  const head =
    'apiVersion: v1\nkind: Secret\nmetadata:\n  name: sops-azure-kv\n  namespace: flux-system\nstringData:\n';
  const empty = `${head}  sops.azure-kv: |\n    §\n`;
  const items = complete(ws, 'x.yaml', empty);
  assert.ok(labels(items).includes('tenantId'));
  const combo = find(items, 'sops.azure-kv: Service principal with certificate');
  assert.match(
    accept(empty, combo),
    /\n {4}tenantId: \n {4}clientId: \n {4}clientCertificate: \|\n {6}-----BEGIN CERTIFICATE-----\n$/,
  );
  const value = `${head}  sops.azure-kv: |\n    clientId: c\n    clientCertificateSendChain: §\n`;
  assert.equal((complete(ws, 'x.yaml', value)[0].textEdit as TextEdit).newText, 'true');
  const top = complete(ws, 'x.yaml', `${head}  §\n`);
  assert.deepEqual(labels(top), ['sops.azure-kv']);
});

test('Bucket Secret stringData: credential keys, key-set templates and a quoted "true"', async () => {
  const ws = await ex();
  const bucket =
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: Bucket\nmetadata:\n  name: b\n  namespace: platform\nspec:\n  provider: azure\n  secretRef:\n    name: creds\n---\n';
  const secret = `${bucket}apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: platform\nstringData:\n  §\n`;
  const items = complete(ws, 'x.yaml', secret);
  assert.ok(labels(items).includes('accountKey'));
  assert.ok(labels(items).includes('Bucket credentials: Service principal with client secret'));
  assert.ok(!labels(items).includes('sops.azure-kv'));
  const chain = complete(ws, 'x.yaml', secret.replace('  §', '  clientId: c\n  clientCertificateSendChain: §'));
  assert.equal((chain[0].textEdit as TextEdit).newText, '"true"');
});

// ---------------------------------------------------------------------------------------------- ASO

test('ASO RoleAssignment: the Flux roles first by name, and as role definition ids', async () => {
  const ws = await ex();
  const head = `${ROLE_ASSIGNMENT}  roleDefinitionReference:\n`;
  const names = labels(complete(ws, 'x.yaml', `${head}    wellKnownName: §\n`));
  assert.deepEqual(names.slice(0, 4), [
    'AcrPull',
    'Storage Blob Data Reader',
    'Key Vault Crypto User',
    'Azure Event Hubs Data Sender',
  ]);
  const ids = complete(ws, 'x.yaml', `${head}    armId: §\n`);
  assert.equal(
    (ids[0].textEdit as TextEdit).newText,
    '/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d',
  );
});

test('ASO FederatedIdentityCredential: the audience and subjects built from the workspace ServiceAccounts', async () => {
  const ws = await ex();
  const head = FIC;
  assert.deepEqual(labels(complete(ws, 'x.yaml', `${head}  audiences:\n    - §\n`)), ['api://AzureADTokenExchange']);
  const inline = complete(ws, 'x.yaml', `${head}  audiences: §\n`);
  assert.equal((inline[0].textEdit as TextEdit).newText, '["api://AzureADTokenExchange"]');
  const subjects = complete(ws, 'x.yaml', `${head}  subject: §\n`);
  const source = find(subjects, 'system:serviceaccount:podinfo:podinfo-source');
  assert.equal(source.detail, 'client-id 2d38d8dc-e1f4-4a2e-a7ce-53ee33227e81');
});

// ---------------------------------------------------------------------------------------------- files

test('multi-document CRLF file: completion in the second document, the range on the right line', async () => {
  const ws = await ex();
  const text = `apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: podinfo\r\n---\r\n${OCI_HEAD.replace(/\n/g, '\r\n')}\r\n  url: oci://contosofleet.azurecr.io/app\r\n  provider: §\r\n`;
  const items = complete(ws, 'apps/base/podinfo/x.yaml', text);
  assert.equal(labels(items)[0], 'azure');
  const range = (items[0].textEdit as TextEdit).range;
  assert.deepEqual(range, { start: { line: 13, character: 12 }, end: { line: 13, character: 12 } });
  assert.match(accept(text, items[0]), /\r\n {2}provider: azure\r\n$/);
});

test('plain YAML, Helm values and a SecretProviderClass get no completions', async () => {
  const ws = await ex();
  assert.deepEqual(complete(ws, 'values.yaml', 'image:\n  repository: x\n  §\n'), []);
  assert.deepEqual(complete(ws, 'values.yaml', 'serviceAccount:\n  annotations:\n    §\n'), []);
  assert.deepEqual(
    complete(
      ws,
      'spc.yaml',
      'apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: kv\nspec:\n  provider: §\n',
    ),
    [],
  );
  assert.deepEqual(complete(ws, 'cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  §\n'), []);
});

test('CRLF: completion inside a `patch: |` block of a flux-system kustomization', async () => {
  const ws = await ex();
  const rel = 'clusters/staging/flux-system/kustomization.yaml';
  const text = readFileSync(join(EXAMPLES, rel), 'utf8')
    .replace('name: AZURE_AUTHORITY_HOST', 'name: AZURE_AUTH§')
    .replace(/\n/g, '\r\n');
  const items = complete(ws, rel, text);
  const host = find(items, 'AZURE_AUTHORITY_HOST');
  assert.deepEqual((host.textEdit as TextEdit).range, {
    start: { line: 26, character: 16 },
    end: { line: 26, character: 26 },
  });
  assert.ok(accept(text, host).includes('          name: AZURE_AUTHORITY_HOST\r\n'));
});

test('ASO owner.armId: ARM scope patterns with a tab stop per part; FIC subject template and controller accounts', async () => {
  const ws = await ex();
  const ra = `${ROLE_ASSIGNMENT}  owner:\n    armId: §\n`;
  const scopes = complete(ws, 'x.yaml', ra);
  const registry = find(scopes, 'Container registry');
  assert.equal(
    (registry.textEdit as TextEdit).newText,
    '/subscriptions/${1:subscriptionId}/resourceGroups/${2:resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${3:registry}',
  );
  const fic = `${FIC}  subject: §\n`;
  const subjects = labels(complete(ws, 'x.yaml', fic));
  assert.ok(subjects.includes('system:serviceaccount:flux-system:kustomize-controller'));
  assert.equal(subjects[subjects.length - 1], 'system:serviceaccount:<namespace>:<name>');
});

test('sops.azure-kv is not offered next to an application Secret’s own keys', async () => {
  const ws = await ex();
  const app = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\nstringData:\n  DB_PASSWORD: x\n  §\n';
  assert.deepEqual(complete(ws, 'x.yaml', app), []);
  const age = 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: keys\nstringData:\n  identity.agekey: x\n  §\n';
  assert.deepEqual(labels(complete(ws, 'x.yaml', age)), ['sops.azure-kv']);
});

test('FluxInstance: cluster settings by version, and the same patch completions in spec.kustomize.patches', async () => {
  const ws = await workspace({}, '2.7');
  const head = 'apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata:\n  name: flux\nspec:\n';
  const keys = labels(complete(ws, 'fi.yaml', `${head}  cluster:\n    type: azure\n    §\n`));
  assert.ok(keys.includes('objectLevelWorkloadIdentity') && keys.includes('tenantDefaultServiceAccount'));
  const older = await workspace({}, '2.6');
  assert.ok(!labels(complete(older, 'fi.yaml', `${head}  cluster:\n    §\n`)).includes('tenantDefaultServiceAccount'));
  const patch = `${head}  kustomize:\n    patches:\n      - target:\n          kind: Deployment\n          name: kustomize-controller\n        patch: |\n          - op: add\n            path: /spec/template/spec/containers/0/args/-\n            value: §\n`;
  assert.deepEqual(labels(complete(ws, 'fi.yaml', patch)), [
    '--feature-gates=ObjectLevelWorkloadIdentity=true',
    '--default-decryption-service-account=<name>',
    '--default-kubeconfig-service-account=<name>',
  ]);
});

test('a list item value with colons is replaced whole when completed mid-word', async () => {
  const ws = await ex();
  const text = `${FIC}  audiences:\n    - ap§i://AzureADTokenExchange\n`;
  const item = find(complete(ws, 'x.yaml', text), 'api://AzureADTokenExchange');
  assert.match(accept(text, item), /\n {4}- api:\/\/AzureADTokenExchange\n$/);
});

test('beside a YAML schema server (yamlSchemaServer: on): no Flux keys or enum values, still the workspace names', async () => {
  const ws = await workspace({
    'sa.yaml':
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: pull\n  namespace: podinfo\n  annotations:\n    azure.workload.identity/client-id: 11111111-2222-3333-4444-555555555555\n',
  });
  const values = `${OCI_HEAD}\n  url: oci://contosofleet.azurecr.io/app\n  provider: §\n`;
  const keys = `${OCI_HEAD}\n  url: oci://contosofleet.azurecr.io/app\n  §\n`;
  const names = `${OCI_HEAD}\n  url: oci://contosofleet.azurecr.io/app\n  serviceAccountName: §\n`;
  assert.ok(labels(complete(ws, 'x.yaml', values)).includes('azure'), 'alone: the enum values');
  assert.ok(labels(complete(ws, 'x.yaml', keys)).includes('provider'), 'alone: the Azure keys');
  ws.service.configure({ yamlSchemaServer: 'on' });
  assert.deepEqual(labels(complete(ws, 'x.yaml', values)), [], 'the schema offers the values');
  assert.deepEqual(labels(complete(ws, 'x.yaml', keys)), [], 'the schema offers the keys');
  assert.deepEqual(labels(complete(ws, 'x.yaml', names)), ['pull'], 'the ServiceAccounts of the workspace are ours');
});
