import {
  apiGroupOf,
  CONTROLLER_NAMES,
  FLUX_API_GROUPS,
  FLUX_INSTANCE_API_VERSION,
  FLUX_INSTANCE_KIND,
  FLUX_NAMESPACE,
} from '../../catalog';
import type { AccountsView } from '../../render/views';
import { idOf, type RObject } from '../../render/object';
import { nodeIn, textIn } from '../../render/value';
import type { Cluster, WorkspaceIndex } from '../../workspace/workspaceIndex';

/** A ServiceAccount some cluster of the fleet has, as Flux renders it. */
export interface FleetServiceAccount {
  readonly namespace: string;
  readonly name: string;
  readonly cluster: Cluster;
  /** The rendered object (undefined for a Flux controller's own ServiceAccount taken from the catalog). */
  readonly object: RObject | undefined;
}

/** What one cluster's rendering says about its ServiceAccounts. */
interface ClusterAccounts {
  readonly accounts: readonly Omit<FleetServiceAccount, 'cluster'>[];
  /** Namespaces where a HelmRelease installs a chart: its ServiceAccounts are not in the repository. */
  readonly helmNamespaces: ReadonlySet<string>;
  /** Namespaces the rendering puts anything in (or creates). */
  readonly namespaces: ReadonlySet<string>;
  /** Whether the rendering holds content it could not read (remote bases, generators, unknown paths or names). */
  readonly incomplete: boolean;
}

const byRendering = new WeakMap<AccountsView, ClusterAccounts>();

const FLUX_INSTANCE_GROUP = apiGroupOf(FLUX_INSTANCE_API_VERSION);

function accountsOf(rendering: AccountsView): ClusterAccounts {
  const cached = byRendering.get(rendering);
  if (cached) return cached;
  const accounts: Omit<FleetServiceAccount, 'cluster'>[] = [];
  const helmNamespaces = new Set<string>();
  const namespaces = new Set<string>(rendering.namespaces);
  let incomplete = rendering.unknowns.length > 0;
  // Flux runs in flux-system unless a FluxInstance installs it elsewhere (it installs into its own namespace).
  const fluxNamespaces = new Set<string>([FLUX_NAMESPACE]);
  for (const object of rendering.objects) {
    const id = idOf(object);
    if (id.kind === 'Namespace' && id.group === '') namespaces.add(id.name);
    if (id.kind === 'ServiceAccount' && id.group === '') {
      const name = nodeIn(object.node, ['metadata', 'name']);
      const namespace = nodeIn(object.node, ['metadata', 'namespace']);
      if (name?.type !== 'scalar' || (namespace && namespace.type !== 'scalar')) incomplete = true;
      // Without a namespace it lands in the applying client's default: match it in any namespace.
      else accounts.push({ namespace: id.namespace ?? '*', name: id.name, object });
    } else if (id.kind === FLUX_INSTANCE_KIND && id.group === FLUX_INSTANCE_GROUP) {
      if (id.namespace) fluxNamespaces.add(id.namespace);
    } else if (id.kind === 'HelmRelease' && id.group === FLUX_API_GROUPS.helm) {
      const ns = textIn(object.node, ['spec', 'targetNamespace']) ?? id.namespace;
      if (ns) helmNamespaces.add(ns);
      else incomplete = true;
    }
  }
  // The controllers' own ServiceAccounts exist wherever Flux runs, also when no gotk-components.yaml shows them.
  for (const namespace of fluxNamespaces) {
    for (const name of CONTROLLER_NAMES) accounts.push({ namespace, name, object: undefined });
    namespaces.add(namespace);
  }
  const result = { accounts, helmNamespaces, namespaces, incomplete };
  byRendering.set(rendering, result);
  return result;
}

export interface FleetAccounts {
  readonly accounts: readonly FleetServiceAccount[];
  readonly helmNamespaces: ReadonlySet<string>;
  readonly namespaces: ReadonlySet<string>;
  readonly incomplete: boolean;
}

/** Every ServiceAccount of every cluster of the workspace, as rendered; undefined when there is no cluster. */
export function fleetServiceAccounts(index: WorkspaceIndex): FleetAccounts | undefined {
  const clusters = index.clusters();
  if (clusters.length === 0) return undefined;
  const accounts: FleetServiceAccount[] = [];
  const helmNamespaces = new Set<string>();
  const namespaces = new Set<string>();
  let incomplete = false;
  for (const cluster of clusters) {
    const found = accountsOf(index.renderedAccounts(cluster));
    for (const a of found.accounts) accounts.push({ ...a, cluster });
    for (const ns of found.helmNamespaces) helmNamespaces.add(ns);
    for (const ns of found.namespaces) namespaces.add(ns);
    incomplete ||= found.incomplete;
  }
  return { accounts, helmNamespaces, namespaces, incomplete };
}

/** Whether a fleet ServiceAccount is the one `namespace`/`name` names (exactly, as Entra compares). */
export function isNamed(a: FleetServiceAccount, namespace: string, name: string): boolean {
  return a.name === name && (a.namespace === namespace || a.namespace === '*');
}
