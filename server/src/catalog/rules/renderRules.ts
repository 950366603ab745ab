/** Diagnostics about what Flux applies: the kustomize build and kustomize-controller's own steps failing or doing nothing. */
import { FLUX_API_DOCS } from '../docs';
import type { RuleShape } from './shape';

export const RENDER_RULES = [
  {
    code: 'flux-azure/render-failed',
    severity: 'warning',
    category: 'input',
    title: 'What Flux applies cannot be built from here',
    explanation:
      'Rendering the cluster as kustomize and kustomize-controller do fails at this line: a JSON6902 operation whose path does not exist (`kustomize build` stops), or a `${VAR}` with no value and no default while strict post-build substitution is on (Flux 2.9+: `variable not set (strict mode)`). The Kustomization that applies it does not become Ready.\n\nFix: correct the patch path, or give the variable a value (`spec.postBuild.substitute`, a ConfigMap or Secret in `substituteFrom`) or a default (`${VAR:=value}`).',
    factRules: [],
    docsUrl: FLUX_API_DOCS.Kustomization,
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/patch-matches-nothing',
    severity: 'information',
    category: 'patch',
    title: 'Patch changes nothing in what Flux applies',
    explanation:
      'kustomize found no object for this patch (its target, or the kind and name it names), so the setting it carries — a provider, a feature gate, an identity annotation — is not applied. Often a selector or name that no longer matches after a rename.\n\nFix: correct the target, or remove the patch.',
    factRules: [],
    docsUrl: FLUX_API_DOCS.Kustomization,
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
] as const satisfies readonly RuleShape[];
