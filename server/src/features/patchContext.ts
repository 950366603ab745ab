import { basename, dirname, join } from 'node:path';
import { CodeActionKind, type CodeAction, type Range, type WorkspaceEdit } from 'vscode-languageserver-types';
import {
  PatchCommands,
  type PatchActionName,
  type PatchChoice,
  type PatchCommandArgs,
  type PatchContext,
  type PatchContextParams,
  type PatchEditParams,
  type PatchEditResult,
  type PatchTarget,
} from '../../../shared/src/protocol';
import {
  ANNOTATION_CLIENT_ID,
  ANNOTATION_TENANT_ID,
  AZURE_CLOUDS,
  DEFAULT_APP_CERT_SECRET_NAME,
  ENV_CLIENT_ID,
  ENV_TENANT_ID,
  FLUX_BOOTSTRAP_RESOURCES,
  GUID_PATTERN,
  K8S_NAME_REGEX,
  LOCKDOWN_INPUTS,
  PROVIDER_TYPES_WITH_SERVICE_ACCOUNT,
  ZERO_GUID,
  cloudByAuthorityHost,
  controllersForAction,
  controllersNeedingIdentity,
  enumValuesFor,
  fieldDef,
  inRange,
  isControllerName,
  isGuid,
  patchActionById,
  patchActionsFor,
  type ControllerName,
  type PatchActionDef,
  type PatchActionId,
  type WorkloadIdentityUseDef,
} from '../catalog';
import type { ManifestDoc, ManifestFile } from '../document/manifest';
import { parseManifest } from '../document/manifest';
import { pathToUri, uriToPath } from '../workspace/files';
import type { Cluster, WorkspaceIndex } from '../workspace/workspaceIndex';
import type { FeatureContext } from './context';
import { applyTextEdits, findPatchHost, newKustomizationText, planPatchEdits } from './patchEdits';
import { fluxKindOf, fluxSystemKustomization, gateSetting, workloadIdentityUses } from './rules/helpers';

/**
 * What the client needs to insert controller patches without knowing any Flux or Azure fact: the file to edit,
 * the actions of the repository's Flux version with their controllers (what the workspace's objects need
 * preselected), IDs already written in the workspace, clouds, lockdown flags; and the edit for the answers.
 */

/** Reads a file as the server sees it: the open document, else the file on disk. */
export type FileLoader = (uri: string) => ManifestFile | undefined;

// Compile-time check that the protocol's action names are the catalog's.
const sameActionNames: [PatchActionId] extends [PatchActionName]
  ? [PatchActionName] extends [PatchActionId]
    ? true
    : false
  : false = true;
void sameActionNames;

const COMPONENTS = FLUX_BOOTSTRAP_RESOURCES[0];
const KUSTOMIZATION = 'kustomization.yaml';

function isIndexed(index: WorkspaceIndex, path: string): boolean {
  return index.factsOf(pathToUri(path)) !== undefined;
}

function shortLabel(uri: string): string {
  const path = uriToPath(uri) ?? uri;
  return path.split(/[\\/]/).slice(-3).join('/');
}

/** Whether a document is a kustomize file of a Flux installation (not an app overlay). */
function isFluxSystemKustomization(file: ManifestFile, doc: ManifestDoc): boolean {
  const path = uriToPath(file.uri);
  if (!path) return true; // untitled: the user asked for it
  if (basename(dirname(path)) === 'flux-system') return true;
  const resources = doc.get(['resources']);
  return resources?.type === 'seq' && resources.items.some((r) => r.type === 'scalar' && r.text === COMPONENTS);
}

/** The files a patch for this document can go to, the document itself first when it can hold patches. */
export function patchTargets(file: ManifestFile, index: WorkspaceIndex): PatchTarget[] {
  const host = findPatchHost(file);
  if (host && (host.mode === 'fluxInstance' || isFluxSystemKustomization(file, host.doc)))
    return [{ uri: file.uri, label: shortLabel(file.uri), mode: host.mode }];
  const path = uriToPath(file.uri);
  if (path && basename(path) === COMPONENTS) {
    const sibling = join(dirname(path), KUSTOMIZATION);
    return [
      {
        uri: pathToUri(sibling),
        label: shortLabel(pathToUri(sibling)),
        mode: isIndexed(index, sibling) ? 'kustomization' : 'create',
      },
    ];
  }
  const out: PatchTarget[] = [];
  for (const cluster of index.clustersOf(file.uri)) {
    const target = clusterTarget(cluster, index);
    if (target && !out.some((t) => t.uri === target.uri)) out.push(target);
  }
  return out;
}

function clusterTarget(cluster: Cluster, index: WorkspaceIndex): PatchTarget | undefined {
  const kustomization = fluxSystemKustomization(cluster);
  const label = `${cluster.label}/flux-system/${KUSTOMIZATION}`;
  if (isIndexed(index, kustomization)) return { uri: pathToUri(kustomization), label, mode: 'kustomization' };
  for (const path of cluster.files) {
    const uri = pathToUri(path);
    if (index.factsOf(uri)?.hasFluxInstance) return { uri, label: shortLabel(uri), mode: 'fluxInstance' };
  }
  if (isIndexed(index, join(dirname(kustomization), COMPONENTS)))
    return { uri: pathToUri(kustomization), label, mode: 'create' };
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// What the workspace's Flux objects need

interface Needs {
  /** Controllers that reconcile objects using object-level workload identity. */
  gate: Set<ControllerName>;
  /** Controllers that reconcile objects relying on the controller's own Azure identity. */
  identity: Set<ControllerName>;
}

/** True when the kind's `provider` (or Provider `type`) selects Entra ID authentication. */
function usesAzureLogin(doc: ManifestDoc): boolean {
  const lookup = fluxKindOf(doc);
  if (!lookup) return false;
  if (doc.kind === 'Provider') {
    const type = doc.text(['spec', 'type']) ?? '';
    const field = fieldDef(lookup.def, ['spec', 'type']);
    const azure = enumValuesFor(field ?? { path: [], type: 'string', description: '', azure: false }).some(
      (e) => e.azure && e.value === type,
    );
    return azure && (PROVIDER_TYPES_WITH_SERVICE_ACCOUNT as readonly string[]).includes(type);
  }
  const field = fieldDef(lookup.def, ['spec', 'provider']);
  const provider = doc.text(['spec', 'provider']);
  return !!field?.enum?.some((e) => e.azure && e.value === provider);
}

function needsOf(docs: Iterable<ManifestDoc>, fluxVersion: string | undefined): Needs {
  const gate = new Set<ControllerName>();
  const controllerLevelKinds = new Set<string>();
  let azureGit = false;
  const updateAutomations: ManifestDoc[] = [];
  for (const doc of docs) {
    const lookup = fluxKindOf(doc);
    if (!lookup) continue;
    const uses = workloadIdentityUses(doc, lookup);
    for (const { use } of uses)
      if (!fluxVersion || inRange(fluxVersion, (use as WorkloadIdentityUseDef).versions))
        use.gateControllers.forEach((c) => gate.add(c));
    if (doc.kind === 'ImageUpdateAutomation') updateAutomations.push(doc);
    if (!usesAzureLogin(doc)) continue;
    if (doc.kind === 'GitRepository') azureGit = true;
    if (uses.length === 0 && !doc.get(['spec', 'secretRef'])) controllerLevelKinds.add(doc.kind!);
  }
  // ImageUpdateAutomation pushes with the credentials of its (Azure DevOps) GitRepository.
  if (azureGit && updateAutomations.length > 0) controllerLevelKinds.add('ImageUpdateAutomation');
  return { gate, identity: new Set(controllersNeedingIdentity(controllerLevelKinds)) };
}

function hasIdentity(cluster: Cluster, controller: ControllerName): boolean {
  return (cluster.settings.get(controller) ?? []).some(
    (s) => s.annotations[ANNOTATION_CLIENT_ID] !== undefined || s.env[ENV_CLIENT_ID] !== undefined,
  );
}

/** Needs of the Flux objects applied to the target's clusters (or of the given file alone), minus what is there. */
function workspaceNeeds(
  target: PatchTarget | undefined,
  origin: ManifestFile,
  ctx: FeatureContext,
  load: FileLoader,
  fluxVersion: string | undefined,
): Needs {
  let clusters = target ? ctx.index.clustersOf(target.uri) : [];
  if (clusters.length === 0) clusters = ctx.index.clustersOf(origin.uri);
  const originPath = uriToPath(origin.uri);
  const docs: ManifestDoc[] = [...origin.docs];
  const seen = new Set<string>(originPath ? [originPath] : []);
  for (const cluster of clusters)
    for (const path of cluster.files) {
      if (seen.has(path)) continue;
      seen.add(path);
      const file = load(pathToUri(path));
      if (file) docs.push(...file.docs);
    }
  const needs = needsOf(docs, fluxVersion);
  for (const c of [...needs.gate])
    if (clusters.length > 0 && clusters.every((cl) => gateSetting(cl, c))) needs.gate.delete(c);
  for (const c of [...needs.identity])
    if (clusters.length > 0 && clusters.every((cl) => hasIdentity(cl, c))) needs.identity.delete(c);
  return needs;
}

// ---------------------------------------------------------------------------------------------------------------
// Context

function actionInfo(
  action: PatchActionDef,
  target: PatchTarget | undefined,
  needs: Needs,
  fluxVersion: string | undefined,
  preselect: readonly string[] | undefined,
): PatchContext['actions'][number] {
  const fields =
    target?.mode === 'fluxInstance' && action.fluxInstanceSwitches
      ? [
          ...action.fluxInstanceSwitches.map((p) => p.join('.')),
          ...(action.id === 'lockdown' ? LOCKDOWN_INPUTS.map((l) => l.fluxInstanceField.join('.')) : []),
        ]
      : undefined;
  const wanted = (name: ControllerName): boolean => {
    if (preselect && preselect.length > 0) return preselect.includes(name);
    if (action.controllers === 'gate') return needs.gate.has(name);
    if (action.controllers === 'lockdown') return needs.gate.has(name) || needs.identity.has(name);
    return needs.identity.has(name);
  };
  return {
    id: action.id,
    title: action.title,
    description: action.description,
    inputs: fields ? action.inputs.filter((i) => i !== 'controllers') : [...action.inputs],
    controllers: fields
      ? []
      : controllersForAction(action, fluxVersion).map((c) => ({
          id: c.name,
          label: c.name,
          description: c.description,
          picked: wanted(c.name),
        })),
    ...(fields ? { fluxInstanceFields: fields } : {}),
    docsUrl: action.docsUrl,
  };
}

/** GUIDs of client and tenant IDs already written in the workspace (ServiceAccount annotations, controller patches). */
function knownIds(index: WorkspaceIndex): { clientIds: PatchChoice[]; tenantIds: PatchChoice[] } {
  const clientIds = new Map<string, PatchChoice>();
  const tenantIds = new Map<string, PatchChoice>();
  const add = (map: Map<string, PatchChoice>, id: string | undefined, where: string) => {
    if (!id || !isGuid(id) || id === ZERO_GUID) return;
    const key = id.toLowerCase();
    if (!map.has(key)) map.set(key, { id, label: id, description: where });
  };
  for (const cluster of index.clusters())
    for (const [controller, settings] of cluster.settings)
      for (const s of settings) {
        const where = `${controller} in ${cluster.label}`;
        add(clientIds, s.annotations[ANNOTATION_CLIENT_ID] ?? s.env[ENV_CLIENT_ID], where);
        add(tenantIds, s.annotations[ANNOTATION_TENANT_ID] ?? s.env[ENV_TENANT_ID], where);
      }
  for (const sa of index.allServiceAccounts()) {
    const where = `ServiceAccount ${sa.namespace ? `${sa.namespace}/` : ''}${sa.name}`;
    add(clientIds, sa.annotations[ANNOTATION_CLIENT_ID], where);
    add(tenantIds, sa.annotations[ANNOTATION_TENANT_ID], where);
  }
  return { clientIds: [...clientIds.values()], tenantIds: [...tenantIds.values()] };
}

/** The cloud the workspace's controllers already use (from `AZURE_AUTHORITY_HOST`), else the public cloud. */
function currentCloud(index: WorkspaceIndex): string {
  for (const cluster of index.clusters())
    for (const settings of cluster.settings.values())
      for (const s of settings) {
        const host = s.env['AZURE_AUTHORITY_HOST'];
        const cloud = host ? cloudByAuthorityHost(host) : undefined;
        if (cloud) return cloud.id;
      }
  return AZURE_CLOUDS[0]!.id;
}

/** The targets for a file, the one `uri` names (else the first), and the Flux version that applies to it. */
function chosenTarget(uri: string | undefined, file: ManifestFile, index: WorkspaceIndex) {
  const targets = patchTargets(file, index);
  const target = targets.find((t) => t.uri === uri) ?? targets[0];
  const fluxVersion = index.fluxVersionFor(target?.uri ?? file.uri) ?? index.fluxVersionFor(file.uri);
  return { targets, target, fluxVersion };
}

export function providePatchContext(
  params: PatchContextParams & { preselect?: readonly string[] },
  file: ManifestFile,
  ctx: FeatureContext,
  load: FileLoader,
): PatchContext {
  const { targets, target, fluxVersion } = chosenTarget(params.target, file, ctx.index);
  const needs = workspaceNeeds(target, file, ctx, load, fluxVersion);
  const cloud = currentCloud(ctx.index);
  return {
    targets,
    target,
    fluxVersion,
    actions: patchActionsFor(fluxVersion).map((a) => actionInfo(a, target, needs, fluxVersion, params.preselect)),
    ...knownIds(ctx.index),
    clouds: AZURE_CLOUDS.map((c) => ({
      id: c.id,
      label: c.name,
      description: c.authorityHost,
      picked: c.id === cloud,
    })),
    lockdownFlags: LOCKDOWN_INPUTS.map((l) => ({
      id: l.key,
      label: l.flag,
      description: `${l.controllers.join(', ')}. ${l.description}`,
    })),
    defaultCertSecretName: DEFAULT_APP_CERT_SECRET_NAME,
    validation: { guid: `^${GUID_PATTERN}$`, kubernetesName: K8S_NAME_REGEX.source },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The edit

export function providePatchEdit(
  params: PatchEditParams,
  file: ManifestFile,
  ctx: FeatureContext,
  load: FileLoader,
): PatchEditResult {
  const { target, fluxVersion } = chosenTarget(params.target, file, ctx.index);
  if (!target) return { notes: [], error: 'no flux-system kustomization.yaml or FluxInstance found for this file' };
  const action = patchActionById(params.action);
  if (!action) return { notes: [], error: `unknown action '${params.action}'` };
  const controllers = (params.controllers ?? []).filter(isControllerName);
  const request = {
    action: action.id,
    controllers,
    ...(params.clientId ? { clientId: params.clientId.trim() } : {}),
    ...(params.tenantId ? { tenantId: params.tenantId.trim() } : {}),
    ...(params.cloud ? { cloud: params.cloud as (typeof AZURE_CLOUDS)[number]['id'] } : {}),
    ...(params.certSecretName ? { certSecretName: params.certSecretName.trim() } : {}),
    withKeyPassword: !!params.withKeyPassword,
    sendCertificateChain: !!params.sendCertificateChain,
    ...(params.serviceAccount ? { serviceAccount: params.serviceAccount.trim() } : {}),
    ...(params.decryptionServiceAccount ? { decryptionServiceAccount: params.decryptionServiceAccount.trim() } : {}),
    ...(params.kubeConfigServiceAccount ? { kubeConfigServiceAccount: params.kubeConfigServiceAccount.trim() } : {}),
  };

  let targetFile: ManifestFile | undefined;
  if (target.mode === 'create') {
    const dir = dirname(uriToPath(target.uri) ?? '');
    const resources = FLUX_BOOTSTRAP_RESOURCES.filter((r) => isIndexed(ctx.index, join(dir, r)));
    targetFile = parseManifest(target.uri, 0, newKustomizationText(resources.length > 0 ? resources : [COMPONENTS]));
  } else targetFile = target.uri === file.uri ? file : load(target.uri);
  if (!targetFile) return { notes: [], error: `cannot read ${target.label}` };

  const plan = planPatchEdits(targetFile, request, fluxVersion);
  if ('error' in plan) return { notes: [], error: plan.error, uri: target.uri };
  if (plan.edits.length === 0) return { notes: plan.notes, uri: target.uri };
  let edit: WorkspaceEdit;
  if (target.mode === 'create') {
    const text = applyTextEdits(targetFile.text, plan.edits, targetFile.lines);
    edit = {
      documentChanges: [
        { kind: 'create', uri: target.uri, options: { overwrite: false, ignoreIfExists: true } },
        {
          textDocument: { uri: target.uri, version: null },
          edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: text }],
        },
      ],
    };
    plan.notes.push(`created ${target.label}`);
  } else {
    edit = {
      documentChanges: [
        {
          textDocument: { uri: target.uri, version: targetFile.version > 0 ? targetFile.version : null },
          edits: plan.edits,
        },
      ],
    };
  }
  return { edit, notes: plan.notes, uri: target.uri };
}

// ---------------------------------------------------------------------------------------------------------------
// Code actions

const ACTION_COMMANDS: Record<PatchActionId, string> = {
  aksWorkloadIdentity: PatchCommands.aksWorkloadIdentity,
  nonAksWorkloadIdentity: PatchCommands.nonAksWorkloadIdentity,
  appCertificate: PatchCommands.appCertificate,
  objectLevelWorkloadIdentity: PatchCommands.objectLevelWorkloadIdentity,
  lockdown: PatchCommands.lockdown,
};

/** Code action kind of the patch actions. */
export const PATCH_CODE_ACTION_KIND = CodeActionKind.RefactorRewrite;

function command(action: PatchActionDef, args: PatchCommandArgs, suffix = ''): CodeAction {
  return {
    title: `Flux for Azure: ${action.title}${suffix}…`,
    kind: PATCH_CODE_ACTION_KIND,
    command: { title: action.title, command: ACTION_COMMANDS[action.id], arguments: [args] },
  };
}

/**
 * Refactor actions that run the patch commands: every action in a flux-system kustomization.yaml, FluxInstance or
 * gotk-components.yaml; and, on a Flux object, the controller change its Azure authentication still needs.
 */
export function providePatchCodeActions(file: ManifestFile, range: Range, ctx: FeatureContext): CodeAction[] {
  const path = uriToPath(file.uri);
  const host = findPatchHost(file);
  const fluxVersion = ctx.index.fluxVersionFor(file.uri);
  const actions = patchActionsFor(fluxVersion);
  if (
    (host && (host.mode === 'fluxInstance' || isFluxSystemKustomization(file, host.doc))) ||
    (path && basename(path) === COMPONENTS)
  )
    return actions.map((a) => command(a, { uri: file.uri, action: a.id }));

  const doc = file.docAt(file.lines.offsetAt(range.start));
  const lookup = doc ? fluxKindOf(doc) : undefined;
  if (!doc || !lookup) return [];
  // Only where a Flux installation (flux-system folder or FluxInstance) applies the object.
  const clusters = ctx.index.clustersOf(file.uri);
  if (clusters.length === 0) return [];
  const out: CodeAction[] = [];
  const uses = workloadIdentityUses(doc, lookup);
  const gateMissing = new Set<ControllerName>();
  for (const { use } of uses)
    if (!fluxVersion || inRange(fluxVersion, use.versions))
      for (const c of use.gateControllers) if (clusters.some((cl) => !gateSetting(cl, c))) gateMissing.add(c);
  const gate = actions.find((a) => a.id === 'objectLevelWorkloadIdentity');
  if (gate && gateMissing.size > 0)
    out.push(
      command(
        gate,
        { uri: file.uri, action: gate.id, preselect: [...gateMissing] },
        ` for ${[...gateMissing].join(', ')}`,
      ),
    );
  if (uses.length === 0 && usesAzureLogin(doc) && !doc.get(['spec', 'secretRef'])) {
    const controllers = controllersNeedingIdentity([doc.kind!]).filter((c) =>
      clusters.some((cl) => !hasIdentity(cl, c)),
    );
    if (controllers.length > 0)
      for (const a of actions) {
        if (a.controllers !== 'azureIdentity' && a.controllers !== 'appCertificate') continue;
        const allowed = new Set(controllersForAction(a, fluxVersion).map((c) => c.name));
        const preselect = controllers.filter((c) => allowed.has(c));
        if (preselect.length > 0)
          out.push(command(a, { uri: file.uri, action: a.id, preselect }, ` for ${preselect.join(', ')}`));
      }
  }
  return out;
}
