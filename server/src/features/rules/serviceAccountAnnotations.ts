import {
  ANNOTATION_CLIENT_ID,
  ANNOTATION_TENANT_ID,
  findPlaceholders,
  isGuid,
  isPlaceholder,
  isTemplated,
  kindByName,
  REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS,
} from '../../catalog';
import type { WorkspaceIndex } from '../../workspace/workspaceIndex';
import { nodeIn, type At, type RScalar } from '../../render/value';
import { inClusters, joinAnd } from './clusterScope';
import { isScalar } from '../../document/nodes';
import type { ServiceAccountFact } from '../../workspace/facts';
import { fluxObjectRule, indirectIdentityUses, namespaceOf, workloadIdentityUses } from './helpers';
import type { Finding, Fix, Rule } from './rule';

/**
 * Rule 12: the ServiceAccount an object impersonates must exist (in the object's namespace) and carry both the
 * client-id and tenant-id annotations, as GUIDs. Flux needs the tenant id even where the AKS webhook does not.
 */
export const serviceAccountAnnotations: Rule = fluxObjectRule('sa-annotations', ({ doc, index }, lookup) => {
  const findings: Finding[] = [];
  const namespace = namespaceOf(doc, index);
  // The ServiceAccounts this object names, and those named for it by a ConfigMap (a remote cluster's kubeConfig),
  // which no rule of its own checks. A GitRepository an automation pushes with is checked on the GitRepository.
  const uses = [
    ...workloadIdentityUses(doc, lookup, index).map((u) => ({
      serviceAccount: u.serviceAccount,
      name: u.serviceAccount.text,
    })),
    ...indirectIdentityUses(doc, lookup, index)
      .filter((u) => !kindByName(u.through.kind))
      .map((u) => ({ serviceAccount: u.reference, name: u.through.serviceAccountName ?? '' })),
  ];
  for (const { serviceAccount, name } of uses) {
    if (isPlaceholder(name) || name.includes('${') || isTemplated(name)) continue; // placeholder rule; template input
    const found = index.serviceAccounts(name, namespace, doc.file.uri);
    if (found.length === 0) {
      if (index.fileCount > 0) {
        findings.push({
          code: 'flux-azure/sa-not-found',
          span: serviceAccount,
          message: `ServiceAccount '${name}'${namespace ? ` in namespace '${namespace}'` : ''} is not defined in this workspace. Flux will fail with "ServiceAccount not found" unless it is created elsewhere; it needs the ${REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS.join(' and ')} annotations.`,
        });
      }
      continue;
    }
    const sa = found[0];
    const related = [
      { location: { uri: sa.uri, range: sa.range }, message: `ServiceAccount ${sa.namespace ?? ''}/${sa.name}` },
    ];
    // As Flux applies the ServiceAccount: a patch of an overlay often adds the annotations to a base's account.
    const rendered = renderedAt(index, sa);
    const lacking = (key: string) =>
      rendered.filter((r) => !nodeIn(r.object.node, ['metadata', 'annotations', key])).map((r) => r.cluster);
    const missing = REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS.filter((k) =>
      rendered.length > 0 ? lacking(k).length > 0 : !(k in sa.annotations),
    );
    if (missing.length > 0) {
      // Named clusters only when some renderings have the annotations (a patch of one overlay adds them).
      const affected = new Set(missing.flatMap(lacking));
      const all = new Set(rendered.map((r) => r.cluster));
      const where = affected.size < all.size ? inClusters(affected, all) : '';
      findings.push({
        code: 'flux-azure/sa-missing-annotations',
        span: serviceAccount,
        message:
          `ServiceAccount '${name}' lacks the ${missing.map((m) => `'${m}'`).join(' and ')} annotation${missing.length > 1 ? 's' : ''}${where}. ` +
          `Flux object-level workload identity fails at runtime ("${missing.includes(ANNOTATION_TENANT_ID) ? 'azure tenant ID' : 'azure client ID'} is not set in the service account annotation"). ` +
          `Annotate the ServiceAccount with the managed identity's client id and tenant id.`,
        related,
        fixes: annotationFixes(index, sa, missing),
      });
    }
    for (const key of REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS) {
      const value = sa.annotations[key];
      // Added by a patch: a value written there is judged on the patch; one postBuild substitutes is judged here.
      if (value === undefined && rendered.length > 0) {
        findings.push(...substitutedAnnotation(index, sa, key, name, serviceAccount, true));
        continue;
      }
      if (value === undefined || isGuid(value) || findPlaceholders(value).length > 0) continue;
      if (isTemplated(value) && !value.includes('${')) continue; // a Helm or ResourceSet template fills it in
      if (value.includes('${')) {
        findings.push(...substitutedAnnotation(index, sa, key, name, serviceAccount));
        continue;
      }
      findings.push({
        code: 'flux-azure/sa-annotation-not-guid',
        span: serviceAccount,
        message: `ServiceAccount '${name}' has ${key}: '${value}', which is not a GUID. Entra ID will reject the token exchange.`,
        related,
      });
    }
  }
  return findings;
});

/**
 * An annotation written as `${VAR}`: judged on what postBuild makes of it in each Kustomization that applies the
 * ServiceAccount. A value from outside the repository is unknown (silent); no postBuild means the literal text reaches
 * the cluster.
 */
function substitutedAnnotation(
  index: WorkspaceIndex,
  sa: ServiceAccountFact,
  key: string,
  name: string,
  span: Finding['span'],
  onlySubstituted = false,
): Finding[] {
  // One finding per outcome (the same substituted value, or no postBuild), naming every Kustomization and cluster.
  const outcomes = new Map<string, { node: RScalar; where: string[]; sources: RScalar['at'][] }>();
  for (const { object, applied, cluster } of renderedAt(index, sa)) {
    const node = nodeIn(object.node, ['metadata', 'annotations', key]);
    if (node?.type !== 'scalar' || typeof node.value !== 'string' || isGuid(node.value)) continue;
    if (onlySubstituted && !node.before) continue;
    const outcome = node.before ? `=${node.value}` : '';
    const where = `${applied.label} in \`${cluster.label}\``;
    const found = outcomes.get(outcome);
    if (!found) outcomes.set(outcome, { node, where: [where], sources: [node.at] });
    else {
      if (!found.where.includes(where)) found.where.push(where);
      if (!found.sources.some((a) => a.uri === node.at.uri && a.range.start.line === node.at.range.start.line))
        found.sources.push(node.at);
    }
  }
  const out: Finding[] = [];
  for (const { node, where: places, sources } of outcomes.values()) {
    const written = node.before?.text ?? String(node.value);
    const where = joinAnd(places);
    out.push({
      code: 'flux-azure/sa-annotation-not-guid',
      span,
      message: node.before
        ? `ServiceAccount '${name}' has ${key}: '${written}', which ${where} ${places.length > 1 ? 'substitute' : 'substitutes'} to '${node.value}', not a GUID. Entra ID will reject the token exchange.`
        : `ServiceAccount '${name}' has ${key}: '${written}', and ${where} ${places.length > 1 ? 'have' : 'has'} no spec.postBuild, so the text '${written}' reaches the cluster as it is. Add postBuild.substitute / substituteFrom to that Kustomization, or write the client id.`,
      related: [
        { location: { uri: sa.uri, range: sa.range }, message: `ServiceAccount ${sa.namespace ?? ''}/${sa.name}` },
        ...(node.before
          ? sources.map((at) => ({ location: { uri: at.uri, range: at.range }, message: at.note ?? 'value' }))
          : []),
      ],
    });
  }
  return out;
}

/** The renderings of the document a fact was read from. */
function renderedAt(index: WorkspaceIndex, fact: ServiceAccountFact) {
  for (let d = 0, empty = 0; d < 500 && empty < 20; d++) {
    const found = index.renderingsOf(fact.uri, d);
    empty = found.length === 0 ? empty + 1 : 0;
    const first = found[0]?.object.source.range;
    if (first && first.start.line <= fact.range.start.line && fact.range.start.line <= first.end.line) return found;
  }
  return [];
}

/** Adds missing annotations with values seen elsewhere in the workspace (the tenant is usually the same). */
function annotationFixes(index: WorkspaceIndex, sa: ServiceAccountFact, missing: readonly string[]): Fix[] {
  if (!sa.annotationsInsert) return [];
  const values: Record<string, string> = {};
  for (const key of missing) {
    if (key === ANNOTATION_CLIENT_ID) return []; // the identity itself cannot be guessed
    const seen = new Map<string, number>();
    for (const other of index.allServiceAccounts()) {
      const v = other.annotations[key];
      if (v && isGuid(v)) seen.set(v, (seen.get(v) ?? 0) + 1);
    }
    const best = [...seen].sort((a, b) => b[1] - a[1])[0]?.[0];
    if (!best) return [];
    values[key] = best;
  }
  const ins = sa.annotationsInsert;
  const pad = ' '.repeat(ins.indent);
  const lines = Object.entries(values)
    .map(([k, v]) => `${pad}${k}: ${JSON.stringify(v)}${ins.eol}`)
    .join('');
  const text = ins.header ? `${' '.repeat(ins.header)}annotations:${ins.eol}${lines}` : lines;
  return [
    {
      title: `Add ${Object.keys(values).join(', ')} to ServiceAccount '${sa.name}' (value used by other ServiceAccounts in this workspace)`,
      edits: { [sa.uri]: [{ range: { start: ins.at, end: ins.at }, newText: text }] },
      preferred: true,
    },
  ];
}

/**
 * The same check on the ServiceAccount itself, where the value is written: a client or tenant id that is not a GUID
 * as written, or as postBuild substitutes it in the clusters that apply the ServiceAccount (one finding per
 * annotation, naming each cluster, related to where the substituted value comes from).
 */
export const serviceAccountAnnotationValues: Rule = {
  name: 'sa-annotation-values',
  applies: (doc) => doc.group === '' && doc.kind === 'ServiceAccount',
  check: ({ doc, index }) => {
    const findings: Finding[] = [];
    const name = doc.name ?? '';
    for (const key of REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS) {
      const value = doc.get(['metadata', 'annotations', key]);
      if (!value || !isScalar(value)) continue;
      const text = value.text;
      if (isGuid(text) || findPlaceholders(text).length > 0) continue;
      if (isTemplated(text) && !text.includes('${')) continue; // a Helm or ResourceSet template fills it in
      if (!text.includes('${')) {
        // In a repository whose clusters are known, a file none of them reads reaches no cluster yet.
        const notApplied = index.clusters().length > 0 && !index.readByCluster(doc.file.uri);
        findings.push({
          code: 'flux-azure/sa-annotation-not-guid',
          span: value,
          message: notApplied
            ? `${key}: '${text}' is not a GUID. No cluster of this repository applies this file yet; once one does, Entra ID rejects the token exchange of every workload and Flux object that uses ServiceAccount '${name}'.`
            : `${key}: '${text}' is not a GUID. Entra ID will reject the token exchange of every Flux object that uses ServiceAccount '${name}'.`,
          ...(notApplied ? { severity: 3 as const } : {}),
        });
        continue;
      }
      const byValue = new Map<string, { where: string[]; at: At | undefined; substituted: boolean }>();
      for (const { object, applied, cluster } of index.renderingsOf(doc.file.uri, doc.index)) {
        const node = nodeIn(object.node, ['metadata', 'annotations', key]);
        if (node?.type !== 'scalar' || typeof node.value !== 'string' || isGuid(node.value)) continue;
        const substituted = node.before !== undefined;
        const k = `${substituted}|${node.value}`;
        const entry = byValue.get(k) ?? { where: [], at: substituted ? node.at : undefined, substituted };
        entry.where.push(`${applied.label} in \`${cluster.label}\``);
        byValue.set(k, entry);
      }
      for (const [k, { where, at, substituted }] of byValue) {
        const result = k.slice(k.indexOf('|') + 1);
        findings.push({
          code: 'flux-azure/sa-annotation-not-guid',
          span: value,
          message: substituted
            ? `${key}: '${text}' becomes '${result}' (${where.join('; ')}), which is not a GUID. Entra ID will reject the token exchange.`
            : `${key}: '${text}' reaches the cluster as written: ${where.join('; ')} has no spec.postBuild. Add postBuild.substitute / substituteFrom to that Kustomization, or write the id.`,
          related:
            at && at.via === 'substitution'
              ? [{ location: { uri: at.uri, range: at.range }, message: at.note ?? 'value' }]
              : [],
        });
      }
    }
    return findings;
  },
};
