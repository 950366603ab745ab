import type { DiagnosticRelatedInformation } from 'vscode-languageserver';
import { FLUX_API_GROUPS, SOPS_METADATA_KEY } from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import { isMap, pairOf } from '../../document/nodes';
import { sourceKey, type Applied, type FleetRendering } from '../../render/fleet';
import { nodeIn } from '../../render/value';
import type { Cluster } from '../../workspace/workspaceIndex';
import { inClusters, joinAnd } from './clusterScope';
import { displayPath } from './helpers';
import type { Finding, Fix, Rule } from './rule';

/** Encrypted files listed in a message before "and N more". */
const LISTED = 3;

/** What each Flux Kustomization of a rendering applies, by the document it is written in (built once per rendering). */
const appliedByKustomization = new WeakMap<FleetRendering, Map<string, Applied[]>>();

function appliedBy(rendering: FleetRendering, uri: string, doc: number): readonly Applied[] {
  let map = appliedByKustomization.get(rendering);
  if (!map) {
    map = new Map();
    for (const a of rendering.applied) {
      if (!a.by) continue;
      const key = sourceKey(a.by.source.uri, a.by.source.doc);
      const list = map.get(key);
      if (list) list.push(a);
      else map.set(key, [a]);
    }
    appliedByKustomization.set(rendering, map);
  }
  return map.get(sourceKey(uri, doc)) ?? [];
}

/**
 * Issue 15 item 6: SOPS-encrypted manifests (a top-level `sops:` key) that a Flux Kustomization applies without
 * `spec.decryption` reach the API server encrypted. Judged on the Kustomization as rendered (a patch may add the
 * decryption); files applied by a Kustomization the repository does not show are not judged.
 */
export const sopsDecryptionMissing: Rule = {
  name: 'sops-decryption-missing',
  applies: (doc) => doc.kind === 'Kustomization' && doc.group === FLUX_API_GROUPS.kustomize,
  check: ({ doc, index, clusters }) => {
    const encrypted = new Map<string, { uri: string; range: DiagnosticRelatedInformation['location']['range'] }>();
    const affected: Cluster[] = [];
    const renderedIn: Cluster[] = [];
    for (const cluster of clusters) {
      for (const applied of appliedBy(index.renderingOf(cluster), doc.file.uri, doc.index)) {
        const by = applied.by!;
        renderedIn.push(cluster);
        if (nodeIn(by.node, ['spec', 'decryption']) !== undefined) continue;
        let hit = false;
        for (const object of applied.objects) {
          const sops = object.node.entries.get(SOPS_METADATA_KEY);
          if (sops?.value.type !== 'map') continue;
          hit = true;
          const key = `${object.source.uri}#${object.source.doc}`;
          if (!encrypted.has(key)) encrypted.set(key, { uri: sops.key.uri, range: sops.key.range });
        }
        if (hit) affected.push(cluster);
      }
    }
    if (encrypted.size === 0) return [];
    const files = [...new Set([...encrypted.values()].map((e) => displayPath(index, e.uri)))];
    const listed = files.length > LISTED ? [...files.slice(0, LISTED), `${files.length - LISTED} more`] : files;
    const spec = pairOf(doc.root, 'spec');
    const finding: Finding = {
      code: 'flux-azure/sops-decryption-missing',
      span: spec?.key ?? doc.root ?? { start: 0, end: 0 },
      message:
        `Kustomization '${doc.name ?? ''}' applies SOPS-encrypted ${files.length === 1 ? 'file' : 'files'} ${joinAnd(listed)}` +
        `${inClusters(affected, renderedIn)} but has no spec.decryption, so kustomize-controller sends the encrypted values as they are and the apply fails. ` +
        `Add spec.decryption with provider: sops.`,
      related: [...encrypted.values()].map((e) => ({
        location: { uri: e.uri, range: e.range },
        message: `SOPS metadata of ${displayPath(index, e.uri)}`,
      })),
      fixes: addDecryption(doc),
    };
    return [finding];
  },
};

/** Inserts `decryption: {provider: sops}` as the first entry of a block `spec` that has none. */
function addDecryption(doc: ManifestDoc): Fix[] {
  const spec = doc.get(['spec']);
  if (!isMap(spec) || spec.flow || spec.pairs.length === 0 || pairOf(spec, 'decryption')) return [];
  const first = doc.position(spec.pairs[0].start);
  const pad = ' '.repeat(first.character);
  const eol = doc.file.eol;
  const at = { line: first.line, character: 0 };
  return [
    {
      title: 'Add spec.decryption with provider: sops',
      edits: {
        [doc.file.uri]: [
          { range: { start: at, end: at }, newText: `${pad}decryption:${eol}${pad}  provider: sops${eol}` },
        ],
      },
      preferred: true,
    },
  ];
}
