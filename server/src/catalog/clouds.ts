/**
 * Azure clouds: the per-cloud hosts Flux derives from `AZURE_AUTHORITY_HOST` and the service DNS
 * suffixes used to recognise endpoints.
 */

/** Shape of a `AZURE_CLOUDS` entry before its `id` is narrowed to `AzureCloudId`. */
export interface AzureCloudShape {
  readonly id: string;
  readonly name: string;
  /** Value for `AZURE_AUTHORITY_HOST`, with the trailing slash the Flux docs use. */
  readonly authorityHost: string;
  readonly armEndpoint: string;
  /** Audience of ARM tokens (scope = audience + '.default'). */
  readonly armAudience: string;
  /** Azure portal of the cloud (links to a resource: `<portal>/#@<tenant>/resource<scope>`). */
  readonly portalUrl: string;
  /** Suffix appended by notification-controller to a short Event Hubs namespace name. */
  readonly eventHubsSuffix: string;
  /** Blob endpoint host suffix, `https://<account><suffix>`. */
  readonly blobSuffix: string;
  /** ACR login-server suffix(es). */
  readonly acrSuffixes: readonly string[];
  /** Key Vault and Managed HSM host suffixes, `https://<vault><suffix>`. */
  readonly keyVaultSuffixes: readonly string[];
  /** Azure DevOps Services' identity and graph API (`vssps`), where the cloud has Azure DevOps Services. */
  readonly devOpsGraphEndpoint?: string;
  /** Microsoft Graph (app registrations, their service principals and federated credentials); token scope `<endpoint>/.default`. */
  readonly graphEndpoint: string;
}

const AZURE_CLOUDS_LITERAL = [
  {
    id: 'public',
    name: 'Azure public cloud',
    authorityHost: 'https://login.microsoftonline.com/',
    armEndpoint: 'https://management.azure.com',
    armAudience: 'https://management.core.windows.net/',
    portalUrl: 'https://portal.azure.com',
    eventHubsSuffix: '.servicebus.windows.net',
    blobSuffix: '.blob.core.windows.net',
    acrSuffixes: ['.azurecr.io'],
    keyVaultSuffixes: ['.vault.azure.net', '.managedhsm.azure.net'],
    devOpsGraphEndpoint: 'https://vssps.dev.azure.com',
    graphEndpoint: 'https://graph.microsoft.com',
  },
  {
    id: 'usgov',
    name: 'Azure US Government',
    authorityHost: 'https://login.microsoftonline.us/',
    armEndpoint: 'https://management.usgovcloudapi.net',
    armAudience: 'https://management.core.usgovcloudapi.net/',
    portalUrl: 'https://portal.azure.us',
    eventHubsSuffix: '.servicebus.usgovcloudapi.net',
    blobSuffix: '.blob.core.usgovcloudapi.net',
    acrSuffixes: ['.azurecr.us'],
    keyVaultSuffixes: ['.vault.usgovcloudapi.net', '.managedhsm.usgovcloudapi.net'],
    graphEndpoint: 'https://graph.microsoft.us',
  },
  {
    id: 'china',
    name: 'Azure China (21Vianet)',
    authorityHost: 'https://login.chinacloudapi.cn/',
    armEndpoint: 'https://management.chinacloudapi.cn',
    armAudience: 'https://management.core.chinacloudapi.cn/',
    portalUrl: 'https://portal.azure.cn',
    eventHubsSuffix: '.servicebus.chinacloudapi.cn',
    blobSuffix: '.blob.core.chinacloudapi.cn',
    acrSuffixes: ['.azurecr.cn'],
    keyVaultSuffixes: ['.vault.azure.cn', '.managedhsm.azure.cn'],
    graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
  },
] as const satisfies readonly AzureCloudShape[];

export type AzureCloudId = (typeof AZURE_CLOUDS_LITERAL)[number]['id'];

export interface AzureCloudDef extends Omit<AzureCloudShape, 'id'> {
  readonly id: AzureCloudId;
}

export const AZURE_CLOUDS: readonly AzureCloudDef[] = AZURE_CLOUDS_LITERAL;

export function cloudById(id: string): AzureCloudDef | undefined {
  return AZURE_CLOUDS.find((c) => c.id === id);
}

/** Cloud whose authority host equals `host` (trailing slash and case ignored). */
export function cloudByAuthorityHost(host: string): AzureCloudDef | undefined {
  const norm = (h: string): string => h.trim().toLowerCase().replace(/\/+$/, '');
  return AZURE_CLOUDS.find((c) => norm(c.authorityHost) === norm(host));
}
