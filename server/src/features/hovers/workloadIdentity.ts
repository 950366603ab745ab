import {
  AKS_WEBHOOK_INJECTION,
  annotationDef,
  cloudByAuthorityHost,
  ENV_AUTHORITY_HOST,
  ENV_FEDERATED_TOKEN_FILE,
  envVarDef,
  fluxAzureDocs,
  LABEL_USE,
  WORKLOAD_IDENTITY_AUDIENCE,
  type AnnotationDef,
} from '../../catalog';
import { nodeAt, textAt } from '../../document/nodes';
import type { ControllerPatch } from '../../workspace/controllerPatches';
import type { FeatureContext } from '../context';
import { pathMatches, type HoverAnswer, type HoverSite } from '../hoverSite';
import { annotationMarkdown, envVarMarkdown, flagMarkdown, link } from '../markdown';
import { tokenFilesIn } from '../patchFacts';

/** Hover on a ServiceAccount's workload-identity annotation (key or value), `rel` from the object's root. */
export function serviceAccountAnnotationHover(rel: readonly (string | number)[]): HoverAnswer | undefined {
  if (!(rel.length === 3 && rel[0] === 'metadata' && rel[1] === 'annotations')) return undefined;
  const def = annotationDef(String(rel[2]));
  return def ? { markdown: annotationMarkdown(def) } : undefined;
}

/**
 * Hover in a pod-owning object or a Deployment patch body, `rel` from its root: the workload-identity label (also
 * where it does nothing), pod annotations, `AZURE_*` variables and their values, controller arguments, and the
 * projected token's audience.
 */
export function podTemplateHover(
  site: HoverSite,
  ctx: FeatureContext,
  rel: readonly (string | number)[],
  patch?: ControllerPatch,
): HoverAnswer | undefined {
  const key = rel[rel.length - 1];
  const at = (...want: (string | number)[]) =>
    pathMatches(rel.slice(0, want.length), want) && rel.length === want.length + 1;
  if (at('spec', 'template', 'metadata', 'labels') || at('spec', 'template', 'metadata', 'annotations')) {
    const def = annotationDef(String(key));
    return def ? { markdown: annotationMarkdown(def) } : undefined;
  }
  if ((at('metadata', 'labels') || at('metadata', 'annotations')) && key === LABEL_USE) {
    const def = annotationDef(LABEL_USE) as AnnotationDef;
    return {
      markdown: `⚠ Here the label does nothing: the AKS webhook reads it from the **pod template** (\`spec.template.metadata.labels\`).\n\n${annotationMarkdown(def)}`,
    };
  }
  const containers = rel.indexOf('containers');
  if (containers < 0) return audienceHover(site, rel);
  const inContainer = rel.slice(containers + 2);
  if (pathMatches(inContainer, ['env', 0, 'name']) && !site.loc.onKey) {
    const def = envVarDef(site.loc.scalar?.text ?? '');
    return def ? { markdown: envVarMarkdown(def) } : undefined;
  }
  if (pathMatches(inContainer, ['env', 0, 'value']) && !site.loc.onKey) {
    const entry = nodeAt(site.nested?.root ?? site.doc.root, rel.slice(0, -1));
    return envValueHover(site, textAt(entry, ['name']) ?? '', patch);
  }
  if (pathMatches(inContainer, ['args', 0]) && site.loc.scalar) {
    const text = flagMarkdown(site.loc.scalar.text, ctx.index.fluxVersionFor(site.doc.file.uri));
    return text ? { markdown: text } : undefined;
  }
  return undefined;
}

/** An env value: the variable's meaning plus what this value selects (cloud) or whether it matches the mount. */
export function envValueHover(site: HoverSite, name: string, patch?: ControllerPatch): HoverAnswer | undefined {
  const def = envVarDef(name);
  const value = site.loc.scalar?.text ?? '';
  if (!def) return undefined;
  const lines = [envVarMarkdown(def)];
  if (name === ENV_AUTHORITY_HOST) {
    const cloud = cloudByAuthorityHost(value);
    lines.unshift(
      cloud
        ? `\`${value}\` selects **${cloud.name}**.`
        : `⚠ \`${value}\` is not a known Azure cloud authority host (private cloud?).`,
      '',
    );
  }
  if (name === ENV_FEDERATED_TOKEN_FILE && patch) {
    const files = tokenFilesIn([patch]);
    if (files.length > 0)
      lines.unshift(
        files.includes(value)
          ? '✓ Matches the projected token volume mounted by this patch.'
          : `⚠ The projected token mounted by this patch is at \`${files.join('`, `')}\`.`,
        '',
      );
    else if (value === AKS_WEBHOOK_INJECTION.tokenFile) lines.unshift('Where the AKS webhook mounts the token.', '');
  }
  return { markdown: lines.join('\n') };
}

/** The projected ServiceAccount token's audience. */
function audienceHover(site: HoverSite, rel: readonly (string | number)[]): HoverAnswer | undefined {
  if (rel[rel.length - 1] !== 'audience' || rel[rel.length - 2] !== 'serviceAccountToken' || site.loc.onKey)
    return undefined;
  const value = site.loc.scalar?.text;
  return { markdown: audienceMarkdown(value) };
}

export function audienceMarkdown(value: string | undefined): string {
  return [
    value === WORKLOAD_IDENTITY_AUDIENCE
      ? `✓ The audience Entra exchanges tokens for: \`${WORKLOAD_IDENTITY_AUDIENCE}\``
      : `⚠ Entra only exchanges tokens with audience \`${WORKLOAD_IDENTITY_AUDIENCE}\``,
    '',
    'The audience of the projected ServiceAccount token and of every federated identity credential for workload identity.',
    '',
    link('Flux: workload identity', fluxAzureDocs('workloadIdentity')),
  ].join('\n');
}
