import type { DiagnosticRelatedInformation } from 'vscode-languageserver';
import { AZURE_ENDPOINTS, findPlaceholders } from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import { isMap } from '../../document/nodes';
import { nodeIn, textIn } from '../../render/value';
import { inClusters } from './clusterScope';
import { isFluxDoc, replaceScalar } from './helpers';
import type { Fix, Rule } from './rule';

/**
 * Rule 16 and the 2.7 change: an ACR / Azure DevOps / Blob endpoint with no Azure login configured. Since Flux 2.7
 * (auto-login flags removed) `provider: azure` is the only way to authenticate with Entra ID, for controller and
 * kubelet identity alike. Asserted as a failure (warning) only where the repository shows the host needs a login —
 * another source logs in to it — and the file is applied; otherwise an information: an ACR may allow anonymous pull,
 * and a file no cluster applies pulls nothing.
 */
export const providerAzureMissing: Rule = {
  name: 'provider-azure-missing',
  applies: (doc) => isFluxDoc(doc, ...Object.keys(AZURE_ENDPOINTS)),
  check: ({ doc, index }) => {
    const endpoint = AZURE_ENDPOINTS[doc.kind!];
    // Judged as Flux applies it: a kustomize patch, a component or a Flux patch may set the provider or secretRef.
    const renderings = index.renderingsOf(doc.file.uri, doc.index);
    const renderedHosts = new Set<string>();
    let where = '';
    const related: DiagnosticRelatedInformation[] = [];
    if (renderings.length > 0) {
      const lacking = renderings.filter(({ object }) => {
        const node = object.node;
        const p = nodeIn(node, ['spec', 'provider']);
        const u = nodeIn(node, endpoint.path);
        if (p?.type === 'unknown' || u?.type === 'unknown' || nodeIn(node, ['spec', 'secretRef'])) return false;
        return textIn(node, ['spec', 'provider']) !== 'azure';
      });
      if (lacking.length === 0) return [];
      for (const { object } of lacking) {
        const rendered = textIn(object.node, endpoint.path);
        const h = rendered && endpoint.azureHost(rendered);
        if (h) renderedHosts.add(h);
      }
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
    const host = url && findPlaceholders(url.text).length === 0 ? endpoint.azureHost(url.text) : undefined;
    if (!url || !host) return [];
    const provider = doc.scalar(['spec', 'provider']);
    if (provider?.text === 'azure' || doc.get(['spec', 'secretRef'])) return [];
    // GitRepository got `provider` in v1 (Flux 2.4); older API versions authenticate with secretRef only.
    if (doc.kind === 'GitRepository' && ((provider && provider.text !== 'generic') || !doc.apiVersion?.endsWith('/v1')))
      return [];
    const what = doc.kind === 'GitRepository' ? 'clone' : 'pull';
    const notApplied = index.clusters().length > 0 && (renderings.length === 0 || !index.readByCluster(doc.file.uri));
    const loggedInElsewhere = related.length > 0 || index.logsInTo([host, ...renderedHosts]);
    const base = `This ${doc.kind} points at an Azure endpoint but has no secretRef and no provider: azure, so the controller makes no Entra ID login`;
    const [message, severity] = notApplied
      ? [
          `${base}. No cluster of this repository applies this file, so nothing ${what}s with it yet; once applied, the ${what} fails as unauthorized unless ${host} allows anonymous access.`,
          3 as const,
        ]
      : loggedInElsewhere || doc.kind === 'GitRepository' || doc.kind === 'Bucket'
        ? [
            `${base} and the ${what} fails as unauthorized${where} (controller, kubelet and workload identities all need provider: azure).`,
            undefined,
          ]
        : [
            `${base}. No source in this repository logs in to ${host}: if the registry allows anonymous pull this is right; otherwise the ${what} fails as unauthorized${where} (controller, kubelet and workload identities all need provider: azure).`,
            3 as const,
          ];
    return [
      {
        code: 'flux-azure/provider-azure-missing',
        span: provider ?? url,
        message,
        ...(severity ? { severity } : {}),
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
