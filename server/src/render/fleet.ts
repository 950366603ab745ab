/**
 * What Flux applies to one cluster: the cluster directory as the `flux-system` Kustomization builds it, then every
 * Flux Kustomization found in what was applied, each with its own `spec.path`, patches, target namespace and
 * postBuild substitution. Each object knows which Kustomization applied it; the same document may be applied more
 * than once (per cluster, or by two Kustomizations) and each rendering is judged on its own.
 */
import { FLUX_API_GROUPS } from '../catalog';
import { fluxPathDir } from '../workspace/files';
import {
  applyFluxSpec,
  strictByDefault,
  substituteObjects,
  variablesOf,
  variablesUnknown,
  type Variables,
} from './flux';
import { buildDir, type BuildResult, type RenderHost, type RenderProblem, type Unknown } from './kustomize';
import { idOf, type RObject } from './object';
import { textIn } from './value';

/** The output of one Flux Kustomization (or of the cluster directory itself). */
export interface Applied {
  /** The Flux Kustomization as rendered (undefined: the cluster directory, applied by bootstrap's flux-system). */
  readonly by: RObject | undefined;
  readonly label: string;
  readonly objects: readonly RObject[];
  /** Variables of its postBuild (undefined: no postBuild, so `${…}` reaches the cluster as written). */
  readonly variables: Variables | undefined;
}

export interface FleetRendering {
  readonly applied: readonly Applied[];
  readonly unknowns: readonly Unknown[];
  readonly problems: readonly RenderProblem[];
  /** Every file the rendering read. */
  readonly inputs: ReadonlySet<string>;
  /** Objects by the document they were written in (`uri#index`). */
  readonly bySource: ReadonlyMap<string, readonly { object: RObject; applied: Applied }[]>;
}

const MAX_KUSTOMIZATIONS = 5000;

function isFluxKustomization(obj: RObject): boolean {
  const id = idOf(obj);
  return id.kind === 'Kustomization' && id.group === FLUX_API_GROUPS.kustomize;
}

export function sourceKey(uri: string, doc: number): string {
  return `${uri}#${doc}`;
}

/** Renders a cluster: `clusterDir` inside the repository at `repoRoot`, running Flux `fluxVersion`. */
export function renderCluster(
  clusterDir: string,
  repoRoot: string,
  host: RenderHost,
  fluxVersion: string | undefined,
): FleetRendering {
  const unknowns: Unknown[] = [];
  const problems: RenderProblem[] = [];
  const inputs = new Set<string>();
  const applied: Applied[] = [];
  const seen = new Set<string>();
  const all: RObject[] = [];
  const strict = strictByDefault(fluxVersion);
  const lookup = (kind: string, namespace: string | undefined, name: string) =>
    all.find((o) => {
      const id = idOf(o);
      return id.kind === kind && id.name === name && (!namespace || !id.namespace || id.namespace === namespace);
    });
  const collect = (b: BuildResult) => {
    unknowns.push(...b.unknowns);
    problems.push(...b.problems);
    for (const i of b.inputs) inputs.add(i);
  };

  const root = buildDir(clusterDir, host);
  for (const i of root.inputs) inputs.add(i);
  // bootstrap's flux-system Kustomization points at the cluster directory: its spec applies to the root build.
  const self = root.objects.find(
    (o) => isFluxKustomization(o) && fluxPathDir(repoRoot, textIn(o.node, ['spec', 'path']) ?? '.') === clusterDir,
  );
  const queue: { by: RObject | undefined; result: BuildResult }[] = [{ by: self, result: root }];
  if (self) seen.add(`${clusterDir}|${idOf(self).namespace ?? ''}/${idOf(self).name}`);
  while (queue.length > 0 && applied.length < MAX_KUSTOMIZATIONS) {
    const { by, result } = queue.shift()!;
    let objects = result.objects;
    let variables: Variables | undefined;
    if (by) {
      objects = applyFluxSpec(by, objects, host, result);
      all.push(...objects);
      variables = variablesOf(by, lookup);
      if (variables) objects = substituteObjects(objects, variables, strict, result, idOf(by).name, host.memo);
    } else {
      // Applied by a Kustomization outside the repository: its postBuild, if any, is not known here.
      objects = variablesUnknown(objects, 'the Kustomization that applies this directory (not in the repository)');
      all.push(...objects);
    }
    collect({ ...result, inputs: new Set() });
    applied.push({ by, label: by ? `Kustomization ${idOf(by).name}` : 'cluster directory', objects, variables });
    for (const o of objects) {
      if (!isFluxKustomization(o)) continue;
      const specPath = textIn(o.node, ['spec', 'path']);
      if (specPath?.includes('${')) {
        unknowns.push({ at: o.node.at, why: `spec.path ${specPath} depends on a variable` });
        continue;
      }
      const elsewhere = otherSource(o, self, lookup);
      if (elsewhere) {
        unknowns.push({ at: o.node.at, why: `spec.path ${specPath ?? '.'} is read from ${elsewhere}` });
        continue;
      }
      const dir = fluxPathDir(repoRoot, specPath ?? '.');
      const key = `${dir}|${idOf(o).namespace ?? ''}/${idOf(o).name}`;
      if (seen.has(key) || o === self) continue;
      seen.add(key);
      if (!host.isDir(dir)) {
        unknowns.push({ at: o.node.at, why: `spec.path ${specPath} is not a directory of this repository` });
        continue;
      }
      const built = buildDir(dir, host);
      for (const i of built.inputs) inputs.add(i);
      queue.push({ by: o, result: built });
    }
  }
  const bySource = new Map<string, { object: RObject; applied: Applied }[]>();
  for (const a of applied)
    for (const object of a.objects) {
      const key = sourceKey(object.source.uri, object.source.doc);
      const list = bySource.get(key);
      if (list) list.push({ object, applied: a });
      else bySource.set(key, [{ object, applied: a }]);
    }
  return { applied, unknowns, problems, inputs, bySource };
}

type Lookup = (kind: string, namespace: string | undefined, name: string) => RObject | undefined;

/** `spec.sourceRef` of a Flux Kustomization (its namespace defaults to the Kustomization's). */
function sourceRefOf(ks: RObject): { kind: string; name: string; namespace: string | undefined } {
  return {
    kind: textIn(ks.node, ['spec', 'sourceRef', 'kind']) ?? '',
    name: textIn(ks.node, ['spec', 'sourceRef', 'name']) ?? '',
    namespace: textIn(ks.node, ['spec', 'sourceRef', 'namespace']) ?? idOf(ks).namespace,
  };
}

/** A Git URL without scheme, user, `.git` and case: `git@host:org/repo.git` and `https://host/org/repo` agree. */
function repoKey(url: string): string {
  return url
    .trim()
    .toLowerCase()
    .replace(/^[a-z+]+:\/\//, '')
    .replace(/^[^@/]+@/, '')
    .replace(/^([^/:]+):(?!\d)/, '$1/')
    .replace(/(\.git)?\/*$/, '');
}

/**
 * What a Flux Kustomization reads its `spec.path` from when that is not this repository: a source of the rendering
 * other than the one the cluster itself syncs (an OCIRepository or Bucket of content pushed from elsewhere, a
 * GitRepository of another URL). A source the repository does not hold is taken as the repository itself (the sync
 * source the Flux Operator or the AKS extension creates), as is one whose URL cannot be compared.
 */
function otherSource(ks: RObject, self: RObject | undefined, lookup: Lookup): string | undefined {
  const ref = sourceRefOf(ks);
  const own = self && sourceRefOf(self);
  if (own && own.kind === ref.kind && own.name === ref.name && own.namespace === ref.namespace) return undefined;
  const source = lookup(ref.kind, ref.namespace, ref.name);
  if (!source) return undefined;
  const ownSource = own && lookup(own.kind, own.namespace, own.name);
  if (source === ownSource) return undefined;
  const url = textIn(source.node, ['spec', 'url']);
  if (ref.kind === 'GitRepository') {
    const ownUrl = ownSource && textIn(ownSource.node, ['spec', 'url']);
    if (!url || !ownUrl || url.includes('${') || repoKey(url) === repoKey(ownUrl)) return undefined;
  }
  return `${ref.kind} ${ref.name}${url ? ` (${url})` : ''}, not this repository`;
}
