/**
 * kustomize `replacements`: copy one field of a source object (or a delimited part of it) into fields of the objects
 * the targets select. The replaced value keeps the source's position (a hover names where it came from). A source
 * that is not in the build, or not a single scalar, makes each target field unknown rather than wrong.
 */
import { matchesTarget, type PatchTarget } from './selectors';
import type { RObject } from './object';
import { itemsOf, nodeIn, setIn, textIn, withVia, type At, type Path, type RNode } from './value';

const ID_FIELDS = ['group', 'version', 'kind', 'name', 'namespace'] as const;

/** Reads a ResId-like selector (`source`, `select`, a `reject` item). */
function selectorOf(node: RNode | undefined): PatchTarget | undefined {
  if (node?.type !== 'map') return undefined;
  const out: PatchTarget = {};
  for (const f of [...ID_FIELDS, 'labelSelector', 'annotationSelector'] as const) {
    const v = textIn(node, [f]);
    if (v !== undefined) out[f] = f === 'name' || f === 'namespace' ? escapeRegExp(v) : v;
  }
  return out;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Splits `spec.template.spec.containers.[name=manager].args.0` at the dots outside brackets. */
function segmentsOf(fieldPath: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of fieldPath) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '.' && depth === 0) {
      out.push(current);
      current = '';
    } else current += ch;
  }
  out.push(current);
  return out.filter((s) => s !== '');
}

/** The concrete paths a field path names in `root` (several with `*`); `create` adds missing map keys. */
function resolve(root: RNode, fieldPath: string, create: boolean): Path[] {
  let paths: { path: (string | number)[]; node: RNode | undefined }[] = [{ path: [], node: root }];
  for (const seg of segmentsOf(fieldPath)) {
    const next: typeof paths = [];
    for (const { path, node } of paths) {
      const select = /^\[([^=\]]+)=([^\]]*)\]$/.exec(seg);
      if (select) {
        if (node?.type !== 'seq') continue;
        node.items.forEach((item, i) => {
          if (textIn(item, [select[1]]) === select[2]) next.push({ path: [...path, i], node: item });
        });
      } else if (seg === '*') {
        if (node?.type === 'seq') node.items.forEach((item, i) => next.push({ path: [...path, i], node: item }));
        else if (node?.type === 'map')
          for (const [k, e] of node.entries) next.push({ path: [...path, k], node: e.value });
      } else if (/^\d+$/.test(seg) && node?.type === 'seq') {
        const i = Number(seg);
        if (i < node.items.length) next.push({ path: [...path, i], node: node.items[i] });
      } else if (node?.type === 'map') {
        const child = node.entries.get(seg)?.value;
        if (child || create) next.push({ path: [...path, seg], node: child });
      } else if (node === undefined && create) next.push({ path: [...path, seg], node: undefined });
    }
    paths = next;
  }
  return paths.map((p) => p.path);
}

/** The replacement value: the source field, or one part of it (`options.delimiter` and `options.index`). */
function sourceValue(objects: readonly RObject[], source: RNode | undefined, note: string): RNode | string {
  const sel = selectorOf(source);
  if (!sel) return 'the replacement has no source';
  const found = objects.filter((o) => matchesTarget(o, sel));
  const describe = [sel.kind, textIn(source, ['name'])].filter(Boolean).join(' ');
  if (found.length !== 1)
    return found.length === 0
      ? `replacement source ${describe} is not in this build`
      : `replacement source ${describe} is not unique`;
  const fieldPath = textIn(source, ['fieldPath']) ?? 'metadata.name';
  const [path] = resolve(found[0].node, fieldPath, false);
  const node = path && nodeIn(found[0].node, path);
  if (node?.type === 'unknown') return node.why;
  if (node?.type !== 'scalar') return `replacement source ${describe} has no scalar at ${fieldPath}`;
  const delimiter = textIn(source, ['options', 'delimiter']);
  const index = Number(textIn(source, ['options', 'index']) ?? 0);
  const text = String(node.value);
  const value = delimiter ? text.split(delimiter)[index] : node.value;
  if (value === undefined) return `replacement source ${describe}: no part ${index} of '${text}'`;
  const at: At = withVia(node.at, 'transformer', note);
  return { type: 'scalar', value, at };
}

/** Applies a kustomization's `replacements` (already read: inline items, or the items of their `path:` files). */
export function applyReplacements(
  objects: RObject[],
  replacements: readonly RNode[],
  note: string,
  out: { readonly unknowns: { at: At | undefined; why: string }[] },
): RObject[] {
  let result = objects;
  for (const replacement of replacements) {
    const value = sourceValue(result, nodeIn(replacement, ['source']), note);
    if (typeof value === 'string') out.unknowns.push({ at: replacement.at, why: value });
    for (const target of itemsOf(nodeIn(replacement, ['targets']))) {
      const select = selectorOf(nodeIn(target, ['select']));
      if (!select) continue;
      const rejects = itemsOf(nodeIn(target, ['reject']))
        .map(selectorOf)
        .filter((r): r is PatchTarget => !!r);
      const create = textIn(target, ['options', 'create']) === 'true';
      const delimiter = textIn(target, ['options', 'delimiter']);
      const index = Number(textIn(target, ['options', 'index']) ?? 0);
      result = result.map((obj) => {
        if (!matchesTarget(obj, select) || rejects.some((r) => matchesTarget(obj, r))) return obj;
        let node: RNode = obj.node;
        for (const fp of itemsOf(nodeIn(target, ['fieldPaths']))) {
          if (fp.type !== 'scalar' || typeof fp.value !== 'string') continue;
          for (const path of resolve(node, fp.value, create)) {
            let next: RNode = typeof value === 'string' ? { type: 'unknown', why: value, at: replacement.at } : value;
            const old = nodeIn(node, path);
            if (delimiter && next.type === 'scalar' && old?.type === 'scalar') {
              const parts = String(old.value).split(delimiter);
              if (index >= 0 && index < parts.length) parts[index] = String(next.value);
              next = { ...next, value: parts.join(delimiter) };
            }
            node = setIn(node, path, next);
          }
        }
        return node === obj.node || node.type !== 'map'
          ? obj
          : { ...obj, node, changedBy: [...obj.changedBy, withVia(replacement.at, 'transformer', note)] };
      });
    }
  }
  return result;
}
