import {
  AKS_CLUSTER_ID_REGEX,
  fluxAzureDocs,
  FLUX_INSTANCE_FIELDS,
  KUBECONFIG_CONFIGMAP_KEYS,
  OTHER_DOCS,
  REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS,
  roleById,
} from '../../catalog';
import { entries } from '../../document/nodes';
import type { FeatureContext } from '../context';
import { keysOf, type HoverAnswer, type HoverSite } from '../hoverSite';
import { link, serviceAccountMarkdown, versionLine } from '../markdown';
import { podTemplateHover, serviceAccountAnnotationHover } from './workloadIdentity';

/** A ServiceAccount's workload-identity annotations (and the pod label, which does nothing there). */
export function serviceAccountHover(site: HoverSite, ctx: FeatureContext): HoverAnswer | undefined {
  if (site.subject?.type !== 'serviceAccount') return undefined;
  return serviceAccountAnnotationHover(site.loc.path) ?? podTemplateHover(site, ctx, site.loc.path);
}

/** FluxInstance `spec.cluster` settings that stand for the flux-system patches. */
export function fluxInstanceHover(site: HoverSite, ctx: FeatureContext): HoverAnswer | undefined {
  if (site.subject?.type !== 'fluxInstance' || site.nested) return undefined;
  const path = keysOf(site.loc.path).join('.');
  const field = FLUX_INSTANCE_FIELDS.find((f) => f.path.join('.') === path);
  if (!field) return undefined;
  const lines = [`**FluxInstance** \`${path}\``, '', field.description];
  const version = versionLine(
    'versions' in field ? field.versions : undefined,
    ctx.index.fluxVersionFor(site.doc.file.uri),
  );
  if (version) lines.push('', version);
  lines.push('', link('Flux Operator: FluxInstance', OTHER_DOCS.fluxOperatorInstance));
  return { markdown: lines.join('\n') };
}

/**
 * The ConfigMap a Kustomization / HelmRelease `kubeConfig.configMapRef` names for a remote AKS cluster (it has
 * `provider` and `cluster` keys): each key's meaning, the cluster id's shape and role, the ServiceAccount's identity.
 */
export function kubeConfigMapHover(site: HoverSite, ctx: FeatureContext): HoverAnswer | undefined {
  if (site.subject?.type !== 'configMap' || site.loc.path[0] !== 'data' || site.loc.path.length !== 2) return undefined;
  const keys = new Set(entries(site.doc.get(['data'])).map((p) => p.key.text));
  if (!keys.has('provider') || !keys.has('cluster')) return undefined;
  const key = String(site.loc.path[1]);
  const def = KUBECONFIG_CONFIGMAP_KEYS.find((k) => k.key === key);
  if (!def) return undefined;
  const lines = [`**\`${def.key}\`** — remote cluster kubeConfig ConfigMap (Flux 2.7+)`, '', def.description];
  const value = site.loc.onKey ? undefined : site.loc.scalar?.text;
  if (key === 'cluster' && value !== undefined) {
    const role = roleById('AksClusterUserRole');
    lines.push(
      '',
      AKS_CLUSTER_ID_REGEX.test(value)
        ? `✓ An AKS cluster id. Grant **${role.name}** \`${role.guid}\` on it.`
        : '⚠ Not an AKS cluster ARM id.',
    );
  }
  if (key === 'serviceAccountName' && value) {
    const namespace = site.doc.namespace ?? ctx.index.inheritedNamespace(site.doc.file.uri);
    const sa = ctx.index.serviceAccounts(value, namespace, site.doc.file.uri)[0];
    lines.push(
      '',
      sa
        ? serviceAccountMarkdown(sa, REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS)
        : `ServiceAccount \`${value}\` is not defined in this workspace.`,
    );
  }
  lines.push('', link('Flux: AKS', fluxAzureDocs('aks')));
  return { markdown: lines.join('\n') };
}
