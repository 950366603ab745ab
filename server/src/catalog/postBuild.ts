/**
 * kustomize-controller's post-build variable substitution (`spec.postBuild`), from its API and controller
 * (flux-azure-facts §8.3).
 */

/** The annotation (and value) that exempts an object from substitution. */
export const SUBSTITUTE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/substitute';
export const SUBSTITUTE_DISABLED = 'disabled';

/**
 * `StrictPostBuildSubstitutions` is on by default from this Flux minor version (kustomize-controller 1.9): a
 * `${VAR}` with no value and no default fails the apply (`variable not set (strict mode)`). Before, it became ''.
 */
export const STRICT_SUBSTITUTION_FROM_MINOR = 9;
