import {
  asoResource,
  FLUX_INSTANCE_PATCHES_PATH,
  kindDef,
  SOPS_AZURE_KV_KEY,
  type AsoResourceDef,
  type KindLookup,
} from '../catalog';
import type { ManifestDoc } from '../document/manifest';
import { isFluxInstance, isKustomizeFile } from '../workspace/facts';

/** What a YAML document is, as far as completion and hover care. Everything else gets no answer. */
export type Subject =
  | { readonly type: 'flux'; readonly lookup: KindLookup }
  | { readonly type: 'aso'; readonly def: AsoResourceDef }
  | { readonly type: 'serviceAccount' }
  | { readonly type: 'secret' }
  | { readonly type: 'configMap' }
  | { readonly type: 'workload' }
  | { readonly type: 'kustomize' }
  | { readonly type: 'fluxInstance' };

/** Kinds whose pod template carries the workload-identity label (`spec.template`). */
const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** Classifies a document by its header (`apiVersion` / `kind`), without parsing its body. */
export function subjectOf(doc: ManifestDoc): Subject | undefined {
  const kind = doc.kind;
  const api = doc.apiVersion;
  if (!kind || !api) return undefined;
  const group = doc.group;
  if (group === '') {
    if (kind === 'ServiceAccount') return { type: 'serviceAccount' };
    if (kind === 'Secret') return { type: 'secret' };
    if (kind === 'ConfigMap') return { type: 'configMap' };
    return undefined;
  }
  if (group.endsWith('.fluxcd.io')) {
    const lookup = kindDef(api, kind);
    return lookup ? { type: 'flux', lookup } : undefined;
  }
  if (isKustomizeFile(doc)) return { type: 'kustomize' };
  if (isFluxInstance(doc)) return { type: 'fluxInstance' };
  if ((group === 'apps' || group === 'batch') && WORKLOAD_KINDS.has(kind)) return { type: 'workload' };
  const aso = asoResource(api, kind);
  return aso ? { type: 'aso', def: aso.def } : undefined;
}

/** Path of the kustomize `patches` list of a document that has one. */
export function patchesPathOf(subject: Subject | undefined): readonly string[] | undefined {
  if (subject?.type === 'kustomize') return ['patches'];
  if (subject?.type === 'fluxInstance') return FLUX_INSTANCE_PATCHES_PATH;
  return undefined;
}

/** YAML inside a block scalar that the features read as a document of its own. */
export type NestedKind = 'patch' | 'sopsAzureKv';

/**
 * Whether `path` (keys and indices from the document root) leads to a scalar holding nested YAML: a kustomize
 * patch body (`patches[i].patch`) or a Secret's `sops.azure-kv`. Returns the length of the holder's path.
 */
export function nestedHolder(
  subject: Subject | undefined,
  path: readonly (string | number)[],
): { kind: NestedKind; length: number } | undefined {
  const patches = patchesPathOf(subject);
  if (patches) {
    const n = patches.length;
    if (
      path.length > n + 1 &&
      patches.every((s, i) => path[i] === s) &&
      typeof path[n] === 'number' &&
      path[n + 1] === 'patch'
    )
      return { kind: 'patch', length: n + 2 };
    return undefined;
  }
  if (subject?.type === 'secret' && path[0] === 'stringData' && path[1] === SOPS_AZURE_KV_KEY)
    return { kind: 'sopsAzureKv', length: 2 };
  return undefined;
}
