/**
 * Flux Operator `FluxInstance` fields that configure the same things as the flux-system patches.
 * The language server treats `.spec.kustomize.patches` of a FluxInstance like flux-system
 * kustomization patches.
 */
import { LOCKDOWN_FLAGS, type ControllerName } from './controllers';
import { parseFluxVersion } from './versions';
import { azureField, field, type FieldDef } from './kinds/fields';

export const FLUX_INSTANCE_API_VERSION = 'fluxcd.controlplane.io/v1';
export const FLUX_INSTANCE_KIND = 'FluxInstance';

/** Path of the kustomize patches list inside a FluxInstance. */
export const FLUX_INSTANCE_PATCHES_PATH = ['spec', 'kustomize', 'patches'] as const;
/** Path of the Flux version a FluxInstance installs (e.g. '2.7.x'). */
export const FLUX_INSTANCE_VERSION_PATH = ['spec', 'distribution', 'version'] as const;

/** `spec.cluster.objectLevelWorkloadIdentity`: the operator's switch for the gate and the token RBAC rule. */
export const FLUX_INSTANCE_OLWI_PATH = ['spec', 'cluster', 'objectLevelWorkloadIdentity'] as const;
/** `spec.components` (enum of controller names; operator `api/v1/fluxinstance_types.go` `Component`). */
export const FLUX_INSTANCE_COMPONENTS_PATH = ['spec', 'components'] as const;
/** What the operator installs when `spec.components` is omitted (`internal/builder/components.go` `DefaultComponents`). */
export const FLUX_INSTANCE_DEFAULT_COMPONENTS: readonly ControllerName[] = [
  'source-controller',
  'kustomize-controller',
  'helm-controller',
  'notification-controller',
];

/**
 * The Flux minor version a `spec.distribution.version` semver expression pins: `2.7.x`, `2.7.3`, `v2.7` give 2.7;
 * `2.x`, `*` or a range pin none (the operator picks the newest), so the version is unknown.
 */
export function fluxInstanceVersion(text: string): string | undefined {
  return parseFluxVersion(text.trim().replace(/^(v?\d+\.\d+)\.x$/, '$1'));
}

/** The FluxInstance setting that passes a lockdown flag (the flag's own entry names the field), on whom it lands. */
function lockdownSetting(flag: (typeof LOCKDOWN_FLAGS)[number], on: string): FieldDef {
  return azureField(flag.fluxInstanceField, 'string', `Sets \`${flag.flag}\` on ${on}.`, { versions: flag.versions });
}
const [DEFAULT_SA, DEFAULT_DECRYPTION_SA, DEFAULT_KUBECONFIG_SA] = LOCKDOWN_FLAGS;

export const FLUX_INSTANCE_FIELDS: readonly FieldDef[] = [
  field(
    FLUX_INSTANCE_VERSION_PATH,
    'string',
    'Flux version to install, a semver expression (`2.7.x`, `2.x`); the language server reads the Flux version from it when it pins a minor version.',
  ),
  field(
    FLUX_INSTANCE_COMPONENTS_PATH,
    'array',
    'Controllers to install (`source-controller`, `kustomize-controller`, `helm-controller`, `notification-controller`, `image-reflector-controller`, `image-automation-controller`, `source-watcher`). Omitted: the first four only.',
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
    FLUX_INSTANCE_OLWI_PATH,
    'boolean',
    "Enables the `ObjectLevelWorkloadIdentity` feature gate on the controllers that support it (Flux 2.6+). When not true the operator removes the `serviceaccounts/token create` rule from the controllers' ClusterRole (and on Flux 2.7+ passes the gate as `=false`), so a gate patch in `spec.kustomize.patches` cannot replace it.",
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
