/**
 * Strategic merge patches as kustomize applies them (a `patches:` entry without `op`s, a Flux `spec.patches` entry):
 * maps merge key by key, `null` deletes a key, `$patch: replace | delete` replace or delete the map they are in. On
 * built-in kinds, lists with a merge key (containers by `name`, volumeMounts by `mountPath`…, see the catalog's
 * `mergeKeyOf`) merge item by item; every other list is replaced. On custom resources kustomize has no schema, so every
 * list is replaced and only maps merge.
 *
 * A value the patch sets keeps the patch's `at`; what the patch does not touch, or restates with the same value (the
 * object's name, a list item's merge key), is the base's own node, shared.
 *
 * Not modelled: `$retainKeys`, `$setElementOrder/…` and `$deleteFromPrimitiveList/…` are dropped without effect,
 * lists of scalars are never merged as sets (`finalizers`), and list-map keys with more than one field (a Service port
 * is found by `port` alone, not `port` and `protocol`).
 */
import { mergeKeyOf } from '../catalog';
import { compactEntries, type REntry, type RMap, type RNode, type RSeq } from './value';

interface Context {
  readonly builtin: boolean;
}

/**
 * `patch` merged into `base`; undefined when the patch deletes the object (`$patch: delete` at its top). `builtin`:
 * the object is of a built-in Kubernetes kind (see the catalog's `isBuiltinApiGroup`), whose keyed lists merge.
 */
export function strategicMerge(base: RNode, patch: RNode, opts: { builtin: boolean }): RNode | undefined {
  if (patch.type === 'scalar' && patch.value === null) return base; // an empty patch changes nothing
  return mergeValue(base, patch, undefined, undefined, { builtin: opts.builtin });
}

const PATCH = '$patch';

/** Keys that direct the merge and never reach the result. */
function isDirective(key: string): boolean {
  return (
    key === PATCH ||
    key === '$retainKeys' ||
    key.startsWith('$setElementOrder/') ||
    key.startsWith('$deleteFromPrimitiveList/')
  );
}

/** The `$patch` directive of a map (`replace`, `delete`, `merge`), if any. */
function directiveOf(node: RNode): string | undefined {
  if (node.type !== 'map') return undefined;
  const d = node.entries.get(PATCH)?.value;
  return d?.type === 'scalar' && typeof d.value === 'string' ? d.value : undefined;
}

/** A map with directive keys only (`- $patch: replace` in a list directs the list, it is no item). */
function isDirectiveOnly(node: RNode): boolean {
  if (node.type !== 'map' || node.entries.size === 0) return false;
  for (const k of node.entries.keys()) if (!isDirective(k)) return false;
  return true;
}

/**
 * `patch` merged into `base` (absent when the key is new), for the value at `field` of a map that sits at `under`.
 * Undefined: the value is deleted.
 */
function mergeValue(
  base: RNode | undefined,
  patch: RNode,
  field: string | undefined,
  under: string | undefined,
  ctx: Context,
): RNode | undefined {
  if (patch.type === 'map') {
    const directive = directiveOf(patch);
    if (directive === 'delete') return undefined;
    if (directive === 'replace') return clean(patch);
    if (base?.type === 'map') return mergeMaps(base, patch, field, ctx);
    // What is merged into a value nobody knows stays unknown (its other keys are not known either).
    if (base?.type === 'unknown') return base;
    return clean(patch);
  }
  if (patch.type === 'seq') {
    if (base?.type === 'seq') return mergeLists(base, patch, field, under, ctx);
    return clean(patch);
  }
  // A scalar the patch restates (the name that identifies the object, a merge key) changes nothing: the base's stays.
  if (patch.type === 'scalar' && base?.type === 'scalar' && base.value === patch.value) return base;
  return patch;
}

/** The map `patch` merged into `base`, which sits at `field`; the result keeps the base map's `at`. */
function mergeMaps(base: RMap, patch: RMap, field: string | undefined, ctx: Context): RMap {
  let entries: Map<string, REntry> | undefined;
  const write = (): Map<string, REntry> => (entries ??= new Map(base.entries));
  for (const [key, entry] of patch.entries) {
    if (isDirective(key)) continue;
    const old = base.entries.get(key);
    if (entry.value.type === 'scalar' && entry.value.value === null) {
      if (old) write().delete(key);
      continue;
    }
    const merged = mergeValue(old?.value, entry.value, key, field, ctx);
    if (merged === undefined) {
      if (old) write().delete(key);
    } else if (merged !== old?.value) write().set(key, { key: old?.key ?? entry.key, value: merged });
  }
  return entries ? { type: 'map', entries: compactEntries(entries), at: base.at } : base;
}

/** The list `patch` merged into `base`, the list at `field` of a map that sits at `under`. */
function mergeLists(
  base: RSeq,
  patch: RSeq,
  field: string | undefined,
  under: string | undefined,
  ctx: Context,
): RNode {
  const key = ctx.builtin && field !== undefined ? mergeKeyOf(field, under) : undefined;
  const replaces = patch.items.some((i) => isDirectiveOnly(i) && directiveOf(i) === 'replace');
  if (!key || replaces) return clean(patch) ?? patch;
  const items = base.items.slice();
  const keyOf = (n: RNode): string | undefined => {
    const v = n.type === 'map' ? n.entries.get(key)?.value : undefined;
    return v?.type === 'scalar' && v.value !== null ? String(v.value) : undefined;
  };
  for (const item of patch.items) {
    if (isDirectiveOnly(item)) continue;
    const id = keyOf(item);
    if (id === undefined) {
      const added = clean(item);
      if (added) items.push(added);
      continue;
    }
    if (directiveOf(item) === 'delete') {
      for (let i = items.length - 1; i >= 0; i--) if (keyOf(items[i]) === id) items.splice(i, 1);
      continue;
    }
    const at = items.findIndex((i) => keyOf(i) === id);
    if (at === -1) {
      const added = clean(item);
      if (added) items.push(added);
      continue;
    }
    const merged = mergeValue(items[at], item, field, under, ctx);
    if (merged === undefined) items.splice(at, 1);
    else items[at] = merged;
  }
  return { type: 'seq', items, at: base.at };
}

/**
 * A patch value as it lands where the base has nothing to merge with: directives, `null` entries and deleted items
 * dropped (undefined: the value itself is deleted). Unchanged subtrees are the patch's own nodes.
 */
function clean(node: RNode): RNode | undefined {
  if (node.type === 'map') {
    if (directiveOf(node) === 'delete') return undefined;
    let changed = false;
    const entries = new Map<string, REntry>();
    for (const [k, e] of node.entries) {
      const value =
        isDirective(k) || (e.value.type === 'scalar' && e.value.value === null) ? undefined : clean(e.value);
      if (value === undefined) changed = true;
      else {
        if (value !== e.value) changed = true;
        entries.set(k, value === e.value ? e : { key: e.key, value });
      }
    }
    return changed ? { ...node, entries: compactEntries(entries) } : node;
  }
  if (node.type === 'seq') {
    let changed = false;
    const items: RNode[] = [];
    for (const item of node.items) {
      const value = isDirectiveOnly(item) ? undefined : clean(item);
      if (value !== item) changed = true;
      if (value !== undefined) items.push(value);
    }
    return changed ? { ...node, items } : node;
  }
  return node;
}
