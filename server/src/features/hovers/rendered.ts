import { posix, relative, sep } from 'node:path';
import { uriToPath } from '../../workspace/files';
import type { WorkspaceIndex } from '../../workspace/workspaceIndex';
import { nodeIn, type At, type RNode } from '../../render/value';
import type { FeatureContext } from '../context';
import type { HoverSite } from '../hoverSite';

const MAX_LINES = 6;

/**
 * What Flux makes of the value under the mouse, when that is not what the file says: the value as a patch, a
 * transformer or postBuild substitution left it, where that came from, and per cluster when clusters differ. A value
 * the repository cannot tell says why. Nothing when every rendering keeps the value as written (or none applies it).
 */
export function renderedSection(site: HoverSite, ctx: FeatureContext): string | undefined {
  if (site.nested || !site.outer.scalar || site.outer.onKey) return undefined;
  const renderings = ctx.index.renderingsOf(site.doc.file.uri, site.doc.index);
  if (renderings.length === 0) return undefined;
  const path = site.outer.path;
  const written = site.doc.range(site.outer.scalar);
  const lines = new Map<string, string[]>();
  for (const { cluster, object, applied } of renderings) {
    const node = nodeIn(object.node, path);
    const line = node && describe(node, written, site.doc.file.uri, ctx.index);
    if (!line) continue;
    const where = applied.by ? `${cluster.label}, ${applied.label}` : cluster.label;
    lines.set(line, [...(lines.get(line) ?? []), where]);
  }
  if (lines.size === 0) return undefined;
  const out = ['**As Flux applies it**', ''];
  for (const [line, where] of [...lines].slice(0, MAX_LINES)) out.push(`- ${line} (${where.join('; ')})`);
  if (lines.size > MAX_LINES) out.push(`- … and ${lines.size - MAX_LINES} more`);
  return out.join('\n');
}

/** One rendering of the value, or undefined when it is the value as written. */
function describe(node: RNode, written: At['range'], uri: string, index: WorkspaceIndex): string | undefined {
  if (node.type === 'unknown') return `not known from the repository: ${node.why}`;
  if (node.type !== 'scalar') return undefined;
  const here = node.at.uri === uri && sameStart(node.at.range, written);
  if (here && !node.before) return undefined;
  const value = `\`${String(node.value)}\``;
  if (node.before) {
    const from = node.at.via === 'substitution' && !here ? `, ${origin(node.at, index)}` : '';
    return `${value}: \`${node.before.text}\` substituted by postBuild${from}`;
  }
  return `${value}: ${origin(node.at, index)}`;
}

function sameStart(a: At['range'], b: At['range']): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character;
}

const VIA: Record<At['via'], string> = {
  file: 'from',
  patch: 'set by a kustomize patch at',
  'flux-patch': 'set by the Kustomization spec.patches at',
  substitution: 'from',
  transformer: 'set by',
  generated: 'generated at',
};

/** `set by a kustomize patch at apps/prod/provider.yaml:4 (patch in apps/prod/kustomization.yaml)`. */
function origin(at: At, index: WorkspaceIndex): string {
  const path = uriToPath(at.uri);
  const root = path && index.rootOf(path);
  const shown = path ? (root ? relative(root, path).split(sep).join(posix.sep) : path) : at.uri;
  const note = at.note ? ` (${at.note})` : '';
  return `${VIA[at.via]} ${shown}:${at.range.start.line + 1}${note}`;
}
