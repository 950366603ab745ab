/**
 * The workspace's Azure integrations for the Azure permissions view: which object talks to which Azure resource,
 * as which identity, needing which role (or Azure DevOps group). Plain functions of parsed files and the workspace
 * index; the session answers `fluxAzure/integrations` with `collectIntegrations`.
 */
import {
  ANNOTATION_CLIENT_ID,
  ANNOTATION_TENANT_ID,
  AZURE_CLOUDS,
  AZURE_DEVOPS_SCOPE,
  BLOB_ENDPOINT_REGEX,
  ENV_CLIENT_ID,
  ENV_TENANT_ID,
  FLUX_NAMESPACE,
  ROLES,
  SCOPE_FORMATS,
  SOPS_AZURE_KV_KEY,
  AKS_CLUSTER_ID_REGEX,
  CLIENT_ID_KEYS,
  STATIC_CREDENTIAL_KEYS,
  TENANT_ID_KEYS,
  WORKLOAD_IDENTITY_AUDIENCE,
  isAcrReference,
  serviceAccountSubject,
  parseAdoGitUrl,
  registryHost,
  roleById,
  serviceById,
  type AzureServiceDef,
  type ControllerName,
  type ScopeLevel,
} from '../catalog';
import type {
  AzureIntegration,
  IntegrationIdentity,
  IntegrationNeed,
  IntegrationResource,
  IntegrationsResult,
  KnownRole,
  ManifestLocation,
} from '../../../shared/src/protocol';
import type { ManifestDoc, ManifestFile } from '../document/manifest';
import { entries, isScalar, items, nodeAt, type ScalarNode, type YamlNode } from '../document/nodes';
import type { Cluster, WorkspaceIndex } from '../workspace/workspaceIndex';
import { fluxPathDir, isInsideDir, uriToPath } from '../workspace/files';
import { controllerIdentitySetting, fluxKindOf, namespaceOf } from './rules/helpers';

/** Everything `fluxAzure/integrations` answers: the integrations and the catalog data the client needs. */
export function collectIntegrations(files: readonly ManifestFile[], index: WorkspaceIndex): IntegrationsResult {
  return {
    integrations: findIntegrations(files, index),
    clusters: index
      .clusters()
      .map((c) => ({ label: c.label, ...(c.aksClusterId ? { aksClusterId: c.aksClusterId } : {}) })),
    tokenExchangeAudience: WORKLOAD_IDENTITY_AUDIENCE,
    azureDevOpsScope: AZURE_DEVOPS_SCOPE,
    clouds: AZURE_CLOUDS.map((c) => ({
      id: c.id,
      name: c.name,
      armEndpoint: c.armEndpoint,
      armAudience: c.armAudience,
      authorityHost: c.authorityHost,
      portalUrl: c.portalUrl,
      ...(c.devOpsGraphEndpoint ? { devOpsGraphEndpoint: c.devOpsGraphEndpoint } : {}),
      graphEndpoint: c.graphEndpoint,
    })),
    roles: ROLES.map((r) => ({ guid: r.guid, name: r.name })),
    scopeFormats: SCOPE_FORMATS.map((f) => ({ id: f.id, label: f.label, pattern: f.pattern })),
  };
}

/** Credentials a Secret carries for Azure (Bucket `secretRef`, `sops.azure-kv`). */
interface SecretCredentials {
  clientId?: string;
  tenantId?: string;
  /** Shared key / SAS / connection string: not Entra ID, so not Azure RBAC. */
  staticKey: boolean;
  /** Keys present (names only, never values). */
  keys: Set<string>;
  /** Event Hubs namespace of a SAS connection string (`Endpoint=sb://<namespace>.servicebus...`), when readable. */
  sasNamespace?: string;
  location: ManifestLocation;
}

/** What the workspace says beyond one object: Secrets' credentials, GitRepositories, SOPS decryptors. */
interface Lookups {
  readonly index: WorkspaceIndex;
  readonly secrets: Map<string, SecretCredentials>;
  readonly gitRepositories: Map<string, ManifestDoc>;
  readonly configMaps: Map<string, ManifestDoc>;
  readonly decryptors: Decryptor[];
}

interface Decryptor {
  readonly doc: ManifestDoc;
  readonly namespace: string;
  /** Absolute directory the Kustomization applies. */
  readonly dir: string | undefined;
}

const key = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`;

function findIntegrations(files: readonly ManifestFile[], index: WorkspaceIndex): AzureIntegration[] {
  const lookups: Lookups = {
    index,
    secrets: new Map(),
    gitRepositories: new Map(),
    configMaps: new Map(),
    decryptors: [],
  };
  for (const file of files) {
    for (const doc of file.docs) {
      const name = doc.name;
      if (!name || !doc.kind) continue;
      const namespace = namespaceOf(doc, index);
      if (doc.kind === 'Secret' && doc.group === '') lookups.secrets.set(key(namespace, name), secretCredentials(doc));
      else if (doc.kind === 'ConfigMap' && doc.group === '') lookups.configMaps.set(key(namespace, name), doc);
      else if (doc.kind === 'GitRepository' && fluxKindOf(doc)) lookups.gitRepositories.set(key(namespace, name), doc);
      else if (doc.kind === 'Kustomization' && fluxKindOf(doc) && doc.get(['spec', 'decryption'])) {
        const path = doc.text(['spec', 'path']);
        const root = index.rootOf(uriToPath(file.uri) ?? '');
        lookups.decryptors.push({
          doc,
          namespace: namespace ?? FLUX_NAMESPACE,
          dir: root && path !== undefined ? fluxPathDir(root, path) : undefined,
        });
      }
    }
  }
  const out: AzureIntegration[] = [];
  for (const file of files) {
    for (const doc of file.docs) {
      try {
        out.push(...integrationsOf(doc, lookups));
      } catch {
        // A document the model cannot read contributes nothing; the rest of the workspace still answers.
      }
    }
  }
  const seen = new Set<string>();
  return out
    .filter((i) => (seen.has(i.key) ? false : (seen.add(i.key), true)))
    .sort((a, b) => a.object.location.uri.localeCompare(b.object.location.uri) || a.key.localeCompare(b.key));
}

/** What a Flux object (or a SOPS-encrypted file) integrates with. */
function integrationsOf(doc: ManifestDoc, lookups: Lookups): AzureIntegration[] {
  if (doc.get(['sops', 'azure_kv'])) return sopsIntegrations(doc, lookups);
  const lookup = fluxKindOf(doc);
  if (!lookup) return [];
  const kind = lookup.def.kind;
  const provider = doc.text(['spec', 'provider']);
  const sa = doc.text(['spec', 'serviceAccountName']);
  switch (kind) {
    case 'OCIRepository':
    case 'ImageRepository': {
      if (provider !== 'azure' || doc.get(['spec', 'secretRef'])) return [];
      const ref = doc.text(kind === 'OCIRepository' ? ['spec', 'url'] : ['spec', 'image']) ?? '';
      return withIdentities(doc, lookups, 'acr', acrResource(ref), sa, lookup.def.controller);
    }
    case 'HelmRepository': {
      if (provider !== 'azure' || doc.text(['spec', 'type']) !== 'oci' || doc.get(['spec', 'secretRef'])) return [];
      return withIdentities(
        doc,
        lookups,
        'acr',
        acrResource(doc.text(['spec', 'url']) ?? ''),
        undefined,
        lookup.def.controller,
      );
    }
    case 'GitRepository': {
      if (provider !== 'azure') return [];
      return withIdentities(
        doc,
        lookups,
        'azureDevOps',
        adoTarget(doc.text(['spec', 'url']) ?? '', kind),
        sa,
        lookup.def.controller,
      );
    }
    case 'ImageUpdateAutomation': {
      const ref = doc.get(['spec', 'sourceRef']);
      const name = textOf(nodeAt(ref, ['name']));
      const namespace = textOf(nodeAt(ref, ['namespace'])) ?? namespaceOf(doc, lookups.index);
      const git = name ? lookups.gitRepositories.get(key(namespace, name)) : undefined;
      if (!git || git.text(['spec', 'provider']) !== 'azure') return [];
      const target = adoTarget(git.text(['spec', 'url']) ?? '', kind);
      return withIdentities(
        doc,
        lookups,
        'azureDevOps',
        target,
        git.text(['spec', 'serviceAccountName']),
        lookup.def.controller,
        git,
      );
    }
    case 'Bucket': {
      if (provider !== 'azure') return [];
      const resource = blobResource(doc.text(['spec', 'endpoint']) ?? '', doc.text(['spec', 'bucketName']) ?? '');
      const secretName = doc.text(['spec', 'secretRef', 'name']);
      if (secretName) {
        const secretNamespace = namespaceOf(doc, lookups.index);
        const secret = lookups.secrets.get(key(secretNamespace, secretName));
        if (secret?.staticKey) {
          const storage = blobAccount(doc.text(['spec', 'endpoint']) ?? '');
          const localAuth = serviceById('blobStorage')?.localAuth;
          if (!localAuth || !secret.keys.has(localAuth.secretKey)) return [];
          return [localAuthIntegration(doc, lookups, 'blobStorage', storage, `${secretNamespace ?? ''}/${secretName}`)];
        }
        return [build(doc, lookups, 'blobStorage', resource, secretIdentity(secretName, secret))];
      }
      return withIdentities(doc, lookups, 'blobStorage', resource, sa, lookup.def.controller);
    }
    case 'Provider': {
      const type = doc.text(['spec', 'type']);
      if (type === 'azureeventhub') {
        const secretName = doc.text(['spec', 'secretRef', 'name']);
        if (secretName && !sa) {
          // SAS connection string (or a deprecated JWT): not Entra ID, but it needs local auth on the namespace.
          const secretNamespace = namespaceOf(doc, lookups.index);
          const secret = lookups.secrets.get(key(secretNamespace, secretName));
          const channel = doc.text(['spec', 'channel'])?.trim().split('.')[0];
          const namespace = secret?.sasNamespace ?? channel;
          const target: Target = namespace
            ? { resource: resourceAt('eventHubsNamespace', { namespace }, namespace) }
            : {
                unknown: `The Event Hubs namespace is not known: Secret ${secretName} is not readable in this workspace (encrypted or missing) and \`spec.channel\` is not set.`,
              };
          return [localAuthIntegration(doc, lookups, 'eventHubs', target, `${secretNamespace ?? ''}/${secretName}`)];
        }
        const resource = eventHubResource(doc.text(['spec', 'channel']), doc.text(['spec', 'address']));
        return withIdentities(doc, lookups, 'eventHubs', resource, sa, lookup.def.controller);
      }
      if (type === 'azuredevops') {
        if (doc.get(['spec', 'secretRef']) && !sa) return []; // personal access token
        const target = adoTarget(doc.text(['spec', 'address']) ?? '', 'Provider');
        return withIdentities(doc, lookups, 'azureDevOps', target, sa, lookup.def.controller);
      }
      return [];
    }
    case 'Kustomization':
    case 'HelmRelease': {
      const configMapName = doc.text(['spec', 'kubeConfig', 'configMapRef', 'name']);
      if (!configMapName) return [];
      const configMap = lookups.configMaps.get(key(namespaceOf(doc, lookups.index), configMapName));
      if (!configMap || configMap.text(['data', 'provider']) !== 'azure') return [];
      const resource = aksResource(configMap.text(['data', 'cluster']) ?? '');
      const sa = configMap.text(['data', 'serviceAccountName']);
      return withIdentities(doc, lookups, 'aks', resource, sa, lookup.def.controller);
    }
    default:
      return [];
  }
}

/** A target the manifest names (or why it cannot be told). */
type Target =
  | { resource: IntegrationResource }
  | { ado: { organization?: string; project?: string; group: string; alsoGranting?: string[] } }
  | { unknown: string };

function acrResource(ref: string): Target {
  const host = registryHost(ref);
  if (!host) return { unknown: 'The registry URL is empty.' };
  if (!isAcrReference(ref)) return { unknown: `'${host}' is not an Azure Container Registry login server.` };
  return { resource: resourceAt('containerRegistry', { registry: host.split('.')[0] as string }, host) };
}

/** The storage account of a Bucket endpoint (for account-level switches such as shared-key access). */
function blobAccount(endpoint: string): Target {
  const account = BLOB_ENDPOINT_REGEX.exec(endpoint.trim())?.[1];
  if (!account) return { unknown: `'${endpoint}' is not an Azure Blob Storage account endpoint.` };
  return { resource: resourceAt('storageAccount', { storageAccount: account }, endpoint.replace(/\/+$/, '')) };
}

function blobResource(endpoint: string, container: string): Target {
  const account = BLOB_ENDPOINT_REGEX.exec(endpoint.trim())?.[1];
  if (!account) return { unknown: `'${endpoint}' is not an Azure Blob Storage account endpoint.` };
  if (!container) return { unknown: 'The Bucket names no container (`spec.bucketName`).' };
  return {
    resource: resourceAt(
      'blobContainer',
      { storageAccount: account, container },
      `${endpoint.replace(/\/+$/, '')}/${container}`,
    ),
  };
}

function eventHubResource(channel: string | undefined, hub: string | undefined): Target {
  if (!channel)
    return { unknown: 'No Event Hubs namespace: `spec.channel` is not set, so the namespace cannot be known.' };
  const namespace = channel.trim().split('.')[0] as string;
  if (!hub) return { unknown: 'No event hub: `spec.address` is not set.' };
  return { resource: resourceAt('eventHub', { namespace, eventHub: hub.trim() }, `${namespace}/${hub.trim()}`) };
}

function keyVaultResource(vaultUrl: string): Target {
  let host: string;
  try {
    host = new URL(vaultUrl.trim()).hostname.toLowerCase();
  } catch {
    return { unknown: `'${vaultUrl}' is not a Key Vault URL.` };
  }
  if (!host.includes('.vault.')) return { unknown: `'${vaultUrl}' is not a Key Vault URL.` };
  return { resource: resourceAt('keyVault', { vault: host.split('.')[0] as string }, host) };
}

function aksResource(clusterId: string): Target {
  const id = clusterId.trim();
  if (!AKS_CLUSTER_ID_REGEX.test(id)) return { unknown: 'The kubeConfig ConfigMap has no AKS cluster id (`cluster`).' };
  return { resource: resourceAt('aksCluster', { cluster: id.split('/').pop() as string }, id) };
}

function adoTarget(url: string, kind: string): Target {
  const group = serviceById('azureDevOps')?.adoGroups?.[kind] ?? 'Readers';
  const parts = parseAdoGitUrl(url);
  if (!parts)
    return {
      unknown: `Azure DevOps, not Azure RBAC: the identity needs the '${group}' group of the project, but '${url}' is not of the form https://dev.azure.com/{org}/{project}/_git/{repo}.`,
    };
  const alsoGranting = serviceById('azureDevOps')?.adoGroupSupersets?.[group];
  return {
    ado: {
      organization: parts.org,
      project: parts.project,
      group,
      ...(alsoGranting ? { alsoGranting: [...alsoGranting] } : {}),
    },
  };
}

/**
 * The ARM resource of a target scope level: the top-level resource (the ancestor directly under a resource group)
 * and the path from it to the target, both read from the catalog's scope patterns.
 */
function resourceAt(level: ScopeLevel, params: Record<string, string>, display: string): IntegrationResource {
  const formats = new Map(SCOPE_FORMATS.map((f) => [f.id as string, f]));
  let top = formats.get(level)!;
  while (top.parent && top.parent !== 'resourceGroup') top = formats.get(top.parent)!;
  const target = formats.get(level)!;
  const m = /\/providers\/([^/]+\/[^/]+)\/\{([A-Za-z]+)\}$/.exec(top.pattern);
  const fill = (s: string) => s.replace(/\{([A-Za-z]+)\}/g, (whole, name: string) => params[name] ?? whole);
  const subPath = fill(target.pattern.slice(top.pattern.length));
  return {
    display,
    armType: m?.[1] ?? '',
    name: params[m?.[2] ?? ''] ?? '',
    ...(subPath ? { subPath } : {}),
    level,
  };
}

/**
 * One integration per identity the object runs as: its ServiceAccount (object level), or the reconciling
 * controller's identity in each cluster that applies the object (controller level).
 */
function withIdentities(
  doc: ManifestDoc,
  lookups: Lookups,
  serviceId: string,
  target: Target,
  serviceAccount: string | undefined,
  controller: ControllerName,
  identityDoc: ManifestDoc = doc,
): AzureIntegration[] {
  if (serviceAccount) {
    const namespace = namespaceOf(identityDoc, lookups.index);
    return [
      build(doc, lookups, serviceId, target, serviceAccountIdentity(lookups, serviceAccount, namespace, identityDoc)),
    ];
  }
  const clusters = lookups.index.clustersOf(doc.file.uri);
  if (clusters.length === 0)
    return [
      build(doc, lookups, serviceId, target, {
        unknown: `No cluster applies this file, so ${controller}'s identity is unknown.`,
      }),
    ];
  return clusters.map((cluster) =>
    build(doc, lookups, serviceId, target, controllerIdentity(cluster, controller), [cluster.label]),
  );
}

type IdentityOrWhy = IntegrationIdentity | { unknown: string };

function serviceAccountIdentity(
  lookups: Lookups,
  name: string,
  namespace: string | undefined,
  from: ManifestDoc,
): IdentityOrWhy {
  const label = `ServiceAccount ${namespace ? `${namespace}/` : ''}${name}`;
  const sa = lookups.index.serviceAccounts(name, namespace, from.file.uri)[0];
  if (!sa) return { unknown: `${label} is not defined in this workspace.` };
  const clientId = sa.annotations[ANNOTATION_CLIENT_ID];
  if (!clientId) return { unknown: `${label} has no ${ANNOTATION_CLIENT_ID} annotation.` };
  return {
    source: 'serviceAccount',
    label,
    clientId,
    ...(sa.annotations[ANNOTATION_TENANT_ID] ? { tenantId: sa.annotations[ANNOTATION_TENANT_ID] } : {}),
    location: { uri: sa.uri, range: sa.range },
    ...(namespace ? { serviceAccount: { namespace, name, subject: serviceAccountSubject(namespace, name) } } : {}),
  };
}

function controllerIdentity(cluster: Cluster, controller: ControllerName): IdentityOrWhy {
  const label = `${controller} (${cluster.label})`;
  const setting = controllerIdentitySetting(cluster, controller);
  if (setting) {
    const clientId = setting.annotations[ANNOTATION_CLIENT_ID] ?? setting.env[ENV_CLIENT_ID];
    const tenantId = setting.annotations[ANNOTATION_TENANT_ID] ?? setting.env[ENV_TENANT_ID];
    return {
      source: 'controller',
      label,
      clientId,
      ...(tenantId ? { tenantId } : {}),
      location: { uri: setting.uri, range: setting.range },
      // The controller's Deployment runs as the ServiceAccount of its name in flux-system.
      serviceAccount: {
        namespace: FLUX_NAMESPACE,
        name: controller,
        subject: serviceAccountSubject(FLUX_NAMESPACE, controller),
      },
      ...(setting.annotations[ANNOTATION_CLIENT_ID] ? { viaWebhook: true } : {}),
    };
  }
  return {
    unknown: `${label} has no Azure identity in this repository (no client id annotation or ${ENV_CLIENT_ID}); it may use the AKS kubelet identity, which the manifests do not name.`,
  };
}

function secretIdentity(name: string, secret: SecretCredentials | undefined): IdentityOrWhy {
  const label = `Secret ${name}`;
  if (!secret) return { unknown: `${label} is not defined in this workspace.` };
  if (!secret.clientId) return { unknown: `${label} has no readable clientId (encrypted or missing).` };
  return {
    source: 'secret',
    label,
    clientId: secret.clientId,
    ...(secret.tenantId ? { tenantId: secret.tenantId } : {}),
    location: secret.location,
  };
}

function build(
  doc: ManifestDoc,
  lookups: Lookups,
  serviceId: string,
  target: Target,
  identity: IdentityOrWhy,
  clusters?: string[],
  at?: ScalarNode,
): AzureIntegration {
  const service = serviceById(serviceId) as AzureServiceDef;
  const namespace = namespaceOf(doc, lookups.index);
  const name = doc.name ?? '';
  const span = at ?? doc.get(['metadata', 'name']) ?? doc.root;
  const need: IntegrationNeed =
    'ado' in target
      ? { kind: 'adoGroup', ...target.ado }
      : service.adoGroups
        ? { kind: 'adoGroup', group: service.adoGroups[doc.kind ?? ''] ?? 'Readers' }
        : azureRoleNeed(service);
  const unknown = 'unknown' in target ? target.unknown : 'unknown' in identity ? identity.unknown : undefined;
  const realIdentity = 'unknown' in identity ? undefined : identity;
  const location: ManifestLocation = {
    uri: doc.file.uri,
    range: span ? doc.range(span) : doc.range({ start: 0, end: 0 }),
  };
  return {
    key: [
      doc.file.uri,
      location.range.start.line,
      service.id,
      realIdentity?.clientId ?? realIdentity?.label ?? clusters?.join(',') ?? '',
    ].join('#'),
    clusters: clusters ?? lookups.index.clustersOf(doc.file.uri).map((c) => c.label),
    object: { kind: doc.kind ?? '', name, ...(namespace ? { namespace } : {}), location },
    service: { id: service.id, name: service.name, abbreviation: service.abbreviation },
    ...('resource' in target ? { resource: target.resource } : {}),
    ...(realIdentity ? { identity: realIdentity } : {}),
    need,
    ...(unknown ? { unknown } : {}),
    ...(namespace ? { namespace } : {}),
  };
}

function azureRoleNeed(service: AzureServiceDef): IntegrationNeed {
  const known = (ids: readonly NonNullable<AzureServiceDef['recommendedRole']>[]): KnownRole[] =>
    ids.map((id) => roleById(id)).map((r) => ({ guid: r.guid, name: r.name }));
  return {
    kind: 'azureRole',
    roles: rolesFor(service),
    ...(service.abacRoles ? { abacRoles: known(service.abacRoles) } : {}),
    ...(service.accessPolicyKeys
      ? {
          accessPolicyKeys: {
            required: [...service.accessPolicyKeys.required],
            grant: [...service.accessPolicyKeys.grant],
          },
        }
      : {}),
  };
}

/** A static credential of a Secret that needs the resource's local authentication (shared key, SAS). */
function localAuthIntegration(
  doc: ManifestDoc,
  lookups: Lookups,
  serviceId: 'blobStorage' | 'eventHubs',
  target: Target,
  secret: string,
): AzureIntegration {
  const built = build(doc, lookups, serviceId, target, {
    source: 'secret',
    label: `Secret ${secret.replace(/^\//, '')}`,
    ...(lookups.secrets.get(secret)?.location ? { location: lookups.secrets.get(secret)!.location } : {}),
  });
  const check = serviceById(serviceId)!.localAuth!.check;
  return { ...built, key: `${built.key}#local`, need: { kind: 'localAuth', check, secret } };
}

function rolesFor(service: AzureServiceDef): { guid: string; name: string }[] {
  const ids = [service.recommendedRole, ...service.alternativeRoles].filter((id): id is NonNullable<typeof id> => !!id);
  return ids.map((id) => roleById(id)).map((r) => ({ guid: r.guid, name: r.name }));
}

/** SOPS-encrypted documents with Key Vault keys: decrypted by the Kustomization whose path applies the file. */
function sopsIntegrations(doc: ManifestDoc, lookups: Lookups): AzureIntegration[] {
  const path = uriToPath(doc.file.uri);
  const out: AzureIntegration[] = [];
  for (const entry of items(doc.get(['sops', 'azure_kv']))) {
    const urlNode = nodeAt(entry, ['vault_url']);
    if (!isScalar(urlNode)) continue;
    const target = keyVaultResource(urlNode.text);
    const decryptors = lookups.decryptors
      .filter((d) => d.dir && path && isInsideDir(d.dir, path))
      .sort((a, b) => (b.dir?.length ?? 0) - (a.dir?.length ?? 0));
    // The nearest Kustomization applies the file; several clusters may each have one for the same directory.
    const nearest = decryptors.filter((d) => d.dir === decryptors[0]?.dir);
    if (nearest.length === 0) {
      out.push(
        build(
          doc,
          lookups,
          'keyVault',
          target,
          { unknown: 'No Flux Kustomization with `spec.decryption` applies this file.' },
          undefined,
          urlNode,
        ),
      );
      continue;
    }
    for (const d of nearest) {
      const clusters = lookups.index.clustersOf(d.doc.file.uri);
      const sa = d.doc.text(['spec', 'decryption', 'serviceAccountName']);
      const secretName = d.doc.text(['spec', 'decryption', 'secretRef', 'name']);
      let identities: { identity: IdentityOrWhy; clusters?: string[] }[];
      if (secretName) {
        const secret = lookups.secrets.get(key(d.namespace, secretName));
        identities = [{ identity: secretIdentity(secretName, secret) }];
      } else if (sa) {
        identities = [{ identity: serviceAccountIdentity(lookups, sa, d.namespace, d.doc) }];
      } else {
        identities = clusters.map((c) => ({
          identity: controllerIdentity(c, fluxKindOf(d.doc)!.def.controller),
          clusters: [c.label],
        }));
      }
      for (const { identity, clusters: only } of identities)
        out.push(build(doc, lookups, 'keyVault', target, identity, only ?? clusters.map((c) => c.label), urlNode));
    }
  }
  return out;
}

/** Client and tenant ids of a Secret: plain keys (Bucket) or the nested `sops.azure-kv` document. */
function secretCredentials(doc: ManifestDoc): SecretCredentials {
  const values = new Map<string, string>();
  const nameNode = doc.get(['metadata', 'name']);
  const location = { uri: doc.file.uri, range: nameNode ? doc.range(nameNode) : doc.range({ start: 0, end: 0 }) };
  const read = (map: YamlNode | undefined, base64: boolean) => {
    for (const pair of entries(map)) {
      if (!isScalar(pair.value)) continue;
      const text = base64 ? Buffer.from(pair.value.text, 'base64').toString('utf8') : pair.value.text;
      if (pair.key.text === SOPS_AZURE_KV_KEY) {
        const nested = doc.nestedYaml(pair.value, base64 ? 'base64' : undefined);
        for (const inner of entries(nested?.root))
          if (isScalar(inner.value)) values.set(inner.key.text, inner.value.text);
      } else values.set(pair.key.text, text);
    }
  };
  read(doc.get(['data']), true);
  read(doc.get(['stringData']), false);
  const plain = (k: string) => {
    const v = values.get(k);
    return v && !v.startsWith('ENC[') ? v.trim() : undefined;
  };
  const first = (keys: readonly string[]) => keys.map(plain).find((v) => v !== undefined);
  const clientId = first(CLIENT_ID_KEYS);
  const tenantId = first(TENANT_ID_KEYS);
  // Only the namespace's name is kept from a connection string; the key in it is never read out.
  const sasNamespace = /^Endpoint=sb:\/\/([A-Za-z0-9-]+)\./i.exec(plain('address') ?? '')?.[1];
  return {
    ...(clientId ? { clientId } : {}),
    ...(tenantId ? { tenantId } : {}),
    staticKey: STATIC_CREDENTIAL_KEYS.some((k) => values.has(k)) && !clientId,
    keys: new Set(values.keys()),
    ...(sasNamespace ? { sasNamespace } : {}),
    location,
  };
}

function textOf(node: YamlNode | undefined): string | undefined {
  return isScalar(node) ? node.text : undefined;
}
