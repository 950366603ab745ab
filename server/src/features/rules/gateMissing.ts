import type { TextEdit } from 'vscode-languageserver';
import {
  FLUX_CONTAINER_NAME,
  gatePatch,
  OBJECT_LEVEL_WI_GATE,
  REPO_CONFIG_FILE,
  targetNameFor,
  type ControllerName,
} from '../../catalog';
import { idOf } from '../../render/object';
import { itemsOf, nodeIn, textIn } from '../../render/value';
import { patchEntryToYaml } from '../../document/emit';
import { extendTargetName } from '../patchEdits';
import { pathToUri } from '../../workspace/files';
import type { Cluster, WorkspaceIndex } from '../../workspace/workspaceIndex';
import {
  fluxObjectRule,
  enablesGate,
  fluxSystemKustomization,
  gateSetting,
  indirectIdentityUses,
  knownInstalls,
  whereToConfigure,
  workloadIdentityUses,
} from './helpers';
import type { Fix, Rule } from './rule';

/**
 * Rule 1: object-level workload identity needs `--feature-gates=ObjectLevelWorkloadIdentity=true` on the controller
 * that reconciles the object, in every cluster the object is applied to. Without it the object stalls with
 * `FeatureGateDisabled`.
 */
export const gateMissing: Rule = fluxObjectRule('gate-missing', ({ doc, clusters, index }, lookup) => {
  const findings = [];
  const uses = [
    ...workloadIdentityUses(doc, lookup, index).map(({ use, serviceAccount }) => ({
      span: serviceAccount,
      controllers: use.gateControllers,
      what: `ServiceAccount '${serviceAccount.text}'`,
    })),
    ...indirectIdentityUses(doc, lookup, index).map(({ reference, through, gateControllers }) => ({
      span: reference,
      controllers: gateControllers,
      what: `ServiceAccount '${through.serviceAccountName}' (named by ${through.kind} '${through.name}')`,
    })),
  ];
  for (const { span, controllers, what } of uses) {
    for (const controller of controllers) {
      // Clusters whose controllers the repository does not show (AKS extension, installed elsewhere, no Flux files)
      // cannot tell: say nothing rather than guess.
      const missing = knownInstalls(clusters, controller).filter(
        (c) => !gateSetting(c, controller) && !renderedGate(index, c, controller),
      );
      if (missing.length === 0) continue;
      const where = missing.map((c) => `\`${c.label}\``).join(', ');
      const how = [...new Set(missing.map((c) => whereToConfigure(c, controller)))].join(', or ');
      // The gate set by a FluxInstance patch alone: the controller has it, but not the RBAC to use it.
      const patchedOnly = missing.every((c) => instancePatchGate(c, controller));
      findings.push({
        code: 'flux-azure/gate-missing' as const,
        span,
        message:
          (patchedOnly
            ? `${controller} in ${where} gets --feature-gates=${OBJECT_LEVEL_WI_GATE}=true from a spec.kustomize.patches ` +
              `entry only: without spec.cluster.objectLevelWorkloadIdentity: true the Flux Operator does not let the ` +
              `controllers request ServiceAccount tokens, so this ${doc.kind} fails with "forbidden" instead of using ${what}. `
            : `${controller} in ${where} does not run with --feature-gates=${OBJECT_LEVEL_WI_GATE}=true, so this ${doc.kind} ` +
              `will stall with reason FeatureGateDisabled instead of using ${what}. `) +
          `${how[0].toUpperCase()}${how.slice(1)}.` +
          (missing.some((c) => c.install.mode === 'bootstrap' && c.settings.size === 0)
            ? ` (The repository patches no controller, so they run as gotk-components.yaml generates them; if they are patched elsewhere, such as Terraform, state install: unknown for the cluster in ${REPO_CONFIG_FILE}.)`
            : ''),
        related: missing.map((c) => ({
          location:
            c.install.mode === 'bootstrap' || !c.install.origin
              ? {
                  uri: pathToUri(fluxSystemKustomization(c)),
                  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
                }
              : { uri: c.install.origin.uri, range: c.install.origin.range },
          message: c.install.mode === 'bootstrap' ? `flux-system patches of ${c.label}` : `Flux install of ${c.label}`,
        })),
        fixes: missing.flatMap((c) =>
          c.install.mode === 'bootstrap' ? gateFix(index, c, controller) : instanceGateFix(c),
        ),
      });
    }
  }
  return findings;
});

/** Whether a `spec.kustomize.patches` entry of the cluster's FluxInstance turns the gate on for the controller. */
function instancePatchGate(cluster: Cluster, controller: ControllerName): boolean {
  return (cluster.settings.get(controller) ?? []).some((s) => s.via === 'fluxinstance' && enablesGate(s.args));
}

/**
 * Whether the controller's Deployment, as Flux applies it to the cluster (patches from files, components and
 * overlays included), runs with the gate on.
 */
function renderedGate(index: WorkspaceIndex, cluster: Cluster, controller: ControllerName): boolean {
  for (const obj of index.renderedDeployments(cluster)) {
    const id = idOf(obj);
    if (id.name !== controller) continue;
    for (const c of itemsOf(nodeIn(obj.node, ['spec', 'template', 'spec', 'containers']))) {
      if (textIn(c, ['name']) !== FLUX_CONTAINER_NAME) continue;
      const args = itemsOf(nodeIn(c, ['args'])).flatMap((a) => (a.type === 'scalar' ? [String(a.value)] : []));
      if (enablesGate(args)) return true;
    }
  }
  return false;
}

/** Sets `spec.cluster.objectLevelWorkloadIdentity: true` on a cluster's FluxInstance. */
function instanceGateFix(cluster: Cluster): Fix[] {
  const { enableGate, origin, mode } = cluster.install;
  if (mode !== 'flux-operator' || !enableGate || !origin) return [];
  return [
    {
      title: `Set spec.cluster.objectLevelWorkloadIdentity: true on the FluxInstance of ${cluster.label}`,
      edits: { [origin.uri]: [enableGate] },
      preferred: true,
    },
  ];
}

/** Adds the gate for `controller` to a cluster's flux-system kustomization.yaml: extends an existing gate patch's target, or appends one. */
export function gateFix(index: WorkspaceIndex, cluster: Cluster, controller: ControllerName): Fix[] {
  const uri = pathToUri(fluxSystemKustomization(cluster));
  const facts = index.factsOf(uri);
  if (!facts?.kustomize) return [];
  const existing = [...cluster.settings.values()]
    .flat()
    .find(
      (s) =>
        s.uri === uri &&
        s.via === 'kustomization' &&
        s.targetName !== undefined &&
        s.args.some((a) => a.includes(OBJECT_LEVEL_WI_GATE)),
    );
  let edit: TextEdit;
  if (existing?.targetName) {
    edit = { range: existing.range, newText: JSON.stringify(extendTargetName(existing.targetName, [controller])) };
  } else {
    const { insert } = facts.kustomize;
    const entry = gatePatch([controller]);
    const body = patchEntryToYaml(
      { patch: entry.patch, target: { kind: entry.target.kind, name: targetNameFor([controller]) } },
      insert.itemIndent,
      insert.eol,
    );
    const text = insert.hasPatches ? body : `patches:${insert.eol}${body}`;
    edit = { range: { start: insert.at, end: insert.at }, newText: insert.at.character > 0 ? insert.eol + text : text };
  }
  return [
    {
      title: `Enable ${OBJECT_LEVEL_WI_GATE} on ${controller} in ${cluster.label}`,
      edits: { [uri]: [edit] },
      preferred: true,
    },
  ];
}
