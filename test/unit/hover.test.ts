import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hoverAt, hoverText, indexFolder, workspace, type Workspace } from './editor';
import { pathToUri } from '../../server/src/workspace/files';

const EXAMPLES = join(__dirname, '..', '..', '..', 'examples');
let examples: Promise<Workspace> | undefined;
const ex = () => (examples ??= indexFolder(EXAMPLES));
const read = (rel: string) => readFileSync(join(EXAMPLES, rel), 'utf8');

/** Hover text at `needle` (+ delta) in an examples file. */
async function exampleHover(rel: string, needle: string, delta = 1, text = read(rel)): Promise<string> {
  return hoverText(hoverAt(await ex(), rel, text, needle, delta));
}

// ---------------------------------------------------------------------------------------------- Flux fields

test('spec.provider value: meaning, controller, service, role with GUID and ARM scope pattern, docs link', async () => {
  const text = await exampleHover('apps/base/podinfo/source.yaml', 'provider: azure', 12);
  assert.match(text, /\*\*OCIRepository\*\* `spec\.provider`/);
  assert.match(text, /`azure`: Microsoft Entra ID login/);
  assert.match(text, /\*\*AcrPull\*\* `7f951dda-4ed3-4680-a7ca-43fe172d538d`/);
  assert.match(
    text,
    /`\/subscriptions\/\{subscriptionId\}\/resourceGroups\/\{resourceGroup\}\/providers\/Microsoft\.ContainerRegistry\/registries\/\{registry\}`/,
  );
  assert.match(text, /Reconciled by \*\*source-controller\*\*/);
  assert.match(text, /\(https:\/\/fluxcd\.io\/flux\/integrations\/azure\/#for-azure-container-registry\)/);
});

test('serviceAccountName: resolved client and tenant ids, version support, gate state per cluster', async () => {
  const text = await exampleHover('apps/base/podinfo/source.yaml', 'serviceAccountName: podinfo-source', 25);
  assert.match(text, /`azure\.workload\.identity\/client-id`: `2d38d8dc-e1f4-4a2e-a7ce-53ee33227e81`/);
  assert.match(text, /`azure\.workload\.identity\/tenant-id`: `437100c6-90c1-4b18-9071-f6d664f91f2f`/);
  assert.match(text, /Supported in Flux 2\.6\+/);
  assert.match(text, /✓ source-controller in `clusters\/production`: gate enabled/);
});

test('ServiceAccount without tenant-id: the hover says what Flux still needs', async () => {
  const text = await exampleHover('apps/staging/canary.yaml', 'serviceAccountName: podinfo-canary', 25);
  assert.match(text, /⚠ Flux object-level workload identity also needs `azure\.workload\.identity\/tenant-id`/);
});

test('a field the repository version lacks is flagged (Bucket serviceAccountName on Flux 2.6)', async () => {
  const text = await exampleHover('infrastructure/storage/staging/fleet-config.yaml', 'serviceAccountName', 3);
  assert.match(text, /⚠ Needs Flux 2\.7\+; this repository runs Flux 2\.6/);
  assert.match(text, /Storage Blob Data Reader/);
});

test('Azure DevOps: not Azure RBAC, the project group per kind (Provider → Contributors, GitRepository → Readers)', async () => {
  const provider = await exampleHover('infrastructure/notifications/production/providers.yaml', 'type: azuredevops', 8);
  assert.match(provider, /not Azure RBAC.*\*\*Contributors\*\*/);
  assert.match(provider, /#for-azure-devops/);
  const ws = await workspace({}, '2.7');
  const git =
    'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: g\nspec:\n  url: https://dev.azure.com/o/p/_git/r\n  provider: azure\n';
  assert.match(hoverText(hoverAt(ws, 'g.yaml', git, 'provider: azure', 12)), /\*\*Readers\*\*/);
});

test('Kustomization decryption fields talk about Key Vault; spec.serviceAccountName is impersonation', async () => {
  const text = await exampleHover('clusters/production/infrastructure.yaml', 'decryption:', 3);
  assert.match(text, /Key Vault Crypto User\*\* `12338af0-0e69-4776-bea7-57ae8d297424`/);
  const ws = await workspace({}, '2.7');
  const k =
    'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: k\nspec:\n  serviceAccountName: tenant\n';
  const imp = hoverText(hoverAt(ws, 'k.yaml', k, 'serviceAccountName', 3));
  assert.match(imp, /Kubernetes impersonation/);
  assert.doesNotMatch(imp, /Azure service/);
});

// ---------------------------------------------------------------------------------------------- roles

test('role GUIDs, role definition ids and role names under role keys show the role anywhere', async () => {
  const ws = await workspace({});
  const cli = 'steps:\n  - run: az role assignment create --role 2a2b9908-6ea1-4ae2-8e65-a410df84e7d1 --scope /x\n';
  const h = hoverAt(ws, 'ci.yaml', cli, '2a2b9908', 3);
  assert.match(hoverText(h), /\*\*Storage Blob Data Reader\*\* — role definition/);
  assert.equal(h!.range!.end.character - h!.range!.start.character, 36, 'the range is the GUID, not the whole command');
  const tf =
    'role_definition_id: /subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.Authorization/roleDefinitions/12338af0-0e69-4776-bea7-57ae8d297424\n';
  assert.match(hoverText(hoverAt(ws, 'tf.yaml', tf, '/sub', 2)), /Key Vault Crypto User/);
  assert.match(hoverText(hoverAt(ws, 'tf.yaml', 'role_definition_name: AcrPull\n', 'AcrPull', 2)), /7f951dda/);
  assert.equal(
    hoverAt(ws, 'values.yaml', 'image:\n  owner: Owner\n', 'Owner', 2),
    null,
    'a role name under another key',
  );
});

test('ASO: role of wellKnownName, scope level of owner.armId, ServiceAccount of a FIC subject, audience', async () => {
  const ws = await ex();
  const aso = [
    'apiVersion: authorization.azure.com/v1api20220401',
    'kind: RoleAssignment',
    'metadata:',
    '  name: r',
    'spec:',
    '  owner:',
    '    armId: /subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv',
    '  roleDefinitionReference:',
    '    wellKnownName: Key Vault Crypto User',
    '---',
    'apiVersion: managedidentity.azure.com/v1api20230131',
    'kind: FederatedIdentityCredential',
    'metadata:',
    '  name: f',
    'spec:',
    '  audiences:',
    '    - api://AzureADTokenExchange',
    '  subject: system:serviceaccount:flux-system:sops-decryptor',
    '',
  ].join('\n');
  assert.match(hoverText(hoverAt(ws, 'aso.yaml', aso, 'Key Vault Crypto', 3)), /12338af0-0e69-4776-bea7-57ae8d297424/);
  assert.match(hoverText(hoverAt(ws, 'aso.yaml', aso, '/subscriptions', 3)), /Scope level: \*\*Key vault\*\*/);
  assert.match(
    hoverText(hoverAt(ws, 'aso.yaml', aso, 'system:serviceaccount', 3)),
    /4ce084e3-b74e-430f-b5c9-2f8728de55b2/,
  );
  assert.match(
    hoverText(hoverAt(ws, 'aso.yaml', aso, 'api://', 3)),
    /✓ The audience Entra exchanges tokens for: `api:\/\/AzureADTokenExchange`/,
  );
  assert.match(hoverText(hoverAt(ws, 'aso.yaml', aso, 'owner', 2)), /The owner \*\*is\*\*|Scope of the grant/);
});

// ---------------------------------------------------------------------------------------------- patches

const STAGING = 'clusters/staging/flux-system/kustomization.yaml';

test('inside `patch: |`: env var name, authority host cloud, token file matching the mount', async () => {
  assert.match(await exampleHover(STAGING, 'AZURE_AUTHORITY_HOST', 3), /Entra login endpoint/);
  assert.match(
    await exampleHover(STAGING, 'https://login.microsoftonline.com/', 3),
    /selects \*\*Azure public cloud\*\*/,
  );
  assert.match(
    await exampleHover(STAGING, '/var/run/service-account/azure-token', 3),
    /✓ Matches the projected token volume/,
  );
  const wrong = read(STAGING).replace('value: /var/run/service-account/azure-token', 'value: /var/run/other/token');
  assert.match(
    await exampleHover(STAGING, '/var/run/other/token', 3, wrong),
    /⚠ The projected token mounted by this patch is at `\/var\/run\/service-account\/azure-token`/,
  );
});

test('inside `patch: |`: the gate argument, a lockdown flag, a JSON6902 path, the audience', async () => {
  assert.match(await exampleHover(STAGING, '--feature-gates', 3), /\*\*`ObjectLevelWorkloadIdentity`\*\* feature gate/);
  assert.match(await exampleHover(STAGING, 'path: /spec/template/spec/volumes/-', 12), /Appends a pod volume/);
  assert.match(
    await exampleHover(STAGING, 'api://AzureADTokenExchange', 3),
    /✓ The audience Entra exchanges tokens for: `api:\/\/AzureADTokenExchange`/,
  );
  const lockdown = read(STAGING).replace(
    'value: --feature-gates=ObjectLevelWorkloadIdentity=true',
    'value: --default-service-account=tenant',
  );
  const text = await exampleHover(STAGING, '--default-service-account', 3, lockdown);
  assert.match(text, /lockdown flag/);
  assert.match(text, /⚠ Needs Flux 2\.7\+; this repository runs Flux 2\.6/);
});

test('patch target.name: the controllers a regex selects; strategic-merge keys in the body', async () => {
  const regex = read(STAGING).replace(
    'name: notification-controller\n    patch',
    'name: (notification-controller|image-.*)\n    patch',
  );
  const text = await exampleHover(STAGING, '(notification-controller|', 3, regex);
  assert.match(text, /- \*\*notification-controller\*\*/);
  assert.match(text, /- \*\*image-reflector-controller\*\*/);
  assert.match(text, /- \*\*image-automation-controller\*\*/);
  assert.match(await exampleHover(STAGING, 'azure.workload.identity/use', 3), /pod-template label/);
  assert.match(
    await exampleHover(STAGING, 'azure.workload.identity/tenant-id', 3),
    /required by Flux object-level workload identity/,
  );
});

test('the workload-identity label on Deployment metadata is explained as ineffective', async () => {
  const ws = await workspace({});
  const text =
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels:\n    azure.workload.identity/use: "true"\n';
  assert.match(hoverText(hoverAt(ws, 'd.yaml', text, 'azure.workload', 3)), /⚠ Here the label does nothing/);
});

// ---------------------------------------------------------------------------------------------- secrets

test('sops.azure-kv: the key, the combination kustomize-controller will use, nested fields with quoting rules', async () => {
  const rel = 'clusters/staging/sops-azure-kv.yaml';
  assert.match(await exampleHover(rel, 'sops.azure-kv', 3), /will use: \*\*Service principal with certificate\*\*/);
  assert.match(
    await exampleHover(rel, 'clientCertificateSendChain', 3),
    /Write `clientCertificateSendChain: true`, not/,
  );
});

test('Secret values are never shown: the hover explains the key instead', async () => {
  const ws = await workspace({});
  const secret = [
    'apiVersion: v1',
    'kind: Secret',
    'metadata:',
    '  name: s',
    'stringData:',
    '  tenantId: 437100c6-90c1-4b18-9071-f6d664f91f2f',
    '  clientSecret: sup3r-s3cret-value',
    '  sops.azure-kv: |',
    '    clientId: 894f8a0d-190c-44dd-b4e6-5d7e73bcf1cd',
    '    clientSecret: n3sted-s3cret',
    '',
  ].join('\n');
  for (const needle of ['sup3r', '437100c6', 'n3sted', '894f8a0d']) {
    const text = hoverText(hoverAt(ws, 's.yaml', secret, needle, 2));
    assert.ok(text.length > 0, `a hover on ${needle}`);
    assert.match(text, /Value not shown/);
    for (const value of ['sup3r-s3cret-value', '437100c6', 'n3sted-s3cret', '894f8a0d'])
      assert.ok(!text.includes(value));
  }
});

test('Bucket Secret key: which credential set the Secret holds', async () => {
  const text = await exampleHover('infrastructure/storage/staging/terraform-outputs.yaml', 'clientCertificate: |', 3);
  assert.match(text, /Bucket \(`provider: azure`\) credential key/);
  assert.match(text, /This Secret holds: Service principal with certificate/);
});

// ---------------------------------------------------------------------------------------------- files

test('multi-document CRLF file: the hover range is on the right line of the right document', async () => {
  const ws = await ex();
  const text = read('apps/base/podinfo/source.yaml').replace(/\n/g, '\r\n');
  const h = hoverAt(ws, 'apps/base/podinfo/source.yaml', text, 'provider: azure', 12);
  assert.match(hoverText(h), /AcrPull/);
  assert.deepEqual(h!.range, { start: { line: 25, character: 12 }, end: { line: 25, character: 17 } });
  const annotation = hoverAt(ws, 'apps/base/podinfo/source.yaml', text, 'azure.workload.identity/client-id', 3);
  assert.match(hoverText(annotation), /ServiceAccount annotation/);
});

test('plain YAML, Helm values and a SecretProviderClass get no hover', async () => {
  const ws = await ex();
  assert.equal(hoverAt(ws, 'values.yaml', 'provider: azure\nserviceAccountName: x\n', 'azure', 1), null);
  const spc =
    'apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:\n  name: kv\nspec:\n  provider: azure\n  parameters:\n    tenantId: 437100c6-90c1-4b18-9071-f6d664f91f2f\n';
  assert.equal(hoverAt(ws, 'spc.yaml', spc, 'provider', 2), null);
  assert.equal(hoverAt(ws, 'spc.yaml', spc, '437100c6', 2), null);
  const values = 'serviceAccount:\n  annotations:\n    azure.workload.identity/client-id: x\n';
  assert.equal(hoverAt(ws, 'values.yaml', values, 'azure.workload', 2), null);
});

test('CRLF: hovers inside a `patch: |` block and a `sops.azure-kv: |` block keep exact ranges', async () => {
  const ws = await ex();
  const patch = read(STAGING).replace(/\n/g, '\r\n');
  const h = hoverAt(ws, STAGING, patch, 'https://login.microsoftonline.com/', 3);
  assert.match(hoverText(h), /Azure public cloud/);
  assert.deepEqual(h!.range, { start: { line: 27, character: 17 }, end: { line: 27, character: 51 } });
  const rel = 'clusters/staging/sops-azure-kv.yaml';
  const sops = read(rel).replace(/\n/g, '\r\n');
  const s = hoverAt(ws, rel, sops, 'clientCertificateSendChain', 3);
  assert.match(hoverText(s), /Go \*\*bool\*\*/);
  assert.deepEqual(s!.range, { start: { line: 22, character: 4 }, end: { line: 22, character: 30 } });
});

test('the pod label on a ServiceAccount is explained as ineffective; patch paths link to the Flux docs', async () => {
  const ws = await workspace({});
  const sa =
    'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  labels:\n    azure.workload.identity/use: "true"\n';
  assert.match(hoverText(hoverAt(ws, 'sa.yaml', sa, 'azure.workload', 3)), /⚠ Here the label does nothing/);
  assert.match(
    await exampleHover(STAGING, 'path: /spec/template/spec/containers/0/env/-', 12),
    /#at-the-controller-level\)/,
  );
});

test('HelmRelease: only the kubeConfig branch is about AKS', async () => {
  const ws = await workspace({}, '2.7');
  const hr = [
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: h',
    'spec:',
    '  chartRef:',
    '    kind: OCIRepository',
    '    name: chart',
    '  kubeConfig:',
    '    configMapRef:',
    '      name: aks-prod',
    '',
  ].join('\n');
  assert.doesNotMatch(hoverText(hoverAt(ws, 'hr.yaml', hr, 'chartRef', 3)), /Azure Kubernetes Service/);
  assert.match(hoverText(hoverAt(ws, 'hr.yaml', hr, 'configMapRef', 3)), /Azure Kubernetes Service Cluster User Role/);
});

// ---------------------------------------------------------------------------------------------- accessibility

test('no hover over examples/ says something only with a mark: every ✓ / ✗ / ⚠ line also says it in words', async () => {
  const ws = await ex();
  const files = (readdirSync(EXAMPLES, { recursive: true }) as string[]).filter((f) => /\.ya?ml$/.test(f));
  let marked = 0;
  for (const rel of files) {
    const text = read(rel);
    const uri = pathToUri(join(EXAMPLES, rel));
    ws.service.open(uri, 'yaml', 1, text);
    try {
      text.split('\n').forEach((line, n) => {
        // Every word of the line: keys, values, list items.
        for (const m of line.matchAll(/[^\s:\-"'|>#]+/g)) {
          const hover = ws.service.hover(uri, { line: n, character: m.index + 1 });
          for (const shown of hoverText(hover).split('\n')) {
            if (!/[✓✗⚠]/.test(shown)) continue;
            marked++;
            const words = shown
              .replace(/`[^`]*`/g, '')
              .replace(/[*_[\]()]/g, ' ')
              .match(/\p{L}{2,}/gu);
            assert.ok((words?.length ?? 0) >= 2, `${rel}:${n + 1}: "${shown}" says it only with a mark`);
          }
        }
      });
    } finally {
      ws.service.close(uri);
    }
  }
  assert.ok(marked > 5, `hovers with marks were seen (${marked})`);
});

test('beside a YAML schema server (yamlSchemaServer: on): hovers only where Azure adds meaning', async () => {
  const ws = await workspace({});
  const oci = [
    'apiVersion: source.toolkit.fluxcd.io/v1',
    'kind: OCIRepository',
    'metadata:',
    '  name: app',
    'spec:',
    '  interval: 5m',
    '  url: oci://contosofleet.azurecr.io/app',
    '  provider: azure',
    '',
  ].join('\n');
  assert.match(hoverText(hoverAt(ws, 'x.yaml', oci, 'interval', 2)), /spec\.interval/, 'alone: every field');
  ws.service.configure({ yamlSchemaServer: 'on' });
  assert.equal(hoverText(hoverAt(ws, 'x.yaml', oci, 'interval', 2)), '', 'the schema describes interval');
  assert.match(hoverText(hoverAt(ws, 'x.yaml', oci, 'provider', 2)), /AcrPull/, 'provider: the Azure role');
});

test('target.name of a patch of another kind (an app overlay patching its HelmRelease): no controller hover', async () => {
  const text = read('apps/production/kustomization.yaml');
  assert.equal(await exampleHover('apps/production/kustomization.yaml', 'name: podinfo', 7, text), '');
  const ws = await workspace({});
  const controllerPatch = [
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'patches:',
    '  - target:',
    '      kind: Deployment',
    '      name: podinfo',
    '    patch: |',
    '      - op: add',
    '        path: /spec/template/spec/containers/0/args/-',
    '        value: --feature-gates=ObjectLevelWorkloadIdentity=true',
    '',
  ].join('\n');
  assert.match(
    hoverText(hoverAt(ws, 'kustomization.yaml', controllerPatch, 'name: podinfo', 7)),
    /Selects no Flux controller/,
  );
});
