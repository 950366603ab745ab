import type { Position, TextEdit } from 'vscode-languageserver';
import {
  ANNOTATION_CLIENT_ID,
  ANNOTATION_TENANT_ID,
  CONTROLLERS,
  ENV_CLIENT_CERTIFICATE_PATH,
  ENV_CLIENT_ID,
  ENV_FEDERATED_TOKEN_FILE,
  FLUX_BOOTSTRAP_RESOURCES,
  FLUX_INSTANCE_PATCHES_PATH,
  K8S_NAME_REGEX,
  KUSTOMIZE_CONFIG_API_VERSION,
  KUSTOMIZE_CONFIG_KIND,
  LABEL_USE,
  LOCKDOWN_INPUTS,
  OBJECT_LEVEL_WI_GATE,
  aksControllerPatches,
  appCertificatePatch,
  cloudById,
  controllersForAction,
  gatePatch,
  isGuid,
  lockdownPatches,
  nonAksControllerPatch,
  parseFeatureGatesArg,
  patchActionById,
  type AzureCloudId,
  type ControllerName,
  type PatchActionDef,
  type PatchActionId,
  type PatchEntry,
} from '../catalog';
import { patchEntryToYaml } from '../document/emit';
import type { ManifestDoc, ManifestFile } from '../document/manifest';
import { entries, isMap, isScalar, isSeq, nodeAt, pairOf, type PairNode, type YamlNode } from '../document/nodes';
import { readControllerPatches, type ControllerPatch } from '../workspace/controllerPatches';
import { isFluxInstance, isKustomizeFile } from '../workspace/facts';

/**
 * Edits that add controller patches (identity, gate, lockdown) to a flux-system `kustomization.yaml` or to a
 * FluxInstance (`spec.kustomize.patches`, or its `spec.cluster` switches). Pure: text in, LSP text edits out.
 *
 * The edits never re-serialise the file: they insert new `patches` entries after the last one (in the file's
 * indentation and line endings) and rewrite `target.name` scalars in place, so comments and formatting stay.
 * Controllers that already have the change are left alone (running an action twice changes nothing); a patch
 * whose body is the one we would write gets its target regex extended instead of a second patch.
 */

/** What the user asked for, validated by {@link validatePatchRequest}. */
export interface PatchRequest {
  readonly action: PatchActionId;
  readonly controllers: readonly ControllerName[];
  readonly clientId?: string;
  readonly tenantId?: string;
  readonly cloud?: AzureCloudId;
  readonly certSecretName?: string;
  readonly withKeyPassword?: boolean;
  readonly sendCertificateChain?: boolean;
  readonly serviceAccount?: string;
  readonly decryptionServiceAccount?: string;
  readonly kubeConfigServiceAccount?: string;
}

export interface PatchPlan {
  readonly edits: TextEdit[];
  /** One line per decision (added, extended, already there, skipped and why). */
  readonly notes: string[];
}

/** Where patches go in a document: the kustomize file's `patches`, or a FluxInstance's. */
export interface PatchHost {
  readonly doc: ManifestDoc;
  readonly mode: 'kustomization' | 'fluxInstance';
  readonly patchesPath: readonly string[];
}

/** The document of a file that can hold controller patches (first kustomize Kustomization or FluxInstance). */
export function findPatchHost(file: ManifestFile): PatchHost | undefined {
  for (const doc of file.docs) {
    if (isKustomizeFile(doc)) return { doc, mode: 'kustomization', patchesPath: ['patches'] };
    if (isFluxInstance(doc)) return { doc, mode: 'fluxInstance', patchesPath: FLUX_INSTANCE_PATCHES_PATH };
  }
  return undefined;
}

/** Text of a new flux-system kustomization.yaml listing the bootstrap files that exist. */
export function newKustomizationText(resources: readonly string[] = FLUX_BOOTSTRAP_RESOURCES, eol = '\n'): string {
  return [
    `apiVersion: ${KUSTOMIZE_CONFIG_API_VERSION}`,
    `kind: ${KUSTOMIZE_CONFIG_KIND}`,
    'resources:',
    ...resources.map((r) => `  - ${r}`),
    '',
  ].join(eol);
}

/** An error message for an invalid request, or undefined. Controllers the action cannot target are dropped later with a note. */
export function validatePatchRequest(req: PatchRequest): string | undefined {
  const action = patchActionById(req.action);
  if (!action) return `unknown patch action '${req.action}'`;
  if (action.inputs.includes('clientId') && !isGuid(req.clientId ?? ''))
    return `client ID '${req.clientId ?? ''}' is not a GUID`;
  if (action.inputs.includes('tenantId') && !isGuid(req.tenantId ?? ''))
    return `tenant ID '${req.tenantId ?? ''}' is not a GUID`;
  if (action.inputs.includes('cloud') && req.cloud !== undefined && !cloudById(req.cloud))
    return `unknown Azure cloud '${req.cloud}'`;
  if (action.inputs.includes('certificate') && !K8S_NAME_REGEX.test(req.certSecretName ?? ''))
    return `'${req.certSecretName ?? ''}' is not a valid Secret name`;
  if (action.inputs.includes('lockdown')) {
    const given = LOCKDOWN_INPUTS.filter((l) => req[l.key] !== undefined && req[l.key] !== '');
    if (given.length === 0) return 'no default ServiceAccount given';
    for (const l of given)
      if (!K8S_NAME_REGEX.test(req[l.key]!)) return `'${req[l.key]}' is not a valid ServiceAccount name`;
  }
  return undefined;
}

/**
 * Computes the edits for a request against the patch host of `file`. Returns an error message when the file
 * cannot take the change (no kustomization/FluxInstance, flow-style `patches`, ...).
 */
export function planPatchEdits(
  file: ManifestFile,
  req: PatchRequest,
  fluxVersion?: string,
): PatchPlan | { error: string } {
  const invalid = validatePatchRequest(req);
  if (invalid) return { error: invalid };
  const host = findPatchHost(file);
  if (!host) return { error: 'this file has no kustomize Kustomization or FluxInstance to add patches to' };
  const action = patchActionById(req.action)!;
  const notes: string[] = [];
  const controllers = allowedControllers(action, req.controllers, fluxVersion, notes);
  const editor = new DocEditor(host.doc);

  if (host.mode === 'fluxInstance' && action.fluxInstanceSwitches) {
    // The Flux Operator sets the gate (and lockdown flags) from FluxInstance fields: no patch needed.
    for (const path of action.fluxInstanceSwitches) editor.setField(path, 'true', notes);
    if (req.action === 'lockdown')
      for (const l of LOCKDOWN_INPUTS) if (req[l.key]) editor.setField(l.fluxInstanceField, req[l.key]!, notes);
    return editor.finish(notes);
  }
  if (controllers.length === 0) return { error: notes.join(' ') || 'no controllers selected' };

  const existing = readControllerPatches(host.doc, host.patchesPath);
  const effects = effectsByController(existing, host);
  const newEntries: PatchEntry[] = [];
  for (const wanted of wantedPatches(req, controllers)) {
    const todo: ControllerName[] = [];
    for (const c of wanted.controllers) {
      const state = wanted.state(effects.get(c) ?? emptyEffects());
      if (state === 'done') notes.push(`${c}: ${wanted.label} is already there.`);
      else if (state) notes.push(`${c}: skipped, ${state}`);
      else todo.push(c);
    }
    if (todo.length === 0) continue;
    const entry = wanted.build(todo);
    const same = existing.find((p) => sameChange(p, entry));
    if (same?.targetName) {
      editor.extendTarget(same, todo);
      notes.push(`${wanted.label}: extended the target of the existing patch to ${todo.join(', ')}.`);
    } else {
      newEntries.push(entry);
      notes.push(`${wanted.label}: added a patch for ${todo.join(', ')}.`);
    }
  }
  if (newEntries.length > 0) {
    const error = editor.appendPatches(host.patchesPath, newEntries);
    if (error) return { error };
  }
  return editor.finish(notes);
}

// ---------------------------------------------------------------------------------------------------------------
// What to write, and how to tell it is already there

interface Effects {
  args: string[];
  env: Record<string, string>;
  annotations: Record<string, string>;
  podLabels: Record<string, string>;
  gate: boolean;
}

function emptyEffects(): Effects {
  return { args: [], env: {}, annotations: {}, podLabels: {}, gate: false };
}

/** What the patches of this host already do to each controller. */
function effectsByController(patches: readonly ControllerPatch[], host: PatchHost): Map<ControllerName, Effects> {
  const out = new Map<ControllerName, Effects>();
  const fluxInstanceGate =
    host.mode === 'fluxInstance' && host.doc.text(['spec', 'cluster', 'objectLevelWorkloadIdentity']) === 'true';
  for (const c of CONTROLLERS) out.set(c.name, { ...emptyEffects(), gate: fluxInstanceGate });
  for (const p of patches) {
    for (const c of p.controllers) {
      const e = out.get(c)!;
      if (p.targetKind !== 'ServiceAccount') {
        e.args.push(...p.args.map((a) => a.text));
        for (const env of p.env) e.env[env.name] = env.value?.text ?? '';
        for (const l of p.podLabels) e.podLabels[l.key] = isScalar(l.value) ? l.value.text : '';
      }
      if (p.targetKind === 'ServiceAccount' || p.targetKind === undefined)
        for (const a of p.annotations) e.annotations[a.key] = isScalar(a.value) ? a.value.text : '';
      if (p.args.some((a) => parseFeatureGatesArg(a.text)?.gates.get(OBJECT_LEVEL_WI_GATE) === true)) e.gate = true;
    }
  }
  return out;
}

interface Wanted {
  readonly label: string;
  readonly controllers: readonly ControllerName[];
  readonly build: (controllers: readonly ControllerName[]) => PatchEntry;
  /** 'done', a reason to skip, or undefined when the controller needs the patch. */
  readonly state: (e: Effects) => 'done' | string | undefined;
}

const sameId = (a: string | undefined, b: string | undefined) =>
  a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();

function wantedPatches(req: PatchRequest, controllers: readonly ControllerName[]): Wanted[] {
  const identity = { clientId: req.clientId!, tenantId: req.tenantId! };
  /** Env-based identities (non-AKS token, app certificate) conflict with any other AZURE_CLIENT_ID. */
  const envIdentity = (marker: string) => (e: Effects) => {
    const client = e.env[ENV_CLIENT_ID];
    if (client === undefined) return undefined;
    if (sameId(client, req.clientId) && e.env[marker] !== undefined) return 'done';
    return `it already sets ${ENV_CLIENT_ID}=${client || '(from a Secret)'}; change that patch instead`;
  };
  switch (req.action) {
    case 'aksWorkloadIdentity':
      return [
        {
          label: 'ServiceAccount workload-identity annotations',
          controllers,
          build: (cs) => aksControllerPatches({ ...identity, controllers: cs })[0],
          state: (e) => {
            const client = e.annotations[ANNOTATION_CLIENT_ID];
            if (client === undefined) return undefined;
            if (sameId(client, req.clientId) && sameId(e.annotations[ANNOTATION_TENANT_ID], req.tenantId))
              return 'done';
            if (sameId(client, req.clientId)) return undefined;
            return `its ServiceAccount is already annotated with client ID ${client}; change that patch instead`;
          },
        },
        {
          label: `pod label ${LABEL_USE}`,
          controllers,
          build: (cs) => aksControllerPatches({ ...identity, controllers: cs })[1],
          state: (e) => (e.podLabels[LABEL_USE] === 'true' ? 'done' : undefined),
        },
      ];
    case 'nonAksWorkloadIdentity':
      return [
        {
          label: 'workload identity env and projected token',
          controllers,
          build: (cs) => nonAksControllerPatch({ ...identity, controllers: cs, cloud: req.cloud ?? 'public' }),
          state: envIdentity(ENV_FEDERATED_TOKEN_FILE),
        },
      ];
    case 'appCertificate':
      return [
        {
          label: 'application certificate',
          controllers,
          build: (cs) =>
            appCertificatePatch({
              ...identity,
              controllers: cs,
              secretName: req.certSecretName!,
              withKeyPassword: !!req.withKeyPassword,
              sendCertificateChain: !!req.sendCertificateChain,
            }),
          state: envIdentity(ENV_CLIENT_CERTIFICATE_PATH),
        },
      ];
    case 'objectLevelWorkloadIdentity':
      return [gateWanted(controllers)];
    case 'lockdown': {
      const out: Wanted[] = [];
      const flagged = new Set<ControllerName>();
      for (const l of LOCKDOWN_INPUTS) {
        const sa = req[l.key];
        if (!sa) continue;
        const accepting = controllers.filter((c) => l.controllers.includes(c));
        if (accepting.length === 0) continue;
        accepting.forEach((c) => flagged.add(c));
        out.push({
          label: `${l.flag}=${sa}`,
          controllers: accepting,
          build: (cs) => lockdownPatches({ controllers: cs, [l.key]: sa })[0],
          state: (e) => {
            const arg = e.args.find((a) => a.trim().startsWith(`${l.flag}=`));
            if (arg === undefined) return undefined;
            return arg.trim() === `${l.flag}=${sa}` ? 'done' : `it already runs with ${arg.trim()}`;
          },
        });
      }
      // The flags make the controller refuse to start without the gate.
      const gated = controllers.filter((c) => flagged.has(c));
      if (gated.length > 0) out.push(gateWanted(gated));
      return out;
    }
  }
}

function gateWanted(controllers: readonly ControllerName[]): Wanted {
  return {
    label: `the ${OBJECT_LEVEL_WI_GATE} gate`,
    controllers,
    build: (cs) => gatePatch(cs),
    state: (e) => (e.gate ? 'done' : undefined),
  };
}

/** Controllers of the request the action can target in this Flux version; the others are noted and dropped. */
function allowedControllers(
  action: PatchActionDef,
  requested: readonly ControllerName[],
  fluxVersion: string | undefined,
  notes: string[],
): ControllerName[] {
  const allowed = new Set(controllersForAction(action, fluxVersion).map((c) => c.name));
  const out: ControllerName[] = [];
  for (const name of new Set(requested)) {
    if (allowed.has(name)) out.push(name);
    else {
      const def = CONTROLLERS.find((c) => c.name === name);
      const why =
        action.controllers === 'appCertificate' && def
          ? def.appCertificate.note
          : `${action.title} does not apply to it${fluxVersion ? ` in Flux ${fluxVersion}` : ''}`;
      notes.push(`${name}: skipped, ${why}`);
    }
  }
  return out;
}

/** A patch that makes the same change as `entry` (same target kind, same body), whose target we may extend. */
function sameChange(patch: ControllerPatch, entry: PatchEntry): boolean {
  if (!patch.targetName || patch.targetKind !== entry.target.kind) return false;
  // Only plain kind/name selectors: extending a selector with a namespace or labels would change its meaning.
  const target = nodeAt(patch.entry, ['target']);
  if (entries(target).some((p) => !['kind', 'name', 'group', 'version'].includes(p.key.text))) return false;
  const body = patch.body?.root;
  if (!body) return false;
  return canonical(normaliseBody(toPlain(body))) === canonical(normaliseBody(entry.patch));
}

/** Strategic-merge bodies name a placeholder object that kustomize ignores when a target is given. */
function normaliseBody(body: unknown): unknown {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const copy = { ...(body as Record<string, unknown>) };
    const metadata = copy.metadata as Record<string, unknown> | undefined;
    if (metadata && typeof metadata === 'object') {
      const rest = { ...metadata };
      delete rest.name;
      copy.metadata = Object.keys(rest).length > 0 ? rest : undefined;
      if (copy.metadata === undefined) delete copy.metadata;
    }
    return copy;
  }
  return body;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function toPlain(node: YamlNode | undefined): unknown {
  if (!node) return null;
  switch (node.type) {
    case 'scalar':
      return typeof node.value === 'bigint' ? Number(node.value) : node.value;
    case 'map':
      return Object.fromEntries(node.pairs.map((p) => [p.key.text, toPlain(p.value)]));
    case 'seq':
      return node.items.map(toPlain);
    case 'alias':
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Text edits that keep the file as it is around them

/** `(a|b)` + [c] -> `(a|b|c)`; a regex that is not a plain alternation is kept whole: `(.*-x|c)`. */
export function extendTargetName(existing: string, add: readonly string[]): string {
  let inner = existing.trim();
  if (inner.startsWith('(') && !inner.startsWith('(?') && closingParen(inner, 0) === inner.length - 1)
    inner = inner.slice(1, -1);
  const names = /^[a-z0-9-]+(\|[a-z0-9-]+)*$/.test(inner) ? inner.split('|') : [inner];
  const merged = [...names, ...add.filter((n) => !names.includes(n))];
  return merged.length === 1 ? merged[0]! : `(${merged.join('|')})`;
}

function closingParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return -1;
}

class DocEditor {
  private readonly edits: TextEdit[] = [];
  private readonly targets = new Map<ControllerPatch, ControllerName[]>();
  private readonly fields = new Map<string, { parent: readonly string[]; lines: string[] }>();
  readonly eol: string;

  constructor(readonly doc: ManifestDoc) {
    this.eol = doc.file.text.includes('\r\n') ? '\r\n' : '\n';
  }

  extendTarget(patch: ControllerPatch, controllers: readonly ControllerName[]): void {
    this.targets.set(patch, [...(this.targets.get(patch) ?? []), ...controllers]);
  }

  /** Sets a scalar field (FluxInstance switch or value), adding missing parent maps. */
  setField(path: readonly string[], value: string, notes: string[]): void {
    const node = this.doc.get(path);
    const name = path.join('.');
    if (isScalar(node) && node.text === value) {
      notes.push(`${name} is already ${value}.`);
      return;
    }
    if (node !== undefined && !(isScalar(node) && node.value === null)) {
      if (!isScalar(node)) {
        notes.push(`${name}: skipped, it is not a scalar.`);
        return;
      }
      this.edits.push({ range: this.doc.range(node), newText: value });
      notes.push(`${name}: set to ${value} (was ${node.text}).`);
      return;
    }
    const parent = path.slice(0, -1);
    const key = parent.join('\u0000');
    if (!this.fields.has(key)) this.fields.set(key, { parent, lines: [] });
    this.fields.get(key)!.lines.push(`${path[path.length - 1]}: ${value}`);
    notes.push(`${name}: set to ${value}.`);
  }

  /** Appends entries to the `patches` list at `path`, creating the list (and its parents) when missing. */
  appendPatches(path: readonly string[], list: readonly PatchEntry[]): string | undefined {
    const node = this.doc.get(path);
    const body = (indent: number) => list.map((e) => patchEntryToYaml(e, indent, this.eol)).join('');
    if (isSeq(node) && !node.flow && node.items.length > 0) {
      const last = node.items[node.items.length - 1]!;
      this.insert(this.lineAfter(last.end), body(this.dashColumn(node.items[0]!)));
      return undefined;
    }
    if (isSeq(node) && node.flow) {
      if (node.items.length > 0) return `${path.join('.')} is a flow-style list; write it in block style first`;
      const pair = this.pairAt(path)!;
      const text = body(this.listIndent(pair));
      this.edits.push({ range: this.doc.range(node), newText: this.eol + text.slice(0, -this.eol.length) });
      return undefined;
    }
    if (node !== undefined && !(isScalar(node) && node.value === null))
      return `${path.join('.')} is not a list of patches`;
    if (node !== undefined) {
      // `patches:` with no value yet.
      const pair = this.pairAt(path)!;
      this.insert(this.lineAfter(pair.key.end), body(this.listIndent(pair)));
      return undefined;
    }
    const where = this.parentInsertion(path.slice(0, -1));
    if (typeof where === 'string') return where;
    const key = `${' '.repeat(where.indent)}${path[path.length - 1]}:${this.eol}`;
    const itemIndent = path.length === 1 ? this.rootListIndent() : where.indent + 2;
    this.insert(where.at, where.prefix + key + body(itemIndent));
    return undefined;
  }

  finish(notes: string[]): PatchPlan | { error: string } {
    for (const [patch, controllers] of this.targets) {
      const name = extendTargetName(patch.targetName!.text, controllers);
      this.edits.push({ range: this.doc.range(patch.targetName!), newText: JSON.stringify(name) });
    }
    for (const { parent, lines } of this.fields.values()) {
      const where = this.parentInsertion(parent);
      if (typeof where === 'string') return { error: where };
      const text = lines.map((l) => `${' '.repeat(where.indent)}${l}${this.eol}`).join('');
      this.insert(where.at, where.prefix + text);
    }
    return { edits: this.edits, notes };
  }

  private insert(at: { position: Position; leadingEol: boolean }, text: string): void {
    this.edits.push({
      range: { start: at.position, end: at.position },
      newText: at.leadingEol ? this.eol + text : text,
    });
  }

  private pairAt(path: readonly string[]): PairNode | undefined {
    return pairOf(this.doc.get(path.slice(0, -1)), path[path.length - 1]!);
  }

  /** Start of the line after the one where `offset` (a node end) lies; at the end of the file, a new line. */
  private lineAfter(offset: number): { position: Position; leadingEol: boolean } {
    const p = this.doc.position(offset);
    // Block scalars end after their final line break, already at the start of the next line.
    if (p.character === 0 && offset > 0) return { position: p, leadingEol: false };
    const lines = this.doc.file.lines;
    if (p.line + 1 >= lines.lineCount)
      return { position: lines.positionAt(this.doc.file.text.length), leadingEol: true };
    return { position: { line: p.line + 1, character: 0 }, leadingEol: false };
  }

  private column(offset: number): number {
    return this.doc.position(offset).character;
  }

  /** Column of the `-` of a block sequence item. */
  private dashColumn(item: YamlNode): number {
    const p = this.doc.position(item.start);
    const line = this.doc.file.lines.lineText(p.line);
    const dash = line.lastIndexOf('-', p.character - 1);
    return dash >= 0 ? dash : Math.max(0, p.character - 2);
  }

  /** Item indentation for a new list under `pair`: like the file's other lists, else two more than the key. */
  private listIndent(pair: PairNode): number {
    const keyColumn = this.column(pair.key.start);
    return keyColumn === 0 ? this.rootListIndent() : keyColumn + 2;
  }

  /** How the file indents top-level lists (`resources:` items), defaulting to two spaces. */
  private rootListIndent(): number {
    for (const p of entries(this.doc.root)) {
      if (isSeq(p.value) && !p.value.flow && p.value.items.length > 0) return this.dashColumn(p.value.items[0]!);
    }
    return 2;
  }

  /**
   * Where children of the map at `path` go: after its last entry at its indentation. Missing maps along the path
   * are written as `prefix`.
   */
  private parentInsertion(
    path: readonly string[],
  ): { at: { position: Position; leadingEol: boolean }; indent: number; prefix: string } | string {
    let map: YamlNode | undefined = this.doc.root;
    if (!isMap(map) || map.flow) return 'the document is not a block map';
    let at = this.afterMap(map);
    let indent = map.pairs.length > 0 ? this.column(map.pairs[0]!.key.start) : 0;
    let i = 0;
    for (; i < path.length; i++) {
      const pair: PairNode | undefined = pairOf(map, path[i]!);
      if (!pair) break;
      const value: YamlNode | undefined = pair.value;
      if (isMap(value) && !value.flow && value.pairs.length > 0) {
        map = value;
        at = this.afterMap(value);
        indent = this.column(value.pairs[0]!.key.start);
        continue;
      }
      if (value === undefined || (isScalar(value) && value.value === null)) {
        at = this.lineAfter(pair.key.end);
        indent = this.column(pair.key.start) + 2;
        i++;
        break;
      }
      return `${path.slice(0, i + 1).join('.')} is not a block map`;
    }
    let prefix = '';
    for (const key of path.slice(i)) {
      prefix += `${' '.repeat(indent)}${key}:${this.eol}`;
      indent += 2;
    }
    return { at, indent, prefix };
  }

  private afterMap(map: YamlNode & { type: 'map' }): { position: Position; leadingEol: boolean } {
    const last = map.pairs[map.pairs.length - 1];
    return this.lineAfter(last ? last.end : map.end);
  }
}

/** Applies LSP text edits to a text (for the content of a file the edit creates). */
export function applyTextEdits(text: string, edits: readonly TextEdit[], lines: ManifestFile['lines']): string {
  const sorted = edits
    .map((e) => ({ start: lines.offsetAt(e.range.start), end: lines.offsetAt(e.range.end), text: e.newText }))
    .sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  return out;
}
