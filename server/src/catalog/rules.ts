/**
 * Metadata of every diagnostic the language server can report: stable code, default severity,
 * title, Markdown explanation, applicable Flux versions, fact-sheet rule numbers and docs link.
 * The checks themselves live in features/rules; they look their metadata up here by code.
 */
import { FLUX_API_DOCS, OTHER_DOCS, fluxAzureDocs } from './docs';
import type { VersionRange } from './versions';
import { keysOf, lookup, type Keyed } from './table';

export type RuleSeverity = 'error' | 'warning' | 'information' | 'hint';
export type RuleCategory =
  'object' | 'serviceAccount' | 'secret' | 'patch' | 'version' | 'azure' | 'security' | 'input';

/** Shape of a `RULES` entry before its `code` is narrowed to `RuleCode`. */
export interface RuleShape {
  /** Stable diagnostic code, `flux-azure/<kebab-case>`. */
  readonly code: string;
  readonly severity: RuleSeverity;
  readonly category: RuleCategory;
  readonly title: string;
  /** Markdown: what breaks at runtime and how to fix it. */
  readonly explanation: string;
  /** Flux versions where the rule applies (undefined = all). */
  readonly versions?: VersionRange;
  /** Rule numbers in the fact sheet §4.8 (empty for rules from other sections). */
  readonly factRules: readonly number[];
  readonly docsUrl: string;
  /** A mechanical quick fix exists. */
  readonly quickFix: boolean;
  /** False for facts only Azure knows (hover hints, tree view), never a manifest diagnostic. */
  readonly manifestCheckable: boolean;
  /** Needs other files (ServiceAccounts, Secrets, flux-system patches, FluxInstance). */
  readonly crossFile: boolean;
}

export const RULE_CODE_PREFIX = 'flux-azure/';

const RULES_LITERAL = [
  // ------------------------------------------------------------------ object level
  {
    code: 'flux-azure/gate-missing',
    severity: 'error',
    category: 'object',
    title: 'Object-level workload identity needs the ObjectLevelWorkloadIdentity feature gate',
    explanation:
      'This object names a ServiceAccount for Azure workload identity, but the controller that reconciles it does not run with `--feature-gates=ObjectLevelWorkloadIdentity=true`. ' +
      'The object stalls with reason `FeatureGateDisabled`.\n\nFix: add the gate patch for that controller to `flux-system/kustomization.yaml` (or set `spec.cluster.objectLevelWorkloadIdentity: true` on the FluxInstance).',
    versions: { since: '2.6' },
    factRules: [1],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/object-level-wi-unsupported-version',
    severity: 'error',
    category: 'version',
    title: 'Object-level workload identity is not available for this kind in this Flux version',
    explanation:
      'Object-level workload identity arrived in Flux 2.6 for OCIRepository, ImageRepository, SOPS decryption and Event Hubs, and in Flux 2.7 for GitRepository, Bucket, ImageUpdateAutomation, Azure DevOps Providers and remote clusters. ' +
      'On older versions the field is unknown to the CRD or ignored.\n\nFix: upgrade Flux, or use controller-level identity.',
    factRules: [2],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/gate-unsupported-version',
    severity: 'error',
    category: 'version',
    title: 'ObjectLevelWorkloadIdentity gate is unknown to this controller version',
    explanation:
      'Controllers exit at start-up on an unknown feature gate ("feature-gate \'X\' not supported"). The gate exists from Flux 2.6, and in helm-controller only from Flux 2.7.\n\nFix: remove the gate for that controller or upgrade Flux.',
    factRules: [2],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/git-sa-requires-azure-provider',
    severity: 'error',
    category: 'object',
    title: 'GitRepository serviceAccountName requires provider azure',
    explanation:
      'The GitRepository CRD rejects `spec.serviceAccountName` unless `spec.provider` is `azure` (Flux 2.9: `azure` or `aws`). The apply fails.\n\nFix: set `spec.provider: azure`, or remove `serviceAccountName`.',
    versions: { since: '2.7' },
    factRules: [3],
    docsUrl: FLUX_API_DOCS.GitRepository,
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/bucket-sa-with-secretref',
    severity: 'error',
    category: 'object',
    title: 'Bucket cannot set both secretRef and serviceAccountName',
    explanation:
      'The Bucket CRD rejects objects that set both `spec.secretRef` and `spec.serviceAccountName`.\n\nFix: keep one authentication method.',
    versions: { since: '2.7' },
    factRules: [4],
    docsUrl: FLUX_API_DOCS.Bucket,
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/bucket-sa-generic-provider',
    severity: 'error',
    category: 'object',
    title: 'Bucket serviceAccountName is not supported with the generic provider',
    explanation:
      'The Bucket CRD rejects `spec.serviceAccountName` with `provider: generic` — also when `provider` is omitted, since it defaults to `generic`.\n\nFix: set `spec.provider: azure`.',
    versions: { since: '2.7' },
    factRules: [4],
    docsUrl: FLUX_API_DOCS.Bucket,
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/provider-sa-unsupported-type',
    severity: 'warning',
    category: 'object',
    title: 'serviceAccountName has no effect for this Provider type',
    explanation:
      'Only `azureeventhub`, `azuredevops` and `googlepubsub` Providers use `spec.serviceAccountName`; for other types it is ignored.\n\nFix: remove it.',
    factRules: [5],
    docsUrl: FLUX_API_DOCS.Provider,
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/provider-sa-with-static-credentials',
    severity: 'error',
    category: 'object',
    title: 'Provider mixes workload identity with static credentials',
    explanation:
      'notification-controller fails the Provider when `serviceAccountName` is set and its Secret also has a `token`, or when an Event Hubs SAS connection string is combined with a `token` or `serviceAccountName`.\n\nFix: use exactly one authentication method.',
    factRules: [5],
    docsUrl: FLUX_API_DOCS.Provider,
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/secretref-overrides-provider',
    severity: 'warning',
    category: 'object',
    title: 'secretRef silently takes precedence over provider azure',
    explanation:
      'When `spec.secretRef` (or pull secrets of the ServiceAccount) yields credentials, the Azure login is skipped without notice, so the managed identity and its AcrPull grant are never used.\n\nFix: remove `secretRef` to use Entra ID, or drop `provider: azure` if static credentials are intended.',
    factRules: [6],
    docsUrl: fluxAzureDocs('acr'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/acr-host-mismatch',
    severity: 'error',
    category: 'object',
    title: 'provider azure with a registry that is not ACR',
    explanation:
      'With `provider: azure` the registry host must end in `.azurecr.io`, `.azurecr.us`, `.azurecr.cn` or `.azurecr.de` (or the `containerRegistryDNSSuffix` of `AZURE_ENVIRONMENT_FILEPATH` in a private cloud); otherwise authentication fails with "invalid Azure registry".\n\nFix: use the registry\'s login server, or change the provider.',
    factRules: [7],
    docsUrl: fluxAzureDocs('acr'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/ado-url-format',
    severity: 'error',
    category: 'object',
    title: 'GitRepository with provider azure needs a dev.azure.com HTTPS URL',
    explanation:
      'Entra ID authentication for Azure DevOps works only with `https://dev.azure.com/{org}/{project}/_git/{repo}`. SSH URLs and legacy `*.visualstudio.com` URLs do not get a token.\n\nFix: rewrite the URL to the dev.azure.com form.',
    factRules: [8],
    docsUrl: fluxAzureDocs('ado'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/ado-provider-address',
    severity: 'error',
    category: 'object',
    title: 'azuredevops Provider address must be a dev.azure.com repository URL',
    explanation:
      'The `azuredevops` Provider splits `spec.address` into exactly organization, project, `_git` and repository: `https://dev.azure.com/{org}/{project}/_git/{repo}`. Anything else fails when the Provider is used.\n\nFix: use the repository URL in that form.',
    factRules: [9],
    docsUrl: FLUX_API_DOCS.Provider,
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/eventhub-address-channel',
    severity: 'error',
    category: 'object',
    title: 'azureeventhub with Entra ID needs address (hub) and channel (namespace)',
    explanation:
      'Without a SAS connection string, the Event Hubs Provider needs `spec.address` = event hub **name** and `spec.channel` = Event Hubs **namespace** (short name or full `*.servicebus.*` host). Missing or swapped values fail delivery.\n\nFix: set both.',
    factRules: [10],
    docsUrl: fluxAzureDocs('eventHubs'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/helmrepository-provider-ignored',
    severity: 'warning',
    category: 'object',
    title: 'HelmRepository provider is ignored unless type is oci',
    explanation:
      '`spec.provider` only applies to OCI Helm repositories; with `type: default` (or unset) no Azure login happens.\n\nFix: set `spec.type: oci` for ACR, or remove `provider`.',
    factRules: [11],
    docsUrl: FLUX_API_DOCS.HelmRepository,
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/helmrepository-no-object-level-wi',
    severity: 'warning',
    category: 'object',
    title: 'HelmRepository has no serviceAccountName',
    explanation:
      'HelmRepository cannot use object-level workload identity: `spec.serviceAccountName` does not exist and is dropped or rejected. Only the source-controller identity applies.\n\nFix: for per-tenant ACR charts use an OCIRepository with `serviceAccountName` and reference it from the HelmRelease `chartRef`.',
    factRules: [11],
    docsUrl: fluxAzureDocs('acr'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  // ------------------------------------------------------------------ service accounts
  {
    code: 'flux-azure/sa-missing-annotations',
    severity: 'error',
    category: 'serviceAccount',
    title: 'ServiceAccount lacks the workload identity annotations Flux needs',
    explanation:
      'Flux object-level workload identity reads both `azure.workload.identity/client-id` and `azure.workload.identity/tenant-id` from the referenced ServiceAccount (same namespace). The tenant annotation is optional for AKS pods but required by Flux ("azure tenant ID is not set in the service account annotation").\n\nFix: add both annotations.',
    factRules: [12],
    docsUrl: fluxAzureDocs('supportedIdentityTypes'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/sa-annotation-not-guid',
    severity: 'error',
    category: 'serviceAccount',
    title: 'Workload identity annotation value is not a GUID',
    explanation:
      "Client and tenant IDs are GUIDs; any other value makes the token exchange fail.\n\nFix: use the managed identity's client ID and the tenant ID.",
    factRules: [12],
    docsUrl: fluxAzureDocs('supportedIdentityTypes'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/sa-not-found',
    severity: 'information',
    category: 'serviceAccount',
    title: 'Referenced ServiceAccount not found in the workspace',
    explanation:
      "No ServiceAccount with this name was found in the object's namespace in this workspace. It may be created elsewhere; if not, reconciliation fails.\n\nFix: add the ServiceAccount with the workload identity annotations.",
    factRules: [12],
    docsUrl: fluxAzureDocs('supportedIdentityTypes'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/kustomization-impersonation-sa',
    severity: 'hint',
    category: 'object',
    title: 'Kustomization serviceAccountName is impersonation, not Azure identity',
    explanation:
      '`spec.serviceAccountName` on a Kustomization selects the Kubernetes identity used to apply manifests. For Key Vault SOPS decryption with workload identity the field is `spec.decryption.serviceAccountName`.',
    factRules: [13],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/app-cert-not-supported-for-acr',
    severity: 'warning',
    category: 'patch',
    title: 'Application certificates do not work with ACR',
    explanation:
      'ACR integrations (OCIRepository, OCI HelmRepository, ImageRepository) do not support application certificates; a controller-level certificate on image-reflector-controller has no effect, and source-controller ignores it for ACR.\n\nFix: use workload identity or kubelet identity for ACR.',
    factRules: [14],
    docsUrl: fluxAzureDocs('appCertificates'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/node-level-identity-non-acr',
    severity: 'information',
    category: 'object',
    title: 'Node-level identity is only supported for ACR',
    explanation:
      "The object logs in to a service other than ACR with its controller's identity (no serviceAccountName, no secretRef), and the flux-system configuration in the repository gives that controller none, so it would fall back to the node (kubelet) identity. Flux documents and tests that only for ACR on AKS.\n\nFix: configure workload identity for the controller or the object (nothing to do if the controller identity is set up outside the repository, e.g. by the AKS Flux extension).",
    factRules: [15],
    docsUrl: fluxAzureDocs('nodeLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/provider-azure-missing',
    severity: 'warning',
    category: 'object',
    title: 'Azure endpoint without provider azure',
    explanation:
      'The object points at an Azure service (ACR host, dev.azure.com URL, blob endpoint) but does not set `provider: azure`, so no Entra ID login happens — not even with controller-level or kubelet identity.\n\nFix: set `spec.provider: azure` (leave `serviceAccountName` unset for controller-level identity).',
    factRules: [16],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/aks-object-level-unstable',
    severity: 'information',
    category: 'object',
    title: 'Object-level workload identity on AKS is flagged unstable by Flux',
    explanation:
      'For AKS clusters targeting Azure resources, Flux warns that object-level workload identity may stop working and may need extra configuration in future releases (fluxcd/flux2#5359).',
    factRules: [17],
    docsUrl: OTHER_DOCS.objectLevelWiAksIssue,
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  // ------------------------------------------------------------------ secrets
  {
    code: 'flux-azure/send-chain-quoting',
    severity: 'error',
    category: 'secret',
    title: 'clientCertificateSendChain has the wrong YAML type',
    explanation:
      'The same switch has three quoting rules: in a Bucket Secret it must be a quoted string (`"true"`), inside `sops.azure-kv` an unquoted boolean (`true`), and as the env var `AZURE_CLIENT_SEND_CERTIFICATE_CHAIN` a quoted string. The wrong form is rejected by the API server or fails to parse.\n\nFix: quote or unquote as required.',
    factRules: [18],
    docsUrl: fluxAzureDocs('appCertificates'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/bucket-secret-keys',
    severity: 'error',
    category: 'secret',
    title: 'Bucket Secret has no complete Azure credential set',
    explanation:
      'source-controller needs one of: `tenantId`+`clientId`+`clientSecret`; `tenantId`+`clientId`+`clientCertificate`; `clientId`; `accountKey`; `sasKey`. Otherwise it reports "invalid \'<name>\' secret data".\n\nFix: add the missing keys.',
    factRules: [19],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/sops-azure-kv-invalid',
    severity: 'error',
    category: 'secret',
    title: 'sops.azure-kv is not a valid credentials document',
    explanation:
      'The value of `sops.azure-kv` must parse as YAML/JSON and contain one of: `tenantId`+`clientId`+`clientSecret`; `tenantId`+`clientId`+`clientCertificate`; `appId`+`tenant`+`password`; `clientId` alone. Otherwise decryption fails.\n\nFix: complete one combination.',
    factRules: [20],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/app-cert-secret-keys',
    severity: 'error',
    category: 'secret',
    title: 'Controller certificate Secret keys do not match the patch',
    explanation:
      'The controller-level certificate patch mounts Secret key `cert-and-key` (volumeMount `subPath`) and reads the password from key `key-password`. A Secret without those keys leaves the pod failing to start or the credential unreadable.\n\nFix: rename the keys or align the patch.',
    factRules: [21],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  // ------------------------------------------------------------------ patches
  {
    code: 'flux-azure/wi-use-label-placement',
    severity: 'warning',
    category: 'patch',
    title: 'azure.workload.identity/use belongs on the pod template',
    explanation:
      "The AKS webhook only looks at pod labels. On the ServiceAccount or the Deployment's own metadata the label is harmless but does nothing, so no token is injected.\n\nFix: move it to `spec.template.metadata.labels`.",
    factRules: [22],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/wi-use-label-not-string',
    severity: 'error',
    category: 'patch',
    title: 'azure.workload.identity/use must be the string "true"',
    explanation:
      'Label values are strings; an unquoted `true` is a YAML boolean and the API server rejects it.\n\nFix: write `"true"`.',
    factRules: [22],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/token-audience',
    severity: 'error',
    category: 'patch',
    title: 'Projected token audience must be api://AzureADTokenExchange',
    explanation:
      'Entra only exchanges ServiceAccount tokens issued for `api://AzureADTokenExchange`; any other audience fails with an invalid-audience error.\n\nFix: set the audience exactly.',
    factRules: [23],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/federated-token-file-mismatch',
    severity: 'error',
    category: 'patch',
    title: 'AZURE_FEDERATED_TOKEN_FILE does not point at the projected token',
    explanation:
      '`AZURE_FEDERATED_TOKEN_FILE` must equal the volumeMount `mountPath` + `/` + the projected `path`; otherwise the controller cannot read its token.\n\nFix: align the env var with the mount.',
    factRules: [23],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/authority-host',
    severity: 'warning',
    category: 'patch',
    title: 'Unexpected AZURE_AUTHORITY_HOST',
    explanation:
      'Expected `https://login.microsoftonline.com/` (public), `https://login.microsoftonline.us/` (US Gov) or `https://login.chinacloudapi.cn/` (China), with the trailing slash. Flux also derives the Event Hubs suffix and the AKS cloud from it. Private clouds may use their own host.',
    factRules: [24],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/gate-name',
    severity: 'error',
    category: 'patch',
    title: 'Malformed ObjectLevelWorkloadIdentity feature gate',
    explanation:
      'The gate name is case-sensitive and the argument must read `--feature-gates=ObjectLevelWorkloadIdentity=true` (several gates comma-separated). A misspelled gate makes the controller exit at start-up.\n\nFix: correct the argument.',
    factRules: [25],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/patch-path',
    severity: 'error',
    category: 'patch',
    title: 'Patch path or target kind does not fit a Flux controller',
    explanation:
      'Controller patches append to `/spec/template/spec/containers/0/{args,env,volumeMounts}/-` and `/spec/template/spec/volumes/-` of a `Deployment`; ServiceAccount annotation patches target `kind: ServiceAccount`. Other paths or kinds fail the kustomize build or change nothing.\n\nFix: use the documented path and target kind.',
    factRules: [26],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/patch-target-name',
    severity: 'warning',
    category: 'patch',
    title: 'Patch target name matches no Flux controller',
    explanation:
      '`target.name` is a regular expression matched against the whole name; if it selects none of `source-controller`, `kustomize-controller`, `helm-controller`, `notification-controller`, `image-reflector-controller`, `image-automation-controller` (or `source-watcher` in 2.7+) the patch silently does nothing.\n\nFix: correct the name or the regex.',
    factRules: [27],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/lockdown-without-gate',
    severity: 'error',
    category: 'patch',
    title: 'Default ServiceAccount flags need the ObjectLevelWorkloadIdentity gate',
    explanation:
      '`--default-decryption-service-account`, `--default-kubeconfig-service-account`, and `--default-service-account` on source-, notification- and image-controllers, make the controller refuse to start without the gate ("inconsistent object-level configuration"). On kustomize- and helm-controller `--default-service-account` is the older impersonation default and needs no gate.\n\nFix: add the gate to the same controllers.',
    versions: { since: '2.7' },
    factRules: [28],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/lockdown-flag-unsupported',
    severity: 'error',
    category: 'patch',
    title: 'Controller does not accept this default ServiceAccount flag',
    explanation:
      'Lockdown flags exist from Flux 2.7; `--default-decryption-service-account` only on kustomize-controller and `--default-kubeconfig-service-account` only on kustomize- and helm-controller. An unknown flag stops the controller from starting.\n\nFix: target only controllers that accept the flag.',
    factRules: [28],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  // ------------------------------------------------------------------ Azure side (ASO manifests / Azure data)
  {
    code: 'flux-azure/fic-subject',
    severity: 'error',
    category: 'azure',
    title: 'Federated credential subject is malformed',
    explanation:
      "The subject must be exactly `system:serviceaccount:<namespace>:<name>`; Entra compares it case-sensitively, so any difference means the token exchange is refused.\n\nFix: use the ServiceAccount's namespace and name.",
    factRules: [29],
    docsUrl: fluxAzureDocs('supportedIdentityTypes'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/fic-audience',
    severity: 'error',
    category: 'azure',
    title: 'Federated credential audience must be api://AzureADTokenExchange',
    explanation:
      'Flux requests tokens for `api://AzureADTokenExchange`; a credential with another audience never matches.\n\nFix: set `audiences: ["api://AzureADTokenExchange"]`.',
    factRules: [29],
    docsUrl: fluxAzureDocs('supportedIdentityTypes'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/scope-format',
    severity: 'error',
    category: 'azure',
    title: 'Not a recognised ARM scope',
    explanation:
      'Role assignment scopes are ARM ids: management group, subscription, resource group or resource (`/subscriptions/{id}/resourceGroups/{rg}/providers/...`). A malformed scope is rejected by ARM.',
    factRules: [30],
    docsUrl: fluxAzureDocs('authorization'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/role-mismatch',
    severity: 'warning',
    category: 'azure',
    title: 'Role does not match the integration',
    explanation:
      'The granted role does not carry the permission the Flux integration uses (e.g. Owner/Contributor have no data actions, so they do not allow reading blobs or decrypting with Key Vault keys), or grants far more than needed.\n\nFix: grant the recommended role.',
    factRules: [30],
    docsUrl: fluxAzureDocs('authorization'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/keyvault-permission-model',
    severity: 'information',
    category: 'azure',
    title: 'Key Vault Crypto User needs the RBAC permission model',
    explanation:
      'Vaults on legacy access policies ignore Azure RBAC data roles; grant an access policy with key `get` and `decrypt`, or switch the vault to Azure RBAC.',
    factRules: [31],
    docsUrl: OTHER_DOCS.keyVaultRbac,
    quickFix: false,
    manifestCheckable: false,
    crossFile: false,
  },
  {
    code: 'flux-azure/acr-abac-mode',
    severity: 'information',
    category: 'azure',
    title: 'ABAC-mode registries ignore AcrPull',
    explanation:
      'Registries in "RBAC Registry + ABAC Repository Permissions" mode do not honour AcrPull/AcrPush; grant **Container Registry Repository Reader**.',
    factRules: [31],
    docsUrl: OTHER_DOCS.acrAbac,
    quickFix: false,
    manifestCheckable: false,
    crossFile: false,
  },
  // ------------------------------------------------------------------ API versions and removed switches
  {
    code: 'flux-azure/api-version-removed',
    severity: 'error',
    category: 'version',
    title: 'API version not served by this Flux version',
    explanation:
      'The CRD no longer serves this apiVersion, so applying fails.\n\nFix: migrate to the current version (`flux migrate` helps).',
    factRules: [],
    docsUrl: fluxAzureDocs(),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/api-version-deprecated',
    severity: 'information',
    category: 'version',
    title: 'Deprecated API version',
    explanation:
      'Still served, but deprecated and removed in a later Flux release.\n\nFix: move to the current version.',
    factRules: [],
    docsUrl: fluxAzureDocs(),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/acr-autologin-flag-removed',
    severity: 'error',
    category: 'version',
    title: '--azure-autologin-for-acr was removed in Flux 2.7',
    explanation:
      'image-reflector-controller no longer accepts the auto-login flags and fails to start with them. ACR login now comes only from `spec.provider: azure` on each ImageRepository.\n\nFix: remove the flag and set `provider: azure`.',
    versions: { since: '2.7' },
    factRules: [],
    docsUrl: FLUX_API_DOCS.ImageRepository,
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/eventhub-jwt-deprecated',
    severity: 'information',
    category: 'version',
    title: 'Event Hubs JWT token authentication is deprecated',
    explanation:
      'A JWT `token` in the Secret of an `azureeventhub` Provider is deprecated since Flux 2.7 and will be removed with Provider v1.\n\nFix: use workload identity or a SAS connection string.',
    versions: { since: '2.7' },
    factRules: [],
    docsUrl: FLUX_API_DOCS.Provider,
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  // ------------------------------------------------------------------ security
  {
    code: 'flux-azure/plaintext-private-key',
    severity: 'warning',
    category: 'security',
    title: 'Unencrypted private key in a Secret',
    explanation:
      'This Secret holds a PEM private key (e.g. `clientCertificate`, `cert-and-key`) and is not SOPS-encrypted. Anyone with read access to the repository can authenticate as the application.\n\nFix: encrypt the Secret with SOPS, or switch to workload identity.',
    factRules: [],
    docsUrl: OTHER_DOCS.sops,
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/plaintext-client-secret',
    severity: 'warning',
    category: 'security',
    title: 'Unencrypted client secret in a Secret',
    explanation:
      'This Secret holds a client secret, account key, SAS or password in plain text and is not SOPS-encrypted.\n\nFix: encrypt the Secret with SOPS, or switch to workload identity.',
    factRules: [],
    docsUrl: OTHER_DOCS.sops,
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/file-not-analysed',
    severity: 'information',
    category: 'input',
    title: 'File not analysed',
    explanation:
      'The file is too large or is not text (binary content), so Flux for Azure does not analyse it. Nothing else in the workspace is affected.',
    factRules: [],
    docsUrl: fluxAzureDocs(),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/placeholder',
    severity: 'information',
    category: 'security',
    title: 'Documentation placeholder left in',
    explanation:
      'This value still contains a placeholder copied from the docs (e.g. `CLIENT_ID`, `(some-controller)`, `<tenant ID>`); it will fail at runtime.\n\nFix: replace it with the real value.',
    factRules: [],
    docsUrl: fluxAzureDocs(),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
] as const satisfies readonly RuleShape[];

export type RuleCode = (typeof RULES_LITERAL)[number]['code'];

export type RuleDef = Keyed<RuleShape, 'code', RuleCode>;

export const RULES: readonly RuleDef[] = RULES_LITERAL;
const ruleCodes = keysOf(RULES, 'code');
export const RULE_CODES: readonly RuleCode[] = ruleCodes.keys;
export const isRuleCode = ruleCodes.is;
/** Rule metadata by code. */
export const ruleByCode = lookup(RULES, 'code');

/** Rules covering a fact-sheet rule number. */
export function rulesForFactRule(n: number): RuleDef[] {
  return RULES.filter((r) => (r.factRules as readonly number[]).includes(n));
}
