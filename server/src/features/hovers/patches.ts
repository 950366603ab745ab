import {
  annotationDef,
  controllerByName,
  controllersMatchedBy,
  envVarDef,
  fluxAzureDocs,
  JSON6902_OPS,
  JSON6902_PATH_DOCS,
  json6902PathId,
  OTHER_DOCS,
  PATCH_KINDS,
  serviceById,
} from '../../catalog';
import { nodeAt, textAt } from '../../document/nodes';
import type { ControllerPatch } from '../../workspace/controllerPatches';
import type { FeatureContext } from '../context';
import { pathMatches, type HoverAnswer, type HoverSite } from '../hoverSite';
import { annotationMarkdown, envVarMarkdown, flagMarkdown, link } from '../markdown';
import { patchesPathOf } from '../subject';
import { audienceMarkdown, envValueHover, podTemplateHover, serviceAccountAnnotationHover } from './workloadIdentity';

const CONTROLLER_LEVEL = link('Flux: controller-level identity', fluxAzureDocs('controllerLevel'));

/**
 * Hover in the patches of a flux-system kustomization (or a FluxInstance): the target (which controllers a name
 * regex selects), and inside the `patch: |` body the JSON6902 operations, paths and values, or the strategic-merge
 * ServiceAccount / Deployment.
 */
export function patchHover(site: HoverSite, ctx: FeatureContext): HoverAnswer | undefined {
  const patchesPath = patchesPathOf(site.subject);
  if (!patchesPath) return undefined;
  const n = patchesPath.length;
  const outer = site.outer.path;
  if (outer.length <= n || !patchesPath.every((s, i) => outer[i] === s) || typeof outer[n] !== 'number')
    return undefined;
  if (!site.nested) {
    const rest = outer.slice(n + 1);
    if (pathMatches(rest, ['target', 'name'])) {
      // A patch of another kind (an app's HelmRelease in an overlay) is no controller patch: nothing to say.
      const kind = site.doc.text([...outer.slice(0, n + 1), 'target', 'kind']);
      if (kind !== undefined && !PATCH_KINDS.some((p) => p.targetKind === kind)) return undefined;
      return targetNameHover(site, ctx);
    }
    if (pathMatches(rest, ['target', 'kind'])) return targetKindHover(site);
    return undefined;
  }
  const patch = site.nested.patch;
  const rel = site.loc.path;
  if (typeof rel[0] === 'number') return json6902Hover(site, ctx, rel, patch);
  const kind = textAt(site.nested.root, ['kind']) ?? patch?.targetKind;
  if (kind === 'ServiceAccount') return serviceAccountAnnotationHover(rel);
  if (kind === 'Deployment') return podTemplateHover(site, ctx, rel, patch);
  return undefined;
}

function targetNameHover(site: HoverSite, ctx: FeatureContext): HoverAnswer | undefined {
  if (site.loc.onKey || !site.loc.scalar) return undefined;
  const regex = site.loc.scalar.text;
  const selected = controllersMatchedBy(regex);
  // Beside a YAML server with schemas: only the Flux controllers the regex gives an Azure identity to.
  if (schemaServerOn(ctx) && !selected?.length) return undefined;
  const lines = ['**`target.name`** — a regular expression kustomize matches against the whole object name.', ''];
  if (selected === undefined) lines.push(`⚠ \`${regex}\` is not a valid regular expression.`);
  else if (selected.length === 0) lines.push('⚠ Selects no Flux controller: this patch changes nothing.');
  else {
    lines.push('Selects:');
    for (const name of selected) {
      const def = controllerByName(name);
      const services = (def?.azureServices ?? []).map((s) => serviceById(s)?.name ?? s);
      lines.push(`- **${name}**${services.length ? ` (${services.join(', ')})` : ''}`);
    }
  }
  lines.push('', link('Flux: bootstrap customization', OTHER_DOCS.bootstrapCustomization));
  return { markdown: lines.join('\n') };
}

function targetKindHover(site: HoverSite): HoverAnswer | undefined {
  if (site.loc.onKey || !site.loc.scalar) return undefined;
  const kind = site.loc.scalar.text;
  const patches = PATCH_KINDS.filter((p) => p.targetKind === kind);
  if (patches.length === 0) return undefined;
  return {
    markdown: [
      `**\`target.kind: ${kind}\`** — used by these Flux patches:`,
      ...patches.map((p) => `- **${p.title}**: ${p.description}`),
      '',
      CONTROLLER_LEVEL,
    ].join('\n'),
  };
}

/** An operation of a JSON6902 patch body: `op`, `path` and, by path, the value it adds. */
function json6902Hover(
  site: HoverSite,
  ctx: FeatureContext,
  rel: readonly (string | number)[],
  patch: ControllerPatch | undefined,
): HoverAnswer | undefined {
  const op = nodeAt(site.nested?.root, rel.slice(0, 1));
  const opPath = textAt(op, ['path']) ?? '';
  const inOp = rel.slice(1);
  const scalar = site.loc.scalar;
  if (!scalar || site.loc.onKey) return undefined;
  if (pathMatches(inOp, ['op'])) {
    // What a JSON6902 operation does is generic: a YAML server's schema describes it.
    if (schemaServerOn(ctx)) return undefined;
    const def = JSON6902_OPS.find((o) => o.op === scalar.text);
    return def ? { markdown: `**JSON6902 \`${def.op}\`** — ${def.description}\n\n${CONTROLLER_LEVEL}` } : undefined;
  }
  if (pathMatches(inOp, ['path'])) return pathHover(scalar.text);
  const id = json6902PathId(opPath);
  if (pathMatches(inOp, ['value'])) {
    if (id === 'args') {
      const text = flagMarkdown(scalar.text, ctx.index.fluxVersionFor(site.doc.file.uri));
      return text ? { markdown: text } : undefined;
    }
    const key = annotationKeyOf(opPath);
    const def = key ? annotationDef(key) : undefined;
    return def ? { markdown: annotationMarkdown(def) } : undefined;
  }
  if (id === 'env' && pathMatches(inOp, ['value', 'name'])) {
    const def = envVarDef(scalar.text);
    return def ? { markdown: envVarMarkdown(def) } : undefined;
  }
  if (id === 'env' && pathMatches(inOp, ['value', 'value']))
    return envValueHover(site, textAt(op, ['value', 'name']) ?? '', patch);
  if (id === 'volumes' && inOp[inOp.length - 1] === 'audience') return { markdown: audienceMarkdown(scalar.text) };
  return undefined;
}

function schemaServerOn(ctx: FeatureContext): boolean {
  return ctx.settings.yamlSchemaServer === 'on';
}

/** The annotation or label key a JSON6902 path sets (RFC 6901 unescaped), if any. */
function annotationKeyOf(path: string): string | undefined {
  const m = /^\/metadata\/annotations\/(.+)$/.exec(path) ?? /^\/spec\/template\/metadata\/labels\/(.+)$/.exec(path);
  return m ? m[1].replace(/~1/g, '/').replace(/~0/g, '~') : undefined;
}

function pathHover(path: string): HoverAnswer | undefined {
  const id = json6902PathId(path);
  if (id) return { markdown: `**\`${path}\`**\n\n${JSON6902_PATH_DOCS[id]}\n\n${CONTROLLER_LEVEL}` };
  const key = annotationKeyOf(path);
  const def = key ? annotationDef(key) : undefined;
  if (def)
    return { markdown: `**\`${path}\`** sets \`${def.key}\` (\`~1\` stands for \`/\`).\n\n${annotationMarkdown(def)}` };
  return undefined;
}
