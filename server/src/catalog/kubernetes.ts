/**
 * Kubernetes facts a rendering needs: which API groups are built into the API server (kustomize knows their schema,
 * so its strategic merge patches merge their lists by key), and the merge keys of the lists it merges.
 */

/** Built-in groups that do not end in `.k8s.io` ('' is the core group, `v1`). */
const BUILTIN_PLAIN_GROUPS: ReadonlySet<string> = new Set(['', 'apps', 'batch', 'autoscaling', 'policy', 'extensions']);

/**
 * Groups ending in `.k8s.io` that are not built in: they are served by CustomResourceDefinitions (Gateway API, CSI
 * volume snapshots, the network policy API) or are kustomize's own configuration, so kustomize has no schema for them.
 */
const CRD_GROUPS_UNDER_K8S_IO: ReadonlySet<string> = new Set([
  'gateway.networking.k8s.io',
  'snapshot.storage.k8s.io',
  'policy.networking.k8s.io',
  'kustomize.config.k8s.io',
]);

/**
 * Whether an API group is one of Kubernetes' own (core, apps, batch, autoscaling, policy, `*.k8s.io` such as
 * rbac.authorization.k8s.io or networking.k8s.io). `*.x-k8s.io` (Cluster API, Kueue…), `*.fluxcd.io` and every other
 * group are custom resources.
 */
export function isBuiltinApiGroup(group: string): boolean {
  const g = group.trim();
  if (BUILTIN_PLAIN_GROUPS.has(g)) return true;
  return g.endsWith('.k8s.io') && !CRD_GROUPS_UNDER_K8S_IO.has(g);
}

interface ListMergeKey {
  /** The list's field name. */
  readonly field: string;
  /** The field the list's parent map sits at (for a list item, the list's field); any when absent. */
  readonly under?: readonly string[];
  /** The item field that identifies an item (`x-kubernetes-patch-merge-key`). */
  readonly key: string;
}

const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'];

/**
 * Lists of the built-in kinds that strategic merge patches merge by key (`patchStrategy: merge`), by field name.
 * Lists not named here (args, command, envFrom, tolerations, finalizers…) are replaced by a patch. First match wins.
 */
const LIST_MERGE_KEYS: readonly ListMergeKey[] = [
  // PodSpec
  { field: 'containers', key: 'name' },
  { field: 'initContainers', key: 'name' },
  { field: 'ephemeralContainers', key: 'name' },
  { field: 'volumes', key: 'name' },
  { field: 'imagePullSecrets', key: 'name' },
  { field: 'hostAliases', key: 'ip' },
  { field: 'topologySpreadConstraints', key: 'topologyKey' },
  // Container
  { field: 'env', under: CONTAINER_LISTS, key: 'name' },
  { field: 'volumeMounts', under: CONTAINER_LISTS, key: 'mountPath' },
  { field: 'volumeDevices', under: CONTAINER_LISTS, key: 'devicePath' },
  { field: 'ports', under: CONTAINER_LISTS, key: 'containerPort' },
  // ServiceSpec (`spec.ports` of a Service)
  { field: 'ports', under: ['spec'], key: 'port' },
  // ObjectMeta
  { field: 'ownerReferences', under: ['metadata'], key: 'uid' },
];

/**
 * The merge key of the list at `field` of a built-in kind, where `under` is the field its parent map sits at
 * (`containers` for a container's `env`, `spec` for a Service's `ports`); undefined when the list is replaced.
 */
export function mergeKeyOf(field: string, under: string | undefined): string | undefined {
  const row = LIST_MERGE_KEYS.find(
    (r) => r.field === field && (!r.under || (under !== undefined && r.under.includes(under))),
  );
  return row?.key;
}

/**
 * Kinds that have no namespace: kustomize's `namespace:` and Flux's `spec.targetNamespace` leave them alone. Custom
 * resources are taken as namespaced (Flux's own kinds all are).
 */
const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PersistentVolume',
  'StorageClass',
  'PriorityClass',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'APIService',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'Node',
]);

export function isClusterScoped(group: string, kind: string): boolean {
  return isBuiltinApiGroup(group) && CLUSTER_SCOPED_KINDS.has(kind);
}
