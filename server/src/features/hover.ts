import type { Hover, Position } from 'vscode-languageserver';
import type { ManifestFile } from '../document/manifest';
import type { FeatureContext } from './context';
import { hoverSite, type HoverAnswer, type HoverSite } from './hoverSite';
import { asoHover } from './hovers/aso';
import { fluxObjectHover } from './hovers/fluxObject';
import { fluxInstanceHover, kubeConfigMapHover, serviceAccountHover } from './hovers/misc';
import { patchHover } from './hovers/patches';
import { renderedSection } from './hovers/rendered';
import { roleHover } from './hovers/roles';
import { secretHover } from './hovers/secrets';
import { podTemplateHover } from './hovers/workloadIdentity';

type Provider = (site: HoverSite, ctx: FeatureContext) => HoverAnswer | undefined;

/** Each provider answers for one kind of document or value; the first answer wins. */
const PROVIDERS: readonly Provider[] = [
  fluxObjectHover,
  patchHover,
  secretHover,
  serviceAccountHover,
  (site, ctx) => (site.subject?.type === 'workload' ? podTemplateHover(site, ctx, site.loc.path) : undefined),
  asoHover,
  fluxInstanceHover,
  kubeConfigMapHover,
  roleHover,
];

/**
 * Hover on Flux/Azure fields, keys and values (also inside `patch: |` and `sops.azure-kv: |` block scalars), on
 * workload-identity annotations, labels, variables and flags, and on Azure role GUIDs and names anywhere. YAML that
 * is not about Flux on Azure gets nothing, so hovers of other YAML tooling are not duplicated. A value that Flux applies
 * differently (patched, substituted, transformed) also shows what Flux applies and where that came from.
 */
export function provideHover(file: ManifestFile, position: Position, ctx: FeatureContext): Hover | null {
  const offset = file.lines.offsetAt(position);
  const doc = file.docAt(offset);
  if (!doc) return null;
  const site = hoverSite(doc, offset - doc.offset);
  const scalar = site.loc.scalar;
  if (!scalar) return null;
  let answer: HoverAnswer | undefined;
  for (const provider of PROVIDERS) if ((answer = provider(site, ctx))) break;
  const rendered = renderedSection(site, ctx);
  if (!answer && !rendered) return null;
  const markdown = [answer?.markdown, rendered].filter(Boolean).join('\n\n---\n\n');
  return { contents: { kind: 'markdown', value: markdown }, range: doc.range(answer?.span ?? scalar) };
}
