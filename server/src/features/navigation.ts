/**
 * Go to definition and find references across files, for the references the rules follow (catalog `REFERENCES`):
 * a ServiceAccount, Secret, ConfigMap or source named by a Flux object, a federated credential's subject, a
 * kustomize patch `target` (the objects the patch changed), a `${VAR}` (its postBuild value), and the paths of a
 * kustomization (`resources`, `components`, patch files). Targets are looked up in what Flux applies to the clusters
 * of the file (names and namespaces as rendered); what the repository cannot tell answers nothing.
 */
import { dirname, resolve } from 'node:path';
import type { Location, Position, Range } from 'vscode-languageserver-types';
import {
  FLUX_API_GROUPS,
  KUSTOMIZATION_FILE_NAMES,
  KUSTOMIZE_CONFIG_GROUP,
  REFERENCES,
  SUBSTITUTE_ANNOTATION,
  SUBSTITUTE_DISABLED,
  groupOfReferencedKind,
  parseServiceAccountSubject,
  type ReferenceDef,
} from '../catalog';
import { locate } from '../document/locate';
import type { ManifestDoc, ManifestFile } from '../document/manifest';
import type { FleetRendering } from '../render/fleet';
import { variableUses } from '../render/flux';
import { annotationsOf, idOf, type RObject } from '../render/object';
import { fromYaml, itemsOf, nodeIn, textIn, type At, type Path, type RMap, type RNode } from '../render/value';
import { pathToUri, uriToPath } from '../workspace/files';
import type { Cluster, WorkspaceIndex } from '../workspace/workspaceIndex';
import type { FeatureContext } from './context';

/** What a reference names. */
interface Named {
  readonly kind: string;
  readonly name: string;
  /** Undefined: the referring object has no namespace either (lookups are then lenient). */
  readonly namespace: string | undefined;
  /** Where the name was written (the place a reference is listed at). */
  readonly at: At;
}

/** A target found in a cluster's rendering. */
interface Found {
  readonly cluster: Cluster | undefined;
  readonly object: RObject;
}

const BY_KIND = new Map<string, ReferenceDef[]>();
for (const r of REFERENCES) BY_KIND.set(r.kind, [...(BY_KIND.get(r.kind) ?? []), r]);

const KUSTOMIZE_PATH_LISTS = ['resources', 'bases', 'components', 'patchesStrategicMerge'];

export function provideDefinition(file: ManifestFile, position: Position, ctx: FeatureContext): Location[] {
  const site = siteAt(file, position);
  if (!site) return [];
  const { doc, path, at } = site;
  const index = ctx.index;
  const scalar = locate(doc.root, at).scalar;
  if (scalar && typeof scalar.value === 'string' && scalar.value.includes('${')) {
    const variable = variableDefinition(doc, scalar, at, index);
    if (variable.length > 0) return variable;
  }
  const ref = referenceAt(doc, path);
  if (ref) return dedupe(resolveReference(doc, ref, index).map(({ object }) => declarationOf(object)));
  const target = patchEntryAt(doc, path);
  if (target) {
    if (path[target.length] === 'path' && isKustomizeDoc(doc))
      return fileLocation(doc, doc.text([...target, 'path']), index);
    if (path[target.length] === 'target') return dedupe(patchedBy(doc, target, index).map(declarationOf));
  }
  if (isKustomizeDoc(doc) && typeof path[0] === 'string' && KUSTOMIZE_PATH_LISTS.includes(path[0]) && path.length === 2)
    return fileLocation(doc, doc.text(path), index);
  return [];
}

export function provideReferences(
  file: ManifestFile,
  position: Position,
  ctx: FeatureContext,
  includeDeclaration: boolean,
): Location[] {
  const site = siteAt(file, position);
  if (!site) return [];
  const { doc, path } = site;
  const index = ctx.index;
  const ref = referenceAt(doc, path);
  let targets: Found[];
  if (ref) targets = resolveReference(doc, ref, index);
  else if (path[0] === 'metadata' && path[1] === 'name') targets = renderedOrWritten(doc, index);
  else return [];
  const out: Location[] = [];
  for (const target of targets) {
    if (includeDeclaration) out.push(declarationOf(target.object));
    const renderings = target.cluster ? [index.renderingOf(target.cluster)] : allRenderings(index);
    for (const rendering of renderings)
      for (const at of referrersOf(rendering, target.object)) out.push(locationOf(at));
  }
  return dedupe(out);
}

// ---- where the cursor is ------------------------------------------------------------------------------------

function siteAt(file: ManifestFile, position: Position): { doc: ManifestDoc; path: Path; at: number } | undefined {
  const offset = file.lines.offsetAt(position);
  const doc = file.docAt(offset);
  if (!doc?.root) return undefined;
  const at = offset - doc.offset;
  return { doc, path: locate(doc.root, at).path, at };
}

function isKustomizeDoc(doc: ManifestDoc): boolean {
  return doc.group === KUSTOMIZE_CONFIG_GROUP || (!doc.apiVersion && !doc.kind && !!doc.get(['resources']));
}

/** The reference field the path is in, with its concrete path (sequence indices filled in). */
function referenceAt(doc: ManifestDoc, path: Path): { def: ReferenceDef; path: Path } | undefined {
  for (const def of BY_KIND.get(doc.kind ?? '') ?? []) {
    if (def.group !== doc.group || path.length < def.path.length) continue;
    if (def.shape !== 'ref' && path.length !== def.path.length) continue;
    const same = def.path.every((s, i) => (typeof s === 'number' ? typeof path[i] === 'number' : s === path[i]));
    if (same) return { def, path: path.slice(0, def.path.length) };
  }
  return undefined;
}

/** What a reference at `path` of an object names, read from the object as rendered. */
function namedBy(def: ReferenceDef, node: RNode, path: Path, ownNamespace: string | undefined): Named | undefined {
  const value = nodeIn(node, path);
  if (!value) return undefined;
  if (def.shape === 'name') {
    const name = textIn(value, []);
    return name && value.type === 'scalar'
      ? { kind: def.targets[0]!, name, namespace: ownNamespace, at: value.at }
      : undefined;
  }
  if (def.shape === 'subject') {
    const parsed = parseServiceAccountSubject(textIn(value, []) ?? '');
    return parsed ? { kind: def.targets[0]!, ...parsed, at: value.at } : undefined;
  }
  const name = nodeIn(value, ['name']);
  const kind = textIn(value, ['kind']) ?? def.targets[0]!;
  if (name?.type !== 'scalar' || name.value === null || name.value === '' || !def.targets.includes(kind))
    return undefined;
  const namespace = (def.crossNamespace ? textIn(value, ['namespace']) : undefined) ?? ownNamespace;
  return { kind, name: String(name.value), namespace, at: name.at };
}

// ---- resolving -------------------------------------------------------------------------------------------

/** The objects a reference of a document names, in each cluster that applies the document. */
function resolveReference(doc: ManifestDoc, ref: { def: ReferenceDef; path: Path }, index: WorkspaceIndex): Found[] {
  const out: Found[] = [];
  const renderings = index.renderingsOf(doc.file.uri, doc.index);
  for (const { cluster, object } of renderings) {
    const named = namedBy(ref.def, object.node, ref.path, idOf(object).namespace);
    if (named) for (const t of lookup(index.renderingOf(cluster), named)) out.push({ cluster, object: t });
  }
  if (renderings.length > 0) return out;
  // Not applied by any cluster (a base no overlay reaches, a loose file): as written, wherever the target renders.
  const written = fromYaml(doc, doc.root, 'file');
  const named = namedBy(ref.def, written, ref.path, doc.namespace ?? index.inheritedNamespace(doc.file.uri));
  if (!named) return [];
  for (const cluster of index.clusters())
    for (const t of lookup(index.renderingOf(cluster), named)) out.push({ cluster, object: t });
  if (out.length === 0) for (const object of writtenObjects(index, named)) out.push({ cluster: undefined, object });
  return out;
}

/** The document's renderings (each cluster's object), or the document as written when no cluster applies it. */
function renderedOrWritten(doc: ManifestDoc, index: WorkspaceIndex): Found[] {
  const renderings = index.renderingsOf(doc.file.uri, doc.index);
  if (renderings.length > 0) return renderings.map(({ cluster, object }) => ({ cluster, object }));
  const node = fromYaml(doc, doc.root, 'file');
  if (node.type !== 'map') return [];
  return [
    {
      cluster: undefined,
      object: { node, source: { uri: doc.file.uri, doc: doc.index, range: doc.range(doc.root!) }, changedBy: [] },
    },
  ];
}

/** ServiceAccounts and Secrets of the index when no cluster renders anything (a workspace without clusters). */
function writtenObjects(index: WorkspaceIndex, named: Named): RObject[] {
  const facts =
    named.kind === 'ServiceAccount'
      ? index.serviceAccounts(named.name, named.namespace)
      : named.kind === 'Secret'
        ? index.secrets(named.name, named.namespace)
        : [];
  return facts.map((f) => {
    const at: At = { uri: f.uri, range: f.range, via: 'file' };
    const scalar = (value: string): RNode => ({ type: 'scalar', value, at });
    const map = (entries: [string, RNode][]): RMap => ({
      type: 'map',
      entries: new Map(entries.map(([k, value]) => [k, { key: at, value }])),
      at,
    });
    const metadata: [string, RNode][] = [['name', scalar(f.name)]];
    if (f.namespace) metadata.push(['namespace', scalar(f.namespace)]);
    const node = map([
      ['apiVersion', scalar('v1')],
      ['kind', scalar(named.kind)],
      ['metadata', map(metadata)],
    ]);
    return { node, source: { uri: f.uri, doc: -1, range: f.range }, changedBy: [] };
  });
}

const byName = new WeakMap<FleetRendering, Map<string, RObject[]>>();

/** Objects of a rendering of the named kind and name, in the named namespace (exact matches first). */
function lookup(rendering: FleetRendering, named: Named): RObject[] {
  let map = byName.get(rendering);
  if (!map) {
    map = new Map();
    for (const a of rendering.applied)
      for (const o of a.objects) {
        const id = idOf(o);
        const key = `${id.kind}/${id.name}`;
        map.set(key, [...(map.get(key) ?? []), o]);
      }
    byName.set(rendering, map);
  }
  const group = groupOfReferencedKind(named.kind);
  const candidates = (map.get(`${named.kind}/${named.name}`) ?? []).filter(
    (o) => group === undefined || idOf(o).group === group,
  );
  const exact = candidates.filter((o) => idOf(o).namespace === named.namespace);
  if (exact.length > 0) return exact;
  return candidates.filter((o) => !named.namespace || !idOf(o).namespace);
}

const referrers = new WeakMap<FleetRendering, { named: Named; by: RObject }[]>();

/** Where the objects of a rendering name `target`. */
function referrersOf(rendering: FleetRendering, target: RObject): At[] {
  let all = referrers.get(rendering);
  if (!all) {
    all = [];
    for (const a of rendering.applied)
      for (const o of a.objects) {
        const id = idOf(o);
        for (const def of BY_KIND.get(id.kind) ?? []) {
          if (def.group !== id.group) continue;
          for (const path of expand(o.node, def.path)) {
            const named = namedBy(def, o.node, path, id.namespace);
            if (named) all.push({ named, by: o });
          }
        }
      }
    referrers.set(rendering, all);
  }
  const t = idOf(target);
  const group = (kind: string) => groupOfReferencedKind(kind);
  return all
    .filter(
      ({ named }) =>
        named.kind === t.kind &&
        named.name === t.name &&
        (group(named.kind) === undefined || group(named.kind) === t.group) &&
        (named.namespace === t.namespace || !named.namespace || !t.namespace),
    )
    .map(({ named }) => named.at);
}

/** The concrete paths of a path with sequence wildcards in a node. */
function expand(node: RNode, path: Path, from = 0): Path[] {
  const star = path.findIndex((s, i) => i >= from && typeof s === 'number');
  if (star === -1) return nodeIn(node, path) ? [path] : [];
  const head = path.slice(0, star);
  const rest = path.slice(star + 1);
  return itemsOf(nodeIn(node, head)).flatMap((_, i) => expand(node, [...head, i, ...rest], star + 1));
}

function allRenderings(index: WorkspaceIndex): FleetRendering[] {
  return index.clusters().map((c) => index.renderingOf(c));
}

// ---- variables, patches, paths ---------------------------------------------------------------------------

/** The postBuild value of the `${VAR}` under the cursor, in each Kustomization that applies the document. */
function variableDefinition(
  doc: ManifestDoc,
  scalar: { start: number; end: number },
  at: number,
  index: WorkspaceIndex,
): Location[] {
  const source = doc.chunk.text.slice(scalar.start, scalar.end);
  const use = variableUses(source).find((u) => scalar.start + u.start <= at && at <= scalar.start + u.end);
  if (!use) return [];
  const out: Location[] = [];
  for (const { object, applied } of index.renderingsOf(doc.file.uri, doc.index)) {
    if (annotationsOf(object).get(SUBSTITUTE_ANNOTATION) === SUBSTITUTE_DISABLED) continue;
    const variable = applied.variables?.values.get(use.name);
    if (!variable) continue;
    const key = variable.key;
    out.push(
      key && key.uri === variable.at.uri
        ? { uri: key.uri, range: { start: key.range.start, end: variable.at.range.end } }
        : locationOf(variable.at),
    );
  }
  return dedupe(out);
}

/** The path of the patch entry the cursor is in: `patches[i]` of a kustomization, `spec.patches[i]` of Flux's. */
function patchEntryAt(doc: ManifestDoc, path: Path): Path | undefined {
  if (isKustomizeDoc(doc) && (path[0] === 'patches' || path[0] === 'patchesJson6902') && typeof path[1] === 'number')
    return path.slice(0, 2);
  if (doc.kind === 'Kustomization' && doc.group === FLUX_API_GROUPS.kustomize && path[0] === 'spec')
    if (path[1] === 'patches' && typeof path[2] === 'number') return path.slice(0, 3);
  return undefined;
}

/** The objects a patch entry changed, in every cluster that applies the file. */
function patchedBy(doc: ManifestDoc, entryPath: Path, index: WorkspaceIndex): RObject[] {
  const entry = doc.get(entryPath);
  if (!entry) return [];
  const entryRange = doc.range(entry);
  const file = doc.text([...entryPath, 'path']);
  const filePath = uriToPath(doc.file.uri);
  const patchUri = file && filePath ? pathToUri(resolve(dirname(filePath), file)) : undefined;
  const fromEntry = (at: At) =>
    patchUri ? at.uri === patchUri : at.uri === doc.file.uri && within(at.range, entryRange);
  const out: RObject[] = [];
  for (const cluster of index.clustersOf(doc.file.uri))
    for (const a of index.renderingOf(cluster).applied)
      for (const o of a.objects)
        if (o.changedBy.some((at) => (at.via === 'patch' || at.via === 'flux-patch') && fromEntry(at))) out.push(o);
  return out;
}

function within(inner: Range, outer: Range): boolean {
  const le = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character <= b.character);
  return le(outer.start, inner.start) && le(inner.end, outer.end);
}

/** A kustomization's path entry: the file, or a directory's kustomization file. */
function fileLocation(doc: ManifestDoc, rel: string | undefined, index: WorkspaceIndex): Location[] {
  const base = uriToPath(doc.file.uri);
  if (!rel || !base || /^[a-z][a-z0-9+.-]*:\/\//i.test(rel)) return [];
  const path = resolve(dirname(base), rel);
  const candidates = [path, ...KUSTOMIZATION_FILE_NAMES.map((n) => resolve(path, n))];
  const found = candidates.map(pathToUri).find((uri) => index.factsOf(uri));
  const start = { line: 0, character: 0 };
  return found ? [{ uri: found, range: { start, end: start } }] : [];
}

// ---- locations -------------------------------------------------------------------------------------------

/** Where an object is declared: its `metadata.name` as written, else the start of its document. */
function declarationOf(object: RObject): Location {
  const name = nodeIn(object.node, ['metadata', 'name']);
  if (name && name.at.uri === object.source.uri && name.at.via === 'file') return locationOf(name.at);
  return { uri: object.source.uri, range: { start: object.source.range.start, end: object.source.range.start } };
}

function locationOf(at: At): Location {
  return { uri: at.uri, range: at.range };
}

function dedupe(locations: Location[]): Location[] {
  const seen = new Set<string>();
  return locations.filter((l) => {
    const key = `${l.uri}:${l.range.start.line}:${l.range.start.character}:${l.range.end.line}:${l.range.end.character}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
