// Rules that only the rendering makes possible (issue 15 items 1 and 6): a ServiceAccount renamed by namePrefix,
// SOPS files applied without decryption, federated credentials against the rendered fleet, `.sops.yaml` Key Vault
// rules, and one finding per location naming the clusters it holds in.
import { strict as assert } from 'node:assert';
import { test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver';
import { analyzeFolder } from './analyze';
import { CLIENT_ID, TENANT_ID, writeTree } from './fixtures';

type Files = Record<string, string | undefined>;

const lines = (...l: string[]) => [...l, ''].join('\n');

/** A bootstrap cluster `clusters/<name>` applying `apps/<name>` with the Kustomization `apps`; `apps` is its extra spec. */
function cluster(name: string, apps = ''): Files {
  return {
    [`clusters/${name}/flux-system/gotk-components.yaml`]: lines(
      '# Flux Version: v2.7.0',
      'apiVersion: v1',
      'kind: Namespace',
      'metadata:',
      '  name: flux-system',
    ),
    [`clusters/${name}/flux-system/gotk-sync.yaml`]: lines(
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata:',
      '  name: flux-system',
      '  namespace: flux-system',
      'spec:',
      '  interval: 10m',
      `  path: ./clusters/${name}`,
      '  sourceRef:',
      '    kind: GitRepository',
      '    name: flux-system',
    ),
    [`clusters/${name}/flux-system/kustomization.yaml`]: lines(
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - gotk-components.yaml',
      '  - gotk-sync.yaml',
    ),
    [`clusters/${name}/apps.yaml`]: lines(
      'apiVersion: kustomize.toolkit.fluxcd.io/v1',
      'kind: Kustomization',
      'metadata:',
      '  name: apps',
      '  namespace: flux-system',
      'spec:',
      '  interval: 10m',
      `  path: ./apps/${name}`,
      '  prune: true',
      '  sourceRef:',
      '    kind: GitRepository',
      '    name: flux-system',
      ...(apps ? [apps] : []),
    ),
  };
}

/** An overlay `apps/<name>` over `apps/base` with extra kustomization lines. */
function overlay(name: string, ...extra: string[]): Files {
  return {
    [`apps/${name}/kustomization.yaml`]: lines(
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - ../base',
      ...extra,
    ),
  };
}

const BASE_SA = lines(
  'apiVersion: v1',
  'kind: ServiceAccount',
  'metadata:',
  '  name: acr',
  '  namespace: apps',
  '  annotations:',
  `    azure.workload.identity/client-id: ${CLIENT_ID}`,
  `    azure.workload.identity/tenant-id: ${TENANT_ID}`,
);

/** apps/base: the ServiceAccount `apps/acr` and a Bucket (object-level identity) naming it. */
function base(extra: Files = {}): Files {
  return {
    'apps/base/kustomization.yaml': lines(
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - sa.yaml',
      '  - bucket.yaml',
    ),
    'apps/base/sa.yaml': BASE_SA,
    'apps/base/bucket.yaml': lines(
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
      '  serviceAccountName: acr',
    ),
    ...extra,
  };
}

interface Found {
  readonly at: string;
  readonly d: Diagnostic;
}

async function lint(files: Files, code: string): Promise<Found[]> {
  const present = Object.fromEntries(Object.entries(files).filter((e): e is [string, string] => e[1] !== undefined));
  const root = writeTree(present, 'flux-azure-xrules-');
  return (await analyzeFolder(root))
    .filter(({ d }) => d.code === `flux-azure/${code}`)
    .map(({ file, d }) => ({ at: `${file.split('\\').join('/')}:${d.range.start.line + 1}`, d }));
}

const relatedFiles = (d: Diagnostic) =>
  (d.relatedInformation ?? []).map(
    (r) => `${r.location.uri.replace(/^.*flux-azure-xrules-[^/]+\//, '')}:${r.location.range.start.line + 1}`,
  );

// ------------------------------------------------------------------------------------- (a) namePrefix / nameSuffix

test('namePrefix renames the ServiceAccount but not spec.serviceAccountName: a warning naming the rendered name and the prefix line', async () => {
  const found = await lint(
    { ...cluster('prod'), ...overlay('prod', 'namePrefix: prod-'), ...base() },
    'sa-renamed-by-kustomize',
  );
  assert.deepEqual(
    found.map((f) => f.at),
    ['apps/base/bucket.yaml:11'],
  );
  const { d } = found[0];
  assert.equal(d.severity, 2);
  assert.match(d.message, /'acr' is renamed to 'prod-acr' by namePrefix in apps\/prod\/kustomization\.yaml/);
  assert.doesNotMatch(d.message, /clusters\//, 'one cluster: nothing to tell apart');
  assert.deepEqual(relatedFiles(d), ['apps/prod/kustomization.yaml:5', 'apps/base/sa.yaml:1']);
});

test('a prefix in one cluster only: one finding naming that cluster; nameSuffix is reported the same way', async () => {
  const files = {
    ...cluster('prod'),
    ...cluster('staging'),
    ...overlay('prod', 'nameSuffix: -prod'),
    ...overlay('staging'),
    ...base(),
  };
  const found = await lint(files, 'sa-renamed-by-kustomize');
  assert.equal(found.length, 1, found.map((f) => f.d.message).join('\n'));
  assert.match(found[0].d.message, /renamed to 'acr-prod' by nameSuffix .* in `clusters\/prod`,/);
  assert.doesNotMatch(found[0].d.message, /staging/);
});

test('no finding without a prefix, when the field names the rendered name, or when configurations may rewrite it', async () => {
  assert.deepEqual(await lint({ ...cluster('prod'), ...overlay('prod'), ...base() }, 'sa-renamed-by-kustomize'), []);
  const patched = overlay(
    'prod',
    'namePrefix: prod-',
    'patches:',
    '  - target: {kind: Bucket}',
    '    patch: |',
    '      - op: replace',
    '        path: /spec/serviceAccountName',
    '        value: prod-acr',
  );
  assert.deepEqual(await lint({ ...cluster('prod'), ...patched, ...base() }, 'sa-renamed-by-kustomize'), []);
  const configured = overlay('prod', 'namePrefix: prod-', 'configurations:', '  - name-references.yaml');
  assert.deepEqual(await lint({ ...cluster('prod'), ...configured, ...base() }, 'sa-renamed-by-kustomize'), []);
});

// ------------------------------------------------------------------------------------- (b) SOPS without decryption

const ENCRYPTED = lines(
  'apiVersion: v1',
  'kind: Secret',
  'metadata:',
  '  name: db',
  '  namespace: apps',
  'stringData:',
  '  password: ENC[AES256_GCM,data:Zm9v,iv:YmFy,tag:YmF6,type:str]',
  'sops:',
  '  azure_kv:',
  '    - vault_url: https://fleet-kv.vault.azure.net',
  '      name: sops',
  '      version: 0123456789abcdef0123456789abcdef',
  '  lastmodified: "2026-11-01T10:00:00Z"',
  '  mac: ENC[AES256_GCM,data:cXV4,iv:YmFy,tag:YmF6,type:str]',
  '  version: 3.9.4',
);

test('SOPS-encrypted files applied by a Kustomization without spec.decryption: an error on its spec naming the file, with a fix', async () => {
  const files = {
    ...cluster('prod'),
    ...overlay('prod', '  - db.enc.yaml'),
    ...base(),
    'apps/prod/db.enc.yaml': ENCRYPTED,
  };
  const found = await lint(files, 'sops-decryption-missing');
  assert.deepEqual(
    found.map((f) => f.at),
    ['clusters/prod/apps.yaml:6'],
  );
  const { d } = found[0];
  assert.equal(d.severity, 1);
  assert.match(
    d.message,
    /Kustomization 'apps' applies SOPS-encrypted file apps\/prod\/db\.enc\.yaml but has no spec\.decryption/,
  );
  assert.deepEqual(relatedFiles(d), ['apps/prod/db.enc.yaml:8']);
  const fix = (d.data as { fixes: { edits: Record<string, { newText: string; range: Diagnostic['range'] }[]> }[] })
    .fixes[0];
  const [edit] = Object.values(fix.edits)[0];
  assert.equal(edit.newText, '  decryption:\n    provider: sops\n');
  assert.equal(edit.range.start.line, 6, 'inserted as the first entry of spec');
  // In the cluster directory itself, bootstrap's flux-system Kustomization is the one applying it.
  const root = await lint({ ...cluster('prod'), 'clusters/prod/db.enc.yaml': ENCRYPTED }, 'sops-decryption-missing');
  assert.deepEqual(
    root.map((f) => f.at),
    ['clusters/prod/flux-system/gotk-sync.yaml:6'],
  );
  assert.match(
    root[0].d.message,
    /Kustomization 'flux-system' applies SOPS-encrypted file clusters\/prod\/db\.enc\.yaml/,
  );
});

test('silent when decryption is set on the Kustomization or by a patch, and when the applying Kustomization is unknown', async () => {
  const files = { ...overlay('prod', '  - db.enc.yaml'), ...base(), 'apps/prod/db.enc.yaml': ENCRYPTED };
  const decryption = '  decryption:\n    provider: sops\n    serviceAccountName: kv';
  assert.deepEqual(await lint({ ...cluster('prod', decryption), ...files }, 'sops-decryption-missing'), []);
  const viaPatch = {
    ...cluster('prod'),
    ...files,
    'clusters/prod/kustomization.yaml': lines(
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - flux-system',
      '  - apps.yaml',
      'patches:',
      '  - target: {kind: Kustomization, name: apps}',
      '    patch: |',
      '      - op: add',
      '        path: /spec/decryption',
      '        value: {provider: sops}',
    ),
  };
  assert.deepEqual(await lint(viaPatch, 'sops-decryption-missing'), []);
  // A cluster the Flux Operator syncs: nothing in the repository says how its root is applied.
  const operator = {
    'clusters/op/flux.yaml': lines(
      'apiVersion: fluxcd.controlplane.io/v1',
      'kind: FluxInstance',
      'metadata:',
      '  name: flux',
      '  namespace: flux-system',
      'spec:',
      '  distribution:',
      '    version: "2.7.x"',
    ),
    'clusters/op/db.enc.yaml': ENCRYPTED,
  };
  assert.deepEqual(await lint(operator, 'sops-decryption-missing'), []);
});

// ------------------------------------------------------------------------------------- (c) federated credentials

const fic = (subject: string) =>
  lines(
    'apiVersion: managedidentity.azure.com/v1api20230131',
    'kind: FederatedIdentityCredential',
    'metadata:',
    '  name: fic',
    '  namespace: apps',
    'spec:',
    '  owner: {name: id}',
    '  audiences: [api://AzureADTokenExchange]',
    '  issuer: https://oidc.example/',
    `  subject: ${subject}`,
  );

test('a federated credential naming a ServiceAccount no cluster renders: a warning on the subject', async () => {
  const files = {
    ...cluster('prod'),
    ...overlay('prod'),
    ...base(),
    'azure/fic.yaml': fic('system:serviceaccount:apps:acr-pull'),
  };
  const found = await lint(files, 'fic-subject-no-service-account');
  assert.deepEqual(
    found.map((f) => f.at),
    ['azure/fic.yaml:10'],
  );
  assert.equal(found[0].d.severity, 2);
  assert.match(found[0].d.message, /no cluster .* ServiceAccount 'acr-pull' in namespace 'apps'/i);
});

test('subjects that exist in the rendered fleet (controllers included), charts, variables: silent', async () => {
  const files = { ...cluster('prod'), ...overlay('prod'), ...base() };
  for (const subject of [
    'system:serviceaccount:apps:acr',
    'system:serviceaccount:flux-system:kustomize-controller',
    'system:serviceaccount:apps:${SA_NAME}',
  ])
    assert.deepEqual(
      await lint({ ...files, 'azure/fic.yaml': fic(subject) }, 'fic-subject-no-service-account'),
      [],
      subject,
    );
  const chart = lines(
    'apiVersion: helm.toolkit.fluxcd.io/v2',
    'kind: HelmRelease',
    'metadata:',
    '  name: external-dns',
    '  namespace: flux-system',
    'spec:',
    '  interval: 1h',
    '  targetNamespace: external-dns',
    '  chart: {spec: {chart: external-dns, sourceRef: {kind: HelmRepository, name: charts}}}',
  );
  assert.deepEqual(
    await lint(
      {
        ...files,
        'apps/prod/dns.yaml': chart,
        ...overlay('prod', '  - dns.yaml'),
        'azure/fic.yaml': fic('system:serviceaccount:external-dns:external-dns'),
      },
      'fic-subject-no-service-account',
    ),
    [],
  );
});

test('a subject that differs only in case says so; one that names the pre-prefix name gets the rendered one as a fix', async () => {
  const files = { ...cluster('prod'), ...overlay('prod'), ...base() };
  const cased = await lint({ ...files, 'azure/fic.yaml': fic('system:serviceaccount:Apps:acr') }, 'fic-subject');
  assert.equal(cased.length, 1);
  assert.match(cased[0].d.message, /differs from ServiceAccount apps\/acr only in case.*case-sensitively/);
  const prefixed = { ...cluster('prod'), ...overlay('prod', 'namePrefix: prod-'), ...base() };
  const found = await lint(
    { ...prefixed, 'azure/fic.yaml': fic('system:serviceaccount:apps:acr') },
    'fic-subject-no-service-account',
  );
  assert.equal(found.length, 1);
  assert.match(found[0].d.message, /renames ServiceAccount 'acr' to 'prod-acr'/);
  const fixes = (found[0].d.data as { fixes: { title: string }[] }).fixes;
  assert.deepEqual(
    fixes.map((f) => f.title),
    ['Use system:serviceaccount:apps:prod-acr'],
  );
});

// ------------------------------------------------------------------------------------- (d) .sops.yaml

test('.sops.yaml: azure_kv as a rule key and malformed key URLs are warnings, with a rename and a repair as fixes', async () => {
  const found = await lint(
    {
      '.sops.yaml': lines(
        'creation_rules:',
        '  - path_regex: clusters/prod/.*\\.yaml',
        '    encrypted_regex: ^(data|stringData)$',
        '    azure_kv: https://fleet-kv.vault.azure.net/keys/sops/0123456789abcdef',
        '  - path_regex: clusters/staging/.*\\.yaml',
        '    azure_keyvault: https://fleet-kv.vault.azure.net/keys/sops/0123456789abcdef/',
        '  - path_regex: apps/.*\\.yaml',
        '    azure_keyvault: https://fleet-kv.vault.azure.net',
        '  - path_regex: infra/.*\\.yaml',
        '    key_groups:',
        '      - azure_keyvault:',
        '          - vaultUrl: https://fleet-kv.vault.azure.net/keys/sops',
        '            key: sops',
        '            version: "1"',
      ),
    },
    'sops-config-keyvault',
  );
  assert.deepEqual(
    found.map((f) => f.at),
    ['.sops.yaml:4', '.sops.yaml:6', '.sops.yaml:8', '.sops.yaml:12'],
  );
  assert.match(found[0].d.message, /ignores 'azure_kv' in a creation rule.*'azure_keyvault'/);
  const titles = found.map((f) => (f.d.data as { fixes: { title: string }[] }).fixes.map((x) => x.title));
  assert.deepEqual(titles, [
    ['Rename to azure_keyvault'],
    ['Use https://fleet-kv.vault.azure.net/keys/sops/0123456789abcdef'],
    [],
    [],
  ]);
});

test('.sops.yaml: correct Key Vault rules (URL list, key groups, other key types) and other YAML files are silent', async () => {
  const good = lines(
    'creation_rules:',
    '  - path_regex: .*\\.yaml',
    '    encrypted_regex: ^(data|stringData)$',
    '    azure_keyvault: https://fleet-kv.vault.azure.net/keys/sops/0123456789abcdef,https://dr-kv.vault.azure.net/keys/sops',
    '  - path_regex: legacy/.*',
    '    age: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq',
    '    key_groups:',
    '      - azure_keyvault:',
    '          - vaultUrl: https://fleet-kv.vault.azure.net',
    '            key: sops',
    '            version: 0123456789abcdef',
  );
  assert.deepEqual(await lint({ '.sops.yaml': good }, 'sops-config-keyvault'), []);
  // The same mistake in a file sops does not read as its configuration is not judged.
  assert.deepEqual(
    await lint({ 'notes.yaml': 'creation_rules:\n  - azure_kv: https://x.vault.azure.net\n' }, 'sops-config-keyvault'),
    [],
  );
});

// ------------------------------------------------------------------------------------- (e) one finding per location

test('provider-azure-missing on a base rendered in two clusters: one finding naming the cluster that lacks it, pointing at the patch of the other', async () => {
  const image = lines(
    'apiVersion: image.toolkit.fluxcd.io/v1',
    'kind: ImageRepository',
    'metadata:',
    '  name: podinfo',
    '  namespace: apps',
    'spec:',
    '  image: fleetacr.azurecr.io/podinfo',
    '  interval: 5m',
  );
  const patch = [
    'patches:',
    '  - target: {kind: ImageRepository}',
    '    patch: |',
    '      - op: add',
    '        path: /spec/provider',
    '        value: azure',
  ];
  const files = {
    ...cluster('prod'),
    ...cluster('staging'),
    ...overlay('prod', ...patch),
    ...overlay('staging'),
    'apps/base/kustomization.yaml': lines(
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'resources:',
      '  - image.yaml',
    ),
    'apps/base/image.yaml': image,
  };
  const found = await lint(files, 'provider-azure-missing');
  assert.deepEqual(
    found.map((f) => f.at),
    ['apps/base/image.yaml:7'],
  );
  assert.match(found[0].d.message, /unauthorized in `clusters\/staging`/);
  assert.doesNotMatch(found[0].d.message, /clusters\/prod/);
  assert.deepEqual(relatedFiles(found[0].d), ['apps/prod/kustomization.yaml:10']);
  assert.match(found[0].d.relatedInformation![0].message, /provider: azure comes from here in `clusters\/prod`/);
  // Missing in both: still one finding, naming both clusters.
  const both = await lint({ ...files, ...overlay('prod') }, 'provider-azure-missing');
  assert.equal(both.length, 1);
  assert.match(both[0].d.message, /in `clusters\/prod` and `clusters\/staging`/);
});

test('sa-annotation-not-guid on a base ServiceAccount two clusters apply without postBuild: one finding per place naming both', async () => {
  const files = {
    ...cluster('prod'),
    ...cluster('staging'),
    ...overlay('prod'),
    ...overlay('staging'),
    ...base({ 'apps/base/sa.yaml': BASE_SA.replace(CLIENT_ID, '${AZURE_CLIENT_ID}') }),
  };
  const found = await lint(files, 'sa-annotation-not-guid');
  // On the Bucket's serviceAccountName (the object that fails) and on the annotation itself: once each.
  assert.deepEqual(found.map((f) => f.at).sort(), ['apps/base/bucket.yaml:11', 'apps/base/sa.yaml:7']);
  const onBucket = found.find((f) => f.at.startsWith('apps/base/bucket.yaml'))!;
  assert.match(
    onBucket.d.message,
    /Kustomization apps in `clusters\/prod` and Kustomization apps in `clusters\/staging` have no spec\.postBuild/,
  );
});

test('a subject in a namespace the repository never applies anything to is only an information', async () => {
  const files = { ...cluster('prod'), ...overlay('prod'), ...base() };
  const found = await lint(
    { ...files, 'azure/fic.yaml': fic('system:serviceaccount:payments:api') },
    'fic-subject-no-service-account',
  );
  assert.equal(found.length, 1);
  assert.equal(found[0].d.severity, 3);
  assert.match(found[0].d.message, /nothing the repository applies is in namespace 'payments'/);
});

test('a FluxInstance in its own namespace: the controllers there are in the fleet', async () => {
  const files = {
    'clusters/op/flux.yaml': lines(
      'apiVersion: fluxcd.controlplane.io/v1',
      'kind: FluxInstance',
      'metadata:',
      '  name: flux',
      '  namespace: flux',
      'spec:',
      '  distribution:',
      '    version: "2.7.x"',
    ),
    'clusters/op/app.yaml': BASE_SA,
  };
  for (const [subject, count] of [
    ['system:serviceaccount:flux:source-controller', 0],
    ['system:serviceaccount:flux:source-ctrl', 1],
  ] as const)
    assert.equal(
      (await lint({ ...files, 'azure/fic.yaml': fic(subject) }, 'fic-subject-no-service-account')).length,
      count,
      subject,
    );
});
