/**
 * "Show rendered object": the object at a position as Flux applies it to each cluster that applies it (after
 * kustomize overlays and patches, Flux `spec.patches`, `targetNamespace` and postBuild substitution), as YAML, with
 * where each value came from so that the editor can say it in a hover. The editor's `flux build kustomization`,
 * offline.
 */
import { relative } from 'node:path';
import type { Position } from 'vscode-languageserver-types';
import type { RenderedObject, RenderedObjectResult, RenderedOrigin } from '../../../shared/src/protocol';
import { RENDERED_OBJECT_SCHEME } from '../../../shared/src/protocol';
import { emitYaml, type EmitNode } from '../document/emit';
import { parseManifest, type ManifestDoc, type ManifestFile } from '../document/manifest';
import type { Span, YamlNode } from '../document/nodes';
import type { Applied } from '../render/fleet';
import { idOf, type RObject } from '../render/object';
import type { At, RNode } from '../render/value';
import { uriToPath } from '../workspace/files';
import type { Cluster, WorkspaceIndex } from '../workspace/workspaceIndex';
import type { FeatureContext } from './context';

export function provideRenderedObject(
  file: ManifestFile,
  position: Position,
  ctx: FeatureContext,
): RenderedObjectResult {
  const doc = file.docAt(file.lines.offsetAt(position));
  if (!doc?.root || !doc.kind) return { objects: [], reason: 'There is no Kubernetes object at the cursor.' };
  const renderings = ctx.index.renderingsOf(file.uri, doc.index);
  if (renderings.length === 0) {
    const reason =
      ctx.index.clustersOf(file.uri).length === 0
        ? 'No cluster of the workspace applies this file (clusters are found from their flux-system folders or a FluxInstance).'
        : 'No Flux Kustomization of the clusters that reach this file applies this object.';
    return { objects: [], reason };
  }
  return { objects: renderings.map((r) => renderedObject(r, ctx.index)) };
}

function renderedObject(
  r: { cluster: Cluster; object: RObject; applied: Applied },
  index: WorkspaceIndex,
): RenderedObject {
  const id = idOf(r.object);
  const title = `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
  const header = [`${title} as Flux applies it to ${r.cluster.label} (${r.applied.label})`];
  for (const at of r.object.changedBy) header.push(`changed by ${describe(at, index)}`);
  const text = emitYaml(toEmit(r.object.node), header);
  const parsed = parseManifest(`${RENDERED_OBJECT_SCHEME}:/${encodeURIComponent(title)}`, 0, text);
  const doc = parsed.docs.find((d) => d.root);
  const origins: RenderedOrigin[] = [];
  if (doc) collectOrigins(doc, doc.root, r.object.node, origins);
  return { cluster: r.cluster.label, appliedBy: r.applied.label, title, text, origins };
}

function toEmit(node: RNode): EmitNode {
  switch (node.type) {
    case 'scalar':
      return { scalar: node.value };
    case 'unknown':
      return { scalar: null, comment: `unknown: ${node.why}` };
    case 'seq':
      return { seq: node.items.map(toEmit) };
    case 'map':
      return { map: [...node.entries].map(([k, e]) => [k, toEmit(e.value)] as const) };
  }
}

/** Walks the printed YAML beside the rendered tree: each printed value gets the origin of its rendered node. */
function collectOrigins(doc: ManifestDoc, printed: YamlNode | undefined, node: RNode, out: RenderedOrigin[]): void {
  const add = (span: Span, n: RNode) => out.push(originOf(doc, span, n));
  if (printed?.type === 'map' && node.type === 'map') {
    for (const pair of printed.pairs) {
      const entry = node.entries.get(pair.key.text);
      if (!entry) continue;
      const value = entry.value;
      if (value.type === 'scalar' || value.type === 'unknown')
        add({ start: pair.key.start, end: pair.value?.end ?? pair.key.end }, value);
      else {
        add(pair.key, value);
        collectOrigins(doc, pair.value, value, out);
      }
    }
  } else if (printed?.type === 'seq' && node.type === 'seq') {
    printed.items.forEach((item, i) => {
      const value = node.items[i];
      if (!value) return;
      if (value.type === 'scalar' || value.type === 'unknown') add(item, value);
      else collectOrigins(doc, item, value, out);
    });
  }
}

function originOf(doc: ManifestDoc, span: Span, node: RNode): RenderedOrigin {
  const at = node.at;
  return {
    range: doc.range(span),
    from: { uri: at.uri, range: at.range },
    via: at.via,
    ...(at.note ? { note: at.note } : {}),
    ...(node.type === 'scalar' && node.before ? { written: node.before.text } : {}),
    ...(node.type === 'unknown' ? { unknown: node.why } : {}),
  };
}

/** `patch (apps/prod/patch.yaml:3)`, relative to the workspace folder. */
function describe(at: At, index: WorkspaceIndex): string {
  const path = uriToPath(at.uri);
  const root = path && index.rootOf(path);
  const where = path ? (root ? relative(root, path) : path) : at.uri;
  return `${at.note ?? at.via} (${where}:${at.range.start.line + 1})`;
}
