/**
 * The ConfigMap referenced by Kustomization / HelmRelease `.spec.kubeConfig.configMapRef` for
 * remote clusters reached with a cloud identity (Flux 2.7+), Azure flavour.
 */
import type { VersionRange } from './versions';

export interface ConfigMapKeyDef {
  readonly key: string;
  readonly description: string;
  readonly required: boolean;
}

export const REMOTE_CLUSTER_VERSIONS: VersionRange = { since: '2.7' };

export const KUBECONFIG_CONFIGMAP_KEYS = [
  { key: 'provider', description: 'Cloud of the remote cluster; `azure` for AKS.', required: true },
  {
    key: 'cluster',
    description:
      'ARM id of the AKS cluster (`/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.ContainerService/managedClusters/<name>`).',
    required: true,
  },
  {
    key: 'address',
    description:
      "API server URL; must be one of the hosts in the cluster's kubeconfig (e.g. the private FQDN). Defaults to the first.",
    required: false,
  },
  {
    key: 'ca.crt',
    description: 'CA bundle of the API server, overriding the one from the cluster credentials.',
    required: false,
  },
  { key: 'audiences', description: 'Token audiences for the API server (rarely needed on AKS).', required: false },
  {
    key: 'serviceAccountName',
    description:
      'ServiceAccount (namespace of the Flux object) whose managed identity is used — object level, needs the `ObjectLevelWorkloadIdentity` gate. Leave unset for controller-level identity.',
    required: false,
  },
] as const satisfies readonly ConfigMapKeyDef[];

/** `cluster` value accepted for provider azure (case-insensitive). */
export const AKS_CLUSTER_ID_REGEX =
  /^\/subscriptions\/[^/]{36}\/resourceGroups\/[^/]+\/providers\/Microsoft\.ContainerService\/managedClusters\/[^/]+$/i;

export const REMOTE_CLUSTER_PROVIDERS = ['aws', 'azure', 'gcp', 'generic'] as const;
