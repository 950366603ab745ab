/**
 * Documentation links used by hovers, rule explanations and code-action titles.
 */

/** The Flux "Microsoft Azure" integration page. */
export const FLUX_AZURE_DOCS = 'https://fluxcd.io/flux/integrations/azure/';

/** Section anchors of the Flux Azure integration page. */
const FLUX_AZURE_ANCHORS = {
  identity: 'identity',
  accessManagement: 'access-management',
  grantingPermissions: 'granting-permissions',
  authorization: 'authorization',
  acr: 'for-azure-container-registry',
  ado: 'for-azure-devops',
  blob: 'for-azure-blob-storage',
  keyVault: 'for-azure-key-vault',
  aks: 'for-azure-kubernetes-service',
  eventHubs: 'for-azure-event-hubs',
  authentication: 'authentication',
  workloadIdentity: 'with-workload-identity-federation',
  supportedClusters: 'supported-clusters',
  supportedIdentityTypes: 'supported-identity-types',
  appCertificates: 'with-application-certificates',
  objectLevel: 'at-the-object-level',
  controllerLevel: 'at-the-controller-level',
  nodeLevel: 'at-the-node-level',
} as const;
export type FluxAzureAnchor = keyof typeof FLUX_AZURE_ANCHORS;

/** Full URL of a section of the Flux Azure integration page. */
export function fluxAzureDocs(anchor?: FluxAzureAnchor): string {
  return anchor ? `${FLUX_AZURE_DOCS}#${FLUX_AZURE_ANCHORS[anchor]}` : FLUX_AZURE_DOCS;
}

/** Flux API reference pages per kind. */
export const FLUX_API_DOCS = {
  OCIRepository: 'https://fluxcd.io/flux/components/source/ocirepositories/',
  HelmRepository: 'https://fluxcd.io/flux/components/source/helmrepositories/',
  GitRepository: 'https://fluxcd.io/flux/components/source/gitrepositories/',
  Bucket: 'https://fluxcd.io/flux/components/source/buckets/',
  ImageRepository: 'https://fluxcd.io/flux/components/image/imagerepositories/',
  ImagePolicy: 'https://fluxcd.io/flux/components/image/imagepolicies/',
  ImageUpdateAutomation: 'https://fluxcd.io/flux/components/image/imageupdateautomations/',
  Kustomization: 'https://fluxcd.io/flux/components/kustomize/kustomizations/',
  HelmRelease: 'https://fluxcd.io/flux/components/helm/helmreleases/',
  Provider: 'https://fluxcd.io/flux/components/notification/providers/',
} as const;

/** Other reference pages. */
export const OTHER_DOCS = {
  bootstrapCustomization: 'https://fluxcd.io/flux/installation/configuration/boostrap-customization/',
  aksWorkloadIdentity: 'https://learn.microsoft.com/en-us/azure/aks/workload-identity-overview',
  aksWorkloadIdentityDeploy: 'https://learn.microsoft.com/en-us/azure/aks/workload-identity-deploy-cluster',
  aksAcrIntegration: 'https://learn.microsoft.com/en-us/azure/aks/cluster-container-registry-integration',
  builtInRoles: 'https://learn.microsoft.com/en-us/azure/role-based-access-control/built-in-roles',
  acrAbac:
    'https://learn.microsoft.com/en-us/azure/container-registry/container-registry-rbac-abac-repository-permissions',
  keyVaultRbac: 'https://learn.microsoft.com/en-us/azure/key-vault/general/rbac-guide',
  federatedCredentials: 'https://learn.microsoft.com/en-us/graph/api/resources/federatedidentitycredentials-overview',
  adoServicePrincipals:
    'https://learn.microsoft.com/en-us/azure/devops/integrate/get-started/authentication/service-principal-managed-identity',
  asoAuthorization: 'https://azure.github.io/azure-service-operator/reference/authorization/',
  asoManagedIdentity: 'https://azure.github.io/azure-service-operator/reference/managedidentity/',
  fluxOperatorInstance: 'https://fluxcd.control-plane.io/operator/fluxinstance/',
  aksGitOpsFlux: 'https://learn.microsoft.com/en-us/azure/azure-arc/kubernetes/tutorial-use-gitops-flux2',
  objectLevelWiAksIssue: 'https://github.com/fluxcd/flux2/issues/5359',
  sops: 'https://fluxcd.io/flux/guides/mozilla-sops/',
} as const;
