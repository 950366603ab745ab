/**
 * The references between objects that the rules follow, for go to definition and find references: which field of
 * which kind names which kind of object, and in which namespace it is looked up. Name references (a ServiceAccount,
 * a Secret, a ConfigMap in the object's own namespace) are read from the kinds' field tables; object references
 * (`sourceRef`, `chartRef`, ...) that may name their kind and namespace are listed here.
 */
import { ASO_RESOURCES } from './aso';
import { KINDS, kindByName } from './kinds';
import { KUBECONFIG_CONFIGMAP_KEYS } from './remoteCluster';

/** Kubernetes kinds of the core group that Flux objects name. */
const CORE_REFERENCED_KINDS = ['ServiceAccount', 'Secret', 'ConfigMap'] as const;

export interface ReferenceDef {
  /** The referring kind (a Flux kind, or an ASO kind for subjects) and its API group. */
  readonly kind: string;
  readonly group: string;
  /** Path of the field under the cursor: the name scalar, or the reference object holding `name`/`kind`/`namespace`. */
  readonly path: readonly (string | number)[];
  /**
   * `name`: the field is the target's name, in the object's namespace. `ref`: an object `{kind?, name, namespace?}`.
   * `subject`: `system:serviceaccount:<namespace>:<name>`.
   */
  readonly shape: 'name' | 'ref' | 'subject';
  /** Kinds the reference may name; a `ref` without `kind` names the first. */
  readonly targets: readonly string[];
  /** Whether a `ref`'s `namespace` is honoured (otherwise the object's own namespace). */
  readonly crossNamespace?: boolean;
}

/** Sources a Kustomization builds / HelmReleases and HelmCharts fetch charts from (Flux API reference). */
const KUSTOMIZATION_SOURCES = ['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact'];
const CHART_SOURCES = ['HelmRepository', 'GitRepository', 'Bucket'];
/** HelmRelease `spec.chartRef` kinds (helm-controller api/v2; flux-azure-facts §8.4). */
const CHART_REF_KINDS = ['OCIRepository', 'HelmChart', 'ExternalArtifact'];

const OBJECT_REFERENCES: readonly Omit<ReferenceDef, 'group'>[] = [
  {
    kind: 'Kustomization',
    path: ['spec', 'sourceRef'],
    shape: 'ref',
    targets: KUSTOMIZATION_SOURCES,
    crossNamespace: true,
  },
  {
    kind: 'Kustomization',
    path: ['spec', 'dependsOn', 0],
    shape: 'ref',
    targets: ['Kustomization'],
    crossNamespace: true,
  },
  {
    kind: 'Kustomization',
    path: ['spec', 'postBuild', 'substituteFrom', 0],
    shape: 'ref',
    targets: ['ConfigMap', 'Secret'],
  },
  {
    kind: 'HelmRelease',
    path: ['spec', 'chart', 'spec', 'sourceRef'],
    shape: 'ref',
    targets: CHART_SOURCES,
    crossNamespace: true,
  },
  { kind: 'HelmRelease', path: ['spec', 'chartRef'], shape: 'ref', targets: CHART_REF_KINDS, crossNamespace: true },
  { kind: 'HelmRelease', path: ['spec', 'dependsOn', 0], shape: 'ref', targets: ['HelmRelease'], crossNamespace: true },
  { kind: 'HelmRelease', path: ['spec', 'valuesFrom', 0], shape: 'ref', targets: ['ConfigMap', 'Secret'] },
  { kind: 'HelmChart', path: ['spec', 'sourceRef'], shape: 'ref', targets: CHART_SOURCES },
  {
    kind: 'ImageUpdateAutomation',
    path: ['spec', 'sourceRef'],
    shape: 'ref',
    targets: ['GitRepository'],
    crossNamespace: true,
  },
  {
    kind: 'ImagePolicy',
    path: ['spec', 'imageRepositoryRef'],
    shape: 'ref',
    targets: ['ImageRepository'],
    crossNamespace: true,
  },
  { kind: 'Alert', path: ['spec', 'providerRef'], shape: 'ref', targets: ['Provider'] },
  { kind: 'FederatedIdentityCredential', path: ['spec', 'subject'], shape: 'subject', targets: ['ServiceAccount'] },
];

/** `serviceAccountName` → ServiceAccount, `…secretRef` / `…SecretRef` → Secret, `configMapRef` → ConfigMap. */
function nameTarget(path: readonly string[]): string | undefined {
  const last = path[path.length - 1] ?? '';
  const parent = path[path.length - 2] ?? '';
  if (last === 'serviceAccountName') return 'ServiceAccount';
  if (last !== 'name') return undefined;
  if (parent === 'secretRef' || parent.endsWith('SecretRef')) return 'Secret';
  if (parent === 'configMapRef') return 'ConfigMap';
  return undefined;
}

/** Every reference: the name fields of the Flux kinds' field tables, then the object references above. */
export const REFERENCES: readonly ReferenceDef[] = [
  ...KINDS.flatMap((k) =>
    k.fields.flatMap((f): ReferenceDef[] => {
      const target = nameTarget(f.path);
      return target ? [{ kind: k.kind, group: k.group, path: f.path, shape: 'name', targets: [target] }] : [];
    }),
  ),
  // The kubeConfig ConfigMap of a remote AKS cluster names the identity to connect as.
  ...KUBECONFIG_CONFIGMAP_KEYS.flatMap((k): ReferenceDef[] => {
    const target = nameTarget(['data', k.key]);
    return target ? [{ kind: 'ConfigMap', group: '', path: ['data', k.key], shape: 'name', targets: [target] }] : [];
  }),
  ...OBJECT_REFERENCES.map((r) => ({
    ...r,
    group: kindByName(r.kind)?.group ?? ASO_RESOURCES.find((a) => a.kind === r.kind)?.group ?? '',
  })),
];

/** The API group a referenced kind lives in ('' for the core kinds), undefined when the catalog does not know it. */
export function groupOfReferencedKind(kind: string): string | undefined {
  if ((CORE_REFERENCED_KINDS as readonly string[]).includes(kind)) return '';
  return kindByName(kind)?.group;
}
