/**
 * Diagnostics about API versions and removed switches, then the hygiene of what is written: plain-text credentials,
 * doc placeholders left in, files not analysed.
 */
import { FLUX_API_DOCS, OTHER_DOCS, fluxAzureDocs } from '../docs';
import type { RuleShape } from './shape';

export const VERSION_RULES = [
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
    code: 'flux-azure/repo-config-invalid',
    severity: 'error',
    category: 'input',
    title: '.flux-azure.yaml is not valid',
    explanation:
      '`.flux-azure.yaml` at the repository root says, per cluster directory, how Flux is installed (`install`: bootstrap, flux-operator, helm-chart, aks-extension, unknown), its Flux version and the AKS cluster resource id. ' +
      'An entry that cannot be read is ignored, and the cluster is judged from what the repository shows.\n\nFix: correct the entry (the editor validates the file against the schema shipped with the extension).',
    factRules: [],
    docsUrl: fluxAzureDocs(),
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
