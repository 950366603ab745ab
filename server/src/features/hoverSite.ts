import type { ManifestDoc } from '../document/manifest';
import { locate, type Location } from '../document/locate';
import type { Span, YamlNode } from '../document/nodes';
import { readControllerPatches, type ControllerPatch } from '../workspace/controllerPatches';
import { nestedHolder, patchesPathOf, subjectOf, type NestedKind, type Subject } from './subject';

/**
 * What lies under the mouse: the document and what it is, the location in it, and when the position is inside a
 * block scalar holding YAML (a `patch: |`, a `sops.azure-kv: |`) the location in that nested document. Nested nodes
 * carry offsets of the outer document, so their ranges need no mapping.
 */
export interface HoverSite {
  readonly doc: ManifestDoc;
  readonly subject: Subject | undefined;
  /** Offset in the document's chunk. */
  readonly at: number;
  /** The location in the document itself. */
  readonly outer: Location;
  /** The location in the innermost YAML (the nested document when there is one). */
  readonly loc: Location;
  readonly nested?: {
    readonly kind: NestedKind;
    readonly root: YamlNode | undefined;
    /** For a patch body: the patch entry read as a controller patch (target, controllers, ops...). */
    readonly patch?: ControllerPatch;
  };
}

export function hoverSite(doc: ManifestDoc, at: number): HoverSite {
  const subject = subjectOf(doc);
  const outer = locate(doc.root, at);
  const holder = outer.scalar && !outer.onKey ? nestedHolder(subject, outer.path) : undefined;
  if (!holder || outer.path.length !== holder.length) return { doc, subject, at, outer, loc: outer };
  const nested = doc.nestedYaml(outer.scalar!);
  if (!nested?.exact) return { doc, subject, at, outer, loc: outer };
  const loc = locate(nested.root, at);
  let patch: ControllerPatch | undefined;
  const patchesPath = patchesPathOf(subject);
  if (holder.kind === 'patch' && patchesPath) {
    const index = outer.path[patchesPath.length] as number;
    patch = readControllerPatches(doc, patchesPath)[index];
  }
  return { doc, subject, at, outer, loc, nested: { kind: holder.kind, root: nested.root, patch } };
}

/** A hover's text and the span it is about (default: the scalar under the mouse). */
export interface HoverAnswer {
  readonly markdown: string;
  readonly span?: Span;
}

/** String keys of a path (sequence indices dropped). */
export function keysOf(path: readonly (string | number)[]): string[] {
  return path.filter((p): p is string => typeof p === 'string');
}

/** Whether `path` is exactly `want`, where a `number` in `want` matches any index. */
export function pathMatches(path: readonly (string | number)[], want: readonly (string | number)[]): boolean {
  return (
    path.length === want.length &&
    want.every((w, i) => (typeof w === 'number' ? typeof path[i] === 'number' : path[i] === w))
  );
}
