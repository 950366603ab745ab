/**
 * Flux Operator `FluxInstance` fields that configure the same things as the flux-system patches.
 * The language server treats `.spec.kustomize.patches` of a FluxInstance like flux-system
 * kustomization patches.
 */
import { LOCKDOWN_FLAGS } from './controllers';
import { azureField, field, type FieldDef } from './kinds/fields';

export const FLUX_INSTANCE_API_VERSION = 'fluxcd.controlplane.io/v1';
export const FLUX_INSTANCE_KIND = 'FluxInstance';

/** Path of the kustomize patches list inside a FluxInstance. */
export const FLUX_INSTANCE_PATCHES_PATH = ['spec', 'kustomize', 'patches'] as const;
/** Path of the Flux version a FluxInstance installs (e.g. '2.7.x'). */
export const FLUX_INSTANCE_VERSION_PATH = ['spec', 'distribution', 'version'] as const;

/** The FluxInstance setting that passes a lockdown flag (the flag's own entry names the field), on whom it lands. */
function lockdownSetting(flag: (typeof LOCKDOWN_FLAGS)[number], on: string): FieldDef {
  return azureField(flag.fluxInstanceField, 'string', `Sets \`${flag.flag}\` on ${on}.`, { versions: flag.versions });
}
const [DEFAULT_SA, DEFAULT_DECRYPTION_SA, DEFAULT_KUBECONFIG_SA] = LOCKDOWN_FLAGS;

export const FLUX_INSTANCE_FIELDS: readonly FieldDef[] = [
  field(
    FLUX_INSTANCE_VERSION_PATH,
    'string',
    'Flux version to install (semver range such as `2.7.x`); the language server reads the Flux version from it.',
  ),
  azureField(['spec', 'cluster', 'type'], 'string', 'Cluster flavour; `azure` for AKS.', {
    enum: [
      { value: 'kubernetes', description: 'Generic Kubernetes.' },
      { value: 'openshift', description: 'OpenShift.' },
      { value: 'aws', description: 'EKS.' },
      { value: 'azure', description: 'AKS.', azure: true },
      { value: 'gcp', description: 'GKE.' },
    ],
  }),
  azureField(
    ['spec', 'cluster', 'objectLevelWorkloadIdentity'],
    'boolean',
    'Enables the `ObjectLevelWorkloadIdentity` feature gate on the controllers that support it (Flux 2.6+).',
    { versions: { since: '2.6' } },
  ),
  azureField(
    ['spec', 'cluster', 'multitenantWorkloadIdentity'],
    'boolean',
    'Lock tenants to their default ServiceAccounts for cloud access; requires `objectLevelWorkloadIdentity: true` (CRD rule).',
    { versions: { since: '2.7' } },
  ),
  lockdownSetting(DEFAULT_SA, 'the controllers'),
  lockdownSetting(DEFAULT_DECRYPTION_SA, 'kustomize-controller'),
  lockdownSetting(DEFAULT_KUBECONFIG_SA, 'kustomize-controller and helm-controller'),
  azureField(
    FLUX_INSTANCE_PATCHES_PATH,
    'array',
    'Kustomize patches applied to the Flux manifests — same shape as flux-system `kustomization.yaml` `patches` (identity, gate, lockdown).',
  ),
];
