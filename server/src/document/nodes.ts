/**
 * The YAML node model every feature reads. It is a thin, immutable view of the `yaml` package's AST: features never
 * import `yaml` themselves, so a major-version change of the parser touches this folder only.
 *
 * Offsets are relative to the start of the YAML document (chunk) the node belongs to; `ManifestDoc` turns them into
 * file offsets and LSP ranges. Aliases are kept as aliases and never expanded, so alias bombs cost nothing.
 */

export interface Span {
  /** Offset of the first character. */
  start: number;
  /** Offset just past the node's value (excludes trailing comments and line breaks). */
  end: number;
}

export type ScalarStyle = 'plain' | 'single' | 'double' | 'literal' | 'folded';

export interface ScalarNode extends Span {
  readonly type: 'scalar';
  /** The resolved value (YAML 1.1 schema, as Kubernetes reads it). */
  readonly value: string | number | boolean | null | bigint;
  /** The value as text, whatever its type (`true` for a boolean, `"1"` quoted gives `1`). */
  readonly text: string;
  readonly style: ScalarStyle;
  readonly tag?: string;
}

export interface PairNode extends Span {
  readonly type: 'pair';
  readonly key: ScalarNode;
  readonly value: YamlNode | undefined;
}

export interface MapNode extends Span {
  readonly type: 'map';
  readonly pairs: readonly PairNode[];
  readonly flow: boolean;
}

export interface SeqNode extends Span {
  readonly type: 'seq';
  readonly items: readonly YamlNode[];
  readonly flow: boolean;
}

export interface AliasNode extends Span {
  readonly type: 'alias';
  readonly source: string;
}

export type YamlNode = ScalarNode | MapNode | SeqNode | AliasNode;

/** Maps an offset in the parsed text to an offset in the document chunk the nodes should report. */
export type OffsetMap = (offset: number) => number;

/** A pair spans its key and its value (a null value: the key), as both parsers build it. */
export function pairNode(key: ScalarNode, value: YamlNode | undefined): PairNode {
  return { type: 'pair', key, value, start: key.start, end: value && value.end > key.end ? value.end : key.end };
}

export function isMap(node: YamlNode | undefined): node is MapNode {
  return node?.type === 'map';
}

export function isSeq(node: YamlNode | undefined): node is SeqNode {
  return node?.type === 'seq';
}

export function isScalar(node: YamlNode | undefined): node is ScalarNode {
  return node?.type === 'scalar';
}

/** The pair with this key in a map (last one wins, as Kubernetes decoders do). */
export function pairOf(map: YamlNode | undefined, key: string): PairNode | undefined {
  if (!isMap(map)) return undefined;
  for (let i = map.pairs.length - 1; i >= 0; i--) if (map.pairs[i].key.text === key) return map.pairs[i];
  return undefined;
}

/** The value at a path of map keys and sequence indices. */
export function nodeAt(root: YamlNode | undefined, path: readonly (string | number)[]): YamlNode | undefined {
  let node = root;
  for (const step of path) {
    if (node === undefined) return undefined;
    if (typeof step === 'number') node = isSeq(node) ? node.items[step] : undefined;
    else node = pairOf(node, step)?.value;
  }
  return node;
}

/** The pair whose key ends the path (for ranges on the key). */
export function pairAt(root: YamlNode | undefined, path: readonly (string | number)[]): PairNode | undefined {
  if (path.length === 0) return undefined;
  const last = path[path.length - 1];
  if (typeof last !== 'string') return undefined;
  return pairOf(nodeAt(root, path.slice(0, -1)), last);
}

/** The scalar text at a path, or undefined when absent or not a scalar. */
export function textAt(root: YamlNode | undefined, path: readonly (string | number)[]): string | undefined {
  const node = nodeAt(root, path);
  return isScalar(node) ? node.text : undefined;
}

/** Map entries as [key, value] for iteration. */
export function entries(map: YamlNode | undefined): readonly PairNode[] {
  return isMap(map) ? map.pairs : [];
}

export function items(seq: YamlNode | undefined): readonly YamlNode[] {
  return isSeq(seq) ? seq.items : [];
}

/** Every scalar value below a node (keys excluded), depth-first, bounded so hostile input stays cheap. */
export function* scalarValues(node: YamlNode | undefined, limit = 100_000): Generator<ScalarNode> {
  const stack: YamlNode[] = node ? [node] : [];
  let seen = 0;
  while (stack.length > 0 && seen++ < limit) {
    const n = stack.pop()!;
    if (n.type === 'scalar') yield n;
    else if (n.type === 'map')
      for (let i = n.pairs.length - 1; i >= 0; i--) {
        const v = n.pairs[i].value;
        if (v) stack.push(v);
      }
    else if (n.type === 'seq') for (let i = n.items.length - 1; i >= 0; i--) stack.push(n.items[i]);
  }
}
