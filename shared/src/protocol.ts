/**
 * Names shared by the client and the language server. Everything that crosses the wire between the two
 * sides (custom requests, command ids, setting keys) is declared here once. Requests are typed message
 * signatures: `client.sendRequest(X, params)` and `connection.onRequest(X, handler)` infer their parameter
 * and result types from `X`, so neither side restates (or casts to) them; `X.method` is the method name.
 */
import { RequestType, RequestType0, type WorkspaceEdit } from 'vscode-languageserver-protocol';

/** The extension's name as shown in diagnostics (`source`) and logs. */
export const EXTENSION_SOURCE = 'flux-azure';

/** Setting keys under the `fluxAzure` section. */
export const SETTINGS_SECTION = 'fluxAzure';

/** Settings the server reads (`workspace/configuration` for section `fluxAzure`). */
export interface ServerSettings {
  /** Flux version override such as `2.7`; empty means detect from the workspace. */
  fluxVersion: string;
  diagnostics: {
    enable: boolean;
    /**
     * `workspace`: after the first scan, every file with findings gets diagnostics, open or not (closed files as they
     * are on disk); `openFiles`: only the documents open in the editor.
     */
    scope: DiagnosticsScope;
  };
  /**
   * `on`: another YAML language server with Kubernetes / Flux schemas (Red Hat's YAML) answers on the same files, so
   * hovers answer only where they add Azure meaning and completions leave the schema's keys and values to it.
   * The client resolves `auto` (on when Red Hat's YAML extension is installed); the server reads `auto` as off.
   */
  yamlSchemaServer: YamlSchemaServer;
}

export type DiagnosticsScope = 'workspace' | 'openFiles';
export type YamlSchemaServer = 'auto' | 'on' | 'off';

export const DEFAULT_SETTINGS: ServerSettings = {
  fluxVersion: '',
  diagnostics: { enable: true, scope: 'workspace' },
  yamlSchemaServer: 'auto',
};

/** Client commands (contributed in package.json). */
export const Commands = {
  showServerLog: 'fluxAzure.showServerLog',
  restartServer: 'fluxAzure.restartServer',
  // Azure permissions view (client/src/views/azureTree.ts)
  azureRefresh: 'fluxAzure.azure.refresh',
  azureSignIn: 'fluxAzure.azure.signIn',
  azureSignOut: 'fluxAzure.azure.signOut',
  azureCopyScope: 'fluxAzure.azure.copyScope',
  azureCopyRoleId: 'fluxAzure.azure.copyRoleId',
  azureCopyPrincipalId: 'fluxAzure.azure.copyPrincipalId',
  azureOpenInPortal: 'fluxAzure.azure.openInPortal',
  azureCopyGrantCommand: 'fluxAzure.azure.copyGrantCommand',
  azureInsertRoleAssignment: 'fluxAzure.azure.insertRoleAssignment',
  azureCopyFederatedCredentialCommand: 'fluxAzure.azure.copyFederatedCredentialCommand',
  azureInsertFederatedCredential: 'fluxAzure.azure.insertFederatedCredential',
  azureCopyValue: 'fluxAzure.azure.copyValue',
  azureOpenManifest: 'fluxAzure.azure.openManifest',
  showRenderedObject: 'fluxAzure.showRenderedObject',
  /** Copies the example fleet the walkthrough uses into a folder and opens it (client/src/exampleFleet.ts). */
  openExampleFleet: 'fluxAzure.openExampleFleet',
} as const;

// ---- Azure permissions view ------------------------------------------------------------------------------------
// The client never reads the catalog: everything the tree needs about roles, scopes, clouds and the workspace's
// Azure integrations comes from the server through these requests.

export interface ManifestPosition {
  line: number;
  character: number;
}

export interface ManifestLocation {
  uri: string;
  range: { start: ManifestPosition; end: ManifestPosition };
}

/** One Azure cloud (catalog `AZURE_CLOUDS`). */
export interface AzureCloudInfo {
  id: string;
  name: string;
  armEndpoint: string;
  armAudience: string;
  authorityHost: string;
  portalUrl: string;
  /** Azure DevOps Services' graph API (`https://vssps.dev.azure.com`), where the cloud has it. */
  devOpsGraphEndpoint?: string;
  /** Microsoft Graph (`https://graph.microsoft.com`): app registrations, their service principals and federated credentials. */
  graphEndpoint?: string;
}

/** A role the catalog knows (name without an ARM call). */
export interface KnownRole {
  guid: string;
  name: string;
}

/** An ARM scope format (catalog `SCOPE_FORMATS`): `pattern` uses `{placeholder}` segments. */
export interface ScopeFormatInfo {
  id: string;
  label: string;
  pattern: string;
}

/** The Azure resource an integration points at, as ARM knows it. */
export interface IntegrationResource {
  /** As written in the manifest (`contosofleet.azurecr.io`, `https://kv.vault.azure.net`, ...). */
  display: string;
  /** ARM resource type to look the resource up by name, e.g. `Microsoft.ContainerRegistry/registries`. */
  armType: string;
  /** The resource's name in ARM. */
  name: string;
  /** Path appended to the resource's ARM id for the scope the identity needs (blob container, event hub). */
  subPath?: string;
  /** Scope level of that target (a `ScopeFormatInfo.id`), also the narrowest level to grant on. */
  level: string;
}

/** The Azure identity an integration runs as. */
export interface IntegrationIdentity {
  /** `serviceAccount`: object-level workload identity; `controller`: the controller's own; `secret`: credentials in a Secret. */
  source: 'serviceAccount' | 'controller' | 'secret';
  /** Human description: `ServiceAccount podinfo/podinfo-source`, `source-controller (clusters/production)`. */
  label: string;
  clientId?: string;
  tenantId?: string;
  /** Where the client id is declared. */
  location?: ManifestLocation;
  /**
   * The Kubernetes ServiceAccount whose token Azure exchanges (workload identity): the object's ServiceAccount, or
   * the controller's own. `subject` is what a federated identity credential must name, exactly.
   */
  serviceAccount?: { namespace: string; name: string; subject: string };
  /** The client id reaches the pod through the AKS workload identity webhook (ServiceAccount annotation). */
  viaWebhook?: boolean;
}

/** What the identity must hold. */
export type IntegrationNeed =
  | {
      kind: 'azureRole';
      /** Roles that satisfy the need; the first is the one to grant (the Flux docs' recommendation). */
      roles: KnownRole[];
      /** Roles that count instead when the registry uses ABAC repository permissions (ACR). */
      abacRoles?: KnownRole[];
      /** Key permissions an access policy must grant when the vault does not use Azure RBAC (Key Vault). */
      accessPolicyKeys?: { required: string[]; grant: string[] };
    }
  | {
      /** A static credential (account key, SAS connection string): works only while the resource allows it. */
      kind: 'localAuth';
      check: LocalAuthCheck;
      /** The Secret holding the credential (`namespace/name`). */
      secret: string;
    }
  | {
      kind: 'adoGroup';
      organization?: string;
      project?: string;
      /** Project group the identity must be a member of (`Readers`, `Contributors`). */
      group: string;
      /** Project groups whose members have that access too (`Contributors` for `Readers`). */
      alsoGranting?: string[];
    };

/** Which local-authentication switch of the resource a static credential depends on. */
export type LocalAuthCheck = 'storageSharedKey' | 'eventHubsLocalAuth';

/** An Azure integration a workspace manifest uses, with the identity it runs as and what that identity needs. */
export interface AzureIntegration {
  /** Stable key (object, service, identity). */
  key: string;
  /** Clusters (labels such as `clusters/production`) whose Flux applies the object; empty when unknown. */
  clusters: string[];
  object: { kind: string; name: string; namespace?: string; location: ManifestLocation };
  service: { id: string; name: string; abbreviation: string };
  resource?: IntegrationResource;
  identity?: IntegrationIdentity;
  need: IntegrationNeed;
  /** Why readiness cannot be decided from the manifests (no identity, unknown resource, ...). */
  unknown?: string;
  /** Namespace for a generated ASO RoleAssignment (the object's). */
  namespace?: string;
}

/** A cluster directory of the workspace and the AKS cluster `.flux-azure.yaml` says it is. */
export interface WorkspaceClusterInfo {
  /** `clusters/production`, as in `AzureIntegration.clusters`. */
  label: string;
  aksClusterId?: string;
}

export interface IntegrationsResult {
  integrations: AzureIntegration[];
  clusters: WorkspaceClusterInfo[];
  /** The audience a federated identity credential must have (`api://AzureADTokenExchange`). */
  tokenExchangeAudience: string;
  /** Token scope of Azure DevOps Services (its REST API, for the organization and group checks). */
  azureDevOpsScope: string;
  clouds: AzureCloudInfo[];
  roles: KnownRole[];
  scopeFormats: ScopeFormatInfo[];
}

/** `fluxAzure/integrations` (no parameters): the workspace's Azure integrations plus the catalog data the tree needs. */
export const IntegrationsRequest = new RequestType0<IntegrationsResult, void>('fluxAzure/integrations');

export interface GrantTextParams {
  /** Scope to grant on (the narrowest correct one). */
  scope: string;
  roleGuid: string;
  principalId: string;
  /** Kubernetes name and namespace for the ASO manifest. */
  name: string;
  namespace?: string;
}

export interface GrantTextResult {
  /** `az role assignment create ...` */
  azCli: string;
  /** An Azure Service Operator RoleAssignment manifest (YAML, no leading `---`). */
  aso: string;
}

/** `fluxAzure/grantText`: the CLI command and the ASO manifest that grant a role. */
export const GrantTextRequest = new RequestType<GrantTextParams, GrantTextResult, void>('fluxAzure/grantText');

export interface FederatedCredentialTextParams {
  /** ARM id of the user-assigned identity. */
  identityId: string;
  /** Credential name (Azure) and Kubernetes name of the ASO object. */
  name: string;
  issuer: string;
  subject: string;
  /** Namespace of the ASO manifest. */
  namespace?: string;
}

/** `fluxAzure/federatedCredentialText`: `az identity federated-credential create ...` and an ASO manifest. */
export const FederatedCredentialTextRequest = new RequestType<FederatedCredentialTextParams, GrantTextResult, void>(
  'fluxAzure/federatedCredentialText',
);

// ---------------------------------------------------------------------------------------------------------------
// Controller patches (code actions and commands that write flux-system patches or FluxInstance fields)

/** Commands that insert controller patches; each takes an optional `PatchCommandArgs` (answers skip prompts). */
export const PatchCommands = {
  addControllerPatch: 'fluxAzure.addControllerPatch',
  aksWorkloadIdentity: 'fluxAzure.addAksWorkloadIdentityPatch',
  nonAksWorkloadIdentity: 'fluxAzure.addNonAksWorkloadIdentityPatch',
  appCertificate: 'fluxAzure.addAppCertificatePatch',
  objectLevelWorkloadIdentity: 'fluxAzure.enableObjectLevelWorkloadIdentity',
  lockdown: 'fluxAzure.addLockdownPatch',
} as const;

/**
 * `fluxAzure/patchContext`: what the client needs to ask the user before inserting a patch; `null` when the
 * server cannot read the document.
 */
export const PatchContextRequest = new RequestType<PatchContextParams, PatchContext | null, void>(
  'fluxAzure/patchContext',
);
/** `fluxAzure/patchEdit`: the edit for the user's answers. */
export const PatchEditRequest = new RequestType<PatchEditParams, PatchEditResult, void>('fluxAzure/patchEdit');

/** Ids of the patch actions (the server's catalog defines them; the client only passes them through). */
export type PatchActionName =
  'aksWorkloadIdentity' | 'nonAksWorkloadIdentity' | 'appCertificate' | 'objectLevelWorkloadIdentity' | 'lockdown';

/** Answers to the questions a patch action asks; any of them may be given up front. */
export interface PatchAnswers {
  controllers?: string[];
  clientId?: string;
  tenantId?: string;
  /** Cloud id (`public`, `usgov`, `china`). */
  cloud?: string;
  certSecretName?: string;
  withKeyPassword?: boolean;
  sendCertificateChain?: boolean;
  serviceAccount?: string;
  decryptionServiceAccount?: string;
  kubeConfigServiceAccount?: string;
}

/** Argument of the patch commands (from a code action, a test or another extension). */
export interface PatchCommandArgs extends PatchAnswers {
  /** Document the command was invoked on (default: the active editor). */
  uri?: string;
  action?: PatchActionName;
  /** File to edit when several clusters are possible. */
  target?: string;
  /** Controllers to preselect in the picker (answers in `controllers` skip the picker). */
  preselect?: string[];
  /** Do not reveal the edited file (tests). */
  quiet?: boolean;
}

export interface PatchContextParams {
  uri: string;
  /** Chosen target uri; default the first. */
  target?: string;
}

export interface PatchTarget {
  uri: string;
  /** `clusters/production/flux-system/kustomization.yaml` */
  label: string;
  /** `kustomization`: patches list; `fluxInstance`: FluxInstance fields and `spec.kustomize.patches`; `create`: a new kustomization.yaml. */
  mode: 'kustomization' | 'fluxInstance' | 'create';
}

export interface PatchChoice {
  id: string;
  label: string;
  description?: string;
  picked?: boolean;
}

export interface PatchActionInfo {
  id: PatchActionName;
  title: string;
  description: string;
  inputs: ('controllers' | 'clientId' | 'tenantId' | 'cloud' | 'certificate' | 'lockdown')[];
  /** Controllers the action can target, with the workspace's needs preselected; empty when a FluxInstance field is used instead. */
  controllers: PatchChoice[];
  /** Set when the action writes FluxInstance fields instead of patches. */
  fluxInstanceFields?: string[];
  docsUrl: string;
}

export interface PatchContext {
  targets: PatchTarget[];
  /** The target the rest of the context is computed for. */
  target: PatchTarget | undefined;
  fluxVersion: string | undefined;
  actions: PatchActionInfo[];
  /** GUIDs already written in the workspace (annotations, env vars), with where they were seen. */
  clientIds: PatchChoice[];
  tenantIds: PatchChoice[];
  clouds: PatchChoice[];
  /** Lockdown flags: `id` is the answer key (`serviceAccount`, ...), `label` the flag. */
  lockdownFlags: PatchChoice[];
  defaultCertSecretName: string;
  /** RegExp sources the client validates input with. */
  validation: { guid: string; kubernetesName: string };
}

export interface PatchEditParams extends PatchAnswers {
  uri: string;
  target?: string;
  action: PatchActionName;
}

export interface PatchEditResult {
  /** Absent when nothing needs to change or on error. */
  edit?: WorkspaceEdit;
  /** What the edit does / why parts were skipped. */
  notes: string[];
  error?: string;
  /** The uri of the edited (or created) file. */
  uri?: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Show rendered object: an object as Flux applies it to a cluster, with where each value came from

/** URI scheme of the read-only documents that show rendered objects. */
export const RENDERED_OBJECT_SCHEME = 'flux-azure-rendered';

export interface RenderedObjectParams {
  uri: string;
  /** Any position inside the object's document. */
  position: ManifestPosition;
}

/** Where one value of the rendered text came from. */
export interface RenderedOrigin {
  /** The value's range in `RenderedObject.text` (the whole `key: value` line for scalars in maps). */
  range: ManifestLocation['range'];
  /** The place it was written (a base, a patch, a ConfigMap of a postBuild substitution). */
  from: ManifestLocation;
  /** `file`, `patch`, `flux-patch`, `substitution`, `transformer`, `generated`. */
  via: string;
  /** `patch in apps/prod/kustomization.yaml`, `from ConfigMap cluster-vars`. */
  note?: string;
  /** The text as written before postBuild substitution (`${AZURE_CLIENT_ID}`). */
  written?: string;
  /** Set when the repository cannot tell the value: why. */
  unknown?: string;
}

export interface RenderedObject {
  /** Cluster label (`clusters/production`). */
  cluster: string;
  /** What applies it: `Kustomization apps`, `cluster directory`. */
  appliedBy: string;
  /** `Deployment flux-system/source-controller`. */
  title: string;
  /** The object as YAML. */
  text: string;
  origins: RenderedOrigin[];
}

export interface RenderedObjectResult {
  /** One per cluster (and Kustomization) that applies the object; empty when none does. */
  objects: RenderedObject[];
  /** Why `objects` is empty. */
  reason?: string;
}

/** `fluxAzure/renderedObject`: the object at a position as Flux applies it, in each cluster that applies it. */
export const RenderedObjectRequest = new RequestType<RenderedObjectParams, RenderedObjectResult, void>(
  'fluxAzure/renderedObject',
);

// ---------------------------------------------------------------------------------------------------------------
// Language status: what a YAML file is judged against

export interface FileStatusParams {
  uri: string;
}

/** A cluster that applies the file, with the Flux version the repository states for it. */
export interface FileStatusCluster {
  /** `clusters/production` */
  label: string;
  /** The version as written where it was found (`v2.7.2`, `2.x`); absent when the repository does not say. */
  fluxVersion?: string;
  /** Where it was found: the gotk-components.yaml header, a FluxInstance, `.flux-azure.yaml`. */
  versionFrom?: ManifestLocation;
}

export interface FileStatus {
  /** While the workspace scan runs: the YAML files read of those found (clusters are not known yet). */
  indexing?: { read: number; found: number };
  /** The clusters whose Flux applies the file; empty when none is known. */
  clusters: FileStatusCluster[];
  /** major.minor the version-dependent checks of this file use (the oldest of its clusters', or the setting). */
  judgedWith?: string;
  /** `fluxAzure.fluxVersion` when set: it overrides every cluster's version. */
  setting?: string;
}

/** `fluxAzure/fileStatus`: the clusters and Flux version a file is judged against, and the scan's progress. */
export const FileStatusRequest = new RequestType<FileStatusParams, FileStatus, void>('fluxAzure/fileStatus');
