import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ACR_HOST_REGEX,
  ADO_GIT_URL_REGEX,
  AZURE_CLOUDS,
  AZURE_SERVICES,
  BLOB_ENDPOINT_REGEX,
  BUCKET_AZURE_KEY_SETS,
  CONTROLLERS,
  CONTROLLER_NAMES,
  EVENT_HUBS_CONNECTION_STRING_REGEX,
  FLUX_API_GROUPS,
  FLUX_VERSIONS,
  GUID_REGEX,
  JSON6902_PATHS,
  KINDS,
  KUSTOMIZATION_FILE_NAMES,
  KUSTOMIZE_CONFIG_API_VERSION,
  KUSTOMIZE_CONFIG_GROUP,
  LOCKDOWN_FLAGS,
  OBJECT_LEVEL_WI_GATE_ARG,
  PATCH_KINDS,
  ROLES,
  RULES,
  RULE_CODE_PREFIX,
  SCOPE_FORMATS,
  SCOPE_REGEXES,
  SEND_CHAIN_QUOTING_RULES,
  SOPS_AZURE_KV_COMBINATIONS,
  WORKLOAD_IDENTITY_AUDIENCE,
  WORKLOAD_IDENTITY_ANNOTATIONS,
  aksControllerPatches,
  appCertificatePatch,
  childFields,
  compareVersions,
  controllersMatchedBy,
  controllersNeedingGate,
  controllersNeedingIdentity,
  enumValuesFor,
  federatedTokenFile,
  fieldDef,
  findPlaceholders,
  formatScope,
  gatePatch,
  inRange,
  isAcrReference,
  isKustomizationFileName,
  isPlaceholder,
  kindByName,
  kindDef,
  lockdownPatches,
  looksLikeAzureDevOps,
  matchBucketKeySets,
  nonAksControllerPatch,
  parseFeatureGatesArg,
  parseFluxVersion,
  parseRoleDefinitionId,
  parseScope,
  parseServiceAccountSubject,
  permissionMatches,
  preferredApiVersion,
  resolveSopsAzureKv,
  roleByGuid,
  roleById,
  roleByName,
  roleGrantsAction,
  roleGrantsDataAction,
  ruleByCode,
  scopeCovers,
  servedApiVersions,
  serviceAccountSubject,
  targetNameFor,
  type JsonPatchOperation,
} from '../../server/src/catalog';

const SUB = '0b1f6471-1bf0-4dda-aec3-cb9272f09590';
const RG = '/subscriptions/' + SUB + '/resourceGroups/flux-rg';

// --------------------------------------------------------------------------- versions

test('parseFluxVersion accepts v-prefixed, patch and pre-release forms', () => {
  assert.equal(parseFluxVersion('v2.7.1'), '2.7');
  assert.equal(parseFluxVersion('2.7'), '2.7');
  assert.equal(parseFluxVersion(' v2.10.0-rc.1 '), '2.10');
  assert.equal(parseFluxVersion('latest'), undefined);
  assert.equal(parseFluxVersion('2'), undefined);
});

test('compareVersions is numeric, not lexical', () => {
  assert.ok(compareVersions('2.10', '2.9') > 0);
  assert.ok(compareVersions('v2.6', '2.7') < 0);
  assert.equal(compareVersions('2.7', '2.7.0'), 0);
});

test('inRange: since inclusive, until exclusive, patch levels ignored', () => {
  assert.ok(inRange('2.7', { since: '2.7' }));
  assert.ok(!inRange('2.6', { since: '2.7' }));
  assert.ok(inRange('2.7.3', { since: '2.7', until: '2.8' }));
  assert.ok(!inRange('2.8', { since: '2.7', until: '2.8' }));
  assert.ok(inRange('2.6'));
  assert.ok(inRange('v2.9.1', {}));
});

// --------------------------------------------------------------------------- controllers and kinds

test('controller names are unique and include the six controllers plus source-watcher', () => {
  assert.equal(new Set(CONTROLLER_NAMES).size, CONTROLLER_NAMES.length);
  const six = ['source', 'kustomize', 'helm', 'notification', 'image-reflector', 'image-automation'];
  for (const name of [...six.map((c) => `${c}-controller`), 'source-watcher']) {
    assert.ok(CONTROLLER_NAMES.includes(name as never), name);
  }
  const hc = CONTROLLERS.find((c) => c.name === 'helm-controller');
  assert.deepEqual(hc?.objectLevelWorkloadIdentityGate, { since: '2.7' });
  const irc = CONTROLLERS.find((c) => c.name === 'image-reflector-controller');
  assert.equal(irc?.appCertificate.supported, false);
});

test('lockdown flags are only listed on controllers that accept them', () => {
  const flags = new Set<string>(LOCKDOWN_FLAGS.map((f) => f.flag));
  for (const c of CONTROLLERS) for (const f of c.lockdownFlags) assert.ok(flags.has(f), `${c.name} ${f}`);
  const ks = CONTROLLERS.find((c) => c.name === 'kustomize-controller');
  assert.deepEqual(ks?.lockdownFlags, ['--default-decryption-service-account', '--default-kubeconfig-service-account']);
  // On ks/hc --default-service-account is the pre-existing impersonation default, not a lockdown flag.
  assert.deepEqual(ks?.impersonationFlags, ['--default-service-account']);
});

test('every kind references a known controller and known services; gate controllers exist', () => {
  const serviceIds = new Set<string>(AZURE_SERVICES.map((s) => s.id));
  for (const k of KINDS) {
    assert.ok(CONTROLLER_NAMES.includes(k.controller), k.kind);
    for (const s of k.services) assert.ok(serviceIds.has(s), `${k.kind} ${s}`);
    for (const use of k.workloadIdentity) {
      for (const c of use.gateControllers) assert.ok(CONTROLLER_NAMES.includes(c), `${k.kind} ${c}`);
      assert.ok(serviceIds.has(use.service));
    }
    assert.ok(
      k.apiVersions.some((v) => v.preferred),
      `${k.kind} has a preferred version`,
    );
  }
  assert.equal(new Set(KINDS.map((k) => k.kind)).size, KINDS.length);
});

test('field paths are unique per kind and start at the document root', () => {
  for (const k of KINDS) {
    const seen = new Set<string>();
    for (const f of k.fields) {
      const key = f.path.join('.');
      assert.ok(!seen.has(key), `${k.kind} duplicate ${key}`);
      seen.add(key);
      assert.ok(f.path[0] === 'spec' || f.path[0] === 'metadata', `${k.kind} ${key}`);
    }
  }
});

test('kindDef resolves known group/kind, flags unknown versions, rejects other groups', () => {
  const oci = kindDef('source.toolkit.fluxcd.io/v1', 'OCIRepository');
  assert.equal(oci?.def.controller, 'source-controller');
  assert.equal(oci?.knownVersion, true);
  const future = kindDef('source.toolkit.fluxcd.io/v2', 'OCIRepository');
  assert.equal(future?.knownVersion, false);
  assert.equal(future?.def.kind, 'OCIRepository');
  assert.equal(kindDef('kustomize.config.k8s.io/v1beta1', 'Kustomization'), undefined);
  assert.equal(kindDef('v1', 'ServiceAccount'), undefined);
});

test("kindByName with an apiVersion tells kustomize's Kustomization from Flux's", () => {
  // kustomization.yaml's `kind: Kustomization` is kustomize's (kustomize.config.k8s.io), not Flux's.
  assert.equal(kindByName('Kustomization', KUSTOMIZE_CONFIG_API_VERSION), undefined);
  assert.equal(kindByName('Kustomization', `${KUSTOMIZE_CONFIG_GROUP}/v1`), undefined);
  assert.equal(kindByName('Kustomization', 'kustomize.toolkit.fluxcd.io/v1')?.group, FLUX_API_GROUPS.kustomize);
  assert.equal(kindByName('GitRepository', 'kustomize.toolkit.fluxcd.io/v1'), undefined);
  assert.equal(kindByName('Kustomization')?.group, FLUX_API_GROUPS.kustomize); // no apiVersion: by name only
});

test('every kind is in one of the Flux API groups; kustomization file names', () => {
  const groups: readonly string[] = Object.values(FLUX_API_GROUPS);
  for (const k of KINDS) assert.ok(groups.includes(k.group), `${k.kind}: ${k.group}`);
  assert.ok(!groups.includes(KUSTOMIZE_CONFIG_GROUP));
  assert.deepEqual([...KUSTOMIZATION_FILE_NAMES], ['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
  assert.ok(KUSTOMIZATION_FILE_NAMES.every(isKustomizationFileName));
  assert.equal(isKustomizationFileName('kustomization.json'), false);
  assert.equal(isKustomizationFileName('sub/kustomization.yaml'), false);
});

test('API versions served per Flux version', () => {
  const img = KINDS.find((k) => k.kind === 'ImageRepository');
  assert.ok(img);
  assert.deepEqual(servedApiVersions(img, '2.6'), [
    'image.toolkit.fluxcd.io/v1beta2',
    'image.toolkit.fluxcd.io/v1beta1',
  ]);
  assert.deepEqual(servedApiVersions(img, '2.9'), ['image.toolkit.fluxcd.io/v1']);
  assert.equal(preferredApiVersion(img, '2.6'), 'image.toolkit.fluxcd.io/v1beta2');
  assert.equal(preferredApiVersion(img, '2.7'), 'image.toolkit.fluxcd.io/v1');
  const oci = KINDS.find((k) => k.kind === 'OCIRepository');
  assert.ok(oci);
  assert.ok(servedApiVersions(oci, '2.7').includes('source.toolkit.fluxcd.io/v1beta2'));
  assert.ok(!servedApiVersions(oci, '2.8').includes('source.toolkit.fluxcd.io/v1beta2'));
});

test('fieldDef and enum version ranges (GitRepository aws from 2.9)', () => {
  const provider = fieldDef('GitRepository', ['spec', 'provider']);
  assert.ok(provider);
  assert.deepEqual(
    enumValuesFor(provider, '2.8').map((e) => e.value),
    ['generic', 'azure', 'github'],
  );
  assert.ok(enumValuesFor(provider, '2.9').some((e) => e.value === 'aws'));
  assert.equal(fieldDef('GitRepository', ['spec', 'serviceAccountName'])?.versions?.since, '2.7');
  assert.equal(fieldDef('Kustomization', ['spec', 'decryption', 'serviceAccountName'])?.azure, true);
  assert.equal(fieldDef('Kustomization', ['spec', 'serviceAccountName'])?.azure, false);
  assert.equal(fieldDef('HelmRepository', ['spec', 'serviceAccountName']), undefined);
  assert.ok(childFields('Kustomization', ['spec', 'decryption']).some((f) => f.path.at(-1) === 'serviceAccountName'));
  const types = fieldDef('Provider', ['spec', 'type']);
  assert.ok(types);
  const at27 = enumValuesFor(types, '2.7').map((e) => e.value);
  assert.ok(at27.includes('azureeventhub') && at27.includes('zulip') && !at27.includes('githubpullrequestcomment'));
  assert.ok(!enumValuesFor(types, '2.9').some((e) => e.value === 'zoom'));
});

test('controllersNeedingGate follows kinds and versions', () => {
  assert.deepEqual(controllersNeedingGate(['OCIRepository', 'ImageRepository']), [
    'source-controller',
    'image-reflector-controller',
  ]);
  assert.deepEqual(controllersNeedingGate(['HelmRelease'], '2.6'), []);
  assert.deepEqual(controllersNeedingGate(['HelmRelease'], '2.7'), ['helm-controller']);
  assert.deepEqual(controllersNeedingGate(['ImageUpdateAutomation']), [
    'source-controller',
    'image-automation-controller',
  ]);
  assert.deepEqual(controllersNeedingGate(['HelmRepository']), []);
  assert.deepEqual(controllersNeedingIdentity(['Provider', 'Bucket']), [
    'source-controller',
    'notification-controller',
  ]);
});

// --------------------------------------------------------------------------- roles and scopes

test('role GUIDs are well-formed, lower case and unique; ids and names unique', () => {
  for (const r of ROLES) {
    assert.match(r.guid, GUID_REGEX, r.id);
    assert.equal(r.guid, r.guid.toLowerCase());
  }
  assert.equal(new Set(ROLES.map((r) => r.guid)).size, ROLES.length);
  assert.equal(new Set(ROLES.map((r) => r.id)).size, ROLES.length);
  assert.equal(new Set(ROLES.map((r) => r.name.toLowerCase())).size, ROLES.length);
});

test('role lookups are case-insensitive and accept role definition ids', () => {
  assert.equal(roleByGuid('7F951DDA-4ED3-4680-A7CA-43FE172D538D')?.id, 'AcrPull');
  assert.equal(
    roleByGuid('/providers/Microsoft.Authorization/roleDefinitions/2a2b9908-6ea1-4ae2-8e65-a410df84e7d1')?.id,
    'StorageBlobDataReader',
  );
  assert.equal(roleByName('key vault crypto user')?.guid, '12338af0-0e69-4776-bea7-57ae8d297424');
  assert.equal(roleByName('acrpull')?.id, 'AcrPull');
  assert.equal(roleByGuid('00000000-0000-0000-0000-000000000001'), undefined);
});

test('every role referenced by a service exists and covers the service permissions', () => {
  for (const s of AZURE_SERVICES) {
    const refs: string[] = [...s.alternativeRoles];
    if (s.recommendedRole !== undefined) refs.push(s.recommendedRole);
    for (const id of refs)
      assert.ok(
        ROLES.some((r) => r.id === id),
        `${s.id} -> ${id}`,
      );
    if (s.recommendedRole !== undefined) {
      const role = roleById(s.recommendedRole);
      for (const a of s.requiredPermissions.actions) assert.ok(roleGrantsAction(role, a), `${role.id} ${a}`);
      for (const d of s.requiredPermissions.dataActions) assert.ok(roleGrantsDataAction(role, d), `${role.id} ${d}`);
    }
  }
});

test('permission wildcards and the Owner/Contributor no-dataActions rule', () => {
  assert.ok(
    permissionMatches('Microsoft.EventHub/*/send/action', 'Microsoft.EventHub/namespaces/messages/send/action'),
  );
  assert.ok(
    !permissionMatches('Microsoft.EventHub/*/send/action', 'Microsoft.EventHub/namespaces/messages/receive/action'),
  );
  const owner = roleById('Owner');
  assert.ok(!roleGrantsDataAction(owner, 'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'));
  assert.ok(roleGrantsAction(owner, 'Microsoft.ContainerRegistry/registries/pull/read'));
  const contributor = roleById('Contributor');
  assert.ok(!roleGrantsAction(contributor, 'Microsoft.Authorization/roleAssignments/write'));
  assert.ok(
    roleGrantsDataAction(
      roleById('StorageBlobDataOwner'),
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
    ),
  );
});

test('scope regexes match the documented formats and reject near misses', () => {
  const examples: Record<string, string> = {
    managementGroup: '/providers/Microsoft.Management/managementGroups/platform',
    subscription: `/subscriptions/${SUB}`,
    resourceGroup: RG,
    containerRegistry: `${RG}/providers/Microsoft.ContainerRegistry/registries/fluxacr`,
    storageAccount: `${RG}/providers/Microsoft.Storage/storageAccounts/fluxsa`,
    blobContainer: `${RG}/providers/Microsoft.Storage/storageAccounts/fluxsa/blobServices/default/containers/manifests`,
    keyVault: `${RG}/providers/Microsoft.KeyVault/vaults/flux-kv`,
    eventHubsNamespace: `${RG}/providers/Microsoft.EventHub/namespaces/flux-ns`,
    eventHub: `${RG}/providers/Microsoft.EventHub/namespaces/flux-ns/eventhubs/flux-events`,
    aksCluster: `${RG}/providers/Microsoft.ContainerService/managedClusters/prod`,
    aksNamespace: `${RG}/providers/Microsoft.ContainerService/managedClusters/prod/namespaces/apps`,
  };
  for (const [level, id] of Object.entries(examples)) {
    assert.equal(parseScope(id)?.level, level, id);
  }
  // ARM segment names are case-insensitive; trailing slash tolerated.
  assert.equal(parseScope(`/subscriptions/${SUB}/resourcegroups/flux-rg/`)?.level, 'resourceGroup');
  assert.equal(parseScope(examples.keyVault as string)?.params['vault'], 'flux-kv');
  // Near misses.
  assert.equal(parseScope('/subscriptions/not-a-guid'), undefined);
  assert.equal(parseScope(`/subscriptions/${SUB}/resourceGroups`), undefined);
  assert.equal(parseScope(`${RG}/providers/Microsoft.ContainerRegistry/registry/fluxacr`), undefined);
  assert.equal(
    parseScope(`${RG}/providers/Microsoft.Storage/storageAccounts/fluxsa/blobServices/default/containers`),
    undefined,
  );
  assert.equal(parseScope(`subscriptions/${SUB}`), undefined);
  assert.ok(!(SCOPE_REGEXES.keyVault as RegExp).test(`${RG}/providers/Microsoft.KeyVault/vaults/a/b`));
  // Every format's pattern, filled in, parses back to itself.
  for (const f of SCOPE_FORMATS) {
    if (f.id === 'root') continue;
    const params: Record<string, string> = {};
    for (const m of f.pattern.matchAll(/\{(\w+)\}/g))
      params[m[1] as string] = m[1] === 'subscriptionId' ? SUB : `x${m[1]}`;
    assert.equal(parseScope(formatScope(f.id, params))?.level, f.id, f.id);
  }
});

test('scopeCovers respects / boundaries and case', () => {
  assert.ok(scopeCovers(RG, `${RG}/providers/Microsoft.KeyVault/vaults/kv`));
  assert.ok(scopeCovers(RG.toUpperCase(), `${RG}/providers/Microsoft.KeyVault/vaults/kv`));
  assert.ok(!scopeCovers(RG, `${RG}2/providers/Microsoft.KeyVault/vaults/kv`));
  assert.ok(scopeCovers('/', RG));
});

test('role definition ids parse in both forms', () => {
  assert.equal(
    parseRoleDefinitionId('/providers/Microsoft.Authorization/roleDefinitions/7F951DDA-4ED3-4680-A7CA-43FE172D538D'),
    '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  );
  assert.equal(
    parseRoleDefinitionId(
      `/subscriptions/${SUB}/providers/Microsoft.Authorization/roleDefinitions/7f951dda-4ed3-4680-a7ca-43fe172d538d`,
    ),
    '7f951dda-4ed3-4680-a7ca-43fe172d538d',
  );
  assert.equal(parseRoleDefinitionId('/providers/Microsoft.Authorization/roleDefinitions/AcrPull'), undefined);
});

// --------------------------------------------------------------------------- services

test('endpoint regexes', () => {
  assert.ok(ACR_HOST_REGEX.test('myreg.azurecr.io'));
  assert.ok(ACR_HOST_REGEX.test('myreg.azurecr.cn'));
  assert.ok(!ACR_HOST_REGEX.test('azurecr.io'));
  assert.ok(!ACR_HOST_REGEX.test('ghcr.io'));
  assert.ok(isAcrReference('oci://myreg.azurecr.io/manifests/app'));
  assert.ok(!isAcrReference('oci://ghcr.io/fluxcd/app'));
  assert.ok(ADO_GIT_URL_REGEX.test('https://dev.azure.com/contoso/platform/_git/fleet'));
  assert.ok(!ADO_GIT_URL_REGEX.test('ssh://git@ssh.dev.azure.com/v3/contoso/platform/fleet'));
  assert.ok(!ADO_GIT_URL_REGEX.test('https://contoso.visualstudio.com/platform/_git/fleet'));
  assert.ok(!ADO_GIT_URL_REGEX.test('https://dev.azure.com/contoso/platform/_git/fleet/extra'));
  assert.ok(looksLikeAzureDevOps('https://contoso.visualstudio.com/platform/_git/fleet'));
  assert.ok(looksLikeAzureDevOps('ssh://git@ssh.dev.azure.com/v3/contoso/platform/fleet'));
  assert.ok(!looksLikeAzureDevOps('https://github.com/fluxcd/flux2'));
  assert.ok(BLOB_ENDPOINT_REGEX.test('https://fluxsa.blob.core.windows.net'));
  assert.ok(BLOB_ENDPOINT_REGEX.test('https://fluxsa.blob.core.chinacloudapi.cn/'));
  assert.ok(!BLOB_ENDPOINT_REGEX.test('https://fluxsa.dfs.core.windows.net'));
  assert.ok(
    EVENT_HUBS_CONNECTION_STRING_REGEX.test(
      'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc=;EntityPath=hub',
    ),
  );
  for (const s of AZURE_SERVICES) {
    for (const e of s.endpoints) assert.ok(new RegExp(e.regex, e.flags).test(e.example), `${s.id}: ${e.example}`);
  }
});

// --------------------------------------------------------------------------- workload identity and patches

test('workload identity constants', () => {
  assert.equal(WORKLOAD_IDENTITY_AUDIENCE, 'api://AzureADTokenExchange');
  assert.equal(OBJECT_LEVEL_WI_GATE_ARG, '--feature-gates=ObjectLevelWorkloadIdentity=true');
  assert.equal(federatedTokenFile(), '/var/run/service-account/azure-token');
  for (const c of AZURE_CLOUDS) assert.ok(c.authorityHost.endsWith('/'), c.id);
  assert.equal(new Set(WORKLOAD_IDENTITY_ANNOTATIONS.map((a) => a.key)).size, WORKLOAD_IDENTITY_ANNOTATIONS.length);
  assert.equal(
    serviceAccountSubject('flux-system', 'source-controller'),
    'system:serviceaccount:flux-system:source-controller',
  );
  assert.deepEqual(parseServiceAccountSubject('system:serviceaccount:apps:acr'), { namespace: 'apps', name: 'acr' });
  assert.equal(parseServiceAccountSubject('system:serviceaccount:Apps:acr'), undefined);
});

test('parseFeatureGatesArg', () => {
  const parsed = parseFeatureGatesArg(
    '--feature-gates=ObjectLevelWorkloadIdentity=true,CacheSecretsAndConfigMaps=false',
  );
  assert.equal(parsed?.gates.get('ObjectLevelWorkloadIdentity'), true);
  assert.equal(parsed?.gates.get('CacheSecretsAndConfigMaps'), false);
  assert.deepEqual(parseFeatureGatesArg('--feature-gates=ObjectLevelWorkloadIdentity')?.invalid, [
    'ObjectLevelWorkloadIdentity',
  ]);
  assert.equal(parseFeatureGatesArg('--log-level=info'), undefined);
});

test('patch builders produce the documented shapes', () => {
  const gate = gatePatch(['source-controller', 'image-reflector-controller']);
  assert.equal(gate.target.name, '(source-controller|image-reflector-controller)');
  assert.deepEqual(gate.patch, [{ op: 'add', path: JSON6902_PATHS.args, value: OBJECT_LEVEL_WI_GATE_ARG }]);

  const [sa, label] = aksControllerPatches({ controllers: ['kustomize-controller'], clientId: 'c', tenantId: 't' });
  assert.equal(sa.target.kind, 'ServiceAccount');
  assert.equal(sa.target.name, 'kustomize-controller');
  assert.deepEqual((sa.patch['metadata'] as { annotations: unknown }).annotations, {
    'azure.workload.identity/client-id': 'c',
    'azure.workload.identity/tenant-id': 't',
  });
  assert.equal(label.target.kind, 'Deployment');
  assert.deepEqual(label.patch['spec'], {
    template: { metadata: { labels: { 'azure.workload.identity/use': 'true' } } },
  });

  const nonAks = nonAksControllerPatch({
    controllers: ['source-controller'],
    clientId: 'c',
    tenantId: 't',
    cloud: 'china',
  });
  const env = nonAks.patch
    .filter((op) => op.path === JSON6902_PATHS.env)
    .map((op) => op.value as { name: string; value: string });
  assert.deepEqual(
    env.map((e) => e.name),
    ['AZURE_TENANT_ID', 'AZURE_CLIENT_ID', 'AZURE_AUTHORITY_HOST', 'AZURE_FEDERATED_TOKEN_FILE'],
  );
  assert.equal(env[2]?.value, 'https://login.chinacloudapi.cn/');
  const volume = nonAks.patch.find((op) => op.path === JSON6902_PATHS.volumes)?.value as {
    projected: { sources: { serviceAccountToken: { audience: string; path: string } }[] };
  };
  assert.equal(volume.projected.sources[0]?.serviceAccountToken.audience, WORKLOAD_IDENTITY_AUDIENCE);

  const cert = appCertificatePatch({
    controllers: ['source-controller'],
    clientId: 'c',
    tenantId: 't',
    secretName: 'app-cert',
    withKeyPassword: true,
    sendCertificateChain: true,
  });
  const mount = cert.patch.find((op: JsonPatchOperation) => op.path === JSON6902_PATHS.volumeMounts)?.value as {
    subPath: string;
  };
  assert.equal(mount.subPath, 'cert-and-key');
  const sendChain = cert.patch.find(
    (op) => (op.value as { name?: string }).name === 'AZURE_CLIENT_SEND_CERTIFICATE_CHAIN',
  )?.value as { value: unknown };
  assert.equal(typeof sendChain.value, 'string');

  const lock = lockdownPatches({
    controllers: ['source-controller', 'kustomize-controller', 'helm-controller'],
    serviceAccount: 'tenant',
    decryptionServiceAccount: 'sops',
    kubeConfigServiceAccount: 'remote',
  });
  assert.deepEqual(
    lock.map((p) => [p.target.name, (p.patch[0] as JsonPatchOperation).value]),
    [
      ['source-controller', '--default-service-account=tenant'],
      ['kustomize-controller', '--default-decryption-service-account=sops'],
      ['(kustomize-controller|helm-controller)', '--default-kubeconfig-service-account=remote'],
    ],
  );
  assert.equal(new Set(PATCH_KINDS.map((p) => p.id)).size, PATCH_KINDS.length);
});

test('target name regexes', () => {
  assert.equal(targetNameFor(['source-controller']), 'source-controller');
  assert.deepEqual(controllersMatchedBy('(source-controller|image-reflector-controller)'), [
    'source-controller',
    'image-reflector-controller',
  ]);
  assert.deepEqual(controllersMatchedBy('source'), []);
  assert.equal(controllersMatchedBy('.*-controller')?.length, 6);
  assert.equal(controllersMatchedBy('(unclosed'), undefined);
});

// --------------------------------------------------------------------------- secrets

test('Bucket key sets and sops.azure-kv resolution order', () => {
  assert.deepEqual(
    matchBucketKeySets(['tenantId', 'clientId']).map((s) => s.id),
    ['managedIdentity'],
  );
  assert.deepEqual(matchBucketKeySets(['tenantId']), []);
  assert.ok(
    matchBucketKeySets(['tenantId', 'clientId', 'clientCertificate']).some((s) => s.id === 'clientCertificate'),
  );
  assert.equal(BUCKET_AZURE_KEY_SETS.length, 5);
  assert.equal(resolveSopsAzureKv(['tenantId', 'clientId', 'clientSecret', 'clientCertificate'])?.id, 'clientSecret');
  assert.equal(resolveSopsAzureKv(['appId', 'tenant', 'password'])?.id, 'azCliOutput');
  assert.equal(resolveSopsAzureKv(['clientId'])?.id, 'managedIdentity');
  assert.equal(resolveSopsAzureKv(['tenantId']), undefined);
  assert.deepEqual(
    SOPS_AZURE_KV_COMBINATIONS.map((c) => c.id),
    ['clientSecret', 'clientCertificate', 'azCliOutput', 'managedIdentity'],
  );
});

test('three quoting rules for the send-chain boolean', () => {
  const byContext = Object.fromEntries(SEND_CHAIN_QUOTING_RULES.map((r) => [r.context, r.expected]));
  assert.deepEqual(byContext, { bucketSecret: 'string', sopsAzureKv: 'boolean', envVar: 'string' });
});

// --------------------------------------------------------------------------- placeholders

test('placeholders are found, but env var names and ${vars} are not', () => {
  assert.ok(isPlaceholder('CLIENT_ID'));
  assert.ok(isPlaceholder('(some-controller)'));
  assert.ok(isPlaceholder('<tenant ID>'));
  assert.ok(isPlaceholder('/subscriptions/SUBSCRIPTION_ID/resourceGroups/RESOURCE_GROUP_NAME'));
  assert.ok(!isPlaceholder('AZURE_TENANT_ID'));
  assert.ok(!isPlaceholder('${cluster_name}'));
  assert.ok(!isPlaceholder('3f2a1b4c-1111-2222-3333-444455556666'));
  assert.deepEqual(
    findPlaceholders('a CLIENT_ID b TENANT_ID').map((m) => m.text),
    ['CLIENT_ID', 'TENANT_ID'],
  );
});

// --------------------------------------------------------------------------- rules

test('rule codes are unique, prefixed, kebab-case; lookup works', () => {
  const codes = RULES.map((r) => r.code);
  assert.equal(new Set(codes).size, codes.length);
  for (const r of RULES) {
    assert.ok(r.code.startsWith(RULE_CODE_PREFIX), r.code);
    assert.match(r.code.slice(RULE_CODE_PREFIX.length), /^[a-z0-9]+(-[a-z0-9]+)*$/, r.code);
    assert.ok(r.explanation.length > 40, r.code);
    assert.ok(r.docsUrl.startsWith('https://'), r.code);
  }
  assert.equal(ruleByCode('flux-azure/gate-missing').severity, 'error');
  assert.equal(ruleByCode('nope'), undefined);
});

test('every fact-sheet rule 1..31 is covered by at least one rule entry', () => {
  for (let n = 1; n <= 31; n++) {
    assert.ok(
      RULES.some((r) => (r.factRules as readonly number[]).includes(n)),
      `fact rule ${n}`,
    );
  }
  assert.ok(
    RULES.filter((r) => !r.manifestCheckable).every((r) => r.severity === 'information' || r.severity === 'hint'),
  );
});

test('FLUX_VERSIONS are ordered', () => {
  for (let i = 1; i < FLUX_VERSIONS.length; i++)
    assert.ok(compareVersions(FLUX_VERSIONS[i] as string, FLUX_VERSIONS[i - 1] as string) > 0);
});
