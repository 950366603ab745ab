/**
 * What kustomize-controller adds to a `kustomize build` of a Flux Kustomization's `spec.path`: `spec.patches`,
 * `spec.targetNamespace`, `spec.commonMetadata`, then `spec.postBuild` variable substitution (`substitute`,
 * `substituteFrom` ConfigMaps and Secrets found in the repository, `${VAR:=default}`, `$${VAR}` escapes, strict mode
 * from Flux 2.9, the `kustomize.toolkit.fluxcd.io/substitute: disabled` annotation).
 */
import {
  STRICT_SUBSTITUTION_FROM_MINOR,
  SUBSTITUTE_ANNOTATION,
  SUBSTITUTE_DISABLED,
  parseFluxVersion,
} from '../catalog';
import { isScalar, type ScalarNode, type YamlNode } from '../document/nodes';
import { uriToPath } from '../workspace/files';
import {
  applyPatch,
  transformNamespace,
  type BuildMemo,
  type BuildResult,
  type RenderHost,
  type RenderProblem,
} from './kustomize';
import { annotationsOf, idOf, type RObject } from './object';
import { targetOf } from './selectors';
import {
  entriesOf,
  fromYaml,
  itemsOf,
  holdsVariable,
  mapScalars,
  nodeIn,
  setIn,
  textIn,
  withVia,
  type At,
  type RMap,
  type RNode,
  type RScalar,
} from './value';

/** A variable's value and where it was set. */
export interface Variable {
  readonly value: string;
  readonly at: At;
  /** Where its key was written (the ConfigMap / Secret data key, the `substitute` entry). */
  readonly key?: At;
}

export interface Variables {
  readonly values: ReadonlyMap<string, Variable>;
  /** `substituteFrom` objects not found in the repository (or encrypted): their variables are unknown. */
  readonly unknownSources: readonly string[];
}

/** Finds a ConfigMap or Secret of the rendering by kind, namespace and name. */
export type ObjectLookup = (kind: string, namespace: string | undefined, name: string) => RObject | undefined;

/** The YAML inside an inline patch string (`patch: |`), with positions in the file that holds it. */
function parseInlinePatch(host: RenderHost, scalar: RNode, note: string, out: Pick<BuildResult, 'unknowns'>): RNode[] {
  if (scalar.type !== 'scalar' || typeof scalar.value !== 'string') return [];
  const path = uriToPath(scalar.at.uri);
  const stamp = path && host.memo && host.stamp?.(path);
  if (!stamp) return parseInlinePatchUncached(host, scalar, path, note, out);
  const { line, character } = scalar.at.range.start;
  const key = `${path}\0flux-patch ${line}:${character}\0${note}\0${scalar.at.via}`;
  const parsed = host.memo!.patchBodiesOf(key, stamp, () => {
    const sub: Pick<BuildResult, 'unknowns'> = { unknowns: [] };
    const nodes = parseInlinePatchUncached(host, scalar, path, note, sub);
    return sub.unknowns.length > 0 ? undefined : nodes;
  });
  if (parsed) return [...parsed];
  out.unknowns.push({ at: scalar.at, why: 'inline patch is not valid YAML' });
  return [];
}

function parseInlinePatchUncached(
  host: RenderHost,
  scalar: RScalar,
  path: string | undefined,
  note: string,
  out: Pick<BuildResult, 'unknowns'>,
): RNode[] {
  const model = path ? host.model(path) : undefined;
  const start = model?.lines.offsetAt(scalar.at.range.start);
  const doc = start === undefined ? undefined : model!.docAt(start);
  const node = doc && findScalarAt(doc.root, start! - doc.offset);
  const nested = node && doc.nestedYaml(node);
  if (!doc || !nested || nested.hasErrors || !nested.root) {
    out.unknowns.push({ at: scalar.at, why: 'inline patch is not valid YAML' });
    return [];
  }
  return [fromYaml(doc, nested.root, scalar.at.via === 'file' ? 'patch' : scalar.at.via, note)];
}

function findScalarAt(root: YamlNode | undefined, offset: number): ScalarNode | undefined {
  let node = root;
  while (node) {
    if (isScalar(node)) return node.start === offset ? node : undefined;
    if (node.type === 'map') node = node.pairs.find((p) => p.start <= offset && offset <= p.end)?.value;
    else if (node.type === 'seq') node = node.items.find((i) => i.start <= offset && offset <= i.end);
    else return undefined;
  }
  return undefined;
}

/** `spec.patches`, `spec.targetNamespace` and `spec.commonMetadata` of a Flux Kustomization over its build. */
export function applyFluxSpec(ks: RObject, objects: RObject[], host: RenderHost, out: BuildResult): RObject[] {
  const note = `spec.patches of Kustomization ${idOf(ks).name}`;
  const memo = host.memo;
  for (const entry of itemsOf(nodeIn(ks.node, ['spec', 'patches']))) {
    const target = targetOf(nodeIn(entry, ['target']));
    const patch = nodeIn(entry, ['patch']);
    if (!patch) continue;
    for (const body of parseInlinePatch(host, patch, note, out)) {
      const flux = memo
        ? memo.step(body, entry, RELABEL, () => relabel(body, 'flux-patch'))
        : relabel(body, 'flux-patch');
      objects = applyPatch(objects, flux, target, out, false, { memo, key: entry });
    }
  }
  objects = transformNamespace(objects, nodeIn(ks.node, ['spec', 'targetNamespace']), { memo, key: ks.node });
  for (const field of ['labels', 'annotations'] as const) {
    const pairs = nodeIn(ks.node, ['spec', 'commonMetadata', field]);
    for (const [key, e] of entriesOf(pairs)) {
      if (e.value.type !== 'scalar') continue;
      objects = objects.map((o) => ({
        ...o,
        node: setIn(o.node, ['metadata', field, key], e.value, e.key) as RMap,
      }));
    }
  }
  return objects;
}

const RELABEL = {};

function relabel(node: RNode, via: At['via']): RNode {
  return mapScalars(node, (s) => ({ ...s, at: withVia(s.at, via) }));
}

/** The variables of a Flux Kustomization's `spec.postBuild`, or undefined when it has none (no substitution). */
export function variablesOf(ks: RObject, lookup: ObjectLookup): Variables | undefined {
  const postBuild = nodeIn(ks.node, ['spec', 'postBuild']);
  if (!postBuild) return undefined;
  const values = new Map<string, Variable>();
  const unknownSources: string[] = [];
  const ns = idOf(ks).namespace;
  for (const ref of itemsOf(nodeIn(postBuild, ['substituteFrom']))) {
    const kind = textIn(ref, ['kind']) ?? '';
    const name = textIn(ref, ['name']) ?? '';
    const optional = textIn(ref, ['optional']) === 'true';
    const found = lookup(kind, ns, name);
    if (!found) {
      if (!optional) unknownSources.push(`${kind} ${name} (not in the repository)`);
      continue;
    }
    const note = `from ${kind} ${name}`;
    if (kind === 'Secret') {
      if (nodeIn(found.node, ['sops'])) {
        unknownSources.push(`${kind} ${name} (SOPS-encrypted)`);
        continue;
      }
      for (const [k, e] of entriesOf(nodeIn(found.node, ['data']))) {
        if (e.value.type !== 'scalar' || typeof e.value.value !== 'string') continue;
        values.set(k, {
          value: Buffer.from(e.value.value, 'base64').toString('utf8'),
          at: withVia(e.value.at, 'substitution', note),
          key: e.key,
        });
      }
    }
    for (const [k, e] of entriesOf(nodeIn(found.node, [kind === 'Secret' ? 'stringData' : 'data']))) {
      if (e.value.type !== 'scalar' || e.value.value === null) continue;
      values.set(k, { value: String(e.value.value), at: withVia(e.value.at, 'substitution', note), key: e.key });
    }
  }
  for (const [k, e] of entriesOf(nodeIn(postBuild, ['substitute']))) {
    if (e.value.type !== 'scalar' || e.value.value === null) continue;
    values.set(k, {
      value: String(e.value.value),
      at: withVia(e.value.at, 'substitution', `spec.postBuild.substitute of Kustomization ${idOf(ks).name}`),
      key: e.key,
    });
  }
  return { values, unknownSources };
}

/** `${VAR}`, `${VAR:=default}`, `${VAR:-default}`, `${VAR=default}`, `${VAR-default}`, and the `$${VAR}` escape. */
const VARIABLE = /\$(\$)?\{([_a-zA-Z][_a-zA-Z0-9]*)(?:(:?[=-])([^}]*))?\}/g;

/** The `${VAR}` uses of a text (not the `$${VAR}` escapes), with their offsets in it. */
export function variableUses(text: string): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(VARIABLE))
    if (!m[1]) out.push({ name: m[2]!, start: m.index, end: m.index + m[0].length });
  return out;
}

export interface Substituted {
  readonly text: string;
  /** Variables the text used that had a value, with where. */
  readonly used: readonly { name: string; at: At | undefined }[];
  /** Variables with no value and no default. */
  readonly missing: readonly string[];
  /** Whether a missing variable may come from a source outside the repository. */
  readonly unknown: boolean;
}

/** Substitutes one text as kustomize-controller does; `strict` leaves missing variables for the caller to report. */
function substituteText(text: string, vars: Variables, strict: boolean): Substituted {
  const used: { name: string; at: At | undefined }[] = [];
  const missing: string[] = [];
  const out = text.replace(
    VARIABLE,
    (whole, escape: string | undefined, name: string, op: string | undefined, def: string | undefined) => {
      if (escape) return whole.slice(1);
      const v = vars.values.get(name);
      const emptyCounts = op?.startsWith(':');
      if (v && !(emptyCounts && v.value === '')) {
        used.push({ name, at: v.at });
        return v.value;
      }
      if (op !== undefined) {
        used.push({ name, at: undefined });
        return def ?? '';
      }
      missing.push(name);
      return strict ? whole : '';
    },
  );
  return { text: out, used, missing, unknown: missing.length > 0 && vars.unknownSources.length > 0 };
}

/** Whether strict substitution is the default for a Flux version (unknown version: the newest behaviour). */
export function strictByDefault(fluxVersion: string | undefined): boolean {
  const v = fluxVersion && parseFluxVersion(fluxVersion);
  if (!v) return true;
  return Number(v.split('.')[1]) >= STRICT_SUBSTITUTION_FROM_MINOR;
}

const notHoldingVariable = (n: RNode) => !holdsVariable(n);

/**
 * The objects of a directory applied by a Kustomization the repository does not show (the Flux Operator's sync, an
 * AKS fluxConfiguration, Terraform, another repository's Kustomization of a pushed artifact): whether it substitutes,
 * and with what, is unknown, so every value with a `${VAR}` use is unknown (a `$${VAR}` escape alone stays text).
 */
export function variablesUnknown(objects: RObject[], why: string): RObject[] {
  return objects.map((obj) => {
    if (annotationsOf(obj).get(SUBSTITUTE_ANNOTATION) === SUBSTITUTE_DISABLED) return obj;
    const node = mapScalars(
      obj.node,
      (s): RNode | undefined => {
        if (typeof s.value !== 'string') return undefined;
        const uses = variableUses(s.value);
        if (uses.length === 0) return undefined;
        return { type: 'unknown', why: `\${${uses[0].name}} is substituted, or not, by ${why}`, at: s.at };
      },
      notHoldingVariable,
    );
    return node !== obj.node ? { ...obj, node: node as RMap } : obj;
  });
}

/**
 * postBuild substitution over the objects of a Flux Kustomization. A value that needs a variable of an unknown
 * source becomes unknown; a missing variable in strict mode is a problem (the apply fails) and the value unknown.
 */
export function substituteObjects(
  objects: RObject[],
  vars: Variables,
  strict: boolean,
  out: BuildResult,
  ksName: string,
  memo?: BuildMemo,
): RObject[] {
  const one = (obj: RObject): { obj: RObject; problems: RenderProblem[] } => {
    const problems: RenderProblem[] = [];
    if (annotationsOf(obj).get(SUBSTITUTE_ANNOTATION) === SUBSTITUTE_DISABLED) return { obj, problems };
    const node = mapScalars(
      obj.node,
      (s): RNode | undefined => {
        if (typeof s.value !== 'string') return undefined;
        const r = substituteText(s.value, vars, strict);
        if (r.text === s.value && r.missing.length === 0) return undefined;
        const before = { text: s.value, at: s.at };
        if (r.unknown)
          return {
            type: 'unknown',
            why: `\${${r.missing[0]}} comes from ${vars.unknownSources.join(', ')}`,
            at: s.at,
          };
        if (r.missing.length > 0 && strict) {
          problems.push({
            at: s.at,
            message: `variable not set (strict mode): "${r.missing[0]}" — Kustomization ${ksName} fails to apply`,
            kind: 'failed',
          });
          return { type: 'unknown', why: `\${${r.missing[0]}} has no value and no default`, at: s.at };
        }
        const single = r.used.length === 1 && s.value.trim() === `\${${r.used[0].name}}` ? r.used[0].at : undefined;
        const scalar: RScalar = {
          type: 'scalar',
          value: r.text,
          at: single ?? withVia(s.at, 'substitution'),
          before,
        };
        return scalar;
      },
      notHoldingVariable,
    );
    return {
      obj:
        node !== obj.node
          ? { ...obj, node: node as RMap, changedBy: [...obj.changedBy, withVia(obj.node.at, 'substitution')] }
          : obj,
      problems,
    };
  };
  // The same variables (values and where they come from) substitute an unchanged object the same way.
  const key = memo?.intern(`${strict}\0${ksName}\0${variablesFingerprint(vars)}`);
  return objects.map((obj) => {
    const r = memo && key ? memo.step(obj, key, SUBSTITUTION, () => one(obj)) : one(obj);
    out.problems.push(...r.problems);
    return r.obj;
  });
}

const SUBSTITUTION = {};

/** A text equal for equal variables (values and where each comes from). */
export function variablesFingerprint(vars: Variables): string {
  const known = fingerprints.get(vars);
  if (known !== undefined) return known;
  const made = computeFingerprint(vars);
  fingerprints.set(vars, made);
  return made;
}

const fingerprints = new WeakMap<Variables, string>();

function computeFingerprint(vars: Variables): string {
  const parts: string[] = [vars.unknownSources.join('\u0001')];
  for (const [name, v] of vars.values) {
    const at = v.at;
    parts.push(
      `${name}=${v.value}@${at?.uri ?? ''}:${at?.range.start.line ?? ''}:${at?.range.start.character ?? ''}:` +
        `${at?.range.end.line ?? ''}:${at?.range.end.character ?? ''}:${at?.via ?? ''}:${at?.note ?? ''}`,
    );
  }
  return parts.join('\u0000');
}
