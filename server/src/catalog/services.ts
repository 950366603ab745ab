/**
 * Azure services Flux integrates with: how to recognise their endpoints, which role to grant on
 * which scope, and which token scopes Flux requests.
 */
import { fluxAzureDocs } from './docs';
import type { RoleId } from './roles';
import type { ScopeLevel } from './scopes';
import type { VersionRange } from './versions';
import { lookup, type Keyed } from './table';

export interface EndpointPatternDef {
  readonly description: string;
  /** RegExp source (no flags implied; see `flags`). */
  readonly regex: string;
  readonly flags?: string;
  readonly example: string;
}

export interface TokenScopeDef {
  readonly scope: string;
  readonly purpose: string;
  readonly versions?: VersionRange;
  /** True when the exact string is inferred rather than read from source. */
  readonly inferred?: boolean;
}

/** Shape of a `AZURE_SERVICES` entry before its `id` is narrowed to `AzureServiceId`. */
export interface AzureServiceShape {
  readonly id: string;
  readonly name: string;
  readonly abbreviation: string;
  /** Whether access is governed by Azure RBAC (false for Azure DevOps and Teams). */
  readonly azureRbac: boolean;
  readonly recommendedRole?: RoleId;
  /** Roles that also work, e.g. the ABAC-mode alternative or supersets (for coverage hints). */
  readonly alternativeRoles: readonly RoleId[];
  /** Permissions Flux actually exercises (for custom-role coverage checks). */
  readonly requiredPermissions: { readonly actions: readonly string[]; readonly dataActions: readonly string[] };
  /** The resource's own scope level. */
  readonly resourceScope?: ScopeLevel;
  /** Levels on which the role can be granted, narrowest first. */
  readonly grantScopes: readonly ScopeLevel[];
  readonly endpoints: readonly EndpointPatternDef[];
  readonly tokenScopes: readonly TokenScopeDef[];
  /** Roles that count instead of the others when the resource uses ABAC repository permissions (ACR). */
  readonly abacRoles?: readonly RoleId[];
  /**
   * Vaults on access policies (not Azure RBAC): key permissions an access policy of the identity must grant
   * (`required`, what SOPS decryption calls) and those to grant when one is missing (`grant`).
   */
  readonly accessPolicyKeys?: { readonly required: readonly string[]; readonly grant: readonly string[] };
  /**
   * A static credential in a Secret (account key, SAS connection string) works only while the resource allows local
   * authentication: the check, the Secret key that carries the credential, and the scope level of the switch.
   */
  readonly localAuth?: {
    readonly check: 'storageSharedKey' | 'eventHubsLocalAuth';
    readonly secretKey: string;
    readonly scope: ScopeLevel;
  };
  /** Azure DevOps only: project group needed per Flux kind. */
  readonly adoGroups?: Readonly<Record<string, string>>;
  /** Azure DevOps only: project groups whose members also have what a group grants (Contributors can read). */
  readonly adoGroupSupersets?: Readonly<Record<string, readonly string[]>>;
  /** Flux kinds that use the service. */
  readonly kinds: readonly string[];
  readonly appCertificateSupported: boolean;
  readonly notes: readonly string[];
  readonly docsUrl: string;
}

/** ACR login server host; Flux rejects `provider: azure` for any other host ("invalid Azure registry"). */
export const ACR_HOST_REGEX = /^.+\.(azurecr\.io|azurecr\.cn|azurecr\.de|azurecr\.us)$/;
/** Azure Blob endpoint of a storage account, any of the three clouds. Group 1 = account name. */
export const BLOB_ENDPOINT_REGEX =
  /^https:\/\/([a-z0-9]{3,24})\.blob\.core\.(?:windows\.net|usgovcloudapi\.net|chinacloudapi\.cn)\/?$/;
/** The only Azure DevOps Git URL form Flux accepts with `provider: azure`. Groups: org, project, repo. */
export const ADO_GIT_URL_REGEX = /^https:\/\/dev\.azure\.com\/([^/?#\s]+)\/([^/?#\s]+)\/_git\/([^/?#\s]+)$/;
/** URLs that are Azure DevOps but not in the accepted form (SSH, legacy visualstudio.com, user-info prefix). */
const ADO_OTHER_URL_REGEX =
  /^(?:ssh:\/\/[^/]*ssh\.dev\.azure\.com\/|git@ssh\.dev\.azure\.com:|https:\/\/[^/]+\.visualstudio\.com\/|https:\/\/[^/@]+@dev\.azure\.com\/)/;
/** A short Event Hubs namespace name or a full namespace host in one of the clouds. */
const EVENT_HUBS_NAMESPACE_REGEX =
  /^[A-Za-z][A-Za-z0-9-]{4,48}[A-Za-z0-9](?:\.servicebus\.(?:windows\.net|usgovcloudapi\.net|chinacloudapi\.cn))?$/;
/** Event Hubs SAS connection string (the Secret `address` of an azureeventhub Provider). */
export const EVENT_HUBS_CONNECTION_STRING_REGEX =
  /^Endpoint=sb:\/\/[^;]+;SharedAccessKeyName=[^;]+;SharedAccessKey=[^;]+(?:;EntityPath=[^;]+)?;?$/;

/** Azure DevOps first-party application id (token audience). */
const AZURE_DEVOPS_APP_ID = '499b84ac-1321-427f-aa17-267ca6975798';
/** Token scope for Azure DevOps Services (Git, commit statuses, and its REST API). */
export const AZURE_DEVOPS_SCOPE = `${AZURE_DEVOPS_APP_ID}/.default`;
/** AKS AAD server application id (token audience). */
const AKS_AAD_SERVER_APP_ID = '6dae42f8-4368-4678-94ff-3960e28e3630';

const AZURE_SERVICES_LITERAL = [
  {
    id: 'acr',
    name: 'Azure Container Registry',
    abbreviation: 'ACR',
    azureRbac: true,
    recommendedRole: 'AcrPull',
    alternativeRoles: ['ContainerRegistryRepositoryReader', 'AcrPush', 'Reader', 'Contributor', 'Owner'],
    // Registries in "RBAC Registry + ABAC Repository Permissions" mode honour only the repository roles.
    abacRoles: ['ContainerRegistryRepositoryReader'],
    requiredPermissions: { actions: ['Microsoft.ContainerRegistry/registries/pull/read'], dataActions: [] },
    resourceScope: 'containerRegistry',
    grantScopes: ['containerRegistry', 'resourceGroup', 'subscription', 'managementGroup'],
    endpoints: [
      {
        description:
          'Registry host `<name>.azurecr.io` (or `.azurecr.us`, `.azurecr.cn`, legacy `.azurecr.de`; private clouds: `containerRegistryDNSSuffix` from `AZURE_ENVIRONMENT_FILEPATH`).',
        regex: ACR_HOST_REGEX.source,
        example: 'myregistry.azurecr.io',
      },
    ],
    tokenScopes: [
      {
        scope: 'https://management.azure.com/.default',
        purpose: 'Entra token exchanged for an ACR refresh token (ARM audience of the registry cloud).',
        versions: { until: '2.8' },
        inferred: true,
      },
      {
        scope: 'https://containerregistry.azure.net/.default',
        purpose: 'ACR-specific scope used since source-controller 1.8.',
        versions: { since: '2.8' },
        inferred: true,
      },
    ],
    kinds: ['OCIRepository', 'HelmRepository', 'ImageRepository', 'ImagePolicy'],
    appCertificateSupported: false,
    notes: [
      'Registries in ABAC repository-permissions mode ignore AcrPull/AcrPush; grant Container Registry Repository Reader.',
      'Node-level (kubelet) identity is supported on AKS, still with `provider: azure`.',
      'Static credentials use username `00000000-0000-0000-0000-000000000000` with an ACR refresh token.',
    ],
    docsUrl: fluxAzureDocs('acr'),
  },
  {
    id: 'blobStorage',
    name: 'Azure Blob Storage',
    abbreviation: 'ABS',
    azureRbac: true,
    recommendedRole: 'StorageBlobDataReader',
    alternativeRoles: ['StorageBlobDataContributor', 'StorageBlobDataOwner'],
    localAuth: { check: 'storageSharedKey', secretKey: 'accountKey', scope: 'storageAccount' },
    requiredPermissions: {
      actions: [],
      dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
    },
    resourceScope: 'blobContainer',
    grantScopes: ['blobContainer', 'storageAccount', 'resourceGroup', 'subscription', 'managementGroup'],
    endpoints: [
      {
        description:
          'Account endpoint `https://<account>.blob.core.windows.net` (US Gov `.blob.core.usgovcloudapi.net`, China `.blob.core.chinacloudapi.cn`); the account name is the first DNS label.',
        regex: BLOB_ENDPOINT_REGEX.source,
        example: 'https://mystorageaccount.blob.core.windows.net',
      },
    ],
    tokenScopes: [{ scope: 'https://storage.azure.com/.default', purpose: 'Blob data-plane access.', inferred: true }],
    kinds: ['Bucket'],
    appCertificateSupported: true,
    notes: ['`.spec.bucketName` is the blob container name.'],
    docsUrl: fluxAzureDocs('blob'),
  },
  {
    id: 'keyVault',
    name: 'Azure Key Vault',
    abbreviation: 'AKV',
    azureRbac: true,
    recommendedRole: 'KeyVaultCryptoUser',
    alternativeRoles: ['KeyVaultCryptoOfficer', 'KeyVaultAdministrator'],
    // SOPS decrypts the data key with the key version named in the file: `decrypt`; `get` lets it read the key.
    accessPolicyKeys: { required: ['decrypt'], grant: ['get', 'decrypt'] },
    requiredPermissions: { actions: [], dataActions: ['Microsoft.KeyVault/vaults/keys/decrypt/action'] },
    resourceScope: 'keyVault',
    grantScopes: ['keyVault', 'resourceGroup', 'subscription', 'managementGroup'],
    endpoints: [
      {
        description: 'Vault key URL in SOPS metadata, `https://<vault>.vault.azure.net/keys/<key>/<version>`.',
        regex:
          '^https://([a-zA-Z0-9-]{3,24})\\.vault\\.(?:azure\\.net|usgovcloudapi\\.net|azure\\.cn)/keys/[^/]+(?:/[^/]*)?$',
        example: 'https://myvault.vault.azure.net/keys/sops/0123456789abcdef0123456789abcdef',
      },
    ],
    tokenScopes: [
      { scope: 'https://vault.azure.net/.default', purpose: 'Key Vault data plane (SOPS decrypt).', inferred: true },
    ],
    kinds: ['Kustomization'],
    appCertificateSupported: true,
    notes: ['Key Vault Crypto User only works on vaults with the Azure RBAC permission model.'],
    docsUrl: fluxAzureDocs('keyVault'),
  },
  {
    id: 'eventHubs',
    name: 'Azure Event Hubs',
    abbreviation: 'AEH',
    azureRbac: true,
    recommendedRole: 'AzureEventHubsDataSender',
    alternativeRoles: ['AzureEventHubsDataOwner'],
    localAuth: { check: 'eventHubsLocalAuth', secretKey: 'address', scope: 'eventHubsNamespace' },
    requiredPermissions: { actions: [], dataActions: ['Microsoft.EventHub/namespaces/messages/send/action'] },
    resourceScope: 'eventHub',
    grantScopes: ['eventHub', 'eventHubsNamespace', 'resourceGroup', 'subscription', 'managementGroup'],
    endpoints: [
      {
        description:
          'With Entra ID: Provider `.spec.channel` = namespace (short name gets the cloud suffix from `AZURE_AUTHORITY_HOST`), `.spec.address` = event hub name.',
        regex: EVENT_HUBS_NAMESPACE_REGEX.source,
        example: 'my-namespace',
      },
      {
        description: 'With SAS: Secret key `address` = connection string containing `SharedAccessKey`.',
        regex: EVENT_HUBS_CONNECTION_STRING_REGEX.source,
        example:
          'Endpoint=sb://my-namespace.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=<key>;EntityPath=my-hub',
      },
    ],
    tokenScopes: [
      { scope: 'https://eventhubs.azure.net//.default', purpose: 'Event Hubs send (note the double slash).' },
    ],
    kinds: ['Provider'],
    appCertificateSupported: true,
    notes: ['`address` = hub name and `channel` = namespace: the reverse of what many expect.'],
    docsUrl: fluxAzureDocs('eventHubs'),
  },
  {
    id: 'azureDevOps',
    name: 'Azure DevOps',
    abbreviation: 'ADO',
    azureRbac: false,
    alternativeRoles: [],
    requiredPermissions: { actions: [], dataActions: [] },
    grantScopes: [],
    endpoints: [
      {
        description: 'Git repository URL `https://dev.azure.com/{org}/{project}/_git/{repo}` (HTTPS only).',
        regex: ADO_GIT_URL_REGEX.source,
        example: 'https://dev.azure.com/contoso/platform/_git/fleet',
      },
    ],
    tokenScopes: [
      {
        scope: AZURE_DEVOPS_SCOPE,
        purpose: 'Azure DevOps first-party application; used as a bearer token for Git and commit statuses.',
      },
    ],
    adoGroups: { GitRepository: 'Readers', ImageUpdateAutomation: 'Contributors', Provider: 'Contributors' },
    adoGroupSupersets: {
      Readers: ['Contributors', 'Project Administrators'],
      Contributors: ['Project Administrators'],
    },
    kinds: ['GitRepository', 'ImageUpdateAutomation', 'Provider'],
    appCertificateSupported: true,
    notes: [
      'Not Azure RBAC: onboard the service principal into the organization (entitlement), then add it to the project group.',
      'The organization must be connected to the Entra tenant.',
      'Azure Service Operator cannot manage Azure DevOps.',
    ],
    docsUrl: fluxAzureDocs('ado'),
  },
  {
    id: 'aks',
    name: 'Azure Kubernetes Service (remote clusters)',
    abbreviation: 'AKS',
    azureRbac: true,
    recommendedRole: 'AksClusterUserRole',
    alternativeRoles: ['Contributor', 'Owner'],
    requiredPermissions: {
      actions: [
        'Microsoft.ContainerService/managedClusters/read',
        'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
      ],
      dataActions: [],
    },
    resourceScope: 'aksCluster',
    grantScopes: ['aksCluster', 'resourceGroup', 'subscription', 'managementGroup'],
    endpoints: [
      {
        description: 'kubeConfig ConfigMap `cluster` key: the AKS cluster ARM id.',
        regex:
          '^/subscriptions/[^/]{36}/resourceGroups/[^/]+/providers/Microsoft\\.ContainerService/managedClusters/[^/]+$',
        flags: 'i',
        example:
          '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/prod',
      },
    ],
    tokenScopes: [
      { scope: `${AKS_AAD_SERVER_APP_ID}/.default`, purpose: 'AKS API server (Entra ID integration).' },
      {
        scope: 'https://management.azure.com/.default',
        purpose: 'ARM `Get` and `ListClusterUserCredentials` on the cluster (cloud-specific host).',
      },
    ],
    kinds: ['Kustomization', 'HelmRelease'],
    appCertificateSupported: true,
    notes: [
      'Flux 2.7+.',
      'Cluster must have Entra ID integration (AAD profile).',
      'In-cluster permissions: RoleBindings for the principal ID, or Azure RBAC for Kubernetes on cluster/namespace scope.',
    ],
    docsUrl: fluxAzureDocs('aks'),
  },
  {
    id: 'teams',
    name: 'Microsoft Teams (webhook)',
    abbreviation: 'Teams',
    azureRbac: false,
    alternativeRoles: [],
    requiredPermissions: { actions: [], dataActions: [] },
    grantScopes: [],
    endpoints: [
      {
        description:
          'Teams Workflows webhook URL; hosts ending in `.webhook.office.com` get the legacy connector card format.',
        regex: '^https://\\S+$',
        example: 'https://prod-00.westeurope.logic.azure.com:443/workflows/...',
      },
    ],
    tokenScopes: [],
    kinds: ['Provider'],
    appCertificateSupported: false,
    notes: ['No Entra ID: no workload identity, no role. `channel` is not supported.'],
    docsUrl: 'https://fluxcd.io/flux/components/notification/providers/#microsoft-teams',
  },
] as const satisfies readonly AzureServiceShape[];

export type AzureServiceId = (typeof AZURE_SERVICES_LITERAL)[number]['id'];

export type AzureServiceDef = Keyed<AzureServiceShape, 'id', AzureServiceId>;

export const AZURE_SERVICES: readonly AzureServiceDef[] = AZURE_SERVICES_LITERAL;

export const serviceById = lookup(AZURE_SERVICES, 'id');

/** Host of an `oci://host/path` or `host/path` reference (lower case), or undefined. */
export function registryHost(urlOrImage: string): string | undefined {
  const m = /^(?:oci:\/\/)?([^/\s]+)/.exec(urlOrImage.trim());
  return m?.[1]?.replace(/:\d+$/, '').toLowerCase();
}

/** True when the reference points at an ACR registry. */
export function isAcrReference(urlOrImage: string): boolean {
  const host = registryHost(urlOrImage);
  return host !== undefined && ACR_HOST_REGEX.test(host);
}

/** Parts of an accepted Azure DevOps Git URL, or undefined. */
export function parseAdoGitUrl(url: string): { org: string; project: string; repo: string } | undefined {
  const m = ADO_GIT_URL_REGEX.exec(url.trim());
  if (!m) return undefined;
  return { org: m[1] as string, project: m[2] as string, repo: m[3] as string };
}

/** True for any URL that looks like Azure DevOps (accepted form or not). */
export function looksLikeAzureDevOps(url: string): boolean {
  const u = url.trim();
  return ADO_GIT_URL_REGEX.test(u) || ADO_OTHER_URL_REGEX.test(u) || /(^|[/@.])dev\.azure\.com[/:]/.test(u);
}
