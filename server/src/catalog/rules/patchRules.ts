/** Diagnostics about the flux-system controller patches (identity, gate, lockdown). */
import { fluxAzureDocs, OTHER_DOCS } from '../docs';
import type { RuleShape } from './shape';

export const PATCH_RULES = [
  // ------------------------------------------------------------------ install modes
  {
    code: 'flux-azure/fluxinstance-gate-patch',
    severity: 'warning',
    category: 'patch',
    title: 'On a FluxInstance the gate is spec.cluster.objectLevelWorkloadIdentity, not a patch',
    explanation:
      "The Flux Operator removes the `serviceaccounts/token create` rule from the controllers' ClusterRole unless `spec.cluster.objectLevelWorkloadIdentity` is true (and on Flux 2.7+ passes the gate as `=false` itself). " +
      'A gate patch in `spec.kustomize.patches` turns the flag on, but the controllers may not request tokens, so object-level workload identity fails with a forbidden error.\n\nFix: set `spec.cluster.objectLevelWorkloadIdentity: true` and drop the gate from the patch.',
    versions: { since: '2.6' },
    factRules: [],
    docsUrl: OTHER_DOCS.fluxOperatorInstance,
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/controllers-not-in-repo',
    severity: 'information',
    category: 'patch',
    title: 'The controllers of this cluster are not installed from this repository',
    explanation:
      'The cluster directory shows no `flux bootstrap` files, no FluxInstance and no `flux2` Helm chart: Flux runs as the AKS GitOps extension (`microsoft.flux`) or is installed elsewhere. ' +
      'A kustomize patch of a Flux controller here matches nothing, so the checks of controller patches are not run on it.\n\nOn the AKS extension, controller workload identity is an extension setting: `az k8s-extension update --extension-type microsoft.flux --config workloadIdentity.enable=true workloadIdentity.azureClientId=<client-id>`. ' +
      'Say how each cluster installs Flux in `.flux-azure.yaml` at the repository root.',
    factRules: [],
    docsUrl: OTHER_DOCS.aksGitOpsFlux,
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  // ------------------------------------------------------------------ patches
  {
    code: 'flux-azure/wi-use-label-placement',
    severity: 'warning',
    category: 'patch',
    title: 'azure.workload.identity/use belongs on the pod template',
    explanation:
      "The AKS webhook only looks at pod labels. On the ServiceAccount or the Deployment's own metadata the label is harmless but does nothing, so no token is injected.\n\nFix: move it to `spec.template.metadata.labels`.",
    factRules: [22],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/wi-use-label-not-string',
    severity: 'error',
    category: 'patch',
    title: 'azure.workload.identity/use must be the string "true"',
    explanation:
      'Label values are strings; an unquoted `true` is a YAML boolean and the API server rejects it.\n\nFix: write `"true"`.',
    factRules: [22],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/token-audience',
    severity: 'error',
    category: 'patch',
    title: 'Projected token audience must be api://AzureADTokenExchange',
    explanation:
      'Entra only exchanges ServiceAccount tokens issued for `api://AzureADTokenExchange`; any other audience fails with an invalid-audience error.\n\nFix: set the audience exactly.',
    factRules: [23],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/federated-token-file-mismatch',
    severity: 'error',
    category: 'patch',
    title: 'AZURE_FEDERATED_TOKEN_FILE does not point at the projected token',
    explanation:
      '`AZURE_FEDERATED_TOKEN_FILE` must equal the volumeMount `mountPath` + `/` + the projected `path`; otherwise the controller cannot read its token.\n\nFix: align the env var with the mount.',
    factRules: [23],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/authority-host',
    severity: 'warning',
    category: 'patch',
    title: 'Unexpected AZURE_AUTHORITY_HOST',
    explanation:
      'Expected `https://login.microsoftonline.com/` (public), `https://login.microsoftonline.us/` (US Gov) or `https://login.chinacloudapi.cn/` (China), with the trailing slash. Flux also derives the Event Hubs suffix and the AKS cloud from it. Private clouds may use their own host.',
    factRules: [24],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/gate-unknown',
    severity: 'error',
    category: 'patch',
    title: 'Feature gate unknown to the controller in this Flux version',
    explanation:
      'Each Flux controller accepts only the feature gates it defines (its `internal/features` plus the Flux runtime gates it registers); any other name in `--feature-gates` makes it exit at start-up with "feature-gate \'X\' not supported". The names differ per controller and per release (e.g. `StrictPostBuildSubstitutions` is kustomize-controller only; helm-controller knows `ObjectLevelWorkloadIdentity` from Flux 2.7). When the Flux version is not known, the newest known release is used and gates any release knows are not reported.\n\nFix: remove the gate, target only the controllers that know it, or upgrade Flux.',
    factRules: [],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/gate-name',
    severity: 'error',
    category: 'patch',
    title: 'Malformed ObjectLevelWorkloadIdentity feature gate',
    explanation:
      'The gate name is case-sensitive and the argument must read `--feature-gates=ObjectLevelWorkloadIdentity=true` (several gates comma-separated). A misspelled gate makes the controller exit at start-up.\n\nFix: correct the argument.',
    factRules: [25],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/patch-path',
    severity: 'error',
    category: 'patch',
    title: 'Patch path or target kind does not fit a Flux controller',
    explanation:
      'Controller patches append to `/spec/template/spec/containers/0/{args,env,volumeMounts}/-` and `/spec/template/spec/volumes/-` of a `Deployment`; ServiceAccount annotation patches target `kind: ServiceAccount`. Other paths or kinds fail the kustomize build or change nothing.\n\nFix: use the documented path and target kind.',
    factRules: [26],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/patch-target-name',
    severity: 'warning',
    category: 'patch',
    title: 'Patch target name matches no Flux controller',
    explanation:
      '`target.name` is a regular expression matched against the whole name; if it selects none of `source-controller`, `kustomize-controller`, `helm-controller`, `notification-controller`, `image-reflector-controller`, `image-automation-controller` (or `source-watcher` in 2.7+) the patch silently does nothing.\n\nFix: correct the name or the regex.',
    factRules: [27],
    docsUrl: fluxAzureDocs('controllerLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
  {
    code: 'flux-azure/lockdown-without-gate',
    severity: 'error',
    category: 'patch',
    title: 'Default ServiceAccount flags need the ObjectLevelWorkloadIdentity gate',
    explanation:
      '`--default-decryption-service-account`, `--default-kubeconfig-service-account`, and `--default-service-account` on source-, notification- and image-controllers, make the controller refuse to start without the gate ("inconsistent object-level configuration"). On kustomize- and helm-controller `--default-service-account` is the older impersonation default and needs no gate.\n\nFix: add the gate to the same controllers.',
    versions: { since: '2.7' },
    factRules: [28],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: true,
    manifestCheckable: true,
    crossFile: true,
  },
  {
    code: 'flux-azure/lockdown-flag-unsupported',
    severity: 'error',
    category: 'patch',
    title: 'Controller does not accept this default ServiceAccount flag',
    explanation:
      'Lockdown flags exist from Flux 2.7; `--default-decryption-service-account` only on kustomize-controller and `--default-kubeconfig-service-account` only on kustomize- and helm-controller. An unknown flag stops the controller from starting.\n\nFix: target only controllers that accept the flag.',
    factRules: [28],
    docsUrl: fluxAzureDocs('objectLevel'),
    quickFix: false,
    manifestCheckable: true,
    crossFile: false,
  },
] as const satisfies readonly RuleShape[];
