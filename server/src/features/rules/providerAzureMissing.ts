import type { DiagnosticRelatedInformation } from 'vscode-languageserver';
import { ACR_HOST_REGEX, ADO_GIT_URL_REGEX, BLOB_ENDPOINT_REGEX, findPlaceholders } from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import { isMap } from '../../document/nodes';
import { nodeIn, textIn } from '../../render/value';
import { inClusters } from './clusterScope';
import { hostOf, isFluxDoc, replaceScalar } from './helpers';
import type { Fix, Rule } from './rule';

/** Which field holds the Azure endpoint per kind, and how to recognise it. */
const ENDPOINTS: Record<string, { path: string[]; test: (text: string) => boolean }> = {
  OCIRepository: { path: ['spec', 'url'], test: (t) => ACR_HOST_REGEX.test(hostOf(t.replace(/^oci:\/\//, '')) ?? '') },
  ImageRepository: { path: ['spec', 'image'], test: (t) => ACR_HOST_REGEX.test(hostOf(t) ?? '') },
  HelmRepository: {
    path: ['spec', 'url'],
    test: (t) => t.startsWith('oci://') && ACR_HOST_REGEX.test(hostOf(t.slice(6)) ?? ''),
  },
  GitRepository: { path: ['spec', 'url'], test: (t) => ADO_GIT_URL_REGEX.test(t) },
  Bucket: {
    path: ['spec', 'endpoint'],
    test: (t) => BLOB_ENDPOINT_REGEX.test(t.startsWith('http') ? t : `https://${t}`),
  },
};

/**
 * Rule 16 and the 2.7 change: an ACR / Azure DevOps / Blob endpoint with no Azure login configured. Since Flux 2.7
 * (auto-login flags removed) `provider: azure` is the only way to authenticate with Entra ID, for controller and
 * kubelet identity alike.
 */
export const providerAzureMissing: Rule = {
  name: 'provider-azure-missing',
  applies: (doc) => isFluxDoc(doc, ...Object.keys(ENDPOINTS)),
  check: ({ doc, index }) => {
    const endpoint = ENDPOINTS[doc.kind!];
    // Judged as Flux applies it: a kustomize patch, a component or a Flux patch may set the provider or secretRef.
    const renderings = index.renderingsOf(doc.file.uri, doc.index);
    let where = '';
    const related: DiagnosticRelatedInformation[] = [];
    if (renderings.length > 0) {
      const lacking = renderings.filter(({ object }) => {
        const node = object.node;
        const p = nodeIn(node, ['spec', 'provider']);
        const u = nodeIn(node, ['spec', ...endpoint.path.slice(1)]);
        if (p?.type === 'unknown' || u?.type === 'unknown' || nodeIn(node, ['spec', 'secretRef'])) return false;
        return textIn(node, ['spec', 'provider']) !== 'azure';
      });
      if (lacking.length === 0) return [];
      const all = renderings.map((r) => r.cluster);
      where = inClusters(
        lacking.map((r) => r.cluster),
        all,
      );
      // Where the other renderings get their login from (a patch, an overlay): the place to copy from.
      const seen = new Set<string>();
      for (const r of renderings) {
        if (lacking.includes(r)) continue;
        const p = nodeIn(r.object.node, ['spec', 'provider']);
        if (!p || p.at.uri === doc.file.uri || seen.has(`${p.at.uri}:${p.at.range.start.line}`)) continue;
        seen.add(`${p.at.uri}:${p.at.range.start.line}`);
        related.push({
          location: { uri: p.at.uri, range: p.at.range },
          message: `provider: azure comes from here${inClusters([r.cluster], all)}${p.at.note ? ` (${p.at.note})` : ''}`,
        });
      }
    }
    const url = doc.scalar(endpoint.path);
    if (!url || findPlaceholders(url.text).length > 0 || !endpoint.test(url.text)) return [];
    const provider = doc.scalar(['spec', 'provider']);
    if (provider?.text === 'azure' || doc.get(['spec', 'secretRef'])) return [];
    // GitRepository got `provider` in v1 (Flux 2.4); older API versions authenticate with secretRef only.
    if (doc.kind === 'GitRepository' && ((provider && provider.text !== 'generic') || !doc.apiVersion?.endsWith('/v1')))
      return [];
    return [
      {
        code: 'flux-azure/provider-azure-missing',
        span: provider ?? url,
        message:
          `This ${doc.kind} points at an Azure endpoint but has no secretRef and no provider: azure, so the controller makes no Entra ID login ` +
          `and the ${doc.kind === 'GitRepository' ? 'clone' : 'pull'} fails as unauthorized${where} (controller, kubelet and workload identities all need provider: azure).`,
        ...(related.length > 0 ? { related } : {}),
        fixes: addProvider(doc),
      },
    ];
  },
};

/** Sets `provider: azure`: replaces an existing value, or inserts the key as the first entry under `spec`. */
export function addProvider(doc: ManifestDoc): Fix[] {
  const existing = doc.scalar(['spec', 'provider']);
  if (existing)
    return [{ title: 'Set provider: azure', edits: replaceScalar(doc, existing, 'azure'), preferred: true }];
  const spec = doc.get(['spec']);
  if (!isMap(spec) || spec.flow || spec.pairs.length === 0) return [];
  const first = doc.position(spec.pairs[0].start);
  const eol = doc.file.eol;
  const at = { line: first.line, character: 0 };
  return [
    {
      title: 'Add provider: azure',
      edits: {
        [doc.file.uri]: [
          { range: { start: at, end: at }, newText: `${' '.repeat(first.character)}provider: azure${eol}` },
        ],
      },
      preferred: true,
    },
  ];
}
