import {
  CONTROLLERS,
  isControllerName,
  type ControllerDef,
  parseFluxVersion,
  FLUX_NAMESPACE,
  type ControllerName,
} from '../catalog';
import type { ManifestDoc, ManifestFile, Range } from '../document/manifest';
import { entries, isScalar, items, nodeAt, textAt, type YamlNode } from '../document/nodes';
import { readControllerPatches, type ControllerPatch } from './controllerPatches';

/** Where a fact was read, for `relatedInformation` and "go to". */
export interface Origin {
  readonly uri: string;
  readonly range: Range;
}

export interface ServiceAccountFact extends Origin {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly annotations: Readonly<Record<string, string>>;
  /** Where a fix inserts annotation lines; `header` > 0 means `annotations:` must be written at that column. */
  readonly annotationsInsert?: {
    readonly at: Range['start'];
    readonly indent: number;
    readonly header: number;
    readonly eol: string;
  };
}

export interface SecretFact extends Origin {
  readonly name: string;
  readonly namespace: string | undefined;
  readonly keys: readonly string[];
  readonly type: string | undefined;
  /** Encrypted with SOPS (has a `sops:` stanza or `ENC[...]` values). */
  readonly sops: boolean;
}

/** What a patch (or FluxInstance field) sets on one controller. */
export interface ControllerSetting extends Origin {
  readonly controller: ControllerName;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly podLabels: Readonly<Record<string, string>>;
  /** Set by FluxInstance `spec.cluster.objectLevelWorkloadIdentity: true`. */
  readonly objectLevelWorkloadIdentity?: boolean;
  /** `kustomization` (kustomize patch), `components` (gotk-components Deployment), `fluxinstance`. */
  readonly via: 'kustomization' | 'components' | 'fluxinstance';
  /** The patch's `target.name` as written (to extend rather than duplicate). */
  readonly targetName?: string;
}

/** Where new `patches` entries go in a kustomization.yaml (for fixes that add one). */
export interface PatchInsertPoint {
  /** Position after the last `patches` entry, or the end of the file when there is no `patches` key. */
  readonly at: Range['start'];
  /** Whether a `patches:` key exists (otherwise the fix writes it). */
  readonly hasPatches: boolean;
  /** Column of the `- ` of existing entries. */
  readonly itemIndent: number;
  readonly eol: string;
}

export interface FluxKustomizationFact {
  readonly name: string | undefined;
  /** `spec.path` relative to the source root. */
  readonly path: string | undefined;
}

export interface FileFacts {
  readonly serviceAccounts: readonly ServiceAccountFact[];
  readonly secrets: readonly SecretFact[];
  readonly controllerSettings: readonly ControllerSetting[];
  readonly fluxKustomizations: readonly FluxKustomizationFact[];
  /** A kustomize `kustomization.yaml`: its resources and namespace transformer. */
  readonly kustomize:
    | {
        readonly resources: readonly string[];
        readonly namespace: string | undefined;
        readonly insert: PatchInsertPoint;
      }
    | undefined;
  /** Flux version stated by this file (gotk-components header/labels, FluxInstance). */
  readonly fluxVersion: (Origin & { version: string }) | undefined;
  readonly hasFluxInstance: boolean;
}

const KUSTOMIZE_GROUP = 'kustomize.config.k8s.io';

export function isKustomizeFile(doc: ManifestDoc): boolean {
  return doc.kind === 'Kustomization' && doc.group === KUSTOMIZE_GROUP;
}

export function isFluxInstance(doc: ManifestDoc): boolean {
  return doc.kind === 'FluxInstance' && doc.group === 'fluxcd.controlplane.io';
}

/** Scalars of a map as strings (non-scalars skipped). */
function stringMap(node: Parameters<typeof entries>[0]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of entries(node)) if (isScalar(p.value)) out[p.key.text] = p.value.text;
  return out;
}

/** Reads the facts other files depend on. Parses only the documents whose kind matters. */
export function extractFacts(file: ManifestFile): FileFacts {
  const serviceAccounts: ServiceAccountFact[] = [];
  const secrets: SecretFact[] = [];
  const controllerSettings: ControllerSetting[] = [];
  const fluxKustomizations: FluxKustomizationFact[] = [];
  let kustomize: FileFacts['kustomize'];
  let fluxVersion: FileFacts['fluxVersion'];
  let hasFluxInstance = false;
  const origin = (doc: ManifestDoc, span = doc.root) => ({
    uri: file.uri,
    range: span ? doc.range(span) : doc.range({ start: 0, end: 0 }),
  });

  const header = /^#\s*Flux Version:\s*(v?\d+\.\d+(?:\.\d+)?)/m.exec(file.text.slice(0, 2000));
  if (header) {
    const version = parseFluxVersion(header[1]);
    const offset = header.index;
    if (version)
      fluxVersion = {
        version,
        uri: file.uri,
        range: { start: file.lines.positionAt(offset), end: file.lines.positionAt(offset + header[0].length) },
      };
  }

  for (const doc of file.docs) {
    const kind = doc.kind;
    if (!kind) continue;
    if (kind === 'ServiceAccount' && doc.group === '') {
      const name = doc.name;
      if (name) {
        serviceAccounts.push({
          name,
          namespace: doc.namespace,
          annotations: stringMap(doc.get(['metadata', 'annotations'])),
          annotationsInsert: annotationsInsert(doc),
          ...origin(doc, doc.get(['metadata', 'name'])),
        });
      }
      // A ServiceAccount of a Flux controller in flux-system carries controller-level annotations too.
      if (name && isControllerName(name) && (doc.namespace ?? FLUX_NAMESPACE) === FLUX_NAMESPACE) {
        controllerSettings.push(
          setting(name, 'components', origin(doc), { annotations: stringMap(doc.get(['metadata', 'annotations'])) }),
        );
      }
    } else if (kind === 'Secret' && doc.group === '') {
      const name = doc.name;
      if (name) {
        const keys = [...entries(doc.get(['data'])), ...entries(doc.get(['stringData']))].map((p) => p.key.text);
        const sops = doc.get(['sops']) !== undefined || /ENC\[[A-Z0-9_]+,data:/.test(doc.chunk.text);
        secrets.push({
          name,
          namespace: doc.namespace,
          keys,
          type: doc.text(['type']),
          sops,
          ...origin(doc, doc.get(['metadata', 'name'])),
        });
      }
    } else if (kind === 'Deployment' && doc.group === 'apps') {
      const name = doc.name;
      if (name && isControllerName(name)) {
        const container = items(doc.get(['spec', 'template', 'spec', 'containers']))[0];
        controllerSettings.push(
          setting(name, 'components', origin(doc), {
            args: items(nodeAt(container, ['args']))
              .filter(isScalar)
              .map((a) => a.text),
            env: Object.fromEntries(
              items(nodeAt(container, ['env']))
                .map((e) => [textAt(e, ['name']), textAt(e, ['value']) ?? ''] as const)
                .filter((e): e is readonly [string, string] => !!e[0]),
            ),
            podLabels: stringMap(doc.get(['spec', 'template', 'metadata', 'labels'])),
          }),
        );
      }
    } else if (kind === 'Namespace' && doc.group === '' && !fluxVersion) {
      const label = doc.text(['metadata', 'labels', 'app.kubernetes.io/version']);
      const partOf = doc.text(['metadata', 'labels', 'app.kubernetes.io/part-of']);
      const version = label && partOf === 'flux' ? parseFluxVersion(label) : undefined;
      if (version)
        fluxVersion = { version, ...origin(doc, doc.get(['metadata', 'labels', 'app.kubernetes.io/version'])) };
    } else if (isKustomizeFile(doc)) {
      kustomize = {
        resources: [...items(doc.get(['resources'])), ...items(doc.get(['bases'])), ...items(doc.get(['components']))]
          .filter(isScalar)
          .map((r) => r.text),
        namespace: doc.text(['namespace']),
        insert: insertPoint(doc),
      };
      for (const patch of readControllerPatches(doc, ['patches']))
        controllerSettings.push(...fromPatch(doc, patch, 'kustomization'));
    } else if (isFluxInstance(doc)) {
      hasFluxInstance = true;
      const version = doc.text(['spec', 'distribution', 'version']);
      const parsed = version ? parseFluxVersion(version.replace(/\.x$/, '.0')) : undefined;
      if (parsed) fluxVersion = { version: parsed, ...origin(doc, doc.get(['spec', 'distribution', 'version'])) };
      const olwi = doc.scalar(['spec', 'cluster', 'objectLevelWorkloadIdentity']);
      if (olwi?.value === true) {
        for (const c of CONTROLLERS as readonly ControllerDef[]) {
          if (c.objectLevelWorkloadIdentityGate)
            controllerSettings.push(
              setting(c.name as ControllerName, 'fluxinstance', origin(doc, olwi), {
                objectLevelWorkloadIdentity: true,
              }),
            );
        }
      }
      for (const patch of readControllerPatches(doc, ['spec', 'kustomize', 'patches']))
        controllerSettings.push(...fromPatch(doc, patch, 'fluxinstance'));
    } else if (kind === 'Kustomization' && doc.group === 'kustomize.toolkit.fluxcd.io') {
      fluxKustomizations.push({ name: doc.name, path: doc.text(['spec', 'path']) });
    }
  }
  return { serviceAccounts, secrets, controllerSettings, fluxKustomizations, kustomize, fluxVersion, hasFluxInstance };
}

function annotationsInsert(doc: ManifestDoc): ServiceAccountFact['annotationsInsert'] {
  const eol = doc.file.text.includes('\r\n') ? '\r\n' : '\n';
  const annotations = doc.get(['metadata', 'annotations']);
  const pairs = entries(annotations);
  if (pairs.length > 0 && annotations?.type === 'map' && !annotations.flow) {
    const last = pairs[pairs.length - 1];
    return {
      at: { line: doc.position(last.end).line + 1, character: 0 },
      indent: doc.position(pairs[0].start).character,
      header: 0,
      eol,
    };
  }
  if (annotations !== undefined) return undefined; // empty or flow-style map: leave it to the user
  const name = doc.get(['metadata', 'name']);
  if (!name) return undefined;
  const indent = /^\s*/.exec(doc.file.lines.lineText(doc.position(name.start).line))![0].length;
  if (indent === 0) return undefined; // flow-style metadata
  return { at: { line: doc.position(name.end).line + 1, character: 0 }, indent: indent + 2, header: indent, eol };
}

function insertPoint(doc: ManifestDoc): PatchInsertPoint {
  const patches = doc.get(['patches']);
  const eol = doc.file.text.includes('\r\n') ? '\r\n' : '\n';
  const list = items(patches);
  if (list.length > 0) {
    const last = list[list.length - 1];
    const lastLine = doc.position(last.end).line;
    const first = doc.position(list[0].start);
    return {
      at: { line: lastLine + 1, character: 0 },
      hasPatches: true,
      itemIndent: Math.max(0, first.character - 2),
      eol,
    };
  }
  const end = doc.position(doc.chunk.text.length);
  return { at: end, hasPatches: patches !== undefined, itemIndent: 2, eol };
}

function setting(
  controller: ControllerName,
  via: ControllerSetting['via'],
  where: Origin,
  parts: Partial<
    Pick<ControllerSetting, 'args' | 'env' | 'annotations' | 'podLabels' | 'objectLevelWorkloadIdentity' | 'targetName'>
  >,
): ControllerSetting {
  return { controller, via, args: [], env: {}, annotations: {}, podLabels: {}, ...parts, ...where };
}

function fromPatch(doc: ManifestDoc, patch: ControllerPatch, via: ControllerSetting['via']): ControllerSetting[] {
  const kind = patch.targetKind;
  const where = {
    uri: doc.file.uri,
    range: doc.range(patch.targetName ?? patch.entry),
    ...(patch.targetName ? { targetName: patch.targetName.text } : {}),
  };
  const text = (v: YamlNode | undefined) => (isScalar(v) ? v.text : '');
  return patch.controllers.map((controller) =>
    setting(controller, via, where, {
      args: kind === 'ServiceAccount' ? [] : patch.args.map((a) => a.text),
      env: Object.fromEntries(patch.env.map((e) => [e.name, e.value?.text ?? ''])),
      annotations:
        kind === 'ServiceAccount' || kind === undefined
          ? Object.fromEntries(patch.annotations.map((a) => [a.key, text(a.value)]))
          : {},
      podLabels: Object.fromEntries(patch.podLabels.map((l) => [l.key, text(l.value)])),
    }),
  );
}

/** A string that changes when facts change in a way other files' diagnostics depend on (positions excluded). */
export function factsSignature(facts: FileFacts): string {
  return JSON.stringify(facts, (key, value) => (key === 'range' || key === 'uri' ? undefined : value));
}
