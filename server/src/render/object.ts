import type { Range } from '../document/manifest';
import { textIn, stringsOf, nodeIn, type At, type RMap } from './value';

/** One object of a rendering: what kustomize (and then kustomize-controller) makes of a document. */
export interface RObject {
  readonly node: RMap;
  /** The document the object was first written in (a finding about the object as a whole goes there). */
  readonly source: { readonly uri: string; readonly doc: number; readonly range: Range };
  /** Patches, transformers and substitutions that changed it, in the order they were applied. */
  readonly changedBy: readonly At[];
  /**
   * Set when `namePrefix` / `nameSuffix` changed its name: the name as written and the prefix or suffix
   * line (the outermost build that renamed it). kustomize does not rewrite Flux fields that name it, so rules compare
   * those with `from`.
   */
  readonly renamed?: { readonly from: string; readonly at: At; readonly by: 'namePrefix' | 'nameSuffix' };
  /**
   * Set when a build that includes it has a transformer the rendering does not model (`transformers`, `vars`): any
   * value may differ from what the rendering shows. The key that does it and why.
   */
  readonly beyondModel?: { readonly at: At; readonly why: string };
}

export interface ObjectId {
  readonly apiVersion: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
}

/** apiVersion, kind, name and namespace as the rendering has them now. */
export function idOf(obj: RObject | RMap): ObjectId {
  const node = 'node' in obj ? obj.node : obj;
  let id = ids.get(node);
  if (!id) ids.set(node, (id = computeId(node)));
  return id;
}

/** Rendered trees never change: an object's id is read once per tree. */
const ids = new WeakMap<RMap, ObjectId>();

function computeId(node: RMap): ObjectId {
  const apiVersion = textIn(node, ['apiVersion']) ?? '';
  const slash = apiVersion.indexOf('/');
  return {
    apiVersion,
    group: slash === -1 ? '' : apiVersion.slice(0, slash),
    version: slash === -1 ? apiVersion : apiVersion.slice(slash + 1),
    kind: textIn(node, ['kind']) ?? '',
    name: textIn(node, ['metadata', 'name']) ?? '',
    namespace: textIn(node, ['metadata', 'namespace']),
  };
}

export function labelsOf(obj: RObject): Map<string, string> {
  return stringsOf(nodeIn(obj.node, ['metadata', 'labels']));
}

export function annotationsOf(obj: RObject): Map<string, string> {
  return stringsOf(nodeIn(obj.node, ['metadata', 'annotations']));
}
