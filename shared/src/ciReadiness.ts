/**
 * What `flux-azure-check --azure` hands the Azure bundle (server/out/cliAzure.js, built from azure/src/ci.ts) and
 * gets back. The CLI (server/src/cli) never imports azure/: it loads the bundle by path and talks to it through
 * these types, so that without `--azure` it stays one dependency-free, offline file.
 */
import type { FederatedCredentialTextParams, GrantTextParams, IntegrationsResult, ManifestLocation } from './protocol';

/**
 * A private cloud: the keys of the extension's `fluxAzure.azure.customCloud.*` settings, which is also what a
 * `--cloud-config` file holds.
 */
export interface CustomCloudSettings {
  resourceManagerEndpoint?: string;
  tokenAudience?: string;
  authorityHost?: string;
  portalUrl?: string;
  /** PEM file of the CA that signs the cloud's endpoints. */
  certificateAuthorityFile?: string;
  /** Azure DevOps' graph API (`https://vssps.dev.azure.com` in the public cloud), if the cloud has one. */
  azureDevOpsGraphEndpoint?: string;
  /** Microsoft Graph (`https://graph.microsoft.com` in the public cloud), for app registrations; empty: not asked. */
  graphEndpoint?: string;
}

export type ReadinessState = 'ok' | 'missing' | 'unknown';

/** One readiness row (a role / resource-mode check, or a federated credential check), as the CLI reports it. */
export interface ReadinessFinding {
  /** The integration's or federation check's key (the tree's, the live diagnostics'). */
  key: string;
  kind: 'integration' | 'federation';
  state: ReadinessState;
  /** `ACR OCIRepository podinfo/podinfo`, `Federated credential for ServiceAccount podinfo/podinfo-source`. */
  title: string;
  /** One line: why ✓, what is missing, or why it cannot be known. */
  summary: string;
  /** Clusters whose Flux applies the object (labels like `clusters/production`). */
  clusters: string[];
  /** Where the manifests say it (the object, or where the client id is declared). */
  location?: ManifestLocation;
  /** Decided from the manifests alone (no identity, Azure DevOps): the language server already reports it. */
  fromManifests: boolean;
  /** A command to copy as is (access policy, local auth, cluster settings). */
  fixCommand?: string;
  /** The role to grant (the server writes the command). */
  grant?: GrantTextParams;
  /** The federated credential to create (the server writes the command). */
  federatedCredential?: FederatedCredentialTextParams;
}

export interface CiReadinessInput {
  /** The server's answer to `fluxAzure/integrations` for the analysed folders. */
  catalog: IntegrationsResult;
  /** A catalog cloud id (`public`, `usgov`, `china`) or `custom` (then `customCloud` says where). */
  cloud: string;
  customCloud?: CustomCloudSettings;
  /**
   * Cluster directory -> ARM id of the AKS cluster it is (`--aks-cluster`), on top of `.flux-azure.yaml`: the
   * federation checks' token issuer.
   */
  aksClusters?: Record<string, string>;
}

export interface CiReadiness {
  /** Who signed in, and how (`DefaultAzureCredential`). */
  account?: { label: string; method: string };
  /** Every readiness row; without Azure, the rows the manifests decide plus `?` for the others. */
  findings: ReadinessFinding[];
  /** Why Azure could not be asked at all (no credential, sign-in failed, tenants unreadable), without secrets. */
  error?: string;
  /** Requests made to Azure (ARM, Resource Graph, Microsoft Graph, Azure DevOps). */
  requests: number;
}

/** The exports of server/out/cliAzure.js. */
export interface CiAzureModule {
  checkReadinessForCi(input: CiReadinessInput): Promise<CiReadiness>;
}
