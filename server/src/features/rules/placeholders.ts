import {
  BUCKET_AZURE_SECRET_KEYS,
  fieldDef,
  findPlaceholders,
  placeholderMeaning,
  SOPS_AZURE_KV_KEY,
  type KindDef,
  FLUX_INSTANCE_PATCHES_PATH,
} from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import { entries, isScalar, scalarValues, type ScalarNode, type YamlNode } from '../../document/nodes';
import { fluxKindOf } from './helpers';
import { isFluxInstance, isKustomizeFile } from '../../workspace/facts';
import { readControllerPatches } from '../../workspace/controllerPatches';
import type { Finding, Rule } from './rule';

function relevant(doc: ManifestDoc): boolean {
  if (doc.group.endsWith('.fluxcd.io') || isKustomizeFile(doc) || isFluxInstance(doc)) return true;
  if (doc.group === '' && (doc.kind === 'ServiceAccount' || doc.kind === 'Secret')) return true;
  return doc.group.endsWith('.azure.com');
}

const SECRET_KEYS = new Set<string>([...BUCKET_AZURE_SECRET_KEYS.map((k) => k.key), SOPS_AZURE_KV_KEY]);

/** The values of a document that carry Azure settings: only those are judged for placeholders. */
function azureValues(doc: ManifestDoc): ScalarNode[] {
  const out: ScalarNode[] = [];
  const push = (node: YamlNode | undefined) => out.push(...scalarValues(node));
  if (doc.group.endsWith('.azure.com')) push(doc.root);
  else if (doc.kind === 'ServiceAccount') {
    for (const p of entries(doc.get(['metadata', 'annotations'])))
      if (p.key.text.startsWith('azure.workload.identity/')) push(p.value);
  } else if (doc.kind === 'Secret') {
    for (const p of entries(doc.get(['stringData']))) if (SECRET_KEYS.has(p.key.text)) push(p.value);
  } else if (isKustomizeFile(doc) || isFluxInstance(doc)) {
    for (const p of readControllerPatches(doc, isKustomizeFile(doc) ? ['patches'] : FLUX_INSTANCE_PATCHES_PATH)) {
      if (p.targetName) out.push(p.targetName);
      if (p.body && 'exact' in p.body && p.body.exact) push(p.body.root);
    }
  } else {
    const lookup = fluxKindOf(doc);
    if (!lookup) return [];
    // The scalars under `spec` reached through maps only (sequence values are not catalog fields), in document order.
    const walk = (node: YamlNode | undefined, path: string[]): void => {
      for (const p of entries(node)) {
        if (p.value?.type === 'scalar') {
          if (isAzureField(lookup.def, [...path, p.key.text])) out.push(p.value);
        } else if (p.value?.type === 'map') walk(p.value, [...path, p.key.text]);
      }
    };
    walk(doc.get(['spec']), ['spec']);
  }
  return out;
}

/** Whether the catalog marks the field at `path` of a kind as an Azure setting (memoized per kind and path). */
function isAzureField(def: KindDef, path: readonly string[]): boolean {
  let byPath = azureFields.get(def);
  if (!byPath) azureFields.set(def, (byPath = new Map()));
  const key = path.join('\u0000');
  let azure = byPath.get(key);
  if (azure === undefined) byPath.set(key, (azure = !!fieldDef(def, path)?.azure));
  return azure;
}

const azureFields = new WeakMap<KindDef, Map<string, boolean>>();

/** Values copied from the docs unchanged (`CLIENT_ID`, `<tenant ID>`, `(some-controller)`): one note each. */
export const placeholders: Rule = {
  name: 'placeholder',
  applies: relevant,
  check: ({ doc }) => {
    const findings: Finding[] = [];
    for (const s of azureValues(doc)) {
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
