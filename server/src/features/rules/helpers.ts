import type { TextEdit } from 'vscode-languageserver';
import { relative } from 'node:path';
import { uriToPath } from '../../workspace/files';
import {
  ANNOTATION_CLIENT_ID,
  ENV_CLIENT_ID,
  kindByName,
  kindDef,
  CHART_CONTROLLER_KEYS,
  CHART_VALUE_PATHS,
  OBJECT_LEVEL_WI_GATE,
  OBJECT_LEVEL_WI_GATE_ARG,
  parseFeatureGatesArg,
  type ControllerName,
  type KindLookup,
  type WorkloadIdentityUseDef,
} from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import { isScalar, nodeAt, textAt, type ScalarNode, type YamlNode } from '../../document/nodes';
import type { Cluster, WorkspaceIndex } from '../../workspace/workspaceIndex';
import type { ControllerSetting, IdentityRefFact } from '../../workspace/facts';
import type { Finding, Rule, RuleContext } from './rule';
import { textIn } from '../../render/value';

/** Catalog entry of a Flux document (undefined for everything else). */
export function fluxKindOf(doc: ManifestDoc): KindLookup | undefined {
  const api = doc.apiVersion;
  const kind = doc.kind;
  if (!api || !kind) return undefined;
  // Every Flux document asks, several rules each: the answer depends on the two strings only.
  const key = `${api}\u0000${kind}`;
  if (!kindLookups.has(key)) {
    if (kindLookups.size > 1000) kindLookups.clear();
    kindLookups.set(key, kindDef(api, kind));
  }
  return kindLookups.get(key);
}

const kindLookups = new Map<string, KindLookup | undefined>();

/** The header-only test rules use to skip documents: a Flux group we know. */
export function isFluxDoc(doc: ManifestDoc, ...kinds: string[]): boolean {
  return !!doc.kind && (kinds.length === 0 || kinds.includes(doc.kind)) && doc.group.endsWith('.fluxcd.io');
}

/** A rule on every Flux object of a kind the catalog knows: `check` gets the kind's catalog entry too. */
export function fluxObjectRule(name: string, check: (ctx: RuleContext, lookup: KindLookup) => Finding[]): Rule {
  return {
    name,
    applies: (doc) => isFluxDoc(doc),
    check: (ctx) => {
      const lookup = fluxKindOf(ctx.doc);
      return lookup ? check(ctx, lookup) : [];
    },
  };
}

/** The object's namespace: as written, else what kustomize will give it, else undefined. */
export function namespaceOf(doc: ManifestDoc, index: WorkspaceIndex): string | undefined {
  return doc.namespace ?? index.inheritedNamespace(doc.file.uri);
}

/** An object-level workload identity use of a document: which ServiceAccount, for which use. */
export interface WorkloadIdentityUse {
  readonly use: WorkloadIdentityUseDef;
  readonly serviceAccount: ScalarNode;
}

/** The object-level workload-identity uses a Flux object makes (ServiceAccount set on the object, requirement met). */
export function workloadIdentityUses(
  doc: ManifestDoc,
  lookup: KindLookup,
  /** With the index, a requirement (`provider: azure`) set by a patch or overlay counts, as Flux applies it. */
  index?: WorkspaceIndex,
): WorkloadIdentityUse[] {
  const out: WorkloadIdentityUse[] = [];
  for (const use of lookup.def.workloadIdentity as readonly WorkloadIdentityUseDef[]) {
    if (use.via) continue; // resolved through another object
    const node = doc.get(use.serviceAccountField);
    if (!isScalar(node) || node.text === '') continue;
    if (use.requires && !use.requires.values.includes(doc.text(use.requires.path) ?? '')) {
      const req = use.requires;
      const rendered = index?.renderingsOf(doc.file.uri, doc.index) ?? [];
      if (!rendered.some(({ object }) => req.values.includes(textIn(object.node, req.path) ?? ''))) continue;
    }
    out.push({ use, serviceAccount: node });
  }
  return out;
}

/**
 * An object-level identity one of a document's fields reaches through another object: the GitRepository an
 * ImageUpdateAutomation pushes with, or the kubeConfig ConfigMap of a remote cluster.
 */
export interface IndirectIdentityUse {
  readonly use: WorkloadIdentityUseDef;
  /** The field of this document that names the other object. */
  readonly reference: ScalarNode;
  readonly through: IdentityRefFact;
  /** Controllers needing the gate for this document (those of the other object itself are reported there). */
  readonly gateControllers: readonly ControllerName[];
}

export function indirectIdentityUses(
  doc: ManifestDoc,
  lookup: KindLookup,
  index: WorkspaceIndex,
): IndirectIdentityUse[] {
  const out: IndirectIdentityUse[] = [];
  for (const use of lookup.def.workloadIdentity as readonly WorkloadIdentityUseDef[]) {
    if (!use.via) continue;
    const field = doc.get(use.serviceAccountField);
    // `sourceRef` is an object reference (kind defaults to GitRepository); `configMapRef.name` a plain name.
    const refKind = use.via === 'gitRepositoryRef' ? 'GitRepository' : 'ConfigMap';
    const reference = use.via === 'gitRepositoryRef' ? nodeAt(field, ['name']) : field;
    if (!isScalar(reference) || reference.text === '') continue;
    if (use.via === 'gitRepositoryRef' && (textAt(field, ['kind']) ?? refKind) !== refKind) continue;
    const namespace =
      (use.via === 'gitRepositoryRef' ? textAt(field, ['namespace']) : undefined) ?? namespaceOf(doc, index);
    const through = index.identityRefs(refKind, reference.text, namespace, doc.file.uri)[0];
    if (!through?.serviceAccountName) continue;
    if (use.requires && !use.requires.values.includes(through.provider ?? '')) continue;
    const ownController = kindByName(refKind)?.controller;
    out.push({ use, reference, through, gateControllers: use.gateControllers.filter((c) => c !== ownController) });
  }
  return out;
}

/**
 * The setting that enables the object-level gate on a controller in a cluster, if any. On a FluxInstance only
 * `spec.cluster.objectLevelWorkloadIdentity` counts: with it unset the operator removes the controllers' permission
 * to request tokens, whatever a patch passes as flag.
 */
export function gateSetting(cluster: Cluster, controller: ControllerName): ControllerSetting | undefined {
  return (cluster.settings.get(controller) ?? []).find(
    (s) => s.objectLevelWorkloadIdentity || (s.via !== 'fluxinstance' && enablesGate(s.args)),
  );
}

/** Whether container args turn `ObjectLevelWorkloadIdentity` on (`--feature-gates=…=true`). */
export function enablesGate(args: readonly string[]): boolean {
  return args.some((a) => parseFeatureGatesArg(a)?.gates.get(OBJECT_LEVEL_WI_GATE) === true);
}

/**
 * Clusters whose controllers the repository shows completely (rules about controller settings judge only these),
 * and that install `controller` (a controller the install leaves out has no settings to judge).
 */
export function knownInstalls(clusters: readonly Cluster[], controller: ControllerName): Cluster[] {
  return clusters.filter(
    (c) => c.install.controllersKnown && (!c.install.components || c.install.components.includes(controller)),
  );
}

/** Where a cluster's controllers are configured, for messages: "the flux-system patches", "the FluxInstance", … */
export function whereToConfigure(cluster: Cluster, controller: ControllerName): string {
  switch (cluster.install.mode) {
    case 'flux-operator':
      return 'set spec.cluster.objectLevelWorkloadIdentity: true on the FluxInstance';
    case 'helm-chart':
      return `add ${OBJECT_LEVEL_WI_GATE_ARG} to ${CHART_CONTROLLER_KEYS[controller]}.${CHART_VALUE_PATHS.additionalArgs.join('.')} in the flux2 HelmRelease values`;
    default:
      return "add the feature-gate patch to the cluster's flux-system kustomization.yaml";
  }
}

/**
 * The setting that gives a controller its own Azure identity in a cluster (the workload identity client-id
 * annotation on its ServiceAccount, or `AZURE_CLIENT_ID` in its environment), if any.
 */
export function controllerIdentitySetting(cluster: Cluster, controller: ControllerName): ControllerSetting | undefined {
  return (cluster.settings.get(controller) ?? []).find(
    (s) => !!(s.annotations[ANNOTATION_CLIENT_ID] ?? s.env[ENV_CLIENT_ID]),
  );
}

/** A replacement of a scalar's whole source text (including quotes). */
export function replaceScalar(doc: ManifestDoc, scalar: ScalarNode, newText: string): Record<string, TextEdit[]> {
  return { [doc.file.uri]: [{ range: doc.range(scalar), newText }] };
}

export function quoted(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

export function scalarAt(node: YamlNode | undefined, path: readonly (string | number)[]): ScalarNode | undefined {
  const n = nodeAt(node, path);
  return isScalar(n) ? n : undefined;
}

export { textAt };

/** The flux-system kustomization.yaml of a cluster, from the settings' origins or by convention. */
export function fluxSystemKustomization(cluster: Cluster): string {
  return `${cluster.dir}/flux-system/kustomization.yaml`;
}

/** Deletes the whole lines a pair occupies (key, value and nested block), for fixes that remove a setting. */
export function removePair(doc: ManifestDoc, pair: { start: number; end: number }): Record<string, TextEdit[]> {
  const start = doc.position(pair.start).line;
  let end = doc.position(pair.end).line + 1;
  // A block value ends at its last character; the line break after it belongs to the pair too.
  if (doc.position(pair.end).character === 0) end -= 1;
  return {
    [doc.file.uri]: [
      { range: { start: { line: start, character: 0 }, end: { line: end, character: 0 } }, newText: '' },
    ],
  };
}

/** A file's path relative to its workspace folder, with `/` separators, for messages. */
export function displayPath(index: WorkspaceIndex, uri: string): string {
  const path = uriToPath(uri);
  if (!path) return uri;
  const root = index.rootOf(path);
  return (root ? relative(root, path) : path).split('\\').join('/');
}
