import type { DiagnosticRelatedInformation } from 'vscode-languageserver';
import { idOf, type RObject } from '../../render/object';
import { nodeIn } from '../../render/value';
import type { FleetRendering } from '../../render/fleet';
import type { Cluster } from '../../workspace/workspaceIndex';
import { inClusters } from './clusterScope';
import { displayPath, fluxObjectRule } from './helpers';
import type { Finding } from './rule';

/** The ServiceAccounts of a rendering (core group), each once. */
function serviceAccountsOf(rendering: FleetRendering): RObject[] {
  return rendering.applied.flatMap((a) =>
    a.objects.filter((o) => {
      const id = idOf(o);
      return id.kind === 'ServiceAccount' && id.group === '';
    }),
  );
}

/** Namespaces match when both are known and equal, or when either is not known (nothing to tell). */
function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return !a || !b || a === b;
}

/** A kustomization with `configurations:` may teach kustomize to rewrite Flux fields: the outcome is unknown. */
function customNameReferences(rendering: FleetRendering): boolean {
  return rendering.unknowns.some((u) => u.why.includes('`configurations`'));
}

/**
 * Issue 15 item 1: `namePrefix` / `nameSuffix` rename a ServiceAccount but kustomize does not rewrite the Flux fields
 * that name it (`spec.serviceAccountName`, `spec.decryption.serviceAccountName`), so the object names a
 * ServiceAccount that, where Flux applies it, exists only under its new name.
 */
export const renamedServiceAccount = fluxObjectRule('sa-renamed', ({ doc, index }, lookup) => {
  const paths = lookup.def.fields.filter((f) => f.path[f.path.length - 1] === 'serviceAccountName').map((f) => f.path);
  if (paths.length === 0) return [];
  const renderings = index.renderingsOf(doc.file.uri, doc.index);
  if (renderings.length === 0) return [];
  const findings: Finding[] = [];
  for (const path of paths) {
    const written = doc.scalar(path);
    if (!written || written.text === '' || written.text.includes('${')) continue;
    const hits = new Map<string, { cluster: Cluster; name: string; sa: RObject }>();
    for (const { cluster, object } of renderings) {
      const value = nodeIn(object.node, path);
      if (value?.type !== 'scalar' || typeof value.value !== 'string' || value.value === '') continue;
      const name = value.value;
      const namespace = idOf(object).namespace;
      const rendering = index.renderingOf(cluster);
      const accounts = serviceAccountsOf(rendering);
      if (accounts.some((sa) => idOf(sa).name === name && sameNamespace(idOf(sa).namespace, namespace))) continue;
      const sa = accounts.find((a) => a.renamed?.from === name && sameNamespace(idOf(a).namespace, namespace));
      if (!sa || customNameReferences(rendering)) continue;
      if (!hits.has(cluster.dir)) hits.set(cluster.dir, { cluster, name, sa });
    }
    if (hits.size === 0) continue;
    const found = [...hits.values()];
    const { name, sa } = found[0];
    const renamedTo = [...new Set(found.map((h) => idOf(h.sa).name))].map((n) => `'${n}'`).join(' / ');
    const by = sa.renamed!;
    const where = inClusters(
      found.map((h) => h.cluster),
      renderings.map((r) => r.cluster),
    );
    const related: DiagnosticRelatedInformation[] = [];
    const seen = new Set<string>();
    for (const h of found) {
      const r = h.sa.renamed!;
      const key = `${r.at.uri}:${r.at.range.start.line}`;
      if (!seen.has(key)) {
        seen.add(key);
        related.push({
          location: { uri: r.at.uri, range: r.at.range },
          message: `${r.by} renames ServiceAccount '${r.from}' to '${idOf(h.sa).name}'${inClusters(
            [h.cluster],
            renderings.map((x) => x.cluster),
          )}`,
        });
      }
      const saKey = `${h.sa.source.uri}#${h.sa.source.doc}`;
      if (!seen.has(saKey)) {
        seen.add(saKey);
        related.push({
          location: { uri: h.sa.source.uri, range: h.sa.source.range },
          message: `ServiceAccount ${r.from}, rendered as ${idOf(h.sa).namespace ?? ''}/${idOf(h.sa).name}`,
        });
      }
    }
    findings.push({
      code: 'flux-azure/sa-renamed-by-kustomize',
      span: written,
      message:
        `ServiceAccount '${name}' is renamed to ${renamedTo} by ${by.by} in ${displayPath(index, by.at.uri)}${where}, ` +
        `but kustomize does not rewrite ${path.join('.')} of a ${doc.kind}: Flux looks for '${name}', which does not exist there under that name. ` +
        `Name the rendered ServiceAccount here, or keep the ServiceAccount out of the renaming kustomization.`,
      related,
    });
  }
  return findings;
});
