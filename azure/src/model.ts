/**
 * Plain data the Azure chunk hands to the tree (no SDK types, no vscode types), so the view can be rendered and
 * tested without loading the Azure SDK.
 */
import type { AzureCloudInfo, ManifestLocation } from '../../shared/src/protocol';

/** How the extension signs in to Azure (setting `fluxAzure.azure.signInMethod`). */
export type SignInMethod = 'vscode' | 'azureCli' | 'environment' | 'deviceCode';

/**
 * The cloud to talk to, resolved from the settings and the server's cloud catalog: a catalog cloud (`public`,
 * `usgov`, `china`) or `custom` from the settings. The token scope of ARM is `<armAudience>/.default`.
 */
export interface CloudEndpoints extends AzureCloudInfo {
  /** VS Code authentication provider: `microsoft` or `microsoft-sovereign-cloud`. */
  vscodeProvider: string;
  /** Extra trusted CA certificates (PEM) for the cloud's endpoints (private clouds). */
  caPem?: string;
}

export type LoadErrorKind =
  'signedOut' | 'forbidden' | 'notFound' | 'offline' | 'throttled' | 'wrongTenant' | 'cancelled' | 'other';

/** A failure turned into something a tree item can say. */
export interface LoadError {
  kind: LoadErrorKind;
  message: string;
  /** Whether "retry" can help (offline, throttled, timeouts). */
  retryable: boolean;
}

export interface AccountInfo {
  label: string;
  /** `Microsoft account (VS Code)`, `Azure CLI`, ... */
  method: string;
}

export interface AssignmentView {
  id: string;
  scope: string;
  roleGuid: string;
  roleDefinitionId: string;
  roleName: string;
  principalId: string;
  principalType?: string;
  /** Held through a group (the assignment's principal is not the user's object id). */
  viaGroup: boolean;
  condition?: string;
}

export interface SubscriptionAccess {
  subscriptionId: string;
  displayName: string;
  tenantId: string;
  assignments: AssignmentView[];
  error?: LoadError;
}

export interface TenantAccess {
  tenantId: string;
  displayName: string;
  defaultDomain?: string;
  /** The user's object id in this tenant (from that tenant's token). */
  objectId?: string;
  subscriptions: SubscriptionAccess[];
  error?: LoadError;
}

export interface AccessModel {
  account: AccountInfo;
  tenants: TenantAccess[];
  /** How many ARM requests the load made (for the log). */
  requests: number;
}

export type ReadinessState = 'ok' | 'missing' | 'unknown';

/** What to grant when a role is missing: the narrowest correct scope and the recommended role. */
export interface GrantSuggestion {
  scope: string;
  roleGuid: string;
  roleName: string;
  principalId: string;
}

export interface ReadinessView {
  /** `AzureIntegration.key`. */
  key: string;
  state: ReadinessState;
  /** One line: why ✓, what is missing, or why it cannot be known. */
  summary: string;
  principalId?: string;
  /** Where the principal id came from, when not a user-assigned identity (`service principal of app registration X`). */
  principalFrom?: string;
  /** ARM id of the resource (with the sub-path for blob containers / event hubs). */
  targetScope?: string;
  tenantId?: string;
  /** The assignment that satisfies the need. */
  covering?: AssignmentView;
  /** Other assignments of the identity on covering scopes that do not satisfy the need. */
  insufficient?: AssignmentView[];
  grant?: GrantSuggestion;
  /** A copyable command that fixes what is not a role assignment (access policy, local auth). */
  fixCommand?: string;
  /** What the resource's own settings say (permission model, local auth), one line. */
  mode?: string;
  /** Decided from the manifests alone, Azure not asked (the language server reports what it can of it). */
  notChecked?: boolean;
}

/** One part of a federated identity credential that differs from what the ServiceAccount's token carries. */
export interface FederationDifference {
  part: 'issuer' | 'subject' | 'audience';
  /** The credential's name. */
  credential: string;
  /** What the token carries (the cluster's issuer, the ServiceAccount's subject, the audience). */
  expected: string;
  /** What the credential says. */
  actual: string;
  /** Equal but for upper / lower case (Entra compares case-sensitively). */
  caseOnly?: boolean;
}

/** What `az identity federated-credential create` / an ASO FederatedIdentityCredential needs. */
export interface FederationFix {
  identityId: string;
  name: string;
  issuer: string;
  subject: string;
  namespace?: string;
}

/** Does a user-assigned identity trust the ServiceAccount token of a cluster (one per cluster, client id, subject)? */
export interface FederationView {
  key: string;
  /** Cluster label (`clusters/production`), or `(no cluster)`. */
  cluster: string;
  clientId: string;
  /** `ServiceAccount podinfo/podinfo-source` or `source-controller (clusters/production)`. */
  identityLabel: string;
  /** `system:serviceaccount:<namespace>:<name>`. */
  subject: string;
  state: ReadinessState;
  summary: string;
  /** ARM id and name of the user-assigned identity. */
  identityId?: string;
  identityName?: string;
  tenantId?: string;
  /** The cluster's OIDC issuer, and where the cluster was taken from. */
  issuer?: string;
  aksClusterId?: string;
  clusterFrom?: string;
  /** The credential that matches. */
  credential?: string;
  differences?: FederationDifference[];
  fix?: FederationFix;
  /** A copyable command for a cluster setting (OIDC issuer, workload identity). */
  fixCommand?: string;
  /** Where the manifests name the client id (the ServiceAccount annotation or controller patch). */
  location?: ManifestLocation;
}

export interface ReadinessModel {
  results: ReadinessView[];
  federation: FederationView[];
  requests: number;
}
