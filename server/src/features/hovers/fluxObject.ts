import {
  controllerByName,
  enumValuesFor,
  fieldDef,
  inRange,
  installModeInfo,
  OBJECT_LEVEL_WI_GATE,
  REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS,
  secretRefFor,
  secretSuits,
  serviceById,
  WORKLOAD_IDENTITY_ANNOTATIONS,
  type AzureServiceId,
  type FieldDef,
  type KindDef,
  type WorkloadIdentityUseDef,
} from '../../catalog';
import type { ManifestDoc } from '../../document/manifest';
import type { FeatureContext } from '../context';
import { keysOf, type HoverAnswer, type HoverSite } from '../hoverSite';
import { kindFooter, serviceAccountMarkdown, serviceMarkdown, versionLine } from '../markdown';
import { gateSetting } from '../rules/helpers';

/**
 * Hover on a field of a Flux object (key or value): what it means for this kind, the value's meaning, defaults,
 * the Flux versions that have it, the Azure service, role and scope (or Azure DevOps group), the ServiceAccount or
 * Secret it names as found in the workspace, the gate it needs, and the controller that reads it.
 */
export function fluxObjectHover(site: HoverSite, ctx: FeatureContext): HoverAnswer | undefined {
  if (site.subject?.type !== 'flux' || site.nested) return undefined;
  const def = site.subject.lookup.def;
  const { doc, loc } = site;
  if (loc.path.some((p) => typeof p === 'number')) return undefined;
  const path = keysOf(loc.path);
  const field = fieldDef(def, path);
  if (!field) return undefined;
  const repoVersion = ctx.index.fluxVersionFor(doc.file.uri);
  const lines: string[] = [`**${def.kind}** \`${path.join('.')}\``, '', field.description];
  if (!loc.onKey && field.enum) {
    const value = enumValuesFor(field).find((e) => e.value === loc.scalar!.text);
    if (value) {
      lines.push('', `\`${value.value}\`: ${value.description}`);
      const v = versionLine(value.versions, repoVersion);
      if (v) lines.push('', v);
      if (value.deprecated) lines.push('', `Deprecated: ${value.deprecated}`);
    } else lines.push('', `⚠ \`${loc.scalar!.text}\` is not a value ${def.kind} accepts.`);
  }
  if (field.default !== undefined) lines.push('', `Default: \`${String(field.default)}\``);
  const use = workloadIdentityUseOf(def, field, doc);
  const version = versionLine(field.versions ?? use?.versions, repoVersion);
  if (version) lines.push('', version);
  const service = field.azure ? serviceFor(def, path, doc) : undefined;
  const serviceText = service ? serviceMarkdown(service, def.kind) : undefined;
  if (serviceText) lines.push('', serviceText);
  const identity =
    path[path.length - 1] === 'serviceAccountName' ? serviceAccountLines(site, ctx, field, use) : ([] as string[]);
  const secret = path.length >= 2 && path[path.length - 2] === 'secretRef' ? secretLines(site, ctx, def, path) : [];
  // Beside a YAML server with the Flux schemas (which describes every field): only where Azure adds meaning.
  if (ctx.settings.yamlSchemaServer === 'on' && !field.azure && !serviceText && !identity.length && !secret.length)
    return undefined;
  lines.push(...identity, ...secret);
  lines.push('', kindFooter(def, service ? serviceById(service)?.docsUrl : undefined));
  return { markdown: lines.join('\n') };
}

/** The workload-identity use a ServiceAccount field stands for in this object (its `requires` met), if any. */
function workloadIdentityUseOf(def: KindDef, field: FieldDef, doc: ManifestDoc): WorkloadIdentityUseDef | undefined {
  return (def.workloadIdentity as readonly WorkloadIdentityUseDef[]).find(
    (u) =>
      !u.via &&
      u.serviceAccountField.join('.') === field.path.join('.') &&
      (!u.requires || u.requires.values.includes(doc.text(u.requires.path) ?? '')),
  );
}

/**
 * The Azure service a field concerns: the kind's only one; else the one of the workload-identity use under the same
 * `spec` key (`decryption` → Key Vault, `kubeConfig` → AKS); for a Provider the one its `type` selects.
 */
export function serviceFor(def: KindDef, path: readonly string[], doc: ManifestDoc): AzureServiceId | undefined {
  const uses = def.workloadIdentity as readonly WorkloadIdentityUseDef[];
  // A kind that reaches Azure only through a remote-cluster kubeConfig (HelmRelease): only that branch is about AKS.
  const onlyRemote = uses.length > 0 && uses.every((u) => u.via === 'kubeConfigConfigMap');
  if (onlyRemote) return uses.find((u) => u.serviceAccountField[1] === path[1])?.service;
  if (def.services.length === 1) return def.services[0];
  const byRequirement = uses.find((u) => u.requires && u.requires.values.includes(doc.text(u.requires.path) ?? ''));
  if (byRequirement) return byRequirement.service;
  const byBranch = uses.find((u) => !u.requires && path.length >= 2 && u.serviceAccountField[1] === path[1]);
  if (byBranch) return byBranch.service;
  // A Provider type with no workload identity (msteams): the service no use covers.
  const typeField = fieldDef(def, ['spec', 'type']);
  const type = doc.text(['spec', 'type']);
  const azureType = typeField?.enum?.find((e) => e.azure && e.value === type);
  if (azureType) {
    const leftover = def.services.filter((s) => !uses.some((u) => u.service === s));
    if (leftover.length === 1) return leftover[0];
  }
  return undefined;
}

function serviceAccountLines(
  site: HoverSite,
  ctx: FeatureContext,
  field: FieldDef,
  use: WorkloadIdentityUseDef | undefined,
): string[] {
  const { doc, loc } = site;
  const name = loc.onKey ? doc.text(keysOf(loc.path)) : loc.scalar?.text;
  if (!name) return [];
  const namespace = doc.namespace ?? ctx.index.inheritedNamespace(doc.file.uri);
  const found = ctx.index.serviceAccounts(name, namespace, doc.file.uri)[0];
  const out: string[] = [];
  if (!found) out.push('', `ServiceAccount \`${namespace ?? '?'}/${name}\` is not defined in this workspace.`);
  else if (field.azure) {
    const keys = WORKLOAD_IDENTITY_ANNOTATIONS.filter((a) => a.placement === 'serviceAccountAnnotation').map(
      (a) => a.key,
    );
    out.push('', serviceAccountMarkdown(found, keys));
    const missing = REQUIRED_SERVICE_ACCOUNT_ANNOTATIONS.filter((k) => !found.annotations[k]);
    if (use && missing.length > 0)
      out.push('', `⚠ Flux object-level workload identity also needs ${missing.map((k) => `\`${k}\``).join(', ')}.`);
  } else out.push('', `ServiceAccount \`${found.namespace ?? '?'}/${found.name}\`.`);
  if (use) out.push('', ...gateLines(site, ctx, use));
  return out;
}

/** Whether the controllers that need the gate for this use have it, per cluster the file is applied to. */
function gateLines(site: HoverSite, ctx: FeatureContext, use: WorkloadIdentityUseDef): string[] {
  const clusters = ctx.index.clustersOf(site.doc.file.uri);
  const parts: string[] = [];
  for (const controller of use.gateControllers) {
    const gate = controllerByName(controller)?.objectLevelWorkloadIdentityGate;
    for (const cluster of clusters) {
      if (!cluster.install.controllersKnown) {
        const { title } = installModeInfo(cluster.install.mode);
        parts.push(
          `? ${controller} in \`${cluster.label}\`: not known from this repository (${title}: ${cluster.install.unknown ?? ''})`,
        );
        continue;
      }
      const version = cluster.fluxVersion?.version;
      const known = !gate || !version || inRange(version, gate);
      const on = gateSetting(cluster, controller) !== undefined;
      parts.push(
        `${on ? '✓' : '⚠'} ${controller} in \`${cluster.label}\`: ${on ? 'gate enabled' : known ? 'gate not enabled' : 'gate unknown to this version'}`,
      );
    }
    if (clusters.length === 0) parts.push(`Needs \`${OBJECT_LEVEL_WI_GATE}\` on ${controller}.`);
  }
  return [`\`${OBJECT_LEVEL_WI_GATE}\` gate:`, ...parts.map((p) => `- ${p}`)];
}

function secretLines(site: HoverSite, ctx: FeatureContext, def: KindDef, path: readonly string[]): string[] {
  const { doc } = site;
  const refPath = path.slice(0, path.length - 1);
  const name = doc.text([...refPath, 'name']);
  if (!name) return [];
  const namespace = doc.namespace ?? ctx.index.inheritedNamespace(doc.file.uri);
  const secret = ctx.index.secrets(name, namespace, doc.file.uri)[0];
  if (!secret) return ['', `Secret \`${namespace ?? '?'}/${name}\` is not defined in this workspace.`];
  const requirement = secretRefFor(def.kind, refPath, (p) => doc.text(p));
  const lines = [
    '',
    `Secret \`${secret.namespace ?? '?'}/${secret.name}\`${secret.sops ? ' (SOPS-encrypted)' : ''}: keys ${secret.keys.map((k) => `\`${k}\``).join(', ') || '(none)'}`,
  ];
  if (requirement && !secretSuits(requirement, secret)) lines.push('', `⚠ ${requirement.description}`);
  return lines;
}
