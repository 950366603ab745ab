/**
 * `kustomize build`, offline and forgiving: what a directory renders to, with every value's origin. Builds resources
 * (files, directories, nested kustomizations), components, `patches` / `patchesStrategicMerge` / `patchesJson6902`
 * (file or inline, with targets and selectors), `namespace`, `namePrefix` / `nameSuffix`, `labels` /
 * `commonLabels` / `commonAnnotations` and ConfigMap generators with literals. What the repository cannot tell
 * (remote bases, `replacements`, Helm charts, generator files) is recorded as unknown, never guessed.
 *
 * A directory without a kustomization file is built as kustomize-controller generates one: every manifest below it,
 * where a sub-directory holding its own kustomization file is taken as a whole.
 */
import { posix } from 'node:path';
import {
  KUSTOMIZATION_FILE_NAMES,
  KUSTOMIZE_CONFIG_GROUP,
  isBuiltinApiGroup,
  isClusterScoped,
  isPatchFileEntry,
} from '../catalog';
import type { ManifestDoc, ManifestFile } from '../document/manifest';
import { isScalar, type ScalarNode } from '../document/nodes';
import { uriToPath } from '../workspace/files';
import { applyJsonPatch } from './jsonPatch';
import { idOf, type RObject } from './object';
import { aimsAtControllers, matchesTarget, targetOf, type PatchTarget } from './selectors';
import { applyReplacements } from './replacements';
import { strategicMerge } from './strategicMerge';
import { fromYaml, itemsOf, nodeIn, setIn, stringsOf, textIn, withVia, type At, type RMap, type RNode } from './value';

/** What rendering reads: parsed files and directory listings, from the service (never from `fs` directly). */
export interface RenderHost {
  /** The parsed file at a path (open document or disk), undefined when there is none. */
  model(path: string): ManifestFile | undefined;
  /** YAML files directly in a directory. */
  filesIn(dir: string): readonly string[];
  /** Directories directly below a directory that hold YAML files at some depth. */
  dirsIn(dir: string): readonly string[];
  isDir(path: string): boolean;
  /** The platform's path functions (posix in tests of Windows paths aside). */
  readonly path: typeof posix;
  /**
   * Builds kept across renderings (every cluster that includes a base, every rendering after an edit elsewhere).
   * Needs `stamp`; without a memo every rendering builds everything.
   */
  readonly memo?: BuildMemo;
  /** A fingerprint of a file's text (equal texts, equal stamps), undefined when the file is not there. */
  stamp?(path: string): string | undefined;
  /** Moves whenever files appear or go (directory listings change). */
  listingStamp?(): number;
}

/** A directory's build, with the stamps of every file it read when it was built. */
interface MemoEntry {
  readonly objects: readonly RObject[];
  readonly unknowns: readonly Unknown[];
  readonly problems: readonly RenderProblem[];
  readonly inputs: ReadonlyMap<string, string | undefined>;
  readonly listing: number;
}

/**
 * What `kustomize build` of each directory gave, reused while the files it read are unchanged: a base included by
 * four clusters' overlays is built once, and an edit to one overlay's patch re-builds that overlay only. Rendered
 * trees are never mutated, so a build's objects can be shared by every rendering that includes it.
 */
export class BuildMemo {
  private readonly dirs = new Map<string, MemoEntry>();
  private readonly files = new Map<string, { stamp: string; objects: readonly RObject[] }>();
  private readonly patchBodies = new Map<string, { stamp: string; bodies: readonly RNode[] | undefined }>();
  private readonly interned = new Map<string, object>();
  /** Per input object: its steps as flat triples (key, detail, result), newest last, a few at most. */
  private readonly steps = new WeakMap<object, unknown[]>();

  /**
   * One transformation of one object (a patch, a transformer, a substitution), kept while its input object and the
   * step's own nodes (`key`, `detail`: the patch body, its kustomization entry) are unchanged. Rendered trees are
   * immutable, so an unchanged base renders through an unchanged overlay without any work. Each object keeps its
   * last few steps only (older ones belong to kustomization texts edited since).
   */
  /** @internal */ step<T>(input: object, key: object, detail: object, make: () => T): T {
    let list = this.steps.get(input);
    if (list) {
      for (let i = 0; i < list.length; i += 3) if (list[i] === key && list[i + 1] === detail) return list[i + 2] as T;
    } else this.steps.set(input, (list = []));
    const made = make();
    if (list.length >= MAX_STEPS_PER_OBJECT * 3) list.splice(0, 3);
    list.push(key, detail, made);
    return made;
  }

  /** One object per distinct text (a step key made of values, such as a Kustomization's variables). */
  /** @internal */ intern(text: string): object {
    let key = this.interned.get(text);
    if (!key) {
      if (this.interned.size > 10_000) this.interned.clear();
      this.interned.set(text, (key = { text }));
    }
    return key;
  }

  /** @internal */ dir(dir: string, host: RenderHost): MemoEntry | undefined {
    const entry = this.dirs.get(dir);
    if (!entry || !host.stamp) return undefined;
    if (entry.listing !== host.listingStamp?.()) return undefined;
    for (const [path, stamp] of entry.inputs) if (host.stamp(path) !== stamp) return undefined;
    return entry;
  }

  /** @internal */ setDir(dir: string, entry: MemoEntry): void {
    this.dirs.set(dir, entry);
  }

  /** @internal */ fileObjects(path: string, stamp: string, make: () => readonly RObject[]): readonly RObject[] {
    const hit = this.files.get(path);
    if (hit?.stamp === stamp) return hit.objects;
    const objects = make();
    this.files.set(path, { stamp, objects });
    return objects;
  }

  /** @internal */ patchBodiesOf(
    key: string,
    stamp: string,
    make: () => readonly RNode[] | undefined,
  ): readonly RNode[] | undefined {
    const hit = this.patchBodies.get(key);
    if (hit?.stamp === stamp) return hit.bodies;
    const bodies = make();
    this.patchBodies.set(key, { stamp, bodies });
    return bodies;
  }

  /** Forgets the builds of files that are gone (bounded memory over a long session). */
  forget(paths: Iterable<string>): void {
    for (const path of paths) {
      this.files.delete(path);
      this.dirs.delete(path);
      for (const key of this.patchBodies.keys()) if (key.startsWith(path + '\0')) this.patchBodies.delete(key);
    }
  }

  clear(): void {
    this.dirs.clear();
    this.files.clear();
    this.patchBodies.clear();
    this.interned.clear();
  }
}

/** Where `applyPatch` and the transformers keep their per-object results (no memo: computed every time). */
export interface StepMemo {
  readonly memo: BuildMemo | undefined;
  /** The kustomization (or Flux Kustomization) entry the step comes from: stable while its file is unchanged. */
  readonly key: object;
}

/** Something the rendering could not know, where it was decided. */
export interface Unknown {
  readonly at: At | undefined;
  readonly why: string;
}

/** A step kustomize would fail on (a JSON6902 op that does not apply, a patch matching nothing). */
export interface RenderProblem {
  readonly at: At;
  readonly message: string;
  /** `failed`: kustomize or kustomize-controller stops here; `no-effect`: a patch that changes nothing. */
  readonly kind: 'failed' | 'no-effect';
}

export interface BuildResult {
  readonly objects: RObject[];
  readonly unknowns: Unknown[];
  readonly problems: RenderProblem[];
  /** Every file read, for cache validation. */
  readonly inputs: Set<string>;
}

const MAX_DEPTH = 40;
const CYCLE = 'kustomization cycle through ';
/** Steps one object keeps (the patches and transformers of the builds that include it). */
const MAX_STEPS_PER_OBJECT = 16;

/** A `kustomize build` of `dir`. */
export function buildDir(dir: string, host: RenderHost): BuildResult {
  const result: BuildResult = { objects: [], unknowns: [], problems: [], inputs: new Set() };
  const b = new Builder(host, result);
  result.objects.push(...b.dir(dir, [], 0));
  return result;
}

function isKustomizeDoc(doc: ManifestDoc): boolean {
  return doc.group === KUSTOMIZE_CONFIG_GROUP && (doc.kind === 'Kustomization' || doc.kind === 'Component');
}

/** A kustomization file with no `kind` (allowed) counts too. */
function kustomizationDoc(file: ManifestFile): ManifestDoc | undefined {
  const doc = file.docs.find((d) => d.root?.type === 'map');
  if (!doc) return undefined;
  return isKustomizeDoc(doc) || (!doc.kind && !doc.apiVersion) ? doc : undefined;
}

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\/\/.*\?/i;

/** Keys among NOT_MODELLED that change the objects already built (not only add objects). */
const TRANSFORMING = ['vars', 'transformers'] as const;

/** Keys of a kustomization the rendering does not model: their effect is unknown. */
const NOT_MODELLED = [
  'vars',
  'helmCharts',
  'helmChartInflationGenerator',
  'transformers',
  'generators',
  'validators',
  'openapi',
  'crds',
  'configurations',
  'secretGenerator',
];

class Builder {
  constructor(
    private readonly host: RenderHost,
    private readonly out: BuildResult,
  ) {}

  private kustomizationFile(dir: string): string | undefined {
    for (const name of KUSTOMIZATION_FILE_NAMES) {
      const path = this.host.path.join(dir, name);
      if (this.host.filesIn(dir).includes(path)) return path;
    }
    return undefined;
  }

  /**
   * The objects a directory renders to. `stack` holds the directories being built (cycles are unknown). A build
   * that did not depend on the stack (no cycle met) is kept in the host's memo while the files it read are unchanged.
   */
  dir(dir: string, stack: readonly string[], depth: number): RObject[] {
    if (stack.includes(dir) || depth > MAX_DEPTH) {
      this.out.unknowns.push({ at: undefined, why: CYCLE + dir });
      return [];
    }
    const memo = this.host.memo;
    if (!memo || !this.host.stamp) return this.dirUncached(dir, stack, depth);
    const hit = memo.dir(dir, this.host);
    if (hit) {
      for (const path of hit.inputs.keys()) this.out.inputs.add(path);
      this.out.unknowns.push(...hit.unknowns);
      this.out.problems.push(...hit.problems);
      return [...hit.objects];
    }
    const listing = this.host.listingStamp?.() ?? 0;
    const sub: BuildResult = { objects: [], unknowns: [], problems: [], inputs: new Set() };
    const objects = new Builder(this.host, sub).dirUncached(dir, stack, depth);
    for (const path of sub.inputs) this.out.inputs.add(path);
    this.out.unknowns.push(...sub.unknowns);
    this.out.problems.push(...sub.problems);
    if (!sub.unknowns.some((u) => u.why.startsWith(CYCLE))) {
      const inputs = new Map<string, string | undefined>();
      for (const path of sub.inputs) inputs.set(path, this.host.stamp(path));
      memo.setDir(dir, { objects, unknowns: sub.unknowns, problems: sub.problems, inputs, listing });
    }
    return [...objects];
  }

  private dirUncached(dir: string, stack: readonly string[], depth: number): RObject[] {
    const kfile = this.kustomizationFile(dir);
    if (!kfile) return this.generated(dir, [...stack, dir], depth);
    const model = this.read(kfile);
    const kdoc = model && kustomizationDoc(model);
    if (!kdoc) return this.generated(dir, [...stack, dir], depth);
    return this.kustomization(kdoc, dir, [], [...stack, dir], depth);
  }

  private read(path: string): ManifestFile | undefined {
    this.out.inputs.add(path);
    return this.host.model(path);
  }

  /** Nodes converted from a document (its root, an inline patch in it), kept while the file's text is unchanged. */
  private converted(kdoc: ManifestDoc, what: string, make: () => RNode[]): readonly RNode[] {
    const memo = this.host.memo;
    const path = memo && uriToPath(kdoc.file.uri);
    const stamp = path && this.host.stamp?.(path);
    if (!stamp) return make();
    return memo!.patchBodiesOf(`${path}\0${kdoc.index}\0${what}`, stamp, make) ?? [];
  }

  /** kustomize-controller's generated kustomization: every manifest below `dir`, nested kustomizations whole. */
  private generated(dir: string, stack: readonly string[], depth: number): RObject[] {
    const objects: RObject[] = [];
    const walk = (d: string, top: boolean) => {
      if (!top && this.kustomizationFile(d)) {
        objects.push(...this.dir(d, stack, depth + 1));
        return;
      }
      for (const f of this.host.filesIn(d)) objects.push(...this.fileObjects(f));
      for (const sub of this.host.dirsIn(d)) walk(sub, false);
    };
    walk(dir, true);
    return objects;
  }

  /** The Kubernetes objects of a file (documents with apiVersion and kind; kustomization files are not objects). */
  fileObjects(path: string): RObject[] {
    const stamp = this.host.memo && this.host.stamp?.(path);
    if (!stamp) return this.convertFile(path);
    this.out.inputs.add(path);
    return [...this.host.memo!.fileObjects(path, stamp, () => this.convertFile(path))];
  }

  private convertFile(path: string): RObject[] {
    const model = this.read(path);
    if (!model) return [];
    const objects: RObject[] = [];
    for (const doc of model.docs) {
      if (!doc.kind || !doc.apiVersion || isKustomizeDoc(doc) || doc.root?.type !== 'map') continue;
      if (doc.kind === 'CustomResourceDefinition') continue; // large, and no rule reads them
      const node = fromYaml(doc, doc.root, 'file');
      if (node.type !== 'map') continue;
      objects.push({
        node,
        source: { uri: model.uri, doc: doc.index, range: doc.range(doc.root) },
        changedBy: [],
      });
    }
    return objects;
  }

  /** A kustomization (or component, applied to `incoming`). */
  private kustomization(
    kdoc: ManifestDoc,
    dir: string,
    incoming: RObject[],
    stack: readonly string[],
    depth: number,
  ): RObject[] {
    const k = this.converted(kdoc, 'kustomization', () => [fromYaml(kdoc, kdoc.root, 'file')])[0] as RMap;
    const step = (key: object): StepMemo => ({ memo: this.host.memo, key });
    let objects = [...incoming];
    for (const key of NOT_MODELLED)
      if (k.entries.has(key))
        this.out.unknowns.push({ at: k.entries.get(key)!.key, why: `kustomize \`${key}\` is not modelled` });
    const localPath = (entry: RNode): string | undefined => {
      if (entry.type !== 'scalar' || typeof entry.value !== 'string' || entry.value === '') return undefined;
      if (REMOTE.test(entry.value)) {
        this.out.unknowns.push({ at: entry.at, why: `remote resource ${entry.value} (not in the repository)` });
        return undefined;
      }
      return this.host.path.resolve(dir, entry.value);
    };
    for (const key of ['resources', 'bases']) {
      for (const entry of itemsOf(nodeIn(k, [key]))) {
        const path = localPath(entry);
        if (!path) continue;
        if (this.host.isDir(path)) objects.push(...this.dir(path, stack, depth + 1));
        else objects.push(...this.fileObjects(path));
      }
    }
    objects.push(...this.configMapGenerators(k));
    for (const entry of itemsOf(nodeIn(k, ['components']))) {
      const path = localPath(entry);
      if (!path) continue;
      const kfile = this.kustomizationFile(path);
      const model = kfile && this.read(kfile);
      const cdoc = model && kustomizationDoc(model);
      if (!cdoc || stack.includes(path)) {
        this.out.unknowns.push({ at: entry.at, why: `component ${path} has no kustomization file` });
        continue;
      }
      objects = this.kustomization(cdoc, path, objects, [...stack, path], depth + 1);
    }
    // kustomize's order of built-in transformers: strategic merge patches, patches, namespace, prefix/suffix,
    // labels, annotations, then JSON6902 patches.
    objects = this.patches(kdoc, k, dir, objects, 'merge');
    objects = transformNamespace(objects, nodeIn(k, ['namespace']), step(k));
    objects = transformNames(objects, nodeIn(k, ['namePrefix']), nodeIn(k, ['nameSuffix']), step(k));
    objects = addMetadata(objects, 'labels', nodeIn(k, ['commonLabels']), step(k));
    for (const item of itemsOf(nodeIn(k, ['labels'])))
      objects = addMetadata(objects, 'labels', nodeIn(item, ['pairs']), step(item));
    objects = addMetadata(objects, 'annotations', nodeIn(k, ['commonAnnotations']), step(k));
    objects = this.patches(kdoc, k, dir, objects, 'json6902');
    const replacements = this.replacements(k, dir);
    if (replacements.length > 0)
      objects = applyReplacements(objects, replacements, `replacements in ${posixTail(kdoc.file.uri)}`, this.out);
    const transformer = TRANSFORMING.find((key) => k.entries.has(key));
    if (!transformer) return objects;
    const entry = k.entries.get(transformer)!;
    const beyondModel = {
      at: entry.key,
      why: `\`${transformer}\` in ${posixTail(kdoc.file.uri)} may change it (not modelled)`,
    };
    return eachObject(objects, entry, step(k), (o) => (o.beyondModel ? o : { ...o, beyondModel }));
  }

  /** `replacements` items, inline or read from their `path:` files (one replacement or a list per document). */
  private replacements(k: RMap, dir: string): RNode[] {
    const out: RNode[] = [];
    for (const entry of itemsOf(nodeIn(k, ['replacements']))) {
      const file = textIn(entry, ['path']);
      if (!file) {
        out.push(entry);
        continue;
      }
      const model = this.read(this.host.path.resolve(dir, file));
      if (!model) {
        this.out.unknowns.push({ at: entry.at, why: `replacements file ${file} not found` });
        continue;
      }
      for (const d of model.docs) {
        const node = d.root && fromYaml(d, d.root, 'file');
        if (node?.type === 'seq') out.push(...node.items);
        else if (node?.type === 'map') out.push(node);
      }
    }
    return out;
  }

  /** `configMapGenerator` entries with `literals` (files and env files are unknown data). */
  private configMapGenerators(k: RMap): RObject[] {
    const out: RObject[] = [];
    for (const gen of itemsOf(nodeIn(k, ['configMapGenerator']))) {
      const name = textIn(gen, ['name']);
      if (!name || gen.type !== 'map') continue;
      const data = new Map<string, { key: At; value: RNode }>();
      let partial = false;
      for (const lit of itemsOf(nodeIn(gen, ['literals']))) {
        if (lit.type !== 'scalar' || typeof lit.value !== 'string') continue;
        const eq = lit.value.indexOf('=');
        if (eq <= 0) continue;
        data.set(lit.value.slice(0, eq), {
          key: lit.at,
          value: { type: 'scalar', value: lit.value.slice(eq + 1), at: withVia(lit.at, 'generated') },
        });
      }
      if (nodeIn(gen, ['files']) || nodeIn(gen, ['envs']) || nodeIn(gen, ['env'])) partial = true;
      const at: At = withVia(gen.at, 'generated', `configMapGenerator ${name}`);
      const s = (v: string): RNode => ({ type: 'scalar', value: v, at });
      const meta = new Map([['name', { key: at, value: s(name) }]]);
      const ns = textIn(gen, ['namespace']);
      if (ns) meta.set('namespace', { key: at, value: s(ns) });
      const entries = new Map<string, { key: At; value: RNode }>([
        ['apiVersion', { key: at, value: s('v1') }],
        ['kind', { key: at, value: s('ConfigMap') }],
        ['metadata', { key: at, value: { type: 'map', entries: meta, at } }],
        ['data', { key: at, value: { type: 'map', entries: data, at } }],
      ]);
      if (partial)
        this.out.unknowns.push({ at: gen.at, why: `configMapGenerator ${name} reads files outside the YAML index` });
      out.push({ node: { type: 'map', entries, at }, source: { uri: at.uri, doc: 0, range: at.range }, changedBy: [] });
    }
    return out;
  }

  /** `patches`, `patchesStrategicMerge`, `patchesJson6902`, in kustomize's order. */
  private patches(kdoc: ManifestDoc, k: RMap, dir: string, objects: RObject[], which: 'merge' | 'json6902'): RObject[] {
    const note = `patch in ${posixTail(kdoc.file.uri)}`;
    const bodies = (entry: RNode, pathKey: string, inlineKey: string): RNode[] => {
      const file = textIn(entry, [pathKey]);
      if (file) {
        const path = this.host.path.resolve(dir, file);
        const convert = (): RNode[] | undefined => {
          const model = this.read(path);
          return model?.docs.filter((d) => d.root).map((d) => fromYaml(d, d.root, 'patch', note));
        };
        const memo = this.host.memo;
        const stamp = memo && this.host.stamp?.(path);
        this.out.inputs.add(path);
        const found = stamp ? memo!.patchBodiesOf(`${path}\0${note}`, stamp, convert) : convert();
        if (!found) {
          this.out.unknowns.push({ at: entry.at, why: `patch file ${file} not found` });
          return [];
        }
        return [...found];
      }
      return this.inline(kdoc, entry, inlineKey, note);
    };
    if (which === 'json6902') {
      for (const entry of itemsOf(nodeIn(k, ['patchesJson6902']))) {
        const target = targetOf(nodeIn(entry, ['target']));
        for (const body of bodies(entry, 'path', 'patch'))
          objects = applyPatch(objects, body, target, this.out, true, { memo: this.host.memo, key: entry });
      }
      return objects;
    }
    for (const entry of itemsOf(nodeIn(k, ['patches']))) {
      const target = targetOf(nodeIn(entry, ['target']));
      for (const body of bodies(entry, 'path', 'patch'))
        objects = applyPatch(objects, body, target, this.out, false, { memo: this.host.memo, key: entry });
    }
    for (const entry of itemsOf(nodeIn(k, ['patchesStrategicMerge']))) {
      const bodiesOf =
        entry.type === 'scalar' && typeof entry.value === 'string' && isPatchFileEntry(entry.value)
          ? bodies(
              { type: 'map', entries: new Map([['path', { key: entry.at, value: entry }]]), at: entry.at },
              'path',
              '',
            )
          : this.inlineScalar(kdoc, entry, note);
      for (const body of bodiesOf)
        objects = applyPatch(objects, body, undefined, this.out, false, { memo: this.host.memo, key: entry });
    }
    return objects;
  }

  /** The YAML of an inline patch (`patch: |`), with positions in the kustomization file. */
  private inline(kdoc: ManifestDoc, entry: RNode, key: string, note: string): RNode[] {
    const where = `inline ${entry.at.range.start.line}:${entry.at.range.start.character} ${key}`;
    return [
      ...this.converted(kdoc, where, () => {
        const scalar = findScalar(kdoc, entry, key);
        return scalar ? this.nested(kdoc, scalar, note) : [];
      }),
    ];
  }

  private inlineScalar(kdoc: ManifestDoc, entry: RNode, note: string): RNode[] {
    if (entry.type !== 'scalar')
      return entry.type === 'map' ? [{ ...entry, at: withVia(entry.at, 'patch', note) }] : [];
    const where = `inline ${entry.at.range.start.line}:${entry.at.range.start.character}`;
    return [
      ...this.converted(kdoc, where, () => {
        const scalar = scalarAtRange(kdoc, entry);
        return scalar ? this.nested(kdoc, scalar, note) : [];
      }),
    ];
  }

  private nested(kdoc: ManifestDoc, scalar: ScalarNode, note: string): RNode[] {
    const nested = kdoc.nestedYaml(scalar);
    if (!nested || nested.hasErrors || !nested.root) {
      this.out.unknowns.push({
        at: { uri: kdoc.file.uri, range: kdoc.range(scalar), via: 'patch' },
        why: 'inline patch is not valid YAML',
      });
      return [];
    }
    return [fromYaml(kdoc, nested.root, 'patch', note)];
  }
}

/** The parsed scalar of `entry[key]` (to parse the YAML inside it with positions). */
function findScalar(kdoc: ManifestDoc, entry: RNode, key: string): ScalarNode | undefined {
  const value = nodeIn(entry, [key]);
  return value?.type === 'scalar' ? scalarAtRange(kdoc, value) : undefined;
}

/** The document's scalar node at the rendered scalar's position. */
function scalarAtRange(kdoc: ManifestDoc, value: RNode): ScalarNode | undefined {
  const offset = kdoc.chunkOffset(value.at.range.start);
  let found: ScalarNode | undefined;
  const visit = (n: import('../document/nodes').YamlNode | undefined): void => {
    if (!n || found) return;
    if (isScalar(n)) {
      if (n.start === offset) found = n;
    } else if (n.type === 'map') {
      for (const p of n.pairs) if (p.start <= offset && offset <= p.end) visit(p.value);
    } else if (n.type === 'seq') for (const i of n.items) if (i.start <= offset && offset <= i.end) visit(i);
  };
  visit(kdoc.root);
  return found;
}

function posixTail(uri: string): string {
  const parts = uri.split('/');
  return parts.slice(-3).join('/');
}

/**
 * Applies one patch body: a list is a JSON6902 patch (needs a target), a map a strategic merge patch (on the target's
 * matches, or on the object the patch names). Exported for Flux's `spec.patches`, which behave the same.
 */
export function applyPatch(
  objects: RObject[],
  body: RNode,
  target: PatchTarget | undefined,
  out: Pick<BuildResult, 'problems' | 'unknowns'>,
  forceJson = false,
  memo?: StepMemo,
): RObject[] {
  const json = forceJson || body.type === 'seq';
  let matched = 0;
  const patchAt = body.at;
  const result: RObject[] = [];
  const one = (obj: RObject): PatchStep => {
    const hit = target ? matchesTarget(obj, target) : !json && namedBy(obj, body);
    if (!hit) return UNMATCHED;
    if (json) {
      const { node, errors } = applyJsonPatch(obj.node, body);
      return {
        hit: true,
        errors,
        obj: node.type === 'map' ? { ...obj, node, changedBy: [...obj.changedBy, patchAt] } : obj,
      };
    }
    const patch = target ? withoutIdentity(body) : body;
    const merged = strategicMerge(obj.node, patch, { builtin: isBuiltinApiGroup(idOf(obj).group) });
    if (merged === undefined) return { hit: true, errors: [], obj: undefined }; // `$patch: delete`
    return {
      hit: true,
      errors: [],
      obj: merged.type === 'map' ? { ...obj, node: merged, changedBy: [...obj.changedBy, patchAt] } : obj,
    };
  };
  for (const obj of objects) {
    const r = memo?.memo ? memo.memo.step(obj, body, memo.key, () => one(obj)) : one(obj);
    if (!r.hit) {
      result.push(obj);
      continue;
    }
    matched++;
    for (const e of r.errors) out.problems.push({ at: patchAt, message: e, kind: 'failed' });
    if (r.obj) result.push(r.obj);
  }
  if (matched === 0 && !aimsAtControllers(target, textIn(body, ['metadata', 'name']))) {
    const what = target
      ? `no object matches the patch target`
      : json
        ? 'a JSON6902 patch needs a target'
        : `no object ${textIn(body, ['kind']) ?? ''} ${textIn(body, ['metadata', 'name']) ?? ''} to patch`;
    out.problems.push({ at: patchAt, message: what, kind: target || !json ? 'no-effect' : 'failed' });
  }
  return result;
}

interface PatchStep {
  readonly hit: boolean;
  readonly errors: readonly string[];
  /** The patched object; undefined when the patch deletes it. */
  readonly obj: RObject | undefined;
}

const UNMATCHED: PatchStep = { hit: false, errors: [], obj: undefined };

/** `f(obj)` for every object, through the step memo when there is one. */
function eachObject(objects: RObject[], key: object, memo: StepMemo | undefined, f: (o: RObject) => RObject) {
  const m = memo?.memo;
  return m ? objects.map((o) => m.step(o, key, memo.key, () => f(o))) : objects.map(f);
}

/** Whether a strategic merge patch without target names this object (kind, name and, when set, namespace). */
function namedBy(obj: RObject, body: RNode): boolean {
  const id = idOf(obj);
  const kind = textIn(body, ['kind']);
  const name = textIn(body, ['metadata', 'name']);
  const ns = textIn(body, ['metadata', 'namespace']);
  const api = textIn(body, ['apiVersion']);
  const group = api && api.includes('/') ? api.slice(0, api.indexOf('/')) : api ? '' : undefined;
  return (
    kind === id.kind && name === id.name && (!ns || ns === id.namespace) && (group === undefined || group === id.group)
  );
}

/** A targeted strategic merge patch does not rename or move what it matches. */
function withoutIdentity(body: RNode): RNode {
  if (body.type !== 'map') return body;
  const meta = nodeIn(body, ['metadata']);
  const entries = new Map(body.entries);
  entries.delete('apiVersion');
  entries.delete('kind');
  if (meta?.type === 'map') {
    const m = new Map(meta.entries);
    m.delete('name');
    m.delete('namespace');
    if (m.size === 0) entries.delete('metadata');
    else entries.set('metadata', { key: body.entries.get('metadata')!.key, value: { ...meta, entries: m } });
  }
  return { ...body, entries };
}

/** kustomize's `namespace:` (and Flux's `targetNamespace`): every namespaced object moves there. */
export function transformNamespace(objects: RObject[], ns: RNode | undefined, memo?: StepMemo): RObject[] {
  if (ns?.type !== 'scalar' || typeof ns.value !== 'string' || ns.value === '') return objects;
  const at: At = withVia(ns.at, 'transformer');
  return eachObject(objects, ns, memo, (obj) => {
    const id = idOf(obj);
    if (isClusterScoped(id.group, id.kind) || id.namespace === ns.value) return obj;
    let node = setIn(obj.node, ['metadata', 'namespace'], { type: 'scalar', value: ns.value, at }, at) as RMap;
    // ServiceAccount subjects of (Cluster)RoleBindings follow, as kustomize does for those in the same build.
    if (id.kind === 'RoleBinding' || id.kind === 'ClusterRoleBinding')
      itemsOf(nodeIn(node, ['subjects'])).forEach((s, i) => {
        if (textIn(s, ['kind']) === 'ServiceAccount' && textIn(s, ['namespace']) === id.namespace)
          node = setIn(node, ['subjects', i, 'namespace'], { type: 'scalar', value: ns.value, at }, at) as RMap;
      });
    return { ...obj, node, changedBy: [...obj.changedBy, at] };
  });
}

function transformNames(
  objects: RObject[],
  prefix: RNode | undefined,
  suffix: RNode | undefined,
  memo?: StepMemo,
): RObject[] {
  const p = prefix?.type === 'scalar' && typeof prefix.value === 'string' ? prefix.value : '';
  const s = suffix?.type === 'scalar' && typeof suffix.value === 'string' ? suffix.value : '';
  if (!p && !s) return objects;
  const at: At = withVia((prefix ?? suffix)!.at, 'transformer');
  return eachObject(objects, (prefix ?? suffix)!, memo, (obj) => {
    const id = idOf(obj);
    if (id.kind === 'Namespace' || id.kind === 'CustomResourceDefinition' || !id.name) return obj;
    const node = setIn(obj.node, ['metadata', 'name'], { type: 'scalar', value: `${p}${id.name}${s}`, at }) as RMap;
    const by = p ? 'namePrefix' : 'nameSuffix';
    return { ...obj, node, changedBy: [...obj.changedBy, at], renamed: { from: obj.renamed?.from ?? id.name, at, by } };
  });
}

function addMetadata(
  objects: RObject[],
  field: 'labels' | 'annotations',
  pairs: RNode | undefined,
  memo?: StepMemo,
): RObject[] {
  const values = stringsOf(pairs);
  if (values.size === 0 || pairs?.type !== 'map') return objects;
  return eachObject(objects, pairs, memo, (obj) => {
    let node: RNode = obj.node;
    for (const [k, e] of pairs.entries) {
      if (!values.has(k)) continue;
      const at: At = withVia(e.value.at, 'transformer');
      node = setIn(
        node,
        ['metadata', field, k],
        { type: 'scalar', value: values.get(k)!, at },
        withVia(e.key, 'transformer'),
      );
    }
    return { ...obj, node: node as RMap, changedBy: [...obj.changedBy, withVia(pairs.at, 'transformer')] };
  });
}
