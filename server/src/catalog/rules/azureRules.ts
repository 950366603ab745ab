/** Diagnostics from the Azure side: ASO manifests and what Azure reports (roles, identities). */
import { OTHER_DOCS, fluxAzureDocs } from '../docs';
import type { RuleShape } from './shape';

export const AZURE_RULES = [
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
    code: 'flux-azure/fic-subject-no-service-account',
    severity: 'warning',
    category: 'azure',
    title: 'Federated credential names a ServiceAccount the fleet does not have',
    explanation:
      "No cluster of the repository, as Flux renders it (overlays, prefixes and namespaces applied, the Flux controllers' own ServiceAccounts included), has a ServiceAccount with exactly this namespace and name. Entra matches the subject case-sensitively against the token's `system:serviceaccount:<namespace>:<name>`, so the credential is never used.\n\nFix: use the namespace and name of the ServiceAccount as rendered.",
    factRules: [29],
    docsUrl: fluxAzureDocs('supportedIdentityTypes'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: true,
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
  // ------------------------------------------------------------------ readiness rows (`flux-azure-check --azure`)
  {
    code: 'flux-azure/azure-readiness',
    severity: 'information',
    category: 'azure',
    title: 'The identity can reach the Azure resource',
    explanation:
      "Asked of Azure, not read from the manifests: the identity the object runs as holds a role that covers the resource (directly, through a group or inherited from a resource group, subscription or management group), and the resource's own settings let it in (Key Vault permission model, registry role-assignment mode, shared-key or local authentication for static credentials). ✗ names what is missing and the command that grants it; ? says what could not be read.",
    factRules: [30, 31],
    docsUrl: fluxAzureDocs('grantingPermissions'),
    quickFix: false,
    manifestCheckable: false,
    crossFile: true,
  },
  {
    code: 'flux-azure/azure-federation',
    severity: 'information',
    category: 'azure',
    title: "The identity trusts the ServiceAccount's token",
    explanation:
      "Asked of Azure, not read from the manifests: a federated identity credential of the user-assigned identity names the OIDC issuer of the AKS cluster the controller runs in, the ServiceAccount's subject `system:serviceaccount:<namespace>:<name>` exactly (Entra compares case-sensitively) and the audience `api://AzureADTokenExchange`, and the cluster has the OIDC issuer and workload identity enabled. Otherwise the token exchange fails with AADSTS70021. ✗ shows both strings of the part that differs and the command that creates the credential.",
    factRules: [29],
    docsUrl: fluxAzureDocs('workloadIdentity'),
    quickFix: false,
    manifestCheckable: false,
    crossFile: true,
  },
] as const satisfies readonly RuleShape[];
