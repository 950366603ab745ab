import { CONTROLLER_NAMES, FLUX_CONTAINER_NAME, type ControllerName } from '../catalog';
import type { ManifestDoc } from '../document/manifest';
import type { NestedYaml } from '../document/nested';
import {
  entries,
  isMap,
  isScalar,
  isSeq,
  items,
  nodeAt,
  pairOf,
  textAt,
  type MapNode,
  type ScalarNode,
  type Span,
  type YamlNode,
} from '../document/nodes';

/** One kustomize `patches` entry that targets Flux controllers, read into what it changes. */
export interface ControllerPatch {
  /** Index in the `patches` list. */
  readonly index: number;
  /** The `patches[i]` entry. */
  readonly entry: YamlNode;
  /** `target.kind`, or the body's `kind` when there is no target. */
  readonly targetKind: string | undefined;
  /** `target.name` as written (a regex). */
  readonly targetName: ScalarNode | undefined;
  /** Flux controllers the target selects. */
  readonly controllers: readonly ControllerName[];
  readonly form: 'json6902' | 'strategic-merge' | 'unknown';
  /** The parsed patch body (inside `patch: |`), when inline. */
  readonly body: NestedYaml | { root: YamlNode | undefined } | undefined;
  /** The `patch` scalar holding the body. */
  readonly bodyScalar: ScalarNode | undefined;
  /** Container args added (each a scalar). */
  readonly args: readonly ScalarNode[];
  /** Env vars set on container 0: name -> value scalar (undefined when from a Secret/ConfigMap). */
  readonly env: readonly EnvEntry[];
  /** ServiceAccount annotations set. */
  readonly annotations: readonly KeyValue[];
  /** Pod template labels set (`spec.template.metadata.labels`). */
  readonly podLabels: readonly KeyValue[];
  /** Labels set in places the workload-identity webhook does not read (Deployment/ServiceAccount metadata). */
  readonly otherLabels: readonly KeyValue[];
  readonly volumes: readonly YamlNode[];
  readonly volumeMounts: readonly YamlNode[];
  /** JSON6902 operations as read (for path checks). */
  readonly ops: readonly Json6902Op[];
}

export interface KeyValue {
  readonly key: string;
  readonly keyNode: ScalarNode;
  readonly value: YamlNode | undefined;
}

export interface EnvEntry {
  readonly name: string;
  readonly nameNode: ScalarNode;
  readonly value: ScalarNode | undefined;
  readonly valueFrom: YamlNode | undefined;
  readonly node: YamlNode;
}

export interface Json6902Op {
  readonly op: ScalarNode | undefined;
  readonly path: ScalarNode | undefined;
  readonly value: YamlNode | undefined;
  readonly node: YamlNode;
}

/** kustomize anchors selector regexes: `name: a|b` selects exactly `a` or `b`. */
export function controllersMatching(pattern: string | undefined): ControllerName[] {
  if (pattern === undefined) return [...CONTROLLER_NAMES];
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern})$`);
  } catch {
    return CONTROLLER_NAMES.filter((n) => n === pattern);
  }
  return CONTROLLER_NAMES.filter((n) => regex.test(n));
}

/** Reads every entry of a `patches` list (kustomization.yaml, or FluxInstance `spec.kustomize.patches`). */
export function readControllerPatches(doc: ManifestDoc, patchesPath: readonly (string | number)[]): ControllerPatch[] {
  const list = nodeAt(doc.root, patchesPath);
  return items(list).map((entry, index) => readPatch(doc, entry, index));
}

function readPatch(doc: ManifestDoc, entry: YamlNode, index: number): ControllerPatch {
  const patchNode = nodeAt(entry, ['patch']);
  let body: ControllerPatch['body'];
  let bodyScalar: ScalarNode | undefined;
  if (isScalar(patchNode)) {
    bodyScalar = patchNode;
    body = doc.nestedYaml(patchNode);
  } else if (patchNode) body = { root: patchNode }; // some tools write the patch as a YAML object
  const root = body?.root;
  const form: ControllerPatch['form'] = isSeq(root) ? 'json6902' : isMap(root) ? 'strategic-merge' : 'unknown';
  const targetKind = textAt(entry, ['target', 'kind']) ?? textAt(root, ['kind']);
  const targetNameNode = nodeAt(entry, ['target', 'name']);
  const targetName = isScalar(targetNameNode) ? targetNameNode : undefined;
  const nameForMatch = targetName?.text ?? (nodeAt(entry, ['target']) ? undefined : textAt(root, ['metadata', 'name']));
  const controllers = controllersMatching(nameForMatch);

  const result = {
    args: [] as ScalarNode[],
    env: [] as EnvEntry[],
    annotations: [] as KeyValue[],
    podLabels: [] as KeyValue[],
    otherLabels: [] as KeyValue[],
    volumes: [] as YamlNode[],
    volumeMounts: [] as YamlNode[],
    ops: [] as Json6902Op[],
  };
  if (form === 'json6902') readJson6902(root, result);
  else if (form === 'strategic-merge') readStrategicMerge(root as MapNode, result);
  return { index, entry, targetKind, targetName, controllers, form, body, bodyScalar, ...result };
}

type Collected = Pick<
  ControllerPatch,
  'args' | 'env' | 'annotations' | 'podLabels' | 'otherLabels' | 'volumes' | 'volumeMounts' | 'ops'
> & {
  args: ScalarNode[];
  env: EnvEntry[];
  annotations: KeyValue[];
  podLabels: KeyValue[];
  otherLabels: KeyValue[];
  volumes: YamlNode[];
  volumeMounts: YamlNode[];
  ops: Json6902Op[];
};

function keyValues(map: YamlNode | undefined): KeyValue[] {
  return entries(map).map((p) => ({ key: p.key.text, keyNode: p.key, value: p.value }));
}

function envEntry(node: YamlNode): EnvEntry | undefined {
  const nameNode = nodeAt(node, ['name']);
  if (!isScalar(nameNode)) return undefined;
  const value = nodeAt(node, ['value']);
  return {
    name: nameNode.text,
    nameNode,
    value: isScalar(value) ? value : undefined,
    valueFrom: nodeAt(node, ['valueFrom']),
    node,
  };
}

const CONTAINER0 = /^\/spec\/template\/spec\/containers\/0\/(args|env|volumeMounts)(\/-|\/\d+)?$/;
const VOLUMES = /^\/spec\/template\/spec\/volumes(\/-|\/\d+)?$/;
const ANNOTATION = /^\/metadata\/annotations\/(.+)$/;
const POD_LABEL = /^\/spec\/template\/metadata\/labels\/(.+)$/;
const META_LABEL = /^\/metadata\/labels\/(.+)$/;

/** RFC 6901 unescaping of one path segment (`~1` is `/`). */
function unescapePointer(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

function readJson6902(root: YamlNode | undefined, out: Collected): void {
  for (const node of items(root)) {
    const op = nodeAt(node, ['op']);
    const path = nodeAt(node, ['path']);
    const value = nodeAt(node, ['value']);
    out.ops.push({ op: isScalar(op) ? op : undefined, path: isScalar(path) ? path : undefined, value, node });
    if (!isScalar(path) || (isScalar(op) && op.text === 'remove')) continue;
    const p = path.text;
    const c = CONTAINER0.exec(p);
    const single = c ? c[2] !== undefined : VOLUMES.exec(p)?.[1] !== undefined;
    const values = single ? [value] : items(value);
    if (c?.[1] === 'args') for (const v of values) if (isScalar(v)) out.args.push(v);
    if (c?.[1] === 'env') for (const v of values) if (v) pushDefined(out.env, envEntry(v));
    if (c?.[1] === 'volumeMounts') for (const v of values) if (v) out.volumeMounts.push(v);
    if (VOLUMES.test(p)) for (const v of values) if (v) out.volumes.push(v);
    const a = ANNOTATION.exec(p);
    if (a && isScalar(path)) out.annotations.push({ key: unescapePointer(a[1]), keyNode: path, value });
    if (/^\/metadata\/annotations$/.test(p)) out.annotations.push(...keyValues(value));
    const l = POD_LABEL.exec(p);
    if (l) out.podLabels.push({ key: unescapePointer(l[1]), keyNode: path, value });
    if (/^\/spec\/template\/metadata\/labels$/.test(p)) out.podLabels.push(...keyValues(value));
    const m = META_LABEL.exec(p);
    if (m) out.otherLabels.push({ key: unescapePointer(m[1]), keyNode: path, value });
  }
}

function readStrategicMerge(root: MapNode, out: Collected): void {
  out.annotations.push(...keyValues(nodeAt(root, ['metadata', 'annotations'])));
  out.otherLabels.push(...keyValues(nodeAt(root, ['metadata', 'labels'])));
  out.podLabels.push(...keyValues(nodeAt(root, ['spec', 'template', 'metadata', 'labels'])));
  for (const v of items(nodeAt(root, ['spec', 'template', 'spec', 'volumes']))) out.volumes.push(v);
  const containers = items(nodeAt(root, ['spec', 'template', 'spec', 'containers']));
  // Strategic merge matches containers by name; Flux's only container is `manager`.
  const manager =
    containers.find((c) => textAt(c, ['name']) === FLUX_CONTAINER_NAME) ??
    (containers.length === 1 ? containers[0] : undefined);
  if (!manager) return;
  for (const a of items(pairOf(manager, 'args')?.value)) if (isScalar(a)) out.args.push(a);
  for (const e of items(pairOf(manager, 'env')?.value)) pushDefined(out.env, envEntry(e));
  for (const m of items(pairOf(manager, 'volumeMounts')?.value)) out.volumeMounts.push(m);
}

function pushDefined<T>(list: T[], value: T | undefined): void {
  if (value !== undefined) list.push(value);
}

/** The span to point at for a whole patch entry (its target name, else the entry). */
export function patchAnchor(patch: ControllerPatch): Span {
  return patch.targetName ?? patch.entry;
}
