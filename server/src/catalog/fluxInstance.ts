/**
 * Flux Operator `FluxInstance` fields that configure the same things as the flux-system patches.
 * The language server treats `.spec.kustomize.patches` of a FluxInstance like flux-system
 * kustomization patches.
 */
import type { FieldDef } from './kinds';

export const FLUX_INSTANCE_API_VERSION = 'fluxcd.controlplane.io/v1';
export const FLUX_INSTANCE_KIND = 'FluxInstance';

/** Path of the kustomize patches list inside a FluxInstance. */
export const FLUX_INSTANCE_PATCHES_PATH = ['spec', 'kustomize', 'patches'] as const;
/** Path of the Flux version a FluxInstance installs (e.g. '2.7.x'). */
export const FLUX_INSTANCE_VERSION_PATH = ['spec', 'distribution', 'version'] as const;

export const FLUX_INSTANCE_FIELDS = [
  {
    path: ['spec', 'distribution', 'version'],
    type: 'string',
    description:
      'Flux version to install (semver range such as `2.7.x`); the language server reads the Flux version from it.',
    azure: false,
  },
  {
    path: ['spec', 'cluster', 'type'],
    type: 'string',
    description: 'Cluster flavour; `azure` for AKS.',
    enum: [
      { value: 'kubernetes', description: 'Generic Kubernetes.' },
      { value: 'openshift', description: 'OpenShift.' },
      { value: 'aws', description: 'EKS.' },
      { value: 'azure', description: 'AKS.', azure: true },
      { value: 'gcp', description: 'GKE.' },
    ],
    azure: true,
  },
  {
    path: ['spec', 'cluster', 'objectLevelWorkloadIdentity'],
    type: 'boolean',
    description:
      'Enables the `ObjectLevelWorkloadIdentity` feature gate on the controllers that support it (Flux 2.6+).',
    versions: { since: '2.6' },
    azure: true,
  },
  {
    path: ['spec', 'cluster', 'multitenantWorkloadIdentity'],
    type: 'boolean',
    description:
      'Lock tenants to their default ServiceAccounts for cloud access; requires `objectLevelWorkloadIdentity: true` (CRD rule).',
    versions: { since: '2.7' },
    azure: true,
  },
  {
    path: ['spec', 'cluster', 'tenantDefaultServiceAccount'],
    type: 'string',
    description: 'Sets `--default-service-account` on the controllers.',
    versions: { since: '2.7' },
    azure: true,
  },
  {
    path: ['spec', 'cluster', 'tenantDefaultDecryptionServiceAccount'],
    type: 'string',
    description: 'Sets `--default-decryption-service-account` on kustomize-controller.',
    versions: { since: '2.7' },
    azure: true,
  },
  {
    path: ['spec', 'cluster', 'tenantDefaultKubeConfigServiceAccount'],
    type: 'string',
    description: 'Sets `--default-kubeconfig-service-account` on kustomize-controller and helm-controller.',
    versions: { since: '2.7' },
    azure: true,
  },
  {
    path: ['spec', 'kustomize', 'patches'],
    type: 'array',
    description:
      'Kustomize patches applied to the Flux manifests — same shape as flux-system `kustomization.yaml` `patches` (identity, gate, lockdown).',
    azure: true,
  },
] as const satisfies readonly FieldDef[];
