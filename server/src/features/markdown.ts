import {
  AZURE_CLOUDS,
  AZURE_SERVICES,
  CONTROLLERS,
  controllerByName,
  controllersAcceptingFlag,
  fluxAzureDocs,
  LOCKDOWN_FLAGS,
  OBJECT_LEVEL_WI_GATE,
  OBJECT_LEVEL_WI_GATE_VERSIONS,
  parseFeatureGatesArg,
  type AnnotationDef,
  type AnnotationPlacement,
  type EnvVarDef,
  describeRange,
  inRange,
  roleById,
  SCOPE_FORMATS,
  serviceById,
  type AzureServiceDef,
  type FieldDef,
  type KindDef,
  type RoleDef,
  type RoleId,
  type ScopeLevel,
} from '../catalog';
import type { ServiceAccountFact } from '../workspace/facts';

/** Markdown building blocks shared by hovers and completion documentation. Short: a hover is read at a glance. */

function scopePattern(level: ScopeLevel): string {
  return SCOPE_FORMATS.find((f) => f.id === level)?.pattern ?? level;
}

/** Where a role for a service can be granted, as ARM id patterns: the resource, then its parents. */
export function grantScopesLine(service: AzureServiceDef): string | undefined {
  const [narrowest, ...parents] = service.grantScopes;
  if (!narrowest) return undefined;
  const more = parents.map((p) => `\`${scopePattern(p)}\``).join(', ');
  return `Scope: \`${scopePattern(narrowest)}\`${more ? `, or a parent: ${more}` : ''}`;
}

export function roleMarkdown(role: RoleDef): string {
  const lines = [`**${role.name}** — role definition \`${role.guid}\``, '', role.description];
  const recommendedFor = AZURE_SERVICES.filter((s) => s.recommendedRole === role.id);
  for (const service of recommendedFor) {
    const scopes = grantScopesLine(service);
    lines.push('', `Flux uses it for **${service.name}** (${service.kinds.join(', ')}).${scopes ? ` ${scopes}` : ''}`);
  }
  if (recommendedFor.length === 0) {
    const alternativeFor = AZURE_SERVICES.filter((s) => (s.alternativeRoles as readonly string[]).includes(role.id));
    if (alternativeFor.length > 0)
      lines.push(
        '',
        `Also satisfies ${alternativeFor
          .map((s) => `${s.abbreviation} (instead of ${s.recommendedRole ? roleById(s.recommendedRole).name : '—'})`)
          .join(', ')}.`,
      );
  }
  const perms = [...role.actions.map((a) => `\`${a}\``), ...role.dataActions.map((a) => `\`${a}\` (data)`)];
  if (perms.length > 0) lines.push('', `Permissions: ${perms.join(', ')}${role.abridged ? ' …' : ''}`);
  for (const caveat of role.caveats) lines.push('', `⚠ ${caveat}`);
  lines.push('', `[Built-in role reference](${role.docsUrl})`);
  return lines.join('\n');
}

/**
 * The Azure side of a service for a kind: the role to grant (name, GUID) and where, or the Azure DevOps group, or
 * that no Entra identity is involved.
 */
export function serviceMarkdown(serviceId: string, kind?: string): string | undefined {
  const service = serviceById(serviceId);
  if (!service) return undefined;
  const head = `Azure service: **${service.name}**`;
  if (service.recommendedRole) {
    const role = roleById(service.recommendedRole as RoleId);
    const scopes = grantScopesLine(service);
    return [`${head} · role **${role.name}** \`${role.guid}\``, ...(scopes ? [scopes] : [])].join('  \n');
  }
  if (service.adoGroups) {
    const groups = service.adoGroups as Readonly<Record<string, string>>;
    const group = kind ? groups[kind] : undefined;
    const which = group
      ? `the project group **${group}**`
      : Object.entries(groups)
          .map(([k, g]) => `**${g}** (${k})`)
          .join(', ');
    return `${head} · not Azure RBAC: onboard the identity into the organization and add it to ${which}`;
  }
  return `${head} · ${service.notes[0] ?? 'no Entra ID role'}`;
}

/** Whether the repository's Flux version supports something, as a short line. */
export function versionLine(range: FieldDef['versions'], repoVersion: string | undefined): string | undefined {
  if (!range) return undefined;
  const supported = describeRange(range);
  if (!repoVersion) return `Supported in ${supported}.`;
  return inRange(repoVersion, range)
    ? `Supported in ${supported} (this repository runs Flux ${repoVersion}).`
    : `⚠ Needs ${supported}; this repository runs Flux ${repoVersion}.`;
}

/** Which controller reads the object, and links to the Flux Azure section (`azureDocs` overrides the kind's) and API. */
export function kindFooter(def: KindDef, azureDocs: string = def.docs.azure): string {
  const controller = controllerByName(def.controller);
  return `Reconciled by **${def.controller}**${controller ? ` — ${controller.description}` : ''}\n\n[Flux on Azure](${azureDocs}) · [API](${def.docs.api})`;
}

/** A ServiceAccount's workload identity as found in the workspace. */
export function serviceAccountMarkdown(sa: ServiceAccountFact, annotationKeys: readonly string[]): string {
  const found = annotationKeys.filter((k) => sa.annotations[k] !== undefined);
  const head = `ServiceAccount \`${sa.namespace ?? '?'}/${sa.name}\``;
  if (found.length === 0) return `${head} has no workload-identity annotations.`;
  return [`${head}:`, ...found.map((k) => `- \`${k}\`: \`${sa.annotations[k]}\``)].join('\n');
}

export function link(title: string, url: string): string {
  return `[${title}](${url})`;
}

const PLACEMENTS: Readonly<Record<AnnotationPlacement, string>> = {
  serviceAccountAnnotation: 'ServiceAccount annotation',
  podTemplateLabel: 'pod-template label (`spec.template.metadata.labels`)',
  podAnnotation: 'pod annotation',
  serviceAccountOrPodAnnotation: 'ServiceAccount or pod annotation',
};

/** A workload-identity annotation or label key. */
export function annotationMarkdown(a: AnnotationDef): string {
  const lines = [`**\`${a.key}\`** — ${PLACEMENTS[a.placement]}`, '', a.description, '', `Read by: ${a.requiredBy}`];
  if (a.requiredForFluxObjectLevel) lines.push('', 'Required for Flux object-level workload identity.');
  if (a.status === 'proposed') lines.push('', '⚠ Proposed upstream only; Flux does not read it.');
  lines.push('', link('Flux: workload identity', fluxAzureDocs('workloadIdentity')));
  return lines.join('\n');
}

/** An `AZURE_*` variable of a controller (or any pod). */
export function envVarMarkdown(e: EnvVarDef): string {
  const lines = [`**\`${e.name}\`** — Azure identity environment variable`, '', e.description];
  if (e.valueType === 'url' && e.examples.length > 0)
    lines.push('', `Values: ${AZURE_CLOUDS.map((c) => `\`${c.authorityHost}\` (${c.name})`).join(', ')}`);
  if (e.injectedByAksWebhook)
    lines.push('', 'Injected by the AKS webhook into pods labelled `azure.workload.identity/use: "true"`.');
  if (e.notes) lines.push('', e.notes);
  lines.push('', link('Flux: controller-level identity', fluxAzureDocs('controllerLevel')));
  return lines.join('\n');
}

/** The feature-gates argument or a lockdown flag (`--flag` or `--flag=value`). */
export function flagMarkdown(arg: string, repoVersion: string | undefined): string | undefined {
  const gates = parseFeatureGatesArg(arg);
  if (gates) {
    if (!gates.gates.has(OBJECT_LEVEL_WI_GATE)) return undefined;
    const controllers = CONTROLLERS.filter((c) => c.objectLevelWorkloadIdentityGate).map(
      (c) =>
        `${c.name}${c.objectLevelWorkloadIdentityGate?.since !== OBJECT_LEVEL_WI_GATE_VERSIONS.since ? ` (${describeRange(c.objectLevelWorkloadIdentityGate)})` : ''}`,
    );
    return [
      `**\`${OBJECT_LEVEL_WI_GATE}\`** feature gate${gates.gates.get(OBJECT_LEVEL_WI_GATE) ? '' : ' (disabled here)'}`,
      '',
      'Lets objects reconciled by this controller name their own ServiceAccount for Azure (object-level workload identity). Without it they stall with reason `FeatureGateDisabled`.',
      '',
      `Known to: ${controllers.join(', ')}. A controller exits on a gate it does not know.`,
      '',
      versionLine(OBJECT_LEVEL_WI_GATE_VERSIONS, repoVersion) ?? '',
      '',
      link('Flux: object level', fluxAzureDocs('objectLevel')),
    ].join('\n');
  }
  const name = arg.trim().split('=')[0];
  const flag = LOCKDOWN_FLAGS.find((f) => f.flag === name);
  if (!flag) return undefined;
  return [
    `**\`${flag.flag}\`** — lockdown flag`,
    '',
    flag.description,
    '',
    `Accepted by: ${controllersAcceptingFlag(flag.flag).join(', ')}`,
    '',
    versionLine(flag.versions, repoVersion) ?? '',
    '',
    link('Flux: object level', fluxAzureDocs('objectLevel')),
  ].join('\n');
}
