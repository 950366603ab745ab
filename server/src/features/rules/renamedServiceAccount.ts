import type { DiagnosticRelatedInformation } from 'vscode-languageserver';
import { idOf, type RObject } from '../../render/object';
import { nodeIn } from '../../render/value';
import type { AccountsView } from '../../render/views';
import type { Cluster } from '../../workspace/workspaceIndex';
import { inClusters } from './clusterScope';
import { displayPath, fluxObjectRule } from './helpers';
import type { Finding } from './rule';

/** The ServiceAccounts of a rendering (core group) by rendered name and by the name they had before a rename. */
interface AccountIndex {
  readonly byName: ReadonlyMap<string, readonly RObject[]>;
  readonly byOldName: ReadonlyMap<string, readonly RObject[]>;
  /** A kustomization with `configurations:` may teach kustomize to rewrite Flux fields: the outcome is unknown. */
  readonly customNameReferences: boolean;
}

/** Built once per rendering: every Flux object of the cluster asks. */
const accountIndexes = new WeakMap<AccountsView, AccountIndex>();

function accountIndex(rendering: AccountsView): AccountIndex {
  const cached = accountIndexes.get(rendering);
  if (cached) return cached;
  const byName = new Map<string, RObject[]>();
  const byOldName = new Map<string, RObject[]>();
  const add = (map: Map<string, RObject[]>, key: string, o: RObject) => {
    const list = map.get(key);
    if (list) list.push(o);
    else map.set(key, [o]);
  };
  for (const o of rendering.objects) {
    const id = idOf(o);
    if (id.kind !== 'ServiceAccount' || id.group !== '') continue;
    add(byName, id.name, o);
    if (o.renamed) add(byOldName, o.renamed.from, o);
  }
  const customNameReferences = rendering.unknowns.some((u) => u.why.includes('`configurations`'));
  const found = { byName, byOldName, customNameReferences };
  accountIndexes.set(rendering, found);
  return found;
}

/** Namespaces match when both are known and equal, or when either is not known (nothing to tell). */
function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return !a || !b || a === b;
}

/**
 * Issue 15 item 1: `namePrefix` / `nameSuffix` rename a ServiceAccount but kustomize does not rewrite the Flux fields
 * that name it (`spec.serviceAccountName`, `spec.decryption.serviceAccountName`), so the object names a
 * ServiceAccount that, where Flux applies it, exists only under its new name.
 */
export const renamedServiceAccount = fluxObjectRule('sa-renamed', ({ doc, index }, lookup) => {
  // Only fields written in this document: the finding goes on the line to change.
  const written = lookup.def.fields
    .filter((f) => f.path[f.path.length - 1] === 'serviceAccountName')
    .map((f) => ({ path: f.path, scalar: doc.scalar(f.path) }))
    .filter((w) => !!w.scalar && w.scalar.text !== '' && !w.scalar.text.includes('${'));
  if (written.length === 0) return [];
  const renderings = index.renderingsOf(doc.file.uri, doc.index);
  if (renderings.length === 0) return [];
  const all = renderings.map((r) => r.cluster);
  const findings: Finding[] = [];
  for (const { path, scalar } of written) {
    const hits = new Map<string, { cluster: Cluster; name: string; sa: RObject }>();
    for (const { cluster, object } of renderings) {
      const value = nodeIn(object.node, path);
      if (value?.type !== 'scalar' || typeof value.value !== 'string' || value.value === '') continue;
      const name = value.value;
      const namespace = idOf(object).namespace;
      const accounts = accountIndex(index.renderedAccounts(cluster));
      if ((accounts.byName.get(name) ?? []).some((sa) => sameNamespace(idOf(sa).namespace, namespace))) continue;
      const sa = accounts.byOldName.get(name)?.find((a) => sameNamespace(idOf(a).namespace, namespace));
      if (!sa || accounts.customNameReferences) continue;
      if (!hits.has(cluster.dir)) hits.set(cluster.dir, { cluster, name, sa });
    }
    if (hits.size === 0) continue;
    const found = [...hits.values()];
    const { name, sa } = found[0];
    const renamedTo = [...new Set(found.map((h) => idOf(h.sa).name))].map((n) => `'${n}'`).join(' / ');
    const by = sa.renamed!;
    const related: DiagnosticRelatedInformation[] = [];
    const seen = new Set<string>();
    for (const h of found) {
      const r = h.sa.renamed!;
      const key = `${r.at.uri}:${r.at.range.start.line}`;
      if (!seen.has(key)) {
        seen.add(key);
        related.push({
          location: { uri: r.at.uri, range: r.at.range },
          message: `${r.by} renames ServiceAccount '${r.from}' to '${idOf(h.sa).name}'${inClusters([h.cluster], all)}`,
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
      span: scalar!,
      message:
        `ServiceAccount '${name}' is renamed to ${renamedTo} by ${by.by} in ${displayPath(index, by.at.uri)}` +
        `${inClusters(
          found.map((h) => h.cluster),
          all,
        )}, but kustomize does not rewrite ${path.join('.')} of a ${doc.kind}: Flux looks for '${name}', which does not exist there under that name. ` +
        `Name the rendered ServiceAccount here, or keep the ServiceAccount out of the renaming kustomization.`,
      related,
    });
  }
  return findings;
});
