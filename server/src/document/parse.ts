import { isAlias, isMap, isPair, isScalar, isSeq, parseDocument, Scalar, type Node as YNode } from 'yaml';
import type { MapNode, OffsetMap, PairNode, ScalarNode, ScalarStyle, SeqNode, YamlNode } from './nodes';
import { pairNode } from './nodes';
import { parseBlockYaml } from './fastParse';

export interface ParsedYaml {
  readonly root: YamlNode | undefined;
  /** Whether the parser reported syntax errors (we never report them ourselves: other extensions do). */
  readonly hasErrors: boolean;
}

const STYLES: Record<string, ScalarStyle> = {
  [Scalar.PLAIN]: 'plain',
  [Scalar.QUOTE_SINGLE]: 'single',
  [Scalar.QUOTE_DOUBLE]: 'double',
  [Scalar.BLOCK_LITERAL]: 'literal',
  [Scalar.BLOCK_FOLDED]: 'folded',
};

/** The nesting depth past which nodes are not converted (deeply nested input is hostile or generated). */
const MAX_DEPTH = 200;

/**
 * Parses one YAML document (no `---` splitting: callers give one chunk) with the YAML 1.1 schema Kubernetes uses,
 * and converts it to our node model with offsets passed through `map`.
 */
export function parseYaml(text: string, map: OffsetMap = (o) => o): ParsedYaml {
  const fast = parseBlockYaml(text, map);
  if (fast) return { root: fast.root, hasErrors: false };
  return parseFull(text, map);
}

/** The `yaml` package's full parse, for what the fast path declines (and to check it in tests). */
export function parseFull(text: string, map: OffsetMap = (o) => o): ParsedYaml {
  const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, prettyErrors: false, keepSourceTokens: false });
  return { root: doc.contents ? convert(doc.contents as YNode, map, 0) : undefined, hasErrors: doc.errors.length > 0 };
}

function convert(node: YNode, map: OffsetMap, depth: number): YamlNode | undefined {
  const range = node.range ?? [0, 0, 0];
  const start = map(range[0]);
  const end = map(range[1]);
  if (isScalar(node)) return scalar(node, start, end);
  if (isAlias(node)) return { type: 'alias', source: node.source, start, end };
  if (depth > MAX_DEPTH) return undefined;
  if (isMap(node)) {
    const pairs: PairNode[] = [];
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const keyNode = item.key as YNode | null;
      if (!keyNode || !isScalar(keyNode)) continue;
      const key = scalar(keyNode, map(keyNode.range?.[0] ?? 0), map(keyNode.range?.[1] ?? 0));
      const value = item.value ? convert(item.value as YNode, map, depth + 1) : undefined;
      pairs.push(pairNode(key, value));
    }
    const result: MapNode = { type: 'map', pairs, flow: !!node.flow, start, end };
    return result;
  }
  if (isSeq(node)) {
    const items: YamlNode[] = [];
    for (const item of node.items) {
      const converted = item ? convert(item as YNode, map, depth + 1) : undefined;
      if (converted) items.push(converted);
    }
    const result: SeqNode = { type: 'seq', items, flow: !!node.flow, start, end };
    return result;
  }
  return undefined;
}

function scalar(node: Scalar, start: number, end: number): ScalarNode {
  const source = (node as Scalar & { source?: string }).source;
  // A tag that resolves to an object (`!!binary` to bytes, `!!timestamp` to a Date) keeps the text as written, as
  // Kubernetes reads it (and as YAML can print it again).
  const raw = node.value as ScalarNode['value'] | object | undefined;
  const value = raw !== null && typeof raw === 'object' ? (source ?? String(raw)) : raw;
  const text = typeof value === 'string' ? value : (source ?? String(value ?? ''));
  return {
    type: 'scalar',
    value: value === undefined ? null : value,
    text,
    style: STYLES[node.type ?? Scalar.PLAIN] ?? 'plain',
    ...(node.tag ? { tag: node.tag } : {}),
    start,
    end,
  };
}
