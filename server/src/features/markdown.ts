import {
  controllerByName,
  describeRange,
  inRange,
  roleById,
  serviceById,
  type FieldDef,
  type KindDef,
  type RoleDef,
  type RoleId,
} from '../catalog';

/** Markdown building blocks shared by hovers, completion documentation and diagnostics' explanations. */

export function roleMarkdown(role: RoleDef): string {
  const lines = [`**${role.name}** — role definition \`${role.guid}\``, '', role.description];
  const perms = [...role.actions.map((a) => `\`${a}\``), ...role.dataActions.map((a) => `\`${a}\` (data)`)];
  if (perms.length > 0) lines.push('', `Permissions: ${perms.join(', ')}${role.abridged ? ' …' : ''}`);
  for (const caveat of role.caveats) lines.push('', `⚠ ${caveat}`);
  lines.push('', `[Built-in role reference](${role.docsUrl})`);
  return lines.join('\n');
}

export function serviceLine(serviceId: string): string | undefined {
  const service = serviceById(serviceId);
  if (!service) return undefined;
  const parts = [`Azure service: **${service.name}**`];
  if (service.recommendedRole) {
    const role = roleById(service.recommendedRole as RoleId);
    parts.push(`role **${role.name}** (\`${role.guid}\`)`);
    if (service.grantScopes.length > 0)
      parts.push(`grant on ${service.grantScopes.map((s) => `\`${s}\``).join(' / ')} scope`);
  } else if (service.adoGroups) {
    parts.push(
      `not Azure RBAC: add the identity to the Azure DevOps project group ${Object.entries(service.adoGroups)
        .map(([kind, group]) => `**${group}** (${kind})`)
        .join(', ')}`,
    );
  }
  return parts.join(' · ');
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

export function kindFooter(def: KindDef): string {
  const controller = controllerByName(def.controller);
  return `Reconciled by **${def.controller}**${controller ? ` — ${controller.description}` : ''}\n\n[Flux on Azure](${def.docs.azure}) · [API](${def.docs.api})`;
}
