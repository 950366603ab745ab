import { findPlaceholders, placeholderMeaning } from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import { isScalar, scalarValues, type ScalarNode } from '../../document/nodes';
import { fluxKindOf } from './helpers';
import { isFluxInstance, isKustomizeFile } from '../../workspace/facts';
import { readControllerPatches } from '../../workspace/controllerPatches';
import type { Finding, Rule } from './rule';

function relevant(doc: ManifestDoc): boolean {
  if (doc.group.endsWith('.fluxcd.io') || isKustomizeFile(doc) || isFluxInstance(doc)) return true;
  if (doc.group === '' && (doc.kind === 'ServiceAccount' || doc.kind === 'Secret')) return true;
  return doc.group.endsWith('.azure.com');
}

/** Values copied from the docs unchanged (`CLIENT_ID`, `<tenant ID>`, `(some-controller)`): one hint each. */
export const placeholders: Rule = {
  name: 'placeholder',
  applies: relevant,
  check: ({ doc }) => {
    if (doc.group.endsWith('.fluxcd.io') && !fluxKindOf(doc) && !isFluxInstance(doc)) return [];
    const scalars: ScalarNode[] = [...scalarValues(doc.root)];
    for (const p of isKustomizeFile(doc) || isFluxInstance(doc)
      ? readControllerPatches(doc, isKustomizeFile(doc) ? ['patches'] : ['spec', 'kustomize', 'patches'])
      : []) {
      if (p.body && 'exact' in p.body && p.body.exact) scalars.push(...scalarValues(p.body.root));
    }
    const findings: Finding[] = [];
    for (const s of scalars) {
      if (!isScalar(s) || s.style === 'literal' || s.style === 'folded') continue;
      const found = findPlaceholders(s.text);
      if (found.length === 0) continue;
      const meaning = placeholderMeaning(found[0].text);
      findings.push({
        code: 'flux-azure/placeholder',
        span: s,
        message: `'${found[0].text}' is a placeholder from the documentation${meaning ? `: replace it with the ${meaning.replace(/\.$/, '').replace(/^./, (c) => c.toLowerCase())}` : ''}. Other checks skip this value until it is filled in.`,
      });
    }
    return findings;
  },
};
