/** Diagnostics about the ServiceAccounts and Secrets Flux objects name. */
import { OTHER_DOCS, fluxAzureDocs } from '../docs';
import type { RuleShape } from './shape';

export const IDENTITY_RULES = [
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
] as const satisfies readonly RuleShape[];
