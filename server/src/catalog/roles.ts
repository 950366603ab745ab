/**
 * Azure built-in roles Flux integrations need (and well-known roles that also satisfy them),
 * with permissions for coverage checks.
 */
import { OTHER_DOCS } from './docs';
import { lookup, type Keyed } from './table';

/** Shape of a `ROLES` entry before its `id` is narrowed to `RoleId`. */
export interface RoleShape {
  /** Stable key used across the catalog (PascalCase, no spaces). */
  readonly id: string;
  /** Display name (`roleName`) as Azure shows it. */
  readonly name: string;
  /** Role definition GUID (lower case). */
  readonly guid: string;
  readonly description: string;
  readonly actions: readonly string[];
  readonly notActions?: readonly string[];
  readonly dataActions: readonly string[];
  /** Things that make a grant of this role ineffective although it looks right. */
  readonly caveats: readonly string[];
  /** True for the role the Flux docs recommend for an integration. */
  readonly recommended: boolean;
  /** True when the permissions listed are only the part relevant to Flux (the real role has more). */
  readonly abridged?: boolean;
  readonly docsUrl: string;
}

const ROLE_DOCS = OTHER_DOCS.builtInRoles;

const ROLES_LITERAL = [
  {
    id: 'AcrPull',
    name: 'AcrPull',
    guid: '7f951dda-4ed3-4680-a7ca-43fe172d538d',
    description:
      'Pull images and OCI artifacts from a container registry. Recommended for OCIRepository, OCI HelmRepository, ImageRepository and ImagePolicy.',
    actions: ['Microsoft.ContainerRegistry/registries/pull/read'],
    dataActions: [],
    caveats: [
      'Registries in "RBAC Registry + ABAC Repository Permissions" mode ignore AcrPull; grant **Container Registry Repository Reader** instead.',
    ],
    recommended: true,
    docsUrl: `${ROLE_DOCS}/containers#acrpull`,
  },
  {
    id: 'ContainerRegistryRepositoryReader',
    name: 'Container Registry Repository Reader',
    guid: 'b93aa761-3e63-49ed-ac28-beffa264f7ac',
    description:
      'Read repository content and metadata (tags) in registries that use ABAC repository permissions. The alternative to AcrPull for ABAC-mode registries.',
    actions: [],
    dataActions: [
      'Microsoft.ContainerRegistry/registries/repositories/content/read',
      'Microsoft.ContainerRegistry/registries/repositories/metadata/read',
    ],
    caveats: [
      'Does not include catalog listing (Flux does not need it).',
      'Only meaningful for registries in ABAC repository-permissions mode.',
    ],
    recommended: false,
    docsUrl: OTHER_DOCS.acrAbac,
  },
  {
    id: 'StorageBlobDataReader',
    name: 'Storage Blob Data Reader',
    guid: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
    description: 'List and read blobs in Storage containers. Recommended for Bucket with provider azure.',
    actions: [
      'Microsoft.Storage/storageAccounts/blobServices/containers/read',
      'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
    ],
    dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'],
    caveats: ['Ignored when the storage account disallows Entra ID authorization (shared-key-only access).'],
    recommended: true,
    docsUrl: `${ROLE_DOCS}/storage#storage-blob-data-reader`,
  },
  {
    id: 'KeyVaultCryptoUser',
    name: 'Key Vault Crypto User',
    guid: '12338af0-0e69-4776-bea7-57ae8d297424',
    description:
      'Use keys for cryptographic operations (decrypt, unwrap, ...). Recommended for SOPS decryption with Key Vault keys.',
    actions: [],
    dataActions: [
      'Microsoft.KeyVault/vaults/keys/read',
      'Microsoft.KeyVault/vaults/keys/update/action',
      'Microsoft.KeyVault/vaults/keys/backup/action',
      'Microsoft.KeyVault/vaults/keys/encrypt/action',
      'Microsoft.KeyVault/vaults/keys/decrypt/action',
      'Microsoft.KeyVault/vaults/keys/wrap/action',
      'Microsoft.KeyVault/vaults/keys/unwrap/action',
      'Microsoft.KeyVault/vaults/keys/sign/action',
      'Microsoft.KeyVault/vaults/keys/verify/action',
    ],
    caveats: [
      'Only effective on vaults that use the **Azure RBAC** permission model; vaults on access policies need an access policy granting key `get` and `decrypt` instead.',
    ],
    recommended: true,
    docsUrl: `${ROLE_DOCS}/security#key-vault-crypto-user`,
  },
  {
    id: 'AzureEventHubsDataSender',
    name: 'Azure Event Hubs Data Sender',
    guid: '2b629674-e913-4c01-ae53-ef4638d8f975',
    description: 'Send events to Event Hubs. Recommended for Provider type azureeventhub with Entra ID authentication.',
    actions: ['Microsoft.EventHub/*/eventhubs/read'],
    dataActions: ['Microsoft.EventHub/*/send/action'],
    caveats: [],
    recommended: true,
    docsUrl: `${ROLE_DOCS}/analytics#azure-event-hubs-data-sender`,
  },
  {
    id: 'AksClusterUserRole',
    name: 'Azure Kubernetes Service Cluster User Role',
    guid: '4abbcc35-e782-43d8-92c5-2d3f1bd2253f',
    description:
      'Read an AKS cluster and list its user credentials. Recommended for Kustomization / HelmRelease remote-cluster access (Flux 2.7+); permissions inside the cluster are granted separately.',
    actions: [
      'Microsoft.ContainerService/managedClusters/listClusterUserCredential/action',
      'Microsoft.ContainerService/managedClusters/read',
    ],
    dataActions: [],
    caveats: [
      'Only lets Flux fetch the cluster endpoint and CA; Kubernetes permissions come from RoleBindings for the principal ID or from Azure RBAC for Kubernetes roles.',
      'The cluster must have Microsoft Entra ID integration enabled.',
    ],
    recommended: true,
    docsUrl: `${ROLE_DOCS}/containers#azure-kubernetes-service-cluster-user-role`,
  },
  // Well-known roles that also satisfy the needs above (coverage checks).
  {
    id: 'AcrPush',
    name: 'AcrPush',
    guid: '8311e382-0749-4cb8-b61a-304f252e45ec',
    description: 'Push and pull images; includes everything AcrPull grants.',
    actions: ['Microsoft.ContainerRegistry/registries/pull/read', 'Microsoft.ContainerRegistry/registries/push/write'],
    dataActions: [],
    caveats: ['Ignored by registries in ABAC repository-permissions mode.', 'More than Flux needs; prefer AcrPull.'],
    recommended: false,
    docsUrl: `${ROLE_DOCS}/containers#acrpush`,
  },
  {
    id: 'StorageBlobDataContributor',
    name: 'Storage Blob Data Contributor',
    guid: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
    description: 'Read, write and delete blobs and containers; a superset of Storage Blob Data Reader.',
    actions: [
      'Microsoft.Storage/storageAccounts/blobServices/containers/delete',
      'Microsoft.Storage/storageAccounts/blobServices/containers/read',
      'Microsoft.Storage/storageAccounts/blobServices/containers/write',
      'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
    ],
    dataActions: [
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/delete',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/move/action',
      'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/add/action',
    ],
    caveats: ['More than Flux needs; prefer Storage Blob Data Reader.'],
    recommended: false,
    docsUrl: `${ROLE_DOCS}/storage#storage-blob-data-contributor`,
  },
  {
    id: 'StorageBlobDataOwner',
    name: 'Storage Blob Data Owner',
    guid: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
    description:
      'Full access to blob containers and data, including POSIX ACLs; a superset of Storage Blob Data Reader.',
    actions: [
      'Microsoft.Storage/storageAccounts/blobServices/containers/*',
      'Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action',
    ],
    dataActions: ['Microsoft.Storage/storageAccounts/blobServices/containers/blobs/*'],
    caveats: ['More than Flux needs; prefer Storage Blob Data Reader.'],
    recommended: false,
    docsUrl: `${ROLE_DOCS}/storage#storage-blob-data-owner`,
  },
  {
    id: 'KeyVaultCryptoOfficer',
    name: 'Key Vault Crypto Officer',
    guid: '14b46e9e-c2b7-41b4-b07b-48a6ebf60603',
    description: 'Manage and use keys (except permissions); a superset of Key Vault Crypto User.',
    actions: ['Microsoft.KeyVault/vaults/*/read'],
    dataActions: ['Microsoft.KeyVault/vaults/keys/*', 'Microsoft.KeyVault/vaults/keyrotationpolicies/*'],
    caveats: ['Azure RBAC permission model only.', 'More than Flux needs; prefer Key Vault Crypto User.'],
    recommended: false,
    abridged: true,
    docsUrl: `${ROLE_DOCS}/security#key-vault-crypto-officer`,
  },
  {
    id: 'KeyVaultAdministrator',
    name: 'Key Vault Administrator',
    guid: '00482a5a-887f-4fb3-b363-3b7fe8e74483',
    description:
      'All data-plane operations on a vault (keys, secrets, certificates); a superset of Key Vault Crypto User.',
    actions: ['Microsoft.KeyVault/vaults/*/read'],
    dataActions: ['Microsoft.KeyVault/vaults/*'],
    caveats: ['Azure RBAC permission model only.', 'Far more than Flux needs.'],
    recommended: false,
    abridged: true,
    docsUrl: `${ROLE_DOCS}/security#key-vault-administrator`,
  },
  {
    id: 'AzureEventHubsDataOwner',
    name: 'Azure Event Hubs Data Owner',
    guid: 'f526a384-b230-433a-b45c-95f59c4a2dec',
    description: 'Full access to Event Hubs resources; a superset of Azure Event Hubs Data Sender.',
    actions: ['Microsoft.EventHub/*'],
    dataActions: ['Microsoft.EventHub/*'],
    caveats: ['More than Flux needs; prefer Azure Event Hubs Data Sender.'],
    recommended: false,
    docsUrl: `${ROLE_DOCS}/analytics#azure-event-hubs-data-owner`,
  },
  {
    id: 'Owner',
    name: 'Owner',
    guid: '8e3af657-a8ff-443c-a75c-2fe8c4bcb635',
    description:
      'Full management access including role assignment. Carries **no dataActions**: it does not grant blob, key or Event Hubs data access.',
    actions: ['*'],
    dataActions: [],
    caveats: ['No data-plane permissions (blobs, keys, events).', 'Far more than Flux needs.'],
    recommended: false,
    docsUrl: `${ROLE_DOCS}/privileged#owner`,
  },
  {
    id: 'Contributor',
    name: 'Contributor',
    guid: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
    description:
      'Full management access except role assignment. Carries **no dataActions**: it does not grant blob, key or Event Hubs data access.',
    actions: ['*'],
    notActions: [
      'Microsoft.Authorization/*/Delete',
      'Microsoft.Authorization/*/Write',
      'Microsoft.Authorization/elevateAccess/Action',
    ],
    dataActions: [],
    caveats: ['No data-plane permissions (blobs, keys, events).', 'Far more than Flux needs.'],
    recommended: false,
    abridged: true,
    docsUrl: `${ROLE_DOCS}/privileged#contributor`,
  },
  {
    id: 'Reader',
    name: 'Reader',
    guid: 'acdd72a7-3385-48ef-bd42-f606fba81ae7',
    description: 'Read all resources (management plane only); no data access.',
    actions: ['*/read'],
    dataActions: [],
    caveats: ['No data-plane permissions.'],
    recommended: false,
    docsUrl: `${ROLE_DOCS}/general#reader`,
  },
] as const satisfies readonly RoleShape[];

export type RoleId = (typeof ROLES_LITERAL)[number]['id'];

export type RoleDef = Keyed<RoleShape, 'id', RoleId>;

export const ROLES: readonly RoleDef[] = ROLES_LITERAL;

/** Role by GUID (case-insensitive; a full role definition id is accepted too). */
export function roleByGuid(guidOrId: string): RoleDef | undefined {
  const text = guidOrId.trim().toLowerCase();
  const guid = text.includes('/') ? (text.split('/').pop() ?? '') : text;
  return ROLES.find((r) => r.guid === guid);
}

/** Role by display name or catalog id (case-insensitive, whitespace-insensitive). */
export function roleByName(name: string): RoleDef | undefined {
  const norm = (s: string): string => s.replace(/\s+/g, '').toLowerCase();
  const n = norm(name);
  return ROLES.find((r) => norm(r.name) === n || norm(r.id) === n);
}

export const roleById = lookup(ROLES, 'id');

/** Azure permission wildcard match ('*' matches any run of characters; case-insensitive). */
export function permissionMatches(pattern: string, permission: string): boolean {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 'i').test(permission);
}

/** Whether a role grants a management action (respecting notActions). */
export function roleGrantsAction(role: RoleDef, action: string): boolean {
  return (
    role.actions.some((p) => permissionMatches(p, action)) &&
    !(role.notActions ?? []).some((p) => permissionMatches(p, action))
  );
}

/** Whether a role grants a data action. */
export function roleGrantsDataAction(role: RoleDef, dataAction: string): boolean {
  return role.dataActions.some((p) => permissionMatches(p, dataAction));
}
