import {
  ANNOTATION_CLIENT_ID,
  ANNOTATION_TENANT_ID,
  parseRoleDefinitionId,
  parseScope,
  parseServiceAccountSubject,
  roleByGuid,
  roleByName,
  SCOPE_FORMATS,
  type AsoFieldDef,
} from '../../catalog';
import type { FeatureContext } from '../context';
import { keysOf, type HoverAnswer, type HoverSite } from '../hoverSite';
import { link, roleMarkdown, serviceAccountMarkdown } from '../markdown';
import { audienceMarkdown } from './workloadIdentity';

/**
 * Hover in Azure Service Operator resources: field meanings; on values the role a RoleAssignment grants, the scope
 * an `armId` owner is, the ServiceAccount a federated credential's subject names (with its client id), the audience.
 */
export function asoHover(site: HoverSite, ctx: FeatureContext): HoverAnswer | undefined {
  if (site.subject?.type !== 'aso' || site.nested) return undefined;
  const def = site.subject.def;
  const path = keysOf(site.loc.path);
  const field = def.fields.find((f) => f.path.join('.') === path.join('.'));
  const value = site.loc.onKey ? undefined : site.loc.scalar?.text.trim();
  const head = (f: AsoFieldDef) => `**${def.kind}** \`${f.path.join('.')}\`\n\n${f.description}`;
  if (value !== undefined) {
    if (def.kind === 'RoleAssignment' && path.join('.') === 'spec.roleDefinitionReference.wellKnownName') {
      const role = roleByName(value);
      return { markdown: role ? roleMarkdown(role) : `⚠ \`${value}\` is not a built-in role the extension knows.` };
    }
    if (def.kind === 'RoleAssignment' && path.join('.') === 'spec.roleDefinitionReference.armId') {
      const guid = parseRoleDefinitionId(value);
      const role = guid ? roleByGuid(guid) : undefined;
      if (role) return { markdown: roleMarkdown(role) };
      if (!guid)
        return {
          markdown: `⚠ Not a role definition id: expected \`/providers/Microsoft.Authorization/roleDefinitions/<GUID>\`.`,
        };
    }
    if (path.join('.') === 'spec.owner.armId') {
      const scope = parseScope(value);
      const label = scope ? SCOPE_FORMATS.find((f) => f.id === scope.level)?.label : undefined;
      const lines = [field ? head(field) : ''];
      lines.push(
        '',
        label
          ? `Scope level: **${label}** — the grant applies to it and everything below.`
          : '⚠ Not a recognised ARM scope.',
      );
      return { markdown: lines.join('\n') };
    }
    if (def.kind === 'FederatedIdentityCredential' && path.join('.') === 'spec.subject')
      return { markdown: subjectMarkdown(value, ctx, site) };
    if (def.kind === 'FederatedIdentityCredential' && path.join('.') === 'spec.audiences')
      return { markdown: audienceMarkdown(value) };
  }
  if (!field) return undefined;
  return {
    markdown: `${head(field)}${field.enum ? `\n\nValues: ${field.enum.map((e) => `\`${e}\``).join(', ')}` : ''}\n\n${link('Azure Service Operator', def.docsUrl)}`,
  };
}

function subjectMarkdown(subject: string, ctx: FeatureContext, site: HoverSite): string {
  const parsed = parseServiceAccountSubject(subject);
  if (!parsed) return '⚠ Expected `system:serviceaccount:<namespace>:<name>` (Entra compares it case-sensitively).';
  const lines = [`Federates ServiceAccount \`${parsed.namespace}/${parsed.name}\`.`];
  const sa = ctx.index.serviceAccounts(parsed.name, parsed.namespace, site.doc.file.uri)[0];
  if (sa) lines.push('', serviceAccountMarkdown(sa, [ANNOTATION_CLIENT_ID, ANNOTATION_TENANT_ID]));
  else lines.push('', 'That ServiceAccount is not defined in this workspace.');
  return lines.join('\n');
}
