import type { PairNode, ScalarNode, YamlNode } from './nodes';

/** What lies at an offset: the path of keys/indices from the root, and whether the offset is on a key. */
export interface Location {
  /** Keys and sequence indices from the root to the innermost node containing the offset. */
  readonly path: readonly (string | number)[];
  /** The innermost node (for a key, the key scalar). */
  readonly node: YamlNode | undefined;
  /** The innermost pair the offset is in, if any. */
  readonly pair: PairNode | undefined;
  readonly onKey: boolean;
  /** The scalar under the offset (key or value). */
  readonly scalar: ScalarNode | undefined;
}

function contains(span: { start: number; end: number }, offset: number): boolean {
  return offset >= span.start && offset <= span.end;
}

export function locate(root: YamlNode | undefined, offset: number): Location {
  const path: (string | number)[] = [];
  let node = root;
  let pair: PairNode | undefined;
  let onKey = false;
  while (node) {
    if (node.type === 'map') {
      const hit = node.pairs.find(
        (p) => contains(p.key, offset) || (p.value !== undefined && contains(p.value, offset)),
      );
      if (!hit) break;
      pair = hit;
      path.push(hit.key.text);
      if (contains(hit.key, offset) && !(hit.value && contains(hit.value, offset) && offset > hit.key.end)) {
        onKey = true;
        node = hit.key;
        break;
      }
      node = hit.value;
      continue;
    }
    if (node.type === 'seq') {
      const index = node.items.findIndex((item) => contains(item, offset));
      if (index === -1) break;
      path.push(index);
      node = node.items[index];
      continue;
    }
    break;
  }
  return { path, node, pair, onKey, scalar: node?.type === 'scalar' ? node : undefined };
}
