/** API groups of the kinds the catalog describes, so that no other module types them out again. */

/** The Flux toolkit API groups, by the controller family that serves them. */
export const FLUX_API_GROUPS = {
  source: 'source.toolkit.fluxcd.io',
  kustomize: 'kustomize.toolkit.fluxcd.io',
  helm: 'helm.toolkit.fluxcd.io',
  image: 'image.toolkit.fluxcd.io',
  notification: 'notification.toolkit.fluxcd.io',
} as const;
export type FluxApiGroup = (typeof FLUX_API_GROUPS)[keyof typeof FLUX_API_GROUPS];

/** kustomize's own group: its `Kustomization` (kustomization.yaml) is not Flux's `Kustomization`. */
export const KUSTOMIZE_CONFIG_GROUP = 'kustomize.config.k8s.io';

/** The group part of an `apiVersion` ('' for the core group, e.g. `v1`). */
export function apiGroupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash).trim();
}
