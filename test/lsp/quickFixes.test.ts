import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { RULES } from '../../server/src/catalog';
import { applyEdit, fileUri, LspClient } from './lspClient';

/**
 * Every rule the catalog says has a mechanical fix: a manifest that triggers it, the fix applied over LSP, and the
 * diagnostic gone from the fixed text. (gate-missing, sa-missing-annotations, send-chain-quoting, ado-url-format and
 * wi-use-label-not-string are exercised on examples/ in server.test.ts.)
 */
const root = mkdtempSync(join(tmpdir(), 'flux-azure-fixes-'));
const client = new LspClient();
after(async () => {
  await client.dispose();
  rmSync(root, { recursive: true, force: true });
});

const G = '11111111-2222-3333-4444-555555555555';
const SA = `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: id\n  namespace: apps\n  annotations:\n    azure.workload.identity/client-id: ${G}\n    azure.workload.identity/tenant-id: ${G}\n`;
const KUSTOMIZATION = (patch: string, name = 'source-controller') =>
  `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-components.yaml\npatches:\n  - patch: |\n${patch
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n')}\n    target:\n      kind: Deployment\n      name: ${name}\n`;
const PROVIDER = (extra: string) =>
  `apiVersion: notification.toolkit.fluxcd.io/v1beta3\nkind: Provider\nmetadata: {name: p, namespace: apps}\nspec:\n${extra}`;

const CASES: Record<string, { file: string; text: string }> = {
  'flux-azure/git-sa-requires-azure-provider': {
    file: 'apps/git.yaml',
    text: `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: g, namespace: apps}\nspec:\n  interval: 5m\n  url: https://dev.azure.com/o/p/_git/r\n  provider: generic\n  serviceAccountName: id\n`,
  },
  'flux-azure/bucket-sa-generic-provider': {
    file: 'apps/bucket.yaml',
    text: `apiVersion: source.toolkit.fluxcd.io/v1\nkind: Bucket\nmetadata: {name: b, namespace: apps}\nspec:\n  interval: 5m\n  bucketName: c\n  endpoint: https://acct.blob.core.windows.net\n  serviceAccountName: id\n`,
  },
  'flux-azure/provider-sa-unsupported-type': {
    file: 'apps/slack.yaml',
    text: PROVIDER('  type: slack\n  channel: general\n  serviceAccountName: id\n'),
  },
  'flux-azure/ado-provider-address': {
    file: 'apps/ado.yaml',
    text: PROVIDER(
      '  type: azuredevops\n  address: https://contoso.visualstudio.com/fleet/_git/infra\n  serviceAccountName: id\n',
    ),
  },
  'flux-azure/secretref-overrides-provider': {
    file: 'apps/oci.yaml',
    text: `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: o, namespace: apps}\nspec:\n  interval: 5m\n  url: oci://contoso.azurecr.io/app\n  provider: azure\n  secretRef:\n    name: pull\n  ref:\n    tag: latest\n`,
  },
  'flux-azure/provider-azure-missing': {
    file: 'apps/acr.yaml',
    text: `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: a, namespace: apps}\nspec:\n  interval: 5m\n  url: oci://contoso.azurecr.io/app\n`,
  },
  'flux-azure/api-version-removed': {
    file: 'apps/image.yaml',
    text: `apiVersion: image.toolkit.fluxcd.io/v1beta1\nkind: ImageRepository\nmetadata: {name: i, namespace: apps}\nspec:\n  image: contoso.azurecr.io/app\n  interval: 5m\n  provider: azure\n`,
  },
  'flux-azure/api-version-deprecated': {
    file: 'apps/deprecated.yaml',
    text: `apiVersion: notification.toolkit.fluxcd.io/v1beta2\nkind: Provider\nmetadata: {name: d, namespace: apps}\nspec:\n  type: slack\n  channel: general\n`,
  },
  'flux-azure/fic-subject': {
    file: 'apps/fic.yaml',
    text: `apiVersion: managedidentity.azure.com/v1api20230131\nkind: FederatedIdentityCredential\nmetadata: {name: f}\nspec:\n  owner: {name: id}\n  audiences: [api://AzureADTokenExchange]\n  issuer: https://oidc.example/\n  subject: system:serviceaccount:Apps:id\n`,
  },
  'flux-azure/fic-audience': {
    file: 'apps/fic2.yaml',
    text: `apiVersion: managedidentity.azure.com/v1api20230131\nkind: FederatedIdentityCredential\nmetadata: {name: f2}\nspec:\n  owner: {name: id}\n  audiences:\n    - AzureADTokenExchange\n  issuer: https://oidc.example/\n  subject: system:serviceaccount:apps:id\n`,
  },
  'flux-azure/role-mismatch': {
    file: 'apps/role.yaml',
    text: `apiVersion: authorization.azure.com/v1api20220401\nkind: RoleAssignment\nmetadata: {name: r}\nspec:\n  owner:\n    armId: /subscriptions/${G}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv\n  principalId: ${G}\n  roleDefinitionReference:\n    wellKnownName: AcrPull\n`,
  },
  'flux-azure/token-audience': {
    file: 'k/audience/kustomization.yaml',
    text: KUSTOMIZATION(
      '- op: add\n  path: /spec/template/spec/volumes/-\n  value:\n    name: azure-token\n    projected:\n      sources:\n        - serviceAccountToken:\n            audience: api://AzureADTokenExchange/\n            path: azure-token',
    ),
  },
  'flux-azure/federated-token-file-mismatch': {
    file: 'k/token/kustomization.yaml',
    text: KUSTOMIZATION(
      '- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: {name: AZURE_FEDERATED_TOKEN_FILE, value: /var/run/token}\n- op: add\n  path: /spec/template/spec/volumes/-\n  value: {name: azure-token, projected: {sources: [{serviceAccountToken: {audience: api://AzureADTokenExchange, path: azure-token}}]}}\n- op: add\n  path: /spec/template/spec/containers/0/volumeMounts/-\n  value: {name: azure-token, mountPath: /var/run/service-account}',
    ),
  },
  'flux-azure/authority-host': {
    file: 'k/authority/kustomization.yaml',
    text: KUSTOMIZATION(
      '- op: add\n  path: /spec/template/spec/containers/0/env/-\n  value: {name: AZURE_AUTHORITY_HOST, value: login.microsoftonline.com}',
    ),
  },
  'flux-azure/gate-name': {
    file: 'k/gate/kustomization.yaml',
    text: KUSTOMIZATION(
      '- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: --feature-gates=objectlevelworkloadidentity=true',
    ),
  },
  'flux-azure/patch-path': {
    file: 'k/path/kustomization.yaml',
    text: KUSTOMIZATION(
      '- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: --feature-gates=ObjectLevelWorkloadIdentity=true',
    ).replace('kind: Deployment', 'kind: ServiceAccount'),
  },
  'flux-azure/sops-decryption-missing': {
    file: 'clusters/c/sops-apps.yaml',
    text: `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: sops-apps, namespace: flux-system}\nspec:\n  interval: 10m\n  path: ./sops\n  sourceRef: {kind: GitRepository, name: flux-system}\n`,
  },
  'flux-azure/fic-subject-no-service-account': {
    file: 'azure/fic-renamed.yaml',
    text: `apiVersion: managedidentity.azure.com/v1api20230131\nkind: FederatedIdentityCredential\nmetadata: {name: f3}\nspec:\n  owner: {name: id}\n  audiences: [api://AzureADTokenExchange]\n  issuer: https://oidc.example/\n  subject: system:serviceaccount:apps:wi\n`,
  },
  'flux-azure/sops-config-keyvault': {
    file: '.sops.yaml',
    text: `creation_rules:\n  - path_regex: .*\\.yaml\n    azure_kv: https://kv.vault.azure.net/keys/sops/1\n`,
  },
  'flux-azure/lockdown-without-gate': {
    file: 'clusters/c/flux-system/kustomization.yaml',
    text: KUSTOMIZATION(
      '- op: add\n  path: /spec/template/spec/containers/0/args/-\n  value: --default-service-account=tenant',
    ),
  },
};

before(async () => {
  const files: Record<string, string> = {
    'apps/sa.yaml': SA,
    'clusters/c/flux-system/gotk-components.yaml':
      '# Flux Version: v2.7.0\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n',
    // What the sops-decryption-missing and fic-subject-no-service-account cases need rendered in cluster c.
    'sops/secret.yaml':
      'apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: apps}\nstringData:\n  k: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]\nsops:\n  version: 3.9.4\n',
    'clusters/c/renamed.yaml':
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: renamed, namespace: flux-system}\nspec:\n  interval: 10m\n  path: ./renamed\n  sourceRef: {kind: GitRepository, name: flux-system}\n',
    'renamed/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamePrefix: x-\nresources:\n  - sa.yaml\n',
    'renamed/sa.yaml': SA.replace('name: id', 'name: wi'),
  };
  for (const c of Object.values(CASES)) files[c.file] = c.text;
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  await client.initialize(root);
});

test('every rule with a mechanical fix has a case here', () => {
  const claimed = RULES.filter((r) => r.quickFix).map((r) => r.code);
  const covered = new Set([
    ...Object.keys(CASES),
    'flux-azure/gate-missing',
    'flux-azure/sa-missing-annotations',
    'flux-azure/send-chain-quoting',
    'flux-azure/ado-url-format',
    'flux-azure/wi-use-label-not-string',
  ]);
  assert.deepEqual(
    claimed.filter((c) => !covered.has(c)),
    [],
  );
});

for (const [code, { file, text }] of Object.entries(CASES)) {
  test(`${code}: the fix applies and the diagnostic goes away`, async () => {
    const uri = fileUri(join(root, file));
    client.open(uri, text);
    const diags = await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === code));
    const target = diags.find((d) => d.code === code)!;
    const actions = await client.codeActions(uri, target.range, [target]);
    const fix =
      actions.find((a) => a.isPreferred) ??
      actions.find((a) => !a.title.startsWith('Disable') && a.kind === 'quickfix');
    assert.ok(fix?.edit, `${code} offers a fix (got: ${actions.map((a) => a.title).join(', ')})`);
    const fixed = applyEdit(text, fix.edit!, uri);
    assert.notEqual(fixed, text);
    client.change(uri, fixed);
    await client.waitForDiagnostics(uri, (d) => !d.some((x) => x.code === code));
  });
}
