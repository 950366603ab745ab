/**
 * The rendered value model: a YAML tree in which every node remembers where it came from (the base file, a kustomize
 * patch, a Flux `spec.patches` entry, a postBuild substitution, a transformer such as `namespace:`). Rendering never
 * mutates a tree: merges and patches build new nodes and share the untouched ones.
 *
 * What the repository cannot tell (a remote base, a generator, a variable from outside the repo) is an `unknown`
 * node with the reason, so a rule can stay silent and a hover can say why.
 */
import type { LineStarts } from '../document/lineIndex';
import type { ManifestDoc, Range } from '../document/manifest';
import { isMap, isScalar, isSeq, type YamlNode } from '../document/nodes';

/** How a value got into the rendering. */
export type Via = 'file' | 'patch' | 'flux-patch' | 'substitution' | 'transformer' | 'generated';

/** A place in a file, with how it contributed. */
export interface At {
  readonly uri: string;
  readonly range: Range;
  readonly via: Via;
  /** For messages and hovers: "patch in apps/prod/kustomization.yaml", "from ConfigMap cluster-vars". */
  readonly note?: string;
}

/**
 * What the positions of one conversion share: the file version's line starts (not its text), how the values got
 * into the rendering and the note. One per converted tree, so a position is three fields, not four objects.
 */
class Origin {
  private sibling?: Origin;

  constructor(
    readonly uri: string,
    readonly lines: LineStarts,
    readonly via: Via,
    readonly note: string | undefined,
  ) {}

  /** The same file version with another `via`/note (the last one asked for is kept: sites relabel whole trees). */
  as(via: Via, note: string | undefined): Origin {
    if (via === this.via && note === this.note) return this;
    const s = this.sibling;
    if (s?.via === via && s.note === note) return s;
    return (this.sibling = new Origin(this.uri, this.lines, via, note));
  }
}

/**
 * A position in a file kept as two file offsets; `range` is computed when read (most positions never are, and it
 * gives what `doc.range` gave when the tree was converted). Spreading one loses its getters: use `withVia`.
 */
class OffsetAt implements At {
  constructor(
    readonly origin: Origin,
    readonly start: number,
    readonly end: number,
  ) {}

  get uri(): string {
    return this.origin.uri;
  }

  get via(): Via {
    return this.origin.via;
  }

  get note(): string | undefined {
    return this.origin.note;
  }

  get range(): Range {
    const lines = this.origin.lines;
    return { start: lines.positionAt(this.start), end: lines.positionAt(this.end) };
  }
}

/** `at` with another `via` (and note: kept when not given), e.g. a value a transformer or a substitution placed. */
export function withVia(at: At, via: Via, note?: string): At {
  const n = note ?? at.note;
  if (at instanceof OffsetAt) return new OffsetAt(at.origin.as(via, n), at.start, at.end);
  return { uri: at.uri, range: at.range, via, ...(n !== undefined ? { note: n } : {}) };
}

export type ScalarValue = string | number | boolean | null;

export interface RScalar {
  readonly type: 'scalar';
  readonly value: ScalarValue;
  readonly at: At;
  /** The value as written and where, when postBuild substitution changed it (`${AZURE_CLIENT_ID}`). */
  readonly before?: { readonly text: string; readonly at: At };
}

export interface REntry {
  /** Where the key was written (a finding on the key lands here). */
  readonly key: At;
  readonly value: RNode;
}

export interface RMap {
  readonly type: 'map';
  readonly entries: ReadonlyMap<string, REntry>;
  readonly at: At;
}

export interface RSeq {
  readonly type: 'seq';
  readonly items: readonly RNode[];
  readonly at: At;
}

export interface RUnknown {
  readonly type: 'unknown';
  readonly why: string;
  readonly at: At;
}

export type RNode = RScalar | RMap | RSeq | RUnknown;

export type Path = readonly (string | number)[];

/** Nodes of one YAML tree converted, bounded so a hostile document stays cheap. */
const MAX_NODES = 200_000;

/**
 * The entries of a converted map, as one flat array of keys and entries: a `Map` costs about three times as much per
 * map, and most maps hold a few keys. Larger maps get a `Map` (lookups stay O(1)).
 */
class FewEntries implements ReadonlyMap<string, REntry> {
  constructor(private readonly flat: readonly (string | REntry)[]) {}

  get size(): number {
    return this.flat.length >> 1;
  }

  get(key: string): REntry | undefined {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) if (flat[i] === key) return flat[i + 1] as REntry;
    return undefined;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  *entries(): MapIterator<[string, REntry]> {
    const flat = this.flat;
    for (let i = 0; i < flat.length; i += 2) yield [flat[i] as string, flat[i + 1] as REntry];
  }

  *keys(): MapIterator<string> {
    for (let i = 0; i < this.flat.length; i += 2) yield this.flat[i] as string;
  }

  *values(): MapIterator<REntry> {
    for (let i = 1; i < this.flat.length; i += 2) yield this.flat[i] as REntry;
  }

  forEach(f: (value: REntry, key: string, map: ReadonlyMap<string, REntry>) => void, thisArg?: unknown): void {
    for (let i = 0; i < this.flat.length; i += 2)
      f.call(thisArg, this.flat[i + 1] as REntry, this.flat[i] as string, this);
  }

  [Symbol.iterator](): MapIterator<[string, REntry]> {
    return this.entries();
  }
}

/** Maps with more keys than this get a `Map`. */
const FEW = 12;

/** The entries a rendering step built (in a `Map`), as they are kept: flat when few. */
export function compactEntries(entries: Map<string, REntry>): ReadonlyMap<string, REntry> {
  if (entries.size > FEW) return entries;
  // Filled by index: an array grown by push keeps spare capacity (most maps hold one or two keys).
  const flat = new Array<string | REntry>(entries.size * 2);
  let i = 0;
  for (const [k, e] of entries) {
    flat[i++] = k;
    flat[i++] = e;
  }
  return new FewEntries(flat);
}

/** The rendered form of a parsed YAML node of a document (aliases become unknown: they are never expanded). */
export function fromYaml(doc: ManifestDoc, node: YamlNode | undefined, via: Via, note?: string): RNode {
  let budget = MAX_NODES;
  const origin = new Origin(doc.file.uri, doc.file.lines.positions, via, note || undefined);
  const base = doc.offset;
  const at = (span: { start: number; end: number }): At => new OffsetAt(origin, base + span.start, base + span.end);
  const convert = (n: YamlNode | undefined, fallback: { start: number; end: number }): RNode => {
    if (--budget < 0) return { type: 'unknown', why: 'document too large to render', at: at(fallback) };
    if (!n) return { type: 'scalar', value: null, at: at(fallback) };
    if (isScalar(n)) {
      const v = n.value;
      return { type: 'scalar', value: typeof v === 'bigint' ? Number(v) : v, at: at(n) };
    }
    if (isMap(n)) {
      if (n.pairs.length > FEW) {
        const entries = new Map<string, REntry>();
        for (const p of n.pairs) {
          if (p.key.text === '<<') continue; // merge keys need alias expansion, which we never do
          entries.set(p.key.text, { key: at(p.key), value: convert(p.value, p.key) });
        }
        return { type: 'map', entries, at: at(n) };
      }
      // As Map.set does: a repeated key keeps its first place and takes the last value.
      const flat: (string | REntry)[] = [];
      for (const p of n.pairs) {
        if (p.key.text === '<<') continue;
        const entry: REntry = { key: at(p.key), value: convert(p.value, p.key) };
        const i = flat.indexOf(p.key.text);
        if (i === -1) flat.push(p.key.text, entry);
        else flat[i + 1] = entry;
      }
      return { type: 'map', entries: new FewEntries(flat.slice()), at: at(n) }; // slice: no spare capacity
    }
    if (isSeq(n)) return { type: 'seq', items: n.items.map((i) => convert(i, i)), at: at(n) };
    return { type: 'unknown', why: 'a YAML alias (not expanded)', at: at(n) };
  };
  return convert(node, node ?? { start: 0, end: 0 });
}

/** The node at a path of map keys and sequence indices. */
export function nodeIn(root: RNode | undefined, path: Path): RNode | undefined {
  let node = root;
  for (const step of path) {
    if (!node) return undefined;
    if (typeof step === 'number') node = node.type === 'seq' ? node.items[step] : undefined;
    else node = node.type === 'map' ? node.entries.get(step)?.value : undefined;
  }
  return node;
}

/** A scalar's value as text (`true`, `1`, the string itself), undefined when absent, null or not a scalar. */
export function textIn(root: RNode | undefined, path: Path): string | undefined {
  const node = nodeIn(root, path);
  return node?.type === 'scalar' && node.value !== null ? String(node.value) : undefined;
}

/** Map entries as [key, entry]. */
export function entriesOf(node: RNode | undefined): [string, REntry][] {
  return node?.type === 'map' ? [...node.entries] : [];
}

export function itemsOf(node: RNode | undefined): readonly RNode[] {
  return node?.type === 'seq' ? node.items : [];
}

/** Scalars of a map as strings (others skipped): labels, annotations, ConfigMap data. */
export function stringsOf(node: RNode | undefined): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, e] of entriesOf(node))
    if (e.value.type === 'scalar' && e.value.value !== null) out.set(k, String(e.value.value));
  return out;
}

/**
 * A copy of `root` with the value at `path` replaced (or added, with `key` as its key's position). Missing maps on
 * the way are created at `at`. Returns `root` unchanged when the path runs through a non-map.
 */
export function setIn(root: RNode, path: Path, value: RNode, key?: At): RNode {
  if (path.length === 0) return value;
  const [step, ...rest] = path;
  if (typeof step === 'number') {
    if (root.type !== 'seq' || step < 0 || step >= root.items.length) return root;
    const items = root.items.slice();
    items[step] = setIn(items[step], rest, value, key);
    return { ...root, items };
  }
  if (root.type !== 'map') return root;
  const entries = new Map(root.entries);
  const old = entries.get(step);
  const child: RNode =
    rest.length === 0
      ? value
      : setIn(old?.value ?? { type: 'map', entries: new Map(), at: value.at }, rest, value, key);
  entries.set(step, { key: old?.key ?? key ?? value.at, value: child });
  return { ...root, entries: compactEntries(entries) };
}

/** A copy of `root` without the entry at `path` (unchanged when absent). */
export function deleteIn(root: RNode, path: Path): RNode {
  if (path.length === 0) return root;
  const [step, ...rest] = path;
  if (typeof step === 'number') {
    if (root.type !== 'seq' || step < 0 || step >= root.items.length) return root;
    const items = root.items.slice();
    if (rest.length === 0) items.splice(step, 1);
    else items[step] = deleteIn(items[step], rest);
    return { ...root, items };
  }
  if (root.type !== 'map' || !root.entries.has(step)) return root;
  const entries = new Map(root.entries);
  if (rest.length === 0) entries.delete(step);
  else entries.set(step, { ...entries.get(step)!, value: deleteIn(entries.get(step)!.value, rest) });
  return { ...root, entries: compactEntries(entries) };
}

/** Plain JavaScript (for tests, previews and structural comparisons); unknown nodes become `undefined`. */
export function toPlain(node: RNode | undefined): unknown {
  if (!node) return undefined;
  switch (node.type) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map':
      return Object.fromEntries([...node.entries].map(([k, e]) => [k, toPlain(e.value)]));
    default:
      return undefined;
  }
}

/**
 * Rewrites every scalar for which `f` returns a replacement (structure and other origins kept). `skip` prunes
 * subtrees that cannot hold a scalar `f` would replace; untouched subtrees are shared, not copied.
 */
export function mapScalars(node: RNode, f: (s: RScalar) => RNode | undefined, skip?: (n: RNode) => boolean): RNode {
  if (skip?.(node)) return node;
  if (node.type === 'scalar') return f(node) ?? node;
  if (node.type === 'seq') {
    let items: RNode[] | undefined;
    node.items.forEach((item, i) => {
      const next = mapScalars(item, f, skip);
      if (next !== item) (items ??= node.items.slice())[i] = next;
    });
    return items ? { ...node, items } : node;
  }
  if (node.type === 'map') {
    let entries: Map<string, REntry> | undefined;
    for (const [k, e] of node.entries) {
      const next = mapScalars(e.value, f, skip);
      if (next !== e.value) (entries ??= new Map(node.entries)).set(k, { key: e.key, value: next });
    }
    return entries ? { ...node, entries: compactEntries(entries) } : node;
  }
  return node;
}

/** Whether any string scalar under `node` contains `${` (a postBuild variable use or escape); memoized per tree. */
export function holdsVariable(node: RNode): boolean {
  if (node.type === 'scalar') return typeof node.value === 'string' && node.value.includes('${');
  if (node.type === 'unknown') return false;
  let known = variableHolders.get(node);
  if (known === undefined) {
    known = false;
    if (node.type === 'seq') known = node.items.some(holdsVariable);
    else for (const e of node.entries.values()) if ((known = holdsVariable(e.value))) break;
    variableHolders.set(node, known);
  }
  return known;
}

/** Rendered trees never change: whether one holds a variable is computed once per tree. */
const variableHolders = new WeakMap<RMap | RSeq, boolean>();
