/**
 * The Azure the stand-in serves: two tenants, management groups, subscriptions, a signed-in principal with
 * direct, group (nested) and management-group grants, and the managed identities, resources and role assignments
 * behind examples/ (its README lists the identities). Test data only.
 */
import { ROLES } from '../../server/src/catalog';

export const T1 = '437100c6-90c1-4b18-9071-f6d664f91f2f'; // Contoso (examples' tenant)
export const T2 = '5e1a7c3d-2b4f-4c8e-9a6d-1f0e3b2c4d5a'; // Fabrikam (guest)

/**
 * Marks every credential of the test world (client secret, issued tokens, client certificate): the secrets tests
 * fail when it shows up in a log, a tree item, a notification or an error message.
 */
export const LEAK_MARKER = 'LEAKMARKER';

/** The principal the tests sign in as (environment credential: a service principal with a secret). */
export const OPERATOR = {
  clientId: 'f1a2b3c4-0000-4000-8000-00000000c11e',
  secret: `stand-in-secret-${LEAK_MARKER}s3cr3t-not-a-real-one`,
  displayName: 'fleet-operator',
  objectIds: { [T1]: '11111111-1111-4111-8111-111111111111', [T2]: '22222222-2222-4222-8222-222222222222' } as Record<
    string,
    string
  >,
};

export const G_PLATFORM = '33333333-0000-4000-8000-000000000001';
export const G_PLATFORM_READERS = '33333333-0000-4000-8000-000000000002';
export const G_FABRIKAM = '33333333-0000-4000-8000-000000000003';
export const GROUPS: Record<string, string[]> = {
  // platform team (T1) contains the operator; platform readers contains the platform team (nested).
  [G_PLATFORM]: [OPERATOR.objectIds[T1]!],
  [G_PLATFORM_READERS]: [G_PLATFORM],
  // Fabrikam partner engineers (T2)
  [G_FABRIKAM]: [OPERATOR.objectIds[T2]!],
};

export const SUB_PROD = 'a0b0c0d0-0000-4000-8000-000000000001';
export const SUB_STAGING = 'a0b0c0d0-0000-4000-8000-000000000002';
export const SUB_SHARED = 'a0b0c0d0-0000-4000-8000-000000000003';
export const SUB_FABRIKAM = 'a0b0c0d0-0000-4000-8000-000000000004';
/** Lives in T2 but is listed by T1 (delegated, listed without a tenant id): reading it with a T1 token gets 401. */
export const SUB_DELEGATED = 'a0b0c0d0-0000-4000-8000-000000000005';

export interface Subscription {
  id: string;
  name: string;
  tenantId: string;
  /** Tenants whose subscription list shows it. */
  listedBy: string[];
  /** Management groups above it, nearest first (the tenant root group last). */
  managementGroups: string[];
  /** The operator cannot read anything in it. */
  forbidden?: boolean;
  /** Omit tenantId in the subscription list (older / delegated listings). */
  hideTenant?: boolean;
}

export const SUBSCRIPTIONS: Subscription[] = [
  {
    id: SUB_PROD,
    name: 'Contoso Fleet Production',
    tenantId: T1,
    listedBy: [T1],
    managementGroups: ['mg-contoso-platform', T1],
  },
  {
    id: SUB_STAGING,
    name: 'Contoso Fleet Staging',
    tenantId: T1,
    listedBy: [T1],
    managementGroups: ['mg-contoso-platform', T1],
  },
  {
    id: SUB_SHARED,
    name: 'Contoso Shared Services',
    tenantId: T1,
    listedBy: [T1],
    managementGroups: [T1],
    forbidden: true,
  },
  { id: SUB_FABRIKAM, name: 'Fabrikam Partner', tenantId: T2, listedBy: [T2], managementGroups: [T2] },
  {
    id: SUB_DELEGATED,
    name: 'Fabrikam Delegated Analytics',
    tenantId: T2,
    listedBy: [T1],
    managementGroups: [T2],
    hideTenant: true,
  },
];

export const TENANTS = [
  { tenantId: T1, displayName: 'Contoso', defaultDomain: 'contoso.onmicrosoft.com' },
  { tenantId: T2, displayName: 'Fabrikam', defaultDomain: 'fabrikam.onmicrosoft.com' },
];

/** Role definitions the stand-in knows: the catalog's plus a few more the operator holds. */
export const ROLE_DEFINITIONS: Record<string, string> = {
  ...Object.fromEntries(ROLES.map((r) => [r.guid, r.name])),
  '18d7d88d-d35e-4fb5-a5c3-7773c20a72d9': 'User Access Administrator',
  '43d0d8ad-25c7-4714-9337-8ba259a9fe05': 'Monitoring Reader',
  '4633458b-17de-408a-b874-0445c86b69e6': 'Key Vault Secrets User',
};
export const roleGuid = (name: string): string => {
  const found = Object.entries(ROLE_DEFINITIONS).find(([, n]) => n === name);
  if (!found) throw new Error(`no role ${name}`);
  return found[0];
};

const rg = (sub: string, name: string) => `/subscriptions/${sub}/resourceGroups/${name}`;
export const REGISTRY = `${rg(SUB_PROD, 'rg-fleet-acr')}/providers/Microsoft.ContainerRegistry/registries/contosofleet`;
export const STORAGE_PROD = `${rg(SUB_PROD, 'rg-fleet-prod')}/providers/Microsoft.Storage/storageAccounts/stcontosofleetprod`;
export const STORAGE_STAGING = `${rg(SUB_STAGING, 'rg-fleet-staging')}/providers/Microsoft.Storage/storageAccounts/stcontosofleetstg`;
export const VAULT_PROD = `${rg(SUB_PROD, 'rg-fleet-prod')}/providers/Microsoft.KeyVault/vaults/kv-fleet-prod`;
export const VAULT_STAGING = `${rg(SUB_STAGING, 'rg-fleet-staging')}/providers/Microsoft.KeyVault/vaults/kv-fleet-staging`;
export const EVENTHUBS_STAGING = `${rg(SUB_STAGING, 'rg-fleet-staging')}/providers/Microsoft.EventHub/namespaces/evhns-contoso-fleet-staging`;

export const RESOURCES: string[] = [
  REGISTRY,
  STORAGE_PROD,
  VAULT_PROD,
  `${rg(SUB_PROD, 'rg-fleet-prod')}/providers/Microsoft.EventHub/namespaces/evhns-contoso-fleet-prod`,
  STORAGE_STAGING,
  VAULT_STAGING,
  EVENTHUBS_STAGING,
  `${rg(SUB_SHARED, 'rg-shared')}/providers/Microsoft.Storage/storageAccounts/stcontososhared`,
  `${rg(SUB_FABRIKAM, 'rg-partner')}/providers/Microsoft.KeyVault/vaults/kv-fabrikam-partner`,
];

/** User-assigned managed identities (examples/README.md): client id -> name and subscription. */
export const IDENTITIES: { name: string; clientId: string; subscription: string }[] = [
  { name: 'id-flux-prod-controllers', clientId: '9a93935d-67a2-478c-94e4-41e9199e7e43', subscription: SUB_PROD },
  { name: 'id-team-web-acr', clientId: '2d38d8dc-e1f4-4a2e-a7ce-53ee33227e81', subscription: SUB_PROD },
  { name: 'id-team-web-git', clientId: 'bb9c0b01-776d-432e-bfe8-fb6be722dcbd', subscription: SUB_PROD },
  { name: 'id-fleet-config-prod', clientId: '113c7562-fba6-47bc-8ece-636dfd992a6d', subscription: SUB_PROD },
  { name: 'id-flux-prod-notifier', clientId: '862a0f52-ff03-4567-99a1-42a25e8802b9', subscription: SUB_PROD },
  { name: 'id-flux-prod-sops', clientId: '4ce084e3-b74e-430f-b5c9-2f8728de55b2', subscription: SUB_PROD },
  { name: 'id-flux-staging-source', clientId: '0930e1eb-fff4-47ac-8b19-3dbc025dbd26', subscription: SUB_STAGING },
  {
    name: 'id-flux-staging-notifications',
    clientId: 'c5e7e5bf-b2d7-46bf-a44c-94dc1d37a5e5',
    subscription: SUB_STAGING,
  },
  { name: 'id-team-web-canary', clientId: '60999863-dd27-4123-84d6-cf2cdc90b83b', subscription: SUB_STAGING },
  { name: 'id-fleet-config-staging', clientId: 'beec64e0-7136-46cd-8a39-35310b71296e', subscription: SUB_STAGING },
];

/** A managed identity's principal (object) id: distinct from its client id, derived for the test. */
export function principalOf(clientId: string): string {
  return `0b${clientId.slice(2)}`;
}

export interface Assignment {
  name: string;
  scope: string;
  role: string;
  principalId: string;
  principalType: 'User' | 'Group' | 'ServicePrincipal';
  condition?: string;
}

const mg = (name: string) => `/providers/Microsoft.Management/managementGroups/${name}`;
const mi = (identity: string) => principalOf(IDENTITIES.find((i) => i.name === identity)!.clientId);
const ME1 = OPERATOR.objectIds[T1]!;
const ME2 = OPERATOR.objectIds[T2]!;
export const ABAC_CONDITION =
  "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {7f951dda-4ed3-4680-a7ca-43fe172d538d}))";

let n = 0;
const a = (
  scope: string,
  role: string,
  principalId: string,
  principalType: Assignment['principalType'],
  condition?: string,
): Assignment => ({
  name: `c0ffee00-0000-4000-8000-${String(++n).padStart(12, '0')}`,
  scope,
  role: roleGuid(role),
  principalId,
  principalType,
  ...(condition ? { condition } : {}),
});

export const ASSIGNMENTS: Assignment[] = [
  // The operator: group (nested) at the tenant root group, direct at a management group, direct and through a
  // group (with an ABAC condition) in production, Owner in staging, a resource-level grant, and Fabrikam.
  a(mg(T1), 'Reader', G_PLATFORM_READERS, 'Group'),
  a(mg('mg-contoso-platform'), 'Monitoring Reader', ME1, 'User'),
  a(rg(SUB_PROD, 'rg-fleet-prod'), 'Contributor', ME1, 'User'),
  a(`/subscriptions/${SUB_PROD}`, 'User Access Administrator', G_PLATFORM, 'Group', ABAC_CONDITION),
  a(`/subscriptions/${SUB_STAGING}`, 'Owner', ME1, 'User'),
  a(VAULT_STAGING, 'Key Vault Administrator', ME1, 'User'),
  a(`/subscriptions/${SUB_SHARED}`, 'Reader', ME1, 'User'),
  a(`/subscriptions/${SUB_FABRIKAM}`, 'Reader', ME2, 'User'),
  a(rg(SUB_FABRIKAM, 'rg-partner'), 'Key Vault Secrets User', G_FABRIKAM, 'Group'),
  a(`/subscriptions/${SUB_DELEGATED}`, 'Reader', ME2, 'User'),
  // Flux's identities.
  a(REGISTRY, 'AcrPull', mi('id-team-web-acr'), 'ServicePrincipal'),
  a(rg(SUB_PROD, 'rg-fleet-acr'), 'AcrPull', mi('id-flux-prod-controllers'), 'ServicePrincipal'),
  a(mg('mg-contoso-platform'), 'AcrPull', mi('id-team-web-canary'), 'ServicePrincipal'),
  a(
    `${STORAGE_PROD}/blobServices/default/containers/fleet-config`,
    'Storage Blob Data Reader',
    mi('id-fleet-config-prod'),
    'ServicePrincipal',
  ),
  a(STORAGE_STAGING, 'Reader', mi('id-fleet-config-staging'), 'ServicePrincipal'),
  a(rg(SUB_PROD, 'rg-fleet-prod'), 'Key Vault Crypto Officer', mi('id-flux-prod-sops'), 'ServicePrincipal'),
  a(EVENTHUBS_STAGING, 'Azure Event Hubs Data Sender', mi('id-flux-staging-notifications'), 'ServicePrincipal'),
  // A grant on a sibling whose name starts like the registry's resource group: must not count (`/` boundary).
  a(rg(SUB_PROD, 'rg-fleet-acr2'), 'AcrPull', mi('id-flux-staging-source'), 'ServicePrincipal'),
];

// ---------------------------------------------------------------------------------------------------------------
// Workload identity federation, AKS clusters and the resources' own settings (mutable: tests flip them and restore).

/** OIDC issuers of the stand-in's AKS clusters (AKS issuer URLs end with `/`). */
export const ISSUER_PROD = `https://oidc.contoso-private.test/${T1}/7c1f0e2a-prod/`;
export const ISSUER_STAGING = `https://oidc.contoso-private.test/${T1}/3b9d4c5e-staging/`;
export const ISSUER_NOWI = `https://oidc.contoso-private.test/${T1}/5a6b7c8d-nowi/`;
/** The issuer of a staging cluster that was deleted and re-created: some credentials still name it. */
export const ISSUER_OLD_STAGING = `https://oidc.contoso-private.test/${T1}/0d0d0d0d-old-staging/`;

export interface AksCluster {
  id: string;
  oidcEnabled: boolean;
  issuer?: string;
  workloadIdentity: boolean;
}

export const AKS_PROD = `${rg(SUB_PROD, 'rg-fleet-prod')}/providers/Microsoft.ContainerService/managedClusters/aks-fleet-prod`;
export const AKS_STAGING = `${rg(SUB_STAGING, 'rg-fleet-staging')}/providers/Microsoft.ContainerService/managedClusters/aks-fleet-staging`;
/** A cluster created before workload identity: no OIDC issuer. */
export const AKS_LEGACY = `${rg(SUB_STAGING, 'rg-fleet-staging')}/providers/Microsoft.ContainerService/managedClusters/aks-fleet-legacy`;
/** OIDC issuer on, the workload identity webhook off. */
export const AKS_NOWI = `${rg(SUB_STAGING, 'rg-fleet-staging')}/providers/Microsoft.ContainerService/managedClusters/aks-fleet-nowi`;

export const AKS_CLUSTERS: AksCluster[] = [
  { id: AKS_PROD, oidcEnabled: true, issuer: ISSUER_PROD, workloadIdentity: true },
  { id: AKS_STAGING, oidcEnabled: true, issuer: ISSUER_STAGING, workloadIdentity: true },
  { id: AKS_LEGACY, oidcEnabled: false, workloadIdentity: false },
  { id: AKS_NOWI, oidcEnabled: true, issuer: ISSUER_NOWI, workloadIdentity: false },
];

export const TOKEN_EXCHANGE = 'api://AzureADTokenExchange';

export interface Credential {
  identity: string;
  name: string;
  issuer: string;
  subject: string;
  audiences: string[];
}

const fic = (
  identity: string,
  name: string,
  issuer: string,
  subject: string,
  audiences = [TOKEN_EXCHANGE],
): Credential => ({
  identity,
  name,
  issuer,
  subject,
  audiences,
});
const sa = (namespace: string, name: string) => `system:serviceaccount:${namespace}:${name}`;

/**
 * Federated identity credentials of the identities of examples/: right for most, with deliberate mistakes —
 * `id-team-web-canary`: subject typo; `id-fleet-config-staging`: subject differs only in case;
 * `id-flux-prod-notifier`: wrong audience; `id-flux-staging-notifications`: the issuer of the old staging cluster.
 */
export const CREDENTIALS: Credential[] = [
  fic('id-flux-prod-controllers', 'source-controller-prod', ISSUER_PROD, sa('flux-system', 'source-controller')),
  fic('id-flux-prod-controllers', 'image-reflector-prod', ISSUER_PROD, sa('flux-system', 'image-reflector-controller')),
  fic('id-flux-staging-source', 'source-controller-staging', ISSUER_STAGING, sa('flux-system', 'source-controller')),
  fic(
    'id-flux-staging-notifications',
    'notification-controller-staging',
    ISSUER_OLD_STAGING,
    sa('flux-system', 'notification-controller'),
  ),
  fic('id-team-web-acr', 'podinfo-source-prod', ISSUER_PROD, sa('podinfo', 'podinfo-source')),
  fic('id-team-web-acr', 'podinfo-source-staging', ISSUER_STAGING, sa('podinfo', 'podinfo-source')),
  fic('id-team-web-git', 'podinfo-git-prod', ISSUER_PROD, sa('podinfo', 'podinfo-git')),
  fic('id-team-web-canary', 'podinfo-canary-staging', ISSUER_STAGING, sa('podinfo', 'podinfo-canery')),
  fic('id-fleet-config-prod', 'fleet-config-reader-prod', ISSUER_PROD, sa('platform', 'fleet-config-reader')),
  fic('id-fleet-config-staging', 'fleet-config-reader-staging', ISSUER_STAGING, sa('platform', 'Fleet-config-reader')),
  fic('id-flux-prod-notifier', 'flux-notifier-prod', ISSUER_PROD, sa('flux-system', 'flux-notifier'), [
    'api://AzureADTokenExchange/',
  ]),
  fic('id-flux-prod-sops', 'sops-decryptor-prod', ISSUER_PROD, sa('flux-system', 'sops-decryptor')),
];

/** `properties` of resources beyond their id (vault permission model, registry mode, local auth). */
export const RESOURCE_PROPERTIES: Record<string, Record<string, unknown>> = {
  [REGISTRY]: { loginServer: 'contosofleet.azurecr.io', roleAssignmentMode: 'LegacyRegistryPermissions' },
  [VAULT_PROD]: {
    vaultUri: 'https://kv-fleet-prod.vault.azure.net/',
    enableRbacAuthorization: true,
    accessPolicies: [],
  },
  [VAULT_STAGING]: {
    vaultUri: 'https://kv-fleet-staging.vault.azure.net/',
    enableRbacAuthorization: false,
    accessPolicies: [],
  },
  [STORAGE_PROD]: { allowSharedKeyAccess: true },
  [EVENTHUBS_STAGING]: { disableLocalAuth: false },
};

// ---------------------------------------------------------------------------------------------------------------
// Azure DevOps: organization `contoso` (connected to the Contoso tenant) with project `fleet` (examples/' Git URLs).

export const DEVOPS_ORG = 'contoso';
export const DEVOPS_TENANT = T1;

export interface DevOpsGroup {
  descriptor: string;
  /** `[project]\group`, as the graph API names project groups. */
  principalName: string;
}

export const DEVOPS_GROUPS: DevOpsGroup[] = [
  { descriptor: 'vssgp.fleet-readers', principalName: '[fleet]\\Readers' },
  { descriptor: 'vssgp.fleet-contributors', principalName: '[fleet]\\Contributors' },
  { descriptor: 'vssgp.fleet-administrators', principalName: '[fleet]\\Project Administrators' },
  { descriptor: 'vssgp.fleet-flux-bots', principalName: '[fleet]\\Flux Bots' },
  { descriptor: 'vssgp.website-contributors', principalName: '[website]\\Contributors' },
];

/**
 * Service principals the organization has (by identity name), with the groups each is a direct member of:
 * `id-team-web-git` reads fleet but contributes only to another project (✓ for its GitRepository, ✗ for its
 * ImageUpdateAutomation); production's source-controller is in Flux Bots, itself in Contributors (✓ through a
 * group); staging's reads fleet; `id-flux-prod-notifier` (the azuredevops Provider) was never added (✗).
 */
export const DEVOPS_MEMBERS: { identity: string; groups: string[] }[] = [
  { identity: 'id-team-web-git', groups: ['vssgp.fleet-readers', 'vssgp.website-contributors'] },
  { identity: 'id-flux-prod-controllers', groups: ['vssgp.fleet-flux-bots'] },
  { identity: 'id-flux-staging-source', groups: ['vssgp.fleet-readers'] },
];

/** Groups that are members of other groups: [member, container]. */
export const DEVOPS_NESTED_GROUPS: [string, string][] = [['vssgp.fleet-flux-bots', 'vssgp.fleet-contributors']];

// ---------------------------------------------------------------------------------------------------------------
// Microsoft Graph: app registrations in Contoso's directory (the certificate identities of examples/ and one
// workload identity that is an app registration, for a test workspace), with their service principals.

export interface AppRegistration {
  displayName: string;
  appId: string;
  /** Federated identity credentials of the application (Graph `federatedIdentityCredential`). */
  credentials: { name: string; issuer: string; subject: string; audiences: string[] }[];
}

/** The application object's id (distinct from the client id and from the service principal's, derived for the test). */
export function applicationObjectOf(appId: string): string {
  return `0a${appId.slice(2)}`;
}

export const APP_REGISTRATIONS: AppRegistration[] = [
  // staging's SOPS certificate (Secret flux-system/sops-azure-kv): kv-fleet-staging is on access policies, with none for it.
  { displayName: 'app-flux-staging-sops', appId: 'ac14fb1b-eb86-41b8-8cae-a9878f5149b3', credentials: [] },
  // staging's Terraform outputs Bucket: its storage account lives in a subscription the operator cannot read.
  { displayName: 'app-flux-staging-tfoutputs', appId: '894f8a0d-190c-44dd-b4e6-5d7e73bcf1cd', credentials: [] },
  // A workload identity that is an app registration (not in examples/): trusts ServiceAccount ci/ci-runner of
  // production (and of the deleted staging cluster), not ci/ci-deployer.
  {
    displayName: 'app-flux-ci-runner',
    appId: '5f0c9d1e-3a2b-4c5d-8e7f-90a1b2c3d4e5',
    credentials: [
      fic('-', 'ci-runner-old-staging', ISSUER_OLD_STAGING, sa('ci', 'ci-runner')),
      fic('-', 'ci-runner-prod', ISSUER_PROD, sa('ci', 'ci-runner')),
    ].map(({ name, issuer, subject, audiences }) => ({ name, issuer, subject, audiences })),
  },
];
