/**
 * How a cluster installs Flux (bootstrap, Flux Operator, flux2 Helm chart, AKS extension, unknown), decided from
 * what the cluster's files show and what `.flux-azure.yaml` states; the index (`workspaceIndex.ts`) finds the
 * cluster directories and their files.
 */
import { basename, dirname, join, relative, sep } from 'node:path';
import {
  CLUSTERS_DIR,
  GOTK_COMPONENTS_FILE,
  GOTK_SYNC_FILE,
  installModeInfo,
  type ControllerName,
  type InstallMode,
} from '../catalog';
import type { ChartValuesFact, ControllerSetting, FileFacts, InstallFact, Origin } from './facts';
import type { ClusterConfig } from './repoConfig';

/** How Flux is installed on a cluster, and whether that lets rules judge the controllers. */
export interface FluxInstall {
  readonly mode: InstallMode;
  /**
   * Whether the repository shows the controllers' whole configuration (defaults plus what the repository changes),
   * so that a setting it does not show is really missing. False: rules about the controllers stay silent.
   */
  readonly controllersKnown: boolean;
  /** Where the install was recognised (gotk header, FluxInstance, HelmRelease, AKS annotation, config entry). */
  readonly origin: Origin | undefined;
  /** Stated in `.flux-azure.yaml`. */
  readonly stated: boolean;
  /** Why the controllers' configuration is not known (for hovers and messages). */
  readonly unknown?: string;
  /** The controllers installed, when the install says (gotk header `# Components:`, FluxInstance `spec.components`). */
  readonly components?: readonly string[];
  /** FluxInstance: the edit that sets `spec.cluster.objectLevelWorkloadIdentity: true`, in `origin.uri`. */
  readonly enableGate?: InstallFact['enableGate'];
}

/**
 * How a cluster installs Flux: as `.flux-azure.yaml` states, else from what its files show (a FluxInstance, the
 * flux2 chart, bootstrap's files, AKS-extension annotations). Adds the settings of chart values kept in ConfigMaps
 * (found by `chartValues`).
 */
export function installOf(
  found: InstallEvidence,
  settings: ReadonlyMap<ControllerName, readonly ControllerSetting[]>,
  entry: ClusterConfig | undefined,
  add: (s: ControllerSetting) => void,
  chartValues: (name: string, namespace: string | undefined, key: string) => ChartValuesFact | undefined,
): FluxInstall {
  const instance = found.installs.find((i) => i.mode === 'flux-operator');
  const chart = found.installs.find((i) => i.mode === 'helm-chart');
  const aks = found.installs.find((i) => i.mode === 'aks-extension');
  const bootstrap = found.header !== undefined || found.gotk || found.components;
  const mode: InstallMode =
    entry?.install ??
    (instance ? 'flux-operator' : chart ? 'helm-chart' : bootstrap ? 'bootstrap' : aks ? 'aks-extension' : 'unknown');
  const stated = entry?.install !== undefined;
  const statedAt = entry ? { uri: entry.uri, range: entry.range } : undefined;
  const unknown = (origin: Origin | undefined, why: string): FluxInstall => ({
    mode,
    controllersKnown: false,
    origin,
    stated,
    unknown: why,
  });
  switch (mode) {
    case 'bootstrap': {
      const origin = found.header ?? statedAt;
      // The generated header alone says the controllers run as generated; without it, only what patches show.
      const known = stated || found.header !== undefined || found.components || settings.size > 0;
      const components = found.header ? { components: found.header.components } : {};
      return known
        ? { mode, controllersKnown: true, origin, stated, ...components }
        : unknown(origin, `no ${GOTK_COMPONENTS_FILE} header or controller Deployments in the repository`);
    }
    case 'flux-operator':
      return instance
        ? {
            mode,
            controllersKnown: true,
            origin: instance,
            stated,
            components: instance.components,
            ...(instance.enableGate ? { enableGate: instance.enableGate } : {}),
          }
        : unknown(statedAt, 'no FluxInstance in the repository');
    case 'helm-chart': {
      if (!chart) return unknown(statedAt, 'no HelmRelease of the flux2 chart in the repository');
      if (chart.unknownValues) return unknown(chart, `the HelmRelease reads ${chart.unknownValues}`);
      for (const ref of chart.valuesFrom ?? []) {
        const values = chartValues(ref.name, chart.namespace, ref.key);
        if (values) values.settings.forEach(add);
        else if (!ref.optional)
          return unknown(
            chart,
            `the HelmRelease reads values from ConfigMap '${ref.name}', which is not in the repository`,
          );
      }
      return { mode, controllersKnown: true, origin: chart, stated };
    }
    default:
      return unknown(aks ?? statedAt, installModeInfo(mode).configure);
  }
}

export function isGotkFile(name: string): boolean {
  return name === GOTK_COMPONENTS_FILE || name === GOTK_SYNC_FILE;
}

/** A kustomization.yaml that lists bootstrap's files (also when a partial checkout lacks them). */
export function listsGotkFile(facts: FileFacts): boolean {
  return !!facts.kustomize?.resources.some((r) => isGotkFile(basename(r)));
}

/** What a cluster's files show about how Flux is installed. */
export interface InstallEvidence {
  readonly installs: InstallFact[];
  header: (Origin & { readonly components: readonly string[] }) | undefined;
  /** A gotk-components.yaml or gotk-sync.yaml is among the files. */
  gotk: boolean;
  /** Controller Deployments (or ServiceAccounts) of gotk-components.yaml. */
  components: boolean;
}

/**
 * The cluster directory of an object the AKS extension annotates: the folder below a `clusters` folder that holds
 * it, else its top-level folder below the repository root (the extension's fluxConfiguration names the paths it
 * applies, which the repository does not show).
 */
export function aksClusterDir(path: string, repoRoot: string): string | undefined {
  const parts = relative(repoRoot, dirname(path)).split(sep).filter(Boolean);
  const at = parts.lastIndexOf(CLUSTERS_DIR);
  if (at !== -1 && at + 1 < parts.length) return join(repoRoot, ...parts.slice(0, at + 2));
  return parts.length > 0 ? join(repoRoot, parts[0]) : repoRoot;
}
