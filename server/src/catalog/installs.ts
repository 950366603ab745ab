/**
 * The ways Flux gets onto a cluster, and what each lets a repository configure about the controllers. Rules that
 * judge the controllers (feature gate, controller identity, controller patches) read the install mode first: where
 * the repository cannot show the controllers' configuration, they stay silent.
 *
 * Sources, one per block below:
 * - bootstrap: fluxcd/flux2 `pkg/manifestgen/install` (the header `flux install --export` / `flux bootstrap` writes
 *   at the top of gotk-components.yaml: "# Flux Version: vX.Y.Z", "# Components: a,b,c").
 * - Flux Operator: controlplaneio-fluxcd/flux-operator@v0.58.1 `api/v1/fluxinstance_types.go` (enums, defaults)
 *   and `internal/builder/workload_identity.go` + `build_test.go` (the gate flag and the token RBAC rule).
 * - Helm chart: fluxcd-community/helm-charts@82a385b (chart 2.18.3, appVersion 2.8.5) `charts/flux2/values.yaml`
 *   and `charts/flux2/templates/*-controller.yaml`.
 * - AKS extension: https://learn.microsoft.com/azure/azure-arc/kubernetes/tutorial-use-gitops-flux2 (workload
 *   identity settings of `microsoft.flux`) and the extension release notes, as in the fact sheet §8.6.
 */
import type { ControllerName } from './controllers';

export const INSTALL_MODES = [
  {
    mode: 'bootstrap',
    title: '`flux bootstrap` (gotk-components.yaml)',
    configure:
      'The controllers run as generated in `flux-system/gotk-components.yaml`; change them with patches in `flux-system/kustomization.yaml`.',
  },
  {
    mode: 'flux-operator',
    title: 'Flux Operator (`FluxInstance`)',
    configure:
      'The operator generates the controllers from the `FluxInstance`: `spec.cluster.objectLevelWorkloadIdentity` for the feature gate, `spec.kustomize.patches` for identity, env and args.',
  },
  {
    mode: 'helm-chart',
    title: 'community `flux2` Helm chart',
    configure:
      'The chart renders the controllers from the HelmRelease `values`: `<controller>.serviceAccount.annotations`, `<controller>.labels`, `<controller>.container.additionalArgs`, `<controller>.extraEnv`.',
  },
  {
    mode: 'aks-extension',
    title: 'AKS GitOps extension (`microsoft.flux`)',
    configure:
      'Azure installs and manages the controllers: patches in the repository do not reach them. Controller workload identity is an extension setting (`az k8s-extension update --extension-type microsoft.flux --config workloadIdentity.enable=true workloadIdentity.azureClientId=<client-id>`); object-level workload identity on the extension is not documented.',
  },
  {
    mode: 'unknown',
    title: 'installed outside this repository',
    configure:
      'The repository does not show how the controllers run (the AKS GitOps extension, Terraform, a Helm release made by hand, a platform team): settings of the controllers are unknown. Say how in `.flux-azure.yaml`.',
  },
] as const;

export type InstallMode = (typeof INSTALL_MODES)[number]['mode'];

export const INSTALL_MODE_NAMES: readonly InstallMode[] = INSTALL_MODES.map((m) => m.mode);

export function installModeInfo(mode: InstallMode): (typeof INSTALL_MODES)[number] {
  return INSTALL_MODES.find((m) => m.mode === mode)!;
}

// ---------------------------------------------------------------------------------------------- bootstrap

/** The folder fleets keep one directory per cluster in, by convention (`clusters/<name>`). */
export const CLUSTERS_DIR = 'clusters';
/** The folder and files `flux bootstrap` writes below a cluster directory. */
export const BOOTSTRAP_DIR = 'flux-system';
export const GOTK_COMPONENTS_FILE = 'gotk-components.yaml';
export const GOTK_SYNC_FILE = 'gotk-sync.yaml';
/** The generated header's lines (only the first lines of the file are looked at). */
export const GOTK_HEADER_VERSION = /^#\s*Flux Version:\s*(v?\d+\.\d+(?:\.\d+)?)/m;
export const GOTK_HEADER_COMPONENTS = /^#\s*Components:\s*([a-z-]+(?:\s*,\s*[a-z-]+)*)/m;
export const GOTK_HEADER_CHARS = 2000;

// ---------------------------------------------------------------------------------------------- Helm chart

/** The community chart that installs Flux, and where it is published. */
export const FLUX2_CHART = {
  name: 'flux2',
  repositories: ['https://fluxcd-community.github.io/helm-charts', 'oci://ghcr.io/fluxcd-community/charts'],
} as const;

/** The values key of each controller in the chart (`imageReflectionController`, sic). */
export const CHART_CONTROLLER_KEYS: Readonly<Record<ControllerName, string>> = {
  'source-controller': 'sourceController',
  'kustomize-controller': 'kustomizeController',
  'helm-controller': 'helmController',
  'notification-controller': 'notificationController',
  'image-reflector-controller': 'imageReflectionController',
  'image-automation-controller': 'imageAutomationController',
  'source-watcher': 'sourceWatcher',
};

/**
 * Paths below a controller's key. `labels` land on the Deployment and on the pod template (the workload-identity
 * `use` label works there); `serviceAccount.annotations` on the controller's ServiceAccount.
 */
export const CHART_VALUE_PATHS = {
  serviceAccountAnnotations: ['serviceAccount', 'annotations'],
  labels: ['labels'],
  additionalArgs: ['container', 'additionalArgs'],
  extraEnv: ['extraEnv'],
  create: ['create'],
} as const;

/** Where a HelmRelease's `valuesFrom` item reads its values when `valuesKey` is not set. */
export const HELM_VALUES_DEFAULT_KEY = 'values.yaml';

// ---------------------------------------------------------------------------------------------- AKS extension

export const AKS_FLUX_EXTENSION = {
  type: 'microsoft.flux',
  /** Annotations the extension reads or writes on Flux objects (e.g. `use-managed-source` on a HelmRelease). */
  annotationPrefix: 'clusterconfig.azure.com/',
  settings: {
    enable: 'workloadIdentity.enable',
    clientId: 'workloadIdentity.azureClientId',
    tenantId: 'workloadIdentity.azureTenantId',
  },
} as const;

// ---------------------------------------------------------------------------------------------- repo config

/** The repository's own statement of how each cluster directory installs Flux (read at the repository root). */
export const REPO_CONFIG_FILE = '.flux-azure.yaml';
/** Keys of one `clusters` entry. */
export const REPO_CONFIG_CLUSTER_KEYS = ['path', 'install', 'fluxVersion', 'aksClusterId'] as const;
export const REPO_CONFIG_TOP_KEYS = ['clusters'] as const;
