/**
 * Parts of a cluster's rendering that rules read as a whole (rather than one document's objects): the
 * ServiceAccounts and namespaces it creates, the Deployments (controller settings), its problems, and the registry
 * hosts it logs in to. Each view has a digest, so that after a re-rendering the index can tell whether the view
 * changed: an edit that changes one app's OCIRepository leaves the ServiceAccounts view as it was, and the findings
 * that read only that view stay valid.
 */
import { apiGroupOf, azureLoginHost, FLUX_API_GROUPS, FLUX_INSTANCE_API_VERSION, FLUX_INSTANCE_KIND } from '../catalog';
import type { FleetRendering } from './fleet';
import type { RenderProblem, Unknown } from './kustomize';
import { idOf, type RObject } from './object';
import { nodeIn, textIn, type At } from './value';

export interface AccountsView {
  /** ServiceAccounts, Namespaces, FluxInstances and HelmReleases of the rendering, in rendering order. */
  readonly objects: readonly RObject[];
  /** Namespaces of every object. */
  readonly namespaces: ReadonlySet<string>;
  readonly unknowns: readonly Unknown[];
}

export interface ProblemsView {
  readonly problems: readonly RenderProblem[];
  /** Whether anything in the rendering is unknown (a patch that seems to match nothing may match it). */
  readonly hasUnknowns: boolean;
  /** Every place (`uri:line:character`) that changed some object of the rendering. */
  readonly changedAt: ReadonlySet<string>;
}

export interface RenderingViews {
  readonly accounts: AccountsView;
  /** Deployments (the controllers' settings as applied). */
  readonly deployments: readonly RObject[];
  readonly problems: ProblemsView;
  /** Azure hosts some source of the rendering logs in to (provider azure or a secretRef). */
  readonly loginHosts: ReadonlySet<string>;
  /**
   * Equal digests: equal views (objects compared by identity: renderings share unchanged objects). The problems view
   * is equal when its digest and its `changedAt` set are.
   */
  readonly digest: {
    readonly accounts: readonly unknown[];
    readonly deployments: readonly RObject[];
    readonly problems: string;
    readonly loginHosts: string;
  };
}

const views = new WeakMap<FleetRendering, RenderingViews>();
const FLUX_INSTANCE_GROUP = apiGroupOf(FLUX_INSTANCE_API_VERSION);

export function placeOf(at: At): string {
  return `${at.uri}:${at.range.start.line}:${at.range.start.character}`;
}

/** The views of a rendering, computed in one pass over its objects the first time they are asked for. */
export function viewsOf(rendering: FleetRendering): RenderingViews {
  const cached = views.get(rendering);
  if (cached) return cached;
  const accountObjects: RObject[] = [];
  const namespaces = new Set<string>();
  const deployments: RObject[] = [];
  const changedAt = new Set<string>();
  const loginHosts = new Set<string>();
  for (const applied of rendering.applied)
    for (const object of applied.objects) {
      const part = partOf(object);
      if (part.namespace) namespaces.add(part.namespace);
      if (part.role === 'account') accountObjects.push(object);
      else if (part.role === 'deployment') deployments.push(object);
      for (const place of part.places) changedAt.add(place);
      if (part.host) loginHosts.add(part.host);
    }
  const problemsDigest = [
    rendering.unknowns.length > 0 ? 'unknowns' : '',
    ...rendering.problems.map((p) => `${p.kind}|${placeOf(p.at)}|${p.message}`),
  ].join('\n');
  const made: RenderingViews = {
    accounts: { objects: accountObjects, namespaces, unknowns: rendering.unknowns },
    deployments,
    problems: { problems: rendering.problems, hasUnknowns: rendering.unknowns.length > 0, changedAt },
    loginHosts,
    digest: {
      accounts: [...accountObjects, ...[...namespaces].sort(), ...rendering.unknowns.map((u) => u.why)],
      deployments,
      problems: problemsDigest,
      loginHosts: [...loginHosts].sort().join('\n'),
    },
  };
  views.set(rendering, made);
  return made;
}

interface ObjectPart {
  readonly namespace: string | undefined;
  readonly role: 'account' | 'deployment' | undefined;
  readonly places: readonly string[];
  readonly host: string | undefined;
}

/** What one object adds to the views, read once per object (unchanged objects are shared between renderings). */
const parts = new WeakMap<RObject, ObjectPart>();

function partOf(object: RObject): ObjectPart {
  const known = parts.get(object);
  if (known) return known;
  const id = idOf(object);
  const role =
    (id.group === '' && (id.kind === 'ServiceAccount' || id.kind === 'Namespace')) ||
    (id.kind === FLUX_INSTANCE_KIND && id.group === FLUX_INSTANCE_GROUP) ||
    (id.kind === 'HelmRelease' && id.group === FLUX_API_GROUPS.helm)
      ? 'account'
      : id.kind === 'Deployment'
        ? 'deployment'
        : undefined;
  const part: ObjectPart = {
    namespace: id.namespace,
    role,
    places: object.changedBy.map(placeOf),
    host: azureLoginHost(
      id.kind,
      (path) => textIn(object.node, path),
      (path) => nodeIn(object.node, path) !== undefined,
    ),
  };
  parts.set(object, part);
  return part;
}

/** Whether two renderings' problems views are equal. */
export function sameProblems(a: RenderingViews, b: RenderingViews): boolean {
  if (a.digest.problems !== b.digest.problems) return false;
  const x = a.problems.changedAt;
  const y = b.problems.changedAt;
  if (x.size !== y.size) return false;
  for (const place of x) if (!y.has(place)) return false;
  return true;
}

/** Whether two lists hold the same items (objects by identity). */
export function sameItems(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}
